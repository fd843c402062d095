//! Email addresses as users type them, compared without regard to case.

/// Why a text is not taken for an email address; its words are the API's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EmailRefusal {
    /// Nothing but white space.
    #[error("must not be empty")]
    Empty,
    /// Longer than [`EmailRefusal::MAX`] characters.
    #[error("must be at most 254 characters")]
    TooLong,
    /// White space or control characters inside.
    #[error("must not contain spaces")]
    Spaces,
    /// No `@`.
    #[error("must contain @")]
    NoAt,
    /// More than one `@`, or none with a name before it.
    #[error("must have exactly one @ with a name before it")]
    NotOneAt,
    /// No domain with a dot after the `@`.
    #[error("must end with a domain such as example.gov.vn")]
    NoDomain,
}

impl EmailRefusal {
    /// The most characters an address may have.
    pub const MAX: usize = 254;
}

impl From<EmailRefusal> for String {
    fn from(r: EmailRefusal) -> String {
        r.to_string()
    }
}

/// A syntactically plausible email address, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Accepts `local@domain.tld` without spaces, at most 254 characters.
    pub fn parse(raw: &str) -> Result<Self, EmailRefusal> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(EmailRefusal::Empty);
        }
        if value.chars().count() > EmailRefusal::MAX {
            return Err(EmailRefusal::TooLong);
        }
        if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(EmailRefusal::Spaces);
        }
        let Some((local, domain)) = value.rsplit_once('@') else {
            return Err(EmailRefusal::NoAt);
        };
        if local.is_empty() || local.contains('@') {
            return Err(EmailRefusal::NotOneAt);
        }
        if domain.len() < 3
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains("..")
        {
            return Err(EmailRefusal::NoDomain);
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
