//! Outcomes and the final evaluation.

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};

use super::common::{self, ok_with_etag, Page, PageQuery};
use super::input::{Json, Query};
use super::problem::{ApiError, Problem};
/// Where the handlers of secondments, not yet moved, find it.
pub use crate::app::outcomes::Evaluation;
use crate::app::outcomes::{self, CreateEvaluation, CreateOutcome, Outcome, UpdateOutcome};
use crate::app::units;
use crate::auth::AuthUser;
use crate::state::AppState;

/// Outcomes of a secondment.
#[utoipa::path(tag = "outcomes", security(("bearer" = [])),
    params(("id" = String, Path, description = "Secondment id"), PageQuery),
    responses((status = 200, body = Page<Outcome>), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/secondments/{id}/outcomes")]
pub async fn list_outcomes(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    page: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    let window = page.window()?;
    let rows = units::read(&state.db, move |tx| outcomes::of_secondment(&user, tx, &id)).await?;
    Ok(HttpResponse::Ok().json(window.page_sorted(
        rows,
        |o| format!("{}|{}", o.occurred_on, o.id),
        |o| o,
    )))
}

/// Logs an outcome of an active secondment (the seconded official or HR).
#[utoipa::path(tag = "outcomes", security(("bearer" = [])),
    params(("id" = String, Path, description = "Secondment id")),
    request_body = CreateOutcome,
    responses((status = 201, body = Outcome),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The secondment is not active", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/secondments/{id}/outcomes")]
pub async fn create_outcome(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Json<CreateOutcome>,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    let cmd = body.into_inner();
    let o = units::write(&state.db, move |tx| outcomes::create(&user, tx, &id, cmd)).await?;
    Ok(common::created(
        format!("/api/v1/outcomes/{}", o.id),
        o.version,
        &o,
    ))
}

/// One outcome, with its `ETag`.
#[utoipa::path(tag = "outcomes", security(("bearer" = [])),
    params(("id" = String, Path, description = "Outcome id")),
    responses((status = 200, body = Outcome, headers(("ETag" = String, description = "Version for If-Match")))))]
#[get("/outcomes/{id}")]
pub async fn get_outcome(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    let o = units::read(&state.db, move |tx| outcomes::find(&user, tx, &id)).await?;
    Ok(ok_with_etag(o.version, &o))
}

/// Changes an outcome; needs `If-Match`.
#[utoipa::path(tag = "outcomes", security(("bearer" = [])),
    params(("id" = String, Path, description = "Outcome id"), ("If-Match" = String, Header, description = "ETag")),
    request_body = UpdateOutcome,
    responses((status = 200, body = Outcome),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json")))]
#[patch("/outcomes/{id}")]
pub async fn update_outcome(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Json<UpdateOutcome>,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    let version = common::expected(&req)?.version();
    let cmd = body.into_inner();
    let o = units::write(&state.db, move |tx| {
        outcomes::update(&user, tx, &id, version, cmd)
    })
    .await?;
    Ok(ok_with_etag(o.version, &o))
}

/// Deletes an outcome (kept in the audit log).
#[utoipa::path(tag = "outcomes", security(("bearer" = [])),
    params(("id" = String, Path, description = "Outcome id")),
    responses((status = 204, description = "Deleted"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json")))]
#[delete("/outcomes/{id}")]
pub async fn delete_outcome(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    units::write(&state.db, move |tx| outcomes::delete(&user, tx, &id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A host-side director acknowledges an outcome.
#[utoipa::path(tag = "outcomes", security(("bearer" = [])),
    params(("id" = String, Path, description = "Outcome id")),
    responses((status = 200, body = Outcome),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already acknowledged", body = Problem, content_type = "application/problem+json")))]
#[post("/outcomes/{id}/acknowledge")]
pub async fn acknowledge_outcome(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    let o = units::write(&state.db, move |tx| outcomes::acknowledge(&user, tx, &id)).await?;
    Ok(ok_with_etag(o.version, &o))
}

/// Records the final evaluation of a completed secondment (a host-side
/// director, once).
#[utoipa::path(tag = "outcomes", security(("bearer" = [])),
    params(("id" = String, Path, description = "Secondment id")),
    request_body = CreateEvaluation,
    responses((status = 201, body = Evaluation),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not completed, or already evaluated", body = Problem, content_type = "application/problem+json")))]
#[post("/secondments/{id}/evaluation")]
pub async fn evaluate_secondment(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Json<CreateEvaluation>,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    let cmd = body.into_inner();
    let evaluation =
        units::write(&state.db, move |tx| outcomes::evaluate(&user, tx, &id, cmd)).await?;
    Ok(HttpResponse::Created().json(evaluation))
}
