//! `POST /api/v1/me/password` (the owner's change) and
//! `POST /api/v1/users/{id}/password-reset` (an administrator's reset).
//! The console's forms call [`change_own`] and [`reset`]. Decision 0039.

use actix_web::{post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::{check_ip_budget, client_ip};
use super::caller::OwnAccount;
use super::problem::{ApiError, FieldError, Problem};
use super::validate::finish;
use super::{argon, common};
use crate::auth::session::{self, Account, LoginVerdict};
use crate::auth::{password, permissions, AuthUser, Denied};
use crate::domain::user::check_password_policy;
use crate::state::AppState;
use crate::store::{now_utc, passwords, StoreError};

/// The owner's password change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    /// The password in use now.
    #[schema(max_length = 1024)]
    pub current_password: String,
    /// At least 12 characters, not the email, not the current password.
    #[schema(min_length = 12, max_length = 1024)]
    pub new_password: String,
}

/// The rule a wrong `current_password` breaks (422 policy-violation).
pub const WRONG_CURRENT_PASSWORD: &str = "wrong_current_password";

/// A password chosen by the service after a reset.
#[derive(Debug, Serialize, ToSchema)]
pub struct OneTimePassword {
    /// Shown only in this answer (stored as a hash); the user must choose
    /// a new password when signing in with it.
    pub one_time_password: String,
}

/// Changes the caller's own password: checks the current one (a wrong one
/// counts towards the account's sign-in lockout), applies the rules of a
/// new account's password, stores it, and ends every other session of the
/// caller; the session the change came from stays signed in.
pub(crate) async fn change_own(
    state: &web::Data<AppState>,
    user: AuthUser,
    body: ChangePassword,
    ip: Option<String>,
) -> Result<(), ApiError> {
    let settings = state.settings.auth.clone();
    let since = now_utc() - session::lockout_window(&settings);
    let max = settings.lockout_max_failures;
    let id = user.id.clone();
    let (account, failures) = state
        .db
        .read(move |conn| passwords::change_facts(conn, &id, since, max))
        .await
        .map_err(|e| match e {
            StoreError::NotFound => ApiError::Unauthorized("The account no longer exists.".into()),
            other => other.into(),
        })?;
    let stored = Account {
        id: account.id.clone(),
        password_hash: account.password_hash.clone(),
        disabled: account.disabled,
    };
    let current = body.current_password.clone();
    let verdict = argon::run(move || {
        session::judge_login(&settings, &failures, Some(&stored), &current, now_utc())
    })
    .await?;
    let mut errors = Vec::new();
    // A wrong current password is a refusal by a rule (JSON Schema cannot
    // say which string is the password), told before anything about the
    // new one.
    match verdict {
        LoginVerdict::Locked(secs) => {
            return Err(ApiError::RateLimited {
                detail: "Too many wrong passwords for this account; wait before trying again."
                    .into(),
                retry_after_secs: secs,
            })
        }
        LoginVerdict::Refused(_) => {
            let (actor, row) = (user.actor(), account.clone());
            state
                .db
                .write(move |conn| {
                    passwords::record_change_refused(conn, &actor, &row, ip.as_deref())
                })
                .await?;
            return Err(ApiError::PolicyViolation {
                rule: WRONG_CURRENT_PASSWORD.into(),
                detail: "current_password is not the account's current password.".into(),
            });
        }
        LoginVerdict::Accepted => {
            if body.new_password == body.current_password {
                errors.push(FieldError::new(
                    "new_password",
                    "must differ from the current password",
                ));
            }
        }
    }
    if let Err(m) = check_password_policy(&body.new_password, &account.email) {
        errors.push(FieldError::new("new_password", m));
    }
    finish(errors)?;
    let new_password = body.new_password;
    let hash = argon::run(move || password::hash_password(&new_password))
        .await?
        .map_err(ApiError::Internal)?;
    let actor = user.actor();
    let keep = user.session_id.clone();
    state
        .db
        .write(move |conn| passwords::change_own(conn, &actor, &user.id, &hash, keep.as_deref()))
        .await?;
    Ok(())
}

/// An administrator's reset of another account: a generated one-time
/// password (returned once), every session of the user ended, and a new
/// password required at the next sign-in. Administrators change their
/// own password with `POST /me/password` instead. Also answers the
/// account's email, for the console's page.
pub(crate) async fn reset(
    state: &web::Data<AppState>,
    admin: AuthUser,
    user_id: String,
) -> Result<(OneTimePassword, String), ApiError> {
    permissions::require_admin(&admin)?;
    if user_id == admin.id {
        return Err(Denied(
            "Change your own password with POST /api/v1/me/password; a reset is for others.".into(),
        )
        .into());
    }
    let one_time = password::generate_password();
    let secret = one_time.clone();
    let hash = argon::run(move || password::hash_password(&secret))
        .await?
        .map_err(ApiError::Internal)?;
    let actor = admin.actor();
    let row = state
        .db
        .write(move |conn| passwords::reset(conn, &actor, &user_id, &hash))
        .await?;
    let answer = OneTimePassword {
        one_time_password: one_time,
    };
    Ok((answer, row.email))
}

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
    caller: OwnAccount,
    state: web::Data<AppState>,
    body: super::input::Json<ChangePassword>,
) -> Result<HttpResponse, ApiError> {
    check_ip_budget(&state, &req)?;
    let ip = client_ip(&state, &req).map(|i| i.to_string());
    change_own(&state, caller.0, body.into_inner(), ip).await?;
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
    permissions::require_admin(&user)?;
    let id = common::parse_id(&path)?;
    let (answer, _) = reset(&state, user, id).await?;
    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(answer))
}
