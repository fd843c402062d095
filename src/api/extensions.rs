//! Extension requests: `/secondments/{id}/extensions` and `/extensions/{id}/*`.

use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::common::{self, Page, PageQuery};
use super::fields::{Day, Plain, Reason};
use super::input::{Json, OptionalJson, Query};
use super::problem::{ApiError, Problem};
use super::refs::{Refs, UserRef};
use super::secondment_actions::DecisionRequest;
use super::secondments::{as_decider, as_viewer, read_as_viewer};
use super::validate::{check_len, finish};
use crate::auth::AuthUser;
use crate::state::AppState;
use crate::store::extensions::{self, ExtensionRow};
use crate::store::names::{Names, Wanted};
use crate::store::secondment_flow::Decision;
use crate::store::secondments::{find_visible, SecondmentError};
use crate::store::{DbConnection, StoreError};

/// An extension request.
#[derive(Debug, Serialize, ToSchema)]
pub struct Extension {
    /// Identifier.
    pub id: String,
    /// The secondment.
    pub secondment_id: String,
    /// Who asked.
    pub requested_by: UserRef,
    /// The end date asked for.
    pub requested_end_date: NaiveDate,
    /// The end date when asked.
    pub previous_end_date: NaiveDate,
    /// Why.
    pub reason: String,
    /// `pending`, `approved`, `rejected` or `withdrawn`.
    pub status: crate::domain::extension::ExtensionStatus,
    /// Number of the decision that approved it.
    pub decision_ref: Option<String>,
    /// When decided or withdrawn (UTC).
    pub decided_at: Option<DateTime<Utc>>,
    /// Asked (UTC).
    pub created_at: DateTime<Utc>,
}

impl Extension {
    /// The request with its requester named.
    pub fn named(e: ExtensionRow, names: &Names) -> Self {
        Extension {
            requested_by: names.user_ref(&e.requested_by),
            decision_ref: e.decision_ref,
            id: e.id,
            secondment_id: e.secondment_id,
            requested_end_date: e.requested_end_date,
            previous_end_date: e.previous_end_date,
            reason: e.reason,
            status: e.status,
            decided_at: e.decided_at.map(|t| t.and_utc()),
            created_at: e.created_at.and_utc(),
        }
    }
}

/// Extension requests with their requesters named, read in one batch.
pub fn named_extensions(
    conn: &mut DbConnection,
    rows: Vec<ExtensionRow>,
) -> Result<Vec<Extension>, StoreError> {
    let mut wanted = Wanted::default();
    for e in &rows {
        wanted.user(Some(&e.requested_by));
    }
    let names = wanted.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|e| Extension::named(e, &names))
        .collect())
}

fn named_one(conn: &mut DbConnection, row: ExtensionRow) -> Result<Extension, SecondmentError> {
    named_extensions(conn, vec![row])?
        .pop()
        .ok_or(SecondmentError::NotFound)
}

/// A request to move the end date.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateExtension {
    /// The new last day (later than the current one).
    pub requested_end_date: Day,
    /// Why it is needed.
    pub reason: Reason,
}

/// Extension requests of a secondment.
#[utoipa::path(tag = "extensions", security(("bearer" = [])),
    params(("id" = String, Path, description = "Secondment id"), PageQuery),
    responses((status = 200, body = Page<Extension>), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/secondments/{id}/extensions")]
pub async fn list_extensions(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    page: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    let window = page.window()?;
    let rows = of_secondment(&state, user, id).await?;
    Ok(HttpResponse::Ok().json(window.page_sorted(rows, |e| e.id.clone(), |e| e)))
}

/// Every extension request of a secondment the caller sees, with names.
pub(crate) async fn of_secondment(
    state: &web::Data<AppState>,
    user: AuthUser,
    id: String,
) -> Result<Vec<Extension>, ApiError> {
    read_as_viewer(state, user, move |conn, _, viewer| {
        find_visible(conn, viewer, &id)?;
        let rows = extensions::for_secondment(conn, &id)?;
        Ok(named_extensions(conn, rows)?)
    })
    .await
}

/// One extension request, with an `ETag` that changes when it is decided
/// or withdrawn.
#[utoipa::path(tag = "extensions", security(("bearer" = [])),
    params(("id" = String, Path, description = "Extension id")),
    responses((status = 200, body = Extension, headers(("ETag" = String, description = "Changes with the request")))))]
#[get("/extensions/{id}")]
pub async fn get_extension(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    let (ext, changed) = read_as_viewer(&state, user, move |conn, _, viewer| {
        let row = extensions::find_extension(conn, &id).map_err(|e| match e {
            StoreError::NotFound => SecondmentError::NotFound,
            other => other.into(),
        })?;
        find_visible(conn, viewer, &row.secondment_id)?;
        let changed = row.updated_at.and_utc().timestamp_millis();
        Ok((named_one(conn, row)?, changed))
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::ETAG, format!("\"{changed}\"")))
        .json(ext))
}

