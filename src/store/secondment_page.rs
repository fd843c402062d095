//! The ids of one page of secondments, as an indexed keyset query.
//!
//! A page is "the first `limit` ids after the cursor, in id order, among
//! the rows that pass the filters". Written as one `WHERE`, a unit filter
//! (`host_unit_id IN (...)`) cannot use an index in id order: at 1,000,000
//! rows PostgreSQL either walks the primary key and filters, or collects
//! every match and sorts (docs/performance.md). So the page is split into
//! one arm per unit, each an ordered range of `(host_unit_id, id, ...)` or
//! `(home_unit_id, id, ...)` cut at `limit`, and the arms are merged in id
//! order (PostgreSQL: `Merge Append`): a page reads about `limit` index
//! entries plus one per unit, whatever the size of the table.
//!
//! The fragment is plain SQL with bound values, written the same for both
//! backends; diesel numbers the placeholders. It is a boolean expression
//! (`secondments.id IN (...)`) so that the caller's query stays a diesel
//! query selecting whole rows.

use chrono::NaiveDate;
use diesel::backend::Backend;
use diesel::expression::{is_aggregate, AppearsOnTable, Expression, ValidGrouping};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, Bool, Date, HasSqlType, Text};
use diesel::QueryResult;

use super::secondments::SecondmentFilter;
use crate::domain::official::{prefix_upper_bound, query_words};
use crate::domain::scope::Scope;
use crate::domain::user::Role;
use crate::domain::viewer::Viewer;

/// More arms than this and one filtered range is cheaper to plan and run.
const MAX_ARMS: usize = 64;

/// Most values a page may bind: each arm repeats the unit lists it still
/// checks, and SQLite refuses a statement with more than 32,766.
const MAX_BINDS: usize = 10_000;

/// A piece of the statement: SQL text or a bound value.
#[derive(Debug, Clone)]
enum Piece {
    Sql(String),
    Text(String),
    Date(NaiveDate),
    Int(i64),
}

/// `secondments.id IN (<the page's ids>)`, as a diesel filter.
#[derive(Debug, Clone)]
pub struct PageIds {
    pieces: Vec<Piece>,
}

/// Which indexed column an arm fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Home,
    Host,
}

impl Column {
    fn name(self) -> &'static str {
        match self {
            Column::Home => "home_unit_id",
            Column::Host => "host_unit_id",
        }
    }
}

/// One arm: a unit on an indexed column, and the scope check it still needs.
#[derive(Debug, Clone)]
struct Arm {
    fixed: Option<(Column, String)>,
    /// Rows must pass the viewer's unit scope (not implied by `fixed`).
    check_scope: bool,
    /// Rows must have a host outside the scope (home arms of a scope
    /// split, so that no row comes from two arms).
    host_outside_scope: bool,
}

impl PageIds {
    /// The page for `viewer` under `f`; `None` when nothing is visible.
    pub fn new(viewer: &Viewer, f: &SecondmentFilter) -> Option<Self> {
        let scope = match (viewer.role, &viewer.scope) {
            (Role::Admin, _) => None,
            (Role::HrOfficer | Role::Director, Scope::Units(units)) => Some(sorted(units)),
            (Role::Cadre, _) => None,
            _ => return None,
        };
        let cadre =
            (viewer.role == Role::Cadre).then(|| viewer.official_id.clone().unwrap_or_default());
        let arms = arms(scope.as_deref(), f, cadre.is_some());
        let mut b = Builder::default();
        b.sql("secondments.id IN (SELECT id FROM (");
        for (i, arm) in arms.iter().enumerate() {
            if i > 0 {
                b.sql(" UNION ALL ");
            }
            b.sql("SELECT id FROM (SELECT id FROM secondments WHERE 1 = 1");
            arm_filters(&mut b, arm, scope.as_deref(), cadre.as_deref(), f);
            b.sql(" ORDER BY id LIMIT ");
            b.int(f.limit);
            b.sql(&format!(") AS arm{i}"));
        }
        b.sql(") AS page ORDER BY id LIMIT ");
        b.int(f.limit);
        b.sql(")");
        Some(PageIds { pieces: b.pieces })
    }
}

fn sorted(units: &std::collections::HashSet<String>) -> Vec<String> {
    let mut v: Vec<String> = units.iter().cloned().collect();
    v.sort();
    v
}

