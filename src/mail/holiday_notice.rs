//! The yearly notice to administrators: from 1 November, while no public
//! holiday of the next year is loaded, each enabled administrator gets one
//! email for that year (its idempotency key names the year and the user).

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::Serialize;

use super::planner::Outgoing;
use crate::config::Settings;
use crate::domain::reminders::holidays_due_year;
use crate::store::reminders::enabled_admins;
use crate::store::{outbox, DbConnection, StoreError};

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
/// An administrator who has it already is left out.
pub fn plan(
    conn: &mut DbConnection,
    settings: &Settings,
    today: NaiveDate,
    out: &mut Outgoing,
) -> Result<usize, StoreError> {
    let Some(year) = missing_year(conn, today)? else {
        return Ok(0);
    };
    let admins = enabled_admins(conn)?;
    let link = format!("{}/api/v1/holidays?year={year}", settings.server.base_url());
    let reference = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
    let keys: Vec<String> = admins.iter().map(|a| key(year, &a.0)).collect();
    let known: HashSet<String> = outbox::existing(conn, &keys)?.into_iter().collect();
    let mut planned = 0;
    for ((_, r), key) in admins.into_iter().zip(keys) {
        if known.contains(&key) {
            continue;
        }
        let context = Context {
            recipient_name: r.name.as_deref(),
            year,
            link: link.clone(),
        };
        out.add(key, KIND, None, Some(reference), &r, &context)?;
        planned += 1;
    }
    Ok(planned)
}

fn key(year: i32, user_id: &str) -> String {
    format!("{KIND}:{year}:{user_id}")
}
