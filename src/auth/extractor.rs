//! The authenticated caller, taken from `Authorization: Bearer <jwt>`.

use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};

use crate::api::middleware::RequestId;
use crate::api::ApiError;
use crate::domain::user::Role;
use crate::startup::AppState;
use crate::store::audit::Actor;

/// A caller with a valid access token.
#[derive(Debug, Clone)]
pub struct AuthUser {
    /// User id.
    pub id: String,
    /// Role from the token.
    pub role: Role,
    /// Scope unit from the token.
    pub unit: Option<String>,
    /// The request id, for audit rows.
    pub request_id: Option<String>,
}

impl AuthUser {
    /// The audit actor for changes this caller makes.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.id.clone()),
            request_id: self.request_id.clone(),
        }
    }

    /// 403 unless the caller has one of `roles`.
    pub fn require_role(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "The role {} may not do this.",
                self.role.as_str()
            )))
        }
    }
}

fn authenticate(req: &HttpRequest) -> Result<AuthUser, ApiError> {
    let unauthorized = |why: &str| ApiError::Unauthorized(why.to_string());
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::Internal("application state missing".into()))?;
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| unauthorized("Sign in first: send Authorization: Bearer <access_token>."))?
        .to_str()
        .map_err(|_| unauthorized("The Authorization header is not valid text."))?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| unauthorized("The Authorization header must be Bearer <access_token>."))?;
    let claims = state.jwt.verify(token).map_err(|cause| {
        tracing::debug!(%cause, "access token refused");
        unauthorized("The access token is invalid or expired.")
    })?;
    let role = Role::parse(&claims.role)
        .ok_or_else(|| unauthorized("The access token is invalid or expired."))?;
    Ok(AuthUser {
        id: claims.sub,
        role,
        unit: claims.unit,
        request_id: req.extensions().get::<RequestId>().map(|r| r.0.clone()),
    })
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        ready(authenticate(req))
    }
}
