//! Milestones: `/secondments/{id}/milestones`, `/milestones/{id}`.

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::common::{self, double_option, ok_with_etag};
use super::problem::{ApiError, Problem};
use super::secondments::as_viewer;
use super::validate::{check_len, finish};
use crate::auth::AuthUser;
use crate::domain::milestone::MilestoneStatus;
use crate::domain::user::Role;
use crate::startup::AppState;
use crate::store::milestones::{self, MilestoneChanges, MilestoneRow};
use crate::store::secondments::{find_visible, SecondmentError, SecondmentRow, Viewer};
use crate::store::{DbConnection, StoreError};

/// A milestone.
#[derive(Debug, Serialize, ToSchema)]
pub struct Milestone {
    /// Identifier.
    pub id: String,
    /// The secondment.
    pub secondment_id: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Due date.
    pub due_date: NaiveDate,
    /// `planned`, `done`, `missed` or `cancelled`.
    pub status: String,
    /// When completed (UTC).
    pub completed_at: Option<DateTime<Utc>>,
    /// Note.
    pub note: Option<String>,
    /// Template key for default milestones.
    pub template: Option<String>,
    /// Version (the ETag).
    pub version: i32,
}

impl From<MilestoneRow> for Milestone {
    fn from(m: MilestoneRow) -> Self {
        Milestone {
            id: m.id,
            secondment_id: m.secondment_id,
            title: m.title,
            description: m.description,
            due_date: m.due_date,
            status: m.status,
            completed_at: m.completed_at.map(|t| t.and_utc()),
            note: m.note,
            template: m.template,
            version: m.version,
        }
    }
}

/// A new milestone.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateMilestone {
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Due date (within the secondment's dates).
    pub due_date: NaiveDate,
}

/// Changes; absent fields stay.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMilestone {
    /// Title.
    pub title: Option<String>,
    /// Description.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
    /// Due date.
    pub due_date: Option<NaiveDate>,
    /// `planned` or `cancelled` (use complete for `done`).
    pub status: Option<MilestoneStatus>,
    /// Note.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub note: Option<Option<String>>,
}

/// A completion note.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteMilestone {
    /// What was done.
    pub note: Option<String>,
}

fn is_hr(viewer: &Viewer) -> bool {
    matches!(viewer.role, Role::Admin | Role::HrOfficer)
}

fn is_own_cadre(viewer: &Viewer, s: &SecondmentRow) -> bool {
    viewer.role == Role::Cadre && viewer.official_id.as_deref() == Some(s.official_id.as_str())
}

fn visible_milestone(
    conn: &mut DbConnection,
    viewer: &Viewer,
    id: &str,
) -> Result<(MilestoneRow, SecondmentRow), SecondmentError> {
    let m = match milestones::find(conn, id) {
        Ok(m) => m,
        Err(StoreError::NotFound) => return Err(SecondmentError::NotFound),
        Err(e) => return Err(e.into()),
    };
    let s = find_visible(conn, viewer, &m.secondment_id)?;
    Ok((m, s))
}

fn check_due(s: &SecondmentRow, due: NaiveDate) -> Result<(), SecondmentError> {
    if due < s.start_date || due > s.end_date {
        return Err(SecondmentError::Invalid {
            field: "due_date",
            message: format!("must lie between {} and {}", s.start_date, s.end_date),
        });
    }
    Ok(())
}

