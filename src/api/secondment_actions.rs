//! State changes of a secondment, the directors' decisions, its history,
//! and the daily tick.

use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::common::{self, ok_with_etag, Page, PageQuery};
use super::fields::{Comment, Day, Plain, Reason, Reference};
use super::input::{Json, OptionalJson, Query};
use super::problem::{ApiError, Problem};
use super::refs::{Refs, UserRef};
use super::secondments::{full, Secondment};
use super::validate::{check_len, finish};
use crate::auth::{permissions, AuthUser};
use crate::domain::history::changed_fields;
use crate::domain::user::Role;
use crate::scheduler::TickRun;
use crate::state::AppState;
use crate::store::audit;
use crate::store::names::Wanted;
use crate::store::secondment_flow::{self, Decision, TickSummary};
use crate::store::secondments::{self, SecondmentError, SecondmentRow};
use crate::store::{all_or_nothing, DbConnection};

/// A reason, for cancel.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelRequest {
    /// Why it is withdrawn.
    pub reason: Reason,
}

/// A reason and the last day served, for terminate.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TerminateRequest {
    /// Why it ends early.
    pub reason: Reason,
    /// The last day served.
    pub actual_end_date: Day,
}

/// A director's decision.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// A comment recorded with the decision.
    pub comment: Option<Comment>,
    /// The decision's number, recorded by the approval that completes the
    /// request (on the secondment for a proposal, on the extension for an
    /// extension).
    pub decision_ref: Option<Reference>,
    /// The day of the decision when it was taken earlier than recorded:
    /// not before the request, not after today.
    pub decided_on: Option<Day>,
}

/// One event of a secondment's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    /// When (UTC).
    pub at: DateTime<Utc>,
    /// Who (user id); `null` for the system (the daily tick, a merge by the loader).
    pub actor_id: Option<String>,
    /// Who, named; `null` for the system.
    pub actor: Option<UserRef>,
    /// What happened, e.g. `secondment.submit`, `approval.approved`,
    /// `secondment.unit_merged`.
    pub action: String,
    /// The changed fields as they were; `null` for a creation.
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// The changed fields as they became (with `detail`: sides, comments,
    /// the merged unit); the whole record for a creation.
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

type Outcome = Result<SecondmentRow, SecondmentError>;

/// Runs one flow function for the caller; the secondment as it became.
async fn flow_secondment(
    state: &web::Data<AppState>,
    user: AuthUser,
    as_decider: bool,
    flow: impl FnOnce(&mut DbConnection, &AuthUser, &secondments::Viewer) -> Outcome + Send + 'static,
) -> Result<Secondment, ApiError> {
    let today = state.today();
    state
        .db
        .write(move |conn| {
            let viewer = if as_decider {
                super::caller::decider(conn, &user, today)?
            } else {
                super::caller::viewer(conn, &user)?
            };
            Ok(
                match all_or_nothing(conn, |conn| flow(conn, &user, &viewer))? {
                    Ok(row) => full(conn, &row.id).map_err(ApiError::from),
                    Err(e) => Err(ApiError::from(e)),
                },
            )
        })
        .await?
}

/// Wraps a flow so it first checks visibility (404), then the role (403).
fn guarded(
    roles: &'static [Role],
    id: String,
    flow: impl FnOnce(&mut DbConnection, &AuthUser, &secondments::Viewer, &str) -> Outcome
        + Send
        + 'static,
) -> impl FnOnce(&mut DbConnection, &AuthUser, &secondments::Viewer) -> Outcome + Send + 'static {
    move |conn, user, viewer| {
        secondments::find_visible(conn, viewer, &id)?;
        if !roles.contains(&user.role) {
            return Err(SecondmentError::Forbidden(format!(
                "The role {} may not do this.",
                user.role.as_str()
            )));
        }
        flow(conn, user, viewer, &id)
    }
}

const HR: &[Role] = &[Role::Admin, Role::HrOfficer];
/// Directors decide; an HR officer may decide as a director's delegate.
const DIRECTOR_OR_DELEGATE: &[Role] = &[Role::Director, Role::HrOfficer];

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
    let body = submit(&state, user, common::parse_id(&path)?).await?;
    Ok(ok_with_etag(body.version, &body))
}

/// Sends a draft for approval: the API's submit and the console's button.
pub(crate) async fn submit(
    state: &web::Data<AppState>,
    user: AuthUser,
    id: String,
) -> Result<Secondment, ApiError> {
    let actor = user.actor();
    let policy = state.settings.policy.rules();
    flow_secondment(
        state,
        user,
        false,
        guarded(HR, id, move |conn, _, viewer, id| {
            secondment_flow::submit(conn, &actor, viewer, &policy, id)
        }),
    )
    .await
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
    let body = cancel(&state, user, common::parse_id(&path)?, body.into_inner()).await?;
    Ok(ok_with_etag(body.version, &body))
}

