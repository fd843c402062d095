//! Extension requests: `/secondments/{id}/extensions` and `/extensions/{id}/*`.

use actix_web::http::header;
use actix_web::{get, post, web, HttpResponse};

use super::common::{self, Page, PageQuery};
use super::fields::Plain;
use super::input::{Json, OptionalJson, Query};
use super::problem::{ApiError, Problem};
use super::secondment_actions::DecisionRequest;
use crate::app::extensions::{self, CreateExtension, Verdict};
/// Where the handlers of secondments and approvals, not yet moved, find them.
pub use crate::app::extensions::{named_extensions, Extension};
use crate::app::{units, Context};
use crate::auth::AuthUser;
use crate::state::AppState;

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
    let rows = units::read(&state.db, move |tx| {
        extensions::of_secondment(&user, tx, &id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(window.page_sorted(rows, |e| e.id.clone(), |e| e)))
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
    let (ext, changed) = units::read(&state.db, move |tx| extensions::find(&user, tx, &id)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, format!("\"{changed}\"")))
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
    let id = common::parse_id(&path)?;
    let cmd = body.into_inner();
    let cx = Context::now(state.settings.clone());
    let ext = units::write(&state.db, move |tx| {
        extensions::request(&user, tx, &cx, &id, cmd)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/extensions/{}", ext.id)))
        .json(ext))
}

/// The decision a director's request body states.
fn verdict(approve: bool, b: DecisionRequest) -> Verdict {
    Verdict {
        approve,
        comment: b.comment.plain(),
        decision_ref: b.decision_ref.plain(),
        decided_on: b.decided_on.plain(),
    }
}

async fn decide(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<String>,
    body: OptionalJson<DecisionRequest>,
    approve: bool,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    let verdict = verdict(approve, body.or_default());
    let cx = Context::now(state.settings.clone());
    let ext = units::write(&state.db, move |tx| {
        extensions::decide(&user, tx, &cx, &id, verdict)
    })
    .await?;
    Ok(HttpResponse::Ok().json(ext))
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
    let id = common::parse_id(&path)?;
    let ext = units::write(&state.db, move |tx| extensions::withdraw(&user, tx, &id)).await?;
    Ok(HttpResponse::Ok().json(ext))
}
