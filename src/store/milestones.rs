//! Milestones of a secondment.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::audit::{self, Actor};
use super::schema::milestones;
use super::secondments::SecondmentRow;
use super::{new_id, now_utc, DbConnection, StoreError};
use crate::domain::milestone::{due_date, MilestoneStatus, Template};

/// A stored milestone.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = milestones)]
pub struct MilestoneRow {
    /// Identifier.
    pub id: String,
    /// The secondment.
    pub secondment_id: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Due date.
    pub due_date: NaiveDate,
    /// `planned`, `done`, `missed`, `cancelled`.
    #[diesel(deserialize_as = String)]
    pub status: crate::domain::milestone::MilestoneStatus,
    /// When completed.
    pub completed_at: Option<NaiveDateTime>,
    /// Note on completion.
    pub note: Option<String>,
    /// The template it came from.
    pub template: Option<String>,
    /// Version.
    pub version: i32,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Last changed.
    pub updated_at: NaiveDateTime,
    /// The day it was done, as stated by the user (business date).
    pub completed_on: Option<NaiveDate>,
}

fn snapshot(m: &MilestoneRow) -> serde_json::Value {
    serde_json::to_value(m).unwrap_or_default()
}

/// Inserts one milestone and audits it in the secondment's history.
#[allow(clippy::too_many_arguments)]
pub fn insert(
    conn: &mut DbConnection,
    actor: &Actor,
    secondment_id: &str,
    title: &str,
    description: Option<&str>,
    due: NaiveDate,
    template: Option<&str>,
) -> Result<MilestoneRow, StoreError> {
    let id = new_id();
    let now = now_utc();
    diesel::insert_into(milestones::table)
        .values((
            milestones::id.eq(&id),
            milestones::secondment_id.eq(secondment_id),
            milestones::title.eq(title),
            milestones::description.eq(description),
            milestones::due_date.eq(due),
            milestones::status.eq(MilestoneStatus::Planned.as_str()),
            milestones::template.eq(template),
            milestones::version.eq(1),
            milestones::created_at.eq(now),
            milestones::updated_at.eq(now),
        ))
        .execute(conn)?;
    let row = find(conn, &id)?;
    audit::record_in(
        conn,
        actor,
        Some(secondment_id),
        "milestone.created",
        "milestone",
        &id,
        None,
        Some(snapshot(&row)),
    )?;
    Ok(row)
}

/// The default plan, created when a proposal is approved.
pub fn create_defaults(
    conn: &mut DbConnection,
    actor: &Actor,
    s: &SecondmentRow,
    templates: &[Template],
) -> Result<(), StoreError> {
    // The default plan is the system's, not the approving director's: the
    // history says so (the request id still ties it to the approval).
    let system = Actor {
        user_id: None,
        request_id: actor.request_id.clone(),
    };
    for t in templates {
        let due = due_date(t, s.start_date, s.end_date);
        insert(
            conn,
            &system,
            &s.id,
            &t.title,
            t.description.as_deref(),
            due,
            Some(&t.key),
        )?;
    }
    Ok(())
}

/// Moves planned template milestones after the end date changed (an
/// approved extension).
pub fn replan(
    conn: &mut DbConnection,
    actor: &Actor,
    s: &SecondmentRow,
    templates: &[Template],
) -> Result<(), StoreError> {
    for m in for_secondment(conn, &s.id)? {
        if m.status != MilestoneStatus::Planned {
            continue;
        }
        let Some(t) = templates
            .iter()
            .find(|t| Some(&t.key) == m.template.as_ref())
        else {
            continue;
        };
        let due = due_date(t, s.start_date, s.end_date);
        if due != m.due_date {
            diesel::update(milestones::table.find(&m.id))
                .set((
                    milestones::due_date.eq(due),
                    milestones::version.eq(m.version + 1),
                    milestones::updated_at.eq(now_utc()),
                ))
                .execute(conn)?;
            let after = find(conn, &m.id)?;
            audit::record_in(
                conn,
                actor,
                Some(&s.id),
                "milestone.rescheduled",
                "milestone",
                &m.id,
                Some(snapshot(&m)),
                Some(snapshot(&after)),
            )?;
        }
    }
    Ok(())
}

/// One milestone.
pub fn find(conn: &mut DbConnection, id: &str) -> Result<MilestoneRow, StoreError> {
    Ok(milestones::table
        .find(id)
        .select(MilestoneRow::as_select())
        .first(conn)?)
}

/// A secondment's milestones by due date.
pub fn for_secondment(
    conn: &mut DbConnection,
    secondment_id: &str,
) -> Result<Vec<MilestoneRow>, StoreError> {
    Ok(milestones::table
        .filter(milestones::secondment_id.eq(secondment_id))
        .order((milestones::due_date.asc(), milestones::id.asc()))
        .select(MilestoneRow::as_select())
        .load(conn)?)
}

