//! A complaint about one field: the API's words and a typed code. The
//! code is decided where the complaint is made (the value types, serde's
//! errors read once in `input_errors`, the checks of `validate`, the
//! domain's text, email and password rules), so that the console words it
//! in the user's language (`problem.<code>`) without reading the English.

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::email::EmailRefusal;
use crate::domain::text::TextRefusal;
use crate::domain::user::PasswordRefusal;

/// What is wrong with a field, as a code. Not sent by the API (whose
/// `errors` hold `field` and `message`); the console words it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FieldProblem {
    /// A required field is missing.
    Required,
    /// The text is empty (or only white space).
    Empty,
    /// Not a date written `YYYY-MM-DD`, or no such day.
    NotADate,
    /// A date before 1900 or after 2199.
    DateOutOfRange,
    /// Not a number.
    NotANumber,
    /// Not a whole number (or out of its range).
    NotAWholeNumber,
    /// Not one of the documented values.
    NotOneOf,
    /// Not an id (a UUID).
    NotAnId,
    /// Not an email address.
    NotAnEmail,
    /// A field the request does not have.
    UnknownField,
    /// Shorter than `min` characters.
    TooShort {
        /// The fewest characters allowed.
        min: usize,
    },
    /// Longer than `max` characters.
    TooLong {
        /// The most characters allowed.
        max: usize,
    },
    /// A code with spaces in it.
    HasSpaces,
    /// Control characters (or line breaks in a line).
    ControlCharacters,
    /// The field names a record that does not exist.
    NamesNothing,
    /// A password shorter than the policy allows.
    PasswordTooShort,
    /// A password that is the account's email address.
    PasswordIsEmail,
    /// A new password equal to the current one.
    PasswordUnchanged,
    /// The repeated new password differs from the new password.
    PasswordMismatch,
    /// Anything else: the console shows the API's words.
    #[default]
    Other,
}

impl FieldProblem {
    /// The stable code: `problem.<code>` in the console's words; `None`
    /// for [`FieldProblem::Other`], which has no words of its own.
    pub fn code(self) -> Option<&'static str> {
        Some(match self {
            FieldProblem::Required => "required",
            FieldProblem::Empty => "empty",
            FieldProblem::NotADate => "not-a-date",
            FieldProblem::DateOutOfRange => "date-out-of-range",
            FieldProblem::NotANumber => "not-a-number",
            FieldProblem::NotAWholeNumber => "not-a-whole-number",
            FieldProblem::NotOneOf => "not-one-of",
            FieldProblem::NotAnId => "not-an-id",
            FieldProblem::NotAnEmail => "not-an-email",
            FieldProblem::UnknownField => "unknown-field",
            FieldProblem::TooShort { .. } => "too-short",
            FieldProblem::TooLong { .. } => "too-long",
            FieldProblem::HasSpaces => "has-spaces",
            FieldProblem::ControlCharacters => "control-characters",
            FieldProblem::NamesNothing => "names-nothing",
            FieldProblem::PasswordTooShort => "password-too-short",
            FieldProblem::PasswordIsEmail => "password-is-email",
            FieldProblem::PasswordUnchanged => "password-unchanged",
            FieldProblem::PasswordMismatch => "password-mismatch",
            FieldProblem::Other => return None,
        })
    }

    /// The figures its words name (`{ $min }`, `{ $max }`).
    pub fn args(self) -> Vec<(&'static str, String)> {
        match self {
            FieldProblem::TooShort { min } => vec![("min", min.to_string())],
            FieldProblem::TooLong { max } => vec![("max", max.to_string())],
            _ => Vec::new(),
        }
    }

    /// The API's words for it, where they say everything the code says.
    fn words(self) -> String {
        match self {
            FieldProblem::Required => "is required".into(),
            FieldProblem::Empty => "must not be empty".into(),
            FieldProblem::NotADate => "must be a date written YYYY-MM-DD".into(),
            FieldProblem::NotANumber => "must be a number".into(),
            FieldProblem::NotAWholeNumber => "must be a whole number".into(),
            FieldProblem::UnknownField => "is not a known field".into(),
            FieldProblem::TooShort { min } => format!("must be at least {min} characters"),
            FieldProblem::TooLong { max } => format!("must be at most {max} characters"),
            FieldProblem::HasSpaces => "must not contain spaces".into(),
            FieldProblem::PasswordTooShort => "must be at least 12 characters".into(),
            FieldProblem::PasswordIsEmail => "must not be the email address".into(),
            FieldProblem::PasswordUnchanged => "must differ from the current password".into(),
            FieldProblem::PasswordMismatch => "does not match the new password".into(),
            FieldProblem::DateOutOfRange
            | FieldProblem::NotOneOf
            | FieldProblem::NotAnId
            | FieldProblem::NotAnEmail
            | FieldProblem::ControlCharacters
            | FieldProblem::NamesNothing
            | FieldProblem::Other => "is invalid".into(),
        }
    }

    /// This problem told in the API's own, more precise words (`must be
    /// one of: a, b`).
    pub fn told(self, message: impl Into<String>) -> Complaint {
        Complaint {
            message: message.into(),
            problem: self,
        }
    }
}

