//! Who may see and do what (SPEC 3): role checks plus unit scopes. Every
//! route goes through these functions. A record outside the caller's scope
//! is answered 404 (its existence is not revealed); an action the caller
//! may not take on a visible record is 403.

use crate::api::ApiError;
use crate::domain::user::Role;
use crate::store::{org_units, DbConnection, StoreError};

use super::AuthUser;

pub use crate::domain::scope::Scope;

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

/// The caller as the secondment store sees them: role, scope, and the
/// official linked to their account.
pub fn viewer(
    conn: &mut DbConnection,
    user: &AuthUser,
) -> Result<crate::store::secondments::Viewer, StoreError> {
    Ok(crate::store::secondments::Viewer {
        user_id: user.id.clone(),
        role: user.role,
        scope: scope_of(conn, user)?,
        official_id: user.official_id.clone(),
        delegated: Vec::new(),
    })
}

/// The caller as a decider on `today`: also sees what the directors they
/// stand in for see.
pub fn decider(
    conn: &mut DbConnection,
    user: &AuthUser,
    today: chrono::NaiveDate,
) -> Result<crate::store::secondments::Viewer, StoreError> {
    let mut v = viewer(conn, user)?;
    v.delegated = crate::store::delegations::active_delegators(conn, &user.id, today)?
        .into_iter()
        .map(|(_, scope)| scope)
        .collect();
    Ok(v)
}
