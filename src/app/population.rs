//! How many of the records people enter a database holds: the demo tells
//! its story only into a database without any.

use super::AppError;
pub use crate::store::population::Population;
use crate::store::{population, DbConnection};

/// Counts the users, units, officials and secondments.
pub fn count(tx: &mut DbConnection) -> Result<Population, AppError> {
    Ok(population::count(tx)?)
}
