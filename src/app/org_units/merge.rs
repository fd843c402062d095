//! Merging units into another as of a date (administrators): the sources
//! close, their children, officials and running secondments move to the
//! target, all in the caller's unit of work. The console previews a merge
//! before it is confirmed.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::OrgUnit;
use crate::app::fields::{Day, Id, Plain};
use crate::app::{AppError, Clash};
use crate::auth::{permissions, AuthUser};
use crate::store::merge::{self, MergeError, MergeOutcome};
use crate::store::DbConnection;

/// A merge request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    /// Units that cease to exist.
    #[schema(min_items = 1, max_items = 100)]
    pub source_ids: Vec<Id>,
    /// The unit they merge into.
    pub target_id: Id,
    /// First day of the merged unit; sources end the day before.
    pub effective_date: Day,
}

/// What a merge did.
#[derive(Debug, Serialize, ToSchema)]
pub struct MergeResponse {
    /// The target after the merge.
    pub target: OrgUnit,
    /// Secondments not yet ended that now point at the target.
    pub moved_secondments: usize,
    /// Officials whose home unit is now the target.
    pub moved_officials: usize,
    /// Child units now under the target.
    pub moved_children: usize,
}

impl From<MergeOutcome> for MergeResponse {
    fn from(outcome: MergeOutcome) -> Self {
        MergeResponse {
            target: OrgUnit::from(outcome.target),
            moved_secondments: outcome.moved_secondments,
            moved_officials: outcome.moved_officials,
            moved_children: outcome.moved_children,
        }
    }
}

/// The store's refusals of a merge (nothing changed), as the application
/// tells them.
impl From<MergeError> for AppError {
    fn from(e: MergeError) -> Self {
        let told = format!("{e}.");
        match e {
            MergeError::NoSources => AppError::invalid("source_ids", "must name at least one unit"),
            MergeError::UnknownUnit(_) => AppError::unknown("source_ids", "unit"),
            MergeError::TooEarly(code) => AppError::invalid(
                "effective_date",
                format!("must be after the first day of unit {code}"),
            ),
            MergeError::Store(e) => e.into(),
            MergeError::IntoItself | MergeError::IntoDescendant(_) => {
                AppError::conflict(Clash::Cycle, told)
            }
            MergeError::AlreadyMerged(_) => AppError::conflict(Clash::AlreadyDone, told),
            MergeError::TargetNotCurrent => AppError::conflict(Clash::NotCurrent, told),
            MergeError::JoinsSides(_) => AppError::conflict(Clash::InUse, told),
        }
    }
}

/// Merges units as the request asks (administrators).
pub fn merge(
    caller: &AuthUser,
    tx: &mut DbConnection,
    b: MergeRequest,
) -> Result<MergeResponse, AppError> {
    permissions::require_admin(caller)?;
    let outcome = merge::merge(
        tx,
        &caller.actor(),
        &b.source_ids.plain(),
        &b.target_id,
        b.effective_date.plain(),
    )?;
    Ok(outcome.into())
}

/// What [`merge`] would move, changing nothing (administrators): it
/// refuses what the merge would refuse.
pub fn merge_preview(
    caller: &AuthUser,
    tx: &mut DbConnection,
    b: MergeRequest,
) -> Result<MergeResponse, AppError> {
    permissions::require_admin(caller)?;
    let outcome = merge::preview(
        tx,
        &caller.actor(),
        &b.source_ids.plain(),
        &b.target_id,
        b.effective_date.plain(),
    )?;
    Ok(outcome.into())
}
