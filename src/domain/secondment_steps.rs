//! The rules of each step of a secondment besides its dates (SPEC 2): what
//! an edit may change in which status, the legal steps before a proposal,
//! the last day of an early end, and who records which side's decision on
//! a request, on what day. Pure: the record's state is handed in.

use chrono::NaiveDate;

use super::actions::{Caller, Decider, Posting};
use super::approval::Side;
use super::placement::rule_at;
use super::secondment::{Status, Violation};

/// A broken rule about the request as a whole.
fn rule(rule: &'static str, message: String) -> Violation {
    Violation {
        rule,
        message,
        ..Violation::default()
    }
}

/// What an edit changes, as the rules of editing see it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Edit {
    /// Dates, units or kind change.
    pub structural: bool,
    /// The agreement or the consultation is removed.
    pub removes_legal_step: bool,
    /// The return arrangement changes.
    pub return_changed: bool,
}

/// The first rule an edit of a secondment in `status` breaks: dates,
/// units and kind change only in draft; the legal steps stay once
/// submitted; a closed secondment takes only its return arrangement, and
/// that only once completed.
pub fn edit_violation(status: Status, edit: Edit) -> Option<Violation> {
    let draft = status == Status::Draft;
    if edit.structural && !draft {
        return Some(rule(
            "dates_and_host_in_draft",
            format!(
                "dates, units and kind may change only in draft; this secondment is {}",
                status.as_str()
            ),
        ));
    }
    if edit.removes_legal_step && !draft {
        return Some(rule(
            "legal_steps_kept",
            format!(
                "the agreement and the consultation were required to submit and cannot be \
                 removed from a secondment that is {}",
                status.as_str()
            ),
        ));
    }
    if !status.is_open() && !edit.return_changed {
        return Some(rule(
            "closed",
            format!("a {} secondment can no longer be edited", status.as_str()),
        ));
    }
    if edit.return_changed && status != Status::Completed {
        return Some(rule(
            "return_after_completion",
            "return_arrangement is recorded once the secondment is completed".into(),
        ));
    }
    None
}

/// The legal step missing before a draft is proposed: the written
/// agreement between the agencies, then the consultation of the official.
pub fn submit_violation(
    agreement_ref: Option<&str>,
    consultation_held_on: Option<NaiveDate>,
) -> Option<Violation> {
    if agreement_ref.is_none_or(|r| r.trim().is_empty()) {
        return Some(rule(
            "agreement_before_submit",
            "record agreement_ref (the written agreement between the sending and receiving \
             agencies) before submitting"
                .into(),
        ));
    }
    if consultation_held_on.is_none() {
        return Some(rule(
            "consultation_before_submit",
            "record the consultation (held_on, note): the sending head must meet the official \
             before submitting"
                .into(),
        ));
    }
    None
}

/// An active secondment ends early on a day within its period.
pub fn termination_violation(
    status: Status,
    start_date: NaiveDate,
    end_date: NaiveDate,
    actual_end_date: NaiveDate,
) -> Option<Violation> {
    (status == Status::Active && (actual_end_date < start_date || actual_end_date > end_date))
        .then(|| {
            rule_at(
                "actual_end_date",
                "termination_within_secondment",
                format!(
                    "actual_end_date must lie between the start date {start_date} and the end date {end_date}"
                ),
            )
        })
}

/// The day a director states for a decision: not before the request was
/// made, not after today (both days in the configured time zone).
pub fn decision_date_violation(
    decided_on: NaiveDate,
    asked_on: NaiveDate,
    today: NaiveDate,
) -> Option<Violation> {
    (decided_on < asked_on || decided_on > today).then(|| {
        rule_at(
            "decided_on",
            "decision_date",
            format!("decided_on must lie between {asked_on} (when the request was made) and today"),
        )
    })
}

/// Why a caller records no decision on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoDecision {
    /// The request is about the caller themself.
    AboutThemself,
    /// The caller decides for no required side.
    NoSide,
    /// Every side the caller decides for has decided already.
    AlreadyDecided,
}

