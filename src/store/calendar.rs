//! Calendar feeds: each user's token (stored as SHA-256, one per user) and
//! the dated things a viewer can see, read in pages.

use std::collections::HashMap;

use diesel::prelude::*;

use super::audit::{self, Actor};
use super::names::Wanted;
use super::schema::{calendar_tokens, milestones};
use super::secondments::{self, SecondmentFilter, SecondmentRow};
use super::{now_utc, DbConnection, StoreError};
use crate::domain::calendar::Dated;
use crate::domain::dates::local_date;
use crate::domain::milestone::MilestoneStatus;
use crate::domain::secondment::Status;
use crate::domain::viewer::Viewer;

/// Secondments read per query.
const PAGE: i64 = 1_000;

/// Gives `user_id` the token whose hash is `token_hash`, replacing (and so
/// revoking) the one they had.
pub fn issue(
    conn: &mut DbConnection,
    actor: &Actor,
    user_id: &str,
    token_hash: &str,
) -> Result<(), StoreError> {
    conn.transaction(|conn| {
        let replaced = diesel::delete(calendar_tokens::table.find(user_id)).execute(conn)? > 0;
        diesel::insert_into(calendar_tokens::table)
            .values((
                calendar_tokens::user_id.eq(user_id),
                calendar_tokens::token_hash.eq(token_hash),
                calendar_tokens::created_at.eq(now_utc()),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            actor,
            "user.calendar_token_issued",
            "user",
            user_id,
            None,
            Some(serde_json::json!({ "replaced_previous": replaced })),
        )
    })
}

/// The user whose token hashes to `token_hash`.
pub fn owner(conn: &mut DbConnection, token_hash: &str) -> Result<Option<String>, StoreError> {
    Ok(calendar_tokens::table
        .filter(calendar_tokens::token_hash.eq(token_hash))
        .select(calendar_tokens::user_id)
        .first(conn)
        .optional()?)
}

/// Every secondment `viewer` can see that has or had an end (all but the
/// cancelled and rejected), with its milestones other than cancelled ones,
/// oldest secondment first.
/// The day a milestone was done is the one stated, else the day of its
/// completion in `tz`.
pub fn dated(
    conn: &mut DbConnection,
    viewer: &Viewer,
    tz: chrono_tz::Tz,
) -> Result<Vec<Dated>, StoreError> {
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let filter = SecondmentFilter {
            after: after.take(),
            limit: PAGE,
            ..SecondmentFilter::default()
        };
        let page = secondments::list(conn, viewer, &filter)?;
        let Some(last) = page.last() else { break };
        after = Some(last.id.clone());
        let full = page.len() as i64 == PAGE;
        out.extend(page_items(conn, page, tz)?);
        if !full {
            break;
        }
    }
    Ok(out)
}

fn page_items(
    conn: &mut DbConnection,
    page: Vec<SecondmentRow>,
    tz: chrono_tz::Tz,
) -> Result<Vec<Dated>, StoreError> {
    let rows: Vec<SecondmentRow> = page
        .into_iter()
        .filter(|s| !matches!(s.status, Status::Cancelled | Status::Rejected))
        .collect();
    let mut wanted = Wanted::default();
    for s in &rows {
        wanted.official(&s.official_id).unit(&s.host_unit_id);
    }
    let names = wanted.load(conn)?;
    let ids: Vec<&str> = rows.iter().map(|s| s.id.as_str()).collect();
    type Step = (
        String,
        String,
        String,
        chrono::NaiveDate,
        String,
        Option<chrono::NaiveDate>,
        Option<chrono::NaiveDateTime>,
    );
    let steps: Vec<Step> = milestones::table
        .filter(milestones::secondment_id.eq_any(&ids))
        .filter(milestones::status.ne(MilestoneStatus::Cancelled.as_str()))
        .order((milestones::due_date.asc(), milestones::id.asc()))
        .select((
            milestones::id,
            milestones::secondment_id,
            milestones::title,
            milestones::due_date,
            milestones::status,
            milestones::completed_on,
            milestones::completed_at,
        ))
        .load(conn)?;
    let mut out = Vec::with_capacity(rows.len() + steps.len());
    for s in &rows {
        out.push(Dated::Ends {
            secondment_id: s.id.clone(),
            kind: s.kind,
            official: names.official(&s.official_id).full_name,
            host: names.unit(&s.host_unit_id).name,
            on: s.actual_end_date.unwrap_or(s.end_date),
        });
    }
    let official_of: HashMap<&str, &str> = rows
        .iter()
        .map(|s| (s.id.as_str(), s.official_id.as_str()))
        .collect();
    for (milestone_id, secondment_id, title, on, status, completed_on, completed_at) in steps {
        let status = MilestoneStatus::parse(&status).ok_or_else(|| {
            StoreError::Internal(format!("unknown stored milestone status {status:?}"))
        })?;
        let done_on = (status == MilestoneStatus::Done)
            .then(|| completed_on.or(completed_at.map(|at| local_date(at, tz))))
            .flatten();
        let official = official_of
            .get(secondment_id.as_str())
            .map(|o| names.official(o).full_name)
            .unwrap_or_default();
        out.push(Dated::Milestone {
            milestone_id,
            secondment_id,
            title,
            official,
            on,
            status,
            done_on,
        });
    }
    Ok(out)
}
