//! `/api/v1/users`: accounts, administrators only (`app::users`). A new
//! password is hashed before the unit of work that stores it.

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};

use super::common::{self, ok_with_etag, Page};
use super::input::{Json, Query};
use super::problem::{ApiError, Problem};
use crate::app::users::{self, CreateUser, UpdateUser, User, UserQuery};
use crate::app::{password_work, units};
use crate::auth::{permissions, AuthUser};
use crate::state::AppState;

/// Creates an account (administrators).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    request_body = CreateUser,
    responses(
        (status = 201, body = User),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Email already used", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users")]
pub async fn create_user(
    user: AuthUser,
    state: web::Data<AppState>,
    body: Json<CreateUser>,
) -> Result<HttpResponse, ApiError> {
    let account = users::check_new(&user, body.into_inner())?;
    let hash = password_work::hash(account.password()).await?;
    let created =
        units::write(&state.db, move |tx| users::create(&user, tx, account, hash)).await?;
    Ok(common::created(
        format!("/api/v1/users/{}", created.id),
        created.version,
        &created,
    ))
}

/// Lists accounts (administrators).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(UserQuery),
    responses(
        (status = 200, body = Page<User>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users")]
pub async fn list_users(
    user: AuthUser,
    state: web::Data<AppState>,
    query: Query<UserQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let page = units::read(&state.db, move |tx| users::list(&user, tx, q)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One account (administrators).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "User id")),
    responses(
        (status = 200, body = User, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users/{id}")]
pub async fn get_user(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    // The role before the id.
    permissions::require_admin(&user)?;
    let id = common::parse_id(&path)?;
    let account = units::read(&state.db, move |tx| users::find(&user, tx, &id)).await?;
    Ok(ok_with_etag(account.version, &account))
}

/// Changes an account (administrators); needs `If-Match`.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "User id"),
        ("If-Match" = String, Header, description = "ETag from the last GET"),
    ),
    request_body = UpdateUser,
    responses(
        (status = 200, body = User),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/users/{id}")]
pub async fn update_user(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Json<UpdateUser>,
) -> Result<HttpResponse, ApiError> {
    // The role before the id and the If-Match header.
    permissions::require_admin(&user)?;
    let id = common::parse_id(&path)?;
    let version = common::expected(&req)?.version();
    let change = users::check_change(&user, &id, body.into_inner())?;
    let hash = match change.new_password() {
        Some(p) => Some(password_work::hash(p).await?),
        None => None,
    };
    let account = units::write(&state.db, move |tx| {
        users::update(&user, tx, &id, version, change, hash)
    })
    .await?;
    Ok(ok_with_etag(account.version, &account))
}
