use std::collections::HashSet;

use proptest::prelude::*;

use super::*;

const P: Posting<'static> = Posting {
    official_id: "o1",
    home_unit_id: "home",
    host_unit_id: "host",
};
const BOTH: &[Side] = &[Side::Home, Side::Host];

fn units(u: &[&str]) -> Scope {
    Scope::Units(u.iter().map(|s| s.to_string()).collect::<HashSet<_>>())
}

fn state(status: Status) -> PostingState<'static> {
    PostingState {
        posting: P,
        status,
        required: BOTH,
        proposal_decided: &[],
        pending_extension: None,
        evaluated: false,
    }
}

fn caller<'a>(role: Role, official: Option<&'a str>, scope: &'a Scope) -> Caller<'a> {
    Caller {
        role,
        user_id: "u",
        official_id: official,
        scope,
        delegated: &[],
    }
}

#[test]
fn hr_manages_by_the_state_machine() {
    let scope = units(&["home"]);
    let hr = caller(Role::HrOfficer, None, &scope);
    let draft = actions(hr, state(Status::Draft));
    assert!(draft.submit && draft.cancel && draft.edit && draft.plan_milestone);
    assert!(!draft.terminate && !draft.approve && !draft.request_extension);
    let active = actions(hr, state(Status::Active));
    assert!(active.terminate && active.log_outcome && active.request_extension);
    assert!(!active.cancel && !active.submit);
    let completed = actions(hr, state(Status::Completed));
    assert!(completed.record_return && !completed.plan_milestone && !completed.evaluate);
}

#[test]
fn directors_decide_for_their_undecided_sides_never_about_themselves() {
    let scope = units(&["host"]);
    let host = caller(Role::Director, None, &scope);
    assert!(actions(host, state(Status::PendingApproval)).approve);
    let decided = PostingState {
        proposal_decided: &[Side::Host],
        ..state(Status::PendingApproval)
    };
    assert!(!actions(host, decided).approve, "the host side has decided");
    let themself = caller(Role::Director, Some("o1"), &scope);
    assert!(!actions(themself, state(Status::PendingApproval)).approve);
    assert!(!actions(host, state(Status::Approved)).approve);
    // An HR officer's own scope does not decide; a delegation does.
    let hr = caller(Role::HrOfficer, None, &scope);
    assert!(!actions(hr, state(Status::PendingApproval)).approve);
    let delegated = [units(&["home"])];
    let stand_in = Caller {
        delegated: &delegated,
        ..hr
    };
    assert!(actions(stand_in, state(Status::PendingApproval)).approve);
    let admin = caller(Role::Admin, None, &Scope::All);
    assert!(!actions(admin, state(Status::PendingApproval)).approve);
}

#[test]
fn extensions_are_withdrawn_by_who_asked_and_decided_by_directors() {
    let scope = units(&["home"]);
    let ext = PostingState {
        pending_extension: Some(PendingExtension {
            requested_by: "u",
            decided: &[],
        }),
        ..state(Status::Active)
    };
    let cadre = caller(Role::Cadre, Some("o1"), &Scope::Nothing);
    let a = actions(cadre, ext);
    assert!(a.withdraw_extension && !a.request_extension && !a.approve_extension);
    let director = Caller {
        user_id: "d",
        ..caller(Role::Director, None, &scope)
    };
    let d = actions(director, ext);
    assert!(d.approve_extension && d.reject_extension && !d.withdraw_extension);
}

#[test]
fn the_host_director_evaluates_and_acknowledges() {
    let scope = units(&["host"]);
    let host = caller(Role::Director, None, &scope);
    assert!(actions(host, state(Status::Completed)).evaluate);
    let evaluated = PostingState {
        evaluated: true,
        ..state(Status::Completed)
    };
    assert!(!actions(host, evaluated).evaluate);
    assert!(outcome_actions(host, P, Status::Active, false).acknowledge);
    assert!(!outcome_actions(host, P, Status::Active, true).acknowledge);
    let home_scope = units(&["home"]);
    let home = caller(Role::Director, None, &home_scope);
    assert!(!actions(home, state(Status::Completed)).evaluate);
}

#[test]
fn milestones_are_completed_by_hr_and_the_own_cadre_only() {
    let cadre = caller(Role::Cadre, Some("o1"), &Scope::Nothing);
    assert!(milestone_actions(cadre, P, MilestoneStatus::Planned).complete);
    assert!(milestone_actions(cadre, P, MilestoneStatus::Missed).complete);
    assert!(!milestone_actions(cadre, P, MilestoneStatus::Done).complete);
    let scope = units(&["host"]);
    let director = caller(Role::Director, Some("o1"), &scope);
    assert!(!milestone_actions(director, P, MilestoneStatus::Planned).complete);
    let admin = caller(Role::Admin, None, &Scope::All);
    assert!(milestone_actions(admin, P, MilestoneStatus::Planned).complete);
}

fn any_role() -> impl Strategy<Value = Role> {
    prop_oneof![
        Just(Role::Admin),
        Just(Role::HrOfficer),
        Just(Role::Director),
        Just(Role::Cadre)
    ]
}

fn any_status() -> impl Strategy<Value = Status> {
    (0..Status::ALL.len()).prop_map(|i| Status::ALL[i])
}

proptest! {
    /// Every state change a flag offers is one the state machine allows,
    /// and a cadre or a director never manages a posting.
    #[test]
    fn flags_follow_the_machine_and_the_roles(
        role in any_role(),
        status in any_status(),
        own in any::<bool>(),
        in_host in any::<bool>(),
    ) {
        let scope = if in_host { units(&["host"]) } else { units(&["home"]) };
        let c = caller(role, own.then_some("o1"), &scope);
        let a = actions(c, state(status));
        prop_assert_eq!(a.submit, c.is_hr() && next_status(status, Action::Submit).is_some());
        prop_assert_eq!(a.cancel, c.is_hr() && next_status(status, Action::Cancel).is_some());
        prop_assert_eq!(a.terminate, c.is_hr() && next_status(status, Action::Terminate).is_some());
        if a.approve {
            prop_assert_eq!(status, Status::PendingApproval);
            prop_assert!(!own && role == Role::Director);
        }
        prop_assert_eq!(a.approve, a.reject);
        if a.log_outcome || a.evaluate {
            prop_assert!(!matches!(status, Status::Draft | Status::Cancelled | Status::Rejected));
        }
        if a.evaluate {
            prop_assert!(role == Role::Director && in_host && !own);
        }
        if role == Role::Cadre && !own {
            prop_assert_eq!(a, Actions::default());
        }
    }
}
