//! Secondment state changes: submit, cancel, terminate, the directors'
//! decisions, the daily tick, and re-pointing on unit merges.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::audit::{self, Actor};
use super::extensions::{lapse_pending, Lapse};
use super::schema::{approvals, secondments};
use super::secondments::{
    find, lock_official, policy_error, snapshot, SecondmentError, SecondmentRow, Viewer,
};
use super::{new_id, now_utc, DbConnection, StoreError};
use crate::domain::actions::{Caller, Decider};
use crate::domain::approval::{self, Outcome, Side};
use crate::domain::milestone::Template;
use crate::domain::secondment::{next_status, Action, Policy, Status, Violation};

/// Changes the status if the machine allows `action`; `extra` sets other
/// columns in the same UPDATE. Audited in the secondment's history.
pub(crate) fn apply(
    conn: &mut DbConnection,
    actor: &Actor,
    row: &SecondmentRow,
    action: Action,
    extra: impl FnOnce(&mut Changes),
    detail: Option<serde_json::Value>,
) -> Result<SecondmentRow, SecondmentError> {
    let from = row.status();
    let to = next_status(from, action).ok_or(SecondmentError::Transition {
        from: from.as_str(),
        action: action.as_str(),
    })?;
    let mut changes = Changes::default();
    extra(&mut changes);
    let updated = diesel::update(
        secondments::table
            .filter(secondments::id.eq(&row.id))
            .filter(secondments::status.eq(from.as_str())),
    )
    .set((
        secondments::status.eq(to.as_str()),
        secondments::version.eq(row.version + 1),
        secondments::updated_at.eq(now_utc()),
        secondments::actual_end_date.eq(changes.actual_end_date.or(row.actual_end_date)),
        secondments::end_reason.eq(changes.end_reason.clone().or(row.end_reason.clone())),
        secondments::decision_ref.eq(changes.decision_ref.clone().or(row.decision_ref.clone())),
        secondments::submitted_at.eq(changes.submitted_at.or(row.submitted_at)),
    ))
    .execute(conn)?;
    if updated == 0 {
        // Someone else moved it first (another request or tick).
        let now = find(conn, &row.id)?;
        return Err(SecondmentError::Transition {
            from: now.status().as_str(),
            action: action.as_str(),
        });
    }
    let after = find(conn, &row.id)?;
    let mut after_json = snapshot(&after);
    if let Some(d) = detail {
        after_json["detail"] = d;
    }
    audit::record_in(
        conn,
        actor,
        Some(&row.id),
        &format!("secondment.{}", action.as_str()),
        "secondment",
        &row.id,
        Some(snapshot(row)),
        Some(after_json),
    )?;
    Ok(after)
}

/// Columns a transition may set besides the status.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    actual_end_date: Option<NaiveDate>,
    end_reason: Option<String>,
    decision_ref: Option<String>,
    submitted_at: Option<chrono::NaiveDateTime>,
}

/// Checks units, dates, protection and overlap again for a stored row.
fn recheck(
    conn: &mut DbConnection,
    policy: &Policy,
    row: &SecondmentRow,
) -> Result<(), SecondmentError> {
    let official = super::officials::find(conn, &row.official_id)?;
    let fields = super::secondments::SecondmentFields::from(row);
    super::secondments::check_fields(conn, policy, &official, &fields, Some(&row.id))?;
    Ok(())
}

/// Draft -> pending approval. The agreement and the consultation must be
/// recorded first (the legal steps before a proposal).
pub fn submit(
    conn: &mut DbConnection,
    actor: &Actor,
    viewer: &Viewer,
    policy: &Policy,
    id: &str,
) -> Result<SecondmentRow, SecondmentError> {
    conn.transaction(|conn| {
        let seen = super::secondments::find_visible(conn, viewer, id)?;
        lock_official(conn, &seen.official_id)?;
        let row = find(conn, id)?;
        if row.status() == Status::Draft {
            recheck(conn, policy, &row)?;
            if row.agreement_ref.as_deref().is_none_or(|r| r.trim().is_empty()) {
                return Err(policy_error(
                    "agreement_before_submit",
                    "record agreement_ref (the written agreement between the sending and receiving agencies) before submitting",
                ));
            }
            if row.consultation_held_on.is_none() {
                return Err(policy_error(
                    "consultation_before_submit",
                    "record the consultation (held_on, note): the sending head must meet the official before submitting",
                ));
            }
        }
        apply(
            conn,
            actor,
            &row,
            Action::Submit,
            |c| c.submitted_at = Some(now_utc()),
            None,
        )
    })
}

