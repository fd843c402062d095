//! Milestones: `/secondments/{id}/milestones`, `/milestones/{id}`.

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::common::{self, double_option, ok_with_etag, Page, PageQuery};
use super::fields::{Comment, Day, LongText, Name, Plain};
use super::input::{Json, OptionalJson, Query};
use super::problem::{ApiError, Problem};
use super::secondments::{as_viewer, read_as_viewer};
use super::validate::{check_len, finish};
use crate::auth::AuthUser;
use crate::domain::actions;
use crate::domain::milestone::MilestoneStatus;
use crate::domain::secondment::{check_happened_within, Violation};
use crate::state::AppState;
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
    pub status: MilestoneStatus,
    /// When completion was recorded (UTC, the server's clock).
    pub completed_at: Option<DateTime<Utc>>,
    /// The day it was done, as stated when completing it.
    pub completed_on: Option<NaiveDate>,
    /// Note.
    pub note: Option<String>,
    /// Template key for default milestones.
    pub template: Option<String>,
    /// Version (the ETag).
    pub version: i32,
    /// What the caller may do with it (lists of a secondment; decision 0042).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actions: Option<actions::MilestoneActions>,
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
            completed_on: m.completed_on,
            note: m.note,
            template: m.template,
            version: m.version,
            actions: None,
        }
    }
}

/// A new milestone.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateMilestone {
    /// Title.
    pub title: Name,
    /// Description.
    pub description: Option<LongText>,
    /// Due date (within the secondment's dates).
    pub due_date: Day,
}

/// Changes; absent fields stay.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMilestone {
    /// Title.
    pub title: Option<Name>,
    /// Description.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<LongText>)]
    pub description: Option<Option<LongText>>,
    /// Due date.
    pub due_date: Option<Day>,
    /// `planned` or `cancelled` (use complete for `done`).
    pub status: Option<SetMilestoneStatus>,
    /// Note.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Comment>)]
    pub note: Option<Option<Comment>>,
}

/// The states a milestone is set to by hand; `done` goes through
/// `POST /milestones/{id}/complete`, `missed` is the tick's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SetMilestoneStatus {
    /// Planned again.
    Planned,
    /// No longer relevant.
    Cancelled,
}

impl From<SetMilestoneStatus> for MilestoneStatus {
    fn from(s: SetMilestoneStatus) -> Self {
        match s {
            SetMilestoneStatus::Planned => MilestoneStatus::Planned,
            SetMilestoneStatus::Cancelled => MilestoneStatus::Cancelled,
        }
    }
}

/// A completion: what was done and on which day.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteMilestone {
    /// What was done.
    pub note: Option<Comment>,
    /// The day it was done: within the secondment, not after today.
    pub completed_on: Option<Day>,
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

/// A stated business date must fall within the secondment's period.
pub fn check_business_date(
    field: &'static str,
    s: &SecondmentRow,
    date: NaiveDate,
    today: NaiveDate,
) -> Result<(), SecondmentError> {
    let end = s.actual_end_date.unwrap_or(s.end_date);
    check_happened_within(field, date, s.start_date, end, today).map_err(SecondmentError::Policy)
}

fn check_due(s: &SecondmentRow, due: NaiveDate) -> Result<(), SecondmentError> {
    if due < s.start_date || due > s.end_date {
        return Err(SecondmentError::Policy(Violation {
            rule: "milestone_within_secondment",
            message: format!(
                "due_date must lie between {} and {}, the secondment's dates",
                s.start_date, s.end_date
            ),
            field: Some("due_date"),
            latest_end_date: None,
        }));
    }
    Ok(())
}

/// Milestones of a secondment by due date.
#[utoipa::path(tag = "milestones", security(("bearer" = [])),
    params(("id" = String, Path, description = "Secondment id"), PageQuery),
    responses((status = 200, body = Page<Milestone>), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/secondments/{id}/milestones")]
pub async fn list_milestones(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    page: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    let window = page.window()?;
    let rows = of_secondment(&state, user, id).await?;
    Ok(HttpResponse::Ok().json(window.page_sorted(
        rows,
        |m| format!("{}|{}", m.due_date, m.id),
        |m| m,
    )))
}

/// The milestones of a secondment the caller may see (404 otherwise),
/// each with what the caller may do with it.
pub(crate) async fn of_secondment(
    state: &web::Data<AppState>,
    user: AuthUser,
    id: String,
) -> Result<Vec<Milestone>, ApiError> {
    read_as_viewer(state, user, move |conn, _, viewer| {
        let s = find_visible(conn, viewer, &id)?;
        let caller = viewer.caller();
        Ok(milestones::for_secondment(conn, &id)?
            .into_iter()
            .map(|m| {
                let allowed = actions::milestone_actions(caller, s.posting(), m.status);
                Milestone {
                    actions: Some(allowed),
                    ..Milestone::from(m)
                }
            })
            .collect())
    })
    .await
}

/// One milestone, with its `ETag`.
#[utoipa::path(tag = "milestones", security(("bearer" = [])),
    params(("id" = String, Path, description = "Milestone id")),
    responses((status = 200, body = Milestone, headers(("ETag" = String, description = "Version for If-Match")))))]
