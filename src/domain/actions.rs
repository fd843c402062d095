//! What a caller may do next with a secondment (decision 0042): one answer
//! for the API's `actions` field, the console's buttons and the handlers'
//! checks, built on the state machine ([`next_status`]) and the roles of
//! SPEC 3. Pure: the caller and the posting's state are handed in.
//!
//! A flag says the role, the caller's sides and the record's state allow
//! the action; the request can still fail on its input (a missing
//! agreement on submit, an end date over the cap, a stale version).

use serde::Serialize;
use utoipa::ToSchema;

use super::approval::Side;
use super::milestone::MilestoneStatus;
use super::scope::Scope;
use super::secondment::{next_status, Action, Status};
use super::user::Role;

/// The units and official a posting concerns.
#[derive(Debug, Clone, Copy)]
pub struct Posting<'a> {
    /// The seconded official.
    pub official_id: &'a str,
    /// Sending unit.
    pub home_unit_id: &'a str,
    /// Receiving unit.
    pub host_unit_id: &'a str,
}

impl Posting<'_> {
    /// The unit of a side.
    pub fn unit_of(&self, side: Side) -> &str {
        match side {
            Side::Home => self.home_unit_id,
            Side::Host => self.host_unit_id,
        }
    }
}

/// Who asks: role, account, linked official, scope, and the scopes of the
/// directors they stand in for today.
#[derive(Debug, Clone, Copy)]
pub struct Caller<'a> {
    /// Role.
    pub role: Role,
    /// User id.
    pub user_id: &'a str,
    /// The official linked to the account.
    pub official_id: Option<&'a str>,
    /// Units in scope.
    pub scope: &'a Scope,
    /// Scopes of the directors they stand in for (decisions only).
    pub delegated: &'a [Scope],
}

impl Caller<'_> {
    /// HR officers and administrators manage postings and milestones.
    pub fn is_hr(&self) -> bool {
        matches!(self.role, Role::Admin | Role::HrOfficer)
    }

    /// The seconded official, whatever the role.
    pub fn is_the_official(&self, p: Posting<'_>) -> bool {
        self.official_id == Some(p.official_id)
    }

    /// The cadre of the posting, signed in as themself.
    pub fn is_own_cadre(&self, p: Posting<'_>) -> bool {
        self.role == Role::Cadre && self.is_the_official(p)
    }

    /// Outcomes are logged, edited and deleted by the posting's cadre or HR.
    pub fn may_write_outcomes(&self, p: Posting<'_>) -> bool {
        self.is_hr() || self.is_own_cadre(p)
    }

    /// Milestones are completed by HR or the posting's cadre.
    pub fn may_complete_milestones(&self, p: Posting<'_>) -> bool {
        self.is_hr() || self.is_own_cadre(p)
    }

    /// A director of the receiving side (directly, not by delegation):
    /// acknowledges outcomes and evaluates.
    pub fn directs_host(&self, p: Posting<'_>) -> bool {
        self.role == Role::Director && self.scope.contains(p.host_unit_id)
    }

    /// Whether the role may take part in decisions at all: directors, and
    /// HR officers standing in for one.
    pub fn may_decide(&self) -> bool {
        matches!(self.role, Role::Director | Role::HrOfficer)
    }

    /// Whether the caller decides for `side` of the posting: as its
    /// director, or standing in for one (an HR officer's own scope does
    /// not make them a decider). The index is that of the delegated scope.
    pub fn decides_for(&self, p: Posting<'_>, side: Side) -> Option<Decider> {
        let unit = p.unit_of(side);
        if self.role == Role::Director && self.scope.contains(unit) {
            return Some(Decider::Director);
        }
        self.delegated
            .iter()
            .position(|scope| scope.contains(unit))
            .map(Decider::StandingIn)
    }

    /// The required sides not decided yet that this caller may decide, or
    /// nothing for a request about themself.
    pub fn sides_to_decide(
        &self,
        p: Posting<'_>,
        required: &[Side],
        decided: &[Side],
    ) -> Vec<(Side, Decider)> {
        if !self.may_decide() || self.is_the_official(p) {
            return Vec::new();
        }
        required
            .iter()
            .filter(|s| !decided.contains(s))
            .filter_map(|s| self.decides_for(p, *s).map(|d| (*s, d)))
            .collect()
    }
}

/// In what capacity a caller decides for a side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decider {
    /// As the side's director.
    Director,
    /// Standing in for the director of the `n`th delegated scope.
    StandingIn(usize),
}

/// The pending extension request of a posting.
#[derive(Debug, Clone, Copy)]
pub struct PendingExtension<'a> {
    /// Who asked (user id).
    pub requested_by: &'a str,
    /// The sides that decided on it.
    pub decided: &'a [Side],
}

/// A posting's state as the rules need it.
#[derive(Debug, Clone, Copy)]
pub struct PostingState<'a> {
    /// Official and units.
    pub posting: Posting<'a>,
    /// Where it is in its life.
    pub status: Status,
    /// The sides whose directors must approve (policy).
    pub required: &'a [Side],
    /// The sides that decided on the proposal.
    pub proposal_decided: &'a [Side],
    /// The extension request waiting for decisions.
    pub pending_extension: Option<PendingExtension<'a>>,
    /// Whether the host has recorded its final evaluation.
    pub evaluated: bool,
}

