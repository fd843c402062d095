//! What each seeded official is and which postings they had, have and will
//! have: statuses first (so their counts depend on the seed only), then
//! dates that fit each status relative to today, then the records that a
//! posting in that status has (decisions, milestones, outcomes).

use chrono::{Days, NaiveDate, NaiveDateTime};

use super::names::{self, Person};
use super::units::Side as Tree;
use super::SeedRng;
use crate::domain::approval::Side;
use crate::domain::dates::{add_years, last_day_of_months};
use crate::domain::milestone::{due_date, MilestoneStatus, Template};
use crate::domain::outcome::{Pillar, Rating};
use crate::domain::secondment::{Direction, Ground, Kind, Policy, Status};
use crate::domain::text::fold;

const OFFICIALS: u64 = 0x0FF1_C1A1;
const POSTINGS: u64 = 0x9057_1265;

/// Shares of the statuses drawn for postings (per mille-ish weights).
const STATUS_WEIGHTS: &[(Status, u64)] = &[
    (Status::Completed, 30),
    (Status::Active, 14),
    (Status::Terminated, 5),
    (Status::Approved, 8),
    (Status::PendingApproval, 9),
    (Status::Draft, 12),
    (Status::Cancelled, 10),
    (Status::Rejected, 7),
];

/// What the plans need to know.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    /// The seed.
    pub seed: u64,
    /// Today in the service's time zone.
    pub today: NaiveDate,
    /// Duration rules.
    pub policy: &'a Policy,
    /// Default milestones.
    pub templates: &'a [Template],
    /// Sides that must approve.
    pub sides: &'a [Side],
    /// Units under ministries where officials work, by index.
    pub central: &'a [usize],
    /// Units under provinces where officials work, by index.
    pub local: &'a [usize],
}

impl Context<'_> {
    fn tree_of(&self, unit: usize) -> Tree {
        if self.central.contains(&unit) {
            Tree::Central
        } else {
            Tree::Local
        }
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// First day any seeded posting may start.
pub fn first_day() -> NaiveDate {
    day(2020, 1, 1)
}

/// Last day any seeded posting may end.
pub fn last_day() -> NaiveDate {
    day(2030, 12, 31)
}

fn plus(d: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        d.checked_add_days(Days::new(days as u64))
    } else {
        d.checked_sub_days(Days::new(days.unsigned_abs()))
    }
    .unwrap_or(d)
}

/// A time during office hours (UTC+7) of `d`.
fn office_time(d: NaiveDate, rng: &mut SeedRng) -> NaiveDateTime {
    let minutes = rng.between(60, 9 * 60) as u32; // 08:00..16:00 local
    d.and_hms_opt(minutes / 60, minutes % 60, rng.below(60) as u32)
        .unwrap_or_default()
}

/// One official to create.
#[derive(Debug, Clone)]
pub struct OfficialPlan {
    /// Position among the seeded officials.
    pub index: u64,
    /// Identifier.
    pub id: String,
    /// Unique staff code.
    pub staff_code: String,
    /// Full name.
    pub full_name: String,
    /// Unique email.
    pub email: String,
    /// Home unit index.
    pub home: usize,
    /// Position.
    pub position: &'static str,
    /// Rank.
    pub rank: &'static str,
    /// Date of birth.
    pub date_of_birth: NaiveDate,
    /// Retirement date.
    pub retirement_date: NaiveDate,
    /// Protected until (always before 2020 in seeded data).
    pub protected_until: Option<NaiveDate>,
    /// In the succession plan (may be rotated).
    pub in_succession_plan: bool,
    /// `vi` or `en`.
    pub language: &'static str,
    /// Creation time.
    pub created_at: NaiveDateTime,
}

