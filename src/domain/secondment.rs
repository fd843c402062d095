//! Secondments: states, transitions, kinds, grounds and directions;
//! the policy rules of SPEC 2 are in `rules`.

mod rules;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use rules::{
    check_dates, check_extension, check_happened_within, date_violations, Policy, Proposal,
    Violation,
};

/// Where a secondment is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Being prepared by HR.
    Draft,
    /// Waiting for the directors of every side.
    PendingApproval,
    /// Approved; starts on its start date.
    Approved,
    /// Running.
    Active,
    /// Ended on its end date.
    Completed,
    /// Refused by a side.
    Rejected,
    /// Withdrawn before it started.
    Cancelled,
    /// Ended early.
    Terminated,
}

impl Status {
    /// Every status.
    pub const ALL: [Status; 8] = [
        Status::Draft,
        Status::PendingApproval,
        Status::Approved,
        Status::Active,
        Status::Completed,
        Status::Rejected,
        Status::Cancelled,
        Status::Terminated,
    ];

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::PendingApproval => "pending_approval",
            Status::Approved => "approved",
            Status::Active => "active",
            Status::Completed => "completed",
            Status::Rejected => "rejected",
            Status::Cancelled => "cancelled",
            Status::Terminated => "terminated",
        }
    }

    /// Draft, pending, approved or active: counts for the overlap rule.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Status::Draft | Status::PendingApproval | Status::Approved | Status::Active
        )
    }
}

/// What can be done to a secondment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// HR sends the draft for approval.
    Submit,
    /// The last missing side approves.
    Approve,
    /// A side rejects.
    Reject,
    /// HR withdraws it before it starts.
    Cancel,
    /// HR ends a running secondment early.
    Terminate,
    /// The daily tick on the start date.
    Activate,
    /// The daily tick the day after the end date.
    Complete,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 7] = [
        Action::Submit,
        Action::Approve,
        Action::Reject,
        Action::Cancel,
        Action::Terminate,
        Action::Activate,
        Action::Complete,
    ];

    /// The word used in API paths and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Submit => "submit",
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::Cancel => "cancel",
            Action::Terminate => "terminate",
            Action::Activate => "activate",
            Action::Complete => "complete",
        }
    }
}

/// The state machine of SPEC 2; `None` for any other pair.
pub fn next_status(from: Status, action: Action) -> Option<Status> {
    use Action as A;
    use Status as S;
    match (from, action) {
        (S::Draft, A::Submit) => Some(S::PendingApproval),
        (S::PendingApproval, A::Approve) => Some(S::Approved),
        (S::PendingApproval, A::Reject) => Some(S::Rejected),
        (S::Approved, A::Activate) => Some(S::Active),
        (S::Active, A::Complete) => Some(S::Completed),
        (S::Draft | S::PendingApproval | S::Approved, A::Cancel) => Some(S::Cancelled),
        (S::Active, A::Terminate) => Some(S::Terminated),
        _ => None,
    }
}

use super::stored::stored_enum;
pub use super::stored::UnknownStoredValue;

stored_enum!(Status, "status");
stored_enum!(Kind, "kind");
stored_enum!(Ground, "ground");
stored_enum!(Direction, "direction");

/// Posting kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Biệt phái: fixed term with a maximum duration.
    #[default]
    Secondment,
    /// Luân chuyển: a leader in the succession plan, minimum duration.
    Rotation,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 2] = [Kind::Secondment, Kind::Rotation];

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Secondment => "secondment",
            Kind::Rotation => "rotation",
        }
    }
}

/// Legal ground of a secondment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Ground {
    /// An urgent task.
    UrgentTask,
    /// A task with a fixed term.
    FixedTermTask,
}

impl Ground {
    /// Every ground.
    pub const ALL: [Ground; 2] = [Ground::UrgentTask, Ground::FixedTermTask];

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Ground::UrgentTask => "urgent_task",
            Ground::FixedTermTask => "fixed_term_task",
        }
    }
}

/// Which way a posting goes, derived from the units' trees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From under a ministry to under a province.
    CentralToLocal,
    /// The reverse.
    LocalToCentral,
    /// Anything else.
    Lateral,
}

/// Which tree a unit belongs to: the kind of its top-most ancestor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tree {
    /// Under a ministry.
    Central,
    /// Under a province.
    Local,
    /// Neither.
    Other,
}

impl Direction {
    /// Every direction.
    pub const ALL: [Direction; 3] = [
        Direction::CentralToLocal,
        Direction::LocalToCentral,
        Direction::Lateral,
    ];

    /// Derives the direction from the trees of the home and host units.
    pub fn derive(home: Tree, host: Tree) -> Self {
        match (home, host) {
            (Tree::Central, Tree::Local) => Direction::CentralToLocal,
            (Tree::Local, Tree::Central) => Direction::LocalToCentral,
            _ => Direction::Lateral,
        }
    }

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::CentralToLocal => "central_to_local",
            Direction::LocalToCentral => "local_to_central",
            Direction::Lateral => "lateral",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn directions() {
        assert_eq!(
            Direction::derive(Tree::Central, Tree::Local),
            Direction::CentralToLocal
        );
        assert_eq!(
            Direction::derive(Tree::Local, Tree::Central),
            Direction::LocalToCentral
        );
        assert_eq!(
            Direction::derive(Tree::Local, Tree::Local),
            Direction::Lateral
        );
        assert_eq!(
            Direction::derive(Tree::Other, Tree::Local),
            Direction::Lateral
        );
    }

    #[test]
    fn the_transition_table_is_exactly_the_spec() {
        let allowed: Vec<(Status, Action, Status)> = Status::ALL
            .iter()
            .flat_map(|s| Action::ALL.iter().map(move |a| (*s, *a)))
            .filter_map(|(s, a)| next_status(s, a).map(|n| (s, a, n)))
            .collect();
        use Action as A;
        use Status as S;
        assert_eq!(
            allowed,
            vec![
                (S::Draft, A::Submit, S::PendingApproval),
                (S::Draft, A::Cancel, S::Cancelled),
                (S::PendingApproval, A::Approve, S::Approved),
                (S::PendingApproval, A::Reject, S::Rejected),
                (S::PendingApproval, A::Cancel, S::Cancelled),
                (S::Approved, A::Cancel, S::Cancelled),
                (S::Approved, A::Activate, S::Active),
                (S::Active, A::Terminate, S::Terminated),
                (S::Active, A::Complete, S::Completed),
            ]
        );
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
    }

    proptest! {
        /// No sequence of actions leaves the machine or revives a
        /// finished secondment.
        #[test]
        fn no_sequence_escapes_the_machine(actions in proptest::collection::vec(0usize..7, 0..40)) {
            let mut status = Status::Draft;
            for i in actions {
                if let Some(next) = next_status(status, Action::ALL[i]) {
                    prop_assert!(status.is_open(), "a finished secondment moved");
                    status = next;
                }
                prop_assert!(Status::ALL.contains(&status));
            }
        }
    }
}
