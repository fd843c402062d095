//! Accounts, administrators only. A password is hashed between checking a
//! command and running it (Argon2 takes tens of milliseconds and must hold
//! no connection), so creating and changing an account are two calls:
//! `check_new` / `check_change` before the hash, `create` / `update` in
//! the unit of work after it. The first administrator, whom no one signed
//! in creates, is in `first_admin`.

mod first_admin;

pub use first_admin::{check_first_admin, create_first_admin};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::fields::{Email, Id, Name, Plain, Search};
use super::page::{Page, PageWindow};
use super::patch::double_option;
use super::validate::finish;
use super::{AppError, Clash, FieldError};
use crate::auth::{permissions, AuthUser};
use crate::domain::email::EmailAddress;
use crate::domain::secondment::Violation;
use crate::domain::user::{check_password_policy, Language, Role};
use crate::store::users::{self, NewUser, UserChanges, UserError, UserFilter, UserRow};
use crate::store::{officials, org_units, DbConnection};

/// A user account (never the password).
#[derive(Debug, Serialize, ToSchema)]
pub struct User {
    /// Identifier.
    pub id: String,
    /// Email.
    pub email: String,
    /// The person's name.
    pub full_name: Option<String>,
    /// Role.
    pub role: Role,
    /// Scope unit (HR officers, directors).
    pub org_unit_id: Option<String>,
    /// Linked official (cadres).
    pub official_id: Option<String>,
    /// `vi` or `en`.
    pub language: Language,
    /// Disabled accounts cannot sign in.
    pub disabled: bool,
    /// Version (the ETag).
    pub version: i32,
    /// Created (UTC).
    pub created_at: DateTime<Utc>,
    /// Last changed (UTC).
    pub updated_at: DateTime<Utc>,
}

impl From<UserRow> for User {
    fn from(r: UserRow) -> Self {
        User {
            id: r.id,
            email: r.email,
            full_name: r.full_name,
            role: r.role,
            org_unit_id: r.org_unit_id,
            official_id: r.official_id,
            language: r.language,
            disabled: r.disabled,
            version: r.version,
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
        }
    }
}

/// A new account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    /// Email, unique ignoring case.
    pub email: Email,
    /// At least 12 characters, not the email.
    #[schema(min_length = 12, max_length = 1024)]
    pub password: String,
    /// The person's name (emails greet them by it).
    pub full_name: Option<Name>,
    /// Role.
    pub role: Role,
    /// Required for HR officers and directors: their scope.
    pub org_unit_id: Option<Id>,
    /// Required for cadres: the official they are.
    pub official_id: Option<Id>,
    /// Default `vi`.
    pub language: Option<Language>,
    /// Create disabled (default false).
    #[serde(default)]
    pub disabled: bool,
}

/// Changes to an account; absent fields stay as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    /// New email.
    pub email: Option<Email>,
    /// New password (revokes the user's refresh tokens).
    #[schema(min_length = 12, max_length = 1024)]
    pub password: Option<String>,
    /// New name; `null` clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Name>)]
    pub full_name: Option<Option<Name>>,
    /// New role.
    pub role: Option<Role>,
    /// New scope unit; `null` clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Id>)]
    pub org_unit_id: Option<Option<Id>>,
    /// New linked official; `null` clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Id>)]
    pub official_id: Option<Option<Id>>,
    /// New language.
    pub language: Option<Language>,
    /// Disable (revokes refresh tokens) or enable.
    pub disabled: Option<bool>,
}

/// List filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Only this role.
    pub role: Option<Role>,
    /// Only users of this unit.
    pub org_unit_id: Option<Id>,
    /// Part of the email.
    pub q: Option<Search<200>>,
    /// Page size (1-500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A new account whose fields passed their checks; its password is still
/// to be hashed.
#[derive(Debug)]
pub struct NewAccount {
    cmd: CreateUser,
    email: EmailAddress,
}

