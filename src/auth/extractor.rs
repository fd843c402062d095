//! The authenticated caller, taken from `Authorization: Bearer <jwt>`.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};

use crate::api::middleware::RequestId;
use crate::api::ApiError;
use crate::domain::user::Role;
use crate::startup::AppState;
use crate::store::audit::Actor;
use crate::store::users::{self, Principal};
use futures_util::future::LocalBoxFuture;

/// A caller with a valid access token.
#[derive(Debug, Clone)]
pub struct AuthUser {
    /// User id.
    pub id: String,
    /// Role, from the current user record (not the token).
    pub role: Role,
    /// Scope unit, from the current user record.
    pub unit: Option<String>,
    /// The official linked to the account, from the current user record.
    pub official_id: Option<String>,
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

/// Checks the bearer token; returns the user id it names.
fn verified_subject(req: &HttpRequest, state: &AppState) -> Result<String, ApiError> {
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
        unauthorized(INVALID_TOKEN)
    })?;
    Ok(claims.sub)
}

const INVALID_TOKEN: &str = "The access token is invalid or expired.";

fn unauthorized(why: &str) -> ApiError {
    ApiError::Unauthorized(why.to_string())
}

/// The caller from a verified token and their current record: an unknown
/// or disabled user is refused; role and unit are the record's.
fn principal(user_id: String, record: Option<Principal>) -> Result<AuthUser, ApiError> {
    let record = record.ok_or_else(|| unauthorized(INVALID_TOKEN))?;
    if record.disabled {
        return Err(unauthorized("This account is disabled."));
    }
    let role = Role::parse(&record.role)
        .ok_or_else(|| ApiError::Internal(format!("user {user_id} has an unknown role")))?;
    Ok(AuthUser {
        id: user_id,
        role,
        unit: record.org_unit_id,
        official_id: record.official_id,
        request_id: None,
    })
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let subject = state
            .as_ref()
            .ok_or_else(|| ApiError::Internal("application state missing".into()))
            .and_then(|s| verified_subject(req, s));
        let request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone());
        Box::pin(async move {
            let (state, user_id) = match (state, subject) {
                (Some(state), Ok(id)) => (state, id),
                (_, Err(e)) => return Err(e),
                (None, Ok(_)) => {
                    return Err(ApiError::Internal("application state missing".into()))
                }
            };
            let id = user_id.clone();
            let record = state
                .db
                .read(move |conn| users::find_principal(conn, &id))
                .await?;
            let mut user = principal(user_id, record)?;
            user.request_id = request_id;
            Ok(user)
        })
    }
}
