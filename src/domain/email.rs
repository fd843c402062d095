//! Email addresses as users type them, compared without regard to case.

/// A syntactically plausible email address, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Accepts `local@domain.tld` without spaces, at most 254 characters.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let value = raw.trim();
        if value.is_empty() {
            return Err("must not be empty".into());
        }
        if value.chars().count() > 254 {
            return Err("must be at most 254 characters".into());
        }
        if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("must not contain spaces".into());
        }
        let Some((local, domain)) = value.rsplit_once('@') else {
            return Err("must contain @".into());
        };
        if local.is_empty() || local.contains('@') {
            return Err("must have exactly one @ with a name before it".into());
        }
        if domain.len() < 3
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains("..")
        {
            return Err("must end with a domain such as example.gov.vn".into());
        }
        Ok(EmailAddress(value.to_string()))
    }

    /// The address as given (case preserved).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key used for uniqueness and look-up: lower case.
    pub fn normalized(&self) -> String {
        self.0.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_addresses_and_folds_case() {
        let e = EmailAddress::parse("  Hieu.Pham@MIC.gov.vn ").unwrap();
        assert_eq!(e.as_str(), "Hieu.Pham@MIC.gov.vn");
        assert_eq!(e.normalized(), "hieu.pham@mic.gov.vn");
    }

    #[test]
    fn refuses_malformed_addresses() {
        for bad in [
            "", "no-at", "@x.vn", "a@b", "a b@x.vn", "a@x..vn", "a@.x.vn",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad:?} accepted");
        }
    }
}
