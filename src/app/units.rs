//! Units of work for the doors: each runs one application function on the
//! blocking pool as one unit, chosen at the call site. `write` is one real
//! transaction on both backends (`BEGIN IMMEDIATE` on SQLite), committed
//! when the function returns `Ok` and rolled back on any `AppError`, so a
//! refusal after a first write leaves nothing of it (decision 0046).
//! The doors that run on their own thread (the CLI, the demo) open the
//! database themselves and run their units on it with `write_now` /
//! `read_now`.

use super::AppError;
use crate::config::Settings;
use crate::store::Access;
/// The database the units are taken from, and the connection an
/// application function runs its unit on.
pub use crate::store::{Database, DbConnection};

/// One unit of work that writes.
pub async fn write<T, F>(db: &Database, f: F) -> Result<T, AppError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    db.unit_of(Access::Write, f).await
}

/// One unit of work that only reads, up to date (never the replica).
pub async fn read<T, F>(db: &Database, f: F) -> Result<T, AppError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    db.unit_of(Access::Read, f).await
}

/// Reads that may lag behind the last write by a moment (lists, reports,
/// exports): on the replica when one is configured.
pub async fn lagging<T, F>(db: &Database, f: F) -> Result<T, AppError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    db.unit_of(Access::Lagging, f).await
}

/// The database of `settings` with its migrations applied, for a door
/// that runs its units on its own thread (the CLI, the demo).
pub fn open(settings: &Settings) -> Result<Database, AppError> {
    Ok(Database::connect_and_migrate(&settings.database)?)
}

/// [`write`] on the calling thread, blocking it until the unit commits or
/// rolls back.
pub fn write_now<T>(
    db: &Database,
    f: impl FnOnce(&mut DbConnection) -> Result<T, AppError>,
) -> Result<T, AppError> {
    db.blocking_of(Access::Write, f)
}

/// [`read`] on the calling thread (a door already on a blocking thread,
/// as an export streaming its file page by page).
pub fn read_now<T>(
    db: &Database,
    f: impl FnOnce(&mut DbConnection) -> Result<T, AppError>,
) -> Result<T, AppError> {
    db.blocking_of(Access::Read, f)
}