/// When a secondment ends early (cancelled or terminated), its pending
/// extension lapses and its planned milestones are cancelled.
fn close_open_items(
    conn: &mut DbConnection,
    actor: &Actor,
    row: &SecondmentRow,
    why: Lapse,
) -> Result<(), StoreError> {
    use super::schema::milestones;
    let now = now_utc();
    let ext = lapse_pending(conn, actor, &row.id, why)?;
    let ms = diesel::update(
        milestones::table
            .filter(milestones::secondment_id.eq(&row.id))
            .filter(milestones::status.eq("planned")),
    )
    .set((
        milestones::status.eq("cancelled"),
        milestones::updated_at.eq(now),
    ))
    .execute(conn)?;
    let emails = crate::store::outbox::cancel_unsent(conn, &row.id, None, None)?;
    if ext + ms + emails > 0 {
        audit::record_in(
            conn,
            actor,
            Some(&row.id),
            "secondment.open_items_closed",
            "secondment",
            &row.id,
            None,
            Some(serde_json::json!({
                "extensions_withdrawn": ext,
                "milestones_cancelled": ms,
                "emails_cancelled": emails,
            })),
        )?;
    }
    Ok(())
}

/// Draft, pending or approved -> cancelled.
pub fn cancel(
    conn: &mut DbConnection,
    actor: &Actor,
    viewer: &Viewer,
    id: &str,
    reason: &str,
) -> Result<SecondmentRow, SecondmentError> {
    conn.transaction(|conn| {
        let row = super::secondments::find_visible(conn, viewer, id)?;
        let cancelled = apply(
            conn,
            actor,
            &row,
            Action::Cancel,
            |c| c.end_reason = Some(reason.to_string()),
            None,
        )?;
        close_open_items(conn, actor, &cancelled, Lapse::Cancelled)?;
        Ok(cancelled)
    })
}

/// Active -> terminated on `actual_end_date` (between start and end).
pub fn terminate(
    conn: &mut DbConnection,
    actor: &Actor,
    viewer: &Viewer,
    id: &str,
    reason: &str,
    actual_end_date: NaiveDate,
) -> Result<SecondmentRow, SecondmentError> {
    conn.transaction(|conn| {
        let row = super::secondments::find_visible(conn, viewer, id)?;
        if row.status() == Status::Active
            && (actual_end_date < row.start_date || actual_end_date > row.end_date)
        {
            return Err(SecondmentError::Policy(Violation {
                rule: "termination_within_secondment",
                message: format!(
                    "actual_end_date must lie between the start date {} and the end date {}",
                    row.start_date, row.end_date
                ),
                field: Some("actual_end_date"),
                latest_end_date: None,
            }));
        }
        let terminated = apply(
            conn,
            actor,
            &row,
            Action::Terminate,
            |c| {
                c.end_reason = Some(reason.to_string());
                c.actual_end_date = Some(actual_end_date);
            },
            None,
        )?;
        close_open_items(conn, actor, &terminated, Lapse::Terminated)?;
        Ok(terminated)
    })
}

/// A director's decision on the pending proposal.
#[derive(Debug, Clone)]
pub struct Decision {
    /// Approve or reject.
    pub approve: bool,
    /// Comment.
    pub comment: Option<String>,
    /// Decision number, recorded when this approval completes the request.
    pub decision_ref: Option<String>,
    /// Today in the configured time zone (which delegations are in force).
    pub today: NaiveDate,
    /// The day of the decision, as stated by the director.
    pub decided_on: Option<NaiveDate>,
}

