//! The one error type of the API and its single mapping to
//! `application/problem+json` (RFC 9457).

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::field_error::Complaint;
pub use crate::app::FieldError;
use crate::app::{AppError, FieldProblem};
use crate::domain::secondment::Violation;

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// `/problems/<slug>`.
    #[serde(rename = "type")]
    #[schema(example = "/problems/not-found")]
    pub type_: String,
    /// Short, human-readable summary of the problem type.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong in this occurrence.
    pub detail: String,
    /// Field-level errors, when the request had several.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For `policy-violation`: the rule that refused the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
}

/// Every way a request can fail.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the body is not well-formed.
    #[error("{0}")]
    BadRequest(String),
    /// 401: no valid credentials.
    #[error("{0}")]
    Unauthorized(String),
    /// 403: visible, but not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// 403: the account's password must be changed before anything else.
    #[error("{0}")]
    PasswordChangeRequired(String),
    /// 404: absent or not visible to the caller.
    #[error("{0}")]
    NotFound(String),
    /// 404: a field of the request refers to a record that does not exist
    /// (as JSON:API answers a reference to a missing related resource).
    #[error("{field}: {message}")]
    UnknownReference {
        /// The field holding the reference.
        field: String,
        /// What it names no longer or never existed.
        message: String,
    },
    /// 405: the path exists with other methods.
    #[error("method not allowed")]
    MethodNotAllowed {
        /// Methods the path accepts.
        allow: Vec<String>,
    },
    /// 409: clashes with existing data.
    #[error("{0}")]
    Conflict(String),
    /// 409: the state machine forbids the action.
    #[error("{0}")]
    InvalidTransition(String),
    /// 412: `If-Match` is stale.
    #[error("{0}")]
    PreconditionFailed(String),
    /// 413: the body is too large.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// 414: the path and query string are too long.
    #[error("{0}")]
    UriTooLong(String),
    /// 431: the request headers are too large.
    #[error("{0}")]
    HeadersTooLarge(String),
    /// 408: the request head did not arrive in time.
    #[error("{0}")]
    RequestTimeout(String),
    /// 415: wrong `Content-Type`.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 422: fields fail validation.
    #[error("{detail}")]
    Validation {
        /// Summary.
        detail: String,
        /// One entry per bad field.
        errors: Vec<FieldError>,
    },
    /// 422: a business rule refuses the request; names the rule.
    #[error("{detail}")]
    PolicyViolation {
        /// The rule's stable name, e.g. `max_duration`.
        rule: String,
        /// What is wrong.
        detail: String,
    },
    /// 422: business rules refuse the request, every broken one at once;
    /// those about a field of the request are `errors` beside it.
    #[error("{detail}")]
    PolicyViolations {
        /// The first rule's stable name.
        rule: String,
        /// Every broken rule in words.
        detail: String,
        /// One entry per broken rule about a field.
        errors: Vec<FieldError>,
    },
    /// 428: `If-Match` is required.
    #[error("{0}")]
    PreconditionRequired(String),
    /// 429: too many attempts.
    #[error("{detail}")]
    RateLimited {
        /// What was limited.
        detail: String,
        /// Seconds until a retry can succeed.
        retry_after_secs: u64,
    },
    /// 503: a dependency (the database) is unreachable; holds the logged cause.
    #[error("{0}")]
    Unavailable(String),
    /// 500: a bug or an unexpected failure; the cause is logged, not sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// A 422 for one field, whatever its words: plain words, or a typed
    /// [`FieldProblem`]. A reference to nothing is
    /// `AppError::unknown`, the 404 [`ApiError::UnknownReference`].
    pub fn invalid_field(field: &str, complaint: impl Into<Complaint>) -> Self {
        let error = FieldError::new(field, complaint);
        ApiError::Validation {
            detail: format!("{field}: {}", error.message),
            errors: vec![error],
        }
    }

    /// The problem slug and title for this error.
    fn slug_and_title(&self) -> (&'static str, &'static str) {
        match self {
            ApiError::BadRequest(_) => ("bad-request", "Bad request"),
            ApiError::Unauthorized(_) => ("unauthorized", "Unauthorized"),
            ApiError::Forbidden(_) => ("forbidden", "Forbidden"),
            ApiError::PasswordChangeRequired(_) => {
                ("password-change-required", "Password change required")
            }
            ApiError::NotFound(_) | ApiError::UnknownReference { .. } => ("not-found", "Not found"),
            ApiError::MethodNotAllowed { .. } => ("method-not-allowed", "Method not allowed"),
            ApiError::Conflict(_) => ("conflict", "Conflict"),
            ApiError::InvalidTransition(_) => ("invalid-transition", "Invalid transition"),
            ApiError::PreconditionFailed(_) => ("precondition-failed", "Precondition failed"),
            ApiError::PayloadTooLarge(_) => ("payload-too-large", "Payload too large"),
            ApiError::UnsupportedMediaType(_) => {
                ("unsupported-media-type", "Unsupported media type")
            }
            ApiError::UriTooLong(_) => ("uri-too-long", "URI too long"),
            ApiError::HeadersTooLarge(_) => ("headers-too-large", "Request headers too large"),
            ApiError::RequestTimeout(_) => ("request-timeout", "Request timeout"),
            ApiError::Validation { .. } => ("validation", "Validation failed"),
            ApiError::PolicyViolation { .. } | ApiError::PolicyViolations { .. } => {
                ("policy-violation", "Policy violation")
            }
            ApiError::PreconditionRequired(_) => ("precondition-required", "Precondition required"),
            ApiError::RateLimited { .. } => ("rate-limited", "Too many requests"),
            ApiError::Unavailable(_) => ("unavailable", "Service unavailable"),
            ApiError::Internal(_) => ("internal", "Internal server error"),
        }
    }

    /// The problem document sent to the client.
    pub fn problem(&self) -> Problem {
        let (slug, title) = self.slug_and_title();
        let detail = match self {
            ApiError::Internal(_) => "An unexpected error occurred. It has been logged; \
                 quote the X-Request-Id header when reporting it."
                .to_string(),
            ApiError::Unavailable(_) => {
                "A service it depends on (the database) is unreachable; try again shortly."
                    .to_string()
            }
            ApiError::MethodNotAllowed { allow } => {
                format!("This path accepts only: {}", allow.join(", "))
            }
            other => other.to_string(),
        };
        let errors = match self {
            ApiError::Validation { errors, .. } | ApiError::PolicyViolations { errors, .. } => {
                errors.clone()
            }
            ApiError::UnknownReference { field, message } => vec![FieldError::new(
                field.clone(),
                FieldProblem::NamesNothing.told(message.clone()),
            )],
            _ => Vec::new(),
        };
        let rule = match self {
            ApiError::PolicyViolation { rule, .. } | ApiError::PolicyViolations { rule, .. } => {
                Some(rule.clone())
            }
            _ => None,
        };
        Problem {
            type_: format!("/problems/{slug}"),
            title: title.to_string(),
            status: self.status_code().as_u16(),
            detail,
            errors,
            rule,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) | ApiError::PasswordChangeRequired(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) | ApiError::UnknownReference { .. } => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict(_) | ApiError::InvalidTransition(_) => StatusCode::CONFLICT,
            ApiError::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::UriTooLong(_) => StatusCode::URI_TOO_LONG,
            ApiError::HeadersTooLarge(_) => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            ApiError::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            ApiError::Validation { .. }
            | ApiError::PolicyViolation { .. }
            | ApiError::PolicyViolations { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::PreconditionRequired(_) => StatusCode::PRECONDITION_REQUIRED,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(cause) => tracing::error!(%cause, "internal error"),
            ApiError::Unavailable(cause) => tracing::warn!(%cause, "service unavailable"),
            _ => {}
        }
        let mut builder = HttpResponse::build(self.status_code());
        builder.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        match self {
            ApiError::RateLimited {
                retry_after_secs, ..
            } => {
                builder.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            ApiError::MethodNotAllowed { allow } => {
                builder.insert_header((header::ALLOW, allow.join(", ")));
            }
            ApiError::Unauthorized(_) => {
                builder.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            // Busy (the database lock, the pool), not broken: come back soon.
            ApiError::Unavailable(_) => {
                builder.insert_header((header::RETRY_AFTER, "1"));
            }
            _ => {}
        }
        builder.json(self.problem())
    }
}

impl ApiError {
    /// 422 for the business rules a request breaks (never empty): each
    /// one about a field is named beside it, with its rule (decision 0041).
    pub fn policy(broken: Vec<Violation>) -> Self {
        let rule = broken.first().map_or("", |v| v.rule).to_string();
        let detail = broken
            .iter()
            .map(|v| format!("{} (rule: {})", v.message, v.rule))
            .collect::<Vec<_>>()
            .join("; ");
        let errors = broken
            .into_iter()
            .filter_map(|v| {
                Some(FieldError {
                    rule: Some(v.rule.to_string()),
                    latest_end_date: v.latest_end_date,
                    ..FieldError::new(v.field?, v.message)
                })
            })
            .collect();
        ApiError::PolicyViolations {
            rule,
            detail: format!("{detail}."),
            errors,
        }
    }
}

impl From<crate::auth::Denied> for ApiError {
    fn from(d: crate::auth::Denied) -> Self {
        AppError::from(d).into()
    }
}

/// The one mapping of the application's typed codes to problems: each
/// code has its slug and status here, whatever its wording.
impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        let detail = e.to_string();
        match e {
            AppError::NotFound => ApiError::NotFound(detail),
            AppError::UnknownReference { field, kind } => ApiError::UnknownReference {
                field,
                message: format!("names no {kind}"),
            },
            AppError::Invalid(errors) => ApiError::Validation {
                detail: file_detail(&errors).unwrap_or(detail),
                errors,
            },
            AppError::Rule(broken) => ApiError::policy(broken),
            AppError::Transition { .. } => ApiError::InvalidTransition(detail),
            AppError::Forbidden { detail, .. } => ApiError::Forbidden(detail),
            AppError::PasswordChangeRequired => super::caller::password_change_required(),
            AppError::Unauthenticated(why) => ApiError::Unauthorized(why),
            AppError::Conflict { detail, .. } => ApiError::Conflict(detail),
            AppError::Stale => super::common::stale(),
            AppError::RateLimited {
                detail,
                retry_after_secs,
            } => ApiError::RateLimited {
                detail,
                retry_after_secs,
            },
            AppError::Unavailable(cause) => ApiError::Unavailable(cause),
            AppError::Internal(cause) => ApiError::Internal(cause),
        }
    }
}

/// The summary of a file's problems (they carry their lines): an import
/// is all or nothing, so nothing of it was written.
fn file_detail(errors: &[FieldError]) -> Option<String> {
    let mut lines: Vec<u64> = errors.iter().filter_map(|e| e.line).collect();
    if lines.is_empty() {
        return None;
    }
    lines.dedup();
    Some(format!(
        "Nothing was imported: {} problem(s) on {} line(s).",
        errors.len(),
        lines.len()
    ))
}
