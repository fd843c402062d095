//! What the CSV and XLSX exports of the lists hold: their columns (in
//! docs/api.md) and how each reads a page of rows.

use std::sync::Arc;

use super::export::{self, Cell, Column};
use super::secondments::named_rows;
use crate::auth::permissions::Viewer;
use crate::store::names::Wanted;
use crate::store::officials::{self, OfficialFilter};
use crate::store::secondments::{self, SecondmentFilter};

/// The columns of the CSV and XLSX export (documented in docs/api.md).
pub const SECONDMENTS: &[Column] = &[
    Column {
        name: "id",
        width: 38.0,
    },
    Column {
        name: "kind",
        width: 12.0,
    },
    Column {
        name: "status",
        width: 18.0,
    },
    Column {
        name: "direction",
        width: 18.0,
    },
    Column {
        name: "official_staff_code",
        width: 16.0,
    },
    Column {
        name: "official_full_name",
        width: 28.0,
    },
    Column {
        name: "home_unit_code",
        width: 16.0,
    },
    Column {
        name: "home_unit_name",
        width: 40.0,
    },
    Column {
        name: "host_unit_code",
        width: 16.0,
    },
    Column {
        name: "host_unit_name",
        width: 40.0,
    },
    Column {
        name: "position_title",
        width: 32.0,
    },
    Column {
        name: "ground",
        width: 16.0,
    },
    Column {
        name: "start_date",
        width: 12.0,
    },
    Column {
        name: "end_date",
        width: 12.0,
    },
    Column {
        name: "original_end_date",
        width: 12.0,
    },
    Column {
        name: "actual_end_date",
        width: 12.0,
    },
    Column {
        name: "agreement_ref",
        width: 24.0,
    },
    Column {
        name: "decision_ref",
        width: 24.0,
    },
    Column {
        name: "exception_ref",
        width: 24.0,
    },
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
                    Cell::text(s.kind),
                    Cell::text(s.status),
                    Cell::text(s.direction),
                    Cell::text(s.official.staff_code),
                    Cell::text(s.official.full_name),
                    Cell::text(s.home_unit.code),
                    Cell::text(s.home_unit.name),
                    Cell::text(s.host_unit.code),
                    Cell::text(s.host_unit.name),
                    Cell::text(s.position_title),
                    Cell::text(s.ground),
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
    Column {
        name: "id",
        width: 38.0,
    },
    Column {
        name: "staff_code",
        width: 16.0,
    },
    Column {
        name: "full_name",
        width: 28.0,
    },
    Column {
        name: "email",
        width: 32.0,
    },
    Column {
        name: "home_unit_code",
        width: 16.0,
    },
    Column {
        name: "home_unit_name",
        width: 40.0,
    },
    Column {
        name: "position",
        width: 28.0,
    },
    Column {
        name: "rank",
        width: 24.0,
    },
    Column {
        name: "date_of_birth",
        width: 12.0,
    },
    Column {
        name: "language",
        width: 10.0,
    },
    Column {
        name: "in_succession_plan",
        width: 10.0,
    },
    Column {
        name: "retirement_date",
        width: 12.0,
    },
    Column {
        name: "active",
        width: 8.0,
    },
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
                    Cell::text(r.language),
                    Cell::Flag(r.in_succession_plan),
                    Cell::Day(r.retirement_date),
                    Cell::Flag(r.active),
                ];
                (r.id, cells)
            })
            .collect())
    })
}
