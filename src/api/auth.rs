//! `/api/v1/auth/*` and `/api/v1/me`.

use actix_web::{get, post, web, HttpMessage, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::caller::OwnAccount;
use super::fields::Line;
use super::input::Json;
use super::middleware::RequestId;
use super::problem::{ApiError, Problem};
use crate::auth::session::{self, Account, LoginVerdict, TokenPair};
use crate::domain::user::Role;
use crate::state::AppState;
use crate::store::audit::Actor;
use crate::store::{now_utc, sessions, users};

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

impl From<TokenPair> for TokenResponse {
    fn from(p: TokenPair) -> Self {
        TokenResponse {
            access_token: p.access_token,
            refresh_token: p.refresh_token,
            token_type: "Bearer",
            expires_in: p.expires_in,
            password_change_required: p.password_change_required,
        }
    }
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
    pub language: crate::domain::user::Language,
    /// A new password must be chosen (`POST /me/password`) before anything
    /// else.
    pub password_change_required: bool,
}

/// The client's address: from `server.trusted_proxy_header` when one is
/// configured and the request carries it (the last entry of a list, the
/// one the proxy appended), else the TCP peer. No other header is trusted.
pub(crate) fn client_ip(state: &AppState, req: &HttpRequest) -> Option<std::net::IpAddr> {
    let header = state.settings.server.trusted_proxy_header.as_str();
    let forwarded = (!header.is_empty())
        .then(|| req.headers().get(header))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .and_then(|last| last.trim().parse().ok());
    forwarded.or_else(|| req.peer_addr().map(|a| a.ip()))
}

pub(crate) fn anonymous_actor(req: &HttpRequest) -> Actor {
    Actor {
        user_id: None,
        request_id: req.extensions().get::<RequestId>().map(|r| r.0.clone()),
    }
}

/// The per-IP budget on `/auth/*`.
pub(crate) fn check_ip_budget(state: &AppState, req: &HttpRequest) -> Result<(), ApiError> {
    let Some(ip) = client_ip(state, req) else {
        return Ok(());
    };
    state.auth_limiter.check_key(&ip).map_err(|not_until| {
        let wait = not_until.wait_time_from(governor::clock::Clock::now(
            &governor::clock::DefaultClock::default(),
        ));
        ApiError::RateLimited {
            detail: "Too many authentication requests from this address.".into(),
            retry_after_secs: wait.as_secs().max(1),
        }
    })
}

fn invalid_credentials() -> ApiError {
    ApiError::Unauthorized("The email or password is incorrect.".into())
}

/// Read the facts, decide (Argon2 on the blocking pool, no connection
/// held), then write the outcome.
pub(crate) async fn sign_in(
    state: &web::Data<AppState>,
    email: String,
    password_given: String,
    actor: Actor,
    ip: Option<String>,
) -> Result<TokenPair, ApiError> {
    let settings = state.settings.auth.clone();
    let email = session::normalized_email(&email);
    let since = now_utc() - session::lockout_window(&settings);
    let max = settings.lockout_max_failures;
    let key = email.clone();
    let (failures, user) = state
        .db
        .read(move |conn| sessions::login_facts(conn, &key, since, max))
        .await?;
    let account = user.as_ref().map(|u| Account {
        id: u.id.clone(),
        password_hash: u.password_hash.clone(),
        disabled: u.disabled,
    });
    let verdict = super::argon::run(move || {
        session::judge_login(
            &settings,
            &failures,
            account.as_ref(),
            &password_given,
            now_utc(),
        )
    })
    .await?;
    let user_id = user.map(|u| u.id);
    match verdict {
        LoginVerdict::Locked(secs) => {
            state
                .db
                .write(move |conn| {
                    sessions::record_login_locked(
                        conn,
                        &actor,
                        &email,
                        user_id.as_deref(),
                        ip.as_deref(),
                    )
                })
                .await?;
            Err(ApiError::RateLimited {
                detail: "Too many failed sign-ins for this account; wait before trying again."
                    .into(),
                retry_after_secs: secs,
            })
        }
        LoginVerdict::Refused(reason) => {
            state
                .db
                .write(move |conn| {
                    sessions::record_login_refused(
                        conn,
                        &actor,
                        &email,
                        user_id.as_deref(),
                        reason,
                        ip.as_deref(),
                    )
                })
                .await?;
            Err(invalid_credentials())
        }
        LoginVerdict::Accepted => {
            let user_id = user_id.ok_or_else(invalid_credentials)?;
            let (token, hash) = session::new_refresh_token();
            let ttl = session::refresh_ttl(&state.settings.auth);
            let (user, family) = state
                .db
                .write(move |conn| {
                    sessions::start_session(conn, &actor, &user_id, &hash, ttl, ip.as_deref())
                })
                .await?
                .ok_or_else(invalid_credentials)?;
            pair_for(state, &user, &family, token)
        }
    }
}

fn pair_for(
    state: &AppState,
    user: &users::UserRow,
    family: &str,
    refresh_token: String,
) -> Result<TokenPair, ApiError> {
    let holder = session::Holder {
        user_id: &user.id,
        role: user.role.as_str(),
        unit: user.org_unit_id.as_deref(),
        session: family,
        must_change_password: user.must_change_password,
    };
    session::token_pair(&state.jwt, holder, refresh_token).map_err(ApiError::Internal)
}

/// Signs in with email and password.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, description = "Wrong email or password, or account disabled", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Malformed fields", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Account locked or IP over budget; see Retry-After", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
pub async fn post_login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    check_ip_budget(&state, &req)?;
    let LoginRequest { email, password } = body.into_inner();
    let ip = client_ip(&state, &req).map(|i| i.to_string());
    let pair = sign_in(&state, email.0, password, anonymous_actor(&req), ip).await?;
    Ok(HttpResponse::Ok().json(TokenResponse::from(pair)))
}

