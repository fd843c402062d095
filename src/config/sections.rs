//! The sections of the settings, one type each: what the files and the
//! `SECONDMENTS__SECTION__KEY` variables may set.

use std::fmt;

use serde::Deserialize;

use super::Secret;

/// When reminders are planned.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReminderSettings {
    /// Days before a secondment's end date.
    pub end_offsets_days: Vec<u32>,
    /// Days before a milestone's due date.
    pub milestone_offsets_days: Vec<u32>,
    /// Days a request may wait before the deciders are nudged.
    pub approval_nudge_days: u32,
    /// Days a request may wait before the parent unit's directors hear of it.
    pub approval_escalate_days: u32,
}

/// Which transport sends email.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum TransportKind {
    /// An SMTP relay.
    Smtp,
    /// `.eml` files in `mail.file_dir`.
    File,
    /// In memory (tests).
    Memory,
}

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain (a local relay only).
    None,
    /// STARTTLS, required.
    Starttls,
    /// Implicit TLS (port 465).
    Tls,
}

/// Email settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    /// `smtp`, `file` or `memory`.
    pub transport: TransportKind,
    /// The From header.
    pub from: String,
    /// Directory of `.eml` files for the file transport.
    pub file_dir: String,
    /// Attempts before an email is dead.
    pub max_attempts: u32,
    /// First retry delay in seconds; doubles with each attempt.
    pub retry_base_secs: u64,
    /// Emails claimed per dispatcher round.
    pub batch_size: u32,
    /// Seconds a claimed email stays reserved for one dispatcher.
    pub lease_secs: u64,
    /// Messages sent in parallel within one round.
    pub send_concurrency: u32,
    /// SMTP relay.
    pub smtp: SmtpSettings,
    /// Lets production run with the `file` or `memory` transport (a
    /// staging copy that must not mail anyone). Off: production refuses.
    pub allow_non_smtp_in_production: bool,
}

/// SMTP relay settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpSettings {
    /// Host name.
    pub host: String,
    /// Port.
    pub port: u16,
    /// `none`, `starttls` or `tls`.
    pub security: SmtpSecurity,
    /// User name (from SECONDMENTS__MAIL__SMTP__USERNAME).
    pub username: Option<String>,
    /// Password (from SECONDMENTS__MAIL__SMTP__PASSWORD); never logged.
    pub password: Option<Secret>,
    /// Seconds to wait for the server.
    pub timeout_secs: u64,
}

/// Default milestones.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MilestoneSettings {
    /// Templates, in order.
    pub templates: Vec<crate::domain::milestone::Template>,
}

/// Business rules (SPEC 2).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicySettings {
    /// Longest secondment in calendar months, extensions included.
    pub max_months: u32,
    /// Shortest rotation in calendar months without an exception.
    pub rotation_min_months: u32,
    /// Years of working time a rotated official must have left.
    pub rotation_min_years_left: u32,
    /// Sides that must approve: `home`, `host`.
    pub approval_sides: Vec<crate::domain::approval::Side>,
}

impl PolicySettings {
    /// The domain view of the policy.
    pub fn rules(&self) -> crate::domain::secondment::Policy {
        crate::domain::secondment::Policy {
            max_months: self.max_months,
            rotation_min_months: self.rotation_min_months,
            rotation_min_years_left: self.rotation_min_years_left,
        }
    }
}

/// The daily tick and the dispatcher loop.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchedulerSettings {
    /// Whether `POST /admin/tick` may run for another date.
    pub allow_date_override: bool,
    /// Run the tick and the dispatcher inside `serve`.
    pub enabled: bool,
    /// Local time of the daily tick, `HH:MM`.
    pub daily_at: String,
    /// Seconds between dispatcher rounds.
    pub dispatch_interval_secs: u64,
}

/// The development default secret; refused in production.
pub const DEFAULT_JWT_SECRET: &str = "development-only-secret-do-not-use-in-production";

/// Authentication settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    /// HMAC secret for access tokens.
    pub jwt_secret: Secret,
    /// Access token lifetime in seconds.
    pub access_token_ttl_secs: u64,
    /// Refresh token lifetime in days.
    pub refresh_token_ttl_days: u64,
    /// Failed logins within the window that lock an account.
    pub lockout_max_failures: u32,
    /// The lockout window in seconds.
    pub lockout_window_secs: u64,
    /// Per-IP request budget on `/api/v1/auth/*`, per minute.
    pub auth_requests_per_ip_per_minute: u32,
}

/// HTTP listener settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    /// Interface to bind.
    pub host: String,
    /// Port to bind; 0 picks a free one (tests).
    pub port: u16,
    /// Base URL users reach the service at, used in links.
    pub public_url: String,
    /// Largest accepted request body in bytes.
    pub body_limit_bytes: usize,
    /// Worker threads; 0 means one per core.
    pub workers: usize,
    /// Grace period for in-flight requests on shutdown.
    pub shutdown_timeout_secs: u64,
    /// The header a trusted reverse proxy sets to the client's address
    /// (`X-Forwarded-For`, `X-Real-IP`); empty: the peer address is the
    /// client. Only this header is read, and of a list only its last entry
    /// (the one the proxy appended).
    pub trusted_proxy_header: String,
}

impl ServerSettings {
    /// The base of every absolute link the service writes (emails,
    /// calendar feeds), without a trailing slash: `public_url` when set,
    /// else the address the configuration binds (`http://host:port`). The
    /// server and the `tick` command both read it here, so an email says
    /// the same whichever of them planned it.
    pub fn base_url(&self) -> String {
        let public = self.public_url.trim().trim_end_matches('/');
        if !public.is_empty() {
            return public.to_string();
        }
        let host = self.host.trim();
        if host.contains(':') && !host.starts_with('[') {
            format!("http://[{host}]:{}", self.port)
        } else {
            format!("http://{host}:{}", self.port)
        }
    }
}

/// Database settings.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    /// `sqlite://path`, a plain path, or `postgres://...` (may hold a password).
    pub url: Secret,
    /// Largest number of pooled connections.
    pub pool_size: u32,
    /// Seconds to wait for a connection.
    pub connect_timeout_secs: u64,
    /// SQLite lock wait in milliseconds.
    pub sqlite_busy_timeout_ms: u64,
    /// A PostgreSQL streaming replica for lists, reports and exports
    /// (empty: everything reads the primary).
    #[serde(default)]
    pub read_url: Secret,
}

impl fmt::Debug for DatabaseSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatabaseSettings")
            .field("url", &crate::store::redact_url(self.url.expose()))
            .field("pool_size", &self.pool_size)
            .field("connect_timeout_secs", &self.connect_timeout_secs)
            .field("sqlite_busy_timeout_ms", &self.sqlite_busy_timeout_ms)
            .field(
                "read_url",
                &crate::store::redact_url(self.read_url.expose()),
            )
            .finish()
    }
}

/// Log output settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    /// `pretty` or `json`.
    pub format: LogFormat,
    /// `tracing` filter directives.
    pub level: String,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable, coloured when on a terminal.
    Pretty,
    /// One JSON object per line.
    Json,
}
