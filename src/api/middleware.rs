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

use actix_web::ResponseError;

use super::problem::{ApiError, Problem, PROBLEM_JSON};
use crate::state::AppState;

/// The header carrying the request id in and out.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The id of the current request, stored in the request extensions.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Longest request target (path and query) served: 8 KiB.
pub const MAX_TARGET_BYTES: usize = 8 * 1024;
/// Largest total of request header names and values: 16 KiB.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;

/// Takes a client-sent id only if it is a short token of safe characters
/// (it goes into logs and back into a header); otherwise makes one.
fn request_id_of(req: &ServiceRequest) -> String {
    req.headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        })
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}

/// Refuses request heads larger than the service reads, as problem+json.
/// (Heads past the HTTP layer's own limits, a 64 KiB URI or a 128 KiB
/// head, never reach this: `crate::wire` rewrites that layer's answer.)
fn oversized(req: &ServiceRequest) -> Option<ApiError> {
    let target = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    if target > MAX_TARGET_BYTES {
        return Some(ApiError::UriTooLong(format!(
            "The path and query string are longer than {MAX_TARGET_BYTES} bytes."
        )));
    }
    let headers: usize = req
        .headers()
        .iter()
        .map(|(n, v)| n.as_str().len() + v.len())
        .sum();
    if headers > MAX_HEADER_BYTES {
        return Some(ApiError::HeadersTooLarge(format!(
            "The request headers are larger than {MAX_HEADER_BYTES} bytes."
        )));
    }
    None
}

/// Headers every response carries: no MIME sniffing; API answers are
/// never cached (they are per user); the docs page runs only its own
/// scripts.
fn add_security_headers(path: &str, headers: &mut actix_web::http::header::HeaderMap) {
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if path.starts_with("/docs") {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                 img-src 'self' data:; connect-src 'self'; font-src 'self'; \
                 frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
            ),
        );
    } else if is_console(path) {
        // The console: its own stylesheet, forms posting to itself only.
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; style-src 'self'; img-src 'self' data:; \
                 form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            ),
        );
        if !path.starts_with("/static/") {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
    } else {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

/// Whether a path is the web console's (everything but the API, the
/// documentation and the operational endpoints).
pub fn is_console(path: &str) -> bool {
    ![
        "/api/", "/docs", "/openapi", "/health", "/ready", "/metrics",
    ]
    .iter()
    .any(|p| path.starts_with(p))
}

/// The path as logs show it: a calendar feed's path carries its
/// credential, which is left out.
fn loggable_path(path: &str) -> &str {
    const FEED: &str = "/api/v1/calendar/";
    if path.starts_with(FEED) {
        "/api/v1/calendar/{token}"
    } else {
        path
    }
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
        path = %loggable_path(req.path())
    );
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let started = Instant::now();
    let path = req.path().to_string();
    if let Some(refusal) = oversized(&req) {
        let mut response = req.into_response(refusal.error_response());
        add_security_headers(&path, response.headers_mut());
        if let Ok(value) = HeaderValue::from_str(&request_id) {
            response.headers_mut().insert(REQUEST_ID, value);
        }
        return Ok(response);
    }

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
    add_security_headers(&path, response.headers_mut());
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
    // Problems pass, and so do the console's error pages.
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(PROBLEM_JSON) || v.starts_with("text/html"));
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
