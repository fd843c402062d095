//! Signing in and out, and the landing page of each role.

use actix_web::{web, HttpResponse};
use minijinja::context;

use crate::app::sign_in::{self, Credentials, LoginRequest};
use crate::app::{units, AppError, Context};
use crate::domain::user::Role;
use crate::web::render::{see_other, PageError, Visit};
use crate::web::session::{self, SESSION_COOKIE};

/// `/`: each role's first page.
pub async fn home(visit: Visit) -> Result<HttpResponse, PageError> {
    Ok(see_other(match visit.user.as_ref().map(|u| u.role) {
        None => "/login",
        Some(Role::Director) => "/approvals",
        Some(Role::Cadre) => "/my",
        Some(Role::HrOfficer | Role::Admin) => "/secondments",
    }))
}

/// Where to go after signing in: a path of this site only.
fn local_next(next: Option<&str>) -> String {
    // A browser drops tabs and newlines from a URL, so `/\t/host` would be
    // `//host`: another site. Only a plain path of this site is followed.
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && n.len() <= 2_000
                && !n.chars().any(|c| c.is_control() || c == '\\') =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

/// The sign-in form.
pub async fn login_page(visit: Visit) -> Result<HttpResponse, PageError> {
    let next = web::Query::<std::collections::BTreeMap<String, String>>::from_query(
        visit.req.query_string(),
    )
    .ok()
    .and_then(|q| q.get("next").cloned());
    visit.render(
        "login.html",
        context! { next => local_next(next.as_deref()) },
    )
}

/// Signs in with the API's rules (rate limit per address, lockout per
/// account, audit) and starts a session.
pub async fn login(visit: Visit, body: web::Bytes) -> Result<HttpResponse, PageError> {
    let form = visit.form(&body)?;
    let next = local_next(form.get("next"));
    let state = visit.state.clone();
    if let Err(e) = state.check_auth_budget(&visit.req) {
        return Err(visit.fail(e));
    }
    // The API's own request type: the same limits on what is tried.
    let credentials = match form.body::<LoginRequest>(&["next"], &[]) {
        Ok(c) => c,
        Err(_) => {
            return visit.render_status(
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
                "login.html",
                context! { next => next, failed => true },
            )
        }
    };
    let email = credentials.email.0.trim().to_string();
    let credentials = Credentials {
        email: email.clone(),
        password: credentials.password,
        ip: state.client_ip(&visit.req).map(|i| i.to_string()),
        request_id: session::request_id(&visit.req),
    };
    let cx = Context::now(state.settings.clone());
    match sign_in::sign_in(&state.db, cx, &state.jwt, credentials).await {
        // A new session gets a new CSRF token too: one planted before
        // signing in is worth nothing after.
        Ok(pair) => Ok(HttpResponse::SeeOther()
            .insert_header((
                actix_web::http::header::LOCATION,
                if pair.password_change_required {
                    super::password::PAGE.to_string()
                } else {
                    next
                },
            ))
            .cookie(session::cookie(&state, SESSION_COOKIE, pair.refresh_token))
            .cookie(session::cookie(
                &state,
                session::CSRF_COOKIE,
                crate::auth::tokens::new_refresh_token(),
            ))
            .finish()),
        Err(AppError::Unauthenticated(_)) => visit.render_status(
            actix_web::http::StatusCode::UNAUTHORIZED,
            "login.html",
            context! { next => next, email => email, failed => true },
        ),
        Err(e) => Err(visit.fail(e)),
    }
}

/// Ends the session (its whole refresh-token family) and clears the cookie.
pub async fn logout(visit: Visit, body: web::Bytes) -> Result<HttpResponse, PageError> {
    visit.form(&body)?;
    if let (Some(user), Some(token)) = (visit.user.clone(), session::session_token(&visit.req)) {
        units::write(&visit.state.db, move |tx| {
            sign_in::sign_out(&user, tx, &token)
        })
        .await
        .map_err(|e| visit.fail(e))?;
    }
    Ok(HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, "/login"))
        .cookie(session::cleared(&visit.state, SESSION_COOKIE))
        .finish())
}

#[cfg(test)]
mod tests {
    use super::local_next;

    #[test]
    fn only_a_plain_path_of_this_site_is_followed_after_signing_in() {
        assert_eq!(local_next(Some("/approvals?x=1")), "/approvals?x=1");
        for bad in [
            "//evil.example",
            "/\t/evil.example",
            "/\n",
            "https://evil.example",
            "/\\evil",
            "x",
        ] {
            assert_eq!(local_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(local_next(None), "/");
    }
}
