//! A secondment's history: every change, decision and unit merge, from
//! the audit log, with the people and units it names.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::visible;
use crate::app::page::{Page, PageWindow};
use crate::app::refs::{Refs, UserRef};
use crate::app::{caller, AppError};
use crate::auth::AuthUser;
use crate::domain::history::changed_fields;
use crate::store::audit::{self, AuditEvent};
use crate::store::names::{Names, Wanted};
use crate::store::DbConnection;

/// One event of a secondment's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    /// When (UTC).
    pub at: DateTime<Utc>,
    /// Who (user id); `null` for the system (the daily tick, a merge by the loader).
    pub actor_id: Option<String>,
    /// Who, named; `null` for the system.
    pub actor: Option<UserRef>,
    /// What happened, e.g. `secondment.submit`, `approval.approved`,
    /// `secondment.unit_merged`.
    pub action: String,
    /// The changed fields as they were; `null` for a creation.
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// The changed fields as they became (with `detail`: sides, comments,
    /// the merged unit); the whole record for a creation.
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

/// One page of the history of secondment `id`, oldest first, each event
/// with only the fields it changed: `GET /secondments/{id}/history`.
pub fn history(
    caller: &AuthUser,
    tx: &mut DbConnection,
    id: &str,
    window: PageWindow,
) -> Result<Page<HistoryEntry>, AppError> {
    let after_id = match &window.after {
        Some(key) => Some(
            key.parse::<i64>()
                .map_err(|_| AppError::invalid("cursor", "is not a cursor of this list"))?,
        ),
        None => None,
    };
    let (events, names) = events(caller, tx, id, after_id, window.fetch())?;
    let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
    Ok(window.page(
        events,
        |e| e.id.to_string(),
        |e| {
            let (before, after) = changed_fields(parse(e.before_json), parse(e.after_json));
            HistoryEntry {
                at: e.occurred_at.and_utc(),
                actor: e.actor_id.as_deref().map(|u| names.user_ref(u)),
                actor_id: e.actor_id,
                action: e.action,
                before,
                after,
            }
        },
    ))
}

/// At most `limit` audit events of secondment `id` after event `after_id`,
/// oldest first, with the names they refer to (404 when the caller may not
/// see it): the history's page and the console's timeline.
pub fn events(
    caller: &AuthUser,
    tx: &mut DbConnection,
    id: &str,
    after_id: Option<i64>,
    limit: i64,
) -> Result<(Vec<AuditEvent>, Names), AppError> {
    let viewer = caller::viewer(tx, caller)?;
    visible(tx, &viewer, id)?;
    let events = audit::history(tx, id, after_id, limit)?;
    let mut wanted = Wanted::default();
    for e in &events {
        wanted.user(e.actor_id.as_deref());
        // A merger's history line names the old and the new unit.
        if e.action == "secondment.unit_merged" {
            let after: serde_json::Value = e
                .after_json
                .as_deref()
                .and_then(|a| serde_json::from_str(a).ok())
                .unwrap_or_default();
            for key in ["merged_unit_id", "successor_id"] {
                if let Some(unit) = after["detail"][key].as_str() {
                    wanted.unit(unit);
                }
            }
        }
    }
    Ok((events, wanted.load(tx)?))
}
