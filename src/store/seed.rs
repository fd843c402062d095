//! Bulk writes for `secondments seed`: whole rows built from the plans of
//! `domain::seed`, written with `COPY` on PostgreSQL and multi-row INSERTs
//! on SQLite. Seeded rows get no audit events of their own (decision 0025).

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::officials::{terms_of, write_terms, NewOfficialRow, OfficialFields};
use super::schema::{
    approvals, evaluations, milestones, officials, org_units, outcomes, secondments, users,
};
use super::{DbConnection, StoreError};
use crate::domain::outcome::Metric;
use crate::domain::secondment::Status;
use crate::domain::seed::plan::{OfficialPlan, PostingPlan};
use crate::domain::seed::units::{Parent, UnitSpec};
use crate::domain::seed::SeedRng;
use crate::domain::text::fold;

/// What the database holds that a seed must not mix with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occupancy {
    /// Officials.
    pub officials: i64,
    /// Secondments.
    pub secondments: i64,
    /// Units other than the reference provinces.
    pub units: i64,
}

impl Occupancy {
    /// Nothing but users and reference provinces.
    pub fn is_empty(&self) -> bool {
        self.officials == 0 && self.secondments == 0 && self.units == 0
    }
}

/// Counts what is already there.
pub fn occupancy(conn: &mut DbConnection) -> Result<Occupancy, StoreError> {
    Ok(Occupancy {
        officials: officials::table.count().get_result(conn)?,
        secondments: secondments::table.count().get_result(conn)?,
        units: org_units::table
            .filter(org_units::kind.ne("province"))
            .count()
            .get_result(conn)?,
    })
}

/// The current provinces `(code, name, id)`, by code.
pub fn current_provinces(
    conn: &mut DbConnection,
) -> Result<Vec<(String, String, String)>, StoreError> {
    Ok(org_units::table
        .filter(org_units::kind.eq("province"))
        .filter(org_units::valid_to.is_null())
        .order(org_units::code)
        .select((org_units::code, org_units::name, org_units::id))
        .load(conn)?)
}

#[derive(Insertable)]
#[diesel(table_name = org_units, treat_none_as_default_value = false)]
struct UnitRow<'a> {
    id: &'a str,
    code: &'a str,
    name: &'a str,
    name_en: Option<&'a str>,
    kind: &'a str,
    parent_id: Option<&'a str>,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
    successor_id: Option<&'a str>,
    name_folded: String,
    version: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// Creates the seeded units; returns their ids in the order of `specs`.
pub fn insert_units(
    conn: &mut DbConnection,
    seed: u64,
    specs: &[UnitSpec],
    province_ids: &HashMap<String, String>,
    at: NaiveDateTime,
) -> Result<Vec<String>, StoreError> {
    let ids: Vec<String> = (0..specs.len())
        .map(|i| SeedRng::derive(seed, 0x0417, i as u64).uuid_v7(at))
        .collect();
    let valid_from = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap_or_default();
    let mut rows = Vec::with_capacity(specs.len());
    for (spec, id) in specs.iter().zip(&ids) {
        let parent_id = match &spec.parent {
            Parent::Root => None,
            Parent::Seeded(i) => ids.get(*i).map(String::as_str),
            Parent::Province(code) => Some(
                province_ids
                    .get(code)
                    .map(String::as_str)
                    .ok_or(StoreError::NotFound)?,
            ),
        };
        rows.push(UnitRow {
            id,
            code: &spec.code,
            name: &spec.name,
            name_en: spec.name_en.as_deref(),
            kind: spec.kind,
            parent_id,
            valid_from,
            valid_to: None,
            successor_id: None,
            name_folded: fold(&spec.name),
            version: 1,
            created_at: at,
            updated_at: at,
        });
    }
    // Parents before children: one statement per chunk keeps that order.
    match conn {
        DbConnection::Pg(c) => {
            for chunk in rows.chunks(500) {
                diesel::insert_into(org_units::table)
                    .values(chunk)
                    .execute(c)?;
            }
        }
        DbConnection::Sqlite(c) => {
            for chunk in rows.chunks(500) {
                diesel::insert_into(org_units::table)
                    .values(chunk)
                    .execute(c)?;
            }
        }
    }
    Ok(ids)
}

/// A seeded account.
#[derive(Debug, Clone)]
pub struct SeedUser {
    /// Identifier.
    pub id: String,
    /// Login email.
    pub email: String,
    /// Stored role.
    pub role: &'static str,
    /// Scope unit.
    pub org_unit_id: Option<String>,
    /// Name.
    pub full_name: String,
}

#[derive(Insertable)]
#[diesel(table_name = users, treat_none_as_default_value = false)]
struct UserRow<'a> {
    id: &'a str,
    email: &'a str,
    email_normalized: String,
    password_hash: &'a str,
    role: &'a str,
    org_unit_id: Option<&'a str>,
    official_id: Option<&'a str>,
    language: &'a str,
    disabled: bool,
    version: i32,
    full_name: Option<&'a str>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// Creates the seeded accounts, all with one password hash.
