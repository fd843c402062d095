//! Prometheus metrics: requests by route pattern and status, their
//! latency, and database pool usage (read at scrape time).

use actix_web::{get, web, HttpResponse};
use chrono::Datelike;
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, Registry, TextEncoder,
};

use super::problem::ApiError;
use crate::app;
use crate::state::AppState;

/// The registry and instruments of one running application.
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    pool_connections: IntGauge,
    pool_idle: IntGauge,
    pool_max: IntGauge,
    emails: prometheus::IntGaugeVec,
    holidays_loaded: prometheus::IntGaugeVec,
    holidays_missing: IntGauge,
}

impl Metrics {
    /// Creates and registers every instrument.
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests by route pattern and status",
            ),
            &["method", "route", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "HTTP request latency by route pattern and status",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ]),
            &["method", "route", "status"],
        )?;
        let pool_connections = IntGauge::new("db_pool_connections", "Open database connections")?;
        let pool_idle = IntGauge::new("db_pool_idle_connections", "Idle database connections")?;
        let pool_max = IntGauge::new("db_pool_max_connections", "Pool size limit")?;
        let emails = prometheus::IntGaugeVec::new(
            Opts::new("emails", "Outbox emails by status"),
            &["status"],
        )?;
        let holidays_loaded = prometheus::IntGaugeVec::new(
            Opts::new(
                "holidays_loaded",
                "Public holidays loaded for this year and the next",
            ),
            &["year"],
        )?;
        let holidays_missing = IntGauge::new(
            "holidays_next_year_missing",
            "1 from 1 November while no public holiday of the next year is loaded (administrators are emailed once)",
        )?;
        registry.register(Box::new(holidays_loaded.clone()))?;
        registry.register(Box::new(holidays_missing.clone()))?;
        registry.register(Box::new(emails.clone()))?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(pool_connections.clone()))?;
        registry.register(Box::new(pool_idle.clone()))?;
        registry.register(Box::new(pool_max.clone()))?;
        Ok(Metrics {
            registry,
            requests,
            latency,
            pool_connections,
            pool_idle,
            pool_max,
            emails,
            holidays_loaded,
            holidays_missing,
        })
    }

    /// Counts one finished request.
    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let status = status.to_string();
        let labels = [method, route, status.as_str()];
        self.requests.with_label_values(&labels).inc();
        self.latency.with_label_values(&labels).observe(seconds);
    }

    /// The registry, for other modules' instruments.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }
}

/// Prometheus text exposition.
#[utoipa::path(
    tag = "operations",
    responses((status = 200, description = "Prometheus text format", content_type = "text/plain"))
)]
#[get("/metrics")]
pub async fn get_metrics(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let metrics = &state.metrics;
    let (open, idle, max) = state.db.pool_state();
    metrics.pool_connections.set(i64::from(open));
    metrics.pool_idle.set(i64::from(idle));
    metrics.pool_max.set(i64::from(max));
    if let Ok(counts) = app::units::read(&state.db, app::operations::emails_by_status).await {
        for status in ["pending", "sending", "sent", "failed", "dead", "cancelled"] {
            let n = counts
                .iter()
                .find(|(s, _)| s == status)
                .map_or(0, |(_, n)| *n);
            metrics.emails.with_label_values(&[status]).set(n);
        }
    }
    let today = crate::scheduler::today(&state.settings);
    let holidays = app::units::read(&state.db, move |tx| {
        app::operations::holidays_loaded(tx, today.year())
    })
    .await;
    if let Ok((this, next)) = holidays {
        // The notice's own rule: due from November, missing when nothing
        // of the next year is loaded.
        let missing = crate::domain::reminders::holidays_due_year(today).is_some() && next == 0;
        let year = today.year();
        for (y, n) in [(year, this), (year + 1, next)] {
            metrics
                .holidays_loaded
                .with_label_values(&[y.to_string().as_str()])
                .set(n);
        }
        metrics.holidays_missing.set(i64::from(missing));
    }
    let mut buffer = Vec::new();
    TextEncoder::new()
        .encode(&metrics.registry.gather(), &mut buffer)
        .map_err(|e| ApiError::Internal(format!("metrics encoding failed: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(buffer))
}
