//! `GET /api/v1/audit`: the append-only log, read-only. No route updates or
//! deletes it, and the database refuses to.

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::common::{Page, PageWindow};
use super::fields::{Day, Id, Line, Plain};
use super::input::Query;
use super::problem::{ApiError, Problem};
use crate::auth::permissions::Scope;
use crate::auth::AuthUser;
use crate::domain::dates::day_start_utc;
use crate::domain::user::Role;
use crate::state::AppState;
use crate::store::audit::{self, AuditEvent, AuditFilter};

/// One audit event.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    /// Sequence number.
    pub id: i64,
    /// When (UTC).
    pub occurred_at: DateTime<Utc>,
    /// Who (user id); `null` for the system.
    pub actor_id: Option<String>,
    /// The request that caused it.
    pub request_id: Option<String>,
    /// What happened, e.g. `user.updated`.
    pub action: String,
    /// Kind of record.
    pub entity_type: String,
    /// Record id.
    pub entity_id: String,
    /// The record before.
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// The record after.
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

impl From<AuditEvent> for AuditEntry {
    fn from(e: AuditEvent) -> Self {
        let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        AuditEntry {
            id: e.id,
            occurred_at: e.occurred_at.and_utc(),
            actor_id: e.actor_id,
            request_id: e.request_id,
            action: e.action,
            entity_type: e.entity_type,
            entity_id: e.entity_id,
            before: parse(e.before_json),
            after: parse(e.after_json),
        }
    }
}

/// Filters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// `user`, `org_unit`, `official`, `secondment`, `milestone`, ...
    pub entity_type: Option<Line<50>>,
    /// One record's id.
    pub entity_id: Option<Line<100>>,
    /// Changes by this user.
    pub actor_id: Option<Id>,
    /// Changes on or after this day (in the service's time zone).
    pub from: Option<Day>,
    /// Changes on or before this day (in the service's time zone).
    pub to: Option<Day>,
    /// Page size (1-500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The audit trail, oldest first. Administrators read all of it; HR
/// officers the entries about records in their scope: secondments with
/// their home or host unit in it (and everything in their history),
/// officials of its units, its users and the units themselves.
#[utoipa::path(
    tag = "audit",
    security(("bearer" = [])),
    params(AuditQuery),
    responses(
        (status = 200, body = Page<AuditEntry>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/audit")]
pub async fn list_audit(
    user: AuthUser,
    state: web::Data<AppState>,
    query: Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    user.require_role(&[Role::Admin, Role::HrOfficer])?;
    let q = query.into_inner();
    let window = PageWindow::parse(q.limit, q.cursor.as_deref())?;
    let after = match &window.after {
        Some(a) => Some(
            a.parse::<i64>()
                .map_err(|_| ApiError::invalid_field("cursor", "is not a valid cursor"))?,
        ),
        None => None,
    };
    let tz = state.settings.tz();
    let mut filter = AuditFilter {
        entity_type: q.entity_type.plain(),
        entity_id: q.entity_id.plain(),
        actor_id: q.actor_id.plain(),
        from: q.from.map(|d| day_start_utc(d.get(), tz)),
        until: q
            .to
            .and_then(|d| d.get().succ_opt())
            .map(|d| day_start_utc(d, tz)),
        about_units: None,
        after,
        limit: window.fetch(),
    };
    let rows = state
        .db
        .lagging(move |conn| {
            match super::caller::scope_of(conn, &user)? {
                Scope::All => {}
                Scope::Units(units) => filter.about_units = Some(units.into_iter().collect()),
                Scope::Nothing => filter.about_units = Some(Vec::new()),
            }
            audit::list(conn, &filter)
        })
        .await?;
    Ok(HttpResponse::Ok().json(window.page(rows, |e| e.id.to_string(), AuditEntry::from)))
}
