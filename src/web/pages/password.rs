//! Passwords in the console: the owner's change (from `/account`, or the
//! page a user must pass through while a password set by someone else is
//! still in use) and an administrator's reset, which shows the one-time
//! password once. Both are the API's use cases (`app::passwords`).
//! Decision 0039.

use actix_web::{web, HttpResponse};
use minijinja::context;

use crate::api::ApiError;
use crate::app::fields::parse_id;
use crate::app::passwords::{self, ChangePassword};
use crate::app::{password_work, units, Context};
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
async fn attempt(c: &Console, form: &Form) -> Result<(), crate::web::render::Failure> {
    if form.get(REPEAT) != form.get("new_password") {
        return Err(ApiError::invalid_field(
            REPEAT,
            crate::app::field_error::FieldProblem::PasswordMismatch,
        )
        .into());
    }
    c.state.check_auth_budget(&c.req)?;
    let body = form.body::<ChangePassword>(&[REPEAT], &[])?;
    let ip = c.state.client_ip(&c.req).map(|i| i.to_string());
    let cx = Context::now(c.state.settings.clone());
    Ok(passwords::change_own(&c.state.db, cx, c.user(), body, ip).await?)
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
    let user = c.user();
    passwords::check_reset(&user, &id).map_err(|e| c.fail(e))?;
    let one_time_password = passwords::one_time_password();
    let hash = password_work::hash(one_time_password.clone())
        .await
        .map_err(|e| c.fail(e))?;
    let email = units::write(&c.state.db, move |tx| {
        passwords::reset(&user, tx, &id, &hash)
    })
    .await
    .map_err(|e| c.fail(e))?;
    let mut page = c.render(
        "password_reset.html",
        context! { email => email, one_time_password => one_time_password },
    )?;
    page.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    Ok(page)
}
