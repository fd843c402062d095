//! Milestones: `/secondments/{id}/milestones`, `/milestones/{id}`.

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};

use super::common::{self, ok_with_etag, Page, PageQuery};
use super::input::{Json, OptionalJson, Query};
use super::problem::{ApiError, Problem};
use crate::app::milestones::{
    self, CompleteMilestone, CreateMilestone, Milestone, UpdateMilestone,
};
use crate::app::{units, Context};
use crate::auth::AuthUser;
use crate::state::AppState;

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
    let rows = units::read(&state.db, move |tx| {
        milestones::of_secondment(&user, tx, &id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(window.page_sorted(
        rows,
        |m| format!("{}|{}", m.due_date, m.id),
        |m| m,
    )))
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
    let m = units::read(&state.db, move |tx| milestones::find(&user, tx, &id)).await?;
    Ok(ok_with_etag(m.version, &m))
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
    let id = common::parse_id(&path)?;
    let cmd = body.into_inner();
    let m = units::write(&state.db, move |tx| milestones::create(&user, tx, &id, cmd)).await?;
    Ok(common::created(
        format!("/api/v1/milestones/{}", m.id),
        m.version,
        &m,
    ))
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
    let cmd = body.into_inner();
    let m = units::write(&state.db, move |tx| {
        milestones::update(&user, tx, &id, version, cmd)
    })
    .await?;
    Ok(ok_with_etag(m.version, &m))
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
    let id = common::parse_id(&path)?;
    let cmd = body.or_default();
    let cx = Context::now(state.settings.clone());
    let m = units::write(&state.db, move |tx| {
        milestones::complete(&user, tx, &cx, &id, cmd)
    })
    .await?;
    Ok(ok_with_etag(m.version, &m))
}
