//! Secondments: states, transitions and the policy rules of SPEC 2.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dates::{add_years, last_day_of_months};

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

/// Policy values from configuration.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Longest secondment in calendar months, extensions included.
    pub max_months: u32,
    /// Shortest rotation in calendar months without an exception.
    pub rotation_min_months: u32,
    /// Years of working time a rotated official must have left.
    pub rotation_min_years_left: u32,
}

/// What the rules need to know about a proposed posting.
#[derive(Debug, Clone)]
pub struct Proposal {
    /// Kind.
    pub kind: Kind,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day (planned, possibly extended).
    pub end_date: NaiveDate,
    /// The competent authority's decision allowing a shorter rotation.
    pub exception_ref: Option<String>,
    /// The official's succession-plan flag.
    pub in_succession_plan: bool,
    /// The official's retirement date, when known.
    pub retirement_date: Option<NaiveDate>,
    /// The official is protected (pregnancy, child under 36 months) until.
    pub protected_until: Option<NaiveDate>,
}

/// A date a user states for something that happened during a secondment
/// (a milestone done, an outcome, a decision): not before the start, not
/// after the (actual or planned) end, and not in the future.
pub fn check_happened_within(
    field: &'static str,
    date: NaiveDate,
    start: NaiveDate,
    end: NaiveDate,
    today: NaiveDate,
) -> Result<(), Violation> {
    let last = end.min(today);
    if date < start || date > last {
        return Err(Violation::new(
            "date_within_secondment",
            format!("{field} must lie between {start} and {last} (the secondment's period, not after today)"),
        ).at(field));
    }
    Ok(())
}

/// A broken rule: a stable name and a sentence, and the request field it
/// is about when there is one (decision 0041).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Violation {
    /// The rule's name, e.g. `max_duration`.
    pub rule: &'static str,
    /// What is wrong, in words a user understands.
    pub message: String,
    /// The field of the request to change, e.g. `end_date`.
    pub field: Option<&'static str>,
    /// For `max_duration`: the latest end date the cap allows.
    pub latest_end_date: Option<NaiveDate>,
}

impl Violation {
    fn new(rule: &'static str, message: String) -> Self {
        Violation {
            rule,
            message,
            ..Violation::default()
        }
    }

    fn at(mut self, field: &'static str) -> Self {
        self.field = Some(field);
        self
    }
}

/// The longest a secondment may last breached: `field` ends after the
/// latest date the cap allows from `start_date` (SPEC 2: start_date + max
/// months - 1 day), which the violation carries.
fn over_the_cap(
    field: &'static str,
    start_date: NaiveDate,
    end_date: NaiveDate,
    policy: &Policy,
    counting: &str,
) -> Option<Violation> {
    let latest = last_day_of_months(start_date, policy.max_months);
    (end_date > latest).then(|| Violation {
        latest_end_date: Some(latest),
        ..Violation::new(
            "max_duration",
            format!(
                "a secondment lasts at most {} months{counting}: from {} the end date may be {} at the latest",
                policy.max_months, start_date, latest
            ),
        )
        .at(field)
    })
}

/// Checks the date rules of a proposal (SPEC 2 "Rules"): the first broken.
pub fn check_dates(p: &Proposal, policy: &Policy) -> Result<(), Violation> {
    match date_violations(p, policy).into_iter().next() {
        Some(v) => Err(v),
        None => Ok(()),
    }
}

/// Every date rule of a proposal it breaks, in the order of SPEC 2: the
/// rules are independent of each other, so a user corrects them at once.
pub fn date_violations(p: &Proposal, policy: &Policy) -> Vec<Violation> {
    let mut broken = Vec::new();
    let ordered = p.end_date > p.start_date;
    if !ordered {
        broken.push(
            Violation::new(
                "end_after_start",
                "end_date must be after start_date".into(),
            )
            .at("end_date"),
        );
    }
    if let Some(until) = p.protected_until {
        if p.start_date < until {
            broken.push(Violation::new(
                "protected_official",
                format!(
                    "the official is protected (pregnancy or a child under 36 months) until {until}; \
                     a secondment may not start before that date"
                ),
            ).at("start_date"));
        }
    }
    match p.kind {
        Kind::Secondment => {
            broken.extend(
                over_the_cap("end_date", p.start_date, p.end_date, policy, "").filter(|_| ordered),
            );
        }
        Kind::Rotation => {
            if !p.in_succession_plan {
                broken.push(
                    Violation::new(
                        "rotation_succession_plan",
                        "only an official in the succession plan may be rotated".into(),
                    )
                    .at("official_id"),
                );
            }
            let shortest = last_day_of_months(p.start_date, policy.rotation_min_months);
            let has_exception = p
                .exception_ref
                .as_deref()
                .is_some_and(|r| !r.trim().is_empty());
            if ordered && p.end_date < shortest && !has_exception {
                broken.push(Violation::new(
                    "rotation_min_duration",
                    format!(
                        "a rotation lasts at least {} months (until {} or later) unless exception_ref \
                         names the competent authority's decision",
                        policy.rotation_min_months, shortest
                    ),
                ).at("end_date"));
            }
            if let Some(retirement) = p.retirement_date {
                let needed = add_years(p.start_date, policy.rotation_min_years_left);
                if retirement < needed {
                    broken.push(Violation::new(
                        "rotation_working_time",
                        format!(
                            "a rotated official needs {} years of working time left at the start date; \
                             retirement on {retirement} is too soon",
                            policy.rotation_min_years_left
                        ),
                    ).at("start_date"));
                }
            }
        }
    }
    broken
}

