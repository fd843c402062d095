//! Personal calendar feeds (`app::calendar`): `POST /me/calendar-token`
//! hands out the URL of a feed; `GET` on that URL (no bearer token:
//! calendar programs cannot send one, the token in the path is the
//! credential) returns the feed of the token's owner as their current
//! record allows.

use actix_web::{get, post, web, HttpResponse};

use super::ApiError;
use super::Problem;
use crate::app::calendar::{self, CalendarToken};
use crate::app::{units, Context};
use crate::auth::AuthUser;
use crate::state::AppState;

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
    let cx = Context::now(state.settings.clone());
    let token = units::write(&state.db, move |tx| calendar::issue_token(&user, tx, &cx)).await?;
    Ok(HttpResponse::Ok().json(token))
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
    let cx = Context::now(state.settings.clone());
    let token = path.into_inner();
    let read = cx.clone();
    let feed = units::read(&state.db, move |tx| calendar::feed(tx, &read, &token)).await?;
    let Some(feed) = feed else {
        return Err(ApiError::NotFound(
            "No calendar feed at this address: it was replaced or never existed.".into(),
        ));
    };
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header(("Cache-Control", "private, no-cache"))
        .body(feed.text(&cx)))
}
