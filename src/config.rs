//! Typed settings, layered: `config/default.toml`, then `config/<env>.toml`,
//! then `SECONDMENTS__SECTION__KEY` environment variables.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

mod sections;
mod validate;

pub use sections::{
    AuthSettings, DatabaseSettings, LogFormat, LogSettings, MailSettings, MilestoneSettings,
    PolicySettings, ReminderSettings, SchedulerSettings, ServerSettings, SmtpSecurity,
    SmtpSettings, TransportKind, DEFAULT_JWT_SECRET,
};

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

fn default_environment() -> Environment {
    Environment::Development
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
