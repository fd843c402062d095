//! Persistence with diesel: one connection enum over SQLite and PostgreSQL,
//! an r2d2 pool, embedded migrations, and one file per aggregate.

pub mod audit;
mod connection;
mod error;
pub mod org_units;
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
