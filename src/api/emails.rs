//! `GET /api/v1/admin/emails`: the outbox, for administrators
//! (`app::emails`).

use actix_web::{get, web, HttpResponse};

use super::common::Page;
use super::input::Query;
use super::problem::{ApiError, Problem};
pub use crate::app::emails::EmailStatus;
use crate::app::emails::{self, Email, EmailQuery};
use crate::app::units;
use crate::auth::AuthUser;
use crate::state::AppState;

/// The outbox (administrators).
#[utoipa::path(tag = "admin", security(("bearer" = [])), params(EmailQuery),
    responses((status = 200, body = Page<Email>), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/admin/emails")]
pub async fn list_emails(
    user: AuthUser,
    state: web::Data<AppState>,
    query: Query<EmailQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let page = units::read(&state.db, move |tx| emails::list(&user, tx, q)).await?;
    Ok(HttpResponse::Ok().json(page))
}