impl NewAccount {
    /// The password to hash before [`create`].
    pub fn password(&self) -> String {
        self.cmd.password.clone()
    }

    /// The record to store, with the password's hash.
    fn record(&self, password_hash: String) -> NewUser {
        let cmd = &self.cmd;
        NewUser {
            email: self.email.as_str().to_string(),
            email_normalized: self.email.normalized(),
            password_hash,
            role: cmd.role.as_str().to_string(),
            org_unit_id: cmd.org_unit_id.clone().plain(),
            official_id: cmd.official_id.clone().plain(),
            language: cmd.language.unwrap_or_default().as_str().to_string(),
            full_name: cmd.full_name.clone().plain(),
            must_change_password: false,
        }
    }
}

/// Checks a new account's fields (administrators): every bad one at once.
pub fn check_new(caller: &AuthUser, cmd: CreateUser) -> Result<NewAccount, AppError> {
    permissions::require_admin(caller)?;
    checked(cmd)
}

/// A new account's fields checked, every bad one at once.
fn checked(cmd: CreateUser) -> Result<NewAccount, AppError> {
    let mut errors = Vec::new();
    let email = EmailAddress::parse(&cmd.email)
        .map_err(|m| errors.push(FieldError::new("email", m)))
        .ok();
    if let Err(m) = check_password_policy(&cmd.password, &cmd.email) {
        errors.push(FieldError::new("password", m));
    }
    finish(errors)?;
    let email = email.ok_or_else(|| AppError::invalid("email", "is invalid"))?;
    Ok(NewAccount { cmd, email })
}

/// Creates the account with its password's hash; created disabled when
/// asked (both, or neither).
pub fn create(
    caller: &AuthUser,
    tx: &mut DbConnection,
    account: NewAccount,
    password_hash: String,
) -> Result<User, AppError> {
    permissions::require_admin(caller)?;
    let new = account.record(password_hash);
    let cmd = account.cmd;
    check_links(
        tx,
        cmd.role,
        new.org_unit_id.as_deref(),
        new.official_id.as_deref(),
    )?;
    let actor = caller.actor();
    let created = users::create(tx, &actor, &new)?;
    if !cmd.disabled {
        return Ok(created.into());
    }
    let changes = UserChanges {
        disabled: Some(true),
        ..Default::default()
    };
    Ok(users::update(tx, &actor, &created.id, Some(created.version), &changes)?.into())
}

/// One page of accounts, filtered (administrators).
pub fn list(
    caller: &AuthUser,
    tx: &mut DbConnection,
    q: UserQuery,
) -> Result<Page<User>, AppError> {
    permissions::require_admin(caller)?;
    let window = PageWindow::parse(q.limit, q.cursor.as_deref())?;
    let filter = UserFilter {
        role: q.role.map(|r| r.as_str().to_string()),
        org_unit_id: q.org_unit_id.plain(),
        q: q.q.plain(),
        after: window.after.clone(),
        limit: window.fetch(),
    };
    let rows = users::list(tx, &filter)?;
    Ok(window.page(rows, |r| r.id.clone(), User::from))
}

/// One account (administrators).
pub fn find(caller: &AuthUser, tx: &mut DbConnection, id: &str) -> Result<User, AppError> {
    permissions::require_admin(caller)?;
    Ok(users::find(tx, id)?.into())
}

/// A change whose fields passed their checks; a new password is still to
/// be hashed.
#[derive(Debug)]
pub struct AccountChange {
    changes: UserChanges,
    password: Option<String>,
}

impl AccountChange {
    /// The new password to hash before [`update`], when there is one.
    pub fn new_password(&self) -> Option<String> {
        self.password.clone()
    }
}

