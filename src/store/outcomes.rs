//! Outcomes logged during a secondment, and the final evaluation. Who may
//! write them, and when, is the application's (`app::outcomes`).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::audit::{self, Actor};
use super::schema::{evaluations, outcomes};
use super::secondments::Viewer;
use super::{new_id, now_utc, DbConnection, StoreError};
use crate::domain::outcome::Metric;

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

impl From<&OutcomeRow> for OutcomeFields {
    fn from(o: &OutcomeRow) -> Self {
        OutcomeFields {
            title: o.title.clone(),
            description: o.description.clone(),
            pillar: o.pillar.as_str().to_string(),
            occurred_on: o.occurred_on,
            metrics: o.metrics(),
            milestone_id: o.milestone_id.clone(),
        }
    }
}

fn snapshot(o: &OutcomeRow) -> serde_json::Value {
    serde_json::to_value(o).unwrap_or_default()
}

fn metrics_json(f: &OutcomeFields) -> String {
    serde_json::to_string(&f.metrics).unwrap_or_else(|_| "[]".into())
}

/// Records an outcome of a secondment, logged by `by`, in its history.
pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    by: &Viewer,
    secondment_id: &str,
    f: &OutcomeFields,
) -> Result<OutcomeRow, StoreError> {
    let id = new_id();
    let now = now_utc();
    diesel::insert_into(outcomes::table)
        .values((
            outcomes::id.eq(&id),
            outcomes::secondment_id.eq(secondment_id),
            outcomes::title.eq(&f.title),
            outcomes::description.eq(&f.description),
            outcomes::pillar.eq(&f.pillar),
            outcomes::occurred_on.eq(f.occurred_on),
            outcomes::metrics_json.eq(metrics_json(f)),
            outcomes::milestone_id.eq(&f.milestone_id),
            outcomes::created_by.eq(&by.user_id),
            outcomes::version.eq(1),
            outcomes::created_at.eq(now),
            outcomes::updated_at.eq(now),
        ))
        .execute(conn)?;
    let row = find(conn, &id)?;
    audit::record_in(
        conn,
        actor,
        Some(secondment_id),
        "outcome.created",
        "outcome",
        &id,
        None,
        Some(snapshot(&row)),
    )?;
    Ok(row)
}

/// One outcome.
pub fn find(conn: &mut DbConnection, id: &str) -> Result<OutcomeRow, StoreError> {
    Ok(outcomes::table
        .find(id)
        .select(OutcomeRow::as_select())
        .first(conn)?)
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

/// Replaces the fields of the outcome read as `before`, in its history;
/// `None` when it changed since (another version).
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    before: &OutcomeRow,
    f: &OutcomeFields,
) -> Result<Option<OutcomeRow>, StoreError> {
    let changed = diesel::update(
        outcomes::table
            .find(&before.id)
            .filter(outcomes::version.eq(before.version)),
    )
    .set((
        outcomes::title.eq(&f.title),
        outcomes::description.eq(&f.description),
        outcomes::pillar.eq(&f.pillar),
        outcomes::occurred_on.eq(f.occurred_on),
        outcomes::metrics_json.eq(metrics_json(f)),
        outcomes::milestone_id.eq(&f.milestone_id),
        outcomes::version.eq(before.version + 1),
        outcomes::updated_at.eq(now_utc()),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Ok(None);
    }
    let after = find(conn, &before.id)?;
    audit::record_in(
        conn,
        actor,
        Some(&before.secondment_id),
        "outcome.updated",
        "outcome",
        &before.id,
        Some(snapshot(before)),
        Some(snapshot(&after)),
    )?;
    Ok(Some(after))
}

/// Deletes the outcome read as `before`; its history keeps it.
pub fn delete(
    conn: &mut DbConnection,
    actor: &Actor,
    before: &OutcomeRow,
) -> Result<(), StoreError> {
    diesel::delete(outcomes::table.find(&before.id)).execute(conn)?;
    audit::record_in(
        conn,
        actor,
        Some(&before.secondment_id),
        "outcome.deleted",
        "outcome",
        &before.id,
        Some(snapshot(before)),
        None,
    )
}

/// Records that `by` acknowledged an outcome, in its history; `None` when
/// it was acknowledged already.
pub fn acknowledge(
    conn: &mut DbConnection,
    actor: &Actor,
    by: &Viewer,
    id: &str,
) -> Result<Option<OutcomeRow>, StoreError> {
    let before = find(conn, id)?;
    let now = now_utc();
    let changed = diesel::update(
        outcomes::table
            .find(id)
            .filter(outcomes::acknowledged_by.is_null()),
    )
    .set((
        outcomes::acknowledged_by.eq(Some(&by.user_id)),
        outcomes::acknowledged_at.eq(Some(now)),
        outcomes::version.eq(before.version + 1),
        outcomes::updated_at.eq(now),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Ok(None);
    }
    let after = find(conn, id)?;
    audit::record_in(
        conn,
        actor,
        Some(&before.secondment_id),
        "outcome.acknowledged",
        "outcome",
        id,
        Some(snapshot(&before)),
        Some(snapshot(&after)),
    )?;
    Ok(Some(after))
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

/// Records the final evaluation of a secondment by `by`, in its history;
/// `None` when it is evaluated already (the key decides between two
/// recorded at once).
pub fn evaluate(
    conn: &mut DbConnection,
    actor: &Actor,
    by: &Viewer,
    secondment_id: &str,
    rating: &str,
    comment: Option<&str>,
) -> Result<Option<EvaluationRow>, StoreError> {
    // Its own savepoint: on PostgreSQL the refused insert must not abort
    // the unit of work around it.
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(evaluations::table)
            .values((
                evaluations::secondment_id.eq(secondment_id),
                evaluations::rating.eq(rating),
                evaluations::comment.eq(comment),
                evaluations::evaluated_by.eq(&by.user_id),
                evaluations::evaluated_at.eq(now_utc()),
            ))
            .execute(conn)
    });
    match inserted.map_err(StoreError::from) {
        Ok(_) => {}
        Err(StoreError::UniqueViolation(_)) => return Ok(None),
        Err(e) => return Err(e),
    }
    let row = evaluation_of(conn, secondment_id)?.ok_or(StoreError::NotFound)?;
    audit::record_in(
        conn,
        actor,
        Some(secondment_id),
        "secondment.evaluated",
        "evaluation",
        secondment_id,
        None,
        Some(serde_json::to_value(&row).unwrap_or_default()),
    )?;
    Ok(Some(row))
}
