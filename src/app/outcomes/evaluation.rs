//! The final evaluation of a completed secondment, recorded once by a
//! director of the host side.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::caller;
use crate::app::fields::Comment;
use crate::app::posting::{transition, visible};
use crate::app::refs::{Refs, UserRef};
use crate::app::{AppError, Clash, Refusal};
use crate::auth::AuthUser;
use crate::domain::outcome::Rating;
use crate::domain::secondment::Status;
use crate::store::names::{Names, Wanted};
use crate::store::outcomes::{self, EvaluationRow};
use crate::store::DbConnection;

/// The final evaluation.
#[derive(Debug, Serialize, ToSchema)]
pub struct Evaluation {
    /// Rating.
    pub rating: Rating,
    /// Comment.
    pub comment: Option<String>,
    /// Who evaluated.
    pub evaluated_by: UserRef,
    /// When (UTC).
    pub evaluated_at: DateTime<Utc>,
}

impl Evaluation {
    /// The evaluation with its author named.
    pub fn named(e: EvaluationRow, names: &Names) -> Self {
        Evaluation {
            evaluated_by: names.user_ref(&e.evaluated_by),
            rating: e.rating,
            comment: e.comment,
            evaluated_at: e.evaluated_at.and_utc(),
        }
    }
}

/// An evaluation to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateEvaluation {
    /// Rating.
    pub rating: Rating,
    /// Comment.
    pub comment: Option<Comment>,
}

/// A director of the host side records the final evaluation of a
/// completed secondment, once, and never of their own posting
/// (`domain::actions::may_evaluate` offers the form by the same rule).
pub fn evaluate(
    caller: &AuthUser,
    tx: &mut DbConnection,
    secondment_id: &str,
    cmd: CreateEvaluation,
) -> Result<Evaluation, AppError> {
    let comment = cmd
        .comment
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    let viewer = caller::viewer(tx, caller)?;
    let s = visible(tx, &viewer, secondment_id)?;
    if !viewer.directs_host(s.posting()) {
        return Err(AppError::forbidden(
            Refusal::NotTheDecider,
            "The final evaluation is recorded by a director of the host side.",
        ));
    }
    if viewer.is_the_official(s.posting()) {
        return Err(AppError::forbidden(
            Refusal::NotTheDecider,
            "A director never evaluates themselves.",
        ));
    }
    if s.status() != Status::Completed {
        return Err(transition(s.status().as_str(), "evaluate"));
    }
    let already = || AppError::conflict(Clash::AlreadyDone, "The secondment is already evaluated.");
    if outcomes::evaluation_of(tx, &s.id)?.is_some() {
        return Err(already());
    }
    let row = outcomes::evaluate(
        tx,
        &caller.actor(),
        &viewer,
        &s.id,
        cmd.rating.as_str(),
        comment.as_deref(),
    )?
    .ok_or_else(already)?;
    let names = Wanted::default().user(Some(&row.evaluated_by)).load(tx)?;
    Ok(Evaluation::named(row, &names))
}
