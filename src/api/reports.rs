//! `/api/v1/reports`: the summary and the outcomes per pillar
//! (`app::reports`), read from the replica when there is one.

use actix_web::{get, web, HttpResponse};

use super::input::Query;
use super::problem::{ApiError, Problem};
use crate::app::reports::{self, OutcomesQuery, OutcomesReport, Summary, SummaryQuery};
use crate::app::{units, Context};
use crate::auth::AuthUser;
use crate::state::AppState;

/// Counts by kind, status, direction and host province, and postings
/// ending soon, within the caller's scope (administrators: everything;
/// HR officers and directors: secondments with either side in their unit's
/// subtree).
#[utoipa::path(
    tag = "reports",
    security(("bearer" = [])),
    params(SummaryQuery),
    responses(
        (status = 200, body = Summary),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports/summary")]
pub async fn summary(
    user: AuthUser,
    state: web::Data<AppState>,
    query: Query<SummaryQuery>,
) -> Result<HttpResponse, ApiError> {
    let (query, cx) = (query.into_inner(), Context::now(state.settings.clone()));
    let body = units::lagging(&state.db, move |tx| reports::summary(&user, tx, &cx, query)).await?;
    Ok(HttpResponse::Ok().json(body))
}

/// Outcomes per pillar with the number of secondments they come from,
/// within the caller's scope.
#[utoipa::path(
    tag = "reports",
    security(("bearer" = [])),
    params(OutcomesQuery),
    responses(
        (status = 200, body = OutcomesReport),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports/outcomes")]
pub async fn outcomes(
    user: AuthUser,
    state: web::Data<AppState>,
    query: Query<OutcomesQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let body = units::lagging(&state.db, move |tx| reports::outcomes(&user, tx, query)).await?;
    Ok(HttpResponse::Ok().json(body))
}
