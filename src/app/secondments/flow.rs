//! A secondment's state changes by HR: a draft submitted for approval,
//! withdrawn (cancelled) before it starts, ended early (terminated) while
//! it runs. The directors' decisions are in `decide`.

use serde::Deserialize;
use utoipa::ToSchema;

use super::{full, placement, visible, Secondment};
use crate::app::fields::{Day, Plain, Reason};
use crate::app::validate::{check_len, finish};
use crate::app::{caller, AppError};
use crate::auth::AuthUser;
use crate::domain::actor::Actor;
use crate::domain::secondment::{Action, Policy, Status};
use crate::domain::secondment_steps::{submit_violation, termination_violation};
use crate::domain::user::Role;
use crate::store::extensions::Lapse;
use crate::store::secondment_flow::{self, close_open_items, Changes, Moved};
use crate::store::secondments::{self, lock_official, SecondmentRow, Viewer};
use crate::store::{now_utc, officials, DbConnection};

/// A reason, for cancel.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelRequest {
    /// Why it is withdrawn.
    pub reason: Reason,
}

/// A reason and the last day served, for terminate.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TerminateRequest {
    /// Why it ends early.
    pub reason: Reason,
    /// The last day served.
    pub actual_end_date: Day,
}

/// HR officers and administrators manage the lifecycle.
const HR: &[Role] = &[Role::Admin, Role::HrOfficer];

/// The secondment `id` when `viewer` may see it (404) and the caller's
/// role is one of `roles` (403), in that order.
pub(crate) fn guarded(
    tx: &mut DbConnection,
    caller: &AuthUser,
    viewer: &Viewer,
    id: &str,
    roles: &[Role],
) -> Result<SecondmentRow, AppError> {
    let row = visible(tx, viewer, id)?;
    caller.require_role(roles)?;
    Ok(row)
}

/// Makes `action` on `row` if the state machine allows it from its status
/// (and nobody moved it first): 409 otherwise.
pub(crate) fn transition(
    tx: &mut DbConnection,
    actor: &Actor,
    row: &SecondmentRow,
    action: Action,
    changes: Changes,
    detail: Option<serde_json::Value>,
) -> Result<SecondmentRow, AppError> {
    match secondment_flow::apply(tx, actor, row, action, changes, detail)? {
        Moved::To(after) => Ok(*after),
        Moved::Refused { from } => Err(AppError::Transition {
            from: from.as_str().to_string(),
            action: action.as_str().to_string(),
        }),
    }
}

/// The units, dates and overlap rules of a stored posting again, when it
/// becomes binding: they may have changed since the draft (protection
/// recorded, a unit merged away, another posting approved).
pub(crate) fn recheck(
    tx: &mut DbConnection,
    policy: &Policy,
    row: &SecondmentRow,
) -> Result<(), AppError> {
    let official = officials::find(tx, &row.official_id)?;
    let fields = secondments::SecondmentFields::from(row);
    placement::check(tx, policy, &official, &fields, Some(&row.id))?;
    Ok(())
}

/// Sends a draft for approval: the API's submit and the console's button.
pub fn submit(
    caller: &AuthUser,
    tx: &mut DbConnection,
    cx: &crate::app::Context,
    id: &str,
) -> Result<Secondment, AppError> {
    let viewer = caller::viewer(tx, caller)?;
    guarded(tx, caller, &viewer, id, HR)?;
    let policy = cx.settings.policy.rules();
    submit_draft(tx, &caller.actor(), &viewer, &policy, id)?;
    full(tx, id)
}

/// Draft -> pending approval once the rules hold again and the legal
/// steps are recorded (the agreement, the consultation).
fn submit_draft(
    tx: &mut DbConnection,
    actor: &Actor,
    viewer: &Viewer,
    policy: &Policy,
    id: &str,
) -> Result<SecondmentRow, AppError> {
    let seen = visible(tx, viewer, id)?;
    lock_official(tx, &seen.official_id)?;
    let row = secondments::find(tx, id)?;
    if row.status() == Status::Draft {
        recheck(tx, policy, &row)?;
        if let Some(missing) =
            submit_violation(row.agreement_ref.as_deref(), row.consultation_held_on)
        {
            return Err(AppError::Rule(vec![missing]));
        }
    }
    let submitted = Changes {
        submitted_at: Some(now_utc()),
        ..Changes::default()
    };
    transition(tx, actor, &row, Action::Submit, submitted, None)
}

/// The reason of a cancel or a termination, trimmed; 422 when empty or
/// too long.
fn reason_of(reason: Reason) -> Result<String, AppError> {
    let reason = reason.trim().to_string();
    let mut errors = Vec::new();
    check_len("reason", &reason, 1, 4000, &mut errors);
    finish(errors)?;
    Ok(reason)
}

/// Withdraws a draft, pending or approved secondment: its pending
/// extension lapses, its planned milestones and reminders are cancelled.
/// The API's cancel and the console's form.
pub fn cancel(
    caller: &AuthUser,
    tx: &mut DbConnection,
    id: &str,
    cmd: CancelRequest,
) -> Result<Secondment, AppError> {
    let reason = reason_of(cmd.reason)?;
    let viewer = caller::viewer(tx, caller)?;
    let row = guarded(tx, caller, &viewer, id, HR)?;
    let actor = caller.actor();
    let ended = Changes {
        end_reason: Some(reason),
        ..Changes::default()
    };
    let cancelled = transition(tx, &actor, &row, Action::Cancel, ended, None)?;
    close_open_items(tx, &actor, &cancelled, Lapse::Cancelled)?;
    full(tx, id)
}

/// Ends an active secondment early on a day within its period, closing
/// what it leaves open as a cancel does: the API's terminate and the
/// console's form.
pub fn terminate(
    caller: &AuthUser,
    tx: &mut DbConnection,
    id: &str,
    cmd: TerminateRequest,
) -> Result<Secondment, AppError> {
    let reason = reason_of(cmd.reason)?;
    let viewer = caller::viewer(tx, caller)?;
    let row = guarded(tx, caller, &viewer, id, HR)?;
    let last_day = cmd.actual_end_date.plain();
    if let Some(broken) =
        termination_violation(row.status(), row.start_date, row.end_date, last_day)
    {
        return Err(AppError::Rule(vec![broken]));
    }
    let actor = caller.actor();
    let ended = Changes {
        end_reason: Some(reason),
        actual_end_date: Some(last_day),
        ..Changes::default()
    };
    let terminated = transition(tx, &actor, &row, Action::Terminate, ended, None)?;
    close_open_items(tx, &actor, &terminated, Lapse::Terminated)?;
    full(tx, id)
}
