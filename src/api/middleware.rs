//! The request wrapper: request id, request span, access log, metrics, and
//! a last guard that turns any non-problem error response into
//! problem+json (framework errors included).

use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpResponse};
use tracing::Instrument;

use super::problem::{Problem, PROBLEM_JSON};
use crate::startup::AppState;

/// The header carrying the request id in and out.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the current request, stored in the request extensions.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Takes a client-sent id if it is short, printable ASCII; otherwise makes one.
fn request_id_of(req: &ServiceRequest) -> String {
    req.headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}

/// Wraps every request; see the module documentation.
pub async fn request_context(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let request_id = request_id_of(&req);
    req.extensions_mut().insert(RequestId(request_id.clone()));
    let method = req.method().to_string();
    let span = tracing::info_span!(
        "request",
        request_id = %request_id,
        method = %method,
        path = %req.path()
    );
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let started = Instant::now();

    // Handlers and the fallback turn their errors into responses, so an
    // `Err` here can only come from the framework itself; it keeps its own
    // rendering. (The request cannot be cloned before routing: the router
    // needs it uniquely owned.)
    let response = match next.call(req).instrument(span.clone()).await {
        Ok(res) => res.map_into_boxed_body(),
        Err(err) => {
            tracing::error!(parent: &span, cause = %err, "request failed before a response");
            return Err(err);
        }
    };
    let mut response = span.in_scope(|| ensure_problem_body(response));

    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    if let Some(state) = state {
        let route = response
            .request()
            .match_pattern()
            .unwrap_or_else(|| "unmatched".to_string());
        state
            .metrics
            .observe(&method, &route, status, elapsed.as_secs_f64());
    }
    tracing::info!(
        parent: &span,
        status,
        elapsed_ms = elapsed.as_secs_f64() * 1000.0,
        "request completed"
    );
    Ok(response)
}

/// Replaces the body of an error response that is not already a problem
/// document (actix's own 404/413/...): clients see one error format.
fn ensure_problem_body(response: ServiceResponse<BoxBody>) -> ServiceResponse<BoxBody> {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(PROBLEM_JSON));
    if is_problem {
        return response;
    }
    let detail = match response.response().error() {
        Some(err) if status.is_client_error() => err.to_string(),
        Some(err) => {
            tracing::error!(cause = %err, "internal error");
            "An unexpected error occurred. It has been logged.".to_string()
        }
        None => status
            .canonical_reason()
            .unwrap_or("Request failed")
            .to_string(),
    };
    let title = status.canonical_reason().unwrap_or("Error").to_string();
    let slug = title.to_ascii_lowercase().replace(' ', "-");
    let (req, old) = response.into_parts();
    let mut new = HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, PROBLEM_JSON))
        .json(Problem {
            type_: format!("/problems/{slug}"),
            title,
            status: status.as_u16(),
            detail,
            errors: Vec::new(),
            rule: None,
        });
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            new.headers_mut().insert(name.clone(), value.clone());
        }
    }
    ServiceResponse::new(req, new)
}
