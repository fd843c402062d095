//! The reports (SPEC 4): the summary of the secondments and the outcomes
//! per pillar, counted by the database within the caller's scope. The
//! API answers them as JSON, the console draws them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::fields::{Day, Id, Plain};
use super::refs::{Refs, UnitRef};
use super::{caller, AppError, Context};
use crate::auth::permissions::Scope;
use crate::auth::AuthUser;
use crate::domain::outcome::Pillar;
use crate::domain::report::by_province;
use crate::domain::secondment::Status;
use crate::domain::user::Role;
use crate::store::names::Wanted;
use crate::store::reports::{self, OutcomeFilter};
use crate::store::{org_units, DbConnection};

/// Who may read the reports: each sees their own scope.
const REPORTERS: [Role; 3] = [Role::Admin, Role::HrOfficer, Role::Director];

/// Summary parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SummaryQuery {
    /// The day the counts are taken on (default: today).
    pub as_of: Option<Day>,
}

/// Secondments per kind.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct KindCounts {
    /// Secondments (biệt phái).
    pub secondment: i64,
    /// Rotations (luân chuyển).
    pub rotation: i64,
}

/// Secondments per status.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct StatusCounts {
    /// Being prepared.
    pub draft: i64,
    /// Waiting for directors.
    pub pending_approval: i64,
    /// Approved, not started.
    pub approved: i64,
    /// Running.
    pub active: i64,
    /// Ended on their end date.
    pub completed: i64,
    /// Refused.
    pub rejected: i64,
    /// Withdrawn before starting.
    pub cancelled: i64,
    /// Ended early.
    pub terminated: i64,
}

/// Secondments per direction.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct DirectionCounts {
    /// Ministry to province.
    pub central_to_local: i64,
    /// Province to ministry.
    pub local_to_central: i64,
    /// Within one tree.
    pub lateral: i64,
}

/// People in post in one current province.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProvinceCount {
    /// The province (a merged province counts for its successor).
    pub province: UnitRef,
    /// Postings in post on `as_of` hosted in it or in one of its units.
    pub in_post: i64,
}

/// The summary report.
#[derive(Debug, Serialize, ToSchema)]
pub struct Summary {
    /// The day of the counts.
    pub as_of: NaiveDate,
    /// Every secondment in scope, whatever its status.
    pub total: i64,
    /// Per kind (all statuses).
    pub by_kind: KindCounts,
    /// Per current status.
    pub by_status: StatusCounts,
    /// Per direction (all statuses).
    pub by_direction: DirectionCounts,
    /// Approved, active, completed or terminated postings whose period
    /// (to the actual end when ended early) contains `as_of`.
    pub in_post: i64,
    /// `in_post` per current host province, largest first; postings hosted
    /// outside every province (ministries) are not listed.
    pub by_host_province: Vec<ProvinceCount>,
    /// Approved or active postings ending from `as_of` to `as_of` + 30 days.
    pub ending_within_30_days: i64,
    /// The same within 90 days.
    pub ending_within_90_days: i64,
}

/// Outcome report parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OutcomesQuery {
    /// Outcomes that occurred on or after this day.
    pub from: Option<Day>,
    /// Outcomes that occurred on or before this day.
    pub to: Option<Day>,
    /// Only secondments hosted in this unit or one of its descendants.
    pub host_unit_id: Option<Id>,
}

/// Outcomes on one pillar.
#[derive(Debug, Serialize, ToSchema)]
pub struct PillarCount {
    /// `digital_government`, `digital_economy`, `digital_society` or `other`.
    pub pillar: Pillar,
    /// Outcomes logged on it.
    pub outcomes: i64,
    /// Secondments they come from.
    pub secondments: i64,
}

/// The outcomes report.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomesReport {
    /// First day counted, when given.
    pub from: Option<NaiveDate>,
    /// Last day counted, when given.
    pub to: Option<NaiveDate>,
    /// Every pillar, in the order of the SPEC, zeros included.
    pub pillars: Vec<PillarCount>,
    /// All outcomes counted.
    pub total_outcomes: i64,
}

/// The caller's units (`None` for administrators: everything).
fn units_of(tx: &mut DbConnection, user: &AuthUser) -> Result<Option<Vec<String>>, AppError> {
    Ok(match caller::scope_of(tx, user)? {
        Scope::All => None,
        Scope::Units(units) => Some(units.into_iter().collect()),
        Scope::Nothing => Some(Vec::new()),
    })
}

