//! `/api/v1/org-units`: the unit tree (`app::org_units`). Administrators
//! write; every signed-in user reads.

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};

use super::common::{self, ok_with_etag, Page};
use super::input::{Json, Query};
use super::problem::{ApiError, Problem};
use crate::app::org_units::{
    self, CreateOrgUnit, MergeRequest, MergeResponse, OrgUnit, OrgUnitQuery, UpdateOrgUnit,
};
use crate::app::{units, Context};
use crate::auth::{permissions, AuthUser};
use crate::state::AppState;

/// Creates a unit (administrators).
#[utoipa::path(
    tag = "org-units",
    security(("bearer" = [])),
    request_body = CreateOrgUnit,
    responses(
        (status = 201, body = OrgUnit),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Code already used", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/org-units")]
pub async fn create_org_unit(
    user: AuthUser,
    state: web::Data<AppState>,
    body: Json<CreateOrgUnit>,
) -> Result<HttpResponse, ApiError> {
    let cx = Context::now(state.settings.clone());
    let b = body.into_inner();
    let unit = units::write(&state.db, move |tx| org_units::create(&user, tx, &cx, b)).await?;
    Ok(common::created(
        format!("/api/v1/org-units/{}", unit.id),
        unit.version,
        &unit,
    ))
}

/// Lists units, current ones unless `include_inactive`.
#[utoipa::path(
    tag = "org-units",
    security(("bearer" = [])),
    params(OrgUnitQuery),
    responses(
        (status = 200, body = Page<OrgUnit>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/org-units")]
pub async fn list_org_units(
    user: AuthUser,
    state: web::Data<AppState>,
    query: Query<OrgUnitQuery>,
) -> Result<HttpResponse, ApiError> {
    let cx = Context::now(state.settings.clone());
    let q = query.into_inner();
    let page = units::read(&state.db, move |tx| org_units::list(&user, tx, &cx, q)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One unit, merged-away ones included.
#[utoipa::path(
    tag = "org-units",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Unit id")),
    responses(
        (status = 200, body = OrgUnit, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/org-units/{id:[0-9a-fA-F-]+}")]
pub async fn get_org_unit(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    let unit = units::read(&state.db, move |tx| org_units::find(&user, tx, &id)).await?;
    Ok(ok_with_etag(unit.version, &unit))
}

/// Changes a unit (administrators); needs `If-Match`.
#[utoipa::path(
    tag = "org-units",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Unit id"),
        ("If-Match" = String, Header, description = "ETag from the last GET"),
    ),
    request_body = UpdateOrgUnit,
    responses(
        (status = 200, body = OrgUnit),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Cycle or duplicate code", body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/org-units/{id:[0-9a-fA-F-]+}")]
pub async fn update_org_unit(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Json<UpdateOrgUnit>,
) -> Result<HttpResponse, ApiError> {
    // The role before the id and the If-Match header.
    permissions::require_admin(&user)?;
    let id = common::parse_id(&path)?;
    let version = common::expected(&req)?.version();
    let b = body.into_inner();
    let unit = units::write(&state.db, move |tx| {
        org_units::update(&user, tx, &id, version, b)
    })
    .await?;
    Ok(ok_with_etag(unit.version, &unit))
}

/// Merges units into another as of a date, in one transaction
/// (administrators).
#[utoipa::path(
    tag = "org-units",
    security(("bearer" = [])),
    request_body = MergeRequest,
    responses(
        (status = 200, body = MergeResponse),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Into itself or a descendant, already merged, or target not current", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/org-units/merge")]
pub async fn merge_org_units(
    user: AuthUser,
    state: web::Data<AppState>,
    body: Json<MergeRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let merged = units::write(&state.db, move |tx| org_units::merge(&user, tx, b)).await?;
    Ok(HttpResponse::Ok().json(merged))
}
