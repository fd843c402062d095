//! Passwords (decision 0039): the owner's change and an administrator's
//! reset of another account.
//!
//! The owner's change reads the account, checks the current password with
//! no connection held (Argon2), and then records either the refusal (a
//! wrong current password counts towards the sign-in lockout, and that
//! must stay when the change is refused) or the new password's hash: two
//! units with password work between them, run by [`change_own`].

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::validate::finish;
use super::{password_work, units, AppError, Context, FieldError, Refusal};
use crate::auth::session::{self, Account, LoginVerdict};
use crate::auth::{password, permissions, AuthUser};
use crate::config::AuthSettings;
use crate::domain::secondment::Violation;
use crate::domain::user::check_password_policy;
use crate::store::users::UserRow;
use crate::store::{now_utc, passwords, Database, DbConnection, StoreError};

/// The owner's password change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    /// The password in use now.
    #[schema(max_length = 1024)]
    pub current_password: String,
    /// At least 12 characters, not the email, not the current password.
    #[schema(min_length = 12, max_length = 1024)]
    pub new_password: String,
}

/// The rule a wrong `current_password` breaks (422 policy-violation).
pub const WRONG_CURRENT_PASSWORD: &str = "wrong_current_password";

/// A password chosen by the service after a reset.
#[derive(Debug, Serialize, ToSchema)]
pub struct OneTimePassword {
    /// Shown only in this answer (stored as a hash); the user must choose
    /// a new password when signing in with it.
    pub one_time_password: String,
}

/// Changes the caller's own password: checks the current one (a wrong one
/// counts towards the account's sign-in lockout), applies the rules of a
/// new account's password, stores it, and ends every other session of the
/// caller; the session the change came from stays signed in.
pub async fn change_own(
    db: &Database,
    cx: Context,
    caller: AuthUser,
    cmd: ChangePassword,
    ip: Option<String>,
) -> Result<(), AppError> {
    let auth = cx.settings.auth.clone();
    let id = caller.id.clone();
    let facts = units::read(db, move |tx| account_facts(tx, &auth, &id)).await?;
    let auth = cx.settings.auth.clone();
    let current = cmd.current_password.clone();
    let (facts, verdict) = password_work::run(move || {
        let verdict = facts.judge(&auth, &current);
        (facts, verdict)
    })
    .await?;
    match verdict {
        LoginVerdict::Locked(secs) => Err(AppError::RateLimited {
            detail: "Too many wrong passwords for this account; wait before trying again.".into(),
            retry_after_secs: secs,
        }),
        LoginVerdict::Refused(_) => {
            let account = facts.account;
            units::write(db, move |tx| {
                record_wrong_current(&caller, tx, &account, ip.as_deref())
            })
            .await?;
            Err(wrong_current_password())
        }
        LoginVerdict::Accepted => {
            check_new_password(&cmd, &facts.account.email)?;
            let hash = password_work::hash(cmd.new_password).await?;
            units::write(db, move |tx| store_own(&caller, tx, &hash)).await
        }
    }
}

/// The account a change is about and its recent sign-in failures.
#[derive(Debug)]
pub struct AccountFacts {
    account: UserRow,
    failures: Vec<NaiveDateTime>,
}

impl AccountFacts {
    /// Whether `current` is the account's password, unless the account is
    /// locked. Runs Argon2: call it through [`password_work::run`].
    pub fn judge(&self, settings: &AuthSettings, current: &str) -> LoginVerdict {
        let stored = Account {
            id: self.account.id.clone(),
            password_hash: self.account.password_hash.clone(),
            disabled: self.account.disabled,
        };
        session::judge_login(settings, &self.failures, Some(&stored), current, now_utc())
    }
}

/// Reads the account `user_id` and its recent sign-in failures; an account
/// that no longer exists signs its caller out.
pub fn account_facts(
    tx: &mut DbConnection,
    settings: &AuthSettings,
    user_id: &str,
) -> Result<AccountFacts, AppError> {
    let since = now_utc() - session::lockout_window(settings);
    match passwords::change_facts(tx, user_id, since, settings.lockout_max_failures) {
        Ok((account, failures)) => Ok(AccountFacts { account, failures }),
        Err(StoreError::NotFound) => Err(AppError::Unauthenticated(
            "The account no longer exists.".into(),
        )),
        Err(e) => Err(e.into()),
    }
}

/// A wrong current password: counted towards the sign-in lockout (it is a
/// password guess like any other) and audited.
pub fn record_wrong_current(
    caller: &AuthUser,
    tx: &mut DbConnection,
    account: &UserRow,
    ip: Option<&str>,
) -> Result<(), AppError> {
    Ok(passwords::record_change_refused(
        tx,
        &caller.actor(),
        account,
        ip,
    )?)
}

/// The refusal of a wrong current password: a rule (JSON Schema cannot
/// say which string is the password), told before anything about the new
/// one.
pub fn wrong_current_password() -> AppError {
    AppError::Rule(vec![Violation {
        rule: WRONG_CURRENT_PASSWORD,
        message: "current_password is not the account's current password".into(),
        ..Violation::default()
    }])
}

/// The new password: the rules of a new account's, and not the current
/// one.
pub fn check_new_password(cmd: &ChangePassword, email: &str) -> Result<(), AppError> {
    let mut errors = Vec::new();
    if cmd.new_password == cmd.current_password {
        errors.push(FieldError::new(
            "new_password",
            crate::app::field_error::FieldProblem::PasswordUnchanged,
        ));
    }
    if let Err(m) = check_password_policy(&cmd.new_password, email) {
        errors.push(FieldError::new("new_password", m));
    }
    finish(errors)
}

/// Stores the caller's new password hash and ends every session of theirs
/// but the one the change came from.
pub fn store_own(caller: &AuthUser, tx: &mut DbConnection, hash: &str) -> Result<(), AppError> {
    Ok(passwords::change_own(
        tx,
        &caller.actor(),
        &caller.id,
        hash,
        caller.session_id.as_deref(),
    )?)
}

/// Refused unless an administrator resets another account than their own
/// (they change their own with `POST /me/password`).
pub fn check_reset(admin: &AuthUser, user_id: &str) -> Result<(), AppError> {
    permissions::require_admin(admin)?;
    if user_id == admin.id {
        return Err(AppError::forbidden(
            Refusal::OwnAccount,
            "Change your own password with POST /api/v1/me/password; a reset is for others.",
        ));
    }
    Ok(())
}

/// A new one-time password, to hash before [`reset`].
pub fn one_time_password() -> String {
    password::generate_password()
}

/// An administrator's reset of account `user_id` to a one-time password
/// (its hash given): every session of the user ends, and their next
/// sign-in must choose a new password. Answers the account's email.
pub fn reset(
    admin: &AuthUser,
    tx: &mut DbConnection,
    user_id: &str,
    hash: &str,
) -> Result<String, AppError> {
    check_reset(admin, user_id)?;
    Ok(passwords::reset(tx, &admin.actor(), user_id, hash)?.email)
}
