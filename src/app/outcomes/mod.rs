//! Outcomes logged while a secondment runs (by the seconded official or
//! HR, acknowledged by a host director: `write`), and the final
//! evaluation of a completed one (`evaluation`).

mod evaluation;
mod write;

pub use evaluation::{evaluate, CreateEvaluation, Evaluation};
pub use write::{acknowledge, create, delete, update};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::caller;
use super::fields::{Day, Id, Line, LongText, Name, Plain};
use super::patch::double_option;
use super::posting::visible;
use super::{AppError, FieldError};
use crate::auth::AuthUser;
use crate::domain::actions::{self, OutcomeActions};
use crate::domain::outcome::{Metric, Pillar};
use crate::store::outcomes::{self, OutcomeRow};
use crate::store::secondments::{SecondmentRow, Viewer};
use crate::store::DbConnection;

/// An outcome.
#[derive(Debug, Serialize, ToSchema)]
pub struct Outcome {
    /// Identifier.
    pub id: String,
    /// The secondment.
    pub secondment_id: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Pillar.
    pub pillar: Pillar,
    /// When it happened.
    pub occurred_on: NaiveDate,
    /// Measured results.
    pub metrics: Vec<Metric>,
    /// The milestone it belongs to.
    pub milestone_id: Option<String>,
    /// The host director who acknowledged it.
    pub acknowledged_by: Option<String>,
    /// When (UTC).
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// Who logged it.
    pub created_by: String,
    /// Version (the ETag).
    pub version: i32,
    /// What the caller may do with it (lists of a secondment; decision 0042).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actions: Option<OutcomeActions>,
}

impl From<OutcomeRow> for Outcome {
    fn from(o: OutcomeRow) -> Self {
        Outcome {
            metrics: o.metrics(),
            id: o.id,
            secondment_id: o.secondment_id,
            title: o.title,
            description: o.description,
            pillar: o.pillar,
            occurred_on: o.occurred_on,
            milestone_id: o.milestone_id,
            acknowledged_by: o.acknowledged_by,
            acknowledged_at: o.acknowledged_at.map(|t| t.and_utc()),
            created_by: o.created_by,
            version: o.version,
            actions: None,
        }
    }
}

/// A new outcome.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOutcome {
    /// Title.
    pub title: Name,
    /// Description.
    pub description: Option<LongText>,
    /// Pillar.
    pub pillar: Pillar,
    /// When it happened.
    pub occurred_on: Day,
    /// Measured results.
    #[serde(default)]
    #[schema(max_items = 50)]
    pub metrics: Vec<MetricInput>,
    /// The milestone it belongs to.
    pub milestone_id: Option<Id>,
}

/// Changes; absent fields stay.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateOutcome {
    /// Title.
    pub title: Option<Name>,
    /// Description.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<LongText>)]
    pub description: Option<Option<LongText>>,
    /// Pillar.
    pub pillar: Option<Pillar>,
    /// Date.
    pub occurred_on: Option<Day>,
    /// Metrics (replace the list).
    #[schema(max_items = 50)]
    pub metrics: Option<Vec<MetricInput>>,
    /// Milestone.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Id>)]
    pub milestone_id: Option<Option<Id>>,
}

/// One measured result, as sent.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MetricInput {
    /// What was measured, e.g. "dịch vụ công trực tuyến toàn trình".
    pub name: Line<200>,
    /// The value.
    pub value: f64,
    /// The unit, e.g. "%" or "dịch vụ".
    #[serde(default)]
    pub unit: Option<Line<50>>,
}

fn check_metrics(metrics: &[MetricInput], errors: &mut Vec<FieldError>) {
    if metrics.len() > 50 {
        errors.push(FieldError::new("metrics", "must hold at most 50 metrics"));
    }
}

fn metrics_of(input: Vec<MetricInput>) -> Vec<Metric> {
    input
        .into_iter()
        .map(|m| Metric {
            name: m.name.plain(),
            value: m.value,
            unit: m.unit.plain(),
        })
        .collect()
}

/// An outcome and its secondment, when the viewer sees the secondment.
fn visible_outcome(
    tx: &mut DbConnection,
    viewer: &Viewer,
    id: &str,
) -> Result<(OutcomeRow, SecondmentRow), AppError> {
    let o = outcomes::find(tx, id)?;
    let s = visible(tx, viewer, &o.secondment_id)?;
    Ok((o, s))
}

/// The outcomes of a secondment the caller sees, in the order they
/// happened, each with what the caller may do with it.
pub fn of_secondment(
    caller: &AuthUser,
    tx: &mut DbConnection,
    secondment_id: &str,
) -> Result<Vec<Outcome>, AppError> {
    let viewer = caller::viewer(tx, caller)?;
    let s = visible(tx, &viewer, secondment_id)?;
    let who = viewer.caller();
    Ok(outcomes::for_secondment(tx, secondment_id)?
        .into_iter()
        .map(|o| {
            let allowed =
                actions::outcome_actions(who, s.posting(), s.status(), o.acknowledged_by.is_some());
            Outcome {
                actions: Some(allowed),
                ..Outcome::from(o)
            }
        })
        .collect())
}

/// One outcome of a secondment the caller sees.
pub fn find(caller: &AuthUser, tx: &mut DbConnection, id: &str) -> Result<Outcome, AppError> {
    let viewer = caller::viewer(tx, caller)?;
    Ok(visible_outcome(tx, &viewer, id)?.0.into())
}
