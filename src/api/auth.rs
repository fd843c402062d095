//! `/api/v1/auth/*` and `/api/v1/me` (`app::sign_in`). The per-address
//! budget and the client's address are the door's.

use actix_web::{get, post, web, HttpMessage, HttpRequest, HttpResponse};

use super::caller::OwnAccount;
use super::input::Json;
use super::middleware::RequestId;
use super::problem::{ApiError, Problem};
use crate::app::sign_in::{
    self, Credentials, LoginRequest, MeResponse, RefreshRequest, TokenResponse,
};
use crate::app::{units, Context};
use crate::domain::actor::Actor;
use crate::state::AppState;

fn request_id(req: &HttpRequest) -> Option<String> {
    req.extensions().get::<RequestId>().map(|r| r.0.clone())
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
    state.check_auth_budget(&req)?;
    let LoginRequest { email, password } = body.into_inner();
    let credentials = Credentials {
        email: email.0,
        password,
        ip: state.client_ip(&req).map(|i| i.to_string()),
        request_id: request_id(&req),
    };
    let cx = Context::now(state.settings.clone());
    let pair = sign_in::sign_in(&state.db, cx, &state.jwt, credentials).await?;
    Ok(HttpResponse::Ok().json(pair))
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
    state.check_auth_budget(&req)?;
    let token = body.into_inner().refresh_token;
    let actor = Actor {
        user_id: None,
        request_id: request_id(&req),
    };
    let cx = Context::now(state.settings.clone());
    let outcome = units::write(&state.db, move |tx| {
        sign_in::refresh(tx, &cx, &actor, &token)
    })
    .await?;
    Ok(HttpResponse::Ok().json(outcome.tokens(&state.jwt)?))
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
    state.check_auth_budget(&req)?;
    let token = body.into_inner().refresh_token;
    units::write(&state.db, move |tx| sign_in::sign_out(&user, tx, &token)).await?;
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
    let me = units::read(&state.db, move |tx| sign_in::me(&user, tx)).await?;
    Ok(HttpResponse::Ok().json(me))
}
