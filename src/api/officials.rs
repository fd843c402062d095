//! `/api/v1/officials`: the registry of officials (`app::officials`).

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};

use super::common::{self, ok_with_etag, Page};
use super::input::{Json, Query};
use super::problem::{ApiError, Problem};
use super::{export, list_exports};
use crate::app::officials::{self, CreateOfficial, Official, OfficialQuery, UpdateOfficial};
use crate::app::units;
use crate::auth::AuthUser;
use crate::state::AppState;

/// Creates an official.
#[utoipa::path(
    tag = "officials",
    security(("bearer" = [])),
    request_body = CreateOfficial,
    responses(
        (status = 201, body = Official),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not HR or admin, or the home unit is outside the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Staff code or email already used", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/officials")]
pub async fn create_official(
    user: AuthUser,
    state: web::Data<AppState>,
    body: Json<CreateOfficial>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let official = units::write(&state.db, move |tx| officials::create(&user, tx, b)).await?;
    Ok(common::created(
        format!("/api/v1/officials/{}", official.id),
        official.version,
        &official,
    ))
}

/// Lists and searches officials in the caller's scope. With `Accept:
/// text/csv` (or the XLSX media type) the whole filtered list comes as one
/// file, `limit` and `cursor` ignored; columns in docs/api.md.
#[utoipa::path(
    tag = "officials",
    security(("bearer" = [])),
    params(OfficialQuery),
    responses(
        (status = 200, description = "A page, or the whole list as a file", content(
            (Page<Official> = "application/json"),
            (String = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/officials")]
pub async fn list_officials(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    query: Query<OfficialQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let format = export::negotiate(&req);
    if format == export::Format::Json {
        let page = units::lagging(&state.db, move |tx| officials::list(&user, tx, q)).await?;
        return Ok(HttpResponse::Ok().json(page));
    }
    let filter = units::read(&state.db, move |tx| officials::export_filter(&user, tx, q)).await?;
    let rows = list_exports::officials(filter);
    export::respond(state, format, "officials", list_exports::OFFICIALS, rows).await
}

/// One official.
#[utoipa::path(
    tag = "officials",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Official id")),
    responses(
        (status = 200, body = Official, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/officials/{id:[0-9a-fA-F-]+}")]
pub async fn get_official(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    // The role before the id: a cadre learns nothing from ids.
    officials::require_registry_role(&user)?;
    let id = common::parse_id(&path)?;
    let official = units::read(&state.db, move |tx| officials::find(&user, tx, &id)).await?;
    Ok(ok_with_etag(official.version, &official))
}

/// Changes an official; needs `If-Match`.
#[utoipa::path(
    tag = "officials",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Official id"),
        ("If-Match" = String, Header, description = "ETag from the last GET"),
    ),
    request_body = UpdateOfficial,
    responses(
        (status = 200, body = Official),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/officials/{id:[0-9a-fA-F-]+}")]
pub async fn update_official(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Json<UpdateOfficial>,
) -> Result<HttpResponse, ApiError> {
    // The role before the id and the If-Match header.
    officials::require_registry_role(&user)?;
    let id = common::parse_id(&path)?;
    let version = common::expected(&req)?.version();
    let b = body.into_inner();
    let official = units::write(&state.db, move |tx| {
        officials::update(&user, tx, &id, version, b)
    })
    .await?;
    Ok(ok_with_etag(official.version, &official))
}
