//! The choices the forms and filters offer, read through the API's lists.

use minijinja::{context, Value};

use crate::api::common::PageWindow;
use crate::api::officials::{self, OfficialQuery};
use crate::api::org_units::{self, OrgUnitQuery};
use crate::web::render::{Console, PageError};

/// The most choices a list offers (the API's largest page).
const MAX_CHOICES: i64 = 500;

fn window() -> PageWindow {
    PageWindow {
        limit: MAX_CHOICES,
        after: None,
    }
}

/// `units`: the current org units.
pub async fn units(c: &Console) -> Result<Value, PageError> {
    let units = org_units::list(&c.state, OrgUnitQuery::default(), window())
        .await
        .map_err(|e| c.fail(e))?;
    Ok(context! { units => units.items })
}

/// `units` and `officials`: the units and the officials in the caller's scope.
pub async fn units_and_officials(c: &Console) -> Result<Value, PageError> {
    let people = officials::list(&c.state, c.user(), OfficialQuery::default(), window())
        .await
        .map_err(|e| c.fail(e))?;
    let units = units(c).await?;
    Ok(context! { officials => people.items, ..units })
}
