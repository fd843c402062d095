//! Officials: create, read, search, change. Bulk import lives in
//! `official_import.rs`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::audit::{self, Actor};
use super::schema::{official_search_terms, officials, org_units};
use super::{new_id, now_utc, DbConnection, StoreError};
use crate::domain::official::{prefix_upper_bound, search_terms};

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

/// Why a change to an official was refused.
#[derive(Debug, thiserror::Error)]
pub enum OfficialError {
    /// The home unit does not exist.
    #[error("home_unit_id names no unit")]
    UnknownUnit,
    /// The home unit was merged away or closed.
    #[error("the home unit is no longer current")]
    UnitNotCurrent,
    /// Stale `If-Match`.
    #[error("stale")]
    Stale,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for OfficialError {
    fn from(e: diesel::result::Error) -> Self {
        OfficialError::Store(e.into())
    }
}

fn check_unit(conn: &mut DbConnection, unit_id: &str) -> Result<(), OfficialError> {
    let valid_to: Option<Option<NaiveDate>> = org_units::table
        .find(unit_id)
        .select(org_units::valid_to)
        .first(conn)
        .optional()?;
    match valid_to {
        None => Err(OfficialError::UnknownUnit),
        Some(Some(_)) => Err(OfficialError::UnitNotCurrent),
        Some(None) => Ok(()),
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
) -> Result<OfficialRow, OfficialError> {
    conn.transaction(|conn| {
        check_unit(conn, &fields.home_unit_id)?;
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
            .execute(conn)
            .map_err(StoreError::from)?;
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

/// Replaces the fields of an official if `expected_version` is current.
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    expected_version: Option<i32>,
    change: impl FnOnce(&mut OfficialFields),
) -> Result<OfficialRow, OfficialError> {
    conn.transaction(|conn| {
        let before = find(conn, id)?;
        let expected_version = expected_version.unwrap_or(before.version);
        if before.version != expected_version {
            return Err(OfficialError::Stale);
        }
        let mut fields = OfficialFields::from(&before);
        change(&mut fields);
        if fields.home_unit_id != before.home_unit_id {
            check_unit(conn, &fields.home_unit_id)?;
        }
        let changed = diesel::update(
            officials::table
                .filter(officials::id.eq(id))
                .filter(officials::version.eq(expected_version)),
        )
        .set((
            OfficialValues::from(&fields),
            officials::version.eq(expected_version + 1),
            officials::updated_at.eq(now_utc()),
        ))
        .execute(conn)
        .map_err(StoreError::from)?;
        if changed == 0 {
            return Err(OfficialError::Stale);
        }
        let old = OfficialFields::from(&before);
        if terms_of(&old) != terms_of(&fields) {
            write_terms(conn, &[(id.to_string(), terms_of(&fields))], true)?;
        }
        let after = find(conn, id)?;
        audit::record(
            conn,
            actor,
            "official.updated",
            "official",
            id,
            Some(serde_json::to_value(&before).unwrap_or_default()),
            Some(serde_json::to_value(&after).unwrap_or_default()),
        )?;
        Ok(after)
    })
}

/// Search and page window.
#[derive(Debug, Clone, Default)]
pub struct OfficialFilter {
    /// Folded words; each must prefix one of the official's terms.
    pub words: Vec<String>,
    /// Only officials whose home unit is one of these (scope or filter).
    pub home_units: Option<Vec<String>>,
    /// Only ids after this.
    pub after: Option<String>,
    /// Rows to fetch.
    pub limit: i64,
}

/// A page of officials in id order. Every search word uses an index, and
/// the plan is chosen from the words' match counts (exact, from an index
/// range count): when matches are dense, officials are scanned in id order
/// and each word is probed on (official, term), which fills a page after a
/// few rows; when they are sparse, the rarest word's matches drive the
/// query and the other words are probed.
pub fn list(conn: &mut DbConnection, f: &OfficialFilter) -> Result<Vec<OfficialRow>, StoreError> {
    if f.words.is_empty() {
        list_page(conn, f)
    } else {
        super::planned_per_value(conn, |conn| list_page(conn, f))
    }
}

fn list_page(conn: &mut DbConnection, f: &OfficialFilter) -> Result<Vec<OfficialRow>, StoreError> {
    // Ids first: the scan then reads only indexes; whole rows are fetched
    // for the page alone.
    let mut query = officials::table.select(officials::id).into_boxed();
    if !f.words.is_empty() {
        let mut counts = Vec::with_capacity(f.words.len());
        for word in &f.words {
            let n = count_matches(conn, word)?;
            if n == 0 {
                return Ok(Vec::new());
            }
            counts.push(n);
        }
        let total = estimated_officials(conn)?;
        let (rarest, rarest_count) = counts
            .iter()
            .copied()
            .enumerate()
            .min_by_key(|(_, n)| *n)
            .unwrap_or((0, 0));
        let density: f64 = counts
            .iter()
            .map(|n| (*n as f64 / total.max(1) as f64).min(1.0))
            .product();
        let rows_to_scan = (f.limit as f64 / density.max(1e-9)).min(total as f64);
        let scan = rows_to_scan < rarest_count as f64;
        for (i, word) in f.words.iter().enumerate() {
            let upper = prefix_upper_bound(word);
            if !scan && i == rarest {
                query = query.filter(
                    officials::id.eq_any(
                        official_search_terms::table
                            .filter(official_search_terms::term.ge(word.clone()))
                            .filter(official_search_terms::term.lt(upper))
                            .select(official_search_terms::official_id),
                    ),
                );
            } else {
                query = query.filter(diesel::dsl::exists(
                    official_search_terms::table
                        .filter(official_search_terms::official_id.eq(officials::id))
                        .filter(official_search_terms::term.ge(word.clone()))
                        .filter(official_search_terms::term.lt(upper)),
                ));
            }
        }
    }
    if let Some(units) = &f.home_units {
        query = query.filter(officials::home_unit_id.eq_any(units.clone()));
    }
    if let Some(after) = &f.after {
        query = query.filter(officials::id.gt(after.clone()));
    }
    let ids: Vec<String> = query.order(officials::id.asc()).limit(f.limit).load(conn)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(officials::table
        .filter(officials::id.eq_any(ids))
        .order(officials::id.asc())
        .select(OfficialRow::as_select())
        .load(conn)?)
}

/// Counting stops here: beyond it a word is common, and the exact number
/// does not change the plan. SQLite counts from the index alone, so it can
/// afford a high cap, and its planner needs our choice; PostgreSQL may have
/// to visit the heap for each counted row, and its planner turns either
/// form into the right semi-join by itself, so a low cap suffices.
fn count_cap(conn: &DbConnection) -> i64 {
    match conn {
        DbConnection::Pg(_) => 1_000,
        DbConnection::Sqlite(_) => 20_000,
    }
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// How many terms start with `word`, up to the backend's cap.
fn count_matches(conn: &mut DbConnection, word: &str) -> Result<i64, StoreError> {
    use diesel::sql_types::{BigInt, Text};
    let row: Count = diesel::sql_query(
        "SELECT COUNT(*) AS n FROM (SELECT 1 FROM official_search_terms \
         WHERE term >= $1 AND term < $2 LIMIT $3) AS matches",
    )
    .bind::<Text, _>(word)
    .bind::<Text, _>(prefix_upper_bound(word))
    .bind::<BigInt, _>(count_cap(conn))
    .get_result(conn)?;
    Ok(row.n)
}

/// The number of officials: PostgreSQL's planner estimate (no table scan),
/// SQLite's count (cheap on its smallest index).
fn estimated_officials(conn: &mut DbConnection) -> Result<i64, StoreError> {
    if let DbConnection::Pg(pg) = conn {
        let row: Count = diesel::sql_query(
            "SELECT GREATEST(reltuples, 0)::bigint AS n FROM pg_class WHERE relname = 'officials'",
        )
        .get_result(pg)?;
        if row.n > 0 {
            return Ok(row.n);
        }
    }
    Ok(officials::table.count().get_result(conn)?)
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
