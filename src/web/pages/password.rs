//! Passwords in the console: the owner's change (from `/account`, or the
//! page a user must pass through while a password set by someone else is
//! still in use) and an administrator's reset, which shows the one-time
//! password once. Both call the API's functions (`api::passwords`).
//! Decision 0039.

use actix_web::{web, HttpResponse};
use minijinja::context;

use crate::api::auth::{check_ip_budget, client_ip};
use crate::api::common::parse_id;
use crate::api::passwords::{self, ChangePassword};
use crate::api::ApiError;
use crate::web::form::Form;
use crate::web::render::{see_other, Console, PageError, Visit};

/// The forced-change page; the one page open while a new password is due.
pub const PAGE: &str = "/account/password";

/// A wrong current password is told next to its field.
const RULES: &[(&str, &str)] = &[(passwords::WRONG_CURRENT_PASSWORD, "current_password")];

/// The form's own control: the new password typed again.
const REPEAT: &str = "new_password_repeat";

/// `GET /account/password`: the form for a user whose password must be
/// changed; anyone else has it on `/account`.
pub async fn page(visit: Visit) -> Result<HttpResponse, PageError> {
    let c = visit.signed_in()?;
    if !c.user().must_change_password {
        return Ok(see_other("/account"));
    }
    c.render("password.html", context! {})
}

/// `POST /account/password`: changes the signed-in user's password. The
/// console session (the cookie's refresh-token family) stays signed in;
/// the user's other sessions end.
pub async fn change(visit: Visit, body: web::Bytes) -> Result<HttpResponse, PageError> {
    let c = visit.signed_in()?;
    let form = c.form(&body)?;
    let forced = c.user().must_change_password;
    match attempt(&c, &form).await {
        Ok(()) if forced => Ok(see_other("/")),
        Ok(()) => {
            let facts = super::account::facts(&c).await?;
            c.render(
                "account.html",
                context! { password_changed => true, ..facts },
            )
        }
        // The typed passwords are never shown again: the page's password
        // inputs have no value.
        Err(e) if forced => c.refused("password.html", &form, e, RULES, context! {}),
        Err(e) => {
            let facts = super::account::facts(&c).await?;
            c.refused("account.html", &form, e, RULES, facts)
        }
    }
}

/// The form's change: the repetition must match, the rest is the API's.
async fn attempt(c: &Console, form: &Form) -> Result<(), ApiError> {
    if form.get(REPEAT) != form.get("new_password") {
        return Err(ApiError::invalid_field(
            REPEAT,
            "does not match the new password",
        ));
    }
    check_ip_budget(&c.state, &c.req)?;
    let body = form.body::<ChangePassword>(&[REPEAT], &[])?;
    let ip = client_ip(&c.state, &c.req).map(|i| i.to_string());
    passwords::change_own(&c.state, c.user(), body, ip).await
}

/// `POST /admin/users/{id}/password-reset`: an administrator's reset;
/// the one-time password is shown on this answer only.
pub async fn reset(
    c: Console,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    c.form(&body)?;
    let id = parse_id(&path).map_err(|e| c.fail(e))?;
    let (answer, email) = passwords::reset(&c.state, c.user(), id)
        .await
        .map_err(|e| c.fail(e))?;
    let mut page = c.render(
        "password_reset.html",
        context! { email => email, one_time_password => answer.one_time_password },
    )?;
    page.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    Ok(page)
}