/// Withdraws a secondment: the API's cancel and the console's form.
pub(crate) async fn cancel(
    state: &web::Data<AppState>,
    user: AuthUser,
    id: String,
    b: CancelRequest,
) -> Result<Secondment, ApiError> {
    let reason = b.reason.trim().to_string();
    let mut errors = Vec::new();
    check_len("reason", &reason, 1, 4000, &mut errors);
    finish(errors)?;
    let actor = user.actor();
    flow_secondment(
        state,
        user,
        false,
        guarded(HR, id, move |conn, _, viewer, id| {
            secondment_flow::cancel(conn, &actor, viewer, id, &reason)
        }),
    )
    .await
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
    let body = terminate(&state, user, common::parse_id(&path)?, body.into_inner()).await?;
    Ok(ok_with_etag(body.version, &body))
}

/// Ends an active secondment early: the API's terminate and the console's
/// form.
pub(crate) async fn terminate(
    state: &web::Data<AppState>,
    user: AuthUser,
    id: String,
    b: TerminateRequest,
) -> Result<Secondment, ApiError> {
    let reason = b.reason.trim().to_string();
    let mut errors = Vec::new();
    check_len("reason", &reason, 1, 4000, &mut errors);
    finish(errors)?;
    let actor = user.actor();
    flow_secondment(
        state,
        user,
        false,
        guarded(HR, id, move |conn, _, viewer, id| {
            secondment_flow::terminate(conn, &actor, viewer, id, &reason, b.actual_end_date.plain())
        }),
    )
    .await
}

async fn decide(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
    body: OptionalJson<DecisionRequest>,
    approve: bool,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    let body = decide_proposal(&state, user, id, approve, body.or_default()).await?;
    Ok(ok_with_etag(body.version, &body))
}

/// A director's decision on a pending proposal, for every side they
/// cover: the API's approve and reject and the console's forms.
pub(crate) async fn decide_proposal(
    state: &web::Data<AppState>,
    user: AuthUser,
    id: String,
    approve: bool,
    b: DecisionRequest,
) -> Result<Secondment, ApiError> {
    let decision = Decision {
        approve,
        comment: b
            .comment
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty()),
        decision_ref: b
            .decision_ref
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty()),
        today: state.today(),
        decided_on: b.decided_on.plain(),
    };
    let actor = user.actor();
    let sides = state.settings.policy.approval_sides.clone();
    let templates = state.settings.milestones.templates.clone();
    let policy = state.settings.policy.rules();
    flow_secondment(
        state,
        user,
        true,
        guarded(DIRECTOR_OR_DELEGATE, id, move |conn, _, viewer, id| {
            secondment_flow::decide_proposal(
                conn, &actor, viewer, &sides, &templates, &policy, id, &decision,
            )
        }),
    )
    .await
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
    decide(state, user, path, body, true).await
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
    decide(state, user, path, body, false).await
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
    let after_id = match &window.after {
        Some(key) => Some(
            key.parse::<i64>()
                .map_err(|_| ApiError::invalid_field("cursor", "is not a cursor of this list"))?,
        ),
        None => None,
    };
    let limit = window.fetch();
    let (events, names) = history_events(&state, user, id, after_id, limit).await?;
    let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
    let page = window.page(
        events,
        |e| e.id.to_string(),
        |e| {
            let (before, after) = changed_fields(parse(e.before_json), parse(e.after_json));
            HistoryEntry {
                at: e.occurred_at.and_utc(),
                actor: e.actor_id.as_deref().map(|u| names.user_ref(u)),
                actor_id: e.actor_id,
                action: e.action,
                before,
                after,
            }
        },
    );
    Ok(HttpResponse::Ok().json(page))
}

/// The audit events of a secondment the caller may see (404 otherwise),
/// oldest first, with their actors' names: the API's history and the
/// console's timeline.
pub(crate) async fn history_events(
    state: &web::Data<AppState>,
    user: AuthUser,
    id: String,
    after_id: Option<i64>,
    limit: i64,
) -> Result<(Vec<audit::AuditEvent>, crate::store::names::Names), ApiError> {
    state
        .db
        .read(move |conn| {
            let viewer = super::caller::viewer(conn, &user)?;
            match secondments::find_visible(conn, &viewer, &id) {
                Ok(_) => {}
                Err(SecondmentError::Store(e)) => return Err(e),
                Err(_) => return Ok(None),
            }
            let events = audit::history(conn, &id, after_id, limit)?;
            let mut wanted = Wanted::default();
            for e in &events {
                wanted.user(e.actor_id.as_deref());
                // A merger's history line names the old and the new unit.
                if e.action == "secondment.unit_merged" {
                    let after: serde_json::Value = e
                        .after_json
                        .as_deref()
                        .and_then(|a| serde_json::from_str(a).ok())
                        .unwrap_or_default();
                    for key in ["merged_unit_id", "successor_id"] {
                        if let Some(unit) = after["detail"][key].as_str() {
                            wanted.unit(unit);
                        }
                    }
                }
            }
            let names = wanted.load(conn)?;
            Ok(Some((events, names)))
        })
        .await?
        .ok_or_else(|| ApiError::NotFound("The resource does not exist.".into()))
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
        .map_err(|e| ApiError::Internal(e.to_string()))??;
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
