//! Full rows (every column: `COPY` needs them all) of a seeded batch.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::{metrics_json, Directory, Written};
use crate::domain::seed::plan::{OfficialPlan, PostingPlan};
use crate::store::schema::{approvals, evaluations, milestones, outcomes, secondments};
use crate::store::StoreError;

#[derive(Insertable)]
#[diesel(table_name = secondments, treat_none_as_default_value = false)]
pub(super) struct SecondmentRow<'a> {
    id: &'a str,
    kind: &'a str,
    official_id: &'a str,
    home_unit_id: &'a str,
    host_unit_id: &'a str,
    direction: &'a str,
    ground: &'a str,
    position_title: &'a str,
    mandate: &'a str,
    start_date: NaiveDate,
    end_date: NaiveDate,
    original_end_date: NaiveDate,
    actual_end_date: Option<NaiveDate>,
    status: &'a str,
    agreement_ref: Option<&'a str>,
    consultation_held_on: Option<NaiveDate>,
    consultation_note: Option<&'a str>,
    decision_ref: Option<&'a str>,
    exception_ref: Option<&'a str>,
    return_arrangement: Option<&'a str>,
    end_reason: Option<&'a str>,
    submitted_at: Option<NaiveDateTime>,
    version: i32,
    created_by: Option<&'a str>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = approvals, treat_none_as_default_value = false)]
pub(super) struct ApprovalRow<'a> {
    id: &'a str,
    secondment_id: &'a str,
    request_id: &'a str,
    request_kind: &'a str,
    side: &'a str,
    decision: &'a str,
    comment: Option<&'a str>,
    decided_by: &'a str,
    on_behalf_of: Option<&'a str>,
    decided_at: NaiveDateTime,
    decided_on: Option<NaiveDate>,
}

#[derive(Insertable)]
#[diesel(table_name = milestones, treat_none_as_default_value = false)]
pub(super) struct MilestoneRow<'a> {
    id: &'a str,
    secondment_id: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    due_date: NaiveDate,
    status: &'a str,
    completed_at: Option<NaiveDateTime>,
    note: Option<&'a str>,
    template: Option<&'a str>,
    version: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    completed_on: Option<NaiveDate>,
}

#[derive(Insertable)]
#[diesel(table_name = outcomes, treat_none_as_default_value = false)]
pub(super) struct OutcomeRow<'a> {
    id: &'a str,
    secondment_id: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    pillar: &'a str,
    occurred_on: NaiveDate,
    metrics_json: String,
    milestone_id: Option<&'a str>,
    acknowledged_by: Option<&'a str>,
    acknowledged_at: Option<NaiveDateTime>,
    created_by: &'a str,
    version: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = evaluations, treat_none_as_default_value = false)]
pub(super) struct EvaluationRow<'a> {
    secondment_id: &'a str,
    rating: &'a str,
    comment: Option<&'a str>,
    evaluated_by: &'a str,
    evaluated_at: NaiveDateTime,
}

/// The rows of one batch, borrowing from its plans.
pub(super) struct Rows<'a> {
    pub secondments: Vec<SecondmentRow<'a>>,
    pub approvals: Vec<ApprovalRow<'a>>,
    pub milestones: Vec<MilestoneRow<'a>>,
    pub outcomes: Vec<OutcomeRow<'a>>,
    pub evaluations: Vec<EvaluationRow<'a>>,
}

const CONSULTATION_NOTE: &str = "Cán bộ đồng ý với nội dung, thời hạn biệt phái";

