//! Milestones of a secondment: planned and changed by HR, completed by HR
//! or the seconded official, missed by the daily tick.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::caller;
use super::fields::{Comment, Day, LongText, Name, Plain};
use super::patch::double_option;
use super::posting::{term, transition, visible};
use super::validate::{check_len, finish};
use super::{AppError, Clash, Context, Refusal};
use crate::auth::AuthUser;
use crate::domain::actions::{self, MilestoneActions};
use crate::domain::milestone::{check_business_date, check_due, MilestoneStatus};
use crate::store::milestones::{self, MilestoneChanges, MilestoneRow};
use crate::store::secondments::{SecondmentRow, Viewer};
use crate::store::DbConnection;

/// A milestone.
#[derive(Debug, Serialize, ToSchema)]
pub struct Milestone {
    /// Identifier.
    pub id: String,
    /// The secondment.
    pub secondment_id: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Due date.
    pub due_date: NaiveDate,
    /// `planned`, `done`, `missed` or `cancelled`.
    pub status: MilestoneStatus,
    /// When completion was recorded (UTC, the server's clock).
    pub completed_at: Option<DateTime<Utc>>,
    /// The day it was done, as stated when completing it.
    pub completed_on: Option<NaiveDate>,
    /// Note.
    pub note: Option<String>,
    /// Template key for default milestones.
    pub template: Option<String>,
    /// Version (the ETag).
    pub version: i32,
    /// What the caller may do with it (lists of a secondment; decision 0042).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actions: Option<MilestoneActions>,
}

impl From<MilestoneRow> for Milestone {
    fn from(m: MilestoneRow) -> Self {
        Milestone {
            id: m.id,
            secondment_id: m.secondment_id,
            title: m.title,
            description: m.description,
            due_date: m.due_date,
            status: m.status,
            completed_at: m.completed_at.map(|t| t.and_utc()),
            completed_on: m.completed_on,
            note: m.note,
            template: m.template,
            version: m.version,
            actions: None,
        }
    }
}

/// A new milestone.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateMilestone {
    /// Title.
    pub title: Name,
    /// Description.
    pub description: Option<LongText>,
    /// Due date (within the secondment's dates).
    pub due_date: Day,
}

/// Changes; absent fields stay.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMilestone {
    /// Title.
    pub title: Option<Name>,
    /// Description.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<LongText>)]
    pub description: Option<Option<LongText>>,
    /// Due date.
    pub due_date: Option<Day>,
    /// `planned` or `cancelled` (use complete for `done`).
    pub status: Option<SetMilestoneStatus>,
    /// Note.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Comment>)]
    pub note: Option<Option<Comment>>,
}

/// The states a milestone is set to by hand; `done` goes through
/// `POST /milestones/{id}/complete`, `missed` is the tick's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SetMilestoneStatus {
    /// Planned again.
    Planned,
    /// No longer relevant.
    Cancelled,
}

impl From<SetMilestoneStatus> for MilestoneStatus {
    fn from(s: SetMilestoneStatus) -> Self {
        match s {
            SetMilestoneStatus::Planned => MilestoneStatus::Planned,
            SetMilestoneStatus::Cancelled => MilestoneStatus::Cancelled,
        }
    }
}

/// A completion: what was done and on which day.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteMilestone {
    /// What was done.
    pub note: Option<Comment>,
    /// The day it was done: within the secondment, not after today.
    pub completed_on: Option<Day>,
}

/// A milestone and its secondment, when the viewer sees the secondment.
fn visible_milestone(
    tx: &mut DbConnection,
    viewer: &Viewer,
    id: &str,
) -> Result<(MilestoneRow, SecondmentRow), AppError> {
    let m = milestones::find(tx, id)?;
    let s = visible(tx, viewer, &m.secondment_id)?;
    Ok((m, s))
}

/// The milestones of a secondment the caller sees, by due date, each
/// with what the caller may do with it.
pub fn of_secondment(
    caller: &AuthUser,
    tx: &mut DbConnection,
    secondment_id: &str,
) -> Result<Vec<Milestone>, AppError> {
    let viewer = caller::viewer(tx, caller)?;
    let s = visible(tx, &viewer, secondment_id)?;
    let who = viewer.caller();
    Ok(milestones::for_secondment(tx, secondment_id)?
        .into_iter()
        .map(|m| {
            let allowed = actions::milestone_actions(who, s.posting(), m.status);
            Milestone {
                actions: Some(allowed),
                ..Milestone::from(m)
            }
        })
        .collect())
}

