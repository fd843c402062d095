//! Extension requests: recorded, closed, and the end date they move.
//! Who may ask or decide, and the rules an extension keeps, are the
//! application's (`app::extensions`).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::audit::{self, Actor};
use super::schema::{extensions, secondments};
use super::secondments::{find, snapshot, SecondmentRow};
use super::{new_id, now_utc, DbConnection, StoreError};
use crate::domain::extension::ExtensionStatus;
use crate::domain::milestone::Template;

/// A stored extension request.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = extensions)]
pub struct ExtensionRow {
    /// Identifier.
    pub id: String,
    /// The secondment.
    pub secondment_id: String,
    /// Who asked.
    pub requested_by: String,
    /// The end date asked for.
    pub requested_end_date: NaiveDate,
    /// The end date when asked.
    pub previous_end_date: NaiveDate,
    /// Why.
    pub reason: String,
    /// `pending`, `approved`, `rejected`, `withdrawn`.
    #[diesel(deserialize_as = String)]
    pub status: crate::domain::extension::ExtensionStatus,
    /// When decided or withdrawn.
    pub decided_at: Option<NaiveDateTime>,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Last changed.
    pub updated_at: NaiveDateTime,
    /// Number of the decision that approved it.
    pub decision_ref: Option<String>,
}

/// Locks one extension row on PostgreSQL (`FOR UPDATE`), so that two
/// directors deciding at once take turns and the second sees the first's
/// decision. Lock order: official, then secondment, then extension.
pub fn lock(conn: &mut DbConnection, id: &str) -> Result<(), StoreError> {
    if let DbConnection::Pg(pg) = conn {
        extensions::table
            .find(id)
            .select(extensions::id)
            .for_update()
            .first::<String>(pg)
            .optional()?;
    }
    Ok(())
}

/// One extension.
pub fn find_extension(conn: &mut DbConnection, id: &str) -> Result<ExtensionRow, StoreError> {
    Ok(extensions::table
        .find(id)
        .select(ExtensionRow::as_select())
        .first(conn)?)
}

/// The pending extension of a secondment, if any.
pub fn pending_for(
    conn: &mut DbConnection,
    secondment_id: &str,
) -> Result<Option<ExtensionRow>, StoreError> {
    Ok(extensions::table
        .filter(extensions::secondment_id.eq(secondment_id))
        .filter(extensions::status.eq("pending"))
        .select(ExtensionRow::as_select())
        .first(conn)
        .optional()?)
}

/// All extensions of a secondment, oldest first.
pub fn for_secondment(
    conn: &mut DbConnection,
    secondment_id: &str,
) -> Result<Vec<ExtensionRow>, StoreError> {
    Ok(extensions::table
        .filter(extensions::secondment_id.eq(secondment_id))
        .order(extensions::id.asc())
        .select(ExtensionRow::as_select())
        .load(conn)?)
}

/// Records a pending request to move the end of `s` to
/// `requested_end_date`, asked by `requested_by`, in its history; `None`
/// when the secondment has a pending request already (the database's
/// unique index decides between two asked at once).
pub fn request(
    conn: &mut DbConnection,
    actor: &Actor,
    requested_by: &str,
    s: &SecondmentRow,
    requested_end_date: NaiveDate,
    reason: &str,
) -> Result<Option<ExtensionRow>, StoreError> {
    let id = new_id();
    let now = now_utc();
    // Its own savepoint: on PostgreSQL the refused insert must not abort
    // the unit of work around it.
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(extensions::table)
            .values((
                extensions::id.eq(&id),
                extensions::secondment_id.eq(&s.id),
                extensions::requested_by.eq(requested_by),
                extensions::requested_end_date.eq(requested_end_date),
                extensions::previous_end_date.eq(s.end_date),
                extensions::reason.eq(reason),
                extensions::status.eq(ExtensionStatus::Pending.as_str()),
                extensions::created_at.eq(now),
                extensions::updated_at.eq(now),
            ))
            .execute(conn)
    });
    match inserted.map_err(StoreError::from) {
        Ok(_) => {}
        Err(StoreError::UniqueViolation(_)) => return Ok(None),
        Err(e) => return Err(e),
    }
    let row = find_extension(conn, &id)?;
    audit::record_in(
        conn,
        actor,
        Some(&s.id),
        "extension.requested",
        "extension",
        &id,
        None,
        Some(serde_json::to_value(&row).unwrap_or_default()),
    )?;
    Ok(Some(row))
}

