//! Signing in and out: the sign-in (the lockout of an account after
//! repeated failures, the password check, a new session), the rotation of
//! a refresh token, signing out, the caller's own account (`GET /me`) and
//! the console's session cookie.
//!
//! A refusal here is recorded (a failure counts towards the lockout, a
//! reused refresh token ends its whole session) and then answered, so the
//! unit that records it commits and returns an [`Outcome`]; the refusal
//! becomes an error only after it ([`Outcome::tokens`]).

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::fields::Line;
use super::{caller, password_work, units, AppError, Context};
use crate::auth::jwt::JwtKeys;
use crate::auth::session::{self, Account, LoginVerdict};
use crate::auth::AuthUser;
use crate::config::AuthSettings;
use crate::domain::actor::Actor;
use crate::domain::user::{Language, Role};
use crate::store::users::{self, UserRow};
use crate::store::{now_utc, sessions, Database, DbConnection, StoreError};

/// Credentials.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Account email (case does not matter).
    #[schema(example = "admin@secondments.local")]
    pub email: Line<320>,
    /// Password.
    pub password: String,
}

/// A refresh token presented for rotation or logout.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token from the last login or refresh.
    pub refresh_token: String,
}

/// Issued tokens.
#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// Short-lived JWT for `Authorization: Bearer`.
    pub access_token: String,
    /// Opaque token for `/auth/refresh`; single use.
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// The password was set by someone else (first start, a reset): until
    /// `POST /me/password` changes it, every route but that one, `GET /me`
    /// and `POST /auth/logout` answers 403 `password-change-required`.
    pub password_change_required: bool,
}

/// The signed-in user.
#[derive(Serialize, ToSchema)]
pub struct MeResponse {
    /// User id.
    pub id: String,
    /// Email.
    pub email: String,
    /// The person's name.
    pub full_name: Option<String>,
    /// Role.
    pub role: Role,
    /// Scope unit.
    pub org_unit_id: Option<String>,
    /// Linked official (cadres).
    pub official_id: Option<String>,
    /// `vi` or `en`.
    pub language: Language,
    /// A new password must be chosen (`POST /me/password`) before anything
    /// else.
    pub password_change_required: bool,
}

/// A sign-in attempt as a door received it.
#[derive(Debug)]
pub struct Credentials {
    /// The email as typed.
    pub email: String,
    /// The password as typed.
    pub password: String,
    /// The client's address, for the audit log.
    pub ip: Option<String>,
    /// The request, for the audit log.
    pub request_id: Option<String>,
}

/// A session begun or continued: the account, the session (refresh-token
/// family) and the refresh token handed to the client.
#[derive(Debug)]
pub struct Session {
    user: UserRow,
    family: String,
    refresh_token: String,
}

/// What a sign-in or a refresh came to, once recorded.
#[derive(Debug)]
pub enum Outcome {
    /// Too many recent failures: retry after this many seconds.
    Locked(u64),
    /// The email or password is wrong, or the account disabled.
    WrongCredentials,
    /// The refresh token is unknown, expired, revoked or already used.
    StaleRefreshToken,
    /// A session, to be answered with a token pair.
    Started(Box<Session>),
}

impl Outcome {
    /// The answer: the token pair of the session, or the refusal.
    pub fn tokens(self, keys: &JwtKeys) -> Result<TokenResponse, AppError> {
        let s = match self {
            Outcome::Locked(secs) => {
                return Err(AppError::RateLimited {
                    detail: "Too many failed sign-ins for this account; wait before trying again."
                        .into(),
                    retry_after_secs: secs,
                })
            }
            Outcome::WrongCredentials => {
                return Err(AppError::Unauthenticated(
                    "The email or password is incorrect.".into(),
                ))
            }
            Outcome::StaleRefreshToken => {
                return Err(AppError::Unauthenticated(
                    "The refresh token is invalid, expired or already used.".into(),
                ))
            }
            Outcome::Started(s) => *s,
        };
        let holder = session::Holder {
            user_id: &s.user.id,
            role: s.user.role.as_str(),
            unit: s.user.org_unit_id.as_deref(),
            session: &s.family,
            must_change_password: s.user.must_change_password,
        };
        let pair =
            session::token_pair(keys, holder, s.refresh_token).map_err(AppError::Internal)?;
        Ok(TokenResponse {
            access_token: pair.access_token,
            refresh_token: pair.refresh_token,
            token_type: "Bearer",
            expires_in: pair.expires_in,
            password_change_required: pair.password_change_required,
        })
    }
}

/// Signs in: the account's recent failures and record are read, the
/// password is checked with no connection held (Argon2), and the outcome
/// is recorded in a unit of its own.
pub async fn sign_in(
    db: &Database,
    cx: Context,
    keys: &JwtKeys,
    credentials: Credentials,
) -> Result<TokenResponse, AppError> {
    let settings = cx.settings.clone();
    let attempt = units::read(db, move |tx| attempt(tx, &settings.auth, credentials)).await?;
    let settings = cx.settings.clone();
    let judged = password_work::run(move || attempt.judge(&settings.auth)).await?;
    let outcome = units::write(db, move |tx| record(tx, &cx, judged)).await?;
    outcome.tokens(keys)
}

/// A sign-in with what decides it: the recent failures of the email
/// (newest first) and the account it names.
#[derive(Debug)]
pub struct Attempt {
    email: String,
    password: String,
    failures: Vec<NaiveDateTime>,
    account: Option<UserRow>,
    actor: Actor,
    ip: Option<String>,
}

/// A sign-in decided.
#[derive(Debug)]
pub struct Judged {
    attempt: Attempt,
    verdict: LoginVerdict,
}

