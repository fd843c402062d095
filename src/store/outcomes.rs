//! Outcomes logged during a secondment, and the final evaluation.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::audit::{self, Actor};
use super::schema::{evaluations, outcomes};
use super::secondments::{find_visible, SecondmentError, SecondmentRow, Viewer};
use super::{new_id, now_utc, DbConnection, StoreError};
use crate::domain::outcome::Metric;
use crate::domain::secondment::Status;

/// A stored outcome.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = outcomes)]
pub struct OutcomeRow {
    /// Identifier.
    pub id: String,
    /// The secondment.
    pub secondment_id: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Pillar (stored form).
    #[diesel(deserialize_as = String)]
    pub pillar: crate::domain::outcome::Pillar,
    /// When it happened.
    pub occurred_on: NaiveDate,
    /// Metrics as JSON.
    pub metrics_json: String,
    /// The milestone it belongs to.
    pub milestone_id: Option<String>,
    /// Host director who acknowledged it.
    pub acknowledged_by: Option<String>,
    /// When.
    pub acknowledged_at: Option<NaiveDateTime>,
    /// Who logged it.
    pub created_by: String,
    /// Version.
    pub version: i32,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Last changed.
    pub updated_at: NaiveDateTime,
}

impl OutcomeRow {
    /// The metrics.
    pub fn metrics(&self) -> Vec<Metric> {
        serde_json::from_str(&self.metrics_json).unwrap_or_default()
    }
}

/// The fields of an outcome.
#[derive(Debug, Clone)]
pub struct OutcomeFields {
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Pillar (stored form).
    pub pillar: String,
    /// Date.
    pub occurred_on: NaiveDate,
    /// Metrics.
    pub metrics: Vec<Metric>,
    /// Milestone.
    pub milestone_id: Option<String>,
}

fn snapshot(o: &OutcomeRow) -> serde_json::Value {
    serde_json::to_value(o).unwrap_or_default()
}

fn check_active(s: &SecondmentRow, what: &'static str) -> Result<(), SecondmentError> {
    if !crate::domain::actions::outcomes_open(s.status()) {
        return Err(SecondmentError::Transition {
            from: s.status().as_str(),
            action: what,
        });
    }
    Ok(())
}

/// An outcome happened during the secondment.
fn check_occurred_on(s: &SecondmentRow, day: chrono::NaiveDate) -> Result<(), SecondmentError> {
    let end = s.actual_end_date.unwrap_or(s.end_date);
    crate::domain::secondment::check_happened_within(
        "occurred_on",
        day,
        s.start_date,
        end,
        chrono::NaiveDate::MAX,
    )
    .map_err(SecondmentError::Policy)
}

