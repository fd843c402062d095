//! One posting of a seeded official in its status: its host and
//! direction, the paperwork and the sides' decisions up to its status,
//! its end, and the milestones and outcomes a posting in that status has.

use chrono::{NaiveDate, NaiveDateTime};

use super::{office_time, plus, Context, OfficialPlan, PostingPlan, Tree};
use crate::domain::approval::Side;
use crate::domain::dates::last_day_of_months;
use crate::domain::milestone::{due_date, MilestoneStatus};
use crate::domain::outcome::{Pillar, Rating};
use crate::domain::secondment::{Direction, Ground, Kind, Status};
use crate::domain::seed::names;
use crate::domain::seed::SeedRng;

/// One side's decision.
#[derive(Debug, Clone)]
pub struct DecisionPlan {
    /// Identifier.
    pub id: String,
    /// Side.
    pub side: Side,
    /// Approved (else rejected).
    pub approve: bool,
    /// When.
    pub at: NaiveDateTime,
    /// Comment.
    pub comment: Option<&'static str>,
}

/// One milestone.
#[derive(Debug, Clone)]
pub struct MilestonePlan {
    /// Identifier.
    pub id: String,
    /// Template key.
    pub template: String,
    /// Title.
    pub title: String,
    /// Due date.
    pub due: NaiveDate,
    /// State.
    pub status: MilestoneStatus,
    /// Day done.
    pub completed_on: Option<NaiveDate>,
    /// Created (the approval).
    pub created_at: NaiveDateTime,
}

/// One outcome.
#[derive(Debug, Clone)]
pub struct OutcomePlan {
    /// Identifier.
    pub id: String,
    /// Pillar.
    pub pillar: Pillar,
    /// Title.
    pub title: &'static str,
    /// Day.
    pub occurred_on: NaiveDate,
    /// `(name, value, unit)`.
    pub metric: (&'static str, i64, &'static str),
    /// When a host director acknowledged it.
    pub acknowledged_at: Option<NaiveDateTime>,
    /// Logged.
    pub created_at: NaiveDateTime,
}

/// The posting of `official` in `status` over `(start, end)`; `None`
/// when no host other than their home unit can be found.
pub(super) fn posting(
    ctx: &Context<'_>,
    rng: &mut SeedRng,
    official: &OfficialPlan,
    kind: Kind,
    status: Status,
    (start, end): (NaiveDate, NaiveDate),
) -> Option<PostingPlan> {
    let today = ctx.today;
    let home_tree = ctx.tree_of(official.home);
    let host_list = match home_tree {
        Tree::Central if rng.chance(85) || ctx.central.len() < 2 => ctx.local,
        Tree::Central => ctx.central,
        Tree::Local if rng.chance(35) || ctx.local.len() < 2 => ctx.central,
        Tree::Local => ctx.local,
    };
    let mut host = *rng.pick(host_list)?;
    if host == official.home {
        let pos = host_list.iter().position(|u| *u == host).unwrap_or(0);
        host = *host_list.get((pos + 1) % host_list.len())?;
        if host == official.home {
            return None;
        }
    }
    let tree = |t: Tree| match t {
        Tree::Central => crate::domain::secondment::Tree::Central,
        Tree::Local => crate::domain::secondment::Tree::Local,
    };
    let direction = Direction::derive(tree(home_tree), tree(ctx.tree_of(host)));
    // The paperwork happens between creation and the start (or today).
    let anchor = plus(start, -1).min(today);
    let created_on = plus(anchor, -rng.between(20, 150));
    let span = (anchor - created_on).num_days().max(0);
    let at =
        |tenths: i64, rng: &mut SeedRng| office_time(plus(created_on, span * tenths / 10), rng);
    let created_at = at(0, rng);
    let stage = match status {
        Status::Draft => 0,
        Status::PendingApproval => 1,
        Status::Rejected => 1,
        Status::Cancelled => rng.below(3),
        _ => 2,
    };
    let paperwork = stage > 0 || rng.chance(50);
    let consultation_on = paperwork.then(|| plus(created_on, span / 10));
    let agreement_ref = paperwork.then(|| format!("{}/TTr-TCCB", rng.between(10, 999)));
    let submitted_at = (stage > 0).then(|| at(3, rng));
    let mut decisions = Vec::new();
    let approved_sides = match (status, stage) {
        (Status::Rejected, _) => rng.below(ctx.sides.len() as u64) as usize,
        (_, 2) => ctx.sides.len(),
        (_, 1) => rng.below(ctx.sides.len() as u64) as usize,
        _ => 0,
    };
    for (k, side) in ctx.sides.iter().enumerate() {
        let approve = k < approved_sides;
        if !approve && status != Status::Rejected {
            break;
        }
        let when = at(5 + 2 * k.min(2) as i64, rng);
        decisions.push(DecisionPlan {
            id: rng.uuid_v7(when),
            side: *side,
            approve,
            at: when,
            comment: (!approve).then(|| rng.word(names::REJECTIONS)),
        });
        if !approve {
            break;
        }
    }
    let approved_at = decisions.last().map(|d| d.at).unwrap_or(created_at);
    let decision_ref = (stage == 2).then(|| {
        let org = if home_tree == Tree::Local {
            "UBND"
        } else {
            "BNV"
        };
        format!("{}/QĐ-{org}", rng.between(100, 2999))
    });
    let actual_end = match status {
        Status::Completed => Some(end),
        Status::Terminated => Some(plus(start, rng.between(1, (end - start).num_days().max(1)))),
        _ => None,
    }
    .map(|d| d.min(end));
    let last_in_post = actual_end.unwrap_or(end);
    let updated_at = match status {
        Status::Active => office_time(start, rng),
        Status::Completed => office_time(plus(end, 1), rng),
        Status::Terminated => office_time(last_in_post, rng),
        Status::Cancelled => at(9, rng),
        _ => approved_at.max(submitted_at.unwrap_or(created_at)),
    };
    let exception_ref = (kind == Kind::Rotation
        && end < last_day_of_months(start, ctx.policy.rotation_min_months))
    .then(|| format!("{}/QĐ-TTg", rng.between(100, 999)));
    let milestones = if stage == 2 {
        milestones(ctx, rng, status, start, end, actual_end, approved_at)
    } else {
        Vec::new()
    };
    let outcomes = outcomes(rng, status, start, last_in_post, today);
    let evaluation = (status == Status::Completed && rng.chance(60)).then(|| {
        let rating = rng.weighted(
            &[
                (Rating::Excellent, 25),
                (Rating::Good, 45),
                (Rating::Satisfactory, 25),
                (Rating::Unsatisfactory, 5),
            ],
            Rating::Good,
        );
        (
            rating,
            office_time(plus(end, rng.between(1, 30)).min(today), rng),
        )
    });
    Some(PostingPlan {
        id: rng.uuid_v7(created_at),
        kind,
        host,
        direction,
        ground: if rng.chance(30) {
            Ground::UrgentTask
        } else {
            Ground::FixedTermTask
        },
        position_title: rng.word(names::POSTING_TITLES),
        mandate: rng.word(names::MANDATES),
        status,
        start,
        end,
        actual_end,
        agreement_ref,
        consultation_on,
        decision_ref,
        exception_ref,
        return_arrangement: (status == Status::Completed && rng.chance(50))
            .then_some("Trở lại vị trí công tác tương đương tại đơn vị cử đi"),
        end_reason: matches!(status, Status::Cancelled | Status::Terminated)
            .then(|| rng.word(names::END_REASONS)),
        created_at,
        submitted_at,
        updated_at,
        decisions,
        milestones,
        outcomes,
        evaluation,
    })
}

