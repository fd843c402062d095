//! Approval sides and who decides for them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::stored::stored_enum;

/// A side of a secondment whose director must approve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The sending unit.
    Home,
    /// The receiving unit.
    Host,
}

impl Side {
    /// Every side.
    pub const ALL: [Side; 2] = [Side::Home, Side::Host];

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Home => "home",
            Side::Host => "host",
        }
    }
}

stored_enum!(Side, "side");
stored_enum!(Decision, "decision");
stored_enum!(RequestKind, "request kind");

/// What a director decided for a side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// The side agrees.
    Approved,
    /// The side refuses; the request ends.
    Rejected,
}

impl Decision {
    /// Every decision.
    pub const ALL: [Decision; 2] = [Decision::Approved, Decision::Rejected];

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Approved => "approved",
            Decision::Rejected => "rejected",
        }
    }
}

/// What a decision is about: the posting itself or an extension of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// The proposal of the posting.
    Proposal,
    /// A request to extend it.
    Extension,
}

impl RequestKind {
    /// Every kind of request.
    pub const ALL: [RequestKind; 2] = [RequestKind::Proposal, RequestKind::Extension];

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestKind::Proposal => "proposal",
            RequestKind::Extension => "extension",
        }
    }
}

/// A request's state once decisions are in: any rejection ends it, all
/// required sides approving completes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Some required side has not decided.
    Waiting,
    /// Every required side approved.
    Approved,
    /// A side rejected.
    Rejected,
}

/// The outcome of decisions `(side, approved?)` for the required sides.
pub fn outcome(required: &[Side], decisions: &[(Side, bool)]) -> Outcome {
    if decisions.iter().any(|(_, approved)| !approved) {
        return Outcome::Rejected;
    }
    if required
        .iter()
        .all(|side| decisions.iter().any(|(s, ok)| s == side && *ok))
    {
        Outcome::Approved
    } else {
        Outcome::Waiting
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_sides_must_approve_and_one_rejection_ends_it() {
        let both = [Side::Home, Side::Host];
        assert_eq!(outcome(&both, &[]), Outcome::Waiting);
        assert_eq!(outcome(&both, &[(Side::Home, true)]), Outcome::Waiting);
        assert_eq!(
            outcome(&both, &[(Side::Home, true), (Side::Host, true)]),
            Outcome::Approved
        );
        assert_eq!(outcome(&both, &[(Side::Host, false)]), Outcome::Rejected);
        assert_eq!(
            outcome(&[Side::Host], &[(Side::Host, true)]),
            Outcome::Approved
        );
    }
}
