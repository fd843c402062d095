//! The append-only audit log. Rows are only ever inserted; the database
//! refuses updates and deletes with triggers (see the first migration).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::schema::{audit_events, officials, secondments, users};
use super::{now_utc, DbConnection, StoreError};

pub use crate::domain::actor::Actor;

#[derive(Insertable)]
#[diesel(table_name = audit_events, treat_none_as_default_value = false)]
struct NewAuditEvent<'a> {
    occurred_at: NaiveDateTime,
    actor_id: Option<&'a str>,
    request_id: Option<&'a str>,
    action: &'a str,
    entity_type: &'a str,
    entity_id: &'a str,
    before_json: Option<String>,
    after_json: Option<String>,
    secondment_id: Option<&'a str>,
}

/// One stored audit row.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = audit_events)]
pub struct AuditEvent {
    /// Monotonic sequence number.
    pub id: i64,
    /// When (UTC).
    pub occurred_at: NaiveDateTime,
    /// Who (user id), `None` for the system.
    pub actor_id: Option<String>,
    /// The request that caused it.
    pub request_id: Option<String>,
    /// What happened, e.g. `user.created`.
    pub action: String,
    /// The kind of record changed.
    pub entity_type: String,
    /// Its id.
    pub entity_id: String,
    /// JSON of the record before, when it existed.
    pub before_json: Option<String>,
    /// JSON of the record after, when it still exists.
    pub after_json: Option<String>,
    /// The secondment whose history this event belongs to.
    pub secondment_id: Option<String>,
}

/// Appends one event. Call inside the transaction that makes the change;
/// `before` and `after` are JSON snapshots of the record.
pub fn record(
    conn: &mut DbConnection,
    actor: &Actor,
    action: &str,
    entity_type: &str,
    entity_id: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<(), StoreError> {
    record_in(
        conn,
        actor,
        None,
        action,
        entity_type,
        entity_id,
        before,
        after,
    )
}

/// Like `record`, for an event that belongs to a secondment's history.
#[allow(clippy::too_many_arguments)]
pub fn record_in(
    conn: &mut DbConnection,
    actor: &Actor,
    secondment_id: Option<&str>,
    action: &str,
    entity_type: &str,
    entity_id: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<(), StoreError> {
    let row = NewAuditEvent {
        secondment_id,
        occurred_at: now_utc(),
        actor_id: actor.user_id.as_deref(),
        request_id: actor.request_id.as_deref(),
        action,
        entity_type,
        entity_id,
        before_json: before.map(|v| v.to_string()),
        after_json: after.map(|v| v.to_string()),
    };
    diesel::insert_into(audit_events::table)
        .values(&row)
        .execute(conn)?;
    Ok(())
}

/// Audit list filters and page window.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only this kind of record.
    pub entity_type: Option<String>,
    /// Only this record.
    pub entity_id: Option<String>,
    /// Only changes by this user.
    pub actor_id: Option<String>,
    /// Only events at or after this time (UTC).
    pub from: Option<NaiveDateTime>,
    /// Only events before this time (UTC).
    pub until: Option<NaiveDateTime>,
    /// Only events about records in these units (HR officers): a
    /// secondment with its home or host unit among them (and everything in
    /// its history), an official whose home unit is, a user who belongs to
    /// one, or one of the units itself. `None` is everything.
    pub about_units: Option<Vec<String>>,
    /// Only events after this sequence number.
    pub after: Option<i64>,
    /// Rows to fetch.
    pub limit: i64,
}

/// A page of events, oldest first.
pub fn list(conn: &mut DbConnection, f: &AuditFilter) -> Result<Vec<AuditEvent>, StoreError> {
    let mut query = audit_events::table
        .select(AuditEvent::as_select())
        .into_boxed();
    if let Some(t) = &f.entity_type {
        query = query.filter(audit_events::entity_type.eq(t.clone()));
    }
    if let Some(id) = &f.entity_id {
        query = query.filter(audit_events::entity_id.eq(id.clone()));
    }
    if let Some(a) = &f.actor_id {
        query = query.filter(audit_events::actor_id.eq(a.clone()));
    }
    if let Some(from) = f.from {
        query = query.filter(audit_events::occurred_at.ge(from));
    }
    if let Some(until) = f.until {
        query = query.filter(audit_events::occurred_at.lt(until));
    }
    if let Some(units) = &f.about_units {
        let postings = secondments::table
            .filter(
                secondments::home_unit_id
                    .eq_any(units.clone())
                    .or(secondments::host_unit_id.eq_any(units.clone())),
            )
            .select(secondments::id.nullable());
        let officials_in = officials::table
            .filter(officials::home_unit_id.eq_any(units.clone()))
            .select(officials::id);
        let users_in = users::table
            .filter(users::org_unit_id.eq_any(units.clone()))
            .select(users::id);
        query = query.filter(
            audit_events::secondment_id
                .eq_any(postings)
                .or(audit_events::entity_type
                    .eq("official")
                    .and(audit_events::entity_id.eq_any(officials_in)))
                .or(audit_events::entity_type
                    .eq("user")
                    .and(audit_events::entity_id.eq_any(users_in)))
                .or(audit_events::entity_type
                    .eq("org_unit")
                    .and(audit_events::entity_id.eq_any(units.clone()))),
        );
    }
    if let Some(after) = f.after {
        query = query.filter(audit_events::id.gt(after));
    }
    Ok(query
        .order(audit_events::id.asc())
        .limit(f.limit)
        .load(conn)?)
}

/// One event of a batch (see `record_many`).
#[derive(Debug, Clone)]
pub struct PendingEvent {
    /// What happened.
    pub action: &'static str,
    /// Kind of record.
    pub entity_type: &'static str,
    /// Record id.
    pub entity_id: String,
    /// Before snapshot.
    pub before: Option<serde_json::Value>,
    /// After snapshot.
    pub after: Option<serde_json::Value>,
    /// The secondment whose history it belongs to.
    pub secondment_id: Option<String>,
}

/// Appends many events with multi-row inserts (bulk imports).
pub fn record_many(
    conn: &mut DbConnection,
    actor: &Actor,
    events: &[PendingEvent],
) -> Result<(), StoreError> {
    let now = now_utc();
    let rows: Vec<NewAuditEvent<'_>> = events
        .iter()
        .map(|e| NewAuditEvent {
            occurred_at: now,
            actor_id: actor.user_id.as_deref(),
            request_id: actor.request_id.as_deref(),
            action: e.action,
            entity_type: e.entity_type,
            entity_id: &e.entity_id,
            before_json: e.before.as_ref().map(|v| v.to_string()),
            after_json: e.after.as_ref().map(|v| v.to_string()),
            secondment_id: e.secondment_id.as_deref(),
        })
        .collect();
    bulk_insert!(&mut *conn, audit_events::table, &rows, 2000)?;
    Ok(())
}

/// The history of one secondment, oldest first.
pub fn history(
    conn: &mut DbConnection,
    secondment_id: &str,
    after_id: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditEvent>, StoreError> {
    Ok(audit_events::table
        .filter(audit_events::secondment_id.eq(secondment_id))
        .filter(audit_events::id.gt(after_id.unwrap_or(0)))
        .order(audit_events::id.asc())
        .limit(limit)
        .select(AuditEvent::as_select())
        .load(conn)?)
}
