//! `/api/v1/holidays`: public holidays (everyone reads, administrators write).

use actix_web::{delete, get, post, web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::common::{Page, PageWindow};
use super::fields::{Day, Line};
use super::input::{Json, Query};
use super::problem::{ApiError, Problem};
use crate::auth::{permissions, AuthUser};
use crate::state::AppState;
use crate::store::holidays::{self, HolidayRow};
use crate::store::StoreError;

/// A public holiday.
#[derive(Debug, Serialize, ToSchema)]
pub struct Holiday {
    /// The day.
    pub date: NaiveDate,
    /// Vietnamese name.
    pub name_vi: String,
    /// English name.
    pub name_en: String,
}

/// A holiday to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewHoliday {
    /// The day.
    pub date: Day,
    /// Vietnamese name.
    pub name_vi: Line<200>,
    /// English name.
    pub name_en: Line<200>,
}

impl From<HolidayRow> for Holiday {
    fn from(h: HolidayRow) -> Self {
        Holiday {
            date: h.holiday_date,
            name_vi: h.name_vi,
            name_en: h.name_en,
        }
    }
}

/// Filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct HolidayQuery {
    /// Only this year.
    #[param(minimum = 1900, maximum = 2199)]
    pub year: Option<i32>,
    /// Page size (1-500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Public holidays in date order.
#[utoipa::path(tag = "holidays", security(("bearer" = [])), params(HolidayQuery),
    responses((status = 200, body = Page<Holiday>), (status = 401, body = Problem, content_type = "application/problem+json")))]
#[get("/holidays")]
pub async fn list_holidays(
    user: AuthUser,
    state: web::Data<AppState>,
    query: Query<HolidayQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(list(&state, user, query.into_inner()).await?))
}

/// The public holidays, of a year when asked, in date order (every
/// signed-in user): the API's list and the console's holidays page.
pub(crate) async fn list(
    state: &web::Data<AppState>,
    _user: AuthUser,
    query: HolidayQuery,
) -> Result<Page<Holiday>, ApiError> {
    let window = PageWindow::parse(query.limit, query.cursor.as_deref())?;
    if let Some(y) = query.year {
        if !(1900..=2199).contains(&y) {
            return Err(ApiError::invalid_field(
                "year",
                "must be between 1900 and 2199",
            ));
        }
    }
    let (from, to) = match query.year {
        Some(y) => (
            NaiveDate::from_ymd_opt(y, 1, 1),
            NaiveDate::from_ymd_opt(y, 12, 31),
        ),
        None => (None, None),
    };
    let rows = state
        .db
        .read(move |conn| holidays::list(conn, from, to))
        .await?;
    Ok(window.page_sorted(rows, |h| h.holiday_date.to_string(), Holiday::from))
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
    Ok(HttpResponse::Created().json(add(&state, user, body.into_inner()).await?))
}

/// Adds a holiday: the API's `POST` and the console's form.
pub(crate) async fn add(
    state: &web::Data<AppState>,
    user: AuthUser,
    b: NewHoliday,
) -> Result<Holiday, ApiError> {
    permissions::require_admin(&user)?;
    let actor = user.actor();
    let row = state
        .db
        .write(move |conn| holidays::add(conn, &actor, b.date.get(), &b.name_vi, &b.name_en))
        .await
        .map_err(|e| match e {
            StoreError::UniqueViolation(_) => {
                ApiError::Conflict("That day is already a holiday.".into())
            }
            other => other.into(),
        })?;
    Ok(Holiday::from(row))
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
    remove(&state, user, &path).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Removes the holiday on `day` (`YYYY-MM-DD`): the API's `DELETE` and the
/// console's button.
pub(crate) async fn remove(
    state: &web::Data<AppState>,
    user: AuthUser,
    day: &str,
) -> Result<(), ApiError> {
    permissions::require_admin(&user)?;
    let day: NaiveDate = day
        .parse()
        .map_err(|_| ApiError::NotFound("No holiday on that day.".into()))?;
    let actor = user.actor();
    state
        .db
        .write(move |conn| holidays::remove(conn, &actor, day))
        .await?;
    Ok(())
}
