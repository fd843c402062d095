//! The accounts page: one page of accounts with a filter by role and
//! email, the new-account form and a toggle per account.

use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use minijinja::{context, Value};

use super::{all_units, current, forbidden, next_page_query, pairs, query_of};
use crate::app::fields::parse_id;
use crate::app::officials::{self, OfficialQuery};
use crate::app::users::{self, CreateUser, UpdateUser, UserQuery};
use crate::app::{password_work, units, AppError};
use crate::web::form::Form;
use crate::web::render::Failure;
use crate::web::render::{see_other, Console, PageError};

/// The roles an account can have, in the order the form offers them.
const ROLES: &[&str] = &["hr_officer", "director", "cadre", "admin"];

/// What the users page shows: one page of accounts, the names of their
/// units, and the choices of the new-account form.
async fn users_view(c: &Console) -> Result<Value, PageError> {
    let (query, mut q) = query_of::<UserQuery>(c)?;
    if q.limit.is_none() {
        q.limit = Some(500);
    }
    let user = c.user();
    let mut page = units::read(&c.state.db, move |tx| users::list(&user, tx, q))
        .await
        .map_err(|e| c.fail(e))?;
    page.items.sort_by(|a, b| a.email.cmp(&b.email));
    let all = all_units(c).await?;
    let unit_names: HashMap<String, String> =
        all.iter().map(|u| (u.id.clone(), u.name.clone())).collect();
    let user = c.user();
    let everyone = OfficialQuery {
        limit: Some(500),
        ..Default::default()
    };
    let people = units::lagging(&c.state.db, move |tx| officials::list(&user, tx, everyone))
        .await
        .map_err(|e| c.fail(e))?;
    let filters = pairs(&query);
    let next = page
        .next_cursor
        .as_deref()
        .map(|cursor| next_page_query(&filters, cursor));
    Ok(context! {
        page => page,
        next => next,
        unit_names => unit_names,
        units => current(&all),
        officials => people.items,
        roles => ROLES,
        filters => filters,
        me_id => c.user().id,
    })
}

/// The accounts, with a filter by role and email, the new-account form
/// and a toggle per account.
pub async fn users_page(c: Console) -> Result<HttpResponse, PageError> {
    let view = users_view(&c).await?;
    c.render(
        "admin_users.html",
        context! { values => context! { role => "hr_officer", language => "vi" }, ..view },
    )
}

/// Creates the account as the API does: its fields checked, its password
/// hashed outside the unit of work, then stored.
async fn create(c: &Console, b: CreateUser) -> Result<(), Failure> {
    let user = c.user();
    let account = users::check_new(&user, b)?;
    let hash = password_work::hash(account.password()).await?;
    units::write(&c.state.db, move |tx| {
        users::create(&user, tx, account, hash)
    })
    .await?;
    Ok(())
}

/// Creates the account, or shows the page again with the errors at their
/// fields.
pub async fn create_user(c: Console, body: web::Bytes) -> Result<HttpResponse, PageError> {
    let form = c.form(&body)?;
    let made = match form.body::<CreateUser>(&[], &[]) {
        Ok(b) => create(&c, b).await,
        Err(e) => Err(e.into()),
    };
    match made {
        Ok(()) => Ok(see_other("/admin/users")),
        Err(e) if forbidden(&e) => Err(c.fail(e)),
        Err(e) => {
            // The missing link is the official for a cadre, else the unit.
            let link = if form.get("role") == Some("cadre") {
                "official_id"
            } else {
                "org_unit_id"
            };
            let view = users_view(&c).await?;
            c.refused(
                "admin_users.html",
                &form,
                e,
                &[("role_needs_link", link)],
                context! { failed => "create", ..view },
            )
        }
    }
}

/// Disables or enables an account at the version the page showed (the
/// API's `PATCH` with `If-Match`).
pub async fn set_disabled(
    c: Console,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form = c.form(&body)?;
    let id = parse_id(&path).map_err(|e| c.fail(e))?;
    let done: Result<(), Failure> = match (form.get("disabled"), form.version()) {
        (_, Err(e)) => Err(e.into()),
        (Some(flag @ ("true" | "false")), Ok(version)) => {
            let change = UpdateUser {
                disabled: Some(flag == "true"),
                ..Default::default()
            };
            let user = c.user();
            let checked = users::check_change(&user, &id, change);
            match checked {
                Ok(change) => units::write(&c.state.db, move |tx| {
                    users::update(&user, tx, &id, Some(version), change, None)
                })
                .await
                .map(drop)
                .map_err(Failure::from),
                Err(e) => Err(e.into()),
            }
        }
        _ => Err(AppError::invalid("disabled", "must be true or false").into()),
    };
    match done {
        Ok(()) => Ok(see_other("/admin/users")),
        Err(e) if forbidden(&e) => Err(c.fail(e)),
        Err(e) => {
            let view = users_view(&c).await?;
            c.refused("admin_users.html", &Form::default(), e, &[], view)
        }
    }
}
