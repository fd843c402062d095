//! Public holidays: every signed-in user reads them, administrators add
//! and remove them (reminders falling on one move to the working day
//! before).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::fields::{Day, Line};
use super::page::{Page, PageWindow};
use super::{AppError, Clash};
use crate::auth::{permissions, AuthUser};
use crate::store::holidays::{self, HolidayRow};
use crate::store::{DbConnection, StoreError};

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

/// The public holidays, of a year when asked, in date order (every
/// signed-in user).
pub fn list(
    _caller: &AuthUser,
    tx: &mut DbConnection,
    q: HolidayQuery,
) -> Result<Page<Holiday>, AppError> {
    let window = PageWindow::parse(q.limit, q.cursor.as_deref())?;
    if let Some(y) = q.year {
        if !(1900..=2199).contains(&y) {
            return Err(AppError::invalid("year", "must be between 1900 and 2199"));
        }
    }
    let (from, to) = match q.year {
        Some(y) => (
            NaiveDate::from_ymd_opt(y, 1, 1),
            NaiveDate::from_ymd_opt(y, 12, 31),
        ),
        None => (None, None),
    };
    let rows = holidays::list(tx, from, to)?;
    Ok(window.page_sorted(rows, |h| h.holiday_date.to_string(), Holiday::from))
}

/// Adds a holiday (administrators); a day is a holiday once.
pub fn add(caller: &AuthUser, tx: &mut DbConnection, b: NewHoliday) -> Result<Holiday, AppError> {
    permissions::require_admin(caller)?;
    match holidays::add(tx, &caller.actor(), b.date.get(), &b.name_vi, &b.name_en) {
        Ok(row) => Ok(row.into()),
        Err(StoreError::UniqueViolation(_)) => Err(AppError::conflict(
            Clash::Duplicate,
            "That day is already a holiday.",
        )),
        Err(e) => Err(e.into()),
    }
}

/// Removes the holiday on `day` (`YYYY-MM-DD`), administrators only; a
/// day that is not one (or not a day) names nothing.
pub fn remove(caller: &AuthUser, tx: &mut DbConnection, day: &str) -> Result<(), AppError> {
    permissions::require_admin(caller)?;
    let day: NaiveDate = day.parse().map_err(|_| AppError::NotFound)?;
    Ok(holidays::remove(tx, &caller.actor(), day)?)
}
