//! A director's decision on a pending proposal, for every required side
//! they decide for (as its director or standing in for one): a rejection
//! ends it, the last approval approves it and plans its milestones.

use chrono_tz::Tz;
use serde::Deserialize;
use utoipa::ToSchema;

use super::flow::{recheck, transition};
use super::{full, trimmed, visible, Secondment};
use crate::app::approvals::{record_decisions, Request};
use crate::app::fields::{Comment, Day, Plain, Reference};
use crate::app::{caller, AppError, Context};
use crate::auth::AuthUser;
use crate::domain::actor::Actor;
use crate::domain::approval::{Outcome, RequestKind, Side};
use crate::domain::milestone::Template;
use crate::domain::secondment::{Action, Policy, Status};
use crate::domain::user::Role;
use crate::store::milestones;
use crate::store::secondment_flow::{Changes, Decision};
use crate::store::secondments::{self, lock_official, lock_secondment, SecondmentRow, Viewer};
use crate::store::DbConnection;

/// A director's decision.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// A comment recorded with the decision.
    pub comment: Option<Comment>,
    /// The decision's number, recorded by the approval that completes the
    /// request (on the secondment for a proposal, on the extension for an
    /// extension).
    pub decision_ref: Option<Reference>,
    /// The day of the decision when it was taken earlier than recorded:
    /// not before the request, not after today.
    pub decided_on: Option<Day>,
}

/// Directors decide; an HR officer may decide as a director's delegate.
const DIRECTOR_OR_DELEGATE: &[Role] = &[Role::Director, Role::HrOfficer];

/// Approves (`approve`) or rejects the pending proposal `id` for every
/// side the caller decides for: the API's approve and reject and the
/// console's forms.
pub fn decide_proposal(
    caller: &AuthUser,
    tx: &mut DbConnection,
    cx: &Context,
    id: &str,
    approve: bool,
    cmd: DecisionRequest,
) -> Result<Secondment, AppError> {
    let viewer = caller::decider(tx, caller, cx.today)?;
    visible(tx, &viewer, id)?;
    caller.require_role(DIRECTOR_OR_DELEGATE)?;
    let decision = Decision {
        approve,
        comment: trimmed(cmd.comment.plain()),
        decision_ref: trimmed(cmd.decision_ref.plain()),
        today: cx.today,
        decided_on: cmd.decided_on.plain(),
    };
    let settings = &cx.settings;
    let rules = Rules {
        required: &settings.policy.approval_sides,
        templates: &settings.milestones.templates,
        policy: &settings.policy.rules(),
        tz: settings.tz(),
    };
    decide(tx, &caller.actor(), &viewer, &rules, id, &decision)?;
    full(tx, id)
}

/// What deciding a proposal reads from the settings.
#[derive(Debug, Clone, Copy)]
struct Rules<'a> {
    /// The sides whose directors must approve.
    required: &'a [Side],
    /// The milestones an approved posting starts with.
    templates: &'a [Template],
    /// The date rules, checked again on the last approval.
    policy: &'a Policy,
    /// The configured time zone (the day a request was made).
    tz: Tz,
}

/// Records `decision` on the pending proposal `id` as `viewer` (a decider
/// on `decision.today`), serialised with every other decision on it.
fn decide(
    tx: &mut DbConnection,
    actor: &Actor,
    viewer: &Viewer,
    rules: &Rules<'_>,
    id: &str,
    decision: &Decision,
) -> Result<SecondmentRow, AppError> {
    let seen = visible(tx, viewer, id)?;
    // Serialise decisions on one official: two sides approving at the
    // same moment must see each other's approval.
    lock_official(tx, &seen.official_id)?;
    lock_secondment(tx, id)?;
    let row = secondments::find(tx, id)?;
    let action = if decision.approve {
        Action::Approve
    } else {
        Action::Reject
    };
    if row.status() != Status::PendingApproval {
        return Err(AppError::Transition {
            from: row.status().as_str().to_string(),
            action: action.as_str().to_string(),
        });
    }
    let request = Request {
        row: &row,
        id: &row.id,
        kind: RequestKind::Proposal,
        asked_at: row.submitted_at.unwrap_or(row.created_at),
    };
    let (outcome, detail) = record_decisions(
        tx,
        actor,
        viewer,
        rules.required,
        &request,
        decision,
        rules.tz,
    )?;
    match outcome {
        Outcome::Waiting => Ok(secondments::find(tx, &row.id)?),
        Outcome::Rejected => transition(tx, actor, &row, action, Changes::default(), Some(detail)),
        Outcome::Approved => {
            // The rules may have changed since the draft (protection
            // recorded, a unit merged away): check them again.
            recheck(tx, rules.policy, &row)?;
            let approved = Changes {
                decision_ref: decision.decision_ref.clone(),
                ..Changes::default()
            };
            let approved = transition(tx, actor, &row, action, approved, Some(detail))?;
            milestones::create_defaults(tx, actor, &approved, rules.templates)?;
            Ok(approved)
        }
    }
}
