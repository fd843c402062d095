//! The dispatcher's side of the outbox: claiming due emails under a lease
//! and recording each send's result.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::EmailRow;
use crate::store::schema::emails;
use crate::store::{now_utc, DbConnection, StoreError};

/// Reserves up to `batch` due emails for this dispatcher for `lease`.
/// PostgreSQL: `FOR UPDATE SKIP LOCKED`, so concurrent dispatchers take
/// disjoint rows. SQLite (one writer): a conditional update per row.
pub fn claim(
    conn: &mut DbConnection,
    batch: i64,
    lease: Duration,
) -> Result<Vec<EmailRow>, StoreError> {
    let now = now_utc();
    let due = emails::status
        .eq_any(["pending", "failed"])
        .and(emails::next_attempt_at.le(now))
        .or(emails::status
            .eq("sending")
            .and(emails::lease_until.lt(now)));
    conn.transaction(|conn| {
        // On SQLite this runs in the writer's IMMEDIATE transaction, which
        // holds the write lock already.
        let ids: Vec<String> = match conn {
            DbConnection::Pg(pg) => emails::table
                .filter(due.clone())
                .order(emails::next_attempt_at.asc())
                .limit(batch)
                .select(emails::id)
                .for_update()
                .skip_locked()
                .load(pg)?,
            DbConnection::Sqlite(_) => emails::table
                .filter(due.clone())
                .order(emails::next_attempt_at.asc())
                .limit(batch)
                .select(emails::id)
                .load(conn)?,
        };
        let mut claimed = Vec::new();
        for id in ids {
            let n = diesel::update(emails::table.find(&id).filter(due.clone()))
                .set((
                    emails::status.eq("sending"),
                    emails::lease_until.eq(Some(now + lease)),
                    emails::updated_at.eq(now),
                ))
                .execute(conn)?;
            if n == 1 {
                claimed.push(
                    emails::table
                        .find(&id)
                        .select(EmailRow::as_select())
                        .first(conn)?,
                );
            }
        }
        Ok(claimed)
    })
}

/// Records a successful send.
pub fn mark_sent(conn: &mut DbConnection, id: &str) -> Result<(), StoreError> {
    let now = now_utc();
    diesel::update(emails::table.find(id))
        .set((
            emails::status.eq("sent"),
            emails::attempts.eq(emails::attempts + 1),
            emails::sent_at.eq(Some(now)),
            emails::lease_until.eq(None::<NaiveDateTime>),
            emails::last_error.eq(None::<String>),
            emails::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records a failure: retried after `retry_in`, or dead.
pub fn mark_failed(
    conn: &mut DbConnection,
    id: &str,
    error: &str,
    dead: bool,
    retry_in: Duration,
) -> Result<(), StoreError> {
    let now = now_utc();
    diesel::update(emails::table.find(id))
        .set((
            emails::status.eq(if dead { "dead" } else { "failed" }),
            emails::attempts.eq(emails::attempts + 1),
            emails::next_attempt_at.eq(now + retry_in),
            emails::lease_until.eq(None::<NaiveDateTime>),
            emails::last_error.eq(Some(error.chars().take(1000).collect::<String>())),
            emails::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}
