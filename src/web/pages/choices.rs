//! The choices the forms and filters offer, read through the API's lists.

use minijinja::{context, Value};

use crate::app::fields::Search;
use crate::app::officials::{self, OfficialQuery};
use crate::app::org_units::{self, OrgUnitQuery};
use crate::app::{units, Context};
use crate::web::render::{Console, PageError};

/// The most choices a list offers (the API's largest page).
const MAX_CHOICES: u32 = 500;

/// What narrows the choices of a form: `official_q` and `unit_q`, searched
/// as the API's lists search (diacritics ignored).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Narrowing {
    /// Words of the official's name, staff code or email.
    pub official_q: Option<Search<200>>,
    /// Words of the unit's name or code.
    pub unit_q: Option<Search<200>>,
}

impl Narrowing {
    /// The narrowing a refused form carried back in its hidden fields.
    pub fn of_form(form: &crate::web::form::Form) -> Narrowing {
        let words = |name: &str| {
            form.get(name)
                .map(str::trim)
                .filter(|v| !v.is_empty() && v.chars().count() <= 200)
                .map(|v| Search(v.to_string()))
        };
        Narrowing {
            official_q: words("official_q"),
            unit_q: words("unit_q"),
        }
    }
}

/// The form's own fields that carry the narrowing (not the API's).
pub const NARROWING_FIELDS: &[&str] = &["official_q", "unit_q"];

/// `units` (and `units_more` when there are more than offered): the
/// current org units, narrowed by `unit_q`.
pub async fn units(c: &Console) -> Result<Value, PageError> {
    units_matching(c, None).await
}

async fn units_matching(c: &Console, q: Option<Search<200>>) -> Result<Value, PageError> {
    let query = OrgUnitQuery {
        q,
        limit: Some(MAX_CHOICES),
        ..Default::default()
    };
    let (user, cx) = (c.user(), Context::now(c.state.settings.clone()));
    let found = units::read(&c.state.db, move |tx| {
        org_units::list(&user, tx, &cx, query)
    })
    .await
    .map_err(|e| c.fail(e))?;
    Ok(context! { units => found.items, units_more => found.next_cursor.is_some() })
}

/// `units` and `officials` (with `officials_more`): the units and the
/// officials in the caller's scope, each narrowed as asked.
pub async fn units_and_officials(c: &Console, narrow: Narrowing) -> Result<Value, PageError> {
    let query = OfficialQuery {
        q: narrow.official_q,
        limit: Some(MAX_CHOICES),
        ..Default::default()
    };
    let user = c.user();
    let people = units::lagging(&c.state.db, move |tx| officials::list(&user, tx, query))
        .await
        .map_err(|e| c.fail(e))?;
    let unit_choices = units_matching(c, narrow.unit_q).await?;
    Ok(context! {
        officials => people.items,
        officials_more => people.next_cursor.is_some(),
        ..unit_choices
    })
}