/// Reads what decides a sign-in.
pub fn attempt(
    tx: &mut DbConnection,
    settings: &AuthSettings,
    c: Credentials,
) -> Result<Attempt, AppError> {
    let email = session::normalized_email(c.email.trim());
    let since = now_utc() - session::lockout_window(settings);
    let (failures, account) =
        sessions::login_facts(tx, &email, since, settings.lockout_max_failures)?;
    Ok(Attempt {
        email,
        password: c.password,
        failures,
        account,
        actor: Actor {
            user_id: None,
            request_id: c.request_id,
        },
        ip: c.ip,
    })
}

impl Attempt {
    /// Decides the sign-in: locked, refused or accepted. Runs Argon2 (unless
    /// locked): call it through [`password_work::run`].
    pub fn judge(mut self, settings: &AuthSettings) -> Judged {
        let account = self.account.as_ref().map(|u| Account {
            id: u.id.clone(),
            password_hash: u.password_hash.clone(),
            disabled: u.disabled,
        });
        let password = std::mem::take(&mut self.password);
        let verdict = session::judge_login(
            settings,
            &self.failures,
            account.as_ref(),
            &password,
            now_utc(),
        );
        Judged {
            attempt: self,
            verdict,
        }
    }
}

/// Records a decided sign-in: a locked one is audited, a refused one
/// counted towards the lockout and audited, an accepted one starts a
/// session (none for an account disabled since its password was checked).
pub fn record(tx: &mut DbConnection, cx: &Context, judged: Judged) -> Result<Outcome, AppError> {
    let Judged {
        attempt: a,
        verdict,
    } = judged;
    let user_id = a.account.map(|u| u.id);
    match verdict {
        LoginVerdict::Locked(secs) => {
            sessions::record_login_locked(
                tx,
                &a.actor,
                &a.email,
                user_id.as_deref(),
                a.ip.as_deref(),
            )?;
            Ok(Outcome::Locked(secs))
        }
        LoginVerdict::Refused(reason) => {
            sessions::record_login_refused(
                tx,
                &a.actor,
                &a.email,
                user_id.as_deref(),
                reason,
                a.ip.as_deref(),
            )?;
            Ok(Outcome::WrongCredentials)
        }
        LoginVerdict::Accepted => {
            let Some(user_id) = user_id else {
                return Ok(Outcome::WrongCredentials);
            };
            let (refresh_token, hash) = session::new_refresh_token();
            let ttl = session::refresh_ttl(&cx.settings.auth);
            let started =
                sessions::start_session(tx, &a.actor, &user_id, &hash, ttl, a.ip.as_deref())?;
            Ok(match started {
                Some((user, family)) => Outcome::Started(Box::new(Session {
                    user,
                    family,
                    refresh_token,
                })),
                None => Outcome::WrongCredentials,
            })
        }
    }
}

/// Exchanges a refresh token for a new one (the old one stops working). A
/// reused token ends its whole session, whoever holds it.
pub fn refresh(
    tx: &mut DbConnection,
    cx: &Context,
    actor: &Actor,
    refresh_token: &str,
) -> Result<Outcome, AppError> {
    let presented = session::refresh_token_hash(refresh_token);
    let (token, hash) = session::new_refresh_token();
    let ttl = session::refresh_ttl(&cx.settings.auth);
    Ok(match sessions::rotate(tx, actor, &presented, &hash, ttl)? {
        Some((user, family)) => Outcome::Started(Box::new(Session {
            user,
            family,
            refresh_token: token,
        })),
        None => Outcome::StaleRefreshToken,
    })
}

/// Ends the caller's session that `refresh_token` belongs to (its whole
/// family); a token of someone else's ends nothing.
pub fn sign_out(
    caller: &AuthUser,
    tx: &mut DbConnection,
    refresh_token: &str,
) -> Result<(), AppError> {
    let presented = session::refresh_token_hash(refresh_token);
    sessions::logout(tx, &caller.actor(), &caller.id, &presented)?;
    Ok(())
}

/// The caller's own account as it is now.
pub fn me(caller: &AuthUser, tx: &mut DbConnection) -> Result<MeResponse, AppError> {
    let row = match users::find(tx, &caller.id) {
        Ok(row) => row,
        Err(StoreError::NotFound) => {
            return Err(AppError::Unauthenticated(
                "The account no longer exists.".into(),
            ))
        }
        Err(e) => return Err(e.into()),
    };
    if row.disabled {
        return Err(AppError::Unauthenticated("The account is disabled.".into()));
    }
    Ok(MeResponse {
        id: row.id,
        email: row.email,
        full_name: row.full_name,
        role: row.role,
        org_unit_id: row.org_unit_id,
        official_id: row.official_id,
        language: row.language,
        password_change_required: row.must_change_password,
    })
}

/// The caller a console session cookie's refresh token names, `None`
/// without a live session (unknown, expired, signed out, revoked) or for
/// an account that is gone or disabled. The session is the token's
/// family: a password change made through it keeps it.
pub fn session_of(
    tx: &mut DbConnection,
    refresh_token: &str,
) -> Result<Option<AuthUser>, AppError> {
    let hash = session::refresh_token_hash(refresh_token);
    let Some(row) = sessions::find_refresh_token(tx, &hash)? else {
        return Ok(None);
    };
    if row.revoked_at.is_some() || row.expires_at <= now_utc() {
        return Ok(None);
    }
    let record = users::find_principal(tx, &row.user_id)?;
    let Ok(mut user) = caller::principal(row.user_id, record) else {
        return Ok(None);
    };
    user.session_id = Some(row.family_id);
    Ok(Some(user))
}
