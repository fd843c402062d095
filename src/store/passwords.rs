//! Password changes: the owner's own change (other sessions end, the one
//! it was made from stays) and an administrator's reset (every session
//! ends, the next sign-in must choose a new password). Decision 0039.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::audit::{self, Actor};
use super::schema::{refresh_tokens, users};
use super::sessions;
use super::users::{self as user_store, UserRow};
use super::{now_utc, DbConnection, StoreError};

/// Revokes every live refresh token of the user outside the family
/// `keep` (all of them when `keep` is `None`); returns how many.
pub fn revoke_other_sessions(
    conn: &mut DbConnection,
    user_id: &str,
    keep: Option<&str>,
    now: NaiveDateTime,
) -> Result<usize, StoreError> {
    let Some(keep) = keep else {
        return sessions::revoke_all_for_user(conn, user_id, now);
    };
    Ok(diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::family_id.ne(keep))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(Some(now)))
    .execute(conn)?)
}

/// Stores a new password hash and whether the next sign-in must change
/// it; a new version, as any change of the account.
fn set_password(
    conn: &mut DbConnection,
    user_id: &str,
    password_hash: &str,
    must_change: bool,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let changed = diesel::update(users::table.filter(users::id.eq(user_id)))
        .set((
            users::password_hash.eq(password_hash),
            users::must_change_password.eq(must_change),
            users::version.eq(users::version + 1),
            users::updated_at.eq(now),
        ))
        .execute(conn)?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// The owner's change: the new hash, the must-change mark cleared, every
/// session but `keep` (the one the change came from) revoked, audited.
pub fn change_own(
    conn: &mut DbConnection,
    actor: &Actor,
    user_id: &str,
    password_hash: &str,
    keep: Option<&str>,
) -> Result<(), StoreError> {
    conn.transaction(|conn| {
        let now = now_utc();
        set_password(conn, user_id, password_hash, false, now)?;
        let revoked = revoke_other_sessions(conn, user_id, keep, now)?;
        audit::record(
            conn,
            actor,
            "user.password_changed",
            "user",
            user_id,
            None,
            Some(serde_json::json!({"sessions_revoked": revoked, "session_kept": keep})),
        )
    })
}

/// An administrator's reset: the one-time password's hash, the mark that
/// the next sign-in must change it, every session of the user revoked,
/// audited (never the password). `NotFound` for an unknown user.
pub fn reset(
    conn: &mut DbConnection,
    actor: &Actor,
    user_id: &str,
    password_hash: &str,
) -> Result<UserRow, StoreError> {
    conn.transaction(|conn| {
        let now = now_utc();
        set_password(conn, user_id, password_hash, true, now)?;
        let revoked = sessions::revoke_all_for_user(conn, user_id, now)?;
        audit::record(
            conn,
            actor,
            "user.password_reset",
            "user",
            user_id,
            None,
            Some(serde_json::json!({"sessions_revoked": revoked, "must_change_password": true})),
        )?;
        user_store::find(conn, user_id)
    })
}

/// A change refused for a wrong current password: counted towards the
/// account's sign-in lockout (it is a password guess like any other) and
/// audited.
pub fn record_change_refused(
    conn: &mut DbConnection,
    actor: &Actor,
    user: &UserRow,
    ip: Option<&str>,
) -> Result<(), StoreError> {
    conn.transaction(|conn| {
        sessions::record_login_failure(conn, &user.email_normalized, ip, now_utc())?;
        audit::record(
            conn,
            actor,
            "user.password_change_refused",
            "user",
            &user.id,
            None,
            Some(serde_json::json!({"reason": "wrong_current_password", "ip": ip})),
        )
    })
}

/// What a change needs to be decided: the account and its recent sign-in
/// failures (newest first, at most `max`).
pub fn change_facts(
    conn: &mut DbConnection,
    user_id: &str,
    since: NaiveDateTime,
    max: u32,
) -> Result<(UserRow, Vec<NaiveDateTime>), StoreError> {
    let user = user_store::find(conn, user_id)?;
    let failures =
        sessions::recent_login_failures(conn, &user.email_normalized, since, i64::from(max))?;
    Ok((user, failures))
}