/// The arms of a page: one per unit of the most selective unit set, or a
/// single unfixed arm.
fn arms(scope: Option<&[String]>, f: &SecondmentFilter, one_official: bool) -> Vec<Arm> {
    let in_scope = |u: &str| scope.is_none_or(|s| s.binary_search(&u.to_string()).is_ok());
    let fixed_on = |column: Column, units: &[String]| -> Vec<Arm> {
        units
            .iter()
            .map(|u| Arm {
                fixed: Some((column, u.clone())),
                check_scope: !in_scope(u),
                host_outside_scope: false,
            })
            .collect()
    };
    let single = || {
        vec![Arm {
            fixed: None,
            check_scope: scope.is_some(),
            host_outside_scope: false,
        }]
    };
    if one_official || f.official_id.is_some() {
        return single();
    }
    let split = match (&f.host_units, &f.home_units, scope) {
        (Some(host), _, _) => fixed_on(Column::Host, host),
        (None, Some(home), _) => fixed_on(Column::Home, home),
        (None, None, Some(scope)) => {
            // Host in scope, or home in scope with the host outside it.
            let mut arms = fixed_on(Column::Host, scope);
            arms.extend(scope.iter().map(|u| Arm {
                fixed: Some((Column::Home, u.clone())),
                check_scope: false,
                host_outside_scope: true,
            }));
            arms
        }
        (None, None, None) => return single(),
    };
    let lists = |arm: &Arm| {
        let scope_len = scope.map_or(0, <[String]>::len);
        let fixed = arm.fixed.as_ref().map(|(c, _)| *c);
        let unfixed = |units: &Option<Vec<String>>, column| match units {
            Some(u) if fixed != Some(column) => u.len(),
            _ => 0,
        };
        usize::from(arm.check_scope) * 2 * scope_len
            + usize::from(arm.host_outside_scope) * scope_len
            + unfixed(&f.home_units, Column::Home)
            + unfixed(&f.host_units, Column::Host)
    };
    let binds: usize = split.iter().map(lists).sum();
    if split.is_empty() || split.len() > MAX_ARMS || binds > MAX_BINDS {
        single()
    } else {
        split
    }
}

/// The `WHERE` of one arm after `1 = 1`.
fn arm_filters(
    b: &mut Builder,
    arm: &Arm,
    scope: Option<&[String]>,
    cadre: Option<&str>,
    f: &SecondmentFilter,
) {
    if let Some((column, unit)) = &arm.fixed {
        b.sql(&format!(" AND {} = ", column.name()));
        b.text(unit);
    }
    let fixed = arm.fixed.as_ref().map(|(c, _)| *c);
    if let Some(scope) = scope {
        if arm.check_scope {
            b.sql(" AND (");
            b.in_list("home_unit_id", scope);
            b.sql(" OR ");
            b.in_list("host_unit_id", scope);
            b.sql(")");
        }
        if arm.host_outside_scope {
            b.sql(" AND NOT ");
            b.in_list("host_unit_id", scope);
        }
    }
    if let Some(official) = cadre {
        b.sql(" AND official_id = ");
        b.text(official);
    }
    if let Some(s) = &f.status {
        b.sql(" AND status = ");
        b.text(s);
    }
    if let Some(o) = &f.official_id {
        b.sql(" AND official_id = ");
        b.text(o);
    }
    if let (Some(units), true) = (&f.home_units, fixed != Some(Column::Home)) {
        b.sql(" AND ");
        b.in_list("home_unit_id", units);
    }
    if let (Some(units), true) = (&f.host_units, fixed != Some(Column::Host)) {
        b.sql(" AND ");
        b.in_list("host_unit_id", units);
    }
    if let Some(day) = f.active_on {
        b.sql(" AND start_date <= ");
        b.date(day);
        b.sql(" AND end_date >= ");
        b.date(day);
    }
    if let Some(day) = f.ending_after {
        b.sql(" AND end_date >= ");
        b.date(day);
    }
    if let Some(day) = f.ending_before {
        b.sql(" AND end_date <= ");
        b.date(day);
    }
    for word in f.q.as_deref().map(query_words).unwrap_or_default() {
        b.sql(" AND official_id IN (SELECT official_id FROM official_search_terms WHERE term >= ");
        b.text(&word);
        b.sql(" AND term < ");
        b.text(&prefix_upper_bound(&word));
        b.sql(")");
    }
    if let Some(after) = &f.after {
        b.sql(" AND id > ");
        b.text(after);
    }
}

