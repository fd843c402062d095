//! Public holidays, maintained by administrators year by year.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::audit::{self, Actor};
use super::schema::holidays;
use super::{now_utc, DbConnection, StoreError};

/// A stored holiday.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = holidays)]
pub struct HolidayRow {
    /// The day.
    pub holiday_date: NaiveDate,
    /// Vietnamese name.
    pub name_vi: String,
    /// English name.
    pub name_en: String,
    /// Added.
    pub created_at: NaiveDateTime,
}

/// Holidays between two days (inclusive), in date order.
pub fn list(
    conn: &mut DbConnection,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Vec<HolidayRow>, StoreError> {
    let mut q = holidays::table.select(HolidayRow::as_select()).into_boxed();
    if let Some(f) = from {
        q = q.filter(holidays::holiday_date.ge(f));
    }
    if let Some(t) = to {
        q = q.filter(holidays::holiday_date.le(t));
    }
    Ok(q.order(holidays::holiday_date.asc()).load(conn)?)
}

/// Every public holiday known to the service.
pub fn all_days(conn: &mut DbConnection) -> Result<HashSet<NaiveDate>, StoreError> {
    Ok(holidays::table
        .select(holidays::holiday_date)
        .load::<NaiveDate>(conn)?
        .into_iter()
        .collect())
}

/// How many holidays of `year` are loaded.
pub fn count_in_year(conn: &mut DbConnection, year: i32) -> Result<i64, StoreError> {
    let (Some(first), Some(last)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Ok(0);
    };
    Ok(holidays::table
        .filter(holidays::holiday_date.between(first, last))
        .count()
        .get_result(conn)?)
}

/// Adds a holiday (409 when the day is already one).
pub fn add(
    conn: &mut DbConnection,
    actor: &Actor,
    day: NaiveDate,
    name_vi: &str,
    name_en: &str,
) -> Result<HolidayRow, StoreError> {
    conn.transaction(|conn| {
        diesel::insert_into(holidays::table)
            .values((
                holidays::holiday_date.eq(day),
                holidays::name_vi.eq(name_vi),
                holidays::name_en.eq(name_en),
                holidays::created_at.eq(now_utc()),
            ))
            .execute(conn)?;
        let row: HolidayRow = holidays::table
            .find(day)
            .select(HolidayRow::as_select())
            .first(conn)?;
        audit::record(
            conn,
            actor,
            "holiday.created",
            "holiday",
            &day.to_string(),
            None,
            Some(serde_json::to_value(&row).unwrap_or_default()),
        )?;
        Ok(row)
    })
}

/// Removes a holiday; `NotFound` when the day is none.
pub fn remove(conn: &mut DbConnection, actor: &Actor, day: NaiveDate) -> Result<(), StoreError> {
    conn.transaction(|conn| {
        let row: HolidayRow = holidays::table
            .find(day)
            .select(HolidayRow::as_select())
            .first(conn)?;
        diesel::delete(holidays::table.find(day)).execute(conn)?;
        audit::record(
            conn,
            actor,
            "holiday.deleted",
            "holiday",
            &day.to_string(),
            Some(serde_json::to_value(&row).unwrap_or_default()),
            None,
        )?;
        Ok(())
    })
}

/// What loading a holidays file changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LoadSummary {
    /// Days that were not holidays before.
    pub added: usize,
    /// Days whose names changed.
    pub renamed: usize,
    /// Days already there with these names.
    pub unchanged: usize,
}

/// Adds or renames the holidays of a file, all in one transaction, each
/// change audited. Days not in the file are left as they are.
pub fn load(
    conn: &mut DbConnection,
    actor: &Actor,
    records: &[crate::domain::holiday_csv::HolidayRecord],
) -> Result<LoadSummary, StoreError> {
    conn.transaction(|conn| {
        let mut summary = LoadSummary::default();
        for r in records {
            let before: Option<HolidayRow> = holidays::table
                .find(r.date)
                .select(HolidayRow::as_select())
                .first(conn)
                .optional()?;
            match &before {
                Some(b) if b.name_vi == r.name_vi && b.name_en == r.name_en => {
                    summary.unchanged += 1;
                    continue;
                }
                Some(_) => {
                    diesel::update(holidays::table.find(r.date))
                        .set((
                            holidays::name_vi.eq(&r.name_vi),
                            holidays::name_en.eq(&r.name_en),
                        ))
                        .execute(conn)?;
                    summary.renamed += 1;
                }
                None => {
                    diesel::insert_into(holidays::table)
                        .values((
                            holidays::holiday_date.eq(r.date),
                            holidays::name_vi.eq(&r.name_vi),
                            holidays::name_en.eq(&r.name_en),
                            holidays::created_at.eq(now_utc()),
                        ))
                        .execute(conn)?;
                    summary.added += 1;
                }
            }
            let after: HolidayRow = holidays::table
                .find(r.date)
                .select(HolidayRow::as_select())
                .first(conn)?;
            audit::record(
                conn,
                actor,
                if before.is_some() {
                    "holiday.updated"
                } else {
                    "holiday.created"
                },
                "holiday",
                &r.date.to_string(),
                before.map(|b| serde_json::to_value(&b).unwrap_or_default()),
                Some(serde_json::to_value(&after).unwrap_or_default()),
            )?;
        }
        Ok(summary)
    })
}