/// Checks a requested extension: later than the current end, and for a
/// secondment within the cap counted from the start date.
pub fn check_extension(
    kind: Kind,
    start_date: NaiveDate,
    current_end: NaiveDate,
    requested_end: NaiveDate,
    policy: &Policy,
) -> Result<(), Violation> {
    if requested_end <= current_end {
        return Err(Violation::new(
            "extension_later_end",
            format!("the requested end date must be after the current end date {current_end}"),
        )
        .at("requested_end_date"));
    }
    if kind == Kind::Secondment {
        if let Some(v) = over_the_cap(
            "requested_end_date",
            start_date,
            requested_end,
            policy,
            " including extensions",
        ) {
            return Err(v);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn policy() -> Policy {
        Policy {
            max_months: 36,
            rotation_min_months: 36,
            rotation_min_years_left: 10,
        }
    }

    fn secondment(start: &str, end: &str) -> Proposal {
        Proposal {
            kind: Kind::Secondment,
            start_date: d(start),
            end_date: d(end),
            exception_ref: None,
            in_succession_plan: false,
            retirement_date: None,
            protected_until: None,
        }
    }

    #[test]
    fn thirty_six_months_exactly_is_allowed_one_day_more_is_not() {
        assert!(check_dates(&secondment("2021-04-01", "2024-03-31"), &policy()).is_ok());
        let err = check_dates(&secondment("2021-04-01", "2024-04-01"), &policy()).unwrap_err();
        assert_eq!(err.rule, "max_duration");
        assert!(err.message.contains("2024-03-31"));
    }

    #[test]
    fn end_must_follow_start_and_protection_is_respected() {
        let err = check_dates(&secondment("2021-04-01", "2021-04-01"), &policy()).unwrap_err();
        assert_eq!(err.rule, "end_after_start");
        let mut p = secondment("2021-04-01", "2022-04-01");
        p.protected_until = Some(d("2021-05-01"));
        assert_eq!(
            check_dates(&p, &policy()).unwrap_err().rule,
            "protected_official"
        );
        p.protected_until = Some(d("2021-04-01"));
        assert!(check_dates(&p, &policy()).is_ok());
    }

    #[test]
    fn rotation_rules() {
        let mut p = secondment("2025-01-01", "2027-12-31");
        p.kind = Kind::Rotation;
        p.in_succession_plan = true;
        p.retirement_date = Some(d("2040-01-01"));
        assert!(check_dates(&p, &policy()).is_ok(), "36 months");
        p.end_date = d("2027-06-30");
        assert_eq!(
            check_dates(&p, &policy()).unwrap_err().rule,
            "rotation_min_duration"
        );
        p.exception_ref = Some("QĐ 123/QĐ-BNV".into());
        assert!(
            check_dates(&p, &policy()).is_ok(),
            "30 months with an exception"
        );
        p.in_succession_plan = false;
        assert_eq!(
            check_dates(&p, &policy()).unwrap_err().rule,
            "rotation_succession_plan"
        );
        p.in_succession_plan = true;
        p.retirement_date = Some(d("2034-12-31"));
        assert_eq!(
            check_dates(&p, &policy()).unwrap_err().rule,
            "rotation_working_time"
        );
        p.retirement_date = Some(d("2035-01-01"));
        assert!(check_dates(&p, &policy()).is_ok(), "exactly ten years left");
    }

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
        /// However many extensions are requested, an approved end date never
        /// passes the cap.
        #[test]
        fn extensions_never_pass_the_cap(
            days in 0u64..10_000,
            first in 1u32..36,
            asks in proptest::collection::vec(1u64..800, 0..10)
        ) {
            let start = d("2000-01-01") + chrono::Days::new(days);
            let mut end = last_day_of_months(start, first);
            for extra in asks {
                let requested = end + chrono::Days::new(extra);
                if check_extension(Kind::Secondment, start, end, requested, &policy()).is_ok() {
                    end = requested;
                }
                prop_assert!(end <= last_day_of_months(start, 36));
            }
        }

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

        /// Whatever the start, the latest allowed end passes the cap and the
        /// next day fails it.
        #[test]
        fn the_cap_is_exact(days in 0u64..15_000, max in 1u32..60) {
            let start = d("2000-01-01") + chrono::Days::new(days);
            let policy = Policy { max_months: max, ..policy() };
            let latest = last_day_of_months(start, max);
            let mut p = secondment("2000-01-01", "2000-01-02");
            p.start_date = start;
            p.end_date = latest;
            prop_assert!(check_dates(&p, &policy).is_ok());
            p.end_date = latest + chrono::Days::new(1);
            prop_assert_eq!(check_dates(&p, &policy).unwrap_err().rule, "max_duration");
        }
    }
}
