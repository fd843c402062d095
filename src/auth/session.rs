//! Login, refresh rotation and logout, each one unit of work on the store.

use std::sync::OnceLock;

use chrono::Duration;

use super::{jwt::JwtKeys, password, tokens};
use crate::config::AuthSettings;
use crate::domain::email::EmailAddress;
use crate::domain::lockout;
use crate::store::audit::{self, Actor};
use crate::store::{now_utc, sessions, users, DbConnection, StoreError};

/// A new access and refresh token pair.
#[derive(Debug)]
pub struct TokenPair {
    /// The JWT.
    pub access_token: String,
    /// The opaque refresh token.
    pub refresh_token: String,
    /// Seconds the access token lives.
    pub expires_in: i64,
}

/// Why a login or refresh was refused.
#[derive(Debug)]
pub enum AuthFailure {
    /// Wrong email, wrong password, disabled account, bad token: one answer.
    Invalid,
    /// Too many failures; retry after this many seconds.
    Locked(u64),
    /// The store failed.
    Store(StoreError),
}

impl From<StoreError> for AuthFailure {
    fn from(e: StoreError) -> Self {
        AuthFailure::Store(e)
    }
}

/// A hash to verify against when the email is unknown, so that an unknown
/// email costs the same Argon2 work as a wrong password.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        password::hash_password("dummy password for timing equality").unwrap_or_default()
    })
}

/// Checks credentials, applies the lockout, and issues a token pair.
pub fn login(
    conn: &mut DbConnection,
    settings: &AuthSettings,
    keys: &JwtKeys,
    email: &str,
    password_given: &str,
    actor: &Actor,
    ip: Option<&str>,
) -> Result<TokenPair, AuthFailure> {
    let normalized = EmailAddress::parse(email)
        .map(|e| e.normalized())
        .unwrap_or_else(|_| email.trim().to_lowercase());
    let now = now_utc();
    let window = Duration::seconds(i64::try_from(settings.lockout_window_secs).unwrap_or(900));
    let failures = sessions::recent_login_failures(
        conn,
        &normalized,
        now - window,
        i64::from(settings.lockout_max_failures),
    )?;
    let user = users::find_by_email(conn, &normalized)?;
    if let Some(until) =
        lockout::locked_until(&failures, settings.lockout_max_failures, window, now)
    {
        let wait = (until - now).num_seconds().max(1);
        audit::record(
            conn,
            actor,
            "auth.login_locked",
            "user",
            user.as_ref().map_or(normalized.as_str(), |u| u.id.as_str()),
            None,
            Some(serde_json::json!({"email": normalized, "ip": ip})),
        )?;
        return Err(AuthFailure::Locked(u64::try_from(wait).unwrap_or(1)));
    }
    let matches = match &user {
        Some(u) => password::verify_password(password_given, &u.password_hash),
        None => {
            password::verify_password(password_given, dummy_hash());
            false
        }
    };
    let user = match user {
        Some(u) if matches && !u.disabled => u,
        other => {
            sessions::record_login_failure(conn, &normalized, ip, now)?;
            let reason = match &other {
                None => "unknown_email",
                Some(u) if u.disabled => "disabled",
                Some(_) => "wrong_password",
            };
            audit::record(
                conn,
                actor,
                "auth.login_failed",
                "user",
                other
                    .as_ref()
                    .map_or(normalized.as_str(), |u| u.id.as_str()),
                None,
                Some(serde_json::json!({"email": normalized, "reason": reason, "ip": ip})),
            )?;
            return Err(AuthFailure::Invalid);
        }
    };
    let pair = issue_pair(conn, settings, keys, &user, &crate::store::new_id())?;
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
    Ok(pair)
}

fn issue_pair(
    conn: &mut DbConnection,
    settings: &AuthSettings,
    keys: &JwtKeys,
    user: &users::UserRow,
    family_id: &str,
) -> Result<TokenPair, AuthFailure> {
    let access_token = keys
        .issue(&user.id, &user.role, user.org_unit_id.as_deref())
        .map_err(|e| AuthFailure::Store(StoreError::Internal(e)))?;
    let refresh_token = tokens::new_refresh_token();
    sessions::insert_refresh_token(
        conn,
        &user.id,
        family_id,
        &tokens::hash_token(&refresh_token),
        now_utc(),
        Duration::days(i64::try_from(settings.refresh_token_ttl_days).unwrap_or(30)),
    )?;
    Ok(TokenPair {
        access_token,
        refresh_token,
        expires_in: keys.ttl_secs(),
    })
}

/// Rotates a refresh token. Reusing a rotated or revoked token revokes its
/// whole family: whoever holds a stolen copy loses it too.
pub fn refresh(
    conn: &mut DbConnection,
    settings: &AuthSettings,
    keys: &JwtKeys,
    presented: &str,
    actor: &Actor,
) -> Result<TokenPair, AuthFailure> {
    let now = now_utc();
    let Some(row) = sessions::find_refresh_token(conn, &tokens::hash_token(presented))? else {
        return Err(AuthFailure::Invalid);
    };
    if row.revoked_at.is_some() {
        let revoked = sessions::revoke_family(conn, &row.family_id, now)?;
        audit::record(
            conn,
            actor,
            "auth.refresh_reuse_detected",
            "user",
            &row.user_id,
            None,
            Some(serde_json::json!({"family_id": row.family_id, "revoked": revoked})),
        )?;
        return Err(AuthFailure::Invalid);
    }
    if row.expires_at <= now {
        return Err(AuthFailure::Invalid);
    }
    let user = users::find(conn, &row.user_id)?;
    if user.disabled {
        sessions::revoke_family(conn, &row.family_id, now)?;
        return Err(AuthFailure::Invalid);
    }
    let pair = issue_pair(conn, settings, keys, &user, &row.family_id)?;
    let new_row = sessions::find_refresh_token(conn, &tokens::hash_token(&pair.refresh_token))?
        .ok_or(StoreError::NotFound)?;
    if !sessions::mark_rotated(conn, &row.id, &new_row.id, now)? {
        // Another request rotated it first: a reuse. Revoke everything.
        sessions::revoke_family(conn, &row.family_id, now)?;
        return Err(AuthFailure::Invalid);
    }
    Ok(pair)
}

/// Ends the session of a refresh token owned by `user_id` (its family).
pub fn logout(
    conn: &mut DbConnection,
    user_id: &str,
    presented: &str,
    actor: &Actor,
) -> Result<(), StoreError> {
    if let Some(row) = sessions::find_refresh_token(conn, &tokens::hash_token(presented))? {
        if row.user_id == user_id {
            sessions::revoke_family(conn, &row.family_id, now_utc())?;
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
