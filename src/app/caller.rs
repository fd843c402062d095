//! The caller as the application sees them: the account a verified token
//! or session names, read afresh, and their scope read from the unit tree.

use chrono::NaiveDate;

use super::AppError;
use crate::auth::permissions::{Scope, Viewer};
use crate::auth::AuthUser;
use crate::domain::user::Role;
use crate::store::users::{self, Principal};
use crate::store::{delegations, org_units, DbConnection};

/// The words of a refused token, the same whatever was wrong with it.
pub const INVALID_TOKEN: &str = "The access token is invalid or expired.";

/// The account `user_id` names, as it is now: an unknown or disabled
/// account is refused; role, unit and linked official are the record's
/// (never the token's).
pub fn signed_in(tx: &mut DbConnection, user_id: &str) -> Result<AuthUser, AppError> {
    principal(user_id.to_string(), users::find_principal(tx, user_id)?)
}

/// The caller from a verified subject and their current record.
pub fn principal(user_id: String, record: Option<Principal>) -> Result<AuthUser, AppError> {
    let record = record.ok_or_else(|| AppError::Unauthenticated(INVALID_TOKEN.into()))?;
    if record.disabled {
        return Err(AppError::Unauthenticated(
            "This account is disabled.".into(),
        ));
    }
    let role = Role::parse(&record.role)
        .ok_or_else(|| AppError::Internal(format!("user {user_id} has an unknown role")))?;
    Ok(AuthUser {
        id: user_id,
        role,
        unit: record.org_unit_id,
        official_id: record.official_id,
        request_id: None,
        session_id: None,
        must_change_password: record.must_change_password,
    })
}

/// The caller's scope, read from the unit tree.
pub fn scope_of(tx: &mut DbConnection, user: &AuthUser) -> Result<Scope, AppError> {
    Ok(match (user.role, &user.unit) {
        (Role::HrOfficer | Role::Director, Some(unit)) => {
            Scope::Units(org_units::subtree_ids(tx, unit)?)
        }
        _ => Scope::for_role(user.role),
    })
}

/// The caller as the rules see them: role, scope, and the official linked
/// to their account.
pub fn viewer(tx: &mut DbConnection, user: &AuthUser) -> Result<Viewer, AppError> {
    Ok(Viewer::new(user, scope_of(tx, user)?, Vec::new()))
}

/// The caller as a decider on `today`: also sees what the directors they
/// stand in for see.
pub fn decider(
    tx: &mut DbConnection,
    user: &AuthUser,
    today: NaiveDate,
) -> Result<Viewer, AppError> {
    let delegated = delegations::active_delegators(tx, &user.id, today)?
        .into_iter()
        .map(|(_, scope)| scope)
        .collect();
    Ok(Viewer::new(user, scope_of(tx, user)?, delegated))
}
