//! The secondment a use case about its parts (extensions, milestones,
//! outcomes) acts on: found as its caller sees it, its term as the rules
//! take it, and the secondment store's refusals turned into typed codes.

use super::{AppError, Clash, Refusal};
use crate::domain::milestone::Term;
use crate::store::secondments::{self, SecondmentError, SecondmentRow, Viewer};
use crate::store::DbConnection;

/// The secondment `id` when `viewer` may see it; 404 otherwise, the same
/// whether it does not exist or is out of sight.
pub(crate) fn visible(
    tx: &mut DbConnection,
    viewer: &Viewer,
    id: &str,
) -> Result<SecondmentRow, AppError> {
    secondments::find_visible(tx, viewer, id).map_err(|e| typed(e, Refusal::Role, Clash::InUse))
}

/// The days the secondment runs, as the rules of dates take them.
pub(crate) fn term(s: &SecondmentRow) -> Term {
    Term {
        start: s.start_date,
        end: s.end_date,
        actual_end: s.actual_end_date,
    }
}

/// A refusal of the secondment store as a typed code: `reason` says why a
/// refusal (403) refuses, `clash` what a conflict (409) clashes with, as
/// the caller knows from the store function it called.
pub(crate) fn typed(e: SecondmentError, reason: Refusal, clash: Clash) -> AppError {
    match e {
        SecondmentError::NotFound => AppError::NotFound,
        SecondmentError::Invalid { field, message } => AppError::invalid(field, message),
        SecondmentError::Policy(broken) => AppError::Rule(vec![broken]),
        SecondmentError::Policies(broken) => AppError::Rule(broken),
        SecondmentError::Conflict(detail) => AppError::conflict(clash, detail),
        SecondmentError::Transition { from, action } => AppError::Transition {
            from: from.to_string(),
            action: action.to_string(),
        },
        SecondmentError::Forbidden(detail) => AppError::forbidden(reason, detail),
        SecondmentError::Stale => AppError::Stale,
        SecondmentError::Store(e) => e.into(),
    }
}

/// The state machine refuses `action` on a record that is `from`.
pub(crate) fn transition(from: &str, action: &str) -> AppError {
    AppError::Transition {
        from: from.to_string(),
        action: action.to_string(),
    }
}
