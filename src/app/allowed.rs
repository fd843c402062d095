//! The `actions` of a secondment: what the caller may do next, by
//! `domain::actions` from what the store read (decision 0042).

use chrono::NaiveDate;

use super::AppError;
use crate::auth::permissions::Viewer;
use crate::domain::actions::{self, Actions, PendingExtension, PostingState};
use crate::domain::approval::Side;
use crate::domain::secondment::Status;
use crate::store::secondment_details::Details;
use crate::store::{delegations, DbConnection};

/// The sides that decided on `request_id`.
fn decided_on(d: &Details, request_id: &str) -> Vec<Side> {
    d.approvals
        .iter()
        .filter(|a| a.request_id == request_id)
        .map(|a| a.side)
        .collect()
}

/// `viewer` as a decider when a decision on `d` is open (with the scopes
/// of the directors they stand in for on `today`); read only then, since
/// the single read is the hottest.
pub(crate) fn decider_if_needed(
    tx: &mut DbConnection,
    viewer: Viewer,
    d: &Details,
    today: NaiveDate,
) -> Result<Viewer, AppError> {
    let open = d.row.status() == Status::PendingApproval || d.pending.is_some();
    if !open || !viewer.caller().may_decide() {
        return Ok(viewer);
    }
    let delegated = delegations::active_delegators(tx, &viewer.user_id, today)?
        .into_iter()
        .map(|(_, scope)| scope)
        .collect();
    Ok(Viewer {
        delegated,
        ..viewer
    })
}

/// What `viewer` may do next with the secondment of `d`.
pub(crate) fn of_secondment(viewer: &Viewer, required: &[Side], d: &Details) -> Actions {
    let proposal = decided_on(d, &d.row.id);
    let extension = d
        .pending
        .as_ref()
        .map(|e| (e.requested_by.as_str(), decided_on(d, &e.id)));
    actions::actions(
        viewer.caller(),
        PostingState {
            posting: d.row.posting(),
            status: d.row.status(),
            required,
            proposal_decided: &proposal,
            pending_extension: extension.as_ref().map(|(by, decided)| PendingExtension {
                requested_by: by,
                decided,
            }),
            evaluated: d.evaluation.is_some(),
        },
    )
}
