//! Who receives reminders about a unit: the organisation tree and the
//! active HR officers and directors, read once per planner (three
//! statements) instead of once per secondment.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;

use super::schema::{officials, org_units, users};
use super::{DbConnection, StoreError};
use crate::domain::reminders::Recipient;
use crate::domain::user::Language;

/// A stored language; another value is an internal error, not a default.
pub fn stored_language(stored: &str) -> Result<Language, StoreError> {
    Language::parse(stored)
        .ok_or_else(|| StoreError::Internal(format!("unknown stored language {stored:?}")))
}

/// The tree and the staff who receive reminders.
pub struct Directory {
    parents: HashMap<String, Option<String>>,
    /// (role, own unit) -> people.
    staff: HashMap<(String, String), Vec<Recipient>>,
}

impl Directory {
    /// Reads the units and the active HR officers and directors.
    pub fn load(conn: &mut DbConnection) -> Result<Self, StoreError> {
        let parents: HashMap<String, Option<String>> = org_units::table
            .select((org_units::id, org_units::parent_id))
            .load::<(String, Option<String>)>(conn)?
            .into_iter()
            .collect();
        type Row = (
            String,
            Option<String>,
            String,
            String,
            Option<String>,
            Option<String>,
        );
        let rows: Vec<Row> = users::table
            .filter(users::disabled.eq(false))
            .filter(users::role.eq_any(["hr_officer", "director"]))
            .select((
                users::role,
                users::org_unit_id,
                users::email,
                users::language,
                users::full_name,
                users::official_id,
            ))
            .load(conn)?;
        let linked: Vec<&str> = rows.iter().filter_map(|r| r.5.as_deref()).collect();
        let names: HashMap<String, String> = officials::table
            .filter(officials::id.eq_any(linked))
            .select((officials::id, officials::full_name))
            .load::<(String, String)>(conn)?
            .into_iter()
            .collect();
        let mut staff: HashMap<(String, String), Vec<Recipient>> = HashMap::new();
        for (role, unit, email, language, full_name, official) in rows {
            let Some(unit) = unit else { continue };
            let name = full_name.or_else(|| official.and_then(|o| names.get(&o).cloned()));
            staff.entry((role, unit)).or_default().push(Recipient {
                email,
                name,
                language: stored_language(&language)?,
            });
        }
        Ok(Directory { parents, staff })
    }

    /// The unit and its ancestors: whoever heads one of them covers it.
    fn chain(&self, unit_id: &str) -> Vec<&str> {
        let mut chain: Vec<&str> = Vec::new();
        let mut seen = HashSet::new();
        let mut current = self.parents.get_key_value(unit_id).map(|(k, _)| k.as_str());
        while let Some(id) = current {
            if !seen.insert(id) {
                break;
            }
            chain.push(id);
            current = self.parents.get(id).and_then(|p| p.as_deref());
        }
        chain
    }

    fn at(&self, role: &str, unit: &str) -> &[Recipient] {
        self.staff
            .get(&(role.to_string(), unit.to_string()))
            .map_or(&[], Vec::as_slice)
    }

    /// Active users of `role` whose scope covers the unit.
    pub fn covering(&self, role: &str, unit_id: &str) -> Vec<Recipient> {
        self.chain(unit_id)
            .into_iter()
            .flat_map(|u| self.at(role, u).iter().cloned())
            .collect()
    }

    /// Directors whose own unit is exactly the unit's parent.
    pub fn parent_directors(&self, unit_id: &str) -> Vec<Recipient> {
        match self.parents.get(unit_id).and_then(|p| p.as_deref()) {
            Some(parent) => self.at("director", parent).to_vec(),
            None => Vec::new(),
        }
    }
}
