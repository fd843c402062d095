//! The names behind ids, read in batches: responses name what they refer
//! to (a unit by code and name, an official by name and staff code, a user
//! by name and email) without a query per row.

use std::collections::{BTreeSet, HashMap};

use diesel::prelude::*;

use super::schema::{officials, org_units, users};
use super::{DbConnection, StoreError};

/// Ids per query: well under SQLite's bound-parameter limit.
const CHUNK: usize = 500;

/// A unit as responses name it.
#[derive(Debug, Clone, Queryable)]
pub struct UnitName {
    /// Id.
    pub id: String,
    /// Code.
    pub code: String,
    /// Vietnamese name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
}

/// An official as responses name them.
#[derive(Debug, Clone, Queryable)]
pub struct OfficialName {
    /// Id.
    pub id: String,
    /// Full name.
    pub full_name: String,
    /// Staff code.
    pub staff_code: String,
}

/// A user as responses name them.
#[derive(Debug, Clone, Queryable)]
pub struct UserName {
    /// Id.
    pub id: String,
    /// Name, when recorded.
    pub full_name: Option<String>,
    /// Email.
    pub email: String,
}

/// The ids a response refers to; collect, then [`Wanted::load`].
#[derive(Debug, Default)]
pub struct Wanted {
    units: BTreeSet<String>,
    officials: BTreeSet<String>,
    users: BTreeSet<String>,
}

impl Wanted {
    /// Asks for a unit.
    pub fn unit(&mut self, id: &str) -> &mut Self {
        self.units.insert(id.to_string());
        self
    }
    /// Asks for an official.
    pub fn official(&mut self, id: &str) -> &mut Self {
        self.officials.insert(id.to_string());
        self
    }
    /// Asks for a user (ignores `None`).
    pub fn user(&mut self, id: Option<&str>) -> &mut Self {
        if let Some(id) = id {
            self.users.insert(id.to_string());
        }
        self
    }

    /// Reads every asked-for name: at most one query per kind and chunk.
    pub fn load(&self, conn: &mut DbConnection) -> Result<Names, StoreError> {
        let mut names = Names::default();
        let units: Vec<&String> = self.units.iter().collect();
        for chunk in units.chunks(CHUNK) {
            let rows: Vec<UnitName> = org_units::table
                .filter(org_units::id.eq_any(chunk))
                .select((
                    org_units::id,
                    org_units::code,
                    org_units::name,
                    org_units::name_en,
                ))
                .load(conn)?;
            names
                .units
                .extend(rows.into_iter().map(|r| (r.id.clone(), r)));
        }
        let officials: Vec<&String> = self.officials.iter().collect();
        for chunk in officials.chunks(CHUNK) {
            let rows: Vec<OfficialName> = officials::table
                .filter(officials::id.eq_any(chunk))
                .select((officials::id, officials::full_name, officials::staff_code))
                .load(conn)?;
            names
                .officials
                .extend(rows.into_iter().map(|r| (r.id.clone(), r)));
        }
        let users: Vec<&String> = self.users.iter().collect();
        for chunk in users.chunks(CHUNK) {
            let rows: Vec<UserName> = users::table
                .filter(users::id.eq_any(chunk))
                .select((users::id, users::full_name, users::email))
                .load(conn)?;
            names
                .users
                .extend(rows.into_iter().map(|r| (r.id.clone(), r)));
        }
        Ok(names)
    }
}

/// Names by id.
#[derive(Debug, Default)]
pub struct Names {
    units: HashMap<String, UnitName>,
    officials: HashMap<String, OfficialName>,
    users: HashMap<String, UserName>,
}

impl Names {
    /// Adds a unit read elsewhere (a join).
    pub fn add_unit(&mut self, unit: UnitName) {
        self.units.insert(unit.id.clone(), unit);
    }
    /// Adds an official read elsewhere.
    pub fn add_official(&mut self, official: OfficialName) {
        self.officials.insert(official.id.clone(), official);
    }
    /// Adds a user read elsewhere.
    pub fn add_user(&mut self, user: UserName) {
        self.users.insert(user.id.clone(), user);
    }

    /// A unit's name; an id that names nothing keeps the id as its code.
    pub fn unit(&self, id: &str) -> UnitName {
        self.units.get(id).cloned().unwrap_or_else(|| UnitName {
            id: id.to_string(),
            code: id.to_string(),
            name: id.to_string(),
            name_en: None,
        })
    }
    /// An official's name.
    pub fn official(&self, id: &str) -> OfficialName {
        self.officials
            .get(id)
            .cloned()
            .unwrap_or_else(|| OfficialName {
                id: id.to_string(),
                full_name: String::new(),
                staff_code: String::new(),
            })
    }
    /// A user's name.
    pub fn user(&self, id: &str) -> UserName {
        self.users.get(id).cloned().unwrap_or_else(|| UserName {
            id: id.to_string(),
            full_name: None,
            email: String::new(),
        })
    }
}
