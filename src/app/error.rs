//! The one error of the application layer. Each variant is a typed code:
//! the API maps it to a problem slug and status in one place
//! (`api::problem`), the console to words in the user's language
//! (`web::refusal`). No door ever chooses a status from a message's wording.

pub use super::field_error::{Complaint, FieldError, FieldProblem};
use crate::domain::secondment::Violation;
use crate::store::StoreError;

/// Why an action the caller can see is refused (403). The API words it in
/// `detail`; the console looks the code up as `refusal.<code>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The caller's role may not do this at all.
    Role,
    /// The record or a unit it names is outside the caller's scope.
    OutOfScope,
    /// Only the person the record belongs to (or who made it) may do this.
    NotTheirs,
    /// Only a director of the side whose decision it is may decide.
    NotTheDecider,
    /// Not on the caller's own account: an administrator resets the
    /// passwords of others and changes their own.
    OwnAccount,
}

impl Refusal {
    /// The stable code: `refusal.<code>` in the console's words.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::Role => "role",
            Refusal::OutOfScope => "out-of-scope",
            Refusal::NotTheirs => "not-theirs",
            Refusal::NotTheDecider => "not-the-decider",
            Refusal::OwnAccount => "own-account",
        }
    }
}

/// What a change clashes with (409). The console looks the code up as
/// `conflict.<code>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clash {
    /// A record with the same unique key exists.
    Duplicate,
    /// It refers to a record that is missing or still in use.
    InUse,
    /// It overlaps another record of the same person.
    Overlap,
    /// It was already done.
    AlreadyDone,
    /// Another request of the same record waits for its decision.
    Pending,
    /// It would put a unit under (or merge it into) itself or one of its
    /// own descendants.
    Cycle,
    /// It names a unit that was merged away or closed.
    NotCurrent,
    /// It would lock the caller out: an administrator neither disables
    /// their own account nor gives up their own role.
    OwnAccount,
}

impl Clash {
    /// The stable code: `conflict.<code>` in the console's words.
    pub fn code(self) -> &'static str {
        match self {
            Clash::Duplicate => "duplicate",
            Clash::InUse => "in-use",
            Clash::Overlap => "overlap",
            Clash::AlreadyDone => "already-done",
            Clash::Pending => "pending",
            Clash::Cycle => "cycle",
            Clash::NotCurrent => "not-current",
            Clash::OwnAccount => "own-account",
        }
    }
}

/// Every way an application function can refuse or fail.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The record does not exist or is not visible to the caller (404).
    #[error("The resource does not exist.")]
    NotFound,
    /// A field of the command names a record that does not exist (404).
    #[error("{field}: names no {kind}")]
    UnknownReference {
        /// The field holding the reference.
        field: String,
        /// What it should have named: `official`, `org unit`, `user`, ...
        kind: &'static str,
    },
    /// Fields of the command are invalid (422), every one at once.
    #[error("{}", invalid_detail(.0))]
    Invalid(Vec<FieldError>),
    /// Business rules refuse the command (422), every broken one at once.
    #[error("{}", rule_detail(.0))]
    Rule(Vec<Violation>),
    /// The state machine forbids the action from this status (409).
    #[error("Cannot {action} a secondment that is {from}.")]
    Transition {
        /// The status the record is in.
        from: String,
        /// The action attempted.
        action: String,
    },
    /// The caller may see the record but not do this (403).
    #[error("{detail}")]
    Forbidden {
        /// Why, as a code.
        reason: Refusal,
        /// Why, in the API's words.
        detail: String,
    },
    /// The caller's password must be changed before anything else (403).
    #[error("Choose a new password first.")]
    PasswordChangeRequired,
    /// No valid credentials (401).
    #[error("{0}")]
    Unauthenticated(String),
    /// The change clashes with data already there (409).
    #[error("{detail}")]
    Conflict {
        /// What it clashes with, as a code.
        code: Clash,
        /// The clash, in the API's words.
        detail: String,
    },
    /// The version the caller changed is not the current one (412).
    #[error("The record changed since it was read; read it again.")]
    Stale,
    /// Too many attempts (429).
    #[error("{detail}")]
    RateLimited {
        /// What was limited.
        detail: String,
        /// Seconds until a retry can succeed.
        retry_after_secs: u64,
    },
    /// The database is unreachable or busy (503); holds the logged cause.
    #[error("{0}")]
    Unavailable(String),
    /// A bug or an unexpected failure (500); holds the logged cause.
    #[error("internal error: {0}")]
    Internal(String),
}

fn invalid_detail(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ")
}

fn rule_detail(broken: &[Violation]) -> String {
    let told = broken
        .iter()
        .map(|v| format!("{} (rule: {})", v.message, v.rule))
        .collect::<Vec<_>>()
        .join("; ");
    format!("{told}.")
}

impl AppError {
    /// One invalid field: plain words, or a typed [`FieldProblem`].
    pub fn invalid(field: &str, complaint: impl Into<Complaint>) -> Self {
        AppError::Invalid(vec![FieldError::new(field, complaint)])
    }

    /// `field` names no `kind` (404).
    pub fn unknown(field: &str, kind: &'static str) -> Self {
        AppError::UnknownReference {
            field: field.to_string(),
            kind,
        }
    }

    /// Refused for `reason`, told as `detail`.
    pub fn forbidden(reason: Refusal, detail: impl Into<String>) -> Self {
        AppError::Forbidden {
            reason,
            detail: detail.into(),
        }
    }

    /// Clashes with `code`, told as `detail`.
    pub fn conflict(code: Clash, detail: impl Into<String>) -> Self {
        AppError::Conflict {
            code,
            detail: detail.into(),
        }
    }
}

impl From<crate::auth::Denied> for AppError {
    fn from(d: crate::auth::Denied) -> Self {
        AppError::forbidden(Refusal::Role, d.0)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::UniqueViolation(what) => AppError::conflict(
                Clash::Duplicate,
                format!(
                    "A record with the same {} already exists.",
                    unique_subject(&what)
                ),
            ),
            StoreError::ForeignKeyViolation(_) => AppError::conflict(
                Clash::InUse,
                "The change refers to a record that does not exist or is still in use.",
            ),
            StoreError::Unavailable(cause) => AppError::Unavailable(cause),
            StoreError::InvalidText(_) => AppError::invalid("body", "contains a NUL character"),
            StoreError::Internal(cause) => AppError::Internal(cause),
        }
    }
}

/// Turns a unique constraint name (`users_email_normalized_key`) or
/// SQLite's message (`UNIQUE constraint failed: users.email_normalized`)
/// into words a client can act on, without leaking SQL.
fn unique_subject(constraint: &str) -> &'static str {
    let c = constraint.to_ascii_lowercase();
    if c.contains("email") {
        "email"
    } else if c.contains("staff_code") {
        "staff code"
    } else if c.contains("code") {
        "code"
    } else {
        "key"
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        StoreError::from(e).into()
    }
}

/// An application function's unit of work rolls back on any `AppError`;
/// one that failed on a lost connection is unavailable (503).
impl crate::store::UnitError for AppError {
    fn may_be_connection_loss(&self) -> bool {
        matches!(self, AppError::Unavailable(_) | AppError::Internal(_))
    }

    fn connection_lost(self) -> Self {
        match self {
            AppError::Internal(cause) => {
                AppError::Unavailable(format!("the database connection was lost: {cause}"))
            }
            other => other,
        }
    }
}
