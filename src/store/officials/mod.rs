//! Officials: create, read, change; the search in `search.rs`, the bulk
//! import in `official_import.rs`. Which unit an official may be placed
//! in is the application's to decide (`app::officials`).

mod search;

pub use search::{list, OfficialFilter};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::domain::official::search_terms;
use crate::store::audit::{self, Actor};
use crate::store::schema::{official_search_terms, officials};
use crate::store::{new_id, now_utc, DbConnection, StoreError};

/// A stored official.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = officials)]
pub struct OfficialRow {
    /// Identifier.
    pub id: String,
    /// Unique staff code.
    pub staff_code: String,
    /// Full name.
    pub full_name: String,
    /// Email as entered.
    pub email: String,
    /// Lower-case email, unique.
    #[serde(skip)]
    pub email_normalized: String,
    /// Home unit.
    pub home_unit_id: String,
    /// Position.
    pub position: Option<String>,
    /// Rank.
    pub rank: Option<String>,
    /// Date of birth.
    pub date_of_birth: Option<NaiveDate>,
    /// `vi` or `en`.
    #[diesel(deserialize_as = String)]
    pub language: crate::domain::user::Language,
    /// Protected from secondment until this date.
    pub protected_until: Option<NaiveDate>,
    /// In the succession plan.
    pub in_succession_plan: bool,
    /// Retirement date.
    pub retirement_date: Option<NaiveDate>,
    /// Active.
    pub active: bool,
    /// Version.
    pub version: i32,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Last changed.
    pub updated_at: NaiveDateTime,
}

/// The writable fields of an official (create, or the full state after a
/// change).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficialFields {
    /// Staff code.
    pub staff_code: String,
    /// Full name.
    pub full_name: String,
    /// Email as entered.
    pub email: String,
    /// Lower-case email.
    pub email_normalized: String,
    /// Home unit.
    pub home_unit_id: String,
    /// Position.
    pub position: Option<String>,
    /// Rank.
    pub rank: Option<String>,
    /// Date of birth.
    pub date_of_birth: Option<NaiveDate>,
    /// Language.
    pub language: String,
    /// Protected until.
    pub protected_until: Option<NaiveDate>,
    /// In the succession plan.
    pub in_succession_plan: bool,
    /// Retirement date.
    pub retirement_date: Option<NaiveDate>,
    /// Active.
    pub active: bool,
}

impl From<&OfficialRow> for OfficialFields {
    fn from(r: &OfficialRow) -> Self {
        OfficialFields {
            staff_code: r.staff_code.clone(),
            full_name: r.full_name.clone(),
            email: r.email.clone(),
            email_normalized: r.email_normalized.clone(),
            home_unit_id: r.home_unit_id.clone(),
            position: r.position.clone(),
            rank: r.rank.clone(),
            date_of_birth: r.date_of_birth,
            language: r.language.as_str().to_string(),
            protected_until: r.protected_until,
            in_succession_plan: r.in_succession_plan,
            retirement_date: r.retirement_date,
            active: r.active,
        }
    }
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = officials, treat_none_as_null = true, treat_none_as_default_value = false)]
pub(crate) struct OfficialValues<'a> {
    pub staff_code: &'a str,
    pub full_name: &'a str,
    pub email: &'a str,
    pub email_normalized: &'a str,
    pub home_unit_id: &'a str,
    pub position: Option<&'a str>,
    pub rank: Option<&'a str>,
    pub date_of_birth: Option<NaiveDate>,
    pub language: &'a str,
    pub protected_until: Option<NaiveDate>,
    pub in_succession_plan: bool,
    pub retirement_date: Option<NaiveDate>,
    pub active: bool,
}

impl<'a> From<&'a OfficialFields> for OfficialValues<'a> {
    fn from(f: &'a OfficialFields) -> Self {
        OfficialValues {
            staff_code: &f.staff_code,
            full_name: &f.full_name,
            email: &f.email,
            email_normalized: &f.email_normalized,
            home_unit_id: &f.home_unit_id,
            position: f.position.as_deref(),
            rank: f.rank.as_deref(),
            date_of_birth: f.date_of_birth,
            language: &f.language,
            protected_until: f.protected_until,
            in_succession_plan: f.in_succession_plan,
            retirement_date: f.retirement_date,
            active: f.active,
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = official_search_terms, treat_none_as_default_value = false)]
struct NewTerm<'a> {
    term: &'a str,
    official_id: &'a str,
}

