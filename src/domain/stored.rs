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

#[cfg(test)]
mod tests {
    use crate::domain::approval::{Decision, RequestKind, Side};
    use crate::domain::extension::ExtensionStatus;
    use crate::domain::milestone::MilestoneStatus;
    use crate::domain::org_unit::UnitKind;
    use crate::domain::outbox::EmailStatus;
    use crate::domain::outcome::{Pillar, Rating};
    use crate::domain::secondment::{Direction, Ground, Kind, Status};
    use crate::domain::user::{Language, Role};

    /// The JSON form is the stored form, and both read back.
    fn same_everywhere<E>(all: &[E], as_str: fn(&E) -> &'static str)
    where
        E: serde::Serialize
            + serde::de::DeserializeOwned
            + TryFrom<String>
            + PartialEq
            + std::fmt::Debug,
    {
        for v in all {
            let json = serde_json::to_string(v).unwrap();
            assert_eq!(json, format!("\"{}\"", as_str(v)));
            assert_eq!(&serde_json::from_str::<E>(&json).unwrap(), v);
            assert!(E::try_from(as_str(v).to_string()).ok().as_ref() == Some(v));
        }
        assert!(E::try_from("not_a_value".to_string()).is_err());
    }

    #[test]
    fn every_enum_sends_and_stores_the_same_words() {
        same_everywhere(&Status::ALL, |v| v.as_str());
        same_everywhere(&Kind::ALL, |v| v.as_str());
        same_everywhere(&Ground::ALL, |v| v.as_str());
        same_everywhere(&Direction::ALL, |v| v.as_str());
        same_everywhere(&Side::ALL, |v| v.as_str());
        same_everywhere(&Decision::ALL, |v| v.as_str());
        same_everywhere(&RequestKind::ALL, |v| v.as_str());
        same_everywhere(&ExtensionStatus::ALL, |v| v.as_str());
        same_everywhere(&MilestoneStatus::ALL, |v| v.as_str());
        same_everywhere(&UnitKind::ALL, |v| v.as_str());
        same_everywhere(&EmailStatus::ALL, |v| v.as_str());
        same_everywhere(&Pillar::ALL, |v| v.as_str());
        same_everywhere(&Rating::ALL, |v| v.as_str());
        same_everywhere(&Role::ALL, |v| v.as_str());
        same_everywhere(&Language::ALL, |v| v.as_str());
    }

    #[test]
    fn an_unknown_stored_word_is_an_error_naming_it() {
        let err = Status::try_from("archived".to_string()).unwrap_err();
        assert_eq!(err.to_string(), "unknown stored status \"archived\"");
    }
}
