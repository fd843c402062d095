//! Input value types shared by every request body, query and path: strict
//! dates, ids, email addresses and texts with a documented maximum
//! (`text`). Each refuses bad input while deserialising, so the error
//! names the JSON path of the field and carries its code, and each
//! describes its real constraints in the OpenAPI document.

mod text;

pub use text::{Code, Line, Prose, Search, Statement, Token};

use std::fmt;
use std::ops::Deref;

use chrono::NaiveDate;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use super::input_errors::{refuse, standing_in};
use super::FieldProblem;
use crate::domain::text::{parse_day, DAY_MAX, DAY_MIN};
use text::{LINE_PATTERN, PROSE_PATTERN, SEARCH_PATTERN, STATEMENT_PATTERN, TOKEN_PATTERN};

/// What a date's deserialiser expects, as serde words a wrong type.
pub const DAY_EXPECTED: &str = "a date written YYYY-MM-DD";
/// What an id's deserialiser expects.
pub const ID_EXPECTED: &str = "an id";
/// What an email address's deserialiser expects.
pub const EMAIL_EXPECTED: &str = "an email address";

/// A calendar date written `YYYY-MM-DD`, between 1900-01-01 and 2199-12-31.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub NaiveDate);

impl Day {
    /// The date.
    pub fn get(self) -> NaiveDate {
        self.0
    }
}

impl Deref for Day {
    type Target = NaiveDate;
    fn deref(&self) -> &NaiveDate {
        &self.0
    }
}

impl From<Day> for NaiveDate {
    fn from(d: Day) -> NaiveDate {
        d.0
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0.format("%Y-%m-%d"))
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Day;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(DAY_EXPECTED)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Day, E> {
                if standing_in(v) {
                    return Ok(Day(NaiveDate::MIN));
                }
                parse_day(v).map(Day).map_err(refuse)
            }
        }
        d.deserialize_str(V)
    }
}

impl PartialSchema for Day {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .pattern(Some(
                r"^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
            ))
            .description(Some(format!(
                "A date written YYYY-MM-DD, from {DAY_MIN} to {DAY_MAX}."
            )))
            .examples([serde_json::json!("2021-04-01")])
            .into()
    }
}

impl ToSchema for Day {}

/// The id of a record: a UUID, written in lower case with hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(pub String);

impl Id {
    /// The id as text.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl Deref for Id {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<Id> for String {
    fn from(id: Id) -> String {
        id.0
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Id;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(ID_EXPECTED)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Id, E> {
                if standing_in(v) {
                    return Ok(Id(v.to_string()));
                }
                uuid::Uuid::parse_str(v)
                    .ok()
                    .filter(|_| v.len() == 36)
                    .map(|u| Id(u.to_string()))
                    .ok_or_else(|| {
                        refuse(FieldProblem::NotAnId.told(
                            "must be an id (a UUID such as 0190c8e4-2f4a-7b4e-9a53-6c1d2e3f4a5b)",
                        ))
                    })
            }
        }
        d.deserialize_str(V)
    }
}

impl PartialSchema for Id {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)))
            .into()
    }
}

impl ToSchema for Id {}

/// An email address as the service accepts it: `name@domain.tld`, no
/// spaces, at most 254 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(pub String);

const EMAIL_PATTERN: &str = r"^[^@\s\u0000-\u001F\u007F-\u009F]+@[^@\s.\u0000-\u001F\u007F-\u009F]+(\.[^@\s.\u0000-\u001F\u007F-\u009F]+)+$";

impl Deref for Email {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Email {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Email;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(EMAIL_EXPECTED)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Email, E> {
                if standing_in(v) {
                    return Ok(Email(v.to_string()));
                }
                if v.trim() != v {
                    return Err(refuse("must not start or end with spaces"));
                }
                crate::domain::email::EmailAddress::parse(v)
                    .map(|e| Email(e.as_str().to_string()))
                    .map_err(refuse)
            }
        }
        d.deserialize_str(V)
    }
}

