//! Effective-dated unit merges (SPEC 2): sources close the day before the
//! effective date and point at the target; their children, the officials
//! they are home to and every secondment not yet ended move to the target.
//! One transaction: all of it or none.

use chrono::{Days, NaiveDate};
use diesel::prelude::*;

use super::audit::{self, Actor};
use super::org_units::{self, OrgUnitRow};
use super::schema::{officials, org_units as units};
use super::{now_utc, DbConnection, StoreError};

/// What a merge moved.
#[derive(Debug, Clone)]
pub struct MergeOutcome {
    /// The target after the merge.
    pub target: OrgUnitRow,
    /// Secondments re-pointed to the target.
    pub moved_secondments: usize,
    /// Officials whose home unit moved to the target.
    pub moved_officials: usize,
    /// Child units re-parented under the target.
    pub moved_children: usize,
}

/// Why a merge was refused (nothing changed).
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// No sources given.
    #[error("source_ids must name at least one unit")]
    NoSources,
    /// A unit id names nothing.
    #[error("no unit {0}")]
    UnknownUnit(String),
    /// A source is the target.
    #[error("a unit cannot be merged into itself")]
    IntoItself,
    /// The target lies inside a source's subtree.
    #[error("unit {0} cannot be merged into one of its own descendants")]
    IntoDescendant(String),
    /// A source was already merged or closed.
    #[error("unit {0} was already merged or closed")]
    AlreadyMerged(String),
    /// The target itself is no longer current.
    #[error("the target unit is no longer current")]
    TargetNotCurrent,
    /// The effective date is not after the source's first day.
    #[error("the effective date must be after unit {0}'s first day")]
    TooEarly(String),
    /// A running secondment between the source and the target would end
    /// up with the same unit as home and host.
    #[error("unit {0} and the target are the two sides of a running secondment")]
    JoinsSides(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// True when an open secondment runs between `source` and `target`.
fn would_join_sides(
    conn: &mut DbConnection,
    source: &str,
    target: &str,
) -> Result<bool, StoreError> {
    use super::schema::secondments as s;
    let open = ["draft", "pending_approval", "approved", "active"];
    let found: Option<String> = s::table
        .filter(s::status.eq_any(open))
        .filter(
            s::home_unit_id
                .eq(source)
                .and(s::host_unit_id.eq(target))
                .or(s::host_unit_id.eq(source).and(s::home_unit_id.eq(target))),
        )
        .select(s::id)
        .first(conn)
        .optional()?;
    Ok(found.is_some())
}

impl From<diesel::result::Error> for MergeError {
    fn from(e: diesel::result::Error) -> Self {
        MergeError::Store(e.into())
    }
}

/// Merges `source_ids` into `target_id` as of `effective_date`.
pub fn merge(
    conn: &mut DbConnection,
    actor: &Actor,
    source_ids: &[String],
    target_id: &str,
    effective_date: NaiveDate,
) -> Result<MergeOutcome, MergeError> {
    if source_ids.is_empty() {
        return Err(MergeError::NoSources);
    }
    conn.transaction(|conn| {
        let target = org_units::find_optional(conn, target_id)?
            .ok_or_else(|| MergeError::UnknownUnit(target_id.to_string()))?;
        if target.valid_to.is_some() {
            return Err(MergeError::TargetNotCurrent);
        }
        let last_day = effective_date
            .checked_sub_days(Days::new(1))
            .unwrap_or(effective_date);
        let mut outcome = MergeOutcome {
            target: target.clone(),
            moved_secondments: 0,
            moved_officials: 0,
            moved_children: 0,
        };
        // Sources are processed one by one; a refusal on a later source
        // rolls back what earlier ones did.
        for source_id in source_ids {
            if source_id == target_id {
                return Err(MergeError::IntoItself);
            }
            let source = org_units::find_optional(conn, source_id)?
                .ok_or_else(|| MergeError::UnknownUnit(source_id.clone()))?;
            if source.valid_to.is_some() || source.successor_id.is_some() {
                return Err(MergeError::AlreadyMerged(source.code));
            }
            if org_units::is_within(conn, target_id, source_id)? {
                return Err(MergeError::IntoDescendant(source.code));
            }
            if effective_date <= source.valid_from {
                return Err(MergeError::TooEarly(source.code));
            }
            if would_join_sides(conn, source_id, target_id)? {
                return Err(MergeError::JoinsSides(source.code));
            }
            let closed = diesel::update(
                units::table
                    .find(source_id)
                    .filter(units::valid_to.is_null())
                    .filter(units::successor_id.is_null()),
            )
            .set((
                units::valid_to.eq(Some(last_day)),
                units::successor_id.eq(Some(target_id)),
                units::version.eq(source.version + 1),
                units::updated_at.eq(now_utc()),
            ))
            .execute(conn)?;
            if closed == 0 {
                // A concurrent merge closed it first.
                return Err(MergeError::AlreadyMerged(source.code));
            }
            let children = diesel::update(units::table.filter(units::parent_id.eq(source_id)))
                .set(units::parent_id.eq(Some(target_id)))
                .execute(conn)?;
            let moved_officials =
                diesel::update(officials::table.filter(officials::home_unit_id.eq(source_id)))
                    .set(officials::home_unit_id.eq(target_id))
                    .execute(conn)?;
            let moved_secondments =
                super::secondment_flow::repoint(conn, actor, source_id, target_id, effective_date)?;
            let after = org_units::find(conn, source_id)?;
            audit::record(
                conn,
                actor,
                "org_unit.merged",
                "org_unit",
                source_id,
                Some(serde_json::to_value(&source).unwrap_or_default()),
                Some(serde_json::json!({
                    "unit": after,
                    "target_id": target_id,
                    "effective_date": effective_date,
                    "moved_children": children,
                    "moved_officials": moved_officials,
                    "moved_secondments": moved_secondments,
                })),
            )?;
            outcome.moved_children += children;
            outcome.moved_officials += moved_officials;
            outcome.moved_secondments += moved_secondments;
        }
        outcome.target = org_units::find(conn, target_id)?;
        Ok(outcome)
    })
}

/// What [`merge`] would do, changing nothing: the merge runs, with its
/// every check, inside a savepoint that is then rolled back, so the
/// preview refuses what the merge would refuse and counts what it would
/// move.
pub fn preview(
    conn: &mut DbConnection,
    actor: &Actor,
    source_ids: &[String],
    target_id: &str,
    effective_date: NaiveDate,
) -> Result<MergeOutcome, MergeError> {
    let mut outcome = None;
    let undone = conn.transaction::<(), diesel::result::Error, _>(|conn| {
        outcome = Some(merge(conn, actor, source_ids, target_id, effective_date));
        Err(diesel::result::Error::RollbackTransaction)
    });
    match undone {
        Ok(()) | Err(diesel::result::Error::RollbackTransaction) => {}
        Err(e) => return Err(e.into()),
    }
    outcome
        .unwrap_or_else(|| Err(StoreError::Internal("the merge preview did not run".into()).into()))
}