/// The official at `index`, `None` when there is no unit to work in.
pub fn official(ctx: &Context<'_>, index: u64) -> Option<OfficialPlan> {
    let mut rng = SeedRng::derive(ctx.seed, OFFICIALS, index);
    let home_list = if ctx.local.is_empty() || (!ctx.central.is_empty() && rng.chance(40)) {
        ctx.central
    } else {
        ctx.local
    };
    let home = *rng.pick(home_list)?;
    let Person { full_name, female } = names::person(&mut rng);
    let folded = fold(&full_name);
    let words: Vec<&str> = folded.split(' ').collect();
    let initials: String = words
        .iter()
        .take(words.len().saturating_sub(1))
        .filter_map(|w| w.chars().next())
        .collect();
    let given = words.last().copied().unwrap_or("canbo");
    let date_of_birth = plus(day(1966, 1, 1), rng.between(0, 34 * 365));
    let retirement_date = add_years(date_of_birth, if female { 60 } else { 62 });
    let created_at = office_time(plus(day(2019, 6, 1), rng.between(0, 180)), &mut rng);
    Some(OfficialPlan {
        index,
        id: rng.uuid_v7(created_at),
        staff_code: format!("CB{:07}", index + 1),
        full_name,
        email: format!("{given}.{initials}.{}@seed.gov.vn", index + 1),
        home,
        position: rng.word(names::POSITIONS),
        rank: rng.word(names::RANKS),
        date_of_birth,
        retirement_date,
        protected_until: rng
            .chance(2)
            .then(|| plus(day(2017, 1, 1), rng.between(0, 1000))),
        in_succession_plan: retirement_date >= add_years(last_day(), 11) && rng.chance(30),
        language: if rng.chance(5) { "en" } else { "vi" },
        created_at,
    })
}

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

/// One posting with everything its status implies.
#[derive(Debug, Clone)]
pub struct PostingPlan {
    /// Identifier.
    pub id: String,
    /// Kind.
    pub kind: Kind,
    /// Host unit index.
    pub host: usize,
    /// Direction.
    pub direction: Direction,
    /// Legal ground.
    pub ground: Ground,
    /// Post title.
    pub position_title: &'static str,
    /// Mandate.
    pub mandate: &'static str,
    /// Status.
    pub status: Status,
    /// First day.
    pub start: NaiveDate,
    /// Planned last day.
    pub end: NaiveDate,
    /// Day it ended (completed or terminated).
    pub actual_end: Option<NaiveDate>,
    /// Agreement between the agencies.
    pub agreement_ref: Option<String>,
    /// Consultation day.
    pub consultation_on: Option<NaiveDate>,
    /// Decision number.
    pub decision_ref: Option<String>,
    /// Exception for a short rotation.
    pub exception_ref: Option<String>,
    /// Post returned to.
    pub return_arrangement: Option<&'static str>,
    /// Why it ended early or was withdrawn.
    pub end_reason: Option<&'static str>,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Submitted.
    pub submitted_at: Option<NaiveDateTime>,
    /// Last changed.
    pub updated_at: NaiveDateTime,
    /// Decisions on the proposal.
    pub decisions: Vec<DecisionPlan>,
    /// Milestones.
    pub milestones: Vec<MilestonePlan>,
    /// Outcomes.
    pub outcomes: Vec<OutcomePlan>,
    /// Final evaluation and its time.
    pub evaluation: Option<(Rating, NaiveDateTime)>,
}

/// The statuses of `count` postings: drawn by weight, at most one active.
fn statuses(rng: &mut SeedRng, count: usize) -> Vec<Status> {
    let mut active = false;
    (0..count)
        .map(|_| {
            let mut s = rng.weighted(STATUS_WEIGHTS, Status::Completed);
            for _ in 0..64 {
                if s != Status::Active || !active {
                    break;
                }
                s = rng.weighted(STATUS_WEIGHTS, Status::Completed);
            }
            if s == Status::Active && active {
                s = Status::Completed;
            }
            active |= s == Status::Active;
            s
        })
        .collect()
}

