//! The daily tick's state changes, which no caller asks for: the service
//! itself moves postings by the calendar. The scheduler runs them for
//! today; the demo for the past days its story crosses.

use chrono::NaiveDate;

use super::posting::typed;
use super::{AppError, Clash, Refusal};
pub use crate::domain::tick::TickSummary;
use crate::store::secondment_flow;
use crate::store::DbConnection;

/// The state part of the daily tick for `today`, as the system: approved
/// postings whose start date has come become active; active ones whose
/// end date is before today complete on their end date, and a pending
/// extension of theirs lapses; planned milestones past due are missed.
/// Running it twice for a day changes nothing.
pub fn transitions(tx: &mut DbConnection, today: NaiveDate) -> Result<TickSummary, AppError> {
    // The tick refuses nothing on a caller's behalf: its only refusal is a
    // posting that another unit moved first (409), which the next run
    // repeats.
    secondment_flow::tick(tx, today).map_err(|e| typed(e, Refusal::Role, Clash::AlreadyDone))
}