/// A full official row for bulk inserts (flat: `COPY` needs every column).
#[derive(Insertable)]
#[diesel(table_name = officials, treat_none_as_default_value = false)]
pub(crate) struct NewOfficialRow<'a> {
    pub id: String,
    pub staff_code: &'a str,
    pub full_name: &'a str,
    pub email: &'a str,
    pub email_normalized: &'a str,
    pub home_unit_id: &'a str,
    pub position: Option<&'a str>,
    pub rank: Option<&'a str>,
    pub date_of_birth: Option<NaiveDate>,
    pub language: &'a str,
    pub protected_until: Option<NaiveDate>,
    pub in_succession_plan: bool,
    pub retirement_date: Option<NaiveDate>,
    pub active: bool,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl<'a> NewOfficialRow<'a> {
    /// A new row at version 1.
    pub fn new(id: String, f: &'a OfficialFields, now: NaiveDateTime) -> Self {
        NewOfficialRow {
            id,
            staff_code: &f.staff_code,
            full_name: &f.full_name,
            email: &f.email,
            email_normalized: &f.email_normalized,
            home_unit_id: &f.home_unit_id,
            position: f.position.as_deref(),
            rank: f.rank.as_deref(),
            date_of_birth: f.date_of_birth,
            language: &f.language,
            protected_until: f.protected_until,
            in_succession_plan: f.in_succession_plan,
            retirement_date: f.retirement_date,
            active: f.active,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }
}

/// Writes the search terms of officials, replacing old ones.
pub(crate) fn write_terms(
    conn: &mut DbConnection,
    officials_terms: &[(String, Vec<String>)],
    replace: bool,
) -> Result<(), StoreError> {
    if replace {
        let ids: Vec<&str> = officials_terms.iter().map(|(id, _)| id.as_str()).collect();
        for chunk in ids.chunks(500) {
            diesel::delete(
                official_search_terms::table
                    .filter(official_search_terms::official_id.eq_any(chunk)),
            )
            .execute(conn)?;
        }
    }
    let rows: Vec<NewTerm<'_>> = officials_terms
        .iter()
        .flat_map(|(id, terms)| {
            terms.iter().map(move |t| NewTerm {
                term: t,
                official_id: id,
            })
        })
        .collect();
    bulk_insert!(&mut *conn, official_search_terms::table, &rows, 10_000)?;
    Ok(())
}

/// The terms of one official.
pub(crate) fn terms_of(f: &OfficialFields) -> Vec<String> {
    search_terms(&f.full_name, &f.staff_code, &f.email)
}

/// Creates an official in one transaction (row, search terms, audit).
pub fn insert(
    conn: &mut DbConnection,
    actor: &Actor,
    fields: &OfficialFields,
) -> Result<OfficialRow, StoreError> {
    conn.transaction(|conn| {
        let id = new_id();
        let now = now_utc();
        diesel::insert_into(officials::table)
            .values((
                officials::id.eq(&id),
                OfficialValues::from(fields),
                officials::version.eq(1),
                officials::created_at.eq(now),
                officials::updated_at.eq(now),
            ))
            .execute(conn)?;
        write_terms(conn, &[(id.clone(), terms_of(fields))], false)?;
        let row = find(conn, &id)?;
        audit::record(
            conn,
            actor,
            "official.created",
            "official",
            &id,
            None,
            Some(serde_json::to_value(&row).unwrap_or_default()),
        )?;
        Ok(row)
    })
}

/// One official.
pub fn find(conn: &mut DbConnection, id: &str) -> Result<OfficialRow, StoreError> {
    Ok(officials::table
        .find(id)
        .select(OfficialRow::as_select())
        .first(conn)?)
}

/// Writes `fields` over the official read as `before`, if it is still at
/// that version; `None` when another change came first.
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    before: &OfficialRow,
    fields: &OfficialFields,
) -> Result<Option<OfficialRow>, StoreError> {
    conn.transaction(|conn| {
        let changed = diesel::update(
            officials::table
                .filter(officials::id.eq(&before.id))
                .filter(officials::version.eq(before.version)),
        )
        .set((
            OfficialValues::from(fields),
            officials::version.eq(before.version + 1),
            officials::updated_at.eq(now_utc()),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Ok(None);
        }
        if terms_of(&OfficialFields::from(before)) != terms_of(fields) {
            write_terms(conn, &[(before.id.clone(), terms_of(fields))], true)?;
        }
        let after = find(conn, &before.id)?;
        audit::record(
            conn,
            actor,
            "official.updated",
            "official",
            &before.id,
            Some(serde_json::to_value(before).unwrap_or_default()),
            Some(serde_json::to_value(&after).unwrap_or_default()),
        )?;
        Ok(Some(after))
    })
}

/// True when an official with this id exists.
pub fn exists(conn: &mut DbConnection, id: &str) -> Result<bool, StoreError> {
    Ok(officials::table
        .find(id)
        .select(officials::id)
        .first::<String>(conn)
        .optional()?
        .is_some())
}