/// Dates of a posting placed in `[from, to]`: `(start, end, exception)`,
/// `None` when the window is too short.
fn place(
    ctx: &Context<'_>,
    rng: &mut SeedRng,
    kind: Kind,
    from: NaiveDate,
    to: NaiveDate,
) -> Option<(NaiveDate, NaiveDate)> {
    let len = (to - from).num_days();
    if len < 45 {
        return None;
    }
    let start = plus(from, rng.between(0, len / 4));
    let months = match kind {
        Kind::Rotation => ctx.policy.rotation_min_months,
        Kind::Secondment => rng.between(3, i64::from(ctx.policy.max_months.max(3))) as u32,
    };
    let end = last_day_of_months(start, months.min(ctx.policy.max_months.max(1))).min(to);
    (end > start).then_some((start, end))
}

/// The postings of `official`, `count` of them.
pub fn postings(ctx: &Context<'_>, official: &OfficialPlan, count: usize) -> Vec<PostingPlan> {
    let mut rng = SeedRng::derive(ctx.seed, POSTINGS, official.index);
    let today = ctx.today;
    let mut drawn = statuses(&mut rng, count);
    let kinds: Vec<Kind> = drawn
        .iter()
        .map(|_| {
            if official.in_succession_plan && rng.chance(30) {
                Kind::Rotation
            } else {
                Kind::Secondment
            }
        })
        .collect();
    let mut dates: Vec<Option<(NaiveDate, NaiveDate)>> = vec![None; count];
    // The running posting contains today.
    let mut past_to = plus(today, -1).min(last_day());
    let mut future_from = plus(today, 1);
    if let Some(i) = drawn.iter().position(|s| *s == Status::Active) {
        let kind = kinds.get(i).copied().unwrap_or_default();
        let months = match kind {
            Kind::Rotation => ctx.policy.rotation_min_months,
            Kind::Secondment => rng.between(6, i64::from(ctx.policy.max_months.max(6))) as u32,
        }
        .min(ctx.policy.max_months.max(1));
        let length = (last_day_of_months(today, months) - today)
            .num_days()
            .max(1);
        let start = plus(today, -rng.between(0, length - 1)).max(first_day());
        let end = last_day_of_months(start, months).min(last_day());
        if start <= today && end > today && start < end {
            dates[i] = Some((start, end));
            past_to = plus(start, -1);
            future_from = plus(end, 1);
        }
    }
    // Ended ones share the past, coming ones the future, each in its own
    // stretch, so no two postings of one official overlap.
    let past: &[Status] = &[Status::Completed, Status::Terminated];
    let future: &[Status] = &[Status::Approved, Status::PendingApproval, Status::Draft];
    for (group, from, to) in [
        (past, first_day(), past_to),
        (future, future_from, last_day()),
    ] {
        let members: Vec<usize> = (0..count)
            .filter(|&i| drawn.get(i).is_some_and(|s| group.contains(s)))
            .collect();
        let span = (to - from).num_days();
        let n = members.len() as i64;
        for (k, &i) in members.iter().enumerate() {
            let k = k as i64;
            let (a, b) = if n > 0 && span > 0 {
                (plus(from, span * k / n), plus(from, span * (k + 1) / n - 1))
            } else {
                (from, from)
            };
            let kind = kinds.get(i).copied().unwrap_or_default();
            dates[i] = place(ctx, &mut rng, kind, a, b);
        }
    }
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let kind = kinds.get(i).copied().unwrap_or_default();
        let mut status = drawn.get(i).copied().unwrap_or(Status::Cancelled);
        let span = match dates.get(i).copied().flatten() {
            Some(s) => s,
            None => {
                // Withdrawn or refused proposals may lie anywhere; so does
                // a posting that found no room in its stretch.
                if status != Status::Rejected {
                    status = Status::Cancelled;
                }
                let total = (last_day() - first_day()).num_days();
                let from = plus(first_day(), rng.between(0, total - 120));
                match place(ctx, &mut rng, kind, from, last_day()) {
                    Some(s) => s,
                    None => (from, plus(from, 90)),
                }
            }
        };
        if let Some(s) = drawn.get_mut(i) {
            *s = status;
        }
        if let Some(p) = posting(ctx, &mut rng, official, kind, status, span) {
            out.push(p);
        }
    }
    out
}

fn posting(
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

#[cfg(test)]
mod tests;
