//! Persistence with diesel: one connection enum over SQLite and PostgreSQL,
//! an r2d2 pool, embedded migrations, and one file per aggregate.

/// Runs the same diesel expression on the inner connection of either
/// backend, for what `MultiConnection` cannot express (multi-row inserts).
/// The inner connection is the same session, so an open transaction holds.
macro_rules! per_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::store::DbConnection::Pg($c) => $body,
            $crate::store::DbConnection::Sqlite($c) => $body,
        }
    };
}

pub mod audit;
mod connection;
mod error;
pub mod merge;
pub mod official_import;
pub mod officials;
pub mod org_units;
pub mod reference;
pub mod schema;
pub mod sessions;
pub mod users;

pub use connection::{redact_url, Backend, Database, DbConnection, DbTarget};
pub use error::StoreError;

/// A fresh, time-ordered identifier (UUID v7), stored as TEXT.
///
/// Time ordering makes `ORDER BY id` follow insertion order, which keeps
/// keyset pagination stable under inserts.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The current UTC time as stored in `TIMESTAMP` columns (microseconds, as
/// PostgreSQL keeps them, so that values read back compare equal).
pub fn now_utc() -> chrono::NaiveDateTime {
    let now = chrono::Utc::now().naive_utc();
    chrono::Timelike::with_nanosecond(&now, now.and_utc().timestamp_subsec_micros() * 1000)
        .unwrap_or(now)
}
