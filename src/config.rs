//! Typed settings, layered: `config/default.toml`, then `config/<env>.toml`,
//! then `SECONDMENTS__SECTION__KEY` environment variables.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The base settings compiled into the binary, used when no
/// `config/default.toml` is found next to the working directory.
const EMBEDDED_DEFAULTS: &str = include_str!("../config/default.toml");

/// Which deployment the process runs as; selects `config/<env>.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    /// Local development (the default).
    Development,
    /// Automated tests.
    Test,
    /// A real deployment: strict secrets, JSON logs.
    Production,
}

impl Environment {
    /// The file stem of the environment's config file.
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Development => "development",
            Environment::Test => "test",
            Environment::Production => "production",
        }
    }

    /// Reads `SECONDMENTS_ENV` (default `development`).
    pub fn from_env() -> Result<Self, ConfigError> {
        match std::env::var("SECONDMENTS_ENV") {
            Err(_) => Ok(Environment::Development),
            Ok(v) => v.parse(),
        }
    }
}

impl std::str::FromStr for Environment {
    type Err = ConfigError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "development" | "dev" => Ok(Environment::Development),
            "test" => Ok(Environment::Test),
            "production" | "prod" => Ok(Environment::Production),
            other => Err(ConfigError(format!(
                "SECONDMENTS_ENV = {other:?} is not one of development, test, production"
            ))),
        }
    }
}

/// A configuration problem found at start-up, with the offending key named.
#[derive(Debug, thiserror::Error)]
#[error("configuration error: {0}")]
pub struct ConfigError(pub String);

/// A string that must never be printed: `Debug` and `Display` redact it.
#[derive(Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// All settings of the service.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Filled from `SECONDMENTS_ENV`, not from files.
    #[serde(skip, default = "default_environment")]
    pub environment: Environment,
    /// IANA time zone that defines "today" (default `Asia/Ho_Chi_Minh`).
    pub timezone: String,
    /// HTTP listener.
    pub server: ServerSettings,
    /// Database connection.
    pub database: DatabaseSettings,
    /// Logging.
    pub log: LogSettings,
    /// Tokens and login protection.
    pub auth: AuthSettings,
    /// Business rules.
    pub policy: PolicySettings,
    /// The daily tick.
    pub scheduler: SchedulerSettings,
    /// Default milestones planned on approval.
    pub milestones: MilestoneSettings,
    /// When reminders go out.
    pub reminders: ReminderSettings,
    /// How email is sent.
    pub mail: MailSettings,
}

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

