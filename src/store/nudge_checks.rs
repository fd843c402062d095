//! What the daily tick remembers of its approval nudges: for each waiting
//! request, a fingerprint of who was due a nudge about it (the undecided
//! sides, their directors, the escalation and its directors), written once
//! all those nudges are in the outbox. A request whose fingerprint is the
//! same the next day has nothing new to nudge and is not checked again; a
//! decision, a new director, a disabled one or the escalation day changes
//! the fingerprint, and the request is checked key by key as before.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::store::schema::nudge_checks;
use crate::store::{DbConnection, StoreError};

/// Requests per statement.
const CHUNK: usize = 500;

/// What the tick settled, written after its emails.
#[derive(Default)]
pub struct Settled {
    /// (request, fingerprint) whose nudges are all planned.
    pub settled: Vec<(String, String)>,
    /// Requests no longer waiting: their rows go.
    pub gone: Vec<String>,
}

/// Every request's fingerprint as last settled.
pub fn load(conn: &mut DbConnection) -> Result<HashMap<String, String>, StoreError> {
    Ok(nudge_checks::table
        .select((nudge_checks::request_id, nudge_checks::signature))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect())
}

#[derive(Insertable)]
#[diesel(table_name = nudge_checks, treat_none_as_default_value = false)]
struct Row<'a> {
    request_id: &'a str,
    signature: &'a str,
}

/// Records what a tick settled, once its emails are written.
pub fn write(conn: &mut DbConnection, s: &Settled) -> Result<(), StoreError> {
    conn.transaction::<_, StoreError, _>(|conn| {
        let ids = s.settled.iter().map(|(id, _)| id).chain(&s.gone);
        forget(conn, &ids.cloned().collect::<Vec<_>>())?;
        let rows: Vec<Row> = s
            .settled
            .iter()
            .map(|(request_id, signature)| Row {
                request_id,
                signature,
            })
            .collect();
        crate::store::bulk_insert!(&mut *conn, nudge_checks::table, &rows, 1000)?;
        Ok(())
    })
}

/// Drops what is remembered of these requests: the next tick checks their
/// nudges key by key.
fn forget(conn: &mut DbConnection, requests: &[String]) -> Result<(), StoreError> {
    for chunk in requests.chunks(CHUNK) {
        diesel::delete(nudge_checks::table.filter(nudge_checks::request_id.eq_any(chunk)))
            .execute(conn)?;
    }
    Ok(())
}

/// After reminder keys were released (an email cancelled with others in
/// it), the requests whose nudges were among them are checked again.
pub fn released(conn: &mut DbConnection, keys: &[String]) -> Result<(), StoreError> {
    let requests: Vec<String> = keys
        .iter()
        .filter_map(|k| request_of_key(k))
        .map(str::to_string)
        .collect();
    forget(conn, &requests)
}

/// The request a nudge's key is about (`nudge:<request>:<side>:<email>`
/// or `escalate:...`); `None` for other reminders.
pub fn request_of_key(key: &str) -> Option<&str> {
    let mut parts = key.splitn(3, ':');
    match parts.next() {
        Some("nudge" | "escalate") => parts.next(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nudge_key_names_its_request() {
        assert_eq!(request_of_key("nudge:r1:home:a@b.vn"), Some("r1"));
        assert_eq!(request_of_key("escalate:r2:host:a@b.vn"), Some("r2"));
        assert_eq!(request_of_key("end:s1:2026-01-01:30:a@b.vn"), None);
    }
}
