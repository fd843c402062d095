//! The console's session and CSRF cookies. A session is a refresh-token
//! family of the API (`app::sign_in`): signing in through a form starts
//! one, the cookie holds its token, signing out or disabling the account
//! revokes it. The console never rotates it; it lives until the refresh
//! lifetime ends. Every form carries the CSRF cookie's value back
//! (double submit); a POST without it is refused with 403.

use actix_web::cookie::{time, Cookie, SameSite};
use actix_web::{web, HttpMessage, HttpRequest};

use crate::api::middleware::RequestId;
use crate::api::ApiError;
use crate::app::{sign_in, units};
use crate::auth::{tokens, AuthUser};
use crate::state::AppState;

/// Holds the session's refresh token.
pub const SESSION_COOKIE: &str = "secondments_session";
/// Holds the CSRF token every form repeats.
pub const CSRF_COOKIE: &str = "secondments_csrf";

/// The signed-in user of a console request, `None` without a live session
/// (absent, expired, signed out, revoked, or the account disabled).
pub async fn signed_in(
    state: &web::Data<AppState>,
    req: &HttpRequest,
) -> Result<Option<AuthUser>, ApiError> {
    let Some(token) = session_token(req) else {
        return Ok(None);
    };
    let found = units::read(&state.db, move |tx| sign_in::session_of(tx, &token)).await?;
    Ok(found.map(|mut user| {
        user.request_id = request_id(req);
        user
    }))
}

/// The id of this request, for the audit rows it causes.
pub fn request_id(req: &HttpRequest) -> Option<String> {
    req.extensions().get::<RequestId>().map(|r| r.0.clone())
}

/// The token of the session cookie, for signing out.
pub fn session_token(req: &HttpRequest) -> Option<String> {
    req.cookie(SESSION_COOKIE).map(|c| c.value().to_string())
}

/// The CSRF token of this browser and whether it is new (to be set).
pub fn csrf_token(req: &HttpRequest) -> (String, bool) {
    match req.cookie(CSRF_COOKIE) {
        Some(c) if c.value().len() >= 32 => (c.value().to_string(), false),
        _ => (tokens::new_refresh_token(), true),
    }
}

/// Whether a form's `csrf` value matches the browser's cookie.
pub fn csrf_ok(req: &HttpRequest, presented: Option<&str>) -> bool {
    let (Some(cookie), Some(presented)) = (req.cookie(CSRF_COOKIE), presented) else {
        return false;
    };
    let (a, b) = (cookie.value().as_bytes(), presented.as_bytes());
    a.len() >= 32 && a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

/// A console cookie: HttpOnly, SameSite=Lax, whole site, Secure when the
/// service is served over HTTPS.
pub fn cookie(state: &AppState, name: &'static str, value: String) -> Cookie<'static> {
    let secure = state.settings.server.public_url.starts_with("https://");
    Cookie::build(name, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .finish()
}

/// The session cookie removed.
pub fn cleared(state: &AppState, name: &'static str) -> Cookie<'static> {
    let mut c = cookie(state, name, String::new());
    c.set_max_age(time::Duration::ZERO);
    c
}
