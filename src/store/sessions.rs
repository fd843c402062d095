//! Refresh tokens (rotated, grouped in families) and failed logins.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::audit::{self, Actor};
use super::schema::{login_failures, refresh_tokens};
use super::users::{self, UserRow};
use super::{new_id, now_utc, DbConnection, StoreError};

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

/// What a sign-in needs to be decided: the recent failures of the email
/// (newest first, at most `max`) and the account it names.
pub fn login_facts(
    conn: &mut DbConnection,
    email_normalized: &str,
    since: NaiveDateTime,
    max: u32,
) -> Result<(Vec<NaiveDateTime>, Option<UserRow>), StoreError> {
    let failures = recent_login_failures(conn, email_normalized, since, i64::from(max))?;
    Ok((failures, users::find_by_email(conn, email_normalized)?))
}

/// A sign-in refused while the account is locked: audited, not counted.
pub fn record_login_locked(
    conn: &mut DbConnection,
    actor: &Actor,
    email_normalized: &str,
    user_id: Option<&str>,
    ip: Option<&str>,
) -> Result<(), StoreError> {
    audit::record(
        conn,
        actor,
        "auth.login_locked",
        "user",
        user_id.unwrap_or(email_normalized),
        None,
        Some(serde_json::json!({"email": email_normalized, "ip": ip})),
    )
}

/// A refused sign-in: counted towards the lockout and audited.
pub fn record_login_refused(
    conn: &mut DbConnection,
    actor: &Actor,
    email_normalized: &str,
    user_id: Option<&str>,
    reason: &str,
    ip: Option<&str>,
) -> Result<(), StoreError> {
    conn.transaction(|conn| {
        record_login_failure(conn, email_normalized, ip, now_utc())?;
        audit::record(
            conn,
            actor,
            "auth.login_failed",
            "user",
            user_id.unwrap_or(email_normalized),
            None,
            Some(serde_json::json!({"email": email_normalized, "reason": reason, "ip": ip})),
        )
    })
}

/// A successful sign-in: a new refresh-token family and the audit row;
/// the account and the family. The account is read again: one disabled
/// since the password was checked gets no session (`None`).
pub fn start_session(
    conn: &mut DbConnection,
    actor: &Actor,
    user_id: &str,
    token_hash: &str,
    ttl: Duration,
    ip: Option<&str>,
) -> Result<Option<(UserRow, String)>, StoreError> {
    conn.transaction(|conn| {
        let user = users::find(conn, user_id)?;
        if user.disabled {
            return Ok(None);
        }
        let family = new_id();
        insert_refresh_token(conn, &user.id, &family, token_hash, now_utc(), ttl)?;
        let actor = Actor {
            user_id: Some(user.id.clone()),
            request_id: actor.request_id.clone(),
        };
        audit::record(
            conn,
            &actor,
            "auth.login_succeeded",
            "user",
            &user.id,
            None,
            Some(serde_json::json!({"ip": ip})),
        )?;
        Ok(Some((user, family)))
    })
}

/// Rotates the refresh token with hash `presented` to `new_hash`; the
/// account it belongs to and the family when it worked, `None` when
/// refused. Reusing a
/// rotated or revoked token revokes its whole family: whoever holds a
/// stolen copy loses it too.
pub fn rotate(
    conn: &mut DbConnection,
    actor: &Actor,
    presented: &str,
    new_hash: &str,
    ttl: Duration,
) -> Result<Option<(UserRow, String)>, StoreError> {
    conn.transaction(|conn| {
        let now = now_utc();
        let Some(row) = find_refresh_token(conn, presented)? else {
            return Ok(None);
        };
        if row.revoked_at.is_some() {
            let revoked = revoke_family(conn, &row.family_id, now)?;
            audit::record(
                conn,
                actor,
                "auth.refresh_reuse_detected",
                "user",
                &row.user_id,
                None,
                Some(serde_json::json!({"family_id": row.family_id, "revoked": revoked})),
            )?;
            return Ok(None);
        }
        if row.expires_at <= now {
            return Ok(None);
        }
        let user = users::find(conn, &row.user_id)?;
        if user.disabled {
            revoke_family(conn, &row.family_id, now)?;
            return Ok(None);
        }
        let new_id = insert_refresh_token(conn, &user.id, &row.family_id, new_hash, now, ttl)?;
        if !mark_rotated(conn, &row.id, &new_id, now)? {
            // Another request rotated it first: a reuse. Revoke everything.
            revoke_family(conn, &row.family_id, now)?;
            return Ok(None);
        }
        Ok(Some((user, row.family_id)))
    })
}

/// Ends the session of the refresh token with hash `presented` when it
/// belongs to `user_id` (its whole family).
pub fn logout(
    conn: &mut DbConnection,
    actor: &Actor,
    user_id: &str,
    presented: &str,
) -> Result<(), StoreError> {
    if let Some(row) = find_refresh_token(conn, presented)? {
        if row.user_id == user_id {
            revoke_family(conn, &row.family_id, now_utc())?;
            audit::record(
                conn,
                actor,
                "auth.logout",
                "user",
                user_id,
                None,
                Some(serde_json::json!({"family_id": row.family_id})),
            )?;
        }
    }
    Ok(())
}
