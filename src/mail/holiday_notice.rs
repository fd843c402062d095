//! The yearly notice to administrators: from 1 November, while no public
//! holiday of the next year is loaded, each enabled administrator gets one
//! email for that year (its idempotency key names the year and the user).

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;

use super::planner::{stored_language, Outgoing, Recipient};
use crate::config::Settings;
use crate::domain::reminders::holidays_due_year;
use crate::store::schema::users;
use crate::store::{DbConnection, StoreError};

/// The email's kind (and template name).
pub const KIND: &str = "holidays_missing";

#[derive(Serialize)]
struct Context<'a> {
    recipient_name: Option<&'a str>,
    year: i32,
    link: String,
}

/// The year whose holidays are due by `today` and missing, if any.
pub fn missing_year(conn: &mut DbConnection, today: NaiveDate) -> Result<Option<i32>, StoreError> {
    let Some(year) = holidays_due_year(today) else {
        return Ok(None);
    };
    let loaded = crate::store::holidays::count_in_year(conn, year)?;
    Ok((loaded == 0).then_some(year))
}

/// Gathers the notice for every enabled administrator when the next
/// year's holidays are due and missing; returns how many were gathered.
/// Keys already in the outbox are dropped later with the other reminders.
pub fn plan(
    conn: &mut DbConnection,
    settings: &Settings,
    today: NaiveDate,
    out: &mut Outgoing,
) -> Result<usize, StoreError> {
    let Some(year) = missing_year(conn, today)? else {
        return Ok(0);
    };
    let admins: Vec<(String, String, String, Option<String>)> = users::table
        .filter(users::role.eq("admin"))
        .filter(users::disabled.eq(false))
        .order(users::id.asc())
        .select((users::id, users::email, users::language, users::full_name))
        .load(conn)?;
    let link = format!(
        "{}/api/v1/holidays?year={year}",
        settings.server.public_url.trim_end_matches('/')
    );
    let reference = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
    let mut planned = 0;
    for (id, email, language, name) in admins {
        let r = Recipient {
            email,
            name,
            language: stored_language(&language)?,
        };
        let context = Context {
            recipient_name: r.name.as_deref(),
            year,
            link: link.clone(),
        };
        let key = format!("{KIND}:{year}:{id}");
        out.add(key, KIND, None, Some(reference), &r, &context)?;
        planned += 1;
    }
    Ok(planned)
}
