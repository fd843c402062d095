//! State changes of a secondment, the directors' decisions, its history,
//! and the daily tick. Each handler extracts, runs one `app::secondments`
//! function in a unit of work and answers.

use actix_web::{get, post, web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::common::{self, ok_with_etag, Page, PageQuery};
use super::fields::{Day, Plain};
use super::input::{Json, OptionalJson, Query};
use super::problem::{ApiError, Problem};
pub use crate::app::secondments::decide::DecisionRequest;
pub use crate::app::secondments::flow::{CancelRequest, TerminateRequest};
pub use crate::app::secondments::history::HistoryEntry;
use crate::app::secondments::{decide, flow, history, Secondment};
use crate::app::{units, Context};
use crate::auth::{permissions, AuthUser};
use crate::domain::tick::TickSummary;
use crate::scheduler::TickRun;
use crate::state::AppState;

/// Sends a draft for approval (needs agreement_ref and consultation).
#[utoipa::path(
    tag = "secondments",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Secondment id")),
    responses(
        (status = 200, body = Secondment),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a draft", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Agreement or consultation missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/secondments/{id}/submit")]
pub async fn submit_secondment(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    let cx = Context::now(state.settings.clone());
    let body = units::write(&state.db, move |tx| flow::submit(&user, tx, &cx, &id)).await?;
    Ok(ok_with_etag(body.version, &body))
}

/// Withdraws a draft, pending or approved secondment.
#[utoipa::path(
    tag = "secondments",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Secondment id")),
    request_body = CancelRequest,
    responses(
        (status = 200, body = Secondment),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/secondments/{id}/cancel")]
pub async fn cancel_secondment(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Json<CancelRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    let cmd = body.into_inner();
    let body = units::write(&state.db, move |tx| flow::cancel(&user, tx, &id, cmd)).await?;
    Ok(ok_with_etag(body.version, &body))
}

/// Ends an active secondment early.
#[utoipa::path(
    tag = "secondments",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Secondment id")),
    request_body = TerminateRequest,
    responses(
        (status = 200, body = Secondment),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/secondments/{id}/terminate")]
pub async fn terminate_secondment(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Json<TerminateRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    let cmd = body.into_inner();
    let body = units::write(&state.db, move |tx| flow::terminate(&user, tx, &id, cmd)).await?;
    Ok(ok_with_etag(body.version, &body))
}

/// Approves or rejects a pending proposal for the sides the caller decides for.
async fn decided(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
    body: OptionalJson<DecisionRequest>,
    approve: bool,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    let cmd = body.or_default();
    let cx = Context::now(state.settings.clone());
    let body = units::write(&state.db, move |tx| {
        decide::decide_proposal(&user, tx, &cx, &id, approve, cmd)
    })
    .await?;
    Ok(ok_with_etag(body.version, &body))
}

/// Approves the pending proposal for every side the director covers.
#[utoipa::path(
    tag = "approvals",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Secondment id")),
    request_body(content = Option<DecisionRequest>, description = "Optional"),
    responses(
        (status = 200, body = Secondment),
        (status = 403, description = "Not a director of a side, or the request is about the director", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not pending, or already decided", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/secondments/{id}/approve")]
pub async fn approve_secondment(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: OptionalJson<DecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    decided(state, user, path, body, true).await
}

/// Rejects the pending proposal; the secondment becomes `rejected`.
#[utoipa::path(
    tag = "approvals",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Secondment id")),
    request_body(content = Option<DecisionRequest>, description = "Optional"),
    responses(
        (status = 200, body = Secondment),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/secondments/{id}/reject")]
pub async fn reject_secondment(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: OptionalJson<DecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    decided(state, user, path, body, false).await
}

/// The secondment's timeline: every change, decision and unit merge.
#[utoipa::path(
    tag = "secondments",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Secondment id"), PageQuery),
    responses(
        (status = 200, body = Page<HistoryEntry>),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/secondments/{id}/history")]
pub async fn secondment_history(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    page: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    let window = page.window()?;
    let page = units::read(&state.db, move |tx| {
        history::history(&user, tx, &id, window)
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Options of a manual tick.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TickRequest {
    /// Run as if today were this date (only with scheduler.allow_date_override).
    pub date: Option<Day>,
    /// Report what would change without changing it.
    #[serde(default)]
    pub dry_run: bool,
}

/// What the tick did.
#[derive(Debug, Serialize, ToSchema)]
pub struct TickResponse {
    /// The day it ran for.
    pub date: NaiveDate,
    /// Whether nothing was written.
    pub dry_run: bool,
    /// The changes.
    #[serde(flatten)]
    pub summary: TickSummary,
    /// The dispatcher round that followed.
    pub emails: crate::mail::dispatcher::DispatchSummary,
}

/// Runs the daily tick now (administrators).
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    request_body(content = Option<TickRequest>, description = "Optional"),
    responses(
        (status = 200, body = TickResponse),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another process is running the tick", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A date was given but overrides are disabled", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/tick")]
pub async fn run_tick(
    user: AuthUser,
    state: web::Data<AppState>,
    body: OptionalJson<TickRequest>,
) -> Result<HttpResponse, ApiError> {
    permissions::require_admin(&user)?;
    let b = body.or_default();
    let date = match b.date {
        Some(d) if state.settings.scheduler.allow_date_override => d.plain(),
        Some(_) => {
            return Err(ApiError::PolicyViolation {
                rule: "date_override_disabled".into(),
                detail: "This service runs the tick only for today (scheduler.allow_date_override is false).".into(),
            })
        }
        None => state.today(),
    };
    let dry_run = b.dry_run;
    let worker = state.worker.clone();
    let (run, emails) = actix_web::web::block(move || worker.run_once(Some(date), dry_run))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(crate::app::AppError::from)?;
    let TickRun::Ran(summary) = run else {
        return Err(ApiError::Conflict(
            "The daily tick is running in another process; try again when it has finished.".into(),
        ));
    };
    Ok(HttpResponse::Ok().json(TickResponse {
        date,
        dry_run,
        summary,
        emails,
    }))
}