/// Changes of a milestone.
#[derive(Debug, Default, Clone)]
pub struct MilestoneChanges {
    /// Title.
    pub title: Option<String>,
    /// Description.
    pub description: Option<Option<String>>,
    /// Due date.
    pub due_date: Option<NaiveDate>,
    /// Status (planned or cancelled by hand; done through complete).
    pub status: Option<MilestoneStatus>,
    /// Note.
    pub note: Option<Option<String>>,
    /// The day it was done (with status done).
    pub completed_on: Option<NaiveDate>,
}

/// Applies changes if the version matches; `None` when stale.
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    expected_version: Option<i32>,
    c: &MilestoneChanges,
) -> Result<Option<MilestoneRow>, StoreError> {
    conn.transaction(|conn| {
        let before = find(conn, id)?;
        let expected_version = expected_version.unwrap_or(before.version);
        if before.version != expected_version {
            return Ok(None);
        }
        let done = c.status == Some(MilestoneStatus::Done);
        let changed = diesel::update(
            milestones::table
                .find(id)
                .filter(milestones::version.eq(expected_version)),
        )
        .set((
            milestones::title.eq(c.title.clone().unwrap_or_else(|| before.title.clone())),
            milestones::description.eq(c
                .description
                .clone()
                .unwrap_or_else(|| before.description.clone())),
            milestones::due_date.eq(c.due_date.unwrap_or(before.due_date)),
            milestones::status.eq(c
                .status
                .map(|s| s.as_str().to_string())
                .unwrap_or_else(|| before.status.as_str().to_string())),
            // Reopened or cancelled: no longer completed.
            milestones::completed_at.eq(match c.status {
                Some(MilestoneStatus::Done) => before.completed_at.or(Some(now_utc())),
                Some(_) => None,
                None => before.completed_at,
            }),
            milestones::note.eq(c.note.clone().unwrap_or_else(|| before.note.clone())),
            milestones::completed_on.eq(match c.status {
                Some(MilestoneStatus::Done) => c.completed_on.or(before.completed_on),
                Some(_) => None,
                None => before.completed_on,
            }),
            milestones::version.eq(expected_version + 1),
            milestones::updated_at.eq(now_utc()),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Ok(None);
        }
        let after = find(conn, id)?;
        audit::record_in(
            conn,
            actor,
            Some(&before.secondment_id),
            if done {
                "milestone.completed"
            } else {
                "milestone.updated"
            },
            "milestone",
            id,
            Some(snapshot(&before)),
            Some(snapshot(&after)),
        )?;
        Ok(Some(after))
    })
}

/// The daily tick: planned milestones whose due date is before `today`
/// become missed, each audited in its secondment's history. Returns how
/// many. One update and one audit insert per 500 milestones (a Monday
/// after a holiday week marks thousands).
pub fn mark_missed(conn: &mut DbConnection, today: NaiveDate) -> Result<usize, StoreError> {
    let due: Vec<MilestoneRow> = milestones::table
        .filter(milestones::status.eq(MilestoneStatus::Planned.as_str()))
        .filter(milestones::due_date.lt(today))
        .select(MilestoneRow::as_select())
        .load(conn)?;
    let before: HashMap<&str, &MilestoneRow> = due.iter().map(|m| (m.id.as_str(), m)).collect();
    let now = now_utc();
    let mut missed = 0;
    for chunk in due.chunks(500) {
        let ids: Vec<&str> = chunk.iter().map(|m| m.id.as_str()).collect();
        // Still planned: what changed since the read is left as it is.
        let updated: Vec<(String, i32)> = diesel::update(
            milestones::table
                .filter(milestones::id.eq_any(&ids))
                .filter(milestones::status.eq(MilestoneStatus::Planned.as_str())),
        )
        .set((
            milestones::status.eq(MilestoneStatus::Missed.as_str()),
            milestones::version.eq(milestones::version + 1),
            milestones::updated_at.eq(now),
        ))
        .returning((milestones::id, milestones::version))
        .get_results(conn)?;
        let mut events = Vec::with_capacity(updated.len());
        for (id, version) in updated {
            let Some(b) = before.get(id.as_str()) else {
                continue;
            };
            let after = MilestoneRow {
                status: MilestoneStatus::Missed,
                version,
                updated_at: now,
                ..(*b).clone()
            };
            events.push(audit::PendingEvent {
                action: "milestone.missed",
                entity_type: "milestone",
                entity_id: id,
                before: Some(snapshot(b)),
                after: Some(snapshot(&after)),
                secondment_id: Some(after.secondment_id.clone()),
            });
        }
        audit::record_many(conn, &Actor::system(), &events)?;
        missed += events.len();
    }
    Ok(missed)
}