fn check_milestone(
    conn: &mut DbConnection,
    s: &SecondmentRow,
    milestone_id: Option<&str>,
) -> Result<(), SecondmentError> {
    if let Some(m) = milestone_id {
        match super::milestones::find(conn, m) {
            Ok(row) if row.secondment_id == s.id => {}
            Ok(_) | Err(StoreError::NotFound) => {
                return Err(SecondmentError::Invalid {
                    field: "milestone_id",
                    message: "names no milestone of this secondment".into(),
                })
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// Logs an outcome of an active secondment.
pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    viewer: &Viewer,
    secondment_id: &str,
    f: &OutcomeFields,
) -> Result<OutcomeRow, SecondmentError> {
    conn.transaction(|conn| {
        let s = find_visible(conn, viewer, secondment_id)?;
        if !viewer.may_write_outcomes(s.posting()) {
            return Err(SecondmentError::Forbidden(
                "Outcomes are logged by the seconded official or HR.".into(),
            ));
        }
        check_active(&s, "log an outcome of")?;
        check_occurred_on(&s, f.occurred_on)?;
        check_milestone(conn, &s, f.milestone_id.as_deref())?;
        let id = new_id();
        let now = now_utc();
        diesel::insert_into(outcomes::table)
            .values((
                outcomes::id.eq(&id),
                outcomes::secondment_id.eq(&s.id),
                outcomes::title.eq(&f.title),
                outcomes::description.eq(&f.description),
                outcomes::pillar.eq(&f.pillar),
                outcomes::occurred_on.eq(f.occurred_on),
                outcomes::metrics_json
                    .eq(serde_json::to_string(&f.metrics).unwrap_or_else(|_| "[]".into())),
                outcomes::milestone_id.eq(&f.milestone_id),
                outcomes::created_by.eq(&viewer.user_id),
                outcomes::version.eq(1),
                outcomes::created_at.eq(now),
                outcomes::updated_at.eq(now),
            ))
            .execute(conn)
            .map_err(StoreError::from)?;
        let row = find(conn, &id)?;
        audit::record_in(
            conn,
            actor,
            Some(&s.id),
            "outcome.created",
            "outcome",
            &id,
            None,
            Some(snapshot(&row)),
        )?;
        Ok(row)
    })
}

/// One outcome.
pub fn find(conn: &mut DbConnection, id: &str) -> Result<OutcomeRow, StoreError> {
    Ok(outcomes::table
        .find(id)
        .select(OutcomeRow::as_select())
        .first(conn)?)
}

/// An outcome with its secondment, if the viewer may see it.
pub fn find_visible_outcome(
    conn: &mut DbConnection,
    viewer: &Viewer,
    id: &str,
) -> Result<(OutcomeRow, SecondmentRow), SecondmentError> {
    let o = match find(conn, id) {
        Ok(o) => o,
        Err(StoreError::NotFound) => return Err(SecondmentError::NotFound),
        Err(e) => return Err(e.into()),
    };
    let s = find_visible(conn, viewer, &o.secondment_id)?;
    Ok((o, s))
}

/// A secondment's outcomes in the order they happened.
pub fn for_secondment(
    conn: &mut DbConnection,
    secondment_id: &str,
) -> Result<Vec<OutcomeRow>, StoreError> {
    Ok(outcomes::table
        .filter(outcomes::secondment_id.eq(secondment_id))
        .order((outcomes::occurred_on.asc(), outcomes::id.asc()))
        .select(OutcomeRow::as_select())
        .load(conn)?)
}

/// Edits an outcome (while the secondment is active).
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    viewer: &Viewer,
    id: &str,
    expected_version: Option<i32>,
    change: impl FnOnce(&mut OutcomeFields),
) -> Result<OutcomeRow, SecondmentError> {
    conn.transaction(|conn| {
        let (before, s) = find_visible_outcome(conn, viewer, id)?;
        let expected_version = expected_version.unwrap_or(before.version);
        if !viewer.may_write_outcomes(s.posting()) {
            return Err(SecondmentError::Forbidden(
                "Outcomes are edited by the seconded official or HR.".into(),
            ));
        }
        check_active(&s, "edit an outcome of")?;
        if before.version != expected_version {
            return Err(SecondmentError::Stale);
        }
        let mut f = OutcomeFields {
            title: before.title.clone(),
            description: before.description.clone(),
            pillar: before.pillar.as_str().to_string(),
            occurred_on: before.occurred_on,
            metrics: before.metrics(),
            milestone_id: before.milestone_id.clone(),
        };
        change(&mut f);
        check_occurred_on(&s, f.occurred_on)?;
        check_milestone(conn, &s, f.milestone_id.as_deref())?;
        let changed = diesel::update(
            outcomes::table
                .find(id)
                .filter(outcomes::version.eq(expected_version)),
        )
        .set((
            outcomes::title.eq(&f.title),
            outcomes::description.eq(&f.description),
            outcomes::pillar.eq(&f.pillar),
            outcomes::occurred_on.eq(f.occurred_on),
            outcomes::metrics_json
                .eq(serde_json::to_string(&f.metrics).unwrap_or_else(|_| "[]".into())),
            outcomes::milestone_id.eq(&f.milestone_id),
            outcomes::version.eq(expected_version + 1),
            outcomes::updated_at.eq(now_utc()),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Err(SecondmentError::Stale);
        }
        let after = find(conn, id)?;
        audit::record_in(
            conn,
            actor,
            Some(&s.id),
            "outcome.updated",
            "outcome",
            id,
            Some(snapshot(&before)),
            Some(snapshot(&after)),
        )?;
        Ok(after)
    })
}

/// Deletes an outcome (while the secondment is active); the audit keeps it.
pub fn delete(
    conn: &mut DbConnection,
    actor: &Actor,
    viewer: &Viewer,
    id: &str,
) -> Result<(), SecondmentError> {
    conn.transaction(|conn| {
        let (before, s) = find_visible_outcome(conn, viewer, id)?;
        if !viewer.may_write_outcomes(s.posting()) {
            return Err(SecondmentError::Forbidden(
                "Outcomes are deleted by the seconded official or HR.".into(),
            ));
        }
        check_active(&s, "delete an outcome of")?;
        diesel::delete(outcomes::table.find(id)).execute(conn)?;
        audit::record_in(
            conn,
            actor,
            Some(&s.id),
            "outcome.deleted",
            "outcome",
            id,
            Some(snapshot(&before)),
            None,
        )?;
        Ok(())
    })
}

/// A host-side director acknowledges an outcome.
pub fn acknowledge(
    conn: &mut DbConnection,
    actor: &Actor,
    viewer: &Viewer,
    id: &str,
) -> Result<OutcomeRow, SecondmentError> {
    conn.transaction(|conn| {
        let (before, s) = find_visible_outcome(conn, viewer, id)?;
        if !viewer.directs_host(s.posting()) {
            return Err(SecondmentError::Forbidden(
                "Outcomes are acknowledged by a director of the host side.".into(),
            ));
        }
        if before.acknowledged_by.is_some() {
            return Err(SecondmentError::Conflict(
                "The outcome is already acknowledged.".into(),
            ));
        }
        let changed = diesel::update(
            outcomes::table
                .find(id)
                .filter(outcomes::acknowledged_by.is_null()),
        )
        .set((
            outcomes::acknowledged_by.eq(Some(&viewer.user_id)),
            outcomes::acknowledged_at.eq(Some(now_utc())),
            outcomes::version.eq(before.version + 1),
            outcomes::updated_at.eq(now_utc()),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Err(SecondmentError::Conflict(
                "The outcome is already acknowledged.".into(),
            ));
        }
        let after = find(conn, id)?;
        audit::record_in(
            conn,
            actor,
            Some(&s.id),
            "outcome.acknowledged",
            "outcome",
            id,
            Some(snapshot(&before)),
            Some(snapshot(&after)),
        )?;
        Ok(after)
    })
}

/// A stored evaluation.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = evaluations)]
pub struct EvaluationRow {
    /// The secondment.
    pub secondment_id: String,
    /// Rating (stored form).
    #[diesel(deserialize_as = String)]
    pub rating: crate::domain::outcome::Rating,
    /// Comment.
    pub comment: Option<String>,
    /// Who evaluated.
    pub evaluated_by: String,
    /// When.
    pub evaluated_at: NaiveDateTime,
}

/// The evaluation of a secondment, if recorded.
pub fn evaluation_of(
    conn: &mut DbConnection,
    secondment_id: &str,
) -> Result<Option<EvaluationRow>, StoreError> {
    Ok(evaluations::table
        .find(secondment_id)
        .select(EvaluationRow::as_select())
        .first(conn)
        .optional()?)
}

/// A host-side director records the final evaluation of a completed
/// secondment, once.
pub fn evaluate(
    conn: &mut DbConnection,
    actor: &Actor,
    viewer: &Viewer,
    secondment_id: &str,
    rating: &str,
    comment: Option<&str>,
) -> Result<EvaluationRow, SecondmentError> {
    conn.transaction(|conn| {
        let s = find_visible(conn, viewer, secondment_id)?;
        if !viewer.directs_host(s.posting()) {
            // `domain::actions::may_evaluate` offers the form by this rule.
            return Err(SecondmentError::Forbidden(
                "The final evaluation is recorded by a director of the host side.".into(),
            ));
        }
        if viewer.official_id.as_deref() == Some(s.official_id.as_str()) {
            return Err(SecondmentError::Forbidden(
                "A director never evaluates themselves.".into(),
            ));
        }
        if s.status() != Status::Completed {
            return Err(SecondmentError::Transition {
                from: s.status().as_str(),
                action: "evaluate",
            });
        }
        if evaluation_of(conn, &s.id)?.is_some() {
            return Err(SecondmentError::Conflict(
                "The secondment is already evaluated.".into(),
            ));
        }
        diesel::insert_into(evaluations::table)
            .values((
                evaluations::secondment_id.eq(&s.id),
                evaluations::rating.eq(rating),
                evaluations::comment.eq(comment),
                evaluations::evaluated_by.eq(&viewer.user_id),
                evaluations::evaluated_at.eq(now_utc()),
            ))
            .execute(conn)
            .map_err(|e| match StoreError::from(e) {
                StoreError::UniqueViolation(_) => {
                    SecondmentError::Conflict("The secondment is already evaluated.".into())
                }
                other => other.into(),
            })?;
        let row = evaluation_of(conn, &s.id)?.ok_or(StoreError::NotFound)?;
        audit::record_in(
            conn,
            actor,
            Some(&s.id),
            "secondment.evaluated",
            "evaluation",
            &s.id,
            None,
            Some(serde_json::to_value(&row).unwrap_or_default()),
        )?;
        Ok(row)
    })
}
