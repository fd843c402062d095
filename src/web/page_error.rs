//! A console request that did not succeed, answered as a page in the
//! user's language: a refusal the application gave a code (`Refusal`,
//! `Clash`) in the words of that code, others by their status.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use minijinja::Value;
use serde::Serialize;

use super::i18n::Lang;
use super::render::see_other;
use super::templates::environment;
use crate::api::ApiError;
use crate::app::{AppError, Clash, Refusal};

/// A console request that did not succeed.
#[derive(Debug)]
pub enum PageError {
    /// Not signed in: to the sign-in page, then back to this path.
    SignIn(String),
    /// A form without a matching CSRF token.
    Csrf(Lang),
    /// The user must change their password before using any other page.
    PasswordDue,
    /// A refusal of the application, in a language, with the code that
    /// tells it when the application gave one, and what the page around
    /// it shows when the request was a signed-in user's.
    Api(Lang, ApiError, Option<Told>, Option<Value>),
}

/// The code of a refusal the console has words for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Told {
    /// 403 for this reason: `refusal.<code>`.
    Refusal(Refusal),
    /// 409 for this clash: `conflict.<code>`.
    Clash(Clash),
}

impl Told {
    /// The code of `e`, when it has words of its own.
    pub fn of(e: &AppError) -> Option<Told> {
        match e {
            AppError::Forbidden { reason, .. } => Some(Told::Refusal(*reason)),
            AppError::Conflict { code, .. } => Some(Told::Clash(*code)),
            _ => None,
        }
    }

    /// The key of its words.
    pub fn key(self) -> String {
        match self {
            Told::Refusal(r) => format!("refusal.{}", r.code()),
            Told::Clash(c) => format!("conflict.{}", c.code()),
        }
    }

    /// Its words in `lang`, `None` when the files have none.
    pub fn words(self, lang: Lang) -> Option<String> {
        lang.word_with(&self.key(), &[])
    }
}

impl PageError {
    /// `e` in `lang`; an expired session goes to sign in.
    pub(super) fn new(lang: Lang, e: ApiError, told: Option<Told>) -> PageError {
        match e {
            ApiError::Unauthorized(_) => PageError::SignIn("/".into()),
            e => PageError::Api(lang, e, told, None),
        }
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PageError::SignIn(_) => f.write_str("sign in first"),
            PageError::Csrf(_) => f.write_str("CSRF token missing or wrong"),
            PageError::PasswordDue => f.write_str("a new password is due"),
            PageError::Api(_, e, _, _) => write!(f, "{e}"),
        }
    }
}

#[derive(Serialize)]
struct ErrorView {
    status: u16,
    message: String,
}

/// The message of an error page: the refusal's own words when it has a
/// code, else the status in the user's words, the API's English detail
/// only where no word says more.
fn message(lang: Lang, e: &ApiError, told: Option<Told>) -> String {
    let status = e.status_code().as_u16();
    if status >= 500 {
        return lang.word("error.500");
    }
    if let Some(words) = told.and_then(|t| t.words(lang)) {
        return words;
    }
    let word = lang.word(&format!("error.{status}"));
    match status {
        403 if lang == Lang::En => format!("{word} {}", e.problem().detail),
        _ if word != format!("error.{status}") => word,
        _ => e.problem().detail,
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::SignIn(_) | PageError::PasswordDue => StatusCode::SEE_OTHER,
            PageError::Csrf(_) => StatusCode::FORBIDDEN,
            PageError::Api(_, e, _, _) => e.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        let (lang, message, chrome) = match self {
            PageError::SignIn(next) => {
                let target = format!(
                    "/login?next={}",
                    form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
                );
                return see_other(&target);
            }
            PageError::PasswordDue => return see_other(super::pages::password::PAGE),
            PageError::Csrf(lang) => (*lang, lang.word("error.csrf"), None),
            PageError::Api(lang, e, told, chrome) => {
                if e.status_code().is_server_error() {
                    tracing::error!(cause = %e, "console request failed");
                }
                (*lang, message(*lang, e, *told), chrome.clone())
            }
        };
        let status = self.status_code();
        let error = ErrorView {
            status: status.as_u16(),
            message,
        };
        let ctx = match chrome {
            Some(chrome) => minijinja::context! { error => error, ..chrome },
            None => minijinja::context! {
                lang => lang.code(),
                t => Value::from_serialize(lang.words()),
                error => error,
            },
        };
        let html = environment()
            .get_template("error.html")
            .and_then(|t| t.render(ctx))
            .unwrap_or_else(|_| "<!doctype html><title>Error</title><p>Error</p>".into());
        let mut res = HttpResponse::build(status);
        if let PageError::Api(
            _,
            ApiError::RateLimited {
                retry_after_secs, ..
            },
            _,
            _,
        ) = self
        {
            res.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
        }
        res.content_type("text/html; charset=utf-8").body(html)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A typed refusal or clash is told in the user's words, in both
    /// languages; an untyped one by its status.
    #[test]
    fn a_typed_refusal_has_its_own_words() {
        for lang in [Lang::Vi, Lang::En] {
            for told in [
                Told::Refusal(Refusal::Role),
                Told::Refusal(Refusal::OutOfScope),
                Told::Refusal(Refusal::NotTheirs),
                Told::Refusal(Refusal::NotTheDecider),
                Told::Clash(Clash::Duplicate),
                Told::Clash(Clash::InUse),
                Told::Clash(Clash::Overlap),
                Told::Clash(Clash::AlreadyDone),
            ] {
                assert!(
                    told.words(lang).is_some(),
                    "{lang:?}: no words for {told:?}"
                );
            }
        }
        let e = AppError::forbidden(Refusal::OutOfScope, "Outside your units.");
        let told = Told::of(&e);
        let m = message(Lang::Vi, &ApiError::from(e), told);
        assert_eq!(Some(m), Told::Refusal(Refusal::OutOfScope).words(Lang::Vi));
        let untyped = ApiError::Forbidden("The role cadre may not do this.".into());
        assert_eq!(
            message(Lang::Vi, &untyped, None),
            Lang::Vi.word("error.403")
        );
    }
}