/// What the caller may do next with a secondment; each flag is what the
/// API would allow now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Actions {
    /// Change every field of the proposal (`PATCH`): HR, in draft.
    pub edit: bool,
    /// `POST /secondments/{id}/submit`: HR, in draft.
    pub submit: bool,
    /// `POST /secondments/{id}/cancel`: HR, draft, pending or approved.
    pub cancel: bool,
    /// `POST /secondments/{id}/terminate`: HR, active.
    pub terminate: bool,
    /// Record the return arrangement (`PATCH`): HR, completed.
    pub record_return: bool,
    /// `POST /secondments/{id}/approve`: pending, and the caller decides
    /// for a side that has not decided yet (never about themself).
    pub approve: bool,
    /// `POST /secondments/{id}/reject`: as `approve`.
    pub reject: bool,
    /// `POST /secondments/{id}/extensions`: HR or the own cadre, approved
    /// or active, no request pending.
    pub request_extension: bool,
    /// `POST /extensions/{id}/withdraw` of the pending request: who asked.
    pub withdraw_extension: bool,
    /// `POST /extensions/{id}/approve` of the pending request: the caller
    /// decides for a side that has not decided on it yet.
    pub approve_extension: bool,
    /// `POST /extensions/{id}/reject`: as `approve_extension`.
    pub reject_extension: bool,
    /// `POST /secondments/{id}/milestones`: HR, while the secondment is
    /// open (draft, pending, approved, active).
    pub plan_milestone: bool,
    /// `POST /milestones/{id}/complete` of a planned or missed milestone:
    /// HR or the own cadre (each milestone's `actions.complete` says it).
    pub complete_milestone: bool,
    /// `POST /secondments/{id}/outcomes`: HR or the own cadre, active.
    pub log_outcome: bool,
    /// `POST /secondments/{id}/evaluation`: a host director (not the
    /// official), completed, not evaluated yet.
    pub evaluate: bool,
}

/// What the caller may do next with a secondment.
pub fn actions(caller: Caller<'_>, s: PostingState<'_>) -> Actions {
    let p = s.posting;
    let hr = caller.is_hr();
    let can = |action| next_status(s.status, action).is_some();
    let decides = can(Action::Approve)
        && !caller
            .sides_to_decide(p, s.required, s.proposal_decided)
            .is_empty();
    let ext = s.pending_extension;
    let decides_extension =
        ext.is_some_and(|e| !caller.sides_to_decide(p, s.required, e.decided).is_empty());
    Actions {
        edit: hr && s.status == Status::Draft,
        submit: hr && can(Action::Submit),
        cancel: hr && can(Action::Cancel),
        terminate: hr && can(Action::Terminate),
        record_return: hr && s.status == Status::Completed,
        approve: decides,
        reject: decides,
        request_extension: may_request_extension(caller, p)
            && extensible(s.status)
            && ext.is_none(),
        withdraw_extension: ext.is_some_and(|e| e.requested_by == caller.user_id),
        approve_extension: decides_extension,
        reject_extension: decides_extension,
        plan_milestone: hr && s.status.is_open(),
        complete_milestone: caller.may_complete_milestones(p),
        log_outcome: caller.may_write_outcomes(p) && outcomes_open(s.status),
        evaluate: may_evaluate(caller, p) && s.status == Status::Completed && !s.evaluated,
    }
}

/// Extensions are asked for by HR or the seconded official (a cadre sees
/// only their own postings).
pub fn may_request_extension(caller: Caller<'_>, p: Posting<'_>) -> bool {
    caller.is_hr() || caller.is_own_cadre(p)
}

/// An extension is asked for an approved or active secondment.
pub fn extensible(status: Status) -> bool {
    matches!(status, Status::Approved | Status::Active)
}

/// Outcomes are logged, edited and deleted while the secondment runs.
pub fn outcomes_open(status: Status) -> bool {
    status == Status::Active
}

/// The final evaluation: a host director, never about themself.
pub fn may_evaluate(caller: Caller<'_>, p: Posting<'_>) -> bool {
    caller.directs_host(p) && !caller.is_the_official(p)
}

/// What the caller may do with one milestone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct MilestoneActions {
    /// `POST /milestones/{id}/complete`: HR or the own cadre, while it is
    /// planned or missed.
    pub complete: bool,
    /// `PATCH /milestones/{id}`: HR.
    pub edit: bool,
}

/// What the caller may do with a milestone in `milestone_status`.
pub fn milestone_actions(
    caller: Caller<'_>,
    p: Posting<'_>,
    milestone_status: MilestoneStatus,
) -> MilestoneActions {
    MilestoneActions {
        complete: caller.may_complete_milestones(p) && milestone_completable(milestone_status),
        edit: caller.is_hr(),
    }
}

/// A milestone is completed while planned or missed.
pub fn milestone_completable(milestone_status: MilestoneStatus) -> bool {
    matches!(
        milestone_status,
        MilestoneStatus::Planned | MilestoneStatus::Missed
    )
}

/// What the caller may do with one outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct OutcomeActions {
    /// `PATCH /outcomes/{id}`: HR or the own cadre, while active.
    pub edit: bool,
    /// `DELETE /outcomes/{id}`: as `edit`.
    pub delete: bool,
    /// `POST /outcomes/{id}/acknowledge`: a host director, once.
    pub acknowledge: bool,
}

/// What the caller may do with an outcome of a posting in `status`.
pub fn outcome_actions(
    caller: Caller<'_>,
    p: Posting<'_>,
    status: Status,
    acknowledged: bool,
) -> OutcomeActions {
    let write = caller.may_write_outcomes(p) && outcomes_open(status);
    OutcomeActions {
        edit: write,
        delete: write,
        acknowledge: caller.directs_host(p) && !acknowledged,
    }
}

#[cfg(test)]
#[path = "actions_tests.rs"]
mod tests;