/// Exchanges a refresh token for a new pair; the old one stops working.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, description = "Unknown, expired, revoked or reused token", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "IP over budget", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn post_refresh(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    check_ip_budget(&state, &req)?;
    let presented = session::refresh_token_hash(&body.into_inner().refresh_token);
    let actor = anonymous_actor(&req);
    let (token, hash) = session::new_refresh_token();
    let ttl = session::refresh_ttl(&state.settings.auth);
    let (user, family) = state
        .db
        .write(move |conn| sessions::rotate(conn, &actor, &presented, &hash, ttl))
        .await?
        .ok_or_else(|| {
            ApiError::Unauthorized("The refresh token is invalid, expired or already used.".into())
        })?;
    let pair = pair_for(&state, &user, &family, token)?;
    Ok(HttpResponse::Ok().json(TokenResponse::from(pair)))
}

/// Ends the session the refresh token belongs to.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/logout")]
pub async fn post_logout(
    req: HttpRequest,
    OwnAccount(user): OwnAccount,
    state: web::Data<AppState>,
    body: Json<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    check_ip_budget(&state, &req)?;
    let presented = session::refresh_token_hash(&body.into_inner().refresh_token);
    let actor = user.actor();
    state
        .db
        .write(move |conn| sessions::logout(conn, &actor, &user.id, &presented))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The signed-in user.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, body = MeResponse),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me")]
pub async fn get_me(
    OwnAccount(user): OwnAccount,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = user.id.clone();
    let row = state
        .db
        .read(move |conn| users::find(conn, &id))
        .await
        .map_err(|e| match e {
            crate::store::StoreError::NotFound => {
                ApiError::Unauthorized("The account no longer exists.".into())
            }
            other => other.into(),
        })?;
    if row.disabled {
        return Err(ApiError::Unauthorized("The account is disabled.".into()));
    }
    Ok(HttpResponse::Ok().json(MeResponse {
        id: row.id,
        email: row.email,
        full_name: row.full_name,
        role: row.role,
        org_unit_id: row.org_unit_id,
        official_id: row.official_id,
        language: row.language,
        password_change_required: row.must_change_password,
    }))
}
