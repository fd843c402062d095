//! The text value types: a line, prose, a statement, a code and search
//! words, each with its maximum in its type. Each trims, refuses control
//! characters and counts characters while deserialising, and writes its
//! constraints as a pattern in the OpenAPI document.

use std::fmt;
use std::ops::Deref;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use super::super::input_errors::{refuse, standing_in};
use super::Plain;
use crate::domain::text::{check_text, TextKind};

/// One line of text (a name, a title, a reference number): trimmed,
/// 1 to `MAX` characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Line<const MAX: usize>(pub String);

/// Free prose (a mandate, a comment, a note): trimmed, at most `MAX`
/// characters; line breaks and tabs allowed, other control characters not.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Prose<const MAX: usize>(pub String);

macro_rules! text_type {
    ($ty:ident, $kind:expr, $min:expr, $pattern:expr) => {
        impl<const MAX: usize> $ty<MAX> {
            /// The text.
            pub fn into_string(self) -> String {
                self.0
            }
            /// The text, borrowed.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl<const MAX: usize> Deref for $ty<MAX> {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl<const MAX: usize> From<$ty<MAX>> for String {
            fn from(t: $ty<MAX>) -> String {
                t.0
            }
        }

        impl<const MAX: usize> Serialize for $ty<MAX> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de, const MAX: usize> Deserialize<'de> for $ty<MAX> {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V<const MAX: usize>;
                impl<const MAX: usize> Visitor<'_> for V<MAX> {
                    type Value = $ty<MAX>;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        write!(f, "a text")
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$ty<MAX>, E> {
                        if standing_in(v) {
                            return Ok($ty(v.to_string()));
                        }
                        check_text(v, $kind, $min, MAX).map($ty).map_err(refuse)
                    }
                }
                d.deserialize_str(V::<MAX>)
            }
        }

        impl<const MAX: usize> PartialSchema for $ty<MAX> {
            fn schema() -> RefOr<Schema> {
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .min_length(Some($min))
                    .max_length(Some(MAX))
                    .pattern(Some($pattern))
                    .into()
            }
        }

        impl<const MAX: usize> Plain for $ty<MAX> {
            type Out = String;
            fn plain(self) -> String {
                self.0
            }
        }

        impl<const MAX: usize> ToSchema for $ty<MAX> {
            fn name() -> std::borrow::Cow<'static, str> {
                format!("{}{}", stringify!($ty), MAX).into()
            }
        }
    };
}

// The patterns say what the checks do: no control characters, and for a
// line at least one character that is not white space (texts are trimmed).
/// Prose that must say something: like [`Prose`], at least one character
/// that is not white space (a reason, a justification).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Statement<const MAX: usize>(pub String);

pub(super) const STATEMENT_PATTERN: &str = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$";
text_type!(Statement, TextKind::Prose, 1, STATEMENT_PATTERN);

/// A code (a staff code, a unit code): one word, no spaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Token<const MAX: usize>(pub String);

pub(super) const TOKEN_PATTERN: &str = r"^[^\s\u0000-\u001F\u007F-\u009F]+$";
text_type!(Token, TextKind::Token, 1, TOKEN_PATTERN);

/// Words to search for: one line, possibly empty (an empty `q=` searches
/// for nothing in particular).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Search<const MAX: usize>(pub String);

pub(super) const SEARCH_PATTERN: &str = r"^[^\u0000-\u001F\u007F-\u009F]*$";
text_type!(Search, TextKind::Line, 0, SEARCH_PATTERN);

/// A staff code or a unit code.
pub type Code = Token<50>;

pub(super) const LINE_PATTERN: &str = r"^[^\u0000-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F][^\u0000-\u001F\u007F-\u009F]*$";
pub(super) const PROSE_PATTERN: &str = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$";
text_type!(Line, TextKind::Line, 1, LINE_PATTERN);
text_type!(Prose, TextKind::Prose, 0, PROSE_PATTERN);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_refuse_control_characters_and_length() {
        let ok: Line<6> = serde_json::from_str("\"  abc \"").unwrap();
        assert_eq!(ok.as_str(), "abc");
        assert!(serde_json::from_str::<Line<5>>("\"a\\u0000b\"").is_err());
        assert!(serde_json::from_str::<Line<5>>("\"   \"").is_err());
        assert!(serde_json::from_str::<Line<5>>("\"abcdef\"").is_err());
        let p: Prose<20> = serde_json::from_str("\"line 1\\nline 2\"").unwrap();
        assert_eq!(p.as_str(), "line 1\nline 2");
        assert!(serde_json::from_str::<Prose<20>>("\"bell\\u0007\"").is_err());
        assert!(serde_json::from_str::<Prose<20>>("\"\"").is_ok());
    }
}
