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

/// What both doors ask of a request before a sign-in or a password change:
/// who sent it, and whether that address is within its budget.
impl AppState {
    /// The client's address: from `server.trusted_proxy_header` when one is
    /// configured and the request carries it (the last entry of a list, the
    /// one the proxy appended), else the TCP peer. No other header is trusted.
    pub fn client_ip(&self, req: &actix_web::HttpRequest) -> Option<IpAddr> {
        let header = self.settings.server.trusted_proxy_header.as_str();
        let forwarded = (!header.is_empty())
            .then(|| req.headers().get(header))
            .flatten()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|last| last.trim().parse().ok());
        forwarded.or_else(|| req.peer_addr().map(|a| a.ip()))
    }

    /// The per-address budget of sign-ins, refreshes and password changes
    /// (too many: 429 with the wait).
    pub fn check_auth_budget(
        &self,
        req: &actix_web::HttpRequest,
    ) -> Result<(), crate::app::AppError> {
        let Some(ip) = self.client_ip(req) else {
            return Ok(());
        };
        self.auth_limiter.check_key(&ip).map_err(|not_until| {
            let wait = not_until.wait_time_from(governor::clock::Clock::now(
                &governor::clock::DefaultClock::default(),
            ));
            crate::app::AppError::RateLimited {
                detail: "Too many authentication requests from this address.".into(),
                retry_after_secs: wait.as_secs().max(1),
            }
        })
    }
}
