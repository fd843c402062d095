//! Personal calendar feeds: `POST /me/calendar-token` hands out the URL of
//! a feed; `GET` on that URL (no bearer token: calendar programs cannot
//! send one, the token in the path is the credential) returns the feed of
//! the token's owner as their current record allows.

use actix_web::{get, post, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use super::caller;
use super::ApiError;
use super::Problem;
use crate::auth::tokens::{hash_token, new_refresh_token};
use crate::auth::AuthUser;
use crate::domain::calendar;
use crate::domain::user::Language;
use crate::state::AppState;
use crate::store::calendar as store;
use crate::store::users::{self, Principal};
use crate::store::StoreError;

/// The address of a personal calendar feed.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarToken {
    /// Subscribe to this URL in a calendar program. Anyone holding it reads
    /// the feed, so keep it private; asking for a new one revokes it.
    pub url: String,
}

/// A new calendar feed URL for the caller; the previous one stops working.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, body = CalendarToken),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/calendar-token")]
pub async fn issue_calendar_token(
    user: AuthUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(issue_token(&state, user).await?))
}

/// A new feed address for the caller (the previous one stops working):
/// the API's `POST` and the console's button.
pub(crate) async fn issue_token(
    state: &web::Data<AppState>,
    user: AuthUser,
) -> Result<CalendarToken, ApiError> {
    let token = new_refresh_token();
    let hash = hash_token(&token);
    let actor = user.actor();
    state
        .db
        .write(move |conn| store::issue(conn, &actor, &user.id, &hash))
        .await?;
    let base = state.settings.server.base_url();
    Ok(CalendarToken {
        url: format!("{base}/api/v1/calendar/{token}"),
    })
}

/// A calendar feed (RFC 5545): an all-day event for the end of every
/// secondment its owner can see and for each of their milestones.
#[utoipa::path(
    tag = "auth",
    params(("token" = String, Path, description = "The token from POST /me/calendar-token")),
    responses(
        (status = 200, description = "The feed", content_type = "text/calendar", body = String),
        (status = 404, description = "Unknown or revoked token, or a disabled account", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/calendar/{token}")]
pub async fn get_calendar(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let hash = hash_token(&path.into_inner());
    let tz = state.settings.tz();
    let feed = state
        .db
        .read(move |conn| {
            let Some(user_id) = store::owner(conn, &hash)? else {
                return Ok(None);
            };
            let Some((user, language)) = owner_account(conn, user_id)? else {
                return Ok(None);
            };
            let viewer = caller::viewer(conn, &user)?;
            Ok(Some((store::dated(conn, &viewer, tz)?, language)))
        })
        .await?;
    let Some((items, language)) = feed else {
        return Err(ApiError::NotFound(
            "No calendar feed at this address: it was replaced or never existed.".into(),
        ));
    };
    // A calendar program opens the console's page, not the JSON API
    // (which answers 401 to it).
    let base = state.settings.server.base_url();
    let link = |id: &str| crate::domain::links::secondment_page(&base, id);
    let text = calendar::feed(&items, language, &link, chrono::Utc::now());
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header(("Cache-Control", "private, no-cache"))
        .body(text))
}

/// The feed owner as a caller, with their language; `None` for an account
/// that is gone or disabled.
fn owner_account(
    conn: &mut crate::store::DbConnection,
    user_id: String,
) -> Result<Option<(AuthUser, Language)>, StoreError> {
    let row = match users::find(conn, &user_id) {
        Ok(row) => row,
        Err(StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e),
    };
    let language = row.language;
    let record = Principal {
        role: row.role.as_str().to_string(),
        org_unit_id: row.org_unit_id,
        official_id: row.official_id,
        disabled: row.disabled,
        must_change_password: row.must_change_password,
    };
    Ok(caller::principal(user_id, Some(record))
        .ok()
        .map(|user| (user, language)))
}