/// Records the decision for every required side the director covers that
/// has not decided on `request_id` yet; returns the request's outcome and
/// an audit detail. Self-decision is refused (403).
#[allow(clippy::too_many_arguments)]
pub(crate) fn record_decisions(
    conn: &mut DbConnection,
    actor: &Actor,
    viewer: &Viewer,
    required: &[Side],
    row: &SecondmentRow,
    request_id: &str,
    request_kind: &str,
    decision: &Decision,
) -> Result<(Outcome, serde_json::Value), SecondmentError> {
    if viewer.official_id.as_deref() == Some(row.official_id.as_str()) {
        return Err(SecondmentError::Forbidden(
            "A director never decides a request about themselves.".into(),
        ));
    }
    let existing: Vec<(String, String)> = approvals::table
        .filter(approvals::request_id.eq(request_id))
        .select((approvals::side, approvals::decision))
        .load(conn)?;
    let delegators = super::delegations::active_delegators(conn, &viewer.user_id, decision.today)?;
    // Who decides for which side is the rule `domain::actions` offers the
    // buttons by; the delegations are read again under this transaction.
    let scopes: Vec<_> = delegators.iter().map(|(_, scope)| scope.clone()).collect();
    let caller = Caller {
        delegated: &scopes,
        ..viewer.caller()
    };
    let posting = row.posting();
    let covered: Vec<(Side, Option<String>)> = required
        .iter()
        .filter_map(|side| {
            caller.decides_for(posting, *side).map(|d| match d {
                Decider::Director => (*side, None),
                Decider::StandingIn(i) => (*side, delegators.get(i).map(|(id, _)| id.clone())),
            })
        })
        .collect();
    if covered.is_empty() {
        return Err(SecondmentError::Forbidden(
            "You do not decide for any side of this request.".into(),
        ));
    }
    let to_decide: Vec<(Side, Option<String>)> = covered
        .into_iter()
        .filter(|(s, _)| !existing.iter().any(|(side, _)| side == s.as_str()))
        .collect();
    if to_decide.is_empty() {
        return Err(SecondmentError::Conflict(
            "Your sides have already decided on this request.".into(),
        ));
    }
    if let Some(day) = decision.decided_on {
        // The day the request was made: the extension's, or the submission.
        let asked = if request_kind == "extension" {
            super::schema::extensions::table
                .find(request_id)
                .select(super::schema::extensions::created_at)
                .first::<chrono::NaiveDateTime>(conn)
                .map_err(StoreError::from)?
                .date()
        } else {
            row.submitted_at.unwrap_or(row.created_at).date()
        };
        if day < asked || day > decision.today {
            return Err(SecondmentError::Policy(Violation {
                rule: "decision_date",
                message: format!(
                    "decided_on must lie between {asked} (when the request was made) and today"
                ),
                field: Some("decided_on"),
                latest_end_date: None,
            }));
        }
    }
    let now = now_utc();
    let verdict = if decision.approve {
        "approved"
    } else {
        "rejected"
    };
    for (side, on_behalf_of) in &to_decide {
        diesel::insert_into(approvals::table)
            .values((
                approvals::id.eq(new_id()),
                approvals::secondment_id.eq(&row.id),
                approvals::request_id.eq(request_id),
                approvals::request_kind.eq(request_kind),
                approvals::side.eq(side.as_str()),
                approvals::decision.eq(verdict),
                approvals::comment.eq(&decision.comment),
                approvals::decided_by.eq(&viewer.user_id),
                approvals::on_behalf_of.eq(on_behalf_of),
                approvals::decided_at.eq(now),
                approvals::decided_on.eq(decision.decided_on),
            ))
            .execute(conn)
            .map_err(StoreError::from)?;
    }
    let detail = serde_json::json!({
        "request": request_kind,
        "request_id": request_id,
        "sides": to_decide.iter().map(|(s, _)| s.as_str()).collect::<Vec<_>>(),
        "on_behalf_of": to_decide.iter().find_map(|(_, d)| d.clone()),
        "decision": verdict,
        "comment": decision.comment,
    });
    audit::record_in(
        conn,
        actor,
        Some(&row.id),
        if decision.approve {
            "approval.approved"
        } else {
            "approval.rejected"
        },
        request_kind,
        request_id,
        None,
        Some(detail.clone()),
    )?;
    let mut decisions: Vec<(Side, bool)> = existing
        .iter()
        .filter_map(|(s, d)| Side::parse(s).map(|side| (side, d == "approved")))
        .collect();
    decisions.extend(to_decide.iter().map(|(s, _)| (*s, decision.approve)));
    Ok((approval::outcome(required, &decisions), detail))
}

/// A director's decision on the pending proposal; the last approval makes
/// it approved and plans its default milestones.
#[allow(clippy::too_many_arguments)]
pub fn decide_proposal(
    conn: &mut DbConnection,
    actor: &Actor,
    viewer: &Viewer,
    required: &[Side],
    templates: &[Template],
    policy: &Policy,
    id: &str,
    decision: &Decision,
) -> Result<SecondmentRow, SecondmentError> {
    conn.transaction(|conn| {
        let seen = super::secondments::find_visible(conn, viewer, id)?;
        // Serialise decisions on one official: two sides approving at the
        // same moment must see each other's approval.
        lock_official(conn, &seen.official_id)?;
        super::secondments::lock_secondment(conn, id)?;
        let row = find(conn, id)?;
        if row.status() != Status::PendingApproval {
            return Err(SecondmentError::Transition {
                from: row.status().as_str(),
                action: if decision.approve {
                    "approve"
                } else {
                    "reject"
                },
            });
        }
        let (outcome, detail) = record_decisions(
            conn, actor, viewer, required, &row, &row.id, "proposal", decision,
        )?;
        match outcome {
            Outcome::Waiting => Ok(find(conn, &row.id)?),
            Outcome::Rejected => apply(conn, actor, &row, Action::Reject, |_| {}, Some(detail)),
            Outcome::Approved => {
                // The rules may have changed since the draft (protection
                // recorded, a unit merged away): check them again.
                recheck(conn, policy, &row)?;
                let decision_ref = decision.decision_ref.clone();
                let approved = apply(
                    conn,
                    actor,
                    &row,
                    Action::Approve,
                    |c| c.decision_ref = decision_ref,
                    Some(detail),
                )?;
                super::milestones::create_defaults(conn, actor, &approved, templates)?;
                Ok(approved)
            }
        }
    })
}