/// Milestones of a secondment by due date.
#[utoipa::path(tag = "milestones", security(("bearer" = [])),
    params(("id" = String, Path, description = "Secondment id")),
    responses((status = 200, body = Vec<Milestone>), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/secondments/{id}/milestones")]
pub async fn list_milestones(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    let rows = as_viewer(&state, user, move |conn, _, viewer| {
        find_visible(conn, viewer, &id)?;
        Ok(milestones::for_secondment(conn, &id)?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(Milestone::from).collect::<Vec<_>>()))
}

/// Adds a milestone (HR officers, administrators).
#[utoipa::path(tag = "milestones", security(("bearer" = [])),
    params(("id" = String, Path, description = "Secondment id")),
    request_body = CreateMilestone,
    responses((status = 201, body = Milestone),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/secondments/{id}/milestones")]
pub async fn create_milestone(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Json<CreateMilestone>,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    let b = body.into_inner();
    let title = b.title.trim().to_string();
    let mut errors = Vec::new();
    check_len("title", &title, 1, 300, &mut errors);
    finish(errors)?;
    let actor = user.actor();
    let row = as_viewer(&state, user, move |conn, _, viewer| {
        let s = find_visible(conn, viewer, &id)?;
        if !is_hr(viewer) {
            return Err(SecondmentError::Forbidden(
                "Milestones are planned by HR.".into(),
            ));
        }
        check_due(&s, b.due_date)?;
        Ok(milestones::insert(
            conn,
            &actor,
            &s.id,
            &title,
            b.description.as_deref(),
            b.due_date,
            None,
        )?)
    })
    .await?;
    Ok(HttpResponse::Created().json(Milestone::from(row)))
}

/// Changes a milestone (HR officers, administrators); needs `If-Match`.
#[utoipa::path(tag = "milestones", security(("bearer" = [])),
    params(("id" = String, Path, description = "Milestone id"), ("If-Match" = String, Header, description = "ETag")),
    request_body = UpdateMilestone,
    responses((status = 200, body = Milestone),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json")))]
#[patch("/milestones/{id}")]
pub async fn update_milestone(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Json<UpdateMilestone>,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    let version = common::expected_version(&req)?;
    let b = body.into_inner();
    if b.status == Some(MilestoneStatus::Done) {
        return Err(ApiError::invalid_field(
            "status",
            "use POST /milestones/{id}/complete",
        ));
    }
    let actor = user.actor();
    let row = as_viewer(&state, user, move |conn, _, viewer| {
        let (_, s) = visible_milestone(conn, viewer, &id)?;
        if !is_hr(viewer) {
            return Err(SecondmentError::Forbidden(
                "Milestones are changed by HR.".into(),
            ));
        }
        if let Some(due) = b.due_date {
            check_due(&s, due)?;
        }
        let changes = MilestoneChanges {
            title: b.title.map(|t| t.trim().to_string()),
            description: b.description,
            due_date: b.due_date,
            status: b.status,
            note: b.note,
        };
        milestones::update(conn, &actor, &id, version, &changes)?.ok_or(SecondmentError::Stale)
    })
    .await?;
    Ok(ok_with_etag(row.version, &Milestone::from(row)))
}

/// Marks a milestone done (HR, or the seconded official for their own).
#[utoipa::path(tag = "milestones", security(("bearer" = [])),
    params(("id" = String, Path, description = "Milestone id")),
    request_body(content = CompleteMilestone, description = "Optional"),
    responses((status = 200, body = Milestone),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already done or cancelled", body = Problem, content_type = "application/problem+json")))]
#[post("/milestones/{id}/complete")]
pub async fn complete_milestone(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Option<web::Json<CompleteMilestone>>,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    let note = body
        .and_then(|b| b.into_inner().note)
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    let actor = user.actor();
    let row = as_viewer(&state, user, move |conn, _, viewer| {
        let (m, s) = visible_milestone(conn, viewer, &id)?;
        if !is_hr(viewer) && !is_own_cadre(viewer, &s) {
            return Err(SecondmentError::Forbidden(
                "Milestones are completed by HR or the seconded official.".into(),
            ));
        }
        if m.status == "done" || m.status == "cancelled" {
            return Err(SecondmentError::Conflict(format!(
                "The milestone is already {}.",
                m.status
            )));
        }
        let changes = MilestoneChanges {
            status: Some(MilestoneStatus::Done),
            note: note.map(Some),
            ..Default::default()
        };
        milestones::update(conn, &actor, &id, m.version, &changes)?.ok_or(SecondmentError::Stale)
    })
    .await?;
    Ok(ok_with_etag(row.version, &Milestone::from(row)))
}
