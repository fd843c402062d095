//! Persistence with diesel: one connection enum over SQLite and PostgreSQL,
//! an r2d2 pool, embedded migrations, and one file per aggregate.

/// Inserts many rows: PostgreSQL's binary `COPY FROM` (several times faster
/// than multi-row INSERTs), SQLite multi-row INSERTs in chunks that stay
/// under its bound-parameter limit. Rows must derive `Insertable` with
/// `treat_none_as_default_value = false`.
macro_rules! bulk_insert {
    ($conn:expr, $table:expr, $rows:expr, $chunk:expr) => {{
        let rows = $rows;
        match $conn {
            $crate::store::DbConnection::Pg(c) => {
                diesel::copy_from($table).from_insertable(rows).execute(c)
            }
            $crate::store::DbConnection::Sqlite(c) => {
                let mut n = 0;
                for chunk in rows.chunks($chunk) {
                    n += diesel::insert_into($table).values(chunk).execute(c)?;
                }
                Ok(n)
            }
        }
    }};
}
pub(crate) use bulk_insert;

pub mod approvals;
pub mod audit;
pub mod calendar;
mod connection;
pub mod delegations;
pub mod directory;
mod error;
pub mod extensions;
pub mod holidays;
pub mod leases;
pub mod merge;
pub mod milestones;
pub mod names;
pub mod nudge_checks;
pub mod official_import;
pub mod officials;
pub mod org_units;
pub mod outbox;
pub mod outcomes;
pub mod passwords;
pub mod population;
pub mod reference;
pub mod reminders;
pub mod reports;
pub mod schema;
pub mod secondment_changes;
pub mod secondment_details;
pub mod secondment_flow;
mod secondment_page;
pub mod secondment_tick;
pub mod secondments;
pub mod seed;
pub mod sessions;
pub mod users;

pub use connection::{
    all_or_nothing, planned_per_value, redact_url, Access, Backend, Database, DbConnection,
    DbTarget, UnitError,
};
pub use error::StoreError;

/// A fresh, time-ordered identifier (UUID v7), stored as TEXT.
///
/// Time ordering makes `ORDER BY id` follow insertion order, which keeps
/// keyset pagination stable under inserts.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

thread_local! {
    /// The time a story's events are recorded at (see [`story_clock`]).
    static STORY_CLOCK: std::cell::Cell<Option<chrono::NaiveDateTime>> =
        const { std::cell::Cell::new(None) };
}

/// Sets, on this thread only, the time that [`now_utc`] returns (`None`:
/// the real clock again). The demo tells a story that began in 2021: its
/// history must say when each step happened, not the day it was loaded.
/// Nothing else sets it; ids (UUID v7) keep the real clock.
pub fn story_clock(at: Option<chrono::NaiveDateTime>) {
    STORY_CLOCK.with(|c| c.set(at));
}

/// The current UTC time as stored in `TIMESTAMP` columns (microseconds, as
/// PostgreSQL keeps them, so that values read back compare equal).
pub fn now_utc() -> chrono::NaiveDateTime {
    if let Some(told) = STORY_CLOCK.with(std::cell::Cell::get) {
        return told;
    }
    let now = chrono::Utc::now().naive_utc();
    chrono::Timelike::with_nanosecond(&now, now.and_utc().timestamp_subsec_micros() * 1000)
        .unwrap_or(now)
}
