//! `POST /api/v1/me/password` (the owner's change) and
//! `POST /api/v1/users/{id}/password-reset` (an administrator's reset):
//! `app::passwords`, decision 0039. The per-address budget is the door's.

use actix_web::{post, web, HttpRequest, HttpResponse};

use super::caller::OwnAccount;
use super::common;
use super::input::Json;
use super::problem::{ApiError, Problem};
use crate::app::passwords::{self, ChangePassword, OneTimePassword};
use crate::app::{password_work, units, Context};
use crate::auth::AuthUser;
use crate::state::AppState;

/// Changes the caller's password; every other session of the caller ends.
/// Allowed, unlike nearly every other route, while the account must
/// change its password.
#[utoipa::path(
    tag = "auth",
    request_body = ChangePassword,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Changed; the caller's other sessions are signed out"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The current password is wrong (policy-violation, rule wrong_current_password), or the new one breaks the rules (validation, errors name new_password)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong passwords for the account, or the address is over its budget; see Retry-After", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/password")]
pub async fn change_my_password(
    req: HttpRequest,
    OwnAccount(user): OwnAccount,
    state: web::Data<AppState>,
    body: Json<ChangePassword>,
) -> Result<HttpResponse, ApiError> {
    state.check_auth_budget(&req)?;
    let ip = state.client_ip(&req).map(|i| i.to_string());
    let cx = Context::now(state.settings.clone());
    passwords::change_own(&state.db, cx, user, body.into_inner(), ip).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Resets another account's password (administrators): answers a one-time
/// password, shown only here; the user's sessions end and their next
/// sign-in must choose a new password.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "User id")),
    responses(
        (status = 200, body = OneTimePassword, headers(("Cache-Control" = String, description = "no-store"))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an administrator, or the caller's own account", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users/{id}/password-reset")]
pub async fn reset_password(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    // The role before the id.
    crate::auth::permissions::require_admin(&user)?;
    let id = common::parse_id(&path)?;
    passwords::check_reset(&user, &id)?;
    let one_time_password = passwords::one_time_password();
    let hash = password_work::hash(one_time_password.clone()).await?;
    units::write(&state.db, move |tx| passwords::reset(&user, tx, &id, &hash)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(OneTimePassword { one_time_password }))
}
