//! What the CSV and XLSX exports of the lists hold: their columns (in
//! docs/api.md) and how each reads a page of rows.

use std::sync::Arc;

use super::export::{self, Cell, Column};
use super::secondments::named_rows;
use crate::auth::permissions::Viewer;
use crate::store::names::Wanted;
use crate::store::officials::{self, OfficialFilter};
use crate::store::secondments::{self, SecondmentFilter};

/// A column: its header and width in characters.
const fn col(name: &'static str, width: f64) -> Column {
    Column { name, width }
}

/// The columns of the CSV and XLSX export (documented in docs/api.md).
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

/// Pages of the filtered list as export rows, names included.
pub fn secondments(viewer: Viewer, filter: SecondmentFilter) -> export::Fetch {
    Arc::new(move |conn, after, limit| {
        let page = SecondmentFilter {
            after,
            limit,
            ..filter.clone()
        };
        let rows = secondments::list(conn, &viewer, &page)?;
        Ok(named_rows(conn, rows)?
            .into_iter()
            .map(|(id, s)| {
                let cells = vec![
                    Cell::text(s.id),
                    Cell::text(s.kind.as_str()),
                    Cell::text(s.status.as_str()),
                    Cell::text(s.direction.as_str()),
                    Cell::text(s.official.staff_code),
                    Cell::text(s.official.full_name),
                    Cell::text(s.home_unit.code),
                    Cell::text(s.home_unit.name),
                    Cell::text(s.host_unit.code),
                    Cell::text(s.host_unit.name),
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
                (id, cells)
            })
            .collect())
    })
}

/// The columns of the officials export.
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

/// Pages of the filtered registry as export rows, home units named.
pub fn officials(filter: OfficialFilter) -> export::Fetch {
    Arc::new(move |conn, after, limit| {
        let page = OfficialFilter {
            after,
            limit,
            ..filter.clone()
        };
        let rows = officials::list(conn, &page)?;
        let mut wanted = Wanted::default();
        for r in &rows {
            wanted.unit(&r.home_unit_id);
        }
        let names = wanted.load(conn)?;
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
                (r.id, cells)
            })
            .collect())
    })
}
