//! The reference data of the 2025 reorganisation of provinces (63 former,
//! 34 current, which merged into which): loaded by an administrator, and
//! read by a story set before it, whose former provinces the load later
//! finds by their codes and merges.

use chrono::NaiveDate;

use super::AppError;
use crate::auth::{permissions, AuthUser};
pub use crate::store::reference::LoadSummary;
use crate::store::reference::{self, LoadError};
use crate::store::DbConnection;

/// A former province as the load creates it.
#[derive(Debug, Clone)]
pub struct FormerProvince {
    /// Its unit's code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its unit's kind.
    pub kind: String,
    /// The first day of the 63-province map.
    pub valid_from: NaiveDate,
    /// The code of the current province it merges into on
    /// [`reorganisation_day`].
    pub successor_code: String,
}

/// The day the two-tier local government and the 34 provinces began.
pub fn reorganisation_day() -> NaiveDate {
    reference::reorganisation_day()
}

/// The former province named `old_name`, when the reference data has it.
pub fn former_province(old_name: &str) -> Result<Option<FormerProvince>, AppError> {
    let found = reference::former_province(old_name).map_err(AppError::from)?;
    Ok(found.map(|(unit, successor_code)| FormerProvince {
        code: unit.code,
        name: unit.name,
        kind: unit.kind,
        valid_from: unit.valid_from,
        successor_code,
    }))
}

/// Loads the provinces and applies the 2025 merges (administrators).
/// Running it again changes nothing.
pub fn load_provinces(caller: &AuthUser, tx: &mut DbConnection) -> Result<LoadSummary, AppError> {
    permissions::require_admin(caller)?;
    Ok(reference::load_provinces(tx, &caller.actor())?)
}

/// The id of the unit with `code` (every signed-in user reads the unit
/// tree); 404 when there is none.
pub fn unit_with_code(
    _caller: &AuthUser,
    tx: &mut DbConnection,
    code: &str,
) -> Result<String, AppError> {
    reference::id_of(tx, code)?.ok_or(AppError::NotFound)
}

/// A load's failure as the application tells it: a refused merge or unit
/// as those use cases do; a malformed shipped file is a defect.
impl From<LoadError> for AppError {
    fn from(e: LoadError) -> Self {
        match e {
            LoadError::Malformed(_) => AppError::Internal(e.to_string()),
            LoadError::Merge(e) => e.into(),
            LoadError::Unit(e) => e.into(),
            LoadError::Store(e) => e.into(),
        }
    }
}
