//! User accounts.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::audit::{self, Actor};
use super::schema::users;
use super::{new_id, now_utc, DbConnection, StoreError};

/// A stored user row. The password hash never leaves the store layer in a
/// response: `Serialize` skips it.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = users)]
pub struct UserRow {
    /// Identifier (UUID).
    pub id: String,
    /// Email as entered.
    pub email: String,
    /// Lower-case email, unique.
    #[serde(skip)]
    pub email_normalized: String,
    /// Argon2id PHC string.
    #[serde(skip)]
    pub password_hash: String,
    /// `admin`, `hr_officer`, `director` or `cadre`.
    #[diesel(deserialize_as = String)]
    pub role: crate::domain::user::Role,
    /// The unit whose scope the user works in.
    pub org_unit_id: Option<String>,
    /// The official this account belongs to (cadres).
    pub official_id: Option<String>,
    /// `vi` or `en`.
    #[diesel(deserialize_as = String)]
    pub language: crate::domain::user::Language,
    /// Disabled accounts cannot sign in.
    pub disabled: bool,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// Creation time (UTC).
    pub created_at: NaiveDateTime,
    /// Last change (UTC).
    pub updated_at: NaiveDateTime,
    /// The person's name, for greetings and lists.
    pub full_name: Option<String>,
    /// The password was not chosen by its owner (first start, a reset):
    /// nothing but choosing a new one is allowed until it is changed.
    pub must_change_password: bool,
}

/// What a request needs to know about its caller, read on every request
/// by primary key so that a disabled account, a new role or a new unit
/// takes effect at once.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct Principal {
    /// `admin`, `hr_officer`, `director` or `cadre`.
    pub role: String,
    /// The unit whose scope the user works in.
    pub org_unit_id: Option<String>,
    /// The official this account belongs to.
    pub official_id: Option<String>,
    /// Disabled accounts are refused.
    pub disabled: bool,
    /// Only the caller's own account may be used until the password is
    /// changed (decision 0039).
    pub must_change_password: bool,
}

/// The caller's current record, `None` when the user does not exist.
pub fn find_principal(conn: &mut DbConnection, id: &str) -> Result<Option<Principal>, StoreError> {
    users::table
        .find(id)
        .select(Principal::as_select())
        .first(conn)
        .optional()
        .map_err(StoreError::from)
}

/// What is needed to create a user.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Email as entered.
    pub email: String,
    /// Lower-case email.
    pub email_normalized: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Stored role name.
    pub role: String,
    /// Scope unit.
    pub org_unit_id: Option<String>,
    /// Linked official.
    pub official_id: Option<String>,
    /// `vi` or `en`.
    pub language: String,
    /// The person's name.
    pub full_name: Option<String>,
    /// The first sign-in must choose a new password.
    pub must_change_password: bool,
}

impl NewUser {
    /// An administrator, Vietnamese by default, with no unit or official.
    /// Its password was printed or typed by an operator, so the first
    /// sign-in must replace it (decision 0039).
    pub fn admin(email: &crate::domain::email::EmailAddress, password_hash: String) -> Self {
        NewUser {
            email: email.as_str().to_string(),
            email_normalized: email.normalized(),
            password_hash,
            role: "admin".into(),
            org_unit_id: None,
            official_id: None,
            language: "vi".into(),
            full_name: None,
            must_change_password: true,
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = users)]
struct UserInsert<'a> {
    id: &'a str,
    email: &'a str,
    email_normalized: &'a str,
    password_hash: &'a str,
    role: &'a str,
    org_unit_id: Option<&'a str>,
    official_id: Option<&'a str>,
    language: &'a str,
    full_name: Option<&'a str>,
    must_change_password: bool,
    disabled: bool,
    version: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// Inserts a user and its audit row; the caller provides the transaction.
pub fn insert(
    conn: &mut DbConnection,
    actor: &Actor,
    new: &NewUser,
) -> Result<UserRow, StoreError> {
    let id = new_id();
    let now = now_utc();
    diesel::insert_into(users::table)
        .values(&UserInsert {
            id: &id,
            email: &new.email,
            email_normalized: &new.email_normalized,
            password_hash: &new.password_hash,
            role: &new.role,
            org_unit_id: new.org_unit_id.as_deref(),
            official_id: new.official_id.as_deref(),
            language: &new.language,
            full_name: new.full_name.as_deref(),
            must_change_password: new.must_change_password,
            disabled: false,
            version: 1,
            created_at: now,
            updated_at: now,
        })
        .execute(conn)?;
    let row = find(conn, &id)?;
    audit::record(
        conn,
        actor,
        "user.created",
        "user",
        &id,
        None,
        Some(serde_json::to_value(&row).unwrap_or_default()),
    )?;
    Ok(row)
}

/// One user by id.
pub fn find(conn: &mut DbConnection, id: &str) -> Result<UserRow, StoreError> {
    Ok(users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)?)
}

