//! How many of the records people enter a database holds: `demo` loads
//! only into a database without any.

use diesel::prelude::*;

use super::schema::{officials, org_units, secondments, users};
use super::{DbConnection, StoreError};

/// Counts of the records a story or an import would mix with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Population {
    /// Users.
    pub users: i64,
    /// Organisation units.
    pub org_units: i64,
    /// Officials.
    pub officials: i64,
    /// Secondments and rotations.
    pub secondments: i64,
}

impl Population {
    /// True when the database holds none of them.
    pub fn is_empty(&self) -> bool {
        self.users + self.org_units + self.officials + self.secondments == 0
    }
}

/// Counts users, units, officials and secondments.
pub fn count(conn: &mut DbConnection) -> Result<Population, StoreError> {
    Ok(Population {
        users: users::table.count().get_result(conn)?,
        org_units: org_units::table.count().get_result(conn)?,
        officials: officials::table.count().get_result(conn)?,
        secondments: secondments::table.count().get_result(conn)?,
    })
}
