//! `GET /api/v1/audit`: the append-only log, read-only (`app::audit`). No
//! route updates or deletes it, and the database refuses to.

use actix_web::{get, web, HttpResponse};

use super::common::Page;
use super::input::Query;
use super::problem::{ApiError, Problem};
use crate::app::audit::{self, AuditEntry, AuditQuery};
use crate::app::{units, Context};
use crate::auth::AuthUser;
use crate::state::AppState;

/// The audit trail, oldest first. Administrators read all of it; HR
/// officers the entries about records in their scope: secondments with
/// their home or host unit in it (and everything in their history),
/// officials of its units, its users and the units themselves.
#[utoipa::path(
    tag = "audit",
    security(("bearer" = [])),
    params(AuditQuery),
    responses(
        (status = 200, body = Page<AuditEntry>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/audit")]
pub async fn list_audit(
    user: AuthUser,
    state: web::Data<AppState>,
    query: Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    let cx = Context::now(state.settings.clone());
    let q = query.into_inner();
    let page = units::lagging(&state.db, move |tx| audit::list(&user, tx, &cx, q)).await?;
    Ok(HttpResponse::Ok().json(page))
}