/// One user by email, ignoring case.
pub fn find_by_email(
    conn: &mut DbConnection,
    email_normalized: &str,
) -> Result<Option<UserRow>, StoreError> {
    Ok(users::table
        .filter(users::email_normalized.eq(email_normalized))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

/// Creates the first administrator when there are no users at all.
///
/// Returns `true` when this call created it. Two instances starting on an
/// empty database race on the unique email; the loser sees `false`.
pub fn create_first_admin_if_none(
    conn: &mut DbConnection,
    new: &NewUser,
) -> Result<bool, StoreError> {
    let result = conn.transaction::<bool, StoreError, _>(|conn| {
        let existing: i64 = users::table.count().get_result(conn)?;
        if existing > 0 {
            return Ok(false);
        }
        insert(conn, &Actor::system(), new)?;
        Ok(true)
    });
    match result {
        Err(StoreError::UniqueViolation(_)) => Ok(false),
        other => other,
    }
}

/// How many users exist.
pub fn count(conn: &mut DbConnection) -> Result<i64, StoreError> {
    Ok(users::table.count().get_result(conn)?)
}

/// Changes to a user; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct UserChanges {
    /// New email and its normalized form.
    pub email: Option<(String, String)>,
    /// New password hash.
    pub password_hash: Option<String>,
    /// New role.
    pub role: Option<String>,
    /// New scope unit.
    pub org_unit_id: Option<Option<String>>,
    /// New linked official.
    pub official_id: Option<Option<String>>,
    /// New language.
    pub language: Option<String>,
    /// Disable or enable.
    pub disabled: Option<bool>,
    /// New name; `Some(None)` clears it.
    pub full_name: Option<Option<String>>,
}

/// Why a user change was refused.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    /// The `If-Match` version is stale.
    #[error("stale")]
    Stale,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for UserError {
    fn from(e: diesel::result::Error) -> Self {
        UserError::Store(e.into())
    }
}

/// Creates a user and its audit row. The role's links are the
/// application's to check (`app::users`).
pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    new: &NewUser,
) -> Result<UserRow, StoreError> {
    insert(conn, actor, new)
}

/// Applies changes if `expected_version` is current. Disabling a user or
/// changing their password revokes all their refresh tokens. The role's
/// links are the application's to check (`app::users`).
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    expected_version: Option<i32>,
    changes: &UserChanges,
) -> Result<UserRow, UserError> {
    conn.transaction(|conn| {
        let before = find(conn, id)?;
        let expected_version = expected_version.unwrap_or(before.version);
        if before.version != expected_version {
            return Err(UserError::Stale);
        }
        let role = changes
            .role
            .clone()
            .unwrap_or_else(|| before.role.as_str().to_string());
        let org_unit_id = changes
            .org_unit_id
            .clone()
            .unwrap_or_else(|| before.org_unit_id.clone());
        let official_id = changes
            .official_id
            .clone()
            .unwrap_or_else(|| before.official_id.clone());
        let (email, email_normalized) = changes
            .email
            .clone()
            .unwrap_or_else(|| (before.email.clone(), before.email_normalized.clone()));
        let disabled = changes.disabled.unwrap_or(before.disabled);
        let now = now_utc();
        let updated = diesel::update(
            users::table
                .filter(users::id.eq(id))
                .filter(users::version.eq(expected_version)),
        )
        .set((
            users::email.eq(email),
            users::email_normalized.eq(email_normalized),
            users::password_hash.eq(changes
                .password_hash
                .clone()
                .unwrap_or_else(|| before.password_hash.clone())),
            users::role.eq(&role),
            users::org_unit_id.eq(&org_unit_id),
            users::official_id.eq(&official_id),
            users::language.eq(changes
                .language
                .clone()
                .unwrap_or_else(|| before.language.as_str().to_string())),
            users::disabled.eq(disabled),
            users::full_name.eq(changes
                .full_name
                .clone()
                .unwrap_or_else(|| before.full_name.clone())),
            users::version.eq(expected_version + 1),
            users::updated_at.eq(now),
        ))
        .execute(conn)
        .map_err(StoreError::from)?;
        if updated == 0 {
            return Err(UserError::Stale);
        }
        if (disabled && !before.disabled) || changes.password_hash.is_some() {
            super::sessions::revoke_all_for_user(conn, id, now)?;
        }
        let after = find(conn, id)?;
        let mut after_json = serde_json::to_value(&after).unwrap_or_default();
        if changes.password_hash.is_some() {
            after_json["password_changed"] = serde_json::Value::Bool(true);
        }
        audit::record(
            conn,
            actor,
            "user.updated",
            "user",
            id,
            Some(serde_json::to_value(&before).unwrap_or_default()),
            Some(after_json),
        )?;
        Ok(after)
    })
}

/// List filters and page window.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    /// Only this role.
    pub role: Option<String>,
    /// Only users of this unit.
    pub org_unit_id: Option<String>,
    /// Substring of the email, lower case.
    pub q: Option<String>,
    /// Only ids after this.
    pub after: Option<String>,
    /// Rows to fetch.
    pub limit: i64,
}

/// A page of users in id order.
pub fn list(conn: &mut DbConnection, f: &UserFilter) -> Result<Vec<UserRow>, StoreError> {
    let mut query = users::table.select(UserRow::as_select()).into_boxed();
    if let Some(role) = &f.role {
        query = query.filter(users::role.eq(role.clone()));
    }
    if let Some(unit) = &f.org_unit_id {
        query = query.filter(users::org_unit_id.eq(unit.clone()));
    }
    if let Some(q) = f.q.as_deref().filter(|q| !q.is_empty()) {
        let pattern = format!("%{}%", super::org_units::escape_like(&q.to_lowercase()));
        query = query.filter(users::email_normalized.like(pattern).escape('\\'));
    }
    if let Some(after) = &f.after {
        query = query.filter(users::id.gt(after.clone()));
    }
    Ok(query.order(users::id.asc()).limit(f.limit).load(conn)?)
}
