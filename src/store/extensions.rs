//! Extension requests: ask, withdraw, decide.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::audit::{self, Actor};
use super::schema::{extensions, secondments};
use super::secondment_flow::{record_decisions, Decision};
use super::secondments::{find, find_visible, snapshot, SecondmentError, SecondmentRow, Viewer};
use super::{new_id, now_utc, DbConnection, StoreError};
use crate::domain::actions;
use crate::domain::approval::{Outcome, Side};
use crate::domain::extension::ExtensionStatus;
use crate::domain::milestone::Template;
use crate::domain::secondment::{check_extension, Policy, Status};

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
fn lock_extension(conn: &mut DbConnection, id: &str) -> Result<(), StoreError> {
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

/// The cadre (own) or HR asks to move the end date of an approved or
/// active secondment. At most one pending request; the cap is checked now
/// and again on approval.
pub fn request(
    conn: &mut DbConnection,
    actor: &Actor,
    viewer: &Viewer,
    policy: &Policy,
    secondment_id: &str,
    requested_end_date: NaiveDate,
    reason: &str,
) -> Result<ExtensionRow, SecondmentError> {
    conn.transaction(|conn| {
        let s = find_visible(conn, viewer, secondment_id)?;
        if !actions::may_request_extension(viewer.caller(), s.posting()) {
            return Err(SecondmentError::Forbidden(
                "Extensions are requested by the seconded official or HR.".into(),
            ));
        }
        if !actions::extensible(s.status()) {
            return Err(SecondmentError::Transition {
                from: s.status().as_str(),
                action: "extend",
            });
        }
        super::secondments::lock_official(conn, &s.official_id)?;
        super::secondments::check_overlap(
            conn,
            &s.official_id,
            s.start_date,
            requested_end_date,
            Some(&s.id),
        )?;
        if pending_for(conn, &s.id)?.is_some() {
            return Err(SecondmentError::Conflict(
                "This secondment already has a pending extension request.".into(),
            ));
        }
        check_extension(s.kind, s.start_date, s.end_date, requested_end_date, policy)
            .map_err(SecondmentError::Policy)?;
        let id = new_id();
        let now = now_utc();
        diesel::insert_into(extensions::table)
            .values((
                extensions::id.eq(&id),
                extensions::secondment_id.eq(&s.id),
                extensions::requested_by.eq(&viewer.user_id),
                extensions::requested_end_date.eq(requested_end_date),
                extensions::previous_end_date.eq(s.end_date),
                extensions::reason.eq(reason),
                extensions::status.eq("pending"),
                extensions::created_at.eq(now),
                extensions::updated_at.eq(now),
            ))
            .execute(conn)
            .map_err(|e| match StoreError::from(e) {
                StoreError::UniqueViolation(_) => SecondmentError::Conflict(
                    "This secondment already has a pending extension request.".into(),
                ),
                other => other.into(),
            })?;
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
        Ok(row)
    })
}

fn close(
    conn: &mut DbConnection,
    actor: &Actor,
    ext: &ExtensionRow,
    status: &str,
    action: &str,
    decision_ref: Option<&str>,
) -> Result<ExtensionRow, SecondmentError> {
    let changed = diesel::update(
        extensions::table
            .filter(extensions::id.eq(&ext.id))
            .filter(extensions::status.eq("pending")),
    )
    .set((
        extensions::status.eq(status),
        extensions::decision_ref.eq(decision_ref),
        extensions::decided_at.eq(Some(now_utc())),
        extensions::updated_at.eq(now_utc()),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Err(SecondmentError::Transition {
            from: "no longer pending",
            action: "decide on",
        });
    }
    let after = find_extension(conn, &ext.id)?;
    audit::record_in(
        conn,
        actor,
        Some(&ext.secondment_id),
        action,
        "extension",
        &ext.id,
        Some(serde_json::to_value(ext).unwrap_or_default()),
        Some(serde_json::to_value(&after).unwrap_or_default()),
    )?;
    Ok(after)
}

/// The requester withdraws a pending request.
pub fn withdraw(
    conn: &mut DbConnection,
    actor: &Actor,
    viewer: &Viewer,
    extension_id: &str,
) -> Result<ExtensionRow, SecondmentError> {
    conn.transaction(|conn| {
        let ext = find_extension(conn, extension_id).map_err(not_found)?;
        find_visible(conn, viewer, &ext.secondment_id)?;
        if ext.requested_by != viewer.user_id {
            return Err(SecondmentError::Forbidden(
                "Only the person who asked may withdraw an extension request.".into(),
            ));
        }
        if ext.status != ExtensionStatus::Pending {
            return Err(SecondmentError::Transition {
                from: extension_state(ext.status),
                action: "withdraw",
            });
        }
        close(conn, actor, &ext, "withdrawn", "extension.withdrawn", None)
    })
}

fn extension_state(status: ExtensionStatus) -> &'static str {
    match status {
        ExtensionStatus::Approved => "an approved extension",
        ExtensionStatus::Rejected => "a rejected extension",
        ExtensionStatus::Withdrawn => "a withdrawn extension",
        ExtensionStatus::Pending => "pending",
    }
}

fn not_found(e: StoreError) -> SecondmentError {
    match e {
        StoreError::NotFound => SecondmentError::NotFound,
        other => other.into(),
    }
}

/// A director decides on a pending extension; when every side approved,
/// the end date moves (cap checked again), `version` increments, and
/// planned milestones tied to the end are rescheduled.
#[allow(clippy::too_many_arguments)]
pub fn decide(
    conn: &mut DbConnection,
    actor: &Actor,
    viewer: &Viewer,
    required: &[Side],
    policy: &Policy,
    templates: &[Template],
    extension_id: &str,
    decision: &Decision,
) -> Result<(ExtensionRow, SecondmentRow), SecondmentError> {
    conn.transaction(|conn| {
        let seen = find_extension(conn, extension_id).map_err(not_found)?;
        let s = find_visible(conn, viewer, &seen.secondment_id)?;
        // Serialise every decision on this request; read it again under
        // the lock so the other director's decision is seen.
        super::secondments::lock_official(conn, &s.official_id)?;
        super::secondments::lock_secondment(conn, &s.id)?;
        lock_extension(conn, &seen.id)?;
        let ext = find_extension(conn, extension_id).map_err(not_found)?;
        let s = find(conn, &s.id)?;
        if ext.status != ExtensionStatus::Pending {
            return Err(SecondmentError::Transition {
                from: extension_state(ext.status),
                action: if decision.approve {
                    "approve"
                } else {
                    "reject"
                },
            });
        }
        let (outcome, _) = record_decisions(
            conn,
            actor,
            viewer,
            required,
            &s,
            &ext.id,
            "extension",
            decision,
        )?;
        match outcome {
            Outcome::Waiting => Ok((find_extension(conn, &ext.id)?, s)),
            Outcome::Rejected => {
                let closed = close(conn, actor, &ext, "rejected", "extension.rejected", None)?;
                Ok((closed, s))
            }
            Outcome::Approved => {
                if !matches!(s.status(), Status::Approved | Status::Active) {
                    return Err(SecondmentError::Transition {
                        from: s.status().as_str(),
                        action: "extend",
                    });
                }
                check_extension(
                    s.kind,
                    s.start_date,
                    s.end_date,
                    ext.requested_end_date,
                    policy,
                )
                .map_err(SecondmentError::Policy)?;
                // Another posting may have been created for these dates
                // since the request: the overlap rule holds here too.
                super::secondments::check_overlap(
                    conn,
                    &s.official_id,
                    s.start_date,
                    ext.requested_end_date,
                    Some(&s.id),
                )?;
                let closed = close(
                    conn,
                    actor,
                    &ext,
                    "approved",
                    "extension.approved",
                    decision.decision_ref.as_deref(),
                )?;
                diesel::update(secondments::table.find(&s.id))
                    .set((
                        secondments::end_date.eq(ext.requested_end_date),
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
                    Some(snapshot(&s)),
                    Some(snapshot(&after)),
                )?;
                super::milestones::replan(conn, actor, &after, templates)?;
                // Reminders planned for the old end date no longer make
                // sense; the next tick plans those of the new one.
                crate::store::outbox::cancel_unsent(
                    conn,
                    &s.id,
                    Some("end_reminder"),
                    Some(s.end_date),
                )?;
                Ok((closed, after))
            }
        }
    })
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
