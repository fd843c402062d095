//! Refresh tokens (rotated, grouped in families) and failed logins.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{login_failures, refresh_tokens};
use super::{new_id, DbConnection, StoreError};

/// A stored refresh token.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshTokenRow {
    /// Identifier.
    pub id: String,
    /// Owner.
    pub user_id: String,
    /// All tokens descending from one login share a family.
    pub family_id: String,
    /// SHA-256 of the token, hex.
    pub token_hash: String,
    /// Issued at.
    pub created_at: NaiveDateTime,
    /// Not valid after.
    pub expires_at: NaiveDateTime,
    /// Set when rotated, logged out or revoked.
    pub revoked_at: Option<NaiveDateTime>,
    /// The token that replaced this one on rotation.
    pub replaced_by: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = refresh_tokens)]
struct NewRefreshToken<'a> {
    id: &'a str,
    user_id: &'a str,
    family_id: &'a str,
    token_hash: &'a str,
    created_at: NaiveDateTime,
    expires_at: NaiveDateTime,
}

/// Stores a new refresh token hash; returns its id.
pub fn insert_refresh_token(
    conn: &mut DbConnection,
    user_id: &str,
    family_id: &str,
    token_hash: &str,
    now: NaiveDateTime,
    ttl: Duration,
) -> Result<String, StoreError> {
    let id = new_id();
    diesel::insert_into(refresh_tokens::table)
        .values(&NewRefreshToken {
            id: &id,
            user_id,
            family_id,
            token_hash,
            created_at: now,
            expires_at: now + ttl,
        })
        .execute(conn)?;
    Ok(id)
}

/// The token with this hash, if any.
pub fn find_refresh_token(
    conn: &mut DbConnection,
    token_hash: &str,
) -> Result<Option<RefreshTokenRow>, StoreError> {
    Ok(refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .select(RefreshTokenRow::as_select())
        .first(conn)
        .optional()?)
}

/// Marks one live token as rotated. `false` when it was already revoked
/// (a concurrent use won the race: treat as reuse).
pub fn mark_rotated(
    conn: &mut DbConnection,
    id: &str,
    replaced_by: &str,
    now: NaiveDateTime,
) -> Result<bool, StoreError> {
    let changed = diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::id.eq(id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set((
        refresh_tokens::revoked_at.eq(Some(now)),
        refresh_tokens::replaced_by.eq(Some(replaced_by)),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Revokes every live token of a family; returns how many.
pub fn revoke_family(
    conn: &mut DbConnection,
    family_id: &str,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    Ok(diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(Some(now)))
    .execute(conn)?)
}

/// Revokes every live token of a user (disabled accounts).
pub fn revoke_all_for_user(
    conn: &mut DbConnection,
    user_id: &str,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    Ok(diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(Some(now)))
    .execute(conn)?)
}

/// Records a failed login for an email (known or not).
pub fn record_login_failure(
    conn: &mut DbConnection,
    email_normalized: &str,
    ip: Option<&str>,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::id.eq(new_id()),
            login_failures::email_normalized.eq(email_normalized),
            login_failures::occurred_at.eq(now),
            login_failures::ip.eq(ip),
        ))
        .execute(conn)?;
    Ok(())
}

/// Times of the most recent failures for an email since `since`, newest
/// first, at most `limit`.
pub fn recent_login_failures(
    conn: &mut DbConnection,
    email_normalized: &str,
    since: NaiveDateTime,
    limit: i64,
) -> Result<Vec<NaiveDateTime>, StoreError> {
    Ok(login_failures::table
        .filter(login_failures::email_normalized.eq(email_normalized))
        .filter(login_failures::occurred_at.gt(since))
        .order(login_failures::occurred_at.desc())
        .limit(limit)
        .select(login_failures::occurred_at)
        .load(conn)?)
}