/// Closes a pending request as `status` (approved, rejected or
/// withdrawn), with the number of the decision that approved it, in the
/// history as `extension.<status>`; `None` when it is no longer pending.
pub fn close(
    conn: &mut DbConnection,
    actor: &Actor,
    ext: &ExtensionRow,
    status: ExtensionStatus,
    decision_ref: Option<&str>,
) -> Result<Option<ExtensionRow>, StoreError> {
    let now = now_utc();
    let changed = diesel::update(
        extensions::table
            .filter(extensions::id.eq(&ext.id))
            .filter(extensions::status.eq(ExtensionStatus::Pending.as_str())),
    )
    .set((
        extensions::status.eq(status.as_str()),
        extensions::decision_ref.eq(decision_ref),
        extensions::decided_at.eq(Some(now)),
        extensions::updated_at.eq(now),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Ok(None);
    }
    let after = find_extension(conn, &ext.id)?;
    audit::record_in(
        conn,
        actor,
        Some(&ext.secondment_id),
        &format!("extension.{}", status.as_str()),
        "extension",
        &ext.id,
        Some(serde_json::to_value(ext).unwrap_or_default()),
        Some(serde_json::to_value(&after).unwrap_or_default()),
    )?;
    Ok(Some(after))
}

/// Moves the end of `s` to `new_end` (an approved extension): `version`
/// increments, the history says `secondment.extended`, planned milestones
/// tied to the end are rescheduled and the unsent reminders of the old
/// end are cancelled. Returns the secondment as it is now.
pub fn extend(
    conn: &mut DbConnection,
    actor: &Actor,
    s: &SecondmentRow,
    new_end: NaiveDate,
    templates: &[Template],
) -> Result<SecondmentRow, StoreError> {
    diesel::update(secondments::table.find(&s.id))
        .set((
            secondments::end_date.eq(new_end),
            secondments::version.eq(s.version + 1),
            secondments::updated_at.eq(now_utc()),
        ))
        .execute(conn)?;
    let after = find(conn, &s.id)?;
    audit::record_in(
        conn,
        actor,
        Some(&s.id),
        "secondment.extended",
        "secondment",
        &s.id,
        Some(snapshot(s)),
        Some(snapshot(&after)),
    )?;
    super::milestones::replan(conn, actor, &after, templates)?;
    // Reminders planned for the old end date no longer make sense; the
    // next tick plans those of the new one.
    super::outbox::cancel_unsent(conn, &s.id, Some("end_reminder"), Some(s.end_date))?;
    Ok(after)
}

/// Why a pending extension lapsed: its secondment left approved/active.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lapse {
    /// The daily tick completed the secondment on its end date.
    Completed,
    /// It was cancelled before it started.
    Cancelled,
    /// It was ended early.
    Terminated,
}

impl Lapse {
    fn as_str(self) -> &'static str {
        match self {
            Lapse::Completed => "completed",
            Lapse::Cancelled => "cancelled",
            Lapse::Terminated => "terminated",
        }
    }
}

/// Closes the pending extension of a secondment that has just left
/// approved/active (decision 0037): nobody may decide on it any more, so
/// it is withdrawn, with an `extension.lapsed` history event saying why,
/// and the unsent approval nudges about it are cancelled (the only request
/// that can wait on an approved or active secondment is its extension).
/// Returns how many extensions were closed (0 or 1).
pub(crate) fn lapse_pending(
    conn: &mut DbConnection,
    actor: &Actor,
    secondment_id: &str,
    why: Lapse,
) -> Result<usize, StoreError> {
    let Some(ext) = pending_for(conn, secondment_id)? else {
        return Ok(0);
    };
    let now = now_utc();
    let changed = diesel::update(
        extensions::table
            .filter(extensions::id.eq(&ext.id))
            .filter(extensions::status.eq("pending")),
    )
    .set((
        extensions::status.eq("withdrawn"),
        extensions::decided_at.eq(Some(now)),
        extensions::updated_at.eq(now),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Ok(0);
    }
    let mut after = serde_json::to_value(find_extension(conn, &ext.id)?).unwrap_or_default();
    after["lapsed_because"] = serde_json::Value::from(why.as_str());
    audit::record_in(
        conn,
        actor,
        Some(secondment_id),
        "extension.lapsed",
        "extension",
        &ext.id,
        Some(serde_json::to_value(&ext).unwrap_or_default()),
        Some(after),
    )?;
    crate::store::outbox::cancel_unsent(conn, secondment_id, Some("approval_nudge"), None)?;
    Ok(changed)
}
