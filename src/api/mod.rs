//! HTTP only: routes, extractors, and the problem+json mapping. Handlers
//! extract, check permission, run one store function, and map the result.

pub mod audit;
pub mod auth;
pub mod common;
pub mod delegations;
pub mod emails;
pub mod extensions;
pub mod health;
pub mod holidays;
pub mod metrics;
pub mod middleware;
pub mod milestones;
pub mod official_import;
pub mod officials;
pub mod org_units;
pub mod outcomes;
pub mod problem;
mod routes;
pub mod secondment_actions;
pub mod secondments;
pub mod users;
pub mod validate;

use actix_web::http::Method;
use actix_web::{web, App, HttpRequest, ResponseError};
use utoipa::OpenApi;
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_actix_web::AppExt;

pub use problem::{ApiError, FieldError, Problem};
pub use routes::RouteTable;

use crate::startup::AppState;

/// The document-level part of the OpenAPI description; paths are collected
/// from the registered handlers.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "secondments",
        description = "Secondment of officials between ministries and provinces: postings, \
            approvals, extensions, milestones, outcomes and reminders. Errors are \
            application/problem+json (RFC 9457).",
        license(name = "MIT")
    ),
    components(schemas(Problem, FieldError, crate::domain::secondment::Status)),
    modifiers(&BearerAuth),
    tags(
        (name = "operations", description = "Probes and metrics"),
        (name = "auth", description = "Sign-in, token refresh and the current user"),
        (name = "users", description = "Accounts (administrators)"),
        (name = "org-units", description = "The organisation tree"),
        (name = "officials", description = "The registry of officials"),
        (name = "secondments", description = "Secondments and rotations: the lifecycle"),
        (name = "approvals", description = "Directors' decisions"),
        (name = "extensions", description = "Requests to extend a secondment"),
        (name = "milestones", description = "Planned steps of a secondment"),
        (name = "outcomes", description = "Results, acknowledgements and the final evaluation"),
        (name = "holidays", description = "Public holidays (reminder days move off them)"),
        (name = "admin", description = "Operations for administrators"),
        (name = "audit", description = "The append-only audit log"),
    )
)]
struct ApiDoc;

/// Declares the `bearer` security scheme the operations refer to.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// Registers every documented route.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::get_health)
        .service(health::get_ready)
        .service(metrics::get_metrics)
        .service(
            utoipa_actix_web::scope("/api/v1")
                .service(auth::post_login)
                .service(auth::post_refresh)
                .service(auth::post_logout)
                .service(auth::get_me)
                .service(users::create_user)
                .service(users::list_users)
                .service(users::get_user)
                .service(users::update_user)
                .service(org_units::merge_org_units)
                .service(org_units::create_org_unit)
                .service(org_units::list_org_units)
                .service(org_units::get_org_unit)
                .service(org_units::update_org_unit)
                .service(official_import::import_officials)
                .service(officials::create_official)
                .service(officials::list_officials)
                .service(officials::get_official)
                .service(officials::update_official)
                .service(secondments::create_secondment)
                .service(secondments::list_secondments)
                .service(secondments::get_secondment)
                .service(secondments::update_secondment)
                .service(secondment_actions::submit_secondment)
                .service(secondment_actions::cancel_secondment)
                .service(secondment_actions::terminate_secondment)
                .service(secondment_actions::approve_secondment)
                .service(secondment_actions::reject_secondment)
                .service(secondment_actions::secondment_history)
                .service(secondment_actions::run_tick)
                .service(extensions::list_extensions)
                .service(extensions::request_extension)
                .service(extensions::approve_extension)
                .service(extensions::reject_extension)
                .service(extensions::withdraw_extension)
                .service(milestones::list_milestones)
                .service(milestones::create_milestone)
                .service(milestones::update_milestone)
                .service(milestones::complete_milestone)
                .service(outcomes::list_outcomes)
                .service(outcomes::create_outcome)
                .service(outcomes::update_outcome)
                .service(outcomes::delete_outcome)
                .service(outcomes::acknowledge_outcome)
                .service(outcomes::evaluate_secondment)
                .service(delegations::create_delegation)
                .service(delegations::list_delegations)
                .service(delegations::delete_delegation)
                .service(delegations::list_pending_approvals)
                .service(holidays::list_holidays)
                .service(holidays::create_holiday)
                .service(holidays::delete_holiday)
                .service(emails::list_emails)
                .service(audit::list_audit),
        );
}

/// The OpenAPI 3.1 document of every route.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_app, api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(configure)
        .split_for_parts();
    api
}

/// Unmatched requests: 405 with `Allow` when the path exists with other
/// methods, 404 otherwise.
pub async fn fallback(req: HttpRequest, state: web::Data<AppState>) -> actix_web::HttpResponse {
    let allowed = state.routes.allowed_methods(req.path());
    let error = if allowed.is_empty() || allowed.contains(req.method()) {
        ApiError::NotFound(format!("No resource at {}.", req.path()))
    } else {
        ApiError::MethodNotAllowed {
            allow: allowed.iter().map(Method::to_string).collect(),
        }
    };
    error.error_response()
}

/// JSON body errors: malformed 400, wrong fields 422, too large 413,
/// wrong content type 415.
pub fn json_config(limit: usize) -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(limit)
        .error_handler(|err, _req| {
            use actix_web::error::JsonPayloadError as E;
            let api = match &err {
                E::ContentType => ApiError::UnsupportedMediaType(
                    "The body must be JSON with Content-Type: application/json.".into(),
                ),
                E::Overflow { limit } | E::OverflowKnownLength { limit, .. } => {
                    ApiError::PayloadTooLarge(format!(
                        "The body is larger than the limit of {limit} bytes."
                    ))
                }
                E::Deserialize(e) if e.is_data() => ApiError::invalid_field(
                    &field_of(&e.to_string()),
                    strip_position(&e.to_string()),
                ),
                E::Deserialize(e) => {
                    ApiError::BadRequest(format!("The body is not valid JSON: {e}."))
                }
                other => ApiError::BadRequest(format!("The body could not be read: {other}.")),
            };
            api.into()
        })
}

/// Query string errors are 422 naming the parameter.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _req| {
        let message = err.to_string();
        ApiError::Validation {
            detail: format!("The query string is invalid: {message}"),
            errors: vec![FieldError::new("query", message)],
        }
        .into()
    })
}

/// Path parameters that do not parse (a malformed id) name nothing that
/// exists: 404.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_err, req| {
        ApiError::NotFound(format!("No resource at {}.", req.path())).into()
    })
}

/// serde's data errors read "unknown field `x`, expected ..." or
/// "missing field `x`"; the first back-quoted word is the field.
fn field_of(message: &str) -> String {
    message
        .split('`')
        .nth(1)
        .filter(|f| !f.is_empty())
        .unwrap_or("body")
        .to_string()
}

/// Drops serde_json's " at line 1 column 42" suffix.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_come_from_serde_messages() {
        assert_eq!(
            field_of("unknown field `rolee`, expected one of `a`"),
            "rolee"
        );
        assert_eq!(
            field_of("missing field `email` at line 1 column 2"),
            "email"
        );
        assert_eq!(field_of("invalid type: integer"), "body");
        assert_eq!(strip_position("x at line 1 column 2"), "x");
    }
}
