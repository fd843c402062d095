//! Extension requests: asked for by the seconded official or HR, withdrawn
//! by whoever asked, decided by the directors of the required sides
//! (`decide`). An approved one moves the end date.

mod decide;

pub use decide::{decide, Verdict};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::caller;
use super::fields::{Day, Plain, Reason};
use super::posting::{self, transition, visible};
use super::refs::{Refs, UserRef};
use super::validate::{check_len, finish};
use super::{AppError, Clash, Context, Refusal};
use crate::auth::AuthUser;
use crate::domain::actions;
use crate::domain::extension::ExtensionStatus;
use crate::domain::secondment::check_extension;
use crate::store::extensions::{self, ExtensionRow};
use crate::store::names::{Names, Wanted};
use crate::store::secondments::{check_overlap, lock_official};
use crate::store::{DbConnection, StoreError};

/// An extension request.
#[derive(Debug, Serialize, ToSchema)]
pub struct Extension {
    /// Identifier.
    pub id: String,
    /// The secondment.
    pub secondment_id: String,
    /// Who asked.
    pub requested_by: UserRef,
    /// The end date asked for.
    pub requested_end_date: NaiveDate,
    /// The end date when asked.
    pub previous_end_date: NaiveDate,
    /// Why.
    pub reason: String,
    /// `pending`, `approved`, `rejected` or `withdrawn`.
    pub status: ExtensionStatus,
    /// Number of the decision that approved it.
    pub decision_ref: Option<String>,
    /// When decided or withdrawn (UTC).
    pub decided_at: Option<DateTime<Utc>>,
    /// Asked (UTC).
    pub created_at: DateTime<Utc>,
}

impl Extension {
    /// The request with its requester named.
    pub fn named(e: ExtensionRow, names: &Names) -> Self {
        Extension {
            requested_by: names.user_ref(&e.requested_by),
            decision_ref: e.decision_ref,
            id: e.id,
            secondment_id: e.secondment_id,
            requested_end_date: e.requested_end_date,
            previous_end_date: e.previous_end_date,
            reason: e.reason,
            status: e.status,
            decided_at: e.decided_at.map(|t| t.and_utc()),
            created_at: e.created_at.and_utc(),
        }
    }
}

/// Extension requests with their requesters named, read in one batch.
pub fn named_extensions(
    tx: &mut DbConnection,
    rows: Vec<ExtensionRow>,
) -> Result<Vec<Extension>, StoreError> {
    let mut wanted = Wanted::default();
    for e in &rows {
        wanted.user(Some(&e.requested_by));
    }
    let names = wanted.load(tx)?;
    Ok(rows
        .into_iter()
        .map(|e| Extension::named(e, &names))
        .collect())
}

fn named_one(tx: &mut DbConnection, row: ExtensionRow) -> Result<Extension, AppError> {
    named_extensions(tx, vec![row])?
        .pop()
        .ok_or(AppError::NotFound)
}

/// A request to move the end date.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateExtension {
    /// The new last day (later than the current one).
    pub requested_end_date: Day,
    /// Why it is needed.
    pub reason: Reason,
}

/// Every extension request of a secondment the caller sees, oldest first.
pub fn of_secondment(
    caller: &AuthUser,
    tx: &mut DbConnection,
    secondment_id: &str,
) -> Result<Vec<Extension>, AppError> {
    let viewer = caller::viewer(tx, caller)?;
    visible(tx, &viewer, secondment_id)?;
    let rows = extensions::for_secondment(tx, secondment_id)?;
    Ok(named_extensions(tx, rows)?)
}

/// One extension request of a secondment the caller sees, with the
/// instant it last changed (milliseconds; its `ETag` changes when it is
/// decided or withdrawn).
pub fn find(
    caller: &AuthUser,
    tx: &mut DbConnection,
    id: &str,
) -> Result<(Extension, i64), AppError> {
    let viewer = caller::viewer(tx, caller)?;
    let row = extensions::find_extension(tx, id)?;
    visible(tx, &viewer, &row.secondment_id)?;
    let changed = row.updated_at.and_utc().timestamp_millis();
    Ok((named_one(tx, row)?, changed))
}

/// The seconded official or HR asks for a later end date of an approved
/// or active secondment: one pending request at a time, within the cap
/// (checked now and again on approval), clear of the official's other
/// postings.
pub fn request(
    caller: &AuthUser,
    tx: &mut DbConnection,
    cx: &Context,
    secondment_id: &str,
    cmd: CreateExtension,
) -> Result<Extension, AppError> {
    let reason = cmd.reason.trim().to_string();
    let mut errors = Vec::new();
    check_len("reason", &reason, 1, 4000, &mut errors);
    finish(errors)?;
    let requested_end_date = cmd.requested_end_date.plain();
    let viewer = caller::viewer(tx, caller)?;
    let s = visible(tx, &viewer, secondment_id)?;
    if !actions::may_request_extension(viewer.caller(), s.posting()) {
        return Err(AppError::forbidden(
            Refusal::Role,
            "Extensions are requested by the seconded official or HR.",
        ));
    }
    if !actions::extensible(s.status()) {
        return Err(transition(s.status().as_str(), "extend"));
    }
    lock_official(tx, &s.official_id)?;
    check_overlap(
        tx,
        &s.official_id,
        s.start_date,
        requested_end_date,
        Some(&s.id),
    )
    .map_err(|e| posting::typed(e, Refusal::Role, Clash::Overlap))?;
    if extensions::pending_for(tx, &s.id)?.is_some() {
        return Err(already_pending());
    }
    let policy = cx.settings.policy.rules();
    check_extension(
        s.kind,
        s.start_date,
        s.end_date,
        requested_end_date,
        &policy,
    )
    .map_err(|broken| AppError::Rule(vec![broken]))?;
    let row = extensions::request(
        tx,
        &caller.actor(),
        &viewer.user_id,
        &s,
        requested_end_date,
        &reason,
    )?
    .ok_or_else(already_pending)?;
    named_one(tx, row)
}

fn already_pending() -> AppError {
    AppError::conflict(
        Clash::Pending,
        "This secondment already has a pending extension request.",
    )
}

/// Whoever asked withdraws their pending request.
pub fn withdraw(caller: &AuthUser, tx: &mut DbConnection, id: &str) -> Result<Extension, AppError> {
    let viewer = caller::viewer(tx, caller)?;
    let ext = extensions::find_extension(tx, id)?;
    visible(tx, &viewer, &ext.secondment_id)?;
    if ext.requested_by != viewer.user_id {
        return Err(AppError::forbidden(
            Refusal::NotTheirs,
            "Only the person who asked may withdraw an extension request.",
        ));
    }
    if ext.status != ExtensionStatus::Pending {
        return Err(transition(extension_state(ext.status), "withdraw"));
    }
    let row = extensions::close(tx, &caller.actor(), &ext, ExtensionStatus::Withdrawn, None)?
        .ok_or_else(no_longer_pending)?;
    named_one(tx, row)
}

/// A request that is not pending, as the refusal of an action on it says
/// it (the same words as for a secondment's status).
fn extension_state(status: ExtensionStatus) -> &'static str {
    match status {
        ExtensionStatus::Approved => "an approved extension",
        ExtensionStatus::Rejected => "a rejected extension",
        ExtensionStatus::Withdrawn => "a withdrawn extension",
        ExtensionStatus::Pending => "pending",
    }
}

/// Closed by someone else between the read and the change.
fn no_longer_pending() -> AppError {
    transition("no longer pending", "decide on")
}