#[get("/milestones/{id}")]
pub async fn get_milestone(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    let row = read_as_viewer(&state, user, move |conn, _, viewer| {
        Ok(visible_milestone(conn, viewer, &id)?.0)
    })
    .await?;
    Ok(ok_with_etag(row.version, &Milestone::from(row)))
}

/// Adds a milestone (HR officers, administrators).
#[utoipa::path(tag = "milestones", security(("bearer" = [])),
    params(("id" = String, Path, description = "Secondment id")),
    request_body = CreateMilestone,
    responses((status = 201, body = Milestone),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The secondment is closed (rejected, cancelled, terminated or completed)", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/secondments/{id}/milestones")]
pub async fn create_milestone(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Json<CreateMilestone>,
) -> Result<HttpResponse, ApiError> {
    let row = create(&state, user, common::parse_id(&path)?, body.into_inner()).await?;
    Ok(common::created(
        format!("/api/v1/milestones/{}", row.id),
        row.version,
        &Milestone::from(row),
    ))
}

/// Plans a milestone: the API's `POST` and the console's form.
pub(crate) async fn create(
    state: &web::Data<AppState>,
    user: AuthUser,
    id: String,
    b: CreateMilestone,
) -> Result<milestones::MilestoneRow, ApiError> {
    let title = b.title.trim().to_string();
    let mut errors = Vec::new();
    check_len("title", &title, 1, 300, &mut errors);
    finish(errors)?;
    let actor = user.actor();
    as_viewer(state, user, move |conn, _, viewer| {
        let s = find_visible(conn, viewer, &id)?;
        if !viewer.is_hr() {
            return Err(SecondmentError::Forbidden(
                "Milestones are planned by HR.".into(),
            ));
        }
        // Not for a secondment that ended or never started (decision 0042).
        if !s.status().is_open() {
            return Err(SecondmentError::Transition {
                from: s.status().as_str(),
                action: "plan a milestone of",
            });
        }
        check_due(&s, b.due_date.plain())?;
        Ok(milestones::insert(
            conn,
            &actor,
            &s.id,
            &title,
            b.description.as_deref(),
            b.due_date.plain(),
            None,
        )?)
    })
    .await
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
    body: Json<UpdateMilestone>,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    let version = common::expected(&req)?.version();
    let b = body.into_inner();
    let actor = user.actor();
    let row = as_viewer(&state, user, move |conn, _, viewer| {
        let (_, s) = visible_milestone(conn, viewer, &id)?;
        if !viewer.is_hr() {
            return Err(SecondmentError::Forbidden(
                "Milestones are changed by HR.".into(),
            ));
        }
        if let Some(due) = b.due_date {
            check_due(&s, due.plain())?;
        }
        let changes = MilestoneChanges {
            title: b.title.map(|t| t.trim().to_string()),
            description: b.description.plain(),
            due_date: b.due_date.plain(),
            status: b.status.map(MilestoneStatus::from),
            note: b.note.plain(),
            completed_on: None,
        };
        milestones::update(conn, &actor, &id, version, &changes)?.ok_or(SecondmentError::Stale)
    })
    .await?;
    Ok(ok_with_etag(row.version, &Milestone::from(row)))
}

/// Marks a milestone done (HR, or the seconded official for their own).
#[utoipa::path(tag = "milestones", security(("bearer" = [])),
    params(("id" = String, Path, description = "Milestone id")),
    request_body(content = Option<CompleteMilestone>, description = "Optional"),
    responses((status = 200, body = Milestone),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already done or cancelled", body = Problem, content_type = "application/problem+json")))]
#[post("/milestones/{id}/complete")]
pub async fn complete_milestone(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: OptionalJson<CompleteMilestone>,
) -> Result<HttpResponse, ApiError> {
    let row = complete(&state, user, common::parse_id(&path)?, body.or_default()).await?;
    Ok(ok_with_etag(row.version, &Milestone::from(row)))
}

/// Marks a milestone done: the API's `POST` and the console's button.
pub(crate) async fn complete(
    state: &web::Data<AppState>,
    user: AuthUser,
    id: String,
    b: CompleteMilestone,
) -> Result<milestones::MilestoneRow, ApiError> {
    let note = b.note.plain().filter(|n| !n.is_empty());
    let today = state.today();
    let completed_on = b.completed_on.plain();
    let actor = user.actor();
    as_viewer(state, user, move |conn, _, viewer| {
        let (m, s) = visible_milestone(conn, viewer, &id)?;
        if !viewer.caller().may_complete_milestones(s.posting()) {
            return Err(SecondmentError::Forbidden(
                "Milestones are completed by HR or the seconded official.".into(),
            ));
        }
        if !actions::milestone_completable(m.status) {
            return Err(SecondmentError::Conflict(format!(
                "The milestone is already {}.",
                m.status
            )));
        }
        if let Some(day) = completed_on {
            check_business_date("completed_on", &s, day, today)?;
        }
        let changes = MilestoneChanges {
            status: Some(MilestoneStatus::Done),
            note: note.map(Some),
            completed_on,
            ..Default::default()
        };
        milestones::update(conn, &actor, &id, Some(m.version), &changes)?
            .ok_or(SecondmentError::Stale)
    })
    .await
}
