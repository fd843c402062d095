//! Sign-in decisions from the records handed in: the lockout, the password
//! check (Argon2, so call it off the async workers and with no database
//! connection held), and the token pair. The database halves live in
//! `store::sessions`; `app::sign_in` runs read → decide → write.

use std::sync::OnceLock;

use chrono::{Duration, NaiveDateTime};

use super::{jwt::JwtKeys, password, tokens};
use crate::config::AuthSettings;
use crate::domain::email::EmailAddress;
use crate::domain::lockout;

/// A new access and refresh token pair.
#[derive(Debug)]
pub struct TokenPair {
    /// The JWT.
    pub access_token: String,
    /// The opaque refresh token.
    pub refresh_token: String,
    /// Seconds the access token lives.
    pub expires_in: i64,
    /// The account must choose a new password before anything else.
    pub password_change_required: bool,
}

/// The account a sign-in names, as stored.
#[derive(Debug, Clone)]
pub struct Account {
    /// User id.
    pub id: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Disabled accounts cannot sign in.
    pub disabled: bool,
}

/// What a sign-in attempt comes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginVerdict {
    /// Too many recent failures: retry after this many seconds.
    Locked(u64),
    /// Refused; the reason is for the audit log only, never the client.
    Refused(&'static str),
    /// The password matches an enabled account.
    Accepted,
}

/// The lower-cased form under which failures are counted.
pub fn normalized_email(email: &str) -> String {
    EmailAddress::parse(email)
        .map(|e| e.normalized())
        .unwrap_or_else(|_| email.trim().to_lowercase())
}

/// The lockout window.
pub fn lockout_window(settings: &AuthSettings) -> Duration {
    Duration::seconds(i64::try_from(settings.lockout_window_secs).unwrap_or(900))
}

/// A hash to verify against when the email is unknown, so that an unknown
/// email costs the same Argon2 work as a wrong password.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        password::hash_password("dummy password for timing equality").unwrap_or_default()
    })
}

/// Decides a sign-in from the recent failures (newest first) and the
/// account, if the email names one. Runs Argon2 unless locked.
pub fn judge_login(
    settings: &AuthSettings,
    failures: &[NaiveDateTime],
    account: Option<&Account>,
    password_given: &str,
    now: NaiveDateTime,
) -> LoginVerdict {
    let window = lockout_window(settings);
    if let Some(until) = lockout::locked_until(failures, settings.lockout_max_failures, window, now)
    {
        let wait = (until - now).num_seconds().max(1);
        return LoginVerdict::Locked(u64::try_from(wait).unwrap_or(1));
    }
    match account {
        None => {
            password::verify_password(password_given, dummy_hash());
            LoginVerdict::Refused("unknown_email")
        }
        Some(a) => {
            let matches = password::verify_password(password_given, &a.password_hash);
            if !matches {
                LoginVerdict::Refused("wrong_password")
            } else if a.disabled {
                LoginVerdict::Refused("disabled")
            } else {
                LoginVerdict::Accepted
            }
        }
    }
}

/// A fresh refresh token: the value for the client and the hash to store.
pub fn new_refresh_token() -> (String, String) {
    let token = tokens::new_refresh_token();
    let hash = tokens::hash_token(&token);
    (token, hash)
}

/// The hash under which a presented refresh token is stored.
pub fn refresh_token_hash(presented: &str) -> String {
    tokens::hash_token(presented)
}

/// How long a refresh token lives.
pub fn refresh_ttl(settings: &AuthSettings) -> Duration {
    Duration::days(i64::try_from(settings.refresh_token_ttl_days).unwrap_or(30))
}

/// Who a token pair is for: the account and the session (refresh-token
/// family) it belongs to.
#[derive(Debug, Clone, Copy)]
pub struct Holder<'a> {
    /// User id.
    pub user_id: &'a str,
    /// Stored role.
    pub role: &'a str,
    /// Scope unit.
    pub unit: Option<&'a str>,
    /// The refresh-token family.
    pub session: &'a str,
    /// The account must choose a new password first.
    pub must_change_password: bool,
}

/// The pair handed to the client once the refresh token is stored.
pub fn token_pair(
    keys: &JwtKeys,
    holder: Holder<'_>,
    refresh_token: String,
) -> Result<TokenPair, String> {
    Ok(TokenPair {
        access_token: keys.issue(holder.user_id, holder.role, holder.unit, holder.session)?,
        refresh_token,
        expires_in: keys.ttl_secs(),
        password_change_required: holder.must_change_password,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> AuthSettings {
        AuthSettings {
            jwt_secret: crate::config::Secret::new("unit-test-secret".to_string()),
            access_token_ttl_secs: 900,
            refresh_token_ttl_days: 30,
            lockout_max_failures: 3,
            lockout_window_secs: 600,
            auth_requests_per_ip_per_minute: 10,
        }
    }

    fn account(password: &str, disabled: bool) -> Account {
        Account {
            id: "u".into(),
            password_hash: password::hash_password(password).unwrap(),
            disabled,
        }
    }

    #[test]
    fn the_right_password_of_an_enabled_account_is_accepted() {
        let now = chrono::Utc::now().naive_utc();
        let a = account("correct horse battery", false);
        assert_eq!(
            judge_login(&settings(), &[], Some(&a), "correct horse battery", now),
            LoginVerdict::Accepted
        );
        assert_eq!(
            judge_login(&settings(), &[], Some(&a), "wrong", now),
            LoginVerdict::Refused("wrong_password")
        );
        let off = account("correct horse battery", true);
        assert_eq!(
            judge_login(&settings(), &[], Some(&off), "correct horse battery", now),
            LoginVerdict::Refused("disabled")
        );
        assert_eq!(
            judge_login(&settings(), &[], None, "x", now),
            LoginVerdict::Refused("unknown_email")
        );
    }

    #[test]
    fn enough_recent_failures_lock_even_the_right_password() {
        let now = chrono::Utc::now().naive_utc();
        let a = account("correct horse battery", false);
        let failures = [now, now - Duration::seconds(1), now - Duration::seconds(2)];
        assert!(matches!(
            judge_login(
                &settings(),
                &failures,
                Some(&a),
                "correct horse battery",
                now
            ),
            LoginVerdict::Locked(_)
        ));
    }
}
