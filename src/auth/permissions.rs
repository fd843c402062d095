//! Who may see and do what (SPEC 3): role checks plus unit scopes. Every
//! route goes through these functions. A record outside the caller's scope
//! is answered 404 (its existence is not revealed); an action the caller
//! may not take on a visible record is 403.

use std::collections::HashSet;

use crate::api::ApiError;
use crate::domain::user::Role;
use crate::store::{org_units, DbConnection, StoreError};

use super::AuthUser;

/// The units whose records a caller may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Administrators: everything.
    All,
    /// HR officers and directors: their unit and its descendants.
    Units(HashSet<String>),
    /// Cadres, or staff without a unit: no unit-based visibility.
    Nothing,
}

impl Scope {
    /// True when records of `unit_id` are visible.
    pub fn contains(&self, unit_id: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Units(units) => units.contains(unit_id),
            Scope::Nothing => false,
        }
    }

    /// True when any of the units is visible.
    pub fn contains_any<'a>(&self, mut unit_ids: impl Iterator<Item = &'a str>) -> bool {
        unit_ids.any(|u| self.contains(u))
    }
}

/// The caller's scope, read from the unit tree.
pub fn scope_of(conn: &mut DbConnection, user: &AuthUser) -> Result<Scope, StoreError> {
    match (user.role, &user.unit) {
        (Role::Admin, _) => Ok(Scope::All),
        (Role::HrOfficer | Role::Director, Some(unit)) => {
            Ok(Scope::Units(org_units::subtree_ids(conn, unit)?))
        }
        _ => Ok(Scope::Nothing),
    }
}

/// 403 unless the caller is an administrator.
pub fn require_admin(user: &AuthUser) -> Result<(), ApiError> {
    user.require_role(&[Role::Admin])
}

/// 404 unless `visible`: hides records outside the caller's scope.
pub fn ensure_visible(visible: bool) -> Result<(), ApiError> {
    if visible {
        Ok(())
    } else {
        Err(ApiError::NotFound("The resource does not exist.".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_contain_what_they_should() {
        let units = Scope::Units(HashSet::from(["a".to_string(), "b".to_string()]));
        assert!(units.contains("a"));
        assert!(!units.contains("c"));
        assert!(units.contains_any(["c", "b"].into_iter()));
        assert!(Scope::All.contains("anything"));
        assert!(!Scope::Nothing.contains("a"));
    }
}
