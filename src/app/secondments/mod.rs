//! Secondments and rotations: a draft created and changed by HR, listed and
//! read by whoever may see it, submitted, decided by the directors of the
//! required sides, cancelled or ended early. One file per use case; the
//! views and commands they share are here.

pub mod change;
pub mod create;
pub mod decide;
pub mod flow;
pub mod history;
pub mod list;
pub(crate) mod placement;
pub mod read;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::fields::{Comment, Day, Id, LongText, Name, Prose, Reference, Search};
use super::patch::double_option;
use super::refs::{OfficialRef, Refs, UnitRef, UserRef};
use super::AppError;
use crate::domain::secondment::{Ground, Kind, Status};
use crate::store::names::{Names, Wanted};
use crate::store::secondment_details::{self, Details};
use crate::store::secondments::{self, ApprovalRow, SecondmentRow, Viewer};
use crate::store::{DbConnection, StoreError};

// The views of a secondment's parts, until they move to `app` with their
// own use cases (extensions, outcomes).
pub(crate) use crate::app::extensions::{named_extensions, Extension};
use crate::app::outcomes::Evaluation;

/// The consultation of the official before the proposal.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Consultation {
    /// When the sending head met the official.
    pub held_on: Day,
    /// The official's opinion as recorded.
    pub note: Option<Comment>,
}

/// One side's decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct Approval {
    /// `home` or `host`.
    pub side: crate::domain::approval::Side,
    /// `approved` or `rejected`.
    pub decision: crate::domain::approval::Decision,
    /// `proposal` or `extension`.
    pub request_kind: crate::domain::approval::RequestKind,
    /// The extension decided, for extension approvals.
    pub request_id: String,
    /// The director's comment.
    pub comment: Option<String>,
    /// Who decided.
    pub decided_by: UserRef,
    /// The director they stood in for.
    pub on_behalf_of: Option<UserRef>,
    /// When it was recorded (UTC, the server's clock).
    pub decided_at: DateTime<Utc>,
    /// The day of the decision, as stated by the director.
    pub decided_on: Option<NaiveDate>,
}

impl Approval {
    /// The decision with its people named.
    pub fn named(a: ApprovalRow, names: &Names) -> Self {
        Approval {
            decided_by: names.user_ref(&a.decided_by),
            on_behalf_of: a.on_behalf_of.as_deref().map(|u| names.user_ref(u)),
            side: a.side,
            decision: a.decision,
            request_kind: a.request_kind,
            request_id: a.request_id,
            comment: a.comment,
            decided_at: a.decided_at.and_utc(),
            decided_on: a.decided_on,
        }
    }
}

/// A secondment or rotation.
#[derive(Debug, Serialize, ToSchema)]
pub struct Secondment {
    /// Identifier.
    pub id: String,
    /// `secondment` or `rotation`.
    pub kind: Kind,
    /// The official's id.
    pub official_id: String,
    /// The official, named.
    pub official: OfficialRef,
    /// Home unit's id.
    pub home_unit_id: String,
    /// Home unit, named.
    pub home_unit: UnitRef,
    /// Host unit's id.
    pub host_unit_id: String,
    /// Host unit, named.
    pub host_unit: UnitRef,
    /// `central_to_local`, `local_to_central` or `lateral` (derived).
    pub direction: crate::domain::secondment::Direction,
    /// `urgent_task` or `fixed_term_task`.
    pub ground: Ground,
    /// Post at the host.
    pub position_title: String,
    /// What the official is to do.
    pub mandate: String,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day (planned, possibly extended), inclusive.
    pub end_date: NaiveDate,
    /// Last day as first planned.
    pub original_end_date: NaiveDate,
    /// Last day actually served.
    pub actual_end_date: Option<NaiveDate>,
    /// Status.
    pub status: Status,
    /// The written agreement between the agencies.
    pub agreement_ref: Option<String>,
    /// The consultation with the official.
    pub consultation: Option<Consultation>,
    /// Number of the secondment decision.
    pub decision_ref: Option<String>,
    /// Decision allowing a shorter rotation.
    pub exception_ref: Option<String>,
    /// The post the official returns to.
    pub return_arrangement: Option<String>,
    /// Why it was cancelled or terminated.
    pub end_reason: Option<String>,
    /// Version (the ETag).
    pub version: i32,
    /// Created (UTC).
    pub created_at: DateTime<Utc>,
    /// Last changed (UTC).
    pub updated_at: DateTime<Utc>,
    /// Decisions so far (single reads).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approvals: Option<Vec<Approval>>,
    /// The extension request waiting for decisions, or `null` (single reads).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Extension>)]
    pub pending_extension: Option<Option<Extension>>,
    /// The host's final evaluation, or `null` (single reads).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Evaluation>)]
    pub evaluation: Option<Option<Evaluation>>,
    /// What the caller may do next (`GET /secondments/{id}`; decision 0042).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actions: Option<crate::domain::actions::Actions>,
}