/// Asks for a later end date (the seconded official or HR), while approved
/// or active; one pending request at a time; the 36-month cap applies.
#[utoipa::path(tag = "extensions", security(("bearer" = [])),
    params(("id" = String, Path, description = "Secondment id")),
    request_body = CreateExtension,
    responses((status = 201, body = Extension),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another request is pending, or the secondment is not approved or active", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not later than the current end, or over the cap", body = Problem, content_type = "application/problem+json")))]
#[post("/secondments/{id}/extensions")]
pub async fn request_extension(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Json<CreateExtension>,
) -> Result<HttpResponse, ApiError> {
    let ext = request(&state, user, common::parse_id(&path)?, body.into_inner()).await?;
    Ok(HttpResponse::Created()
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/api/v1/extensions/{}", ext.id),
        ))
        .json(ext))
}

/// Asks for a later end date: the API's request and the console's form.
pub(crate) async fn request(
    state: &web::Data<AppState>,
    user: AuthUser,
    id: String,
    b: CreateExtension,
) -> Result<Extension, ApiError> {
    let reason = b.reason.trim().to_string();
    let mut errors = Vec::new();
    check_len("reason", &reason, 1, 4000, &mut errors);
    finish(errors)?;
    let actor = user.actor();
    let policy = state.settings.policy.rules();
    as_viewer(state, user, move |conn, _, viewer| {
        let row = extensions::request(
            conn,
            &actor,
            viewer,
            &policy,
            &id,
            b.requested_end_date.plain(),
            &reason,
        )?;
        named_one(conn, row)
    })
    .await
}

async fn decide(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
    body: OptionalJson<DecisionRequest>,
    approve: bool,
) -> Result<HttpResponse, ApiError> {
    let ext = decide_extension(
        &state,
        user,
        common::parse_id(&path)?,
        approve,
        body.or_default(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(ext))
}

/// A director's decision on a pending extension, for every side they
/// cover: the API's approve and reject and the console's forms.
pub(crate) async fn decide_extension(
    state: &web::Data<AppState>,
    user: AuthUser,
    id: String,
    approve: bool,
    b: DecisionRequest,
) -> Result<Extension, ApiError> {
    let decision = Decision {
        approve,
        comment: b
            .comment
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty()),
        decision_ref: b.decision_ref.plain(),
        today: state.today(),
        decided_on: b.decided_on.plain(),
    };
    let actor = user.actor();
    let sides = state.settings.policy.approval_sides.clone();
    let policy = state.settings.policy.rules();
    let templates = state.settings.milestones.templates.clone();
    as_decider(state, user, move |conn, _, viewer| {
        let ext = extensions::find_extension(conn, &id).map_err(|e| match e {
            crate::store::StoreError::NotFound => SecondmentError::NotFound,
            other => other.into(),
        })?;
        find_visible(conn, viewer, &ext.secondment_id)?;
        if !viewer.caller().may_decide() {
            return Err(SecondmentError::Forbidden(
                "Extensions are decided by directors.".into(),
            ));
        }
        let (row, _) = extensions::decide(
            conn, &actor, viewer, &sides, &policy, &templates, &id, &decision,
        )?;
        named_one(conn, row)
    })
    .await
}

/// Approves an extension for the sides the director covers; when all sides
/// approved, the end date moves.
#[utoipa::path(tag = "extensions", security(("bearer" = [])),
    params(("id" = String, Path, description = "Extension id")),
    request_body(content = Option<DecisionRequest>, description = "Optional"),
    responses((status = 200, body = Extension),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The cap would be passed", body = Problem, content_type = "application/problem+json")))]
#[post("/extensions/{id}/approve")]
pub async fn approve_extension(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: OptionalJson<DecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    decide(state, user, path, body, true).await
}

/// Rejects an extension.
#[utoipa::path(tag = "extensions", security(("bearer" = [])),
    params(("id" = String, Path, description = "Extension id")),
    request_body(content = Option<DecisionRequest>, description = "Optional"),
    responses((status = 200, body = Extension),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json")))]
#[post("/extensions/{id}/reject")]
pub async fn reject_extension(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: OptionalJson<DecisionRequest>,
) -> Result<HttpResponse, ApiError> {
    decide(state, user, path, body, false).await
}

/// The requester withdraws a pending extension.
#[utoipa::path(tag = "extensions", security(("bearer" = [])),
    params(("id" = String, Path, description = "Extension id")),
    responses((status = 200, body = Extension),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json")))]
#[post("/extensions/{id}/withdraw")]
pub async fn withdraw_extension(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let ext = withdraw(&state, user, common::parse_id(&path)?).await?;
    Ok(HttpResponse::Ok().json(ext))
}

/// The requester withdraws a pending extension: the API's withdraw and the
/// console's button.
pub(crate) async fn withdraw(
    state: &web::Data<AppState>,
    user: AuthUser,
    id: String,
) -> Result<Extension, ApiError> {
    let actor = user.actor();
    as_viewer(state, user, move |conn, _, viewer| {
        let row = extensions::withdraw(conn, &actor, viewer, &id)?;
        named_one(conn, row)
    })
    .await
}
