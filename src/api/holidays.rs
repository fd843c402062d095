//! `/api/v1/holidays`: public holidays (`app::holidays`; everyone reads,
//! administrators write).

use actix_web::{delete, get, post, web, HttpResponse};

use super::common::Page;
use super::input::{Json, Query};
use super::problem::{ApiError, Problem};
use crate::app::holidays::{self, Holiday, HolidayQuery, NewHoliday};
use crate::app::units;
use crate::auth::AuthUser;
use crate::state::AppState;

/// Public holidays in date order.
#[utoipa::path(tag = "holidays", security(("bearer" = [])), params(HolidayQuery),
    responses((status = 200, body = Page<Holiday>), (status = 401, body = Problem, content_type = "application/problem+json")))]
#[get("/holidays")]
pub async fn list_holidays(
    user: AuthUser,
    state: web::Data<AppState>,
    query: Query<HolidayQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let page = units::read(&state.db, move |tx| holidays::list(&user, tx, q)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Adds a holiday (administrators); reminders falling on it move to the
/// working day before.
#[utoipa::path(tag = "holidays", security(("bearer" = [])), request_body = NewHoliday,
    responses((status = 201, body = Holiday),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already a holiday", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/holidays")]
pub async fn create_holiday(
    user: AuthUser,
    state: web::Data<AppState>,
    body: Json<NewHoliday>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let added = units::write(&state.db, move |tx| holidays::add(&user, tx, b)).await?;
    Ok(HttpResponse::Created().json(added))
}

/// Removes a holiday (administrators).
#[utoipa::path(tag = "holidays", security(("bearer" = [])),
    params(("date" = String, Path, description = "The day, YYYY-MM-DD")),
    responses((status = 204, description = "Removed"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
#[delete("/holidays/{date}")]
pub async fn delete_holiday(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let day = path.into_inner();
    units::write(&state.db, move |tx| holidays::remove(&user, tx, &day)).await?;
    Ok(HttpResponse::NoContent().finish())
}
