//! Liveness and readiness probes.

use std::time::Duration;

use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use super::problem::{ApiError, Problem};
use crate::state::AppState;

/// Probe answer.
#[derive(Serialize, ToSchema)]
pub struct ProbeStatus {
    /// `ok` or `ready`.
    pub status: &'static str,
}

/// Liveness: the process answers HTTP.
#[utoipa::path(tag = "operations", responses((status = 200, body = ProbeStatus)))]
#[get("/health")]
pub async fn get_health() -> HttpResponse {
    HttpResponse::Ok().json(ProbeStatus { status: "ok" })
}

/// Readiness: the database answers. 503 while it does not; recovers by
/// itself when it returns.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, body = ProbeStatus),
        (status = 503, description = "The database is unreachable", body = Problem,
         content_type = "application/problem+json")
    )
)]
#[get("/ready")]
pub async fn get_ready(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    if state.db.is_ready(Duration::from_secs(2)).await {
        Ok(HttpResponse::Ok().json(ProbeStatus { status: "ready" }))
    } else {
        Err(ApiError::Unavailable("readiness check failed".into()))
    }
}
