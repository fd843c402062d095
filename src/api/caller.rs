//! The caller of the JSON API, taken from `Authorization: Bearer <jwt>`
//! (verified here) and their current record (read by
//! `app::caller::signed_in`).

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;

use super::middleware::RequestId;
use super::ApiError;
use crate::app;
use crate::auth::AuthUser;
use crate::state::AppState;

/// Checks the bearer token; returns the user id it names and its session.
fn verified_subject(
    req: &HttpRequest,
    state: &AppState,
) -> Result<(String, Option<String>), ApiError> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| unauthorized("Sign in first: send Authorization: Bearer <access_token>."))?
        .to_str()
        .map_err(|_| unauthorized("The Authorization header is not valid text."))?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| unauthorized("The Authorization header must be Bearer <access_token>."))?;
    let claims = state.jwt.verify(token).map_err(|cause| {
        tracing::debug!(%cause, "access token refused");
        unauthorized(INVALID_TOKEN)
    })?;
    Ok((claims.sub, claims.sid))
}

use crate::app::caller::INVALID_TOKEN;

fn unauthorized(why: &str) -> ApiError {
    ApiError::Unauthorized(why.to_string())
}

/// The refusal of every request but the caller's own account while their
/// password must be changed.
pub fn password_change_required() -> ApiError {
    ApiError::PasswordChangeRequired(
        "Choose a new password first: POST /api/v1/me/password with current_password and \
         new_password."
            .into(),
    )
}

/// The caller of a request about their own account (`GET /me`,
/// `POST /me/password`, `POST /auth/logout`): also a caller who must
/// still change their password, whom every other route refuses.
pub struct OwnAccount(pub AuthUser);

impl FromRequest for OwnAccount {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let caller = authenticate(req);
        Box::pin(async move { caller.await.map(OwnAccount) })
    }
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let caller = authenticate(req);
        Box::pin(async move {
            let user = caller.await?;
            if user.must_change_password {
                return Err(password_change_required());
            }
            Ok(user)
        })
    }
}

/// The caller from the bearer token and their current record.
fn authenticate(req: &HttpRequest) -> LocalBoxFuture<'static, Result<AuthUser, ApiError>> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let subject = state
        .as_ref()
        .ok_or_else(|| ApiError::Internal("application state missing".into()))
        .and_then(|s| verified_subject(req, s));
    let request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone());
    Box::pin(async move {
        let (state, (user_id, session_id)) = match (state, subject) {
            (Some(state), Ok(subject)) => (state, subject),
            (_, Err(e)) => return Err(e),
            (None, Ok(_)) => return Err(ApiError::Internal("application state missing".into())),
        };
        let mut user =
            app::units::read(&state.db, move |tx| app::caller::signed_in(tx, &user_id)).await?;
        user.request_id = request_id;
        user.session_id = session_id;
        Ok(user)
    })
}