#[derive(Default)]
struct Builder {
    pieces: Vec<Piece>,
}

impl Builder {
    fn sql(&mut self, s: &str) {
        match self.pieces.last_mut() {
            Some(Piece::Sql(last)) => last.push_str(s),
            _ => self.pieces.push(Piece::Sql(s.to_string())),
        }
    }
    fn text(&mut self, v: &str) {
        self.pieces.push(Piece::Text(v.to_string()));
    }
    fn date(&mut self, v: NaiveDate) {
        self.pieces.push(Piece::Date(v));
    }
    fn int(&mut self, v: i64) {
        self.pieces.push(Piece::Int(v));
    }
    /// `column IN (...)`; an empty set matches nothing.
    fn in_list(&mut self, column: &str, values: &[String]) {
        if values.is_empty() {
            self.sql("1 = 0");
            return;
        }
        self.sql(&format!("{column} IN ("));
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.sql(", ");
            }
            self.text(v);
        }
        self.sql(")");
    }
}

impl Expression for PageIds {
    type SqlType = Bool;
}

impl<QS> AppearsOnTable<QS> for PageIds {}

impl ValidGrouping<()> for PageIds {
    type IsAggregate = is_aggregate::Never;
}

impl QueryId for PageIds {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<DB> QueryFragment<DB> for PageIds
where
    DB: Backend + HasSqlType<Text> + HasSqlType<Date> + HasSqlType<BigInt>,
    String: ToSql<Text, DB>,
    NaiveDate: ToSql<Date, DB>,
    i64: ToSql<BigInt, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        for piece in &self.pieces {
            match piece {
                Piece::Sql(s) => out.push_sql(s),
                Piece::Text(v) => out.push_bind_param::<Text, String>(v)?,
                Piece::Date(v) => out.push_bind_param::<Date, NaiveDate>(v)?,
                Piece::Int(v) => out.push_bind_param::<BigInt, i64>(v)?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter() -> SecondmentFilter {
        SecondmentFilter {
            limit: 51,
            ..SecondmentFilter::default()
        }
    }

    fn units(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_host_filter_inside_the_scope_needs_no_scope_check() {
        let f = SecondmentFilter {
            host_units: Some(units(&["a", "x"])),
            ..filter()
        };
        let arms = arms(Some(&units(&["a", "b"])), &f, false);
        assert_eq!(arms.len(), 2);
        assert!(!arms[0].check_scope, "a is in scope");
        assert!(arms[1].check_scope, "x is not");
    }

    #[test]
    fn a_scope_alone_splits_into_host_arms_and_home_arms_that_do_not_overlap() {
        let arms = arms(Some(&units(&["a", "b"])), &filter(), false);
        assert_eq!(arms.len(), 4);
        assert!(arms[..2].iter().all(|a| !a.host_outside_scope));
        assert!(arms[2..].iter().all(|a| a.host_outside_scope));
    }

    #[test]
    fn arms_that_would_bind_too_many_values_are_one_range() {
        let scope: Vec<String> = (0..400).map(|i| format!("s{i:03}")).collect();
        let outside: Vec<String> = (0..60).map(|i| format!("x{i:03}")).collect();
        let f = SecondmentFilter {
            host_units: Some(outside),
            ..filter()
        };
        let arms = arms(Some(&scope), &f, false);
        assert_eq!(arms.len(), 1, "60 arms x 800 scope values is too many");
        assert!(arms[0].fixed.is_none());
    }

    #[test]
    fn one_official_or_too_many_units_is_one_range() {
        let f = SecondmentFilter {
            official_id: Some("o".into()),
            ..filter()
        };
        assert_eq!(arms(Some(&units(&["a"])), &f, false).len(), 1);
        let many: Vec<String> = (0..=MAX_ARMS).map(|i| format!("u{i:03}")).collect();
        let f = SecondmentFilter {
            host_units: Some(many),
            ..filter()
        };
        let arms = arms(None, &f, false);
        assert_eq!(arms.len(), 1);
        assert!(arms[0].fixed.is_none());
    }
}
