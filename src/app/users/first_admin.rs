//! The first administrator of a database without any account: nobody is
//! signed in to create it, so the service creates it itself, as the first
//! start and `create-admin` do and as the demo does before its story.

use super::{check_links, checked, CreateUser, NewAccount, User};
use crate::app::{AppError, Clash};
use crate::domain::actor::Actor;
use crate::domain::user::Role;
use crate::store::users;
use crate::store::DbConnection;

/// Checks the first administrator's fields as [`super::check_new`] does,
/// without a caller; the account must be an administrator's.
pub fn check_first_admin(cmd: CreateUser) -> Result<NewAccount, AppError> {
    if cmd.role != Role::Admin {
        return Err(AppError::invalid(
            "role",
            "must be admin: the first account administers the others",
        ));
    }
    checked(cmd)
}

/// Creates the first administrator with its password's hash, as the
/// system; refused once any account exists (administrators create the
/// others).
pub fn create_first_admin(
    tx: &mut DbConnection,
    account: NewAccount,
    password_hash: String,
) -> Result<User, AppError> {
    if users::count(tx)? > 0 {
        return Err(AppError::conflict(
            Clash::AlreadyDone,
            "Accounts exist already; an administrator creates the others.",
        ));
    }
    let new = account.record(password_hash);
    check_links(tx, Role::Admin, None, None)?;
    Ok(users::create(tx, &Actor::system(), &new)?.into())
}
