//! The plans keep the rules of SPEC 2 and fit their statuses.

use super::*;

type Keyed = Vec<(String, String, Vec<(String, Status)>)>;
use crate::domain::milestone::{default_templates, MilestoneStatus};
use crate::domain::secondment::{check_dates, Proposal};

fn policy() -> Policy {
    Policy {
        max_months: 36,
        rotation_min_months: 36,
        rotation_min_years_left: 10,
    }
}

fn plans(
    seed: u64,
    today: NaiveDate,
    officials: u64,
    per: usize,
) -> Vec<(OfficialPlan, Vec<PostingPlan>)> {
    let policy = policy();
    let templates = default_templates();
    let central: Vec<usize> = (0..20).collect();
    let local: Vec<usize> = (20..60).collect();
    let ctx = Context {
        seed,
        today,
        policy: &policy,
        templates: &templates,
        sides: &[Side::Home, Side::Host],
        central: &central,
        local: &local,
    };
    (0..officials)
        .filter_map(|i| official(&ctx, i))
        .map(|o| {
            let p = postings(&ctx, &o, per);
            (o, p)
        })
        .collect()
}

#[test]
fn every_posting_keeps_the_rules_and_fits_its_status() {
    for today in [
        day(2026, 12, 3),
        day(2021, 2, 1),
        day(2030, 12, 1),
        day(2035, 1, 1),
    ] {
        let all = plans(7, today, 300, 8);
        for (o, ps) in &all {
            assert_eq!(ps.len(), 8);
            for p in ps {
                let proposal = Proposal {
                    kind: p.kind,
                    start_date: p.start,
                    end_date: p.end,
                    exception_ref: p.exception_ref.clone(),
                    in_succession_plan: o.in_succession_plan,
                    retirement_date: Some(o.retirement_date),
                    protected_until: o.protected_until,
                };
                check_dates(&proposal, &policy()).unwrap();
                assert!(p.start >= first_day() && p.end <= last_day(), "{p:?}");
                assert_ne!(p.host, o.home);
                match p.status {
                    Status::Active => assert!(p.start <= today && today < p.end),
                    Status::Completed => assert!(p.end < today),
                    Status::Terminated => {
                        let a = p.actual_end.unwrap();
                        assert!(a < today && a >= p.start && a <= p.end)
                    }
                    Status::Draft | Status::PendingApproval | Status::Approved => {
                        assert!(p.start > today)
                    }
                    _ => {}
                }
                assert!(p.created_at.date() <= today);
                assert!(p.updated_at.date() <= today.max(p.start));
                for d in &p.decisions {
                    assert!(d.at >= p.created_at && d.at.date() <= today);
                }
                let approvals = p.decisions.iter().filter(|d| d.approve).count();
                let rejections = p.decisions.len() - approvals;
                assert_eq!(rejections, usize::from(p.status == Status::Rejected));
                if matches!(
                    p.status,
                    Status::Approved | Status::Active | Status::Completed | Status::Terminated
                ) {
                    assert_eq!(approvals, 2);
                    assert!(p.decision_ref.is_some());
                    assert_eq!(p.milestones.len(), 4);
                }
                for m in &p.milestones {
                    assert!(m.due >= p.start && m.due <= p.end);
                    if m.status == MilestoneStatus::Done || m.status == MilestoneStatus::Missed {
                        assert!(m.due < today);
                    }
                }
                for out in &p.outcomes {
                    assert!(out.occurred_on >= p.start && out.occurred_on < today);
                    assert!(out.occurred_on <= p.actual_end.unwrap_or(p.end));
                }
            }
            // One official's open postings never overlap.
            let open: Vec<&PostingPlan> = ps
                .iter()
                .filter(|p| {
                    p.status.is_open() || matches!(p.status, Status::Completed | Status::Terminated)
                })
                .collect();
            for (i, a) in open.iter().enumerate() {
                for b in open.iter().skip(i + 1) {
                    assert!(a.end < b.start || b.end < a.start, "{a:?} {b:?}");
                }
            }
        }
    }
}

#[test]
fn one_seed_gives_one_data_set_and_every_status_appears() {
    let today = day(2026, 12, 3);
    let a = plans(7, today, 200, 5);
    let b = plans(7, today, 200, 5);
    let c = plans(8, today, 200, 5);
    let key = |v: &[(OfficialPlan, Vec<PostingPlan>)]| -> Keyed {
        v.iter()
            .map(|(o, ps)| {
                (
                    o.id.clone(),
                    o.full_name.clone(),
                    ps.iter().map(|p| (p.id.clone(), p.status)).collect(),
                )
            })
            .collect()
    };
    assert_eq!(key(&a), key(&b));
    assert_ne!(key(&a), key(&c));
    for s in Status::ALL {
        assert!(
            a.iter().flat_map(|(_, ps)| ps).any(|p| p.status == s),
            "{s:?}"
        );
    }
}
