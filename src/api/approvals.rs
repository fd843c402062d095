//! `GET /approvals/pending`: the requests waiting for a director (or for
//! the directors they stand in for), with what is needed to decide them.

use actix_web::{get, web, HttpResponse};

use super::common::{Page, PageQuery};
use super::input::Query;
use super::problem::{ApiError, Problem};
use crate::app::approvals;
pub use crate::app::approvals::PendingRequest;
use crate::app::{units, Context};
use crate::auth::AuthUser;
use crate::state::AppState;

/// Requests waiting for the caller's decision, or for the directors they
/// stand in for.
#[utoipa::path(tag = "approvals", security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = Page<PendingRequest>), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/approvals/pending")]
pub async fn list_pending_approvals(
    user: AuthUser,
    state: web::Data<AppState>,
    page: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let window = page.window()?;
    let cx = Context::now(state.settings.clone());
    let page = units::read(&state.db, move |tx| {
        approvals::pending(&user, tx, &cx, window)
    })
    .await?;
    Ok(HttpResponse::Ok().json(page))
}
