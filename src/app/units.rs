//! Units of work for the doors: each runs one application function on the
//! blocking pool as one unit, chosen at the call site. `write` is one real
//! transaction on both backends (`BEGIN IMMEDIATE` on SQLite), committed
//! when the function returns `Ok` and rolled back on any `AppError`, so a
//! refusal after a first write leaves nothing of it (decision 0046).

use super::AppError;
use crate::store::{Access, Database, DbConnection};

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

/// [`read`] on the calling thread, for a door already on a blocking
/// thread (an export streaming its file page by page).
pub fn read_on_this_thread<T>(
    db: &Database,
    f: impl FnOnce(&mut DbConnection) -> Result<T, AppError>,
) -> Result<T, AppError> {
    db.blocking_of(Access::Read, f)
}
