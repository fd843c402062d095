//! The append-only audit log, read: administrators read all of it, HR
//! officers the entries about records in their scope. The console tells a
//! secondment's history from the same events ([`AuditEvent`], with the
//! [`Names`] of whom and what they name).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::caller::scope_of;
use super::fields::{Day, Id, Line, Plain};
use super::page::{Page, PageWindow};
use super::{AppError, Context};
use crate::auth::permissions::Scope;
use crate::auth::AuthUser;
use crate::domain::dates::day_start_utc;
use crate::domain::user::Role;
use crate::store::audit::{self, AuditFilter};
use crate::store::DbConnection;

/// An event of the log as stored: who did what to which record, with the
/// record before and after as JSON text.
pub use crate::store::audit::AuditEvent;
/// The names behind the ids the events refer to.
pub use crate::store::names::Names;

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

/// One page of the audit trail, oldest first: all of it for
/// administrators; for HR officers the entries about secondments with
/// their home or host unit in the officer's scope (and everything in their
/// history), officials of its units, its users and the units themselves.
pub fn list(
    caller: &AuthUser,
    tx: &mut DbConnection,
    cx: &Context,
    q: AuditQuery,
) -> Result<Page<AuditEntry>, AppError> {
    caller.require_role(&[Role::Admin, Role::HrOfficer])?;
    let window = PageWindow::parse(q.limit, q.cursor.as_deref())?;
    let after = match &window.after {
        Some(a) => Some(
            a.parse::<i64>()
                .map_err(|_| AppError::invalid("cursor", "is not a valid cursor"))?,
        ),
        None => None,
    };
    let tz = cx.settings.tz();
    let about_units = match scope_of(tx, caller)? {
        Scope::All => None,
        Scope::Units(units) => Some(units.into_iter().collect()),
        Scope::Nothing => Some(Vec::new()),
    };
    let filter = AuditFilter {
        entity_type: q.entity_type.plain(),
        entity_id: q.entity_id.plain(),
        actor_id: q.actor_id.plain(),
        from: q.from.map(|d| day_start_utc(d.get(), tz)),
        until: q
            .to
            .and_then(|d| d.get().succ_opt())
            .map(|d| day_start_utc(d, tz)),
        about_units,
        after,
        limit: window.fetch(),
    };
    let rows = audit::list(tx, &filter)?;
    Ok(window.page(rows, |e| e.id.to_string(), AuditEntry::from))
}