/// Checks a change of account `id` (administrators): every bad field at
/// once; an administrator keeps their own account and role.
pub fn check_change(
    caller: &AuthUser,
    id: &str,
    cmd: UpdateUser,
) -> Result<AccountChange, AppError> {
    permissions::require_admin(caller)?;
    let mut errors = Vec::new();
    let email = match &cmd.email {
        Some(e) => EmailAddress::parse(e)
            .map_err(|m| errors.push(FieldError::new("email", m)))
            .ok(),
        None => None,
    };
    if let Some(p) = &cmd.password {
        let against = cmd.email.clone().plain().unwrap_or_default();
        if let Err(m) = check_password_policy(p, &against) {
            errors.push(FieldError::new("password", m));
        }
    }
    finish(errors)?;
    if cmd.disabled == Some(true) && id == caller.id {
        return Err(AppError::conflict(
            Clash::OwnAccount,
            "An administrator cannot disable their own account.",
        ));
    }
    if cmd.role.is_some_and(|r| r != Role::Admin) && id == caller.id {
        return Err(AppError::conflict(
            Clash::OwnAccount,
            "An administrator cannot give up their own role; another administrator can.",
        ));
    }
    let changes = UserChanges {
        email: email.map(|e| (e.as_str().to_string(), e.normalized())),
        password_hash: None,
        role: cmd.role.map(|r| r.as_str().to_string()),
        org_unit_id: cmd.org_unit_id.plain(),
        official_id: cmd.official_id.plain(),
        language: cmd.language.map(|l| l.as_str().to_string()),
        disabled: cmd.disabled,
        full_name: cmd.full_name.plain(),
    };
    Ok(AccountChange {
        changes,
        password: cmd.password,
    })
}

/// Changes account `id` seen at `version` (`None`: whatever the version),
/// with the new password's hash when there is one. The role and its links
/// are checked as they will be after the change.
pub fn update(
    caller: &AuthUser,
    tx: &mut DbConnection,
    id: &str,
    version: Option<i32>,
    change: AccountChange,
    password_hash: Option<String>,
) -> Result<User, AppError> {
    permissions::require_admin(caller)?;
    let mut changes = change.changes;
    changes.password_hash = password_hash;
    let before = users::find(tx, id)?;
    if version.is_some_and(|v| v != before.version) {
        return Err(AppError::Stale);
    }
    let role = match &changes.role {
        Some(r) => Role::parse(r).unwrap_or(before.role),
        None => before.role,
    };
    let unit = changes
        .org_unit_id
        .clone()
        .unwrap_or_else(|| before.org_unit_id.clone());
    let official = changes
        .official_id
        .clone()
        .unwrap_or_else(|| before.official_id.clone());
    check_links(tx, role, unit.as_deref(), official.as_deref())?;
    Ok(users::update(tx, &caller.actor(), id, Some(before.version), &changes)?.into())
}

/// A version that moved between the read and the write is stale.
impl From<UserError> for AppError {
    fn from(e: UserError) -> Self {
        match e {
            UserError::Stale => AppError::Stale,
            UserError::Store(e) => e.into(),
        }
    }
}

/// The links a role needs (a unit for HR officers and directors, an
/// official for cadres), each naming a record that exists.
fn check_links(
    tx: &mut DbConnection,
    role: Role,
    org_unit_id: Option<&str>,
    official_id: Option<&str>,
) -> Result<(), AppError> {
    let needs = |message: &str| {
        AppError::Rule(vec![Violation {
            rule: "role_needs_link",
            message: message.to_string(),
            ..Violation::default()
        }])
    };
    if matches!(role, Role::HrOfficer | Role::Director) && org_unit_id.is_none() {
        return Err(needs(
            "HR officers and directors need org_unit_id, the unit whose scope they work in",
        ));
    }
    if role == Role::Cadre && official_id.is_none() {
        return Err(needs("cadres need official_id, the official they are"));
    }
    if let Some(unit) = org_unit_id {
        if org_units::find_optional(tx, unit)?.is_none() {
            return Err(AppError::unknown("org_unit_id", "unit"));
        }
    }
    if let Some(official) = official_id {
        if !officials::exists(tx, official)? {
            return Err(AppError::unknown("official_id", "official"));
        }
    }
    Ok(())
}