/// A complaint about a field before it names the field: the API's words
/// and the code. Plain words are [`FieldProblem::Other`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Complaint {
    /// The API's words.
    pub message: String,
    /// The code.
    pub problem: FieldProblem,
}

impl From<FieldProblem> for Complaint {
    fn from(problem: FieldProblem) -> Self {
        problem.told(problem.words())
    }
}

impl From<String> for Complaint {
    fn from(message: String) -> Self {
        FieldProblem::Other.told(message)
    }
}

impl From<&String> for Complaint {
    fn from(message: &String) -> Self {
        FieldProblem::Other.told(message.clone())
    }
}

impl From<&str> for Complaint {
    fn from(message: &str) -> Self {
        FieldProblem::Other.told(message)
    }
}

impl From<TextRefusal> for Complaint {
    fn from(r: TextRefusal) -> Self {
        let problem = match r {
            TextRefusal::NotADate | TextRefusal::NotInCalendar(_) => FieldProblem::NotADate,
            TextRefusal::OutOfRange => FieldProblem::DateOutOfRange,
            TextRefusal::ControlCharacters { .. } => FieldProblem::ControlCharacters,
            TextRefusal::Spaces => FieldProblem::HasSpaces,
            TextRefusal::TooLong { max } => FieldProblem::TooLong { max },
            TextRefusal::Empty => FieldProblem::Empty,
            TextRefusal::TooShort { min } => FieldProblem::TooShort { min },
        };
        problem.told(r.to_string())
    }
}

impl From<EmailRefusal> for Complaint {
    fn from(r: EmailRefusal) -> Self {
        let problem = match r {
            EmailRefusal::Empty => FieldProblem::Empty,
            EmailRefusal::TooLong => FieldProblem::TooLong {
                max: EmailRefusal::MAX,
            },
            EmailRefusal::Spaces => FieldProblem::HasSpaces,
            EmailRefusal::NoAt | EmailRefusal::NotOneAt | EmailRefusal::NoDomain => {
                FieldProblem::NotAnEmail
            }
        };
        problem.told(r.to_string())
    }
}

impl From<PasswordRefusal> for Complaint {
    fn from(r: PasswordRefusal) -> Self {
        let problem = match r {
            PasswordRefusal::TooShort => FieldProblem::PasswordTooShort,
            PasswordRefusal::TooLong => FieldProblem::TooLong {
                max: PasswordRefusal::MAX,
            },
            PasswordRefusal::IsEmail => FieldProblem::PasswordIsEmail,
        };
        problem.told(r.to_string())
    }
}

/// One field-level complaint inside a problem.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldError {
    /// The JSON field (or CSV column) at fault.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
    /// The 1-based line, for file imports.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// For `policy-violation`: the rule this field breaks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// For the rule `max_duration`: the latest end date the cap allows
    /// (start date + the policy's months - 1 day).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = Date)]
    pub latest_end_date: Option<chrono::NaiveDate>,
    /// What is wrong, as a code for the console; never sent.
    #[serde(skip)]
    pub problem: FieldProblem,
}

impl FieldError {
    /// A complaint about `field`: plain words (code
    /// [`FieldProblem::Other`]), a [`FieldProblem`] in the API's words,
    /// or a refusal of the domain's rules with its code.
    pub fn new(field: impl Into<String>, complaint: impl Into<Complaint>) -> Self {
        let Complaint { message, problem } = complaint.into();
        FieldError {
            field: field.into(),
            message,
            line: None,
            rule: None,
            latest_end_date: None,
            problem,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_complaint_keeps_the_api_words_and_carries_its_code() {
        let e = FieldError::new("name", FieldProblem::TooLong { max: 300 });
        assert_eq!(e.message, "must be at most 300 characters");
        assert_eq!(e.problem.code(), Some("too-long"));
        assert_eq!(e.problem.args(), vec![("max", "300".to_string())]);
        let plain = FieldError::new("name", "is odd");
        assert_eq!(
            (plain.message.as_str(), plain.problem),
            ("is odd", FieldProblem::Other)
        );
        let told = FieldError::new("kind", FieldProblem::NotOneOf.told("must be one of: a, b"));
        assert_eq!(told.message, "must be one of: a, b");
        assert_eq!(told.problem, FieldProblem::NotOneOf);
        // Never in the API's body.
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"field": "name", "message": "must be at most 300 characters"})
        );
    }
}
