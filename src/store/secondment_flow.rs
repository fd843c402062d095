//! Secondment state changes as the state machine allows them, each with
//! its history event; closing what an early end leaves open. The daily
//! tick and re-pointing on unit merges live in `secondment_tick.rs`; who
//! may change what is `app::secondments`' to say.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::audit::{self, Actor};
use super::extensions::{lapse_pending, Lapse};
use super::schema::secondments;
use super::secondments::{find, snapshot, SecondmentRow};
use super::{now_utc, DbConnection, StoreError};
use crate::domain::milestone::MilestoneStatus;
use crate::domain::secondment::{next_status, Action, Status};

pub use super::secondment_tick::{repoint, tick};
pub use crate::domain::tick::TickSummary;

/// Columns a transition may set besides the status.
#[derive(Debug, Default)]
pub struct Changes {
    /// The last day served (an early end, a completion).
    pub actual_end_date: Option<NaiveDate>,
    /// Why it was cancelled or terminated.
    pub end_reason: Option<String>,
    /// The number of the decision that approved it.
    pub decision_ref: Option<String>,
    /// When it was submitted for approval.
    pub submitted_at: Option<NaiveDateTime>,
}

/// What became of a transition.
#[derive(Debug)]
pub enum Moved {
    /// The secondment as it became.
    To(Box<SecondmentRow>),
    /// The state machine refuses `action` from the status it is in (read
    /// again when another change moved it first).
    Refused {
        /// The status it is in.
        from: Status,
    },
}

/// Changes the status if the machine allows `action` from the status of
/// `row`, and it is still that status; `changes` sets other columns in the
/// same UPDATE, `detail` goes into the history event.
pub fn apply(
    conn: &mut DbConnection,
    actor: &Actor,
    row: &SecondmentRow,
    action: Action,
    changes: Changes,
    detail: Option<serde_json::Value>,
) -> Result<Moved, StoreError> {
    let from = row.status();
    let Some(to) = next_status(from, action) else {
        return Ok(Moved::Refused { from });
    };
    let updated = diesel::update(
        secondments::table
            .filter(secondments::id.eq(&row.id))
            .filter(secondments::status.eq(from.as_str())),
    )
    .set((
        secondments::status.eq(to.as_str()),
        secondments::version.eq(row.version + 1),
        secondments::updated_at.eq(now_utc()),
        secondments::actual_end_date.eq(changes.actual_end_date.or(row.actual_end_date)),
        secondments::end_reason.eq(changes.end_reason.or(row.end_reason.clone())),
        secondments::decision_ref.eq(changes.decision_ref.or(row.decision_ref.clone())),
        secondments::submitted_at.eq(changes.submitted_at.or(row.submitted_at)),
    ))
    .execute(conn)?;
    if updated == 0 {
        // Someone else moved it first (another request or tick).
        let now = find(conn, &row.id)?;
        return Ok(Moved::Refused { from: now.status() });
    }
    let after = find(conn, &row.id)?;
    let mut after_json = snapshot(&after);
    if let Some(d) = detail {
        after_json["detail"] = d;
    }
    audit::record_in(
        conn,
        actor,
        Some(&row.id),
        &format!("secondment.{}", action.as_str()),
        "secondment",
        &row.id,
        Some(snapshot(row)),
        Some(after_json),
    )?;
    Ok(Moved::To(Box::new(after)))
}

/// When a secondment ends early (cancelled or terminated), its pending
/// extension lapses, its planned milestones are cancelled and its unsent
/// reminders with them.
pub(crate) fn close_open_items(
    conn: &mut DbConnection,
    actor: &Actor,
    row: &SecondmentRow,
    why: Lapse,
) -> Result<(), StoreError> {
    use super::schema::milestones;
    let now = now_utc();
    let ext = lapse_pending(conn, actor, &row.id, why)?;
    let ms = diesel::update(
        milestones::table
            .filter(milestones::secondment_id.eq(&row.id))
            .filter(milestones::status.eq(MilestoneStatus::Planned.as_str())),
    )
    .set((
        milestones::status.eq(MilestoneStatus::Cancelled.as_str()),
        milestones::updated_at.eq(now),
    ))
    .execute(conn)?;
    let emails = crate::store::outbox::cancel_unsent(conn, &row.id, None, None)?;
    if ext + ms + emails > 0 {
        audit::record_in(
            conn,
            actor,
            Some(&row.id),
            "secondment.open_items_closed",
            "secondment",
            &row.id,
            None,
            Some(serde_json::json!({
                "extensions_withdrawn": ext,
                "milestones_cancelled": ms,
                "emails_cancelled": emails,
            })),
        )?;
    }
    Ok(())
}

/// A director's decision on a pending request, as the extension flow
/// takes it.
#[derive(Debug, Clone)]
pub struct Decision {
    /// Approve or reject.
    pub approve: bool,
    /// Comment.
    pub comment: Option<String>,
    /// Decision number, recorded when this approval completes the request.
    pub decision_ref: Option<String>,
    /// Today in the configured time zone (which delegations are in force).
    pub today: NaiveDate,
    /// The day of the decision, as stated by the director.
    pub decided_on: Option<NaiveDate>,
}
