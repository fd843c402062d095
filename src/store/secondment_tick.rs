//! Changes no caller asks for: the daily tick's state changes by date, and
//! re-pointing postings when a unit is merged away.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::audit::{self, Actor};
use super::extensions::{lapse_pending, Lapse};
use super::schema::secondments;
use super::secondment_flow::{apply, Changes, Moved};
use super::secondments::{find, lock_official, snapshot, SecondmentError, SecondmentRow};
use super::{now_utc, DbConnection, StoreError};
use crate::domain::secondment::{Action, Status};
use crate::domain::tick::TickSummary;

/// A transition the tick makes: another change moving the row first
/// fails the tick's unit, which the next run repeats.
fn moved(m: Moved, action: Action) -> Result<SecondmentRow, SecondmentError> {
    match m {
        Moved::To(row) => Ok(*row),
        Moved::Refused { from } => Err(SecondmentError::Transition {
            from: from.as_str(),
            action: action.as_str(),
        }),
    }
}

/// The state part of the daily tick for `today`: approved secondments
/// whose start date has come become active; active ones whose end date is
/// before today complete (on their end date) and their pending extension
/// lapses; planned milestones past due become missed. Running it twice for a day changes nothing.
pub fn tick(conn: &mut DbConnection, today: NaiveDate) -> Result<TickSummary, SecondmentError> {
    let actor = Actor::system();
    conn.transaction(|conn| {
        let mut summary = TickSummary::default();
        let starting: Vec<SecondmentRow> = secondments::table
            .filter(secondments::status.eq(Status::Approved.as_str()))
            .filter(secondments::start_date.le(today))
            .select(SecondmentRow::as_select())
            .load(conn)?;
        for row in &starting {
            lock_official(conn, &row.official_id)?;
            moved(
                apply(
                    conn,
                    &actor,
                    row,
                    Action::Activate,
                    Changes::default(),
                    None,
                )?,
                Action::Activate,
            )?;
            summary.activated += 1;
        }
        let ending: Vec<SecondmentRow> = secondments::table
            .filter(secondments::status.eq(Status::Active.as_str()))
            .filter(secondments::end_date.lt(today))
            .select(SecondmentRow::as_select())
            .load(conn)?;
        for row in &ending {
            let end = row.end_date;
            let ended = Changes {
                actual_end_date: Some(end),
                ..Changes::default()
            };
            moved(
                apply(conn, &actor, row, Action::Complete, ended, None)?,
                Action::Complete,
            )?;
            // Its end date can no longer move: a request to move it lapses.
            lapse_pending(conn, &actor, &row.id, Lapse::Completed)?;
            summary.completed += 1;
        }
        summary.milestones_missed = super::milestones::mark_missed(conn, today)?;
        Ok(summary)
    })
}

/// Re-points every secondment not yet ended whose home or host is
/// `source` to `target` (a unit merge), with a history event each.
pub fn repoint(
    conn: &mut DbConnection,
    actor: &Actor,
    source: &str,
    target: &str,
    effective_date: NaiveDate,
) -> Result<usize, StoreError> {
    let open: Vec<&str> = Status::ALL
        .iter()
        .filter(|s| s.is_open())
        .map(|s| s.as_str())
        .collect();
    let rows: Vec<SecondmentRow> = secondments::table
        .filter(secondments::status.eq_any(open))
        .filter(
            secondments::home_unit_id
                .eq(source)
                .or(secondments::host_unit_id.eq(source)),
        )
        .select(SecondmentRow::as_select())
        .load(conn)?;
    for row in &rows {
        let home = if row.home_unit_id == source {
            target
        } else {
            row.home_unit_id.as_str()
        };
        let host = if row.host_unit_id == source {
            target
        } else {
            row.host_unit_id.as_str()
        };
        diesel::update(secondments::table.find(&row.id))
            .set((
                secondments::home_unit_id.eq(home),
                secondments::host_unit_id.eq(host),
                secondments::version.eq(row.version + 1),
                secondments::updated_at.eq(now_utc()),
            ))
            .execute(conn)?;
        let after = find(conn, &row.id)?;
        let mut after_json = snapshot(&after);
        after_json["detail"] = serde_json::json!({
            "merged_unit_id": source,
            "successor_id": target,
            "effective_date": effective_date,
        });
        audit::record_in(
            conn,
            actor,
            Some(&row.id),
            "secondment.unit_merged",
            "secondment",
            &row.id,
            Some(snapshot(row)),
            Some(after_json),
        )?;
    }
    Ok(rows.len())
}
