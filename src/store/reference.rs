//! Reference data shipped with the service: the 2025 reorganisation of
//! provinces (63 former, 34 current, and which merged into which).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::audit::Actor;
use super::merge::{self, MergeError};
use super::org_units::{self, NewOrgUnit, UnitError};
use super::schema::org_units as units;
use super::{DbConnection, StoreError};
use diesel::prelude::*;

/// `old_code,old_name,new_code,new_name,new_kind`, one row per former province.
pub const PROVINCES_2025: &str = include_str!("reference/provinces-2025.csv");

/// The day the two-tier local government and the 34 provinces began.
pub fn reorganisation_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or_default()
}

/// The first day of the 63-province map (Hà Tây joined Hà Nội).
fn former_map_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2008, 8, 1).unwrap_or_default()
}

/// Code of a current province unit.
pub fn current_code(code: &str) -> String {
    format!("P{code}")
}

/// Code of a former province unit.
pub fn former_code(code: &str) -> String {
    format!("P{code}-OLD")
}

/// What a load did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LoadSummary {
    /// Units created.
    pub created: usize,
    /// Former provinces merged by this load.
    pub merged: usize,
}

/// Why a load failed.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The shipped file is malformed (a build defect).
    #[error("reference data line {0} is malformed")]
    Malformed(usize),
    /// A merge was refused.
    #[error(transparent)]
    Merge(#[from] MergeError),
    /// A unit could not be created.
    #[error(transparent)]
    Unit(#[from] UnitError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for LoadError {
    fn from(e: diesel::result::Error) -> Self {
        LoadError::Store(e.into())
    }
}

struct Row<'a> {
    old_code: &'a str,
    old_name: &'a str,
    new_code: &'a str,
    new_name: &'a str,
}

fn rows() -> Result<Vec<Row<'static>>, LoadError> {
    PROVINCES_2025
        .lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| {
            let f: Vec<&str> = line.split(',').map(str::trim).collect();
            match f.as_slice() {
                [old_code, old_name, new_code, new_name, _kind] => Ok(Row {
                    old_code,
                    old_name,
                    new_code,
                    new_name,
                }),
                _ => Err(LoadError::Malformed(i + 1)),
            }
        })
        .collect()
}

/// The unit [`load_provinces`] creates for the former province named
/// `old_name`, and the code of the current province it merges into. Lets
/// history before 1 July 2025 be recorded against a former province that
/// the load later finds by its code and merges.
pub fn former_province(old_name: &str) -> Result<Option<(NewOrgUnit, String)>, LoadError> {
    Ok(rows()?
        .into_iter()
        .find(|r| r.old_name == old_name)
        .map(|r| {
            (
                NewOrgUnit {
                    code: former_code(r.old_code),
                    name: r.old_name.to_string(),
                    name_en: None,
                    kind: "province".into(),
                    parent_id: None,
                    valid_from: former_map_day(),
                },
                current_code(r.new_code),
            )
        }))
}

/// The id of the unit with `code`, if any.
pub fn id_of(conn: &mut DbConnection, code: &str) -> Result<Option<String>, StoreError> {
    Ok(units::table
        .filter(units::code.eq(code))
        .select(units::id)
        .first(conn)
        .optional()?)
}

/// Loads the provinces and applies the 2025 merges. Running it again
/// changes nothing: units are found by code, merged ones are skipped.
pub fn load_provinces(conn: &mut DbConnection, actor: &Actor) -> Result<LoadSummary, LoadError> {
    let rows = rows()?;
    conn.transaction(|conn| {
        let mut summary = LoadSummary::default();
        let mut create = |conn: &mut DbConnection,
                          code: String,
                          name: &str,
                          from: NaiveDate|
         -> Result<String, LoadError> {
            if let Some(id) = id_of(conn, &code)? {
                return Ok(id);
            }
            let unit = org_units::insert(
                conn,
                actor,
                &NewOrgUnit {
                    code,
                    name: name.to_string(),
                    name_en: None,
                    kind: "province".into(),
                    parent_id: None,
                    valid_from: from,
                },
            )?;
            summary.created += 1;
            Ok(unit.id)
        };
        let mut targets: BTreeMap<&str, (String, Vec<String>)> = BTreeMap::new();
        for r in &rows {
            if !targets.contains_key(r.new_code) {
                let id = create(
                    conn,
                    current_code(r.new_code),
                    r.new_name,
                    reorganisation_day(),
                )?;
                targets.insert(r.new_code, (id, Vec::new()));
            }
        }
        for r in &rows {
            let id = create(conn, former_code(r.old_code), r.old_name, former_map_day())?;
            if let Some((_, sources)) = targets.get_mut(r.new_code) {
                sources.push(id);
            }
        }
        for (target_id, sources) in targets.values() {
            let mut pending = Vec::new();
            for source in sources {
                let unit = org_units::find(conn, source)?;
                if unit.successor_id.is_none() && unit.valid_to.is_none() {
                    pending.push(source.clone());
                }
            }
            if !pending.is_empty() {
                merge::merge(conn, actor, &pending, target_id, reorganisation_day())?;
                summary.merged += pending.len();
            }
        }
        Ok(summary)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_file_has_63_former_and_34_current_provinces() {
        let rows = rows().unwrap();
        assert_eq!(rows.len(), 63);
        let mut current: Vec<&str> = rows.iter().map(|r| r.new_code).collect();
        current.sort_unstable();
        current.dedup();
        assert_eq!(current.len(), 34);
        let quang_binh = rows.iter().find(|r| r.old_name == "Quảng Bình").unwrap();
        assert_eq!(quang_binh.new_name, "Quảng Trị");
        assert!(rows.iter().all(|r| !r.old_code.is_empty()));
    }
}
