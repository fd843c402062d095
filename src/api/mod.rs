//! HTTP only: routes, extractors, and the problem+json mapping. Handlers
//! extract, check permission, run one store function, and map the result.

pub mod approvals;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod caller;
pub mod common;
pub mod delegations;
pub mod emails;
pub mod export;
pub mod extensions;
pub mod health;
pub mod holidays;
pub mod input;
pub mod list_exports;
pub mod metrics;
pub mod middleware;
pub mod milestones;
pub mod official_import;
pub mod officials;
mod openapi;
pub mod org_units;
pub mod outcomes;
pub mod passwords;
pub mod problem;
pub mod reports;
mod routes;
pub mod secondment_actions;
pub mod secondments;
pub mod users;

pub use crate::app::{fields, input_errors, refs, validate};

use actix_web::http::Method;
use actix_web::{web, HttpRequest, ResponseError};
use utoipa_actix_web::service_config::ServiceConfig;

pub use openapi::openapi;
pub use problem::{ApiError, FieldError, Problem};
pub use routes::RouteTable;

use crate::state::AppState;

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
                .service(passwords::change_my_password)
                .service(calendar::issue_calendar_token)
                .service(calendar::get_calendar)
                .service(users::create_user)
                .service(users::list_users)
                .service(users::get_user)
                .service(users::update_user)
                .service(passwords::reset_password)
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
                .service(extensions::get_extension)
                .service(extensions::approve_extension)
                .service(extensions::reject_extension)
                .service(extensions::withdraw_extension)
                .service(milestones::list_milestones)
                .service(milestones::create_milestone)
                .service(milestones::get_milestone)
                .service(milestones::update_milestone)
                .service(milestones::complete_milestone)
                .service(outcomes::list_outcomes)
                .service(outcomes::create_outcome)
                .service(outcomes::get_outcome)
                .service(outcomes::update_outcome)
                .service(outcomes::delete_outcome)
                .service(outcomes::acknowledge_outcome)
                .service(outcomes::evaluate_secondment)
                .service(delegations::create_delegation)
                .service(delegations::list_delegations)
                .service(delegations::delete_delegation)
                .service(approvals::list_pending_approvals)
                .service(holidays::list_holidays)
                .service(holidays::create_holiday)
                .service(holidays::delete_holiday)
                .service(emails::list_emails)
                .service(reports::summary)
                .service(reports::outcomes)
                .service(audit::list_audit),
        );
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

/// Path parameters that do not parse (a malformed id) name nothing that
/// exists: 404.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_err, req| {
        ApiError::NotFound(format!("No resource at {}.", req.path())).into()
    })
}
