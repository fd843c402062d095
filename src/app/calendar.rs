//! Personal calendar feeds: the caller gets the address of their feed
//! (the token in it is the credential, calendar programs sending no
//! other), and the feed shows what its owner's current record lets them
//! see.

use serde::Serialize;
use utoipa::ToSchema;

use super::{caller, AppError, Context};
use crate::auth::tokens::{hash_token, new_refresh_token};
use crate::auth::AuthUser;
use crate::domain::calendar::{self, Dated};
use crate::domain::user::Language;
use crate::store::calendar as store;
use crate::store::users::{self, Principal};
use crate::store::{DbConnection, StoreError};

/// The address of a personal calendar feed.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarToken {
    /// Subscribe to this URL in a calendar program. Anyone holding it reads
    /// the feed, so keep it private; asking for a new one revokes it.
    pub url: String,
}

/// A new feed address for the caller; the previous one stops working.
pub fn issue_token(
    caller: &AuthUser,
    tx: &mut DbConnection,
    cx: &Context,
) -> Result<CalendarToken, AppError> {
    let token = new_refresh_token();
    store::issue(tx, &caller.actor(), &caller.id, &hash_token(&token))?;
    let base = cx.settings.server.base_url();
    Ok(CalendarToken {
        url: format!("{base}/api/v1/calendar/{token}"),
    })
}

/// What a feed shows, in its owner's language.
#[derive(Debug)]
pub struct Feed {
    items: Vec<Dated>,
    language: Language,
}

impl Feed {
    /// The feed as iCalendar text (RFC 5545): an all-day event for the end
    /// of every secondment and for each milestone; each links to the
    /// console's page (a calendar program cannot use the JSON API).
    pub fn text(&self, cx: &Context) -> String {
        let base = cx.settings.server.base_url();
        let link = |id: &str| crate::domain::links::secondment_page(&base, id);
        calendar::feed(&self.items, self.language, &link, chrono::Utc::now())
    }
}

/// The feed at the address with `token`; `None` for a token replaced or
/// never issued, or an owner gone or disabled.
pub fn feed(tx: &mut DbConnection, cx: &Context, token: &str) -> Result<Option<Feed>, AppError> {
    let Some(user_id) = store::owner(tx, &hash_token(token))? else {
        return Ok(None);
    };
    let Some((owner, language)) = owner_account(tx, user_id)? else {
        return Ok(None);
    };
    let viewer = caller::viewer(tx, &owner)?;
    let items = store::dated(tx, &viewer, cx.settings.tz())?;
    Ok(Some(Feed { items, language }))
}

/// The feed owner as a caller, with their language; `None` for an account
/// that is gone or disabled.
fn owner_account(
    tx: &mut DbConnection,
    user_id: String,
) -> Result<Option<(AuthUser, Language)>, AppError> {
    let row = match users::find(tx, &user_id) {
        Ok(row) => row,
        Err(StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let language = row.language;
    let record = Principal {
        role: row.role.as_str().to_string(),
        org_unit_id: row.org_unit_id,
        official_id: row.official_id,
        disabled: row.disabled,
        must_change_password: row.must_change_password,
    };
    Ok(caller::principal(user_id, Some(record))
        .ok()
        .map(|user| (user, language)))
}