impl PartialSchema for Email {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .max_length(Some(254))
            .pattern(Some(EMAIL_PATTERN))
            .examples([serde_json::json!("hieu.pq@mic.gov.vn")])
            .into()
    }
}

impl ToSchema for Email {}

impl Plain for Email {
    type Out = String;
    fn plain(self) -> String {
        self.0
    }
}

/// The schema of one of these types by its component name (`Day`, `Id`,
/// `Line300`, `Prose2000`), for the OpenAPI document, which writes them
/// in place at every use.
pub fn scalar_schema(name: &str) -> Option<RefOr<Schema>> {
    fn line_like(min: usize, max: usize, pattern: &str) -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(min))
            .max_length(Some(max))
            .pattern(Some(pattern))
            .into()
    }
    if name == "Day" {
        return Some(Day::schema());
    }
    if name == "Id" {
        return Some(Id::schema());
    }
    if name == "Email" {
        return Some(Email::schema());
    }
    if let Some(n) = name.strip_prefix("Search").and_then(|n| n.parse().ok()) {
        return Some(line_like(0, n, SEARCH_PATTERN));
    }
    if let Some(n) = name.strip_prefix("Token").and_then(|n| n.parse().ok()) {
        return Some(line_like(1, n, TOKEN_PATTERN));
    }
    if let Some(n) = name.strip_prefix("Statement").and_then(|n| n.parse().ok()) {
        return Some(line_like(1, n, STATEMENT_PATTERN));
    }
    if let Some(n) = name.strip_prefix("Line").and_then(|n| n.parse().ok()) {
        return Some(line_like(1, n, LINE_PATTERN));
    }
    if let Some(n) = name.strip_prefix("Prose").and_then(|n| n.parse().ok()) {
        return Some(line_like(0, n, PROSE_PATTERN));
    }
    None
}

/// A short name or title.
pub type Name = Line<300>;
/// A reference number of a decision or an agreement.
pub type Reference = Line<200>;
/// A comment or a note.
pub type Comment = Prose<2000>;
/// A long description (a mandate).
pub type LongText = Prose<10000>;
/// Why something is asked or done (a cancellation, an extension).
pub type Reason = Statement<4000>;

/// Unwraps checked input values into the plain types the store works
/// with, through `Option` and `Vec` too.
pub trait Plain {
    /// The plain type.
    type Out;
    /// The value without its wrapper.
    fn plain(self) -> Self::Out;
}

impl Plain for Day {
    type Out = NaiveDate;
    fn plain(self) -> NaiveDate {
        self.0
    }
}

impl Plain for Id {
    type Out = String;
    fn plain(self) -> String {
        self.0
    }
}

impl<T: Plain> Plain for Option<T> {
    type Out = Option<T::Out>;
    fn plain(self) -> Self::Out {
        self.map(Plain::plain)
    }
}

impl<T: Plain> Plain for Vec<T> {
    type Out = Vec<T::Out>;
    fn plain(self) -> Self::Out {
        self.into_iter().map(Plain::plain).collect()
    }
}

/// Turns an id from a path into a store id; a malformed id names
/// nothing: not found.
pub fn parse_id(raw: &str) -> Result<String, super::AppError> {
    uuid::Uuid::parse_str(raw)
        .map(|u| u.to_string())
        .map_err(|_| super::AppError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_strict() {
        let ok: Day = serde_json::from_str("\"2027-03-01\"").unwrap();
        assert_eq!(ok.0, NaiveDate::from_ymd_opt(2027, 3, 1).unwrap());
        for bad in [
            "\"2027-3-1\"",
            "\"01/04/2021\"",
            "\"2021-02-30\"",
            "\"0000-01-01\"",
            "\"2200-01-01\"",
            "\" 2021-01-01\"",
            "20210101",
        ] {
            assert!(serde_json::from_str::<Day>(bad).is_err(), "{bad}");
        }
    }
}