fn milestones(
    ctx: &Context<'_>,
    rng: &mut SeedRng,
    status: Status,
    start: NaiveDate,
    end: NaiveDate,
    actual_end: Option<NaiveDate>,
    approved_at: NaiveDateTime,
) -> Vec<MilestonePlan> {
    let today = ctx.today;
    ctx.templates
        .iter()
        .map(|t| {
            let due = due_date(t, start, end);
            let happened = due < today && actual_end.is_none_or(|a| due <= a);
            let status = match status {
                Status::Cancelled => MilestoneStatus::Cancelled,
                Status::Terminated if !happened => MilestoneStatus::Cancelled,
                Status::Approved => MilestoneStatus::Planned,
                _ if !happened => MilestoneStatus::Planned,
                _ if rng.chance(85) => MilestoneStatus::Done,
                _ => MilestoneStatus::Missed,
            };
            let completed_on = (status == MilestoneStatus::Done)
                .then(|| plus(due, -rng.between(0, 10)).max(start));
            MilestonePlan {
                id: rng.uuid_v7(approved_at),
                template: t.key.clone(),
                title: t.title.clone(),
                due,
                status,
                completed_on,
                created_at: approved_at,
            }
        })
        .collect()
}

fn outcomes(
    rng: &mut SeedRng,
    status: Status,
    start: NaiveDate,
    last: NaiveDate,
    today: NaiveDate,
) -> Vec<OutcomePlan> {
    let (count, ack) = match status {
        Status::Active => (rng.between(0, 2), 30),
        Status::Completed => (rng.between(1, 4), 60),
        Status::Terminated => (rng.between(0, 2), 30),
        _ => return Vec::new(),
    };
    let until = last.min(plus(today, -1));
    let days = (until - start).num_days();
    if days < 0 {
        return Vec::new();
    }
    (0..count)
        .map(|_| {
            let pillar = rng.weighted(
                &[
                    (Pillar::DigitalGovernment, 40),
                    (Pillar::DigitalEconomy, 25),
                    (Pillar::DigitalSociety, 25),
                    (Pillar::Other, 10),
                ],
                Pillar::Other,
            );
            let occurred_on = plus(start, rng.between(0, days));
            let (name, unit, max) = names::metric_for(pillar.as_str());
            let created_at = office_time(occurred_on, rng);
            OutcomePlan {
                id: rng.uuid_v7(created_at),
                pillar,
                title: names::outcome_title(pillar.as_str(), rng),
                occurred_on,
                metric: (name, rng.between(1, max), unit),
                acknowledged_at: rng
                    .chance(ack)
                    .then(|| office_time(plus(occurred_on, rng.between(1, 20)).min(today), rng)),
                created_at,
            }
        })
        .collect()
}