/// The sides whose decision the caller records now, each with the
/// capacity they decide in: the required sides they decide for (as the
/// director or standing in for one) that have not decided yet. Nobody
/// decides a request about themself.
pub fn sides_to_record(
    caller: Caller<'_>,
    posting: Posting<'_>,
    required: &[Side],
    decided: &[Side],
) -> Result<Vec<(Side, Decider)>, NoDecision> {
    if caller.is_the_official(posting) {
        return Err(NoDecision::AboutThemself);
    }
    let covered: Vec<(Side, Decider)> = required
        .iter()
        .filter_map(|side| caller.decides_for(posting, *side).map(|d| (*side, d)))
        .collect();
    if covered.is_empty() {
        return Err(NoDecision::NoSide);
    }
    let to_record: Vec<(Side, Decider)> = covered
        .into_iter()
        .filter(|(side, _)| !decided.contains(side))
        .collect();
    if to_record.is_empty() {
        return Err(NoDecision::AlreadyDecided);
    }
    Ok(to_record)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::domain::scope::Scope;
    use crate::domain::user::Role;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_draft_takes_every_edit_and_a_submitted_one_keeps_its_dates_and_legal_steps() {
        let structural = Edit {
            structural: true,
            ..Edit::default()
        };
        assert_eq!(edit_violation(Status::Draft, structural), None);
        let told = |status, edit| edit_violation(status, edit).map(|v| v.rule);
        assert_eq!(
            told(Status::PendingApproval, structural),
            Some("dates_and_host_in_draft")
        );
        let unrecorded = Edit {
            removes_legal_step: true,
            ..Edit::default()
        };
        assert_eq!(told(Status::Approved, unrecorded), Some("legal_steps_kept"));
        assert_eq!(told(Status::Active, Edit::default()), None);
    }

    #[test]
    fn a_closed_secondment_takes_only_the_return_arrangement_once_completed() {
        let told = |status, edit| edit_violation(status, edit).map(|v| v.rule);
        let returning = Edit {
            return_changed: true,
            ..Edit::default()
        };
        assert_eq!(told(Status::Completed, returning), None);
        assert_eq!(told(Status::Completed, Edit::default()), Some("closed"));
        assert_eq!(
            told(Status::Cancelled, returning),
            Some("return_after_completion")
        );
        assert_eq!(
            told(Status::Active, returning),
            Some("return_after_completion")
        );
    }

    #[test]
    fn the_agreement_comes_before_the_consultation() {
        let rule = |a, c| submit_violation(a, c).map(|v| v.rule);
        assert_eq!(rule(None, None), Some("agreement_before_submit"));
        assert_eq!(
            rule(Some("  "), Some(d("2025-01-01"))),
            Some("agreement_before_submit")
        );
        assert_eq!(rule(Some("TT-1"), None), Some("consultation_before_submit"));
        assert_eq!(rule(Some("TT-1"), Some(d("2025-01-01"))), None);
    }

    #[test]
    fn an_early_end_lies_within_the_period_of_an_active_secondment() {
        let (start, end) = (d("2025-01-01"), d("2025-12-31"));
        let told = |status, day| termination_violation(status, start, end, day).map(|v| v.field);
        assert_eq!(told(Status::Active, start), None);
        assert_eq!(told(Status::Active, end), None);
        assert_eq!(
            told(Status::Active, d("2024-12-31")),
            Some(Some("actual_end_date"))
        );
        assert!(told(Status::Active, d("2026-01-01")).is_some());
        // Another status is refused by the state machine, not by this rule.
        assert_eq!(told(Status::Draft, d("2026-01-01")), None);
    }

    #[test]
    fn a_decision_is_dated_from_the_request_to_today() {
        let (asked, today) = (d("2025-03-10"), d("2025-03-20"));
        assert!(decision_date_violation(asked, asked, today).is_none());
        assert!(decision_date_violation(today, asked, today).is_none());
        let early = decision_date_violation(d("2025-03-09"), asked, today).unwrap();
        assert_eq!(
            (early.rule, early.field),
            ("decision_date", Some("decided_on"))
        );
        assert!(decision_date_violation(d("2025-03-21"), asked, today).is_some());
    }

    fn units(ids: &[&str]) -> Scope {
        Scope::Units(ids.iter().map(|s| s.to_string()).collect::<HashSet<_>>())
    }

    const P: Posting<'static> = Posting {
        official_id: "o1",
        home_unit_id: "home",
        host_unit_id: "host",
    };

    #[test]
    fn a_director_records_the_open_sides_they_decide_for() {
        let scope = units(&["home", "host"]);
        let caller = Caller {
            role: Role::Director,
            user_id: "u",
            official_id: None,
            scope: &scope,
            delegated: &[],
        };
        let both = [Side::Home, Side::Host];
        assert_eq!(
            sides_to_record(caller, P, &both, &[Side::Home]),
            Ok(vec![(Side::Host, Decider::Director)])
        );
        assert_eq!(
            sides_to_record(caller, P, &both, &both),
            Err(NoDecision::AlreadyDecided)
        );
    }

    #[test]
    fn a_stand_in_decides_for_the_delegator_and_nobody_about_themself() {
        let own = units(&["elsewhere"]);
        let delegated = [units(&["host"])];
        let caller = Caller {
            role: Role::HrOfficer,
            user_id: "u",
            official_id: None,
            scope: &own,
            delegated: &delegated,
        };
        assert_eq!(
            sides_to_record(caller, P, &[Side::Home, Side::Host], &[]),
            Ok(vec![(Side::Host, Decider::StandingIn(0))])
        );
        assert_eq!(
            sides_to_record(caller, P, &[Side::Home], &[]),
            Err(NoDecision::NoSide)
        );
        let themself = Caller {
            official_id: Some("o1"),
            ..caller
        };
        assert_eq!(
            sides_to_record(themself, P, &[Side::Host], &[]),
            Err(NoDecision::AboutThemself)
        );
    }
}
