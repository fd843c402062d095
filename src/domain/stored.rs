//! Enumerated values as the database stores them (TEXT with a CHECK) and
//! the API sends them: one snake_case word per value.
//!
//! A row is read into the domain's enum once, when it is loaded
//! (`#[diesel(deserialize_as = String)]` plus the `TryFrom<String>` made
//! here). A stored word this version does not know fails the load as an
//! internal error; it is never read as a default, which could show a wrong
//! status or let a wrong action through.

/// A stored value that is not one of an enum's forms: the database holds
/// something this version does not know, which is an internal error (never
/// read as a default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownStoredValue {
    /// What the value was meant to be (`status`, `kind`).
    pub what: &'static str,
    /// The stored text.
    pub value: String,
}

impl std::fmt::Display for UnknownStoredValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown stored {} {:?}", self.what, self.value)
    }
}

impl std::error::Error for UnknownStoredValue {}

/// Gives an enum with `ALL` and `as_str` its `parse` and the
/// `TryFrom<String>` the row loaders use.
macro_rules! stored_enum {
    ($enum:ident, $what:literal) => {
        impl $enum {
            /// Parses the stored form; `None` for any other text.
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.into_iter().find(|v| v.as_str() == s)
            }
        }

        impl TryFrom<String> for $enum {
            type Error = $crate::domain::stored::UnknownStoredValue;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
                    .ok_or($crate::domain::stored::UnknownStoredValue { what: $what, value })
            }
        }

        impl std::fmt::Display for $enum {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use stored_enum;