/// One milestone of a secondment the caller sees.
pub fn find(caller: &AuthUser, tx: &mut DbConnection, id: &str) -> Result<Milestone, AppError> {
    let viewer = caller::viewer(tx, caller)?;
    Ok(visible_milestone(tx, &viewer, id)?.0.into())
}

/// HR plans a milestone of an open secondment (draft, pending, approved
/// or active; decision 0042), due within its dates.
pub fn create(
    caller: &AuthUser,
    tx: &mut DbConnection,
    secondment_id: &str,
    cmd: CreateMilestone,
) -> Result<Milestone, AppError> {
    let title = cmd.title.trim().to_string();
    let mut errors = Vec::new();
    check_len("title", &title, 1, 300, &mut errors);
    finish(errors)?;
    let viewer = caller::viewer(tx, caller)?;
    let s = visible(tx, &viewer, secondment_id)?;
    if !viewer.is_hr() {
        return Err(AppError::forbidden(
            Refusal::Role,
            "Milestones are planned by HR.",
        ));
    }
    if !s.status().is_open() {
        return Err(transition(s.status().as_str(), "plan a milestone of"));
    }
    let due = cmd.due_date.plain();
    check_due(due, term(&s)).map_err(|broken| AppError::Rule(vec![broken]))?;
    let row = milestones::insert(
        tx,
        &caller.actor(),
        &s.id,
        &title,
        cmd.description.as_deref(),
        due,
        None,
    )?;
    Ok(row.into())
}

/// HR changes a milestone read at `version` (`None`: whatever the
/// version); a new due date stays within the secondment's dates.
pub fn update(
    caller: &AuthUser,
    tx: &mut DbConnection,
    id: &str,
    version: Option<i32>,
    cmd: UpdateMilestone,
) -> Result<Milestone, AppError> {
    let viewer = caller::viewer(tx, caller)?;
    let (_, s) = visible_milestone(tx, &viewer, id)?;
    if !viewer.is_hr() {
        return Err(AppError::forbidden(
            Refusal::Role,
            "Milestones are changed by HR.",
        ));
    }
    if let Some(due) = &cmd.due_date {
        check_due(due.0, term(&s)).map_err(|broken| AppError::Rule(vec![broken]))?;
    }
    let changes = MilestoneChanges {
        title: cmd.title.map(|t| t.trim().to_string()),
        description: cmd.description.plain(),
        due_date: cmd.due_date.plain(),
        status: cmd.status.map(MilestoneStatus::from),
        note: cmd.note.plain(),
        completed_on: None,
    };
    let row = milestones::update(tx, &caller.actor(), id, version, &changes)?;
    Ok(row.ok_or(AppError::Stale)?.into())
}

/// HR or the seconded official marks a planned or missed milestone done,
/// on a day within the secondment and not after today.
pub fn complete(
    caller: &AuthUser,
    tx: &mut DbConnection,
    cx: &Context,
    id: &str,
    cmd: CompleteMilestone,
) -> Result<Milestone, AppError> {
    let note = cmd.note.plain().filter(|n| !n.is_empty());
    let completed_on = cmd.completed_on.plain();
    let viewer = caller::viewer(tx, caller)?;
    let (m, s) = visible_milestone(tx, &viewer, id)?;
    if !viewer.caller().may_complete_milestones(s.posting()) {
        return Err(AppError::forbidden(
            Refusal::Role,
            "Milestones are completed by HR or the seconded official.",
        ));
    }
    if !actions::milestone_completable(m.status) {
        return Err(AppError::conflict(
            Clash::AlreadyDone,
            format!("The milestone is already {}.", m.status),
        ));
    }
    if let Some(day) = completed_on {
        check_business_date("completed_on", day, term(&s), cx.today)
            .map_err(|broken| AppError::Rule(vec![broken]))?;
    }
    let changes = MilestoneChanges {
        status: Some(MilestoneStatus::Done),
        note: note.map(Some),
        completed_on,
        ..Default::default()
    };
    let row = milestones::update(tx, &caller.actor(), id, Some(m.version), &changes)?;
    Ok(row.ok_or(AppError::Stale)?.into())
}
