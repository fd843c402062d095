//! What the CSV and XLSX files of the lists hold: their columns (in
//! docs/api.md) and how each reads a page of rows, with names. Writing a
//! file (CSV or XLSX) and answering with it are the door's: this module
//! only says what the rows are, so a file never holds what the JSON list
//! would not show.

use std::sync::Arc;

use chrono::NaiveDate;

use super::AppError;
use crate::auth::permissions::Viewer;
use crate::store::names::Wanted;
use crate::store::officials::{self, OfficialFilter};
use crate::store::secondments::{self, SecondmentFilter};
use crate::store::DbConnection;

/// One cell.
#[derive(Debug, Clone)]
pub enum Cell {
    /// Text (empty when absent).
    Text(Option<String>),
    /// A date (`YYYY-MM-DD` in CSV, a date cell in XLSX).
    Day(Option<NaiveDate>),
    /// Yes or no (`true`/`false` in CSV, a boolean cell in XLSX).
    Flag(bool),
}

impl Cell {
    /// A text cell.
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(Some(s.into()))
    }
}

/// A column: its header and its width in XLSX (characters).
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The header, `snake_case` like the JSON fields.
    pub name: &'static str,
    /// Width in characters.
    pub width: f64,
}

/// One row of a file: the key of the record it shows (pages continue
/// after it) and its cells, one per column.
#[derive(Debug, Clone)]
pub struct Row {
    /// The record's key in the list's order.
    pub key: String,
    /// The cells, in the order of the columns.
    pub cells: Vec<Cell>,
}

/// Reads one page of at most `limit` rows after the key (`None`: from the
/// start), in key order; each page is its own unit of work, so no
/// connection is held while the client reads.
pub type Fetch =
    Arc<dyn Fn(&mut DbConnection, Option<String>, i64) -> Result<Vec<Row>, AppError> + Send + Sync>;

/// A column: its header and width in characters.
const fn col(name: &'static str, width: f64) -> Column {
    Column { name, width }
}

/// The columns of the secondments' file (documented in docs/api.md).
pub const SECONDMENTS: &[Column] = &[
    col("id", 38.0),
    col("kind", 12.0),
    col("status", 18.0),
    col("direction", 18.0),
    col("official_staff_code", 16.0),
    col("official_full_name", 28.0),
    col("home_unit_code", 16.0),
    col("home_unit_name", 40.0),
    col("host_unit_code", 16.0),
    col("host_unit_name", 40.0),
    col("position_title", 32.0),
    col("ground", 16.0),
    col("start_date", 12.0),
    col("end_date", 12.0),
    col("original_end_date", 12.0),
    col("actual_end_date", 12.0),
    col("agreement_ref", 24.0),
    col("decision_ref", 24.0),
    col("exception_ref", 24.0),
];

/// Pages of the secondments `viewer` may see, filtered as the list is, as
/// rows with the official and the units named.
pub fn secondments(viewer: Viewer, filter: SecondmentFilter) -> Fetch {
    Arc::new(move |tx, after, limit| {
        let page = SecondmentFilter {
            after,
            limit,
            ..filter.clone()
        };
        let rows = secondments::list(tx, &viewer, &page)?;
        let mut wanted = Wanted::default();
        for r in &rows {
            wanted
                .official(&r.official_id)
                .unit(&r.home_unit_id)
                .unit(&r.host_unit_id);
        }
        let names = wanted.load(tx)?;
        Ok(rows
            .into_iter()
            .map(|s| {
                let official = names.official(&s.official_id);
                let (home, host) = (names.unit(&s.home_unit_id), names.unit(&s.host_unit_id));
                let cells = vec![
                    Cell::text(s.id.clone()),
                    Cell::text(s.kind.as_str()),
                    Cell::text(s.status.as_str()),
                    Cell::text(s.direction.as_str()),
                    Cell::text(official.staff_code),
                    Cell::text(official.full_name),
                    Cell::text(home.code),
                    Cell::text(home.name),
                    Cell::text(host.code),
                    Cell::text(host.name),
                    Cell::text(s.position_title),
                    Cell::text(s.ground.as_str()),
                    Cell::Day(Some(s.start_date)),
                    Cell::Day(Some(s.end_date)),
                    Cell::Day(Some(s.original_end_date)),
                    Cell::Day(s.actual_end_date),
                    Cell::Text(s.agreement_ref),
                    Cell::Text(s.decision_ref),
                    Cell::Text(s.exception_ref),
                ];
                Row { key: s.id, cells }
            })
            .collect())
    })
}

/// The columns of the officials' file.
pub const OFFICIALS: &[Column] = &[
    col("id", 38.0),
    col("staff_code", 16.0),
    col("full_name", 28.0),
    col("email", 32.0),
    col("home_unit_code", 16.0),
    col("home_unit_name", 40.0),
    col("position", 28.0),
    col("rank", 24.0),
    col("date_of_birth", 12.0),
    col("language", 10.0),
    col("in_succession_plan", 10.0),
    col("retirement_date", 12.0),
    col("active", 8.0),
];

/// Pages of the registry, filtered as the list is, as rows with the home
/// units named.
pub fn officials(filter: OfficialFilter) -> Fetch {
    Arc::new(move |tx, after, limit| {
        let page = OfficialFilter {
            after,
            limit,
            ..filter.clone()
        };
        let rows = officials::list(tx, &page)?;
        let mut wanted = Wanted::default();
        for r in &rows {
            wanted.unit(&r.home_unit_id);
        }
        let names = wanted.load(tx)?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let unit = names.unit(&r.home_unit_id);
                let cells = vec![
                    Cell::text(r.id.clone()),
                    Cell::text(r.staff_code),
                    Cell::text(r.full_name),
                    Cell::text(r.email),
                    Cell::text(unit.code),
                    Cell::text(unit.name),
                    Cell::Text(r.position),
                    Cell::Text(r.rank),
                    Cell::Day(r.date_of_birth),
                    Cell::text(r.language.as_str()),
                    Cell::Flag(r.in_succession_plan),
                    Cell::Day(r.retirement_date),
                    Cell::Flag(r.active),
                ];
                Row { key: r.id, cells }
            })
            .collect())
    })
}
