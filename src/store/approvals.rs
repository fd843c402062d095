//! Decisions on requests: the requests waiting for them, as a director's
//! inbox reads them (proposals pending approval and pending extensions,
//! each with the units and the official it concerns), the decisions taken,
//! and recording new ones. Who may decide which is `app::approvals`' to
//! say.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::audit::{self, Actor};
use super::schema::{approvals, extensions, secondments};
use super::secondments::ApprovalRow;
use super::{new_id, now_utc, DbConnection, StoreError};
use crate::domain::approval::{Decision, RequestKind, Side};
use crate::domain::extension::ExtensionStatus;
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
        .filter(extensions::status.eq(ExtensionStatus::Pending.as_str()))
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

/// The decisions taken on a request so far: each side and its decision.
pub fn decisions_of(
    conn: &mut DbConnection,
    request_id: &str,
) -> Result<Vec<(Side, Decision)>, StoreError> {
    Ok(approvals::table
        .filter(approvals::request_id.eq(request_id))
        .select(ApprovalRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|a: ApprovalRow| (a.side, a.decision))
        .collect())
}

/// The decisions one director records at once on a request.
#[derive(Debug, Clone)]
pub struct NewDecisions<'a> {
    /// The secondment the request is about.
    pub secondment_id: &'a str,
    /// The proposal (the secondment id) or the extension.
    pub request_id: &'a str,
    /// Which of the two.
    pub request_kind: RequestKind,
    /// The sides decided, each with the director stood in for (if any).
    pub sides: &'a [(Side, Option<String>)],
    /// Approved or rejected, for every side.
    pub decision: Decision,
    /// The director's comment.
    pub comment: Option<&'a str>,
    /// Who decides.
    pub decided_by: &'a str,
    /// The day of the decision, as stated by the director.
    pub decided_on: Option<NaiveDate>,
}

/// Records one decision per side and their history event; returns the
/// event's detail (a rejection or the last approval tells it again on the
/// secondment's change).
pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    d: &NewDecisions<'_>,
) -> Result<serde_json::Value, StoreError> {
    let now = now_utc();
    for (side, on_behalf_of) in d.sides {
        diesel::insert_into(approvals::table)
            .values((
                approvals::id.eq(new_id()),
                approvals::secondment_id.eq(d.secondment_id),
                approvals::request_id.eq(d.request_id),
                approvals::request_kind.eq(d.request_kind.as_str()),
                approvals::side.eq(side.as_str()),
                approvals::decision.eq(d.decision.as_str()),
                approvals::comment.eq(d.comment),
                approvals::decided_by.eq(d.decided_by),
                approvals::on_behalf_of.eq(on_behalf_of),
                approvals::decided_at.eq(now),
                approvals::decided_on.eq(d.decided_on),
            ))
            .execute(conn)?;
    }
    let detail = serde_json::json!({
        "request": d.request_kind.as_str(),
        "request_id": d.request_id,
        "sides": d.sides.iter().map(|(s, _)| s.as_str()).collect::<Vec<_>>(),
        "on_behalf_of": d.sides.iter().find_map(|(_, by)| by.clone()),
        "decision": d.decision.as_str(),
        "comment": d.comment,
    });
    audit::record_in(
        conn,
        actor,
        Some(d.secondment_id),
        &format!("approval.{}", d.decision.as_str()),
        d.request_kind.as_str(),
        d.request_id,
        None,
        Some(detail.clone()),
    )?;
    Ok(detail)
}
