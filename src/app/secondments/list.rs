//! The secondments the caller may see, filtered: a page for the list, or
//! the caller's view and filter for a file of the whole list.

use super::{named_rows, Secondment, SecondmentQuery};
use crate::app::fields::Plain;
use crate::app::page::{Page, PageWindow};
use crate::app::{caller, AppError};
use crate::auth::AuthUser;
use crate::store::org_units;
use crate::store::secondments::{self, SecondmentFilter, Viewer};
use crate::store::DbConnection;

/// One page of the secondments the caller may see, filtered, in id order:
/// the API's list and the console's.
pub fn list(
    caller: &AuthUser,
    tx: &mut DbConnection,
    q: SecondmentQuery,
    window: PageWindow,
) -> Result<Page<Secondment>, AppError> {
    let (viewer, filter) = filter(caller, tx, q, window.after.clone(), window.fetch())?;
    let rows = secondments::list(tx, &viewer, &filter)?;
    let rows = named_rows(tx, rows)?;
    Ok(window.page(rows, |(id, _)| id.clone(), |(_, s)| s))
}

/// The caller as a viewer and the query as a filter of the whole list
/// (`limit` and `cursor` ignored), for a file read page by page.
pub fn whole(
    caller: &AuthUser,
    tx: &mut DbConnection,
    q: SecondmentQuery,
) -> Result<(Viewer, SecondmentFilter), AppError> {
    filter(caller, tx, q, None, 0)
}

/// The caller as a viewer and the query as a filter, unit filters widened
/// to their subtrees.
fn filter(
    caller: &AuthUser,
    tx: &mut DbConnection,
    q: SecondmentQuery,
    after: Option<String>,
    limit: i64,
) -> Result<(Viewer, SecondmentFilter), AppError> {
    let viewer = caller::viewer(tx, caller)?;
    let mut subtree = |unit: Option<String>| -> Result<Option<Vec<String>>, AppError> {
        Ok(match unit {
            Some(u) => Some(org_units::subtree_ids(tx, &u)?.into_iter().collect()),
            None => None,
        })
    };
    let home_units = subtree(q.home_unit_id.plain())?;
    let host_units = subtree(q.host_unit_id.plain())?;
    let filter = SecondmentFilter {
        status: q.status.map(|s| s.as_str().to_string()),
        official_id: q.official_id.plain(),
        home_units,
        host_units,
        active_on: q.active_on.plain(),
        ending_after: q.ending_after.plain(),
        ending_before: q.ending_before.plain(),
        q: q.q.plain(),
        after,
        limit,
    };
    Ok((viewer, filter))
}
