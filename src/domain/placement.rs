//! Where a posting goes: the two units it names must be current, exist on
//! its first day and differ (SPEC 2), and its direction follows the trees
//! the units belong to. Pure: the units' facts are handed in.

use chrono::NaiveDate;

use super::org_unit::UnitKind;
use super::secondment::{Tree, Violation};

/// What the rules need to know of a unit a posting names.
#[derive(Debug, Clone, Copy)]
pub struct UnitFacts<'a> {
    /// The request field naming it: `home_unit_id` or `host_unit_id`.
    pub field: &'static str,
    /// Its code, to name it in a message.
    pub code: &'a str,
    /// Its first day.
    pub valid_from: NaiveDate,
    /// Merged away or closed (it has a last day).
    pub closed: bool,
}

/// Every unit rule the posting from `start_date` between `home` and
/// `host` breaks, home first: a closed unit, a unit that does not exist
/// yet on the first day, the same unit on both sides.
pub fn unit_violations(
    home: UnitFacts<'_>,
    host: UnitFacts<'_>,
    same_unit: bool,
    start_date: NaiveDate,
) -> Vec<Violation> {
    let mut broken = Vec::new();
    for u in [home, host] {
        let field = u.field;
        if u.closed {
            broken.push(rule_at(
                field,
                "units_current",
                format!(
                    "{field} names a unit that was merged away or closed ({})",
                    u.code
                ),
            ));
        } else if start_date < u.valid_from {
            broken.push(rule_at(
                "start_date",
                "dates_within_unit_validity",
                format!(
                    "the secondment starts on {start_date} but {} ({field}) exists only from {}",
                    u.code, u.valid_from
                ),
            ));
        }
    }
    if same_unit {
        broken.push(rule_at(
            "host_unit_id",
            "units_differ",
            "the host unit must differ from the home unit".into(),
        ));
    }
    broken
}

/// A broken rule about one field of the request.
pub(crate) fn rule_at(field: &'static str, rule: &'static str, message: String) -> Violation {
    Violation {
        rule,
        message,
        field: Some(field),
        latest_end_date: None,
    }
}

impl Tree {
    /// The tree a unit of `kind` roots: ministries and their departments
    /// are central, provinces with their departments and communes local;
    /// another kind belongs to its parent's tree.
    pub fn of_kind(kind: UnitKind) -> Option<Tree> {
        match kind {
            UnitKind::Ministry | UnitKind::MinistryDepartment => Some(Tree::Central),
            UnitKind::Province | UnitKind::ProvincialDepartment | UnitKind::Commune => {
                Some(Tree::Local)
            }
            UnitKind::Other => None,
        }
    }

    /// The tree of a unit from the kinds of the unit and its ancestors,
    /// nearest first: the first kind that roots a tree.
    pub fn of_chain(kinds: impl IntoIterator<Item = UnitKind>) -> Tree {
        kinds
            .into_iter()
            .find_map(Tree::of_kind)
            .unwrap_or(Tree::Other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn unit(field: &'static str, code: &'static str) -> UnitFacts<'static> {
        UnitFacts {
            field,
            code,
            valid_from: d("2020-01-01"),
            closed: false,
        }
    }

    fn rules(v: &[Violation]) -> Vec<(&str, Option<&str>)> {
        v.iter().map(|v| (v.rule, v.field)).collect()
    }

    #[test]
    fn current_distinct_units_existing_on_the_first_day_break_nothing() {
        let home = unit("home_unit_id", "H");
        let host = unit("host_unit_id", "T");
        assert!(unit_violations(home, host, false, d("2020-01-01")).is_empty());
    }

    #[test]
    fn every_unit_rule_is_told_at_once_home_first() {
        let home = UnitFacts {
            closed: true,
            ..unit("home_unit_id", "H")
        };
        let host = UnitFacts {
            valid_from: d("2025-07-01"),
            ..unit("host_unit_id", "T")
        };
        let broken = unit_violations(home, host, true, d("2025-06-30"));
        assert_eq!(
            rules(&broken),
            [
                ("units_current", Some("home_unit_id")),
                ("dates_within_unit_validity", Some("start_date")),
                ("units_differ", Some("host_unit_id")),
            ]
        );
        assert!(broken[0].message.contains("(H)"));
        assert!(
            broken[1].message.contains("2025-07-01"),
            "{}",
            broken[1].message
        );
    }

    #[test]
    fn a_closed_unit_is_not_also_told_as_not_yet_existing() {
        let host = UnitFacts {
            closed: true,
            valid_from: d("2030-01-01"),
            ..unit("host_unit_id", "T")
        };
        let broken = unit_violations(unit("home_unit_id", "H"), host, false, d("2025-01-01"));
        assert_eq!(rules(&broken), [("units_current", Some("host_unit_id"))]);
    }

    #[test]
    fn the_nearest_kind_that_roots_a_tree_decides() {
        use UnitKind::*;
        assert_eq!(
            Tree::of_chain([MinistryDepartment, Ministry]),
            Tree::Central
        );
        assert_eq!(Tree::of_chain([Other, Commune, Province]), Tree::Local);
        assert_eq!(Tree::of_chain([Other, Other]), Tree::Other);
        assert_eq!(Tree::of_chain([]), Tree::Other);
    }
}