fn default_environment() -> Environment {
    Environment::Development
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

impl Settings {
    /// Loads settings for the environment named by `SECONDMENTS_ENV`, from
    /// the directory `SECONDMENTS_CONFIG_DIR` (default `config`).
    pub fn load() -> Result<Self, ConfigError> {
        let environment = Environment::from_env()?;
        let dir = std::env::var_os("SECONDMENTS_CONFIG_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("config"));
        Self::load_from(environment, &dir)
    }

    /// Loads settings for `environment` from the files in `dir` and the
    /// process environment.
    pub fn load_from(environment: Environment, dir: &Path) -> Result<Self, ConfigError> {
        use config::{Config, File, FileFormat};

        let default_file = dir.join("default.toml");
        let mut builder = Config::builder();
        builder = if default_file.is_file() {
            builder.add_source(File::from(default_file).format(FileFormat::Toml))
        } else {
            builder.add_source(File::from_str(EMBEDDED_DEFAULTS, FileFormat::Toml))
        };
        let built = builder
            .add_source(
                File::from(dir.join(format!("{}.toml", environment.as_str())))
                    .format(FileFormat::Toml)
                    .required(false),
            )
            .add_source(
                config::Environment::with_prefix("SECONDMENTS")
                    .prefix_separator("__")
                    .separator("__")
                    .list_separator(",")
                    .with_list_parse_key("policy.approval_sides")
                    .with_list_parse_key("reminders.end_offsets_days")
                    .with_list_parse_key("reminders.milestone_offsets_days")
                    .try_parsing(true),
            )
            .build()
            .map_err(|e| ConfigError(e.to_string()))?;
        let settings: Settings = built
            .try_deserialize()
            .map_err(|e| ConfigError(e.to_string()))?;
        let settings = Settings {
            environment,
            ..settings
        };
        settings.validate()?;
        Ok(settings)
    }

    /// Checks values the types alone cannot.
    fn validate(&self) -> Result<(), ConfigError> {
        if self.timezone.parse::<chrono_tz::Tz>().is_err() {
            return Err(ConfigError(format!(
                "timezone = {:?} is not an IANA time zone",
                self.timezone
            )));
        }
        let secret = self.auth.jwt_secret.expose();
        if self.environment == Environment::Production
            && (secret.is_empty() || secret == DEFAULT_JWT_SECRET || secret.len() < 32)
        {
            return Err(ConfigError(
                "auth.jwt_secret: production needs SECONDMENTS__AUTH__JWT_SECRET set to a \
                 random value of at least 32 bytes (the default or a short secret is refused)"
                    .into(),
            ));
        }
        if secret.len() < 16 {
            return Err(ConfigError(
                "auth.jwt_secret must be at least 16 bytes (32 in production)".into(),
            ));
        }
        if self.auth.lockout_max_failures == 0 || self.auth.auth_requests_per_ip_per_minute == 0 {
            return Err(ConfigError(
                "auth.lockout_max_failures and auth.auth_requests_per_ip_per_minute must be at least 1"
                    .into(),
            ));
        }
        if self.policy.approval_sides.is_empty() {
            return Err(ConfigError(
                "policy.approval_sides must name at least one side (home, host)".into(),
            ));
        }
        if self.policy.max_months == 0 {
            return Err(ConfigError("policy.max_months must be at least 1".into()));
        }
        if self.environment == Environment::Production
            && self.mail.transport != TransportKind::Smtp
            && !self.mail.allow_non_smtp_in_production
        {
            return Err(ConfigError(
                "mail.transport: production sends reminders over SMTP; set \
                 SECONDMENTS__MAIL__TRANSPORT=smtp and mail.smtp.*, or \
                 mail.allow_non_smtp_in_production = true for a copy that must not mail anyone"
                    .into(),
            ));
        }
        if !self.server.trusted_proxy_header.is_empty()
            && actix_web::http::header::HeaderName::from_bytes(
                self.server.trusted_proxy_header.as_bytes(),
            )
            .is_err()
        {
            return Err(ConfigError(format!(
                "server.trusted_proxy_header = {:?} is not a header name",
                self.server.trusted_proxy_header
            )));
        }
        if self.environment == Environment::Production && self.scheduler.allow_date_override {
            return Err(ConfigError(
                "scheduler.allow_date_override must be false in production".into(),
            ));
        }
        if chrono::NaiveTime::parse_from_str(&self.scheduler.daily_at, "%H:%M").is_err() {
            return Err(ConfigError(format!(
                "scheduler.daily_at = {:?} is not a time HH:MM",
                self.scheduler.daily_at
            )));
        }
        if self.mail.max_attempts == 0 || self.mail.batch_size == 0 {
            return Err(ConfigError(
                "mail.max_attempts and mail.batch_size must be at least 1".into(),
            ));
        }
        if self.database.pool_size == 0 {
            return Err(ConfigError("database.pool_size must be at least 1".into()));
        }
        if self.server.body_limit_bytes == 0 {
            return Err(ConfigError(
                "server.body_limit_bytes must be at least 1".into(),
            ));
        }
        Ok(())
    }

    /// The configured time zone (validated at load).
    pub fn tz(&self) -> chrono_tz::Tz {
        self.timezone
            .parse()
            .unwrap_or(chrono_tz::Asia::Ho_Chi_Minh)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_is_redacted_in_debug() {
        let s = Secret::new("hunter2-very-secret");
        assert!(!format!("{s:?}").contains("hunter2"));
    }

    #[test]
    fn database_url_password_is_redacted_in_debug() {
        let d = DatabaseSettings {
            url: Secret::new("postgres://app:s3cr3t@db.example/app"),
            pool_size: 1,
            connect_timeout_secs: 1,
            sqlite_busy_timeout_ms: 1,
            read_url: Secret::new("postgres://app:r3pl1ca@replica.example/app"),
        };
        let shown = format!("{d:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(!shown.contains("r3pl1ca"), "{shown}");
        assert!(shown.contains("db.example"), "{shown}");
    }

    #[test]
    fn unknown_environment_is_refused() {
        assert!("staging".parse::<Environment>().is_err());
    }
}
