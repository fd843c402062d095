//! What the settings' types alone cannot check, refused at load with the
//! setting named.

use super::{ConfigError, Environment, Settings, TransportKind, DEFAULT_JWT_SECRET};

impl Settings {
    /// Checks values the types alone cannot.
    pub(super) fn validate(&self) -> Result<(), ConfigError> {
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
}
