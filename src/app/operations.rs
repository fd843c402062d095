//! What the operators' endpoints read: the outbox by status and the
//! holidays loaded, for `/metrics`.

use super::AppError;
use crate::store::{holidays, outbox, DbConnection};

/// How many emails the outbox holds in each status.
pub fn emails_by_status(tx: &mut DbConnection) -> Result<Vec<(String, i64)>, AppError> {
    Ok(outbox::count_by_status(tx)?)
}

/// How many public holidays are loaded for `year` and for the year after.
pub fn holidays_loaded(tx: &mut DbConnection, year: i32) -> Result<(i64, i64), AppError> {
    Ok((
        holidays::count_in_year(tx, year)?,
        holidays::count_in_year(tx, year + 1)?,
    ))
}
