//! The requests waiting for decisions, as a director's inbox reads them:
//! proposals pending approval and pending extensions, each with the units
//! and the official it concerns, and the sides that decided it already.
//! Who may decide which is `api::approvals`' to say.

use diesel::prelude::*;

use super::schema::{approvals, extensions, secondments};
use super::secondments::ApprovalRow;
use super::{DbConnection, StoreError};
use crate::domain::secondment::Status;

/// A proposal or an extension waiting for decisions.
#[derive(Debug, Clone)]
pub struct WaitingRequest {
    /// The secondment (the proposal itself, or the one to extend).
    pub secondment_id: String,
    /// The extension, for extension requests.
    pub extension_id: Option<String>,
    /// Sending unit.
    pub home_unit_id: String,
    /// Receiving unit.
    pub host_unit_id: String,
    /// The seconded official.
    pub official_id: String,
}

impl WaitingRequest {
    /// The id decisions are recorded under: the extension's, or the
    /// proposal's secondment.
    pub fn request_id(&self) -> &str {
        self.extension_id
            .as_deref()
            .unwrap_or(self.secondment_id.as_str())
    }
}

/// Every request waiting for decisions: the proposals first, then the
/// extensions (two statements).
pub fn waiting(conn: &mut DbConnection) -> Result<Vec<WaitingRequest>, StoreError> {
    let mut requests: Vec<WaitingRequest> = secondments::table
        .filter(secondments::status.eq(Status::PendingApproval.as_str()))
        .select((
            secondments::id,
            secondments::home_unit_id,
            secondments::host_unit_id,
            secondments::official_id,
        ))
        .load::<(String, String, String, String)>(conn)?
        .into_iter()
        .map(|(id, home, host, official)| WaitingRequest {
            secondment_id: id,
            extension_id: None,
            home_unit_id: home,
            host_unit_id: host,
            official_id: official,
        })
        .collect();
    let pending_extensions: Vec<(String, String, String, String, String)> = extensions::table
        .inner_join(secondments::table.on(secondments::id.eq(extensions::secondment_id)))
        .filter(extensions::status.eq("pending"))
        .select((
            extensions::id,
            secondments::id,
            secondments::home_unit_id,
            secondments::host_unit_id,
            secondments::official_id,
        ))
        .load(conn)?;
    requests.extend(pending_extensions.into_iter().map(
        |(extension, secondment, home, host, official)| WaitingRequest {
            secondment_id: secondment,
            extension_id: Some(extension),
            home_unit_id: home,
            host_unit_id: host,
            official_id: official,
        },
    ));
    Ok(requests)
}

/// The sides (`home`, `host`) that decided a request already.
pub fn decided_sides(conn: &mut DbConnection, request_id: &str) -> Result<Vec<String>, StoreError> {
    Ok(approvals::table
        .filter(approvals::request_id.eq(request_id))
        .select(approvals::side)
        .load(conn)?)
}

/// The decisions recorded on these requests, oldest first.
pub fn decisions_on(
    conn: &mut DbConnection,
    request_ids: &[String],
) -> Result<Vec<ApprovalRow>, StoreError> {
    Ok(approvals::table
        .filter(approvals::request_id.eq_any(request_ids))
        .order(approvals::decided_at.asc())
        .select(ApprovalRow::as_select())
        .load(conn)?)
}
