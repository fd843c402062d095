//! One secondment the caller may see, with everything its page shows and
//! what the caller may do next with it.

use super::Secondment;
use crate::app::{allowed, caller, AppError, Context};
use crate::auth::AuthUser;
use crate::store::secondment_details;
use crate::store::{DbConnection, StoreError};

/// Secondment `id` with its decisions, pending extension, evaluation and
/// `actions` (404 when it is not the caller's to see): the API's `GET`
/// and the console's page.
pub fn find(
    caller: &AuthUser,
    tx: &mut DbConnection,
    cx: &Context,
    id: &str,
) -> Result<Secondment, AppError> {
    let viewer = caller::viewer(tx, caller)?;
    let d = match secondment_details::details(tx, id) {
        Ok(d) if viewer.can_see(d.row.posting()) => d,
        Ok(_) | Err(StoreError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    };
    let decider = allowed::decider_if_needed(tx, viewer, &d, cx.today)?;
    let actions = allowed::of_secondment(&decider, &cx.settings.policy.approval_sides, &d);
    let mut out = Secondment::detailed(d);
    out.actions = Some(actions);
    Ok(out)
}