impl<'a> Rows<'a> {
    /// Builds the rows and counts them into `written`.
    pub fn build(
        dir: &'a Directory,
        batch: &'a [(OfficialPlan, Vec<PostingPlan>)],
        written: &mut Written,
    ) -> Result<Self, StoreError> {
        let n: usize = batch.iter().map(|(_, p)| p.len()).sum();
        let mut rows = Rows {
            secondments: Vec::with_capacity(n),
            approvals: Vec::with_capacity(n * 2),
            milestones: Vec::with_capacity(n * 3),
            outcomes: Vec::with_capacity(n * 2),
            evaluations: Vec::with_capacity(n / 4),
        };
        for (o, postings) in batch {
            let home = Directory::get(&dir.unit_ids, o.home)?;
            let home_hr = Directory::get(&dir.hr_of, o.home)?;
            for p in postings {
                let host_director = Directory::get(&dir.director_of, p.host)?;
                let home_director = Directory::get(&dir.director_of, o.home)?;
                *written.by_status.entry(p.status).or_default() += 1;
                rows.secondments.push(SecondmentRow {
                    id: &p.id,
                    kind: p.kind.as_str(),
                    official_id: &o.id,
                    home_unit_id: home,
                    host_unit_id: Directory::get(&dir.unit_ids, p.host)?,
                    direction: p.direction.as_str(),
                    ground: p.ground.as_str(),
                    position_title: p.position_title,
                    mandate: p.mandate,
                    start_date: p.start,
                    end_date: p.end,
                    original_end_date: p.end,
                    actual_end_date: p.actual_end,
                    status: p.status.as_str(),
                    agreement_ref: p.agreement_ref.as_deref(),
                    consultation_held_on: p.consultation_on,
                    consultation_note: p.consultation_on.map(|_| CONSULTATION_NOTE),
                    decision_ref: p.decision_ref.as_deref(),
                    exception_ref: p.exception_ref.as_deref(),
                    return_arrangement: p.return_arrangement,
                    end_reason: p.end_reason,
                    submitted_at: p.submitted_at,
                    version: 1,
                    created_by: Some(home_hr),
                    created_at: p.created_at,
                    updated_at: p.updated_at,
                });
                for d in &p.decisions {
                    rows.approvals.push(ApprovalRow {
                        id: &d.id,
                        secondment_id: &p.id,
                        request_id: &p.id,
                        request_kind: "proposal",
                        side: d.side.as_str(),
                        decision: if d.approve { "approved" } else { "rejected" },
                        comment: d.comment,
                        decided_by: match d.side {
                            crate::domain::approval::Side::Home => home_director,
                            crate::domain::approval::Side::Host => host_director,
                        },
                        on_behalf_of: None,
                        decided_at: d.at,
                        decided_on: Some(d.at.date()),
                    });
                }
                for m in &p.milestones {
                    let done_at = m.completed_on.and_then(|d| d.and_hms_opt(3, 0, 0));
                    rows.milestones.push(MilestoneRow {
                        id: &m.id,
                        secondment_id: &p.id,
                        title: &m.title,
                        description: None,
                        due_date: m.due,
                        status: m.status.as_str(),
                        completed_at: done_at,
                        note: None,
                        template: Some(&m.template),
                        version: 1,
                        created_at: m.created_at,
                        updated_at: done_at.unwrap_or(m.created_at).max(m.created_at),
                        completed_on: m.completed_on,
                    });
                }
                for out in &p.outcomes {
                    rows.outcomes.push(OutcomeRow {
                        id: &out.id,
                        secondment_id: &p.id,
                        title: out.title,
                        description: None,
                        pillar: out.pillar.as_str(),
                        occurred_on: out.occurred_on,
                        metrics_json: metrics_json(out.metric),
                        milestone_id: None,
                        acknowledged_by: out.acknowledged_at.map(|_| host_director),
                        acknowledged_at: out.acknowledged_at,
                        created_by: home_hr,
                        version: 1,
                        created_at: out.created_at,
                        updated_at: out.acknowledged_at.unwrap_or(out.created_at),
                    });
                }
                if let Some((rating, at)) = p.evaluation {
                    rows.evaluations.push(EvaluationRow {
                        secondment_id: &p.id,
                        rating: rating.as_str(),
                        comment: None,
                        evaluated_by: host_director,
                        evaluated_at: at,
                    });
                }
            }
        }
        written.approvals += rows.approvals.len();
        written.milestones += rows.milestones.len();
        written.outcomes += rows.outcomes.len();
        written.evaluations += rows.evaluations.len();
        Ok(rows)
    }
}