impl Secondment {
    /// The list representation: the record with its official and units
    /// named.
    pub fn named(r: SecondmentRow, names: &Names) -> Self {
        Secondment {
            official: names.official_ref(&r.official_id),
            home_unit: names.unit_ref(&r.home_unit_id),
            host_unit: names.unit_ref(&r.host_unit_id),
            consultation: r.consultation_held_on.map(|held_on| Consultation {
                held_on: Day(held_on),
                note: r.consultation_note.clone().map(Prose),
            }),
            id: r.id,
            kind: r.kind,
            official_id: r.official_id,
            home_unit_id: r.home_unit_id,
            host_unit_id: r.host_unit_id,
            direction: r.direction,
            ground: r.ground,
            position_title: r.position_title,
            mandate: r.mandate,
            start_date: r.start_date,
            end_date: r.end_date,
            original_end_date: r.original_end_date,
            actual_end_date: r.actual_end_date,
            status: r.status,
            agreement_ref: r.agreement_ref,
            decision_ref: r.decision_ref,
            exception_ref: r.exception_ref,
            return_arrangement: r.return_arrangement,
            end_reason: r.end_reason,
            version: r.version,
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
            approvals: None,
            pending_extension: None,
            evaluation: None,
            actions: None,
        }
    }

    /// The single-resource representation from what the store read:
    /// names, decisions, the pending extension and the evaluation.
    pub(crate) fn detailed(d: Details) -> Self {
        let names = d.names;
        let mut out = Secondment::named(d.row, &names);
        out.approvals = Some(
            d.approvals
                .into_iter()
                .map(|a| Approval::named(a, &names))
                .collect(),
        );
        out.pending_extension = Some(d.pending.map(|e| Extension::named(e, &names)));
        out.evaluation = Some(d.evaluation.map(|e| Evaluation::named(e, &names)));
        out
    }
}

/// A new secondment (created as a draft).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSecondment {
    /// Default `secondment`.
    #[serde(default)]
    pub kind: Kind,
    /// The official.
    pub official_id: Id,
    /// Default: the official's home unit.
    pub home_unit_id: Option<Id>,
    /// The receiving unit.
    pub host_unit_id: Id,
    /// Legal ground.
    pub ground: Ground,
    /// Post at the host.
    pub position_title: Name,
    /// What the official is to do.
    #[serde(default)]
    pub mandate: LongText,
    /// First day.
    pub start_date: Day,
    /// Last day, inclusive.
    pub end_date: Day,
    /// The written agreement (required before submit).
    pub agreement_ref: Option<Reference>,
    /// The consultation (required before submit).
    pub consultation: Option<Consultation>,
    /// For a rotation shorter than the minimum.
    pub exception_ref: Option<Reference>,
}

/// Changes; absent fields stay. Dates, units and kind only in draft;
/// `return_arrangement` only once completed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateSecondment {
    /// Kind.
    pub kind: Option<Kind>,
    /// Home unit.
    pub home_unit_id: Option<Id>,
    /// Host unit.
    pub host_unit_id: Option<Id>,
    /// Ground.
    pub ground: Option<Ground>,
    /// Post title.
    pub position_title: Option<Name>,
    /// Mandate.
    pub mandate: Option<LongText>,
    /// First day.
    pub start_date: Option<Day>,
    /// Last day.
    pub end_date: Option<Day>,
    /// Agreement.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Reference>)]
    pub agreement_ref: Option<Option<Reference>>,
    /// Consultation.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Consultation>)]
    pub consultation: Option<Option<Consultation>>,
    /// Exception decision.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Reference>)]
    pub exception_ref: Option<Option<Reference>>,
    /// The post the official returns to (not lower than before).
    pub return_arrangement: Option<Comment>,
}

/// List filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SecondmentQuery {
    /// Only this status.
    pub status: Option<Status>,
    /// Only this official.
    pub official_id: Option<Id>,
    /// Home unit or any of its descendants.
    pub home_unit_id: Option<Id>,
    /// Host unit or any of its descendants.
    pub host_unit_id: Option<Id>,
    /// Running on this day.
    pub active_on: Option<Day>,
    /// Ending on or after.
    pub ending_after: Option<Day>,
    /// Ending on or before.
    pub ending_before: Option<Day>,
    /// The official's name, staff code or email.
    pub q: Option<Search<200>>,
    /// Page size (1-500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A text as stored: trimmed, and absent when nothing is left.
fn trimmed(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// The secondment `id` when `viewer` may see it; 404 otherwise, the same
/// whether it does not exist or is out of sight.
pub(crate) fn visible(
    tx: &mut DbConnection,
    viewer: &Viewer,
    id: &str,
) -> Result<SecondmentRow, AppError> {
    match secondments::find(tx, id) {
        Ok(row) if viewer.can_see(row.posting()) => Ok(row),
        Ok(_) | Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(e) => Err(e.into()),
    }
}

/// The full representation of `id` as it is now: names, decisions, the
/// pending extension and the evaluation (what a change answers with).
pub(crate) fn full(tx: &mut DbConnection, id: &str) -> Result<Secondment, AppError> {
    Ok(Secondment::detailed(secondment_details::details(tx, id)?))
}

/// List items: each record with its names, read in one batch, keyed by
/// id for the page's cursor.
pub fn named_rows(
    tx: &mut DbConnection,
    rows: Vec<SecondmentRow>,
) -> Result<Vec<(String, Secondment)>, StoreError> {
    let mut wanted = Wanted::default();
    for r in &rows {
        wanted
            .official(&r.official_id)
            .unit(&r.home_unit_id)
            .unit(&r.host_unit_id);
    }
    let names = wanted.load(tx)?;
    Ok(rows
        .into_iter()
        .map(|r| (r.id.clone(), Secondment::named(r, &names)))
        .collect())
}
