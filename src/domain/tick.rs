//! What the daily tick changed: the figures an administrator's manual run
//! answers with and the scheduler logs.

use serde::Serialize;
use utoipa::ToSchema;

/// What one tick changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
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
