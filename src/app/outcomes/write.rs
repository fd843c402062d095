//! Logging, changing and deleting the outcomes of an active secondment
//! (the seconded official or HR), and their acknowledgement by a director
//! of the host side.

use chrono::NaiveDate;

use super::{check_metrics, metrics_of, visible_outcome, CreateOutcome, Outcome, UpdateOutcome};
use crate::app::caller;
use crate::app::fields::Plain;
use crate::app::posting::{term, transition, visible};
use crate::app::validate::{check_len, finish};
use crate::app::{AppError, Clash, Refusal};
use crate::auth::AuthUser;
use crate::domain::actions;
use crate::domain::secondment::check_happened_within;
use crate::store::outcomes::{self, OutcomeFields};
use crate::store::secondments::{SecondmentRow, Viewer};
use crate::store::{milestones, DbConnection, StoreError};

/// Outcomes are written while the secondment is active: `what` is the
/// action refused otherwise.
fn check_active(s: &SecondmentRow, what: &str) -> Result<(), AppError> {
    if !actions::outcomes_open(s.status()) {
        return Err(transition(s.status().as_str(), what));
    }
    Ok(())
}

/// The seconded official or HR may write the outcomes; `verb` says what
/// they would do.
fn check_writer(viewer: &Viewer, s: &SecondmentRow, verb: &str) -> Result<(), AppError> {
    if !viewer.may_write_outcomes(s.posting()) {
        return Err(AppError::forbidden(
            Refusal::Role,
            format!("Outcomes are {verb} by the seconded official or HR."),
        ));
    }
    Ok(())
}

/// An outcome happened during the secondment (unlike a completion, its
/// day is not held to today), and the milestone it belongs to is one of
/// the same secondment.
fn check_fields(
    tx: &mut DbConnection,
    s: &SecondmentRow,
    f: &OutcomeFields,
) -> Result<(), AppError> {
    let last = term(s).last_day();
    check_happened_within(
        "occurred_on",
        f.occurred_on,
        s.start_date,
        last,
        NaiveDate::MAX,
    )
    .map_err(|broken| AppError::Rule(vec![broken]))?;
    if let Some(m) = f.milestone_id.as_deref() {
        let unknown = || AppError::unknown("milestone_id", "milestone of this secondment");
        match milestones::find(tx, m) {
            Ok(row) if row.secondment_id == s.id => {}
            Ok(_) | Err(StoreError::NotFound) => return Err(unknown()),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// The seconded official or HR logs an outcome of an active secondment.
pub fn create(
    caller: &AuthUser,
    tx: &mut DbConnection,
    secondment_id: &str,
    cmd: CreateOutcome,
) -> Result<Outcome, AppError> {
    let mut errors = Vec::new();
    check_len("title", cmd.title.trim(), 1, 300, &mut errors);
    check_metrics(&cmd.metrics, &mut errors);
    finish(errors)?;
    let fields = OutcomeFields {
        title: cmd.title.trim().to_string(),
        description: cmd
            .description
            .map(|d| d.trim().to_string())
            .filter(|d| !d.is_empty()),
        pillar: cmd.pillar.as_str().to_string(),
        occurred_on: cmd.occurred_on.plain(),
        metrics: metrics_of(cmd.metrics),
        milestone_id: cmd.milestone_id.plain(),
    };
    let viewer = caller::viewer(tx, caller)?;
    let s = visible(tx, &viewer, secondment_id)?;
    check_writer(&viewer, &s, "logged")?;
    check_active(&s, "log an outcome of")?;
    check_fields(tx, &s, &fields)?;
    let row = outcomes::create(tx, &caller.actor(), &viewer, &s.id, &fields)?;
    Ok(row.into())
}

/// The seconded official or HR changes an outcome read at `version`
/// (`None`: whatever the version) while the secondment is active.
pub fn update(
    caller: &AuthUser,
    tx: &mut DbConnection,
    id: &str,
    version: Option<i32>,
    cmd: UpdateOutcome,
) -> Result<Outcome, AppError> {
    let mut errors = Vec::new();
    if let Some(t) = &cmd.title {
        check_len("title", t.trim(), 1, 300, &mut errors);
    }
    if let Some(m) = &cmd.metrics {
        check_metrics(m, &mut errors);
    }
    finish(errors)?;
    let viewer = caller::viewer(tx, caller)?;
    let (before, s) = visible_outcome(tx, &viewer, id)?;
    check_writer(&viewer, &s, "edited")?;
    check_active(&s, "edit an outcome of")?;
    if version.is_some_and(|v| v != before.version) {
        return Err(AppError::Stale);
    }
    let mut f = OutcomeFields::from(&before);
    if let Some(v) = cmd.title {
        f.title = v.trim().to_string();
    }
    if let Some(v) = cmd.description {
        f.description = v.plain();
    }
    if let Some(v) = cmd.pillar {
        f.pillar = v.as_str().to_string();
    }
    if let Some(v) = cmd.occurred_on {
        f.occurred_on = v.plain();
    }
    if let Some(v) = cmd.metrics {
        f.metrics = metrics_of(v);
    }
    if let Some(v) = cmd.milestone_id {
        f.milestone_id = v.plain();
    }
    check_fields(tx, &s, &f)?;
    let after = outcomes::update(tx, &caller.actor(), &before, &f)?;
    Ok(after.ok_or(AppError::Stale)?.into())
}

/// The seconded official or HR deletes an outcome while the secondment is
/// active; the history keeps it.
pub fn delete(caller: &AuthUser, tx: &mut DbConnection, id: &str) -> Result<(), AppError> {
    let viewer = caller::viewer(tx, caller)?;
    let (before, s) = visible_outcome(tx, &viewer, id)?;
    check_writer(&viewer, &s, "deleted")?;
    check_active(&s, "delete an outcome of")?;
    Ok(outcomes::delete(tx, &caller.actor(), &before)?)
}

/// A director of the host side acknowledges an outcome, once.
pub fn acknowledge(
    caller: &AuthUser,
    tx: &mut DbConnection,
    id: &str,
) -> Result<Outcome, AppError> {
    let viewer = caller::viewer(tx, caller)?;
    let (before, s) = visible_outcome(tx, &viewer, id)?;
    if !viewer.directs_host(s.posting()) {
        return Err(AppError::forbidden(
            Refusal::NotTheDecider,
            "Outcomes are acknowledged by a director of the host side.",
        ));
    }
    let already = || AppError::conflict(Clash::AlreadyDone, "The outcome is already acknowledged.");
    if before.acknowledged_by.is_some() {
        return Err(already());
    }
    let after = outcomes::acknowledge(tx, &caller.actor(), &viewer, id)?;
    Ok(after.ok_or_else(already)?.into())
}
