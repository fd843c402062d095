//! A director's decision on a pending extension, for every required side
//! they decide for; when every side approved, the end date moves.

use chrono::NaiveDate;

use super::{extension_state, named_one, no_longer_pending, Extension};
use crate::app::approvals::{record_decisions, Request};
use crate::app::posting::{self, transition, visible};
use crate::app::{caller, AppError, Clash, Context, Refusal};
use crate::auth::AuthUser;
use crate::domain::approval::Outcome;
use crate::domain::approval::RequestKind;
use crate::domain::extension::ExtensionStatus;
use crate::domain::secondment::check_extension;
use crate::store::extensions;
use crate::store::secondment_flow::Decision;
use crate::store::secondments::{self, check_overlap, lock_official, lock_secondment};
use crate::store::DbConnection;

/// A director's decision on a pending extension request.
#[derive(Debug, Clone, Default)]
pub struct Verdict {
    /// Approve (`true`) or reject.
    pub approve: bool,
    /// A comment recorded with the decision.
    pub comment: Option<String>,
    /// The number of the decision, recorded on the extension by the
    /// approval that completes it.
    pub decision_ref: Option<String>,
    /// The day of the decision when it was taken earlier than recorded.
    pub decided_on: Option<NaiveDate>,
}

/// Records the caller's decision on extension `id` for every required
/// side they decide for (as its director or standing in for one). A
/// rejection closes the request; the last approval checks the cap and the
/// official's other postings again, moves the end date and reschedules
/// the milestones tied to it.
pub fn decide(
    caller: &AuthUser,
    tx: &mut DbConnection,
    cx: &Context,
    id: &str,
    verdict: Verdict,
) -> Result<Extension, AppError> {
    let viewer = caller::decider(tx, caller, cx.today)?;
    let seen = extensions::find_extension(tx, id)?;
    let s = visible(tx, &viewer, &seen.secondment_id)?;
    if !viewer.caller().may_decide() {
        return Err(AppError::forbidden(
            Refusal::Role,
            "Extensions are decided by directors.",
        ));
    }
    // Serialise every decision on this request; read it again under the
    // locks so that the other director's decision is seen.
    lock_official(tx, &s.official_id)?;
    lock_secondment(tx, &s.id)?;
    extensions::lock(tx, &seen.id)?;
    let ext = extensions::find_extension(tx, id)?;
    let s = secondments::find(tx, &s.id)?;
    if ext.status != ExtensionStatus::Pending {
        let action = if verdict.approve { "approve" } else { "reject" };
        return Err(transition(extension_state(ext.status), action));
    }
    let decision = Decision {
        approve: verdict.approve,
        comment: verdict
            .comment
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty()),
        decision_ref: verdict.decision_ref,
        today: cx.today,
        decided_on: verdict.decided_on,
    };
    let actor = caller.actor();
    let required = &cx.settings.policy.approval_sides;
    // The stated day is checked against the day the extension was asked
    // for and today, both in the service's time zone.
    let request = Request {
        row: &s,
        id: &ext.id,
        kind: RequestKind::Extension,
        asked_at: ext.created_at,
    };
    let (outcome, _) = record_decisions(
        tx,
        &actor,
        &viewer,
        required,
        &request,
        &decision,
        cx.settings.tz(),
    )?;
    let row = match outcome {
        Outcome::Waiting => extensions::find_extension(tx, &ext.id)?,
        Outcome::Rejected => extensions::close(tx, &actor, &ext, ExtensionStatus::Rejected, None)?
            .ok_or_else(no_longer_pending)?,
        Outcome::Approved => {
            if !crate::domain::actions::extensible(s.status()) {
                return Err(transition(s.status().as_str(), "extend"));
            }
            let policy = cx.settings.policy.rules();
            check_extension(
                s.kind,
                s.start_date,
                s.end_date,
                ext.requested_end_date,
                &policy,
            )
            .map_err(|broken| AppError::Rule(vec![broken]))?;
            // Another posting may have been created for these dates since
            // the request: the overlap rule holds here too.
            check_overlap(
                tx,
                &s.official_id,
                s.start_date,
                ext.requested_end_date,
                Some(&s.id),
            )
            .map_err(|e| posting::typed(e, Refusal::Role, Clash::Overlap))?;
            let closed = extensions::close(
                tx,
                &actor,
                &ext,
                ExtensionStatus::Approved,
                decision.decision_ref.as_deref(),
            )?
            .ok_or_else(no_longer_pending)?;
            let templates = &cx.settings.milestones.templates;
            extensions::extend(tx, &actor, &s, ext.requested_end_date, templates)?;
            closed
        }
    };
    named_one(tx, row)
}
