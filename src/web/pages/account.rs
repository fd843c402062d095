//! The signed-in user's own page: the calendar feed address and, for
//! directors, the delegations of their decisions while on leave.

use actix_web::{web, HttpResponse};
use minijinja::{context, Value};

use crate::api::ApiError;
use crate::app::delegations::{self, CreateDelegation};
use crate::app::{calendar, units, Context};
use crate::domain::user::Role;
use crate::web::form::Form;
use crate::web::render::{see_other, Console, PageError};

/// What the page shows besides a refused form or a new feed address.
pub(crate) async fn facts(c: &Console) -> Result<Value, PageError> {
    let user = c.user();
    if !matches!(user.role, Role::Director | Role::Admin | Role::HrOfficer) {
        return Ok(context! {});
    }
    let director = matches!(user.role, Role::Director);
    let (given, candidates) = units::read(&c.state.db, move |tx| {
        let given = delegations::list(&user, tx)?;
        let candidates = if director {
            delegations::candidates(&user, tx)?
        } else {
            Vec::new()
        };
        Ok((given, candidates))
    })
    .await
    .map_err(|e| c.fail(e))?;
    Ok(context! { delegations => given, candidates => candidates })
}

/// `/account`.
pub async fn page(c: Console) -> Result<HttpResponse, PageError> {
    let facts = facts(&c).await?;
    c.render("account.html", facts)
}

/// A new calendar feed address, shown once (only its hash is kept).
pub async fn calendar(c: Console, body: web::Bytes) -> Result<HttpResponse, PageError> {
    c.form(&body)?;
    let (user, cx) = (c.user(), Context::now(c.state.settings.clone()));
    let token = units::write(&c.state.db, move |tx| calendar::issue_token(&user, tx, &cx))
        .await
        .map_err(|e| c.fail(e))?;
    let facts = facts(&c).await?;
    c.render("account.html", context! { feed => token.url, ..facts })
}

/// Delegates the director's decisions for some days.
pub async fn delegate(c: Console, body: web::Bytes) -> Result<HttpResponse, PageError> {
    let form: Form = c.form(&body)?;
    let made = match form.body::<CreateDelegation>(&[], &[]) {
        Ok(b) => {
            let (user, cx) = (c.user(), Context::now(c.state.settings.clone()));
            units::write(&c.state.db, move |tx| {
                delegations::create(&user, tx, &cx, b)
            })
            .await
            .map(drop)
            .map_err(ApiError::from)
        }
        Err(e) => Err(e),
    };
    match made {
        Ok(()) => Ok(see_other("/account")),
        Err(e) => {
            let facts = facts(&c).await?;
            let rules = [
                ("delegation_range", "ends_on"),
                ("delegation_from_today", "starts_on"),
                ("delegate_is_director_or_hr", "delegate_user_id"),
            ];
            c.refused("account.html", &form, e, &rules, facts)
        }
    }
}

/// Withdraws one of the director's delegations.
pub async fn withdraw(
    c: Console,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    c.form(&body)?;
    let id = crate::app::fields::parse_id(&path).map_err(|e| c.fail(e))?;
    let user = c.user();
    units::write(&c.state.db, move |tx| delegations::withdraw(&user, tx, &id))
        .await
        .map_err(|e| c.fail(e))?;
    Ok(see_other("/account"))
}
