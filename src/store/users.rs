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
    pub role: String,
    /// The unit whose scope the user works in.
    pub org_unit_id: Option<String>,
    /// The official this account belongs to (cadres).
    pub official_id: Option<String>,
    /// `vi` or `en`.
    pub language: String,
    /// Disabled accounts cannot sign in.
    pub disabled: bool,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// Creation time (UTC).
    pub created_at: NaiveDateTime,
    /// Last change (UTC).
    pub updated_at: NaiveDateTime,
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
