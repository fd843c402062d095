//! What each seeded official is and which postings they had, have and will
//! have: statuses first (so their counts depend on the seed only), then
//! dates that fit each status relative to today, then the records that a
//! posting in that status has (decisions, milestones, outcomes).

mod posting;

use chrono::{Days, NaiveDate, NaiveDateTime};

use super::names::{self, Person};
use super::units::Side as Tree;
use super::SeedRng;
use crate::domain::approval::Side;
use crate::domain::dates::{add_years, last_day_of_months};
use crate::domain::milestone::Template;
use crate::domain::outcome::Rating;
use crate::domain::secondment::{Direction, Ground, Kind, Policy, Status};
use crate::domain::text::fold;
use posting::posting;
pub use posting::{DecisionPlan, MilestonePlan, OutcomePlan};

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

#[cfg(test)]
mod tests;
