//! Delegations: `/delegations`.

use actix_web::{delete, get, post, web, HttpResponse};

use super::common::{self, Page, PageQuery};
use super::input::{Json, Query};
use super::problem::{ApiError, Problem};
use crate::app::delegations::{self, CreateDelegation, Delegation};
use crate::app::{units, Context};
use crate::auth::AuthUser;
use crate::state::AppState;

/// Hands the caller's decisions to someone for a date range (directors;
/// administrators for a director).
#[utoipa::path(tag = "approvals", security(("bearer" = [])),
    request_body = CreateDelegation,
    responses((status = 201, body = Delegation),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Overlap or chain", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/delegations")]
pub async fn create_delegation(
    user: AuthUser,
    state: web::Data<AppState>,
    body: Json<CreateDelegation>,
) -> Result<HttpResponse, ApiError> {
    let cmd = body.into_inner();
    let cx = Context::now(state.settings.clone());
    let delegation = units::write(&state.db, move |tx| {
        delegations::create(&user, tx, &cx, cmd)
    })
    .await?;
    Ok(HttpResponse::Created().json(delegation))
}

/// Delegations the caller gave or received (administrators: all).
#[utoipa::path(tag = "approvals", security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = Page<Delegation>), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/delegations")]
pub async fn list_delegations(
    user: AuthUser,
    state: web::Data<AppState>,
    page: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let window = page.window()?;
    let rows = units::read(&state.db, move |tx| delegations::list(&user, tx)).await?;
    Ok(HttpResponse::Ok().json(window.page_sorted(rows, |d| d.id.clone(), |d| d)))
}

/// Withdraws a delegation (its director or an administrator).
#[utoipa::path(tag = "approvals", security(("bearer" = [])),
    params(("id" = String, Path, description = "Delegation id")),
    responses((status = 204, description = "Withdrawn"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
#[delete("/delegations/{id}")]
pub async fn delete_delegation(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    units::write(&state.db, move |tx| delegations::withdraw(&user, tx, &id)).await?;
    Ok(HttpResponse::NoContent().finish())
}
