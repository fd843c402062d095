//! Reports: which statuses count as "in post", and how a host unit folds
//! into the current province it lies in. No IO: the store runs the
//! aggregate queries and hands the small grouped results here.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::secondment::Status;

/// Statuses of a posting that took or takes place: on a given day it is
/// "in post" when that day lies between its start and its (actual) end.
pub const IN_POST: [Status; 4] = [
    Status::Approved,
    Status::Active,
    Status::Completed,
    Status::Terminated,
];

/// Statuses of a posting that has not ended yet (counted as "ending
/// within" a window).
pub const NOT_ENDED: [Status; 2] = [Status::Approved, Status::Active];

/// The windows of the summary's "ending within" counts, in days.
pub const ENDING_WINDOWS: [u32; 2] = [30, 90];

/// The last day of a window of `days` days starting on `as_of` (inclusive).
pub fn window_end(as_of: NaiveDate, days: u32) -> NaiveDate {
    as_of
        .checked_add_days(chrono::Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}

/// What the fold needs of a unit.
#[derive(Debug, Clone)]
pub struct UnitLink {
    /// Parent unit.
    pub parent_id: Option<String>,
    /// Kind (stored form).
    pub kind: String,
    /// The unit it was merged into.
    pub successor_id: Option<String>,
}

/// The current province `unit` lies in: its nearest `province` ancestor
/// (itself included), then that province's successor while it was merged
/// away. `None` for units outside every province (ministries). Stops on a
/// cycle in bad data.
pub fn province_of(unit: &str, units: &HashMap<String, UnitLink>) -> Option<String> {
    let mut seen = HashSet::new();
    let mut current = unit.to_string();
    loop {
        if !seen.insert(current.clone()) {
            return None;
        }
        let link = units.get(&current)?;
        if link.kind == "province" {
            break;
        }
        current = link.parent_id.clone()?;
    }
    let mut seen = HashSet::new();
    while let Some(next) = units.get(&current).and_then(|l| l.successor_id.clone()) {
        if !seen.insert(current.clone()) {
            break;
        }
        current = next;
    }
    Some(current)
}

/// Adds up per-unit counts by current province; units outside every
/// province are left out. Sorted by count (largest first), then id.
pub fn by_province(
    per_unit: &[(String, i64)],
    units: &HashMap<String, UnitLink>,
) -> Vec<(String, i64)> {
    let mut totals: HashMap<String, i64> = HashMap::new();
    for (unit, n) in per_unit {
        if let Some(p) = province_of(unit, units) {
            *totals.entry(p).or_default() += n;
        }
    }
    let mut out: Vec<(String, i64)> = totals.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(parent: Option<&str>, kind: &str, successor: Option<&str>) -> UnitLink {
        UnitLink {
            parent_id: parent.map(str::to_string),
            kind: kind.to_string(),
            successor_id: successor.map(str::to_string),
        }
    }

    fn tree() -> HashMap<String, UnitLink> {
        HashMap::from([
            ("qb".into(), link(None, "province", Some("qt"))),
            ("qt".into(), link(None, "province", None)),
            (
                "qb-dept".into(),
                link(Some("qb"), "provincial_department", None),
            ),
            (
                "qt-dept".into(),
                link(Some("qt"), "provincial_department", None),
            ),
            ("qt-commune".into(), link(Some("qt-dept"), "commune", None)),
            ("ministry".into(), link(None, "ministry", None)),
            (
                "m-dept".into(),
                link(Some("ministry"), "ministry_department", None),
            ),
            ("loop".into(), link(Some("loop"), "other", None)),
        ])
    }

    #[test]
    fn a_department_of_a_merged_province_counts_for_its_successor() {
        let units = tree();
        assert_eq!(province_of("qb-dept", &units).as_deref(), Some("qt"));
        assert_eq!(province_of("qt-commune", &units).as_deref(), Some("qt"));
        assert_eq!(province_of("m-dept", &units), None);
        assert_eq!(province_of("loop", &units), None);
        assert_eq!(province_of("unknown", &units), None);
    }

    #[test]
    fn counts_add_up_per_current_province() {
        let per_unit = vec![
            ("qb-dept".to_string(), 2),
            ("qt-dept".to_string(), 3),
            ("m-dept".to_string(), 7),
        ];
        assert_eq!(by_province(&per_unit, &tree()), vec![("qt".to_string(), 5)]);
    }

    #[test]
    fn windows_include_both_ends() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        assert_eq!(window_end(d, 30).to_string(), "2027-01-01");
    }
}