/// What one tick changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct TickSummary {
    /// Approved secondments that started.
    pub activated: usize,
    /// Active secondments whose end date passed.
    pub completed: usize,
    /// Planned milestones whose due date passed.
    pub milestones_missed: usize,
    /// Reminders planned (an email may carry several: a daily digest).
    pub reminders_planned: usize,
}

/// The state part of the daily tick for `today`: approved secondments
/// whose start date has come become active; active ones whose end date is
/// before today complete (on their end date) and their pending extension
/// lapses; planned milestones past due become missed. Running it twice for a day changes nothing.
pub fn tick(conn: &mut DbConnection, today: NaiveDate) -> Result<TickSummary, SecondmentError> {
    let actor = Actor::system();
    conn.transaction(|conn| {
        let mut summary = TickSummary::default();
        let starting: Vec<SecondmentRow> = secondments::table
            .filter(secondments::status.eq(Status::Approved.as_str()))
            .filter(secondments::start_date.le(today))
            .select(SecondmentRow::as_select())
            .load(conn)?;
        for row in &starting {
            lock_official(conn, &row.official_id)?;
            apply(conn, &actor, row, Action::Activate, |_| {}, None)?;
            summary.activated += 1;
        }
        let ending: Vec<SecondmentRow> = secondments::table
            .filter(secondments::status.eq(Status::Active.as_str()))
            .filter(secondments::end_date.lt(today))
            .select(SecondmentRow::as_select())
            .load(conn)?;
        for row in &ending {
            let end = row.end_date;
            apply(
                conn,
                &actor,
                row,
                Action::Complete,
                |c| c.actual_end_date = Some(end),
                None,
            )?;
            // Its end date can no longer move: a request to move it lapses.
            lapse_pending(conn, &actor, &row.id, Lapse::Completed)?;
            summary.completed += 1;
        }
        summary.milestones_missed = super::milestones::mark_missed(conn, today)?;
        Ok(summary)
    })
}

/// Re-points every secondment not yet ended whose home or host is
/// `source` to `target` (a unit merge), with a history event each.
pub fn repoint(
    conn: &mut DbConnection,
    actor: &Actor,
    source: &str,
    target: &str,
    effective_date: NaiveDate,
) -> Result<usize, StoreError> {
    let open: Vec<&str> = Status::ALL
        .iter()
        .filter(|s| s.is_open())
        .map(|s| s.as_str())
        .collect();
    let rows: Vec<SecondmentRow> = secondments::table
        .filter(secondments::status.eq_any(open))
        .filter(
            secondments::home_unit_id
                .eq(source)
                .or(secondments::host_unit_id.eq(source)),
        )
        .select(SecondmentRow::as_select())
        .load(conn)?;
    for row in &rows {
        let home = if row.home_unit_id == source {
            target
        } else {
            row.home_unit_id.as_str()
        };
        let host = if row.host_unit_id == source {
            target
        } else {
            row.host_unit_id.as_str()
        };
        diesel::update(secondments::table.find(&row.id))
            .set((
                secondments::home_unit_id.eq(home),
                secondments::host_unit_id.eq(host),
                secondments::version.eq(row.version + 1),
                secondments::updated_at.eq(now_utc()),
            ))
            .execute(conn)?;
        let after = find(conn, &row.id)?;
        let mut after_json = snapshot(&after);
        after_json["detail"] = serde_json::json!({
            "merged_unit_id": source,
            "successor_id": target,
            "effective_date": effective_date,
        });
        audit::record_in(
            conn,
            actor,
            Some(&row.id),
            "secondment.unit_merged",
            "secondment",
            &row.id,
            Some(snapshot(row)),
            Some(after_json),
        )?;
    }
    Ok(rows.len())
}
