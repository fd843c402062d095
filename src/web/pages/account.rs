//! The signed-in user's own page: the calendar feed address and, for
//! directors, the delegations of their decisions while on leave.

use actix_web::{web, HttpResponse};
use minijinja::{context, Value};

use crate::api::delegations::{self, CreateDelegation};
use crate::api::ApiError;
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
    let given = delegations::list_of(&c.state, user.clone())
        .await
        .map_err(|e| c.fail(e))?;
    let candidates = if matches!(user.role, Role::Director) {
        delegations::candidates(&c.state, user)
            .await
            .map_err(|e| c.fail(e))?
    } else {
        Vec::new()
    };
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
        .map_err(|e| c.fail(e.into()))?;
    let facts = facts(&c).await?;
    c.render("account.html", context! { feed => token.url, ..facts })
}

/// Delegates the director's decisions for some days.
pub async fn delegate(c: Console, body: web::Bytes) -> Result<HttpResponse, PageError> {
    let form: Form = c.form(&body)?;
    let made = match form.body::<CreateDelegation>(&[], &[]) {
        Ok(b) => delegations::create(&c.state, c.user(), b).await.map(drop),
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
    let id = crate::api::common::parse_id(&path).map_err(|e: ApiError| c.fail(e))?;
    delegations::withdraw(&c.state, c.user(), id)
        .await
        .map_err(|e| c.fail(e))?;
    Ok(see_other("/account"))
}
