//! The `actions` of a secondment, its milestones and outcomes: what the
//! caller may do next, by `domain::actions` from what the store read
//! (decision 0042).

use chrono::NaiveDate;

use crate::auth::permissions::Viewer;
use crate::auth::AuthUser;
use crate::domain::actions::{self, Actions, PendingExtension, PostingState};
use crate::domain::approval::Side;
use crate::store::secondment_details::Details;
use crate::store::{delegations, DbConnection, StoreError};

/// The sides that decided on `request_id`.
fn decided_on(d: &Details, request_id: &str) -> Vec<Side> {
    d.approvals
        .iter()
        .filter(|a| a.request_id == request_id)
        .map(|a| a.side)
        .collect()
}

/// The caller as a decider when a decision is open (the scopes of the
/// directors they stand in for today); read only then, since the single
/// read is the hottest.
pub(crate) fn decider_if_needed(
    conn: &mut DbConnection,
    viewer: Viewer,
    user: &AuthUser,
    d: &Details,
    today: NaiveDate,
) -> Result<Viewer, StoreError> {
    let open =
        d.row.status() == crate::domain::secondment::Status::PendingApproval || d.pending.is_some();
    if !open || !viewer.caller().may_decide() {
        return Ok(viewer);
    }
    let delegated = delegations::active_delegators(conn, &user.id, today)?
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_openapi_document_describes_every_flag() {
        let doc = serde_json::to_value(crate::api::openapi()).unwrap();
        let schemas = &doc["components"]["schemas"];
        for (name, flag) in [
            ("Actions", "complete_milestone"),
            ("MilestoneActions", "complete"),
            ("OutcomeActions", "acknowledge"),
        ] {
            assert!(
                schemas[name]["properties"][flag].is_object(),
                "{name}.{flag} in {}",
                schemas[name]
            );
        }
    }
}