/// Counts by kind, status, direction and host province, and postings
/// ending soon, on `as_of` (default today) within the caller's scope
/// (administrators: everything; HR officers and directors: secondments
/// with either side in their unit's subtree).
pub fn summary(
    user: &AuthUser,
    tx: &mut DbConnection,
    cx: &Context,
    query: SummaryQuery,
) -> Result<Summary, AppError> {
    user.require_role(&REPORTERS)?;
    let as_of = query.as_of.map_or(cx.today, Day::get);
    let units = units_of(tx, user)?;
    let counts = reports::summary(tx, &units, as_of)?;
    let tree = reports::ancestry(tx, counts.in_post_by_host.iter().map(|(u, _)| u.clone()))?;
    let provinces = by_province(&counts.in_post_by_host, &tree);
    let mut wanted = Wanted::default();
    for (p, _) in &provinces {
        wanted.unit(p);
    }
    let names = wanted.load(tx)?;
    let mut s = Summary {
        as_of,
        total: 0,
        by_kind: KindCounts::default(),
        by_status: StatusCounts::default(),
        by_direction: DirectionCounts::default(),
        in_post: counts.in_post_by_host.iter().map(|(_, n)| n).sum(),
        by_host_province: provinces
            .into_iter()
            .map(|(p, in_post)| ProvinceCount {
                province: names.unit_ref(&p),
                in_post,
            })
            .collect(),
        ending_within_30_days: 0,
        ending_within_90_days: 0,
    };
    for (kind, status, direction, n) in counts.groups {
        s.total += n;
        add_kind(&mut s.by_kind, &kind, n)?;
        add_status(&mut s.by_status, &status, n)?;
        add_direction(&mut s.by_direction, &direction, n)?;
    }
    for (days, n) in counts.ending_within {
        match days {
            30 => s.ending_within_30_days = n,
            _ => s.ending_within_90_days = n,
        }
    }
    Ok(s)
}

/// A stored value no count knows: a bug or a migration gone wrong.
fn unknown(what: &str, value: &str) -> AppError {
    AppError::Internal(format!("unknown stored {what} {value:?}"))
}

fn add_kind(c: &mut KindCounts, kind: &str, n: i64) -> Result<(), AppError> {
    match kind {
        "secondment" => c.secondment += n,
        "rotation" => c.rotation += n,
        other => return Err(unknown("kind", other)),
    }
    Ok(())
}

fn add_status(c: &mut StatusCounts, status: &str, n: i64) -> Result<(), AppError> {
    let slot = match Status::parse(status) {
        Some(Status::Draft) => &mut c.draft,
        Some(Status::PendingApproval) => &mut c.pending_approval,
        Some(Status::Approved) => &mut c.approved,
        Some(Status::Active) => &mut c.active,
        Some(Status::Completed) => &mut c.completed,
        Some(Status::Rejected) => &mut c.rejected,
        Some(Status::Cancelled) => &mut c.cancelled,
        Some(Status::Terminated) => &mut c.terminated,
        None => return Err(unknown("status", status)),
    };
    *slot += n;
    Ok(())
}

fn add_direction(c: &mut DirectionCounts, direction: &str, n: i64) -> Result<(), AppError> {
    match direction {
        "central_to_local" => c.central_to_local += n,
        "local_to_central" => c.local_to_central += n,
        "lateral" => c.lateral += n,
        other => return Err(unknown("direction", other)),
    }
    Ok(())
}

/// Outcomes per pillar with the number of secondments they come from,
/// within the caller's scope, optionally in a period and under a host
/// unit.
pub fn outcomes(
    user: &AuthUser,
    tx: &mut DbConnection,
    query: OutcomesQuery,
) -> Result<OutcomesReport, AppError> {
    user.require_role(&REPORTERS)?;
    let (from, to) = (query.from.map(Day::get), query.to.map(Day::get));
    let filter = OutcomeFilter {
        scope: units_of(tx, user)?,
        host_units: match query.host_unit_id.plain() {
            Some(h) => Some(org_units::subtree_ids(tx, &h)?.into_iter().collect()),
            None => None,
        },
        from,
        to,
    };
    let rows = reports::outcomes_by_pillar(tx, &filter)?;
    let pillars: Vec<PillarCount> = Pillar::ALL
        .into_iter()
        .map(|pillar| {
            let row = rows.iter().find(|(p, _, _)| p == pillar.as_str());
            PillarCount {
                pillar,
                outcomes: row.map_or(0, |r| r.1),
                secondments: row.map_or(0, |r| r.2),
            }
        })
        .collect();
    Ok(OutcomesReport {
        from,
        to,
        total_outcomes: pillars.iter().map(|p| p.outcomes).sum(),
        pillars,
    })
}
