//! The state every handler is handed: settings, the database, keys, the
//! per-IP limiter, metrics, the route table and the background worker.

use std::net::IpAddr;
use std::sync::Arc;

use governor::DefaultKeyedRateLimiter;

use crate::api::metrics::Metrics;
use crate::api::RouteTable;
use crate::auth::jwt::JwtKeys;
use crate::config::Settings;
use crate::scheduler::Worker;
use crate::store::Database;

/// Shared, read-only state handed to every handler.
pub struct AppState {
    /// Loaded settings.
    pub settings: Arc<Settings>,
    /// The database pool.
    pub db: Database,
    /// Prometheus instruments.
    pub metrics: Arc<Metrics>,
    /// Served paths and methods, for 405 answers.
    pub routes: Arc<RouteTable>,
    /// Access token keys.
    pub jwt: JwtKeys,
    /// Per-IP request budget on `/api/v1/auth/*`.
    pub auth_limiter: DefaultKeyedRateLimiter<IpAddr>,
    /// The daily tick and the email dispatcher.
    pub worker: Worker,
}

impl AppState {
    /// Today's date in the configured time zone.
    pub fn today(&self) -> chrono::NaiveDate {
        chrono::Utc::now()
            .with_timezone(&self.settings.tz())
            .date_naive()
    }
}
