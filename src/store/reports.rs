//! The aggregate queries behind `/reports`: counts grouped in the
//! database, never rows loaded to be counted here.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::dsl::{count, count_star};
use diesel::prelude::*;

use super::schema::{org_units, outcomes, secondments};
use super::{DbConnection, StoreError};
use crate::domain::report::{window_end, UnitLink, ENDING_WINDOWS, IN_POST, NOT_ENDED};
use crate::domain::text::{DAY_MAX, DAY_MIN};

/// Keeps the secondments with their home or host unit among `$units`
/// (`None`: all of them) in a boxed query over `secondments`.
macro_rules! in_scope {
    ($query:expr, $units:expr) => {{
        let mut query = $query;
        if let Some(units) = $units {
            query = query.filter(
                secondments::home_unit_id
                    .eq_any(units.clone())
                    .or(secondments::host_unit_id.eq_any(units.clone())),
            );
        }
        query
    }};
}

fn stored(statuses: &[crate::domain::secondment::Status]) -> Vec<&'static str> {
    statuses.iter().map(|s| s.as_str()).collect()
}

/// What the summary counts, as grouped rows.
#[derive(Debug, Default)]
pub struct SummaryCounts {
    /// `(kind, status, direction, count)`.
    pub groups: Vec<(String, String, String, i64)>,
    /// In post on the day, per host unit.
    pub in_post_by_host: Vec<(String, i64)>,
    /// `(days, count)` of postings not ended whose end falls in the window.
    pub ending_within: Vec<(u32, i64)>,
}

/// The summary's counts within `units` (`None`: everything) as of `as_of`.
pub fn summary(
    conn: &mut DbConnection,
    units: &Option<Vec<String>>,
    as_of: NaiveDate,
) -> Result<SummaryCounts, StoreError> {
    let grouped = secondments::table
        .group_by((
            secondments::kind,
            secondments::status,
            secondments::direction,
        ))
        .select((
            secondments::kind,
            secondments::status,
            secondments::direction,
            count_star(),
        ))
        .into_boxed();
    let groups = in_scope!(grouped, units).load::<(String, String, String, i64)>(conn)?;
    let per_host = secondments::table
        .group_by(secondments::host_unit_id)
        .select((secondments::host_unit_id, count_star()))
        .into_boxed();
    let in_post_by_host = in_scope!(per_host, units)
        .filter(secondments::status.eq_any(stored(&IN_POST)))
        .filter(secondments::start_date.le(as_of))
        // Implied by the next filter (a posting never ends after its end
        // date): lets the database read a range of the status and end-date
        // index instead of every posting that started before the day.
        .filter(secondments::end_date.ge(as_of))
        .filter(
            secondments::actual_end_date
                .ge(as_of)
                .or(secondments::actual_end_date
                    .is_null()
                    .and(secondments::end_date.ge(as_of))),
        )
        .load::<(String, i64)>(conn)?;
    let mut ending_within = Vec::new();
    for days in ENDING_WINDOWS {
        let n: i64 = in_scope!(secondments::table.select(count_star()).into_boxed(), units)
            .filter(secondments::status.eq_any(stored(&NOT_ENDED)))
            .filter(secondments::end_date.ge(as_of))
            .filter(secondments::end_date.le(window_end(as_of, days)))
            .first(conn)?;
        ending_within.push((days, n));
    }
    Ok(SummaryCounts {
        groups,
        in_post_by_host,
        ending_within,
    })
}

/// Outcome filters.
#[derive(Debug, Clone, Default)]
pub struct OutcomeFilter {
    /// Secondments with a side among these units (`None`: all).
    pub scope: Option<Vec<String>>,
    /// Host unit among these (a unit and its descendants).
    pub host_units: Option<Vec<String>>,
    /// Outcomes on or after.
    pub from: Option<NaiveDate>,
    /// Outcomes on or before.
    pub to: Option<NaiveDate>,
}

/// `(pillar, outcomes, secondments they come from)`.
pub fn outcomes_by_pillar(
    conn: &mut DbConnection,
    f: &OutcomeFilter,
) -> Result<Vec<(String, i64, i64)>, StoreError> {
    let bound = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap_or_default();
    let from = f.from.unwrap_or_else(|| bound(DAY_MIN));
    let to = f.to.unwrap_or_else(|| bound(DAY_MAX));
    let mut query = outcomes::table
        .group_by(outcomes::pillar)
        .select((
            outcomes::pillar,
            count_star(),
            count(outcomes::secondment_id).aggregate_distinct(),
        ))
        .into_boxed()
        .filter(outcomes::occurred_on.ge(from))
        .filter(outcomes::occurred_on.le(to));
    if let Some(units) = &f.scope {
        query = query.filter(
            outcomes::secondment_id.eq_any(
                secondments::table
                    .filter(
                        secondments::home_unit_id
                            .eq_any(units.clone())
                            .or(secondments::host_unit_id.eq_any(units.clone())),
                    )
                    .select(secondments::id),
            ),
        );
    }
    if let Some(hosts) = &f.host_units {
        query = query.filter(
            outcomes::secondment_id.eq_any(
                secondments::table
                    .filter(secondments::host_unit_id.eq_any(hosts.clone()))
                    .select(secondments::id),
            ),
        );
    }
    Ok(query.load(conn)?)
}

/// The units `ids`, their ancestors and their successors: what
/// `domain::report::province_of` walks. One query per level.
pub fn ancestry(
    conn: &mut DbConnection,
    ids: impl IntoIterator<Item = String>,
) -> Result<HashMap<String, UnitLink>, StoreError> {
    let mut units = HashMap::new();
    let mut frontier: Vec<String> = ids.into_iter().collect();
    while !frontier.is_empty() {
        let rows: Vec<(String, Option<String>, String, Option<String>)> = org_units::table
            .filter(org_units::id.eq_any(&frontier))
            .select((
                org_units::id,
                org_units::parent_id,
                org_units::kind,
                org_units::successor_id,
            ))
            .load(conn)?;
        frontier = Vec::new();
        for (id, parent_id, kind, successor_id) in rows {
            for next in parent_id.iter().chain(successor_id.iter()) {
                if !units.contains_key(next) && !frontier.contains(next) {
                    frontier.push(next.clone());
                }
            }
            units.insert(
                id,
                UnitLink {
                    parent_id,
                    kind,
                    successor_id,
                },
            );
        }
        frontier.retain(|id| !units.contains_key(id));
    }
    Ok(units)
}