pub fn insert_users(
    conn: &mut DbConnection,
    list: &[SeedUser],
    password_hash: &str,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    let rows: Vec<UserRow<'_>> = list
        .iter()
        .map(|u| UserRow {
            id: &u.id,
            email: &u.email,
            email_normalized: u.email.to_lowercase(),
            password_hash,
            role: u.role,
            org_unit_id: u.org_unit_id.as_deref(),
            official_id: None,
            language: "vi",
            disabled: false,
            version: 1,
            full_name: Some(&u.full_name),
            created_at: at,
            updated_at: at,
        })
        .collect();
    bulk_insert!(&mut *conn, users::table, &rows, 2000)?;
    Ok(())
}

/// Who acts for each seeded unit: its id, and the director and HR officer
/// of the ministry or province it belongs to.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    /// Unit ids by unit index.
    pub unit_ids: Vec<String>,
    /// Director user id by unit index.
    pub director_of: Vec<String>,
    /// HR officer user id by unit index.
    pub hr_of: Vec<String>,
}

impl Directory {
    fn get(v: &[String], i: usize) -> Result<&str, StoreError> {
        v.get(i)
            .map(String::as_str)
            .ok_or_else(|| StoreError::Internal(format!("seed: no unit {i}")))
    }
}

/// How many rows of each kind a batch wrote, and the postings by status.
#[derive(Debug, Clone, Default)]
pub struct Written {
    /// Officials.
    pub officials: usize,
    /// Secondments by status.
    pub by_status: HashMap<Status, usize>,
    /// Approvals.
    pub approvals: usize,
    /// Milestones.
    pub milestones: usize,
    /// Outcomes.
    pub outcomes: usize,
    /// Evaluations.
    pub evaluations: usize,
}

impl Written {
    /// Adds another batch's counts.
    pub fn add(&mut self, other: &Written) {
        self.officials += other.officials;
        for (s, n) in &other.by_status {
            *self.by_status.entry(*s).or_default() += n;
        }
        self.approvals += other.approvals;
        self.milestones += other.milestones;
        self.outcomes += other.outcomes;
        self.evaluations += other.evaluations;
    }

    /// Secondments written.
    pub fn secondments(&self) -> usize {
        self.by_status.values().sum()
    }
}

mod rows;

/// Writes a batch of officials with their postings and everything the
/// postings imply; the caller provides the transaction.
pub fn insert_batch(
    conn: &mut DbConnection,
    dir: &Directory,
    batch: &[(OfficialPlan, Vec<PostingPlan>)],
) -> Result<Written, StoreError> {
    let mut written = Written::default();
    let fields: Vec<OfficialFields> = batch
        .iter()
        .map(|(o, _)| {
            Ok(OfficialFields {
                staff_code: o.staff_code.clone(),
                full_name: o.full_name.clone(),
                email: o.email.clone(),
                email_normalized: o.email.to_lowercase(),
                home_unit_id: Directory::get(&dir.unit_ids, o.home)?.to_string(),
                position: Some(o.position.to_string()),
                rank: Some(o.rank.to_string()),
                date_of_birth: Some(o.date_of_birth),
                language: o.language.to_string(),
                protected_until: o.protected_until,
                in_succession_plan: o.in_succession_plan,
                retirement_date: Some(o.retirement_date),
                active: true,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    let official_rows: Vec<NewOfficialRow<'_>> = batch
        .iter()
        .zip(&fields)
        .map(|((o, _), f)| {
            let mut row = NewOfficialRow::new(o.id.clone(), f, o.created_at);
            row.updated_at = o.created_at;
            row
        })
        .collect();
    bulk_insert!(&mut *conn, officials::table, &official_rows, 1500)?;
    written.officials = official_rows.len();
    let terms: Vec<(String, Vec<String>)> = batch
        .iter()
        .zip(&fields)
        .map(|((o, _), f)| (o.id.clone(), terms_of(f)))
        .collect();
    write_terms(conn, &terms, false)?;

    let rows = rows::Rows::build(dir, batch, &mut written)?;
    bulk_insert!(&mut *conn, secondments::table, &rows.secondments, 1200)?;
    bulk_insert!(&mut *conn, approvals::table, &rows.approvals, 2900)?;
    bulk_insert!(&mut *conn, milestones::table, &rows.milestones, 2400)?;
    bulk_insert!(&mut *conn, outcomes::table, &rows.outcomes, 2200)?;
    bulk_insert!(&mut *conn, evaluations::table, &rows.evaluations, 6000)?;
    Ok(written)
}

/// The metrics of an outcome as stored.
fn metrics_json((name, value, unit): (&str, i64, &str)) -> String {
    let metric = Metric {
        name: name.to_string(),
        value: value as f64,
        unit: Some(unit.to_string()),
    };
    serde_json::to_string(&[metric]).unwrap_or_else(|_| "[]".into())
}
