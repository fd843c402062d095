//! serde's errors in the user's terms, each with its code. serde words
//! its own errors (`missing field`, `unknown variant`, `invalid type`),
//! so this is the one place that reads them; a value type's refusal
//! (`Day`, `Line`, `Email`) keeps its code aside through [`refuse`],
//! because serde carries only the words.

use std::cell::RefCell;

use super::super::field_error::{Complaint, FieldError, FieldProblem};
use super::super::fields::{DAY_EXPECTED, EMAIL_EXPECTED, ID_EXPECTED};

thread_local! {
    /// The last refusal a value type made on this thread, with its code.
    static REFUSED: RefCell<Option<Complaint>> = const { RefCell::new(None) };
}

/// A value type's refusal as serde's error: serde keeps its words, and the
/// code waits here for [`describe`] to read the error.
pub fn refuse<E: serde::de::Error>(complaint: impl Into<Complaint>) -> E {
    let complaint = complaint.into();
    let error = E::custom(&complaint.message);
    REFUSED.with(|r| *r.borrow_mut() = Some(complaint));
    error
}

/// The complaint behind a custom error's `message`: the value type's, with
/// its code, when it made this one; plain words otherwise.
fn refused_as(message: &str) -> Complaint {
    REFUSED
        .with(|r| r.borrow().clone())
        .filter(|c| c.message == message)
        .unwrap_or_else(|| message.into())
}

/// Turns serde's error at `path` into the field's path and a complaint in
/// the user's terms: unknown and missing fields are named themselves,
/// expected types are said in words.
pub fn describe(path: &str, message: &str) -> FieldError {
    let message = strip_position(message);
    let parent = if path == "." { "" } else { path };
    let join = |name: &str| {
        if parent.is_empty() {
            name.to_string()
        } else {
            format!("{parent}.{name}")
        }
    };
    let quoted = |m: &str| m.split('`').nth(1).unwrap_or("").to_string();
    let here = if parent.is_empty() {
        "body".to_string()
    } else {
        parent.to_string()
    };
    if message.starts_with("unknown field") {
        // The path already ends with the unknown field's name.
        let name = quoted(&message);
        let field = if parent == name || parent.ends_with(&format!(".{name}")) {
            parent.to_string()
        } else {
            join(&name)
        };
        return FieldError::new(field, FieldProblem::UnknownField);
    }
    if message.starts_with("missing field") {
        return FieldError::new(join(&quoted(&message)), FieldProblem::Required);
    }
    if message.starts_with("unknown variant") {
        let choices: Vec<&str> = message
            .split_once("expected")
            .map(|(_, rest)| rest)
            .unwrap_or("")
            .split('`')
            .skip(1)
            .step_by(2)
            .collect();
        let told = format!("must be one of: {}", choices.join(", "));
        return FieldError::new(here, FieldProblem::NotOneOf.told(told));
    }
    for prefix in ["invalid type", "invalid value", "invalid length"] {
        if message.starts_with(prefix) {
            let expected = message.rsplit_once("expected ").map_or("", |(_, e)| e);
            let (words, problem) = in_words(expected);
            return FieldError::new(here, problem.told(format!("must be {words}")));
        }
    }
    if message.contains("invalid digit") || message.contains("number too") {
        return FieldError::new(here, FieldProblem::NotAWholeNumber);
    }
    if message.contains("invalid float") {
        return FieldError::new(here, FieldProblem::NotANumber);
    }
    if message.starts_with("duplicate field") {
        return FieldError::new(join(&quoted(&message)), "is given twice");
    }
    FieldError::new(here, refused_as(&message))
}

/// serde's expectation in words a user reads, with its code.
fn in_words(expected: &str) -> (String, FieldProblem) {
    let e = expected.trim();
    let words = |w: &str| w.to_string();
    match e {
        "f64" | "f32" => (words("a number"), FieldProblem::NotANumber),
        "u8" | "u16" | "u32" | "u64" | "usize" => (
            words("a whole number, 0 or more"),
            FieldProblem::NotAWholeNumber,
        ),
        "i8" | "i16" | "i32" | "i64" | "isize" => {
            (words("a whole number"), FieldProblem::NotAWholeNumber)
        }
        _ if e == DAY_EXPECTED => (words(e), FieldProblem::NotADate),
        _ if e == ID_EXPECTED => (words(e), FieldProblem::NotAnId),
        _ if e == EMAIL_EXPECTED => (words(e), FieldProblem::NotAnEmail),
        "a boolean" | "bool" => (words("true or false"), FieldProblem::Other),
        "a sequence" => (words("a list"), FieldProblem::Other),
        "a map" => (words("an object"), FieldProblem::Other),
        "a string" | "a borrowed string" | "a str" => (words("a text"), FieldProblem::Other),
        "char" => (words("a single character"), FieldProblem::Other),
        _ if e.starts_with("struct ") || e.starts_with("a map") => {
            (words("an object"), FieldProblem::Other)
        }
        _ if e.starts_with("enum ") => (
            words("one of the documented values"),
            FieldProblem::NotOneOf,
        ),
        _ if e.starts_with("a sequence") || e.starts_with("an array") => {
            (words("a list"), FieldProblem::Other)
        }
        _ if e.is_empty() => (words("of the documented type"), FieldProblem::Other),
        _ => (words(e), FieldProblem::Other),
    }
}

/// Drops serde_json's " at line 1 column 42" suffix.
pub fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_errors_get_their_codes() {
        let e = describe("consultation", "missing field `held_on`");
        assert_eq!(e.field, "consultation.held_on");
        assert_eq!(e.problem, FieldProblem::Required);
        let e = describe("salary", "unknown field `salary`, expected one of `a`");
        assert_eq!(
            (e.field.as_str(), e.problem),
            ("salary", FieldProblem::UnknownField)
        );
        let e = describe("limit", "invalid digit found in string");
        assert_eq!(e.problem, FieldProblem::NotAWholeNumber);
        let e = describe(
            "start_date",
            "invalid type: integer `5`, expected a date written YYYY-MM-DD at line 1 column 9",
        );
        assert_eq!(e.message, "must be a date written YYYY-MM-DD");
        assert_eq!(e.problem, FieldProblem::NotADate);
    }

    #[test]
    fn a_value_types_refusal_keeps_its_code_and_words_alone_stay_plain() {
        let _: serde_json::Error = refuse(FieldProblem::TooLong { max: 5 });
        let e = describe("name", "must be at most 5 characters");
        assert_eq!(e.problem, FieldProblem::TooLong { max: 5 });
        let e = describe("name", "some other words");
        assert_eq!(e.problem, FieldProblem::Other);
    }
}
