//! Pages: the templates, the request's language and CSRF token, the
//! signed-in user, and errors as pages in the user's language.

use std::collections::BTreeMap;

use actix_web::dev::Payload;
use actix_web::http::{header, StatusCode};
use actix_web::{web, FromRequest, HttpRequest, HttpResponse, ResponseError};
use futures_util::future::LocalBoxFuture;
use minijinja::Value;

use super::form::Form;
use super::i18n::Lang;
pub use super::page_error::PageError;
use super::page_error::Told;
use super::refusal;
use super::session;
use super::templates::environment;
use crate::api::ApiError;
use crate::app::AppError;
use crate::auth::AuthUser;
use crate::state::AppState;

/// A console request: its language, CSRF token and, when signed in, user.
pub struct Visit {
    /// The user's language: `?lang=`, else the `lang` cookie, else Vietnamese.
    pub lang: Lang,
    /// The request.
    pub req: HttpRequest,
    /// The application state.
    pub state: web::Data<AppState>,
    /// The signed-in user.
    pub user: Option<AuthUser>,
    csrf: (String, bool),
}

/// A console request by a signed-in user (others are sent to sign in).
pub struct Console {
    visit: Visit,
    user: AuthUser,
}

impl std::ops::Deref for Console {
    type Target = Visit;
    fn deref(&self) -> &Visit {
        &self.visit
    }
}

impl Console {
    /// The signed-in user, as the application functions take them.
    pub fn user(&self) -> AuthUser {
        self.user.clone()
    }
}

fn asked_language(req: &HttpRequest) -> Option<String> {
    web::Query::<BTreeMap<String, String>>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.get("lang").cloned())
}

fn language(req: &HttpRequest) -> Lang {
    match asked_language(req) {
        Some(l) => Lang::parse(&l),
        None => req
            .cookie("lang")
            .map_or(Lang::Vi, |c| Lang::parse(c.value())),
    }
}

impl FromRequest for Visit {
    type Error = PageError;
    type Future = LocalBoxFuture<'static, Result<Self, PageError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let lang = language(&req);
            let state = req
                .app_data::<web::Data<AppState>>()
                .cloned()
                .ok_or_else(|| {
                    PageError::new(lang, ApiError::Internal("state missing".into()), None)
                })?;
            let user = session::signed_in(&state, &req)
                .await
                .map_err(|e| PageError::new(lang, e, None))?;
            let csrf = session::csrf_token(&req);
            Ok(Visit {
                lang,
                req,
                state,
                user,
                csrf,
            })
        })
    }
}

impl FromRequest for Console {
    type Error = PageError;
    type Future = LocalBoxFuture<'static, Result<Self, PageError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let visit = Visit::from_request(req, payload);
        Box::pin(async move {
            let console = visit.await?.signed_in()?;
            // Until a password set by someone else is replaced, the one
            // page open is the one that replaces it (decision 0039).
            if console.user.must_change_password {
                return Err(PageError::PasswordDue);
            }
            Ok(console)
        })
    }
}

impl Visit {
    /// The request of a signed-in user, whether or not they must change
    /// their password first (the pages of that change); others are sent
    /// to sign in.
    pub fn signed_in(self) -> Result<Console, PageError> {
        match self.user.clone() {
            Some(user) => Ok(Console { visit: self, user }),
            None => Err(PageError::SignIn(
                self.req
                    .uri()
                    .path_and_query()
                    .map_or("/", |p| p.as_str())
                    .to_string(),
            )),
        }
    }

    /// An error of this request, shown as a page: an application's
    /// refusal (403) or clash (409) in the words of its code
    /// (`refusal.<code>`, `conflict.<code>`), whatever its English detail.
    pub fn fail(&self, e: impl Into<Failure>) -> PageError {
        match e.into() {
            Failure::Door(e) => self.failed(e, None),
            Failure::App(e) => {
                let told = Told::of(&e);
                self.failed(e.into(), told)
            }
        }
    }

    /// [`Visit::fail`] of an application's error.
    pub fn fail_app(&self, e: AppError) -> PageError {
        self.fail(e)
    }

    fn failed(&self, e: ApiError, told: Option<Told>) -> PageError {
        match PageError::new(self.lang, e, told) {
            // The error page keeps the menu: the user can go on from it.
            PageError::Api(lang, e, told, _) => PageError::Api(lang, e, told, Some(self.chrome())),
            other => other,
        }
    }

    /// The form, when its CSRF field matches this browser's cookie.
    pub fn form(&self, body: &[u8]) -> Result<Form, PageError> {
        let form = Form::parse(body);
        self.check_csrf(form.csrf.as_deref())?;
        Ok(form)
    }

    /// Refuses a form whose CSRF value is not this browser's.
    pub fn check_csrf(&self, presented: Option<&str>) -> Result<(), PageError> {
        if session::csrf_ok(&self.req, presented) {
            Ok(())
        } else {
            Err(PageError::Csrf(self.lang))
        }
    }

    /// The query string as the API's query type `T`, the page's own
    /// parameters (`lang`) and empty fields left out.
    pub fn query<T: serde::de::DeserializeOwned>(&self, skip: &[&str]) -> Result<T, PageError> {
        crate::api::input::parse_query(&self.api_query(skip)).map_err(|e| self.fail(e))
    }

    /// The query string without the page's own parameters and empty fields.
    pub fn api_query(&self, skip: &[&str]) -> String {
        form_urlencoded::parse(self.req.query_string().as_bytes())
            .filter(|(k, v)| !skip.contains(&k.as_ref()) && !v.is_empty())
            .fold(
                form_urlencoded::Serializer::new(String::new()),
                |mut s, (k, v)| {
                    s.append_pair(&k, &v);
                    s
                },
            )
            .finish()
    }

    /// The address of the next page of a list: this path with the same
    /// filters and `cursor` (none when the list has no next page).
    pub fn next_page(&self, cursor: Option<&str>) -> Option<String> {
        let cursor = cursor?;
        let mut query = form_urlencoded::Serializer::new(self.api_query(&["lang", "cursor"]));
        query.append_pair("cursor", cursor);
        Some(format!("{}?{}", self.req.path(), query.finish()))
    }

    /// What every page shows around its content: the language and its
    /// words, the menu of the signed-in user, the CSRF token of the
    /// sign-out form, the time zone of its days.
    fn chrome(&self) -> Value {
        let user = self.user.as_ref().map(|u| {
            let menu = super::menu::Menu::of(u.role, u.official_id.is_some());
            minijinja::context! { id => u.id.clone(), role => u.role.as_str(), menu => menu }
        });
        minijinja::context! {
            lang => self.lang.code(),
            t => Value::from_serialize(self.lang.words()),
            csrf => self.csrf.0.clone(),
            me => user,
            path => self.req.path(),
            tz => self.state.settings.tz().name(),
        }
    }

    /// Renders `template` with `ctx` and what every page shows.
    pub fn render(&self, template: &str, ctx: Value) -> Result<HttpResponse, PageError> {
        self.render_status(StatusCode::OK, template, ctx)
    }

    /// As [`Visit::render`], with another status (a refused form: 422).
    pub fn render_status(
        &self,
        status: StatusCode,
        template: &str,
        ctx: Value,
    ) -> Result<HttpResponse, PageError> {
        let common = self.chrome();
        let html = environment()
            .get_template(template)
            .and_then(|t| t.render(minijinja::context! { ..ctx, ..common }))
            .map_err(|e| self.fail(ApiError::Internal(format!("template {template}: {e:#}"))))?;
        let mut res = HttpResponse::build(status);
        res.content_type("text/html; charset=utf-8");
        if self.csrf.1 {
            res.cookie(session::cookie(
                &self.state,
                session::CSRF_COOKIE,
                self.csrf.0.clone(),
            ));
        }
        // A language chosen with `?lang=` is remembered.
        if asked_language(&self.req).is_some() {
            res.cookie(session::cookie(
                &self.state,
                "lang",
                self.lang.code().to_string(),
            ));
        }
        Ok(res.body(html))
    }

    /// A refused form shown again: the messages next to their fields (the
    /// API's field names), a policy rule next to the field it is about,
    /// the rest above the form.
    pub fn refused(
        &self,
        template: &str,
        form: &Form,
        e: impl Into<Failure>,
        rule_fields: &[(&str, &str)],
        ctx: Value,
    ) -> Result<HttpResponse, PageError> {
        match e.into() {
            Failure::Door(e) => self.refused_as(template, form, e, None, rule_fields, ctx),
            Failure::App(e) => self.refused_app(template, form, e, rule_fields, ctx),
        }
    }

    /// [`Visit::refused`] for an application's error: a refusal or a
    /// clash is told above the form in the words of its code.
    pub fn refused_app(
        &self,
        template: &str,
        form: &Form,
        e: AppError,
        rule_fields: &[(&str, &str)],
        ctx: Value,
    ) -> Result<HttpResponse, PageError> {
        let told = Told::of(&e);
        self.refused_as(template, form, e.into(), told, rule_fields, ctx)
    }

    fn refused_as(
        &self,
        template: &str,
        form: &Form,
        e: ApiError,
        told: Option<Told>,
        rule_fields: &[(&str, &str)],
        ctx: Value,
    ) -> Result<HttpResponse, PageError> {
        let problem = e.problem();
        if problem.status >= 500
            || problem.status == 401
            || problem.status == 404 && problem.errors.is_empty()
        {
            return Err(self.failed(e, told));
        }
        let policy = self.state.settings.policy.rules();
        let mut told_form = refusal::messages(self.lang, &policy, &problem, rule_fields);
        if let Some(words) = told.and_then(|t| t.words(self.lang)) {
            // The code's words instead of the API's English detail.
            told_form.general = vec![words];
        }
        let (errors, general) = (told_form.by_field, told_form.general);
        let ctx = minijinja::context! { errors => errors, general => general, values => form.values(), ..ctx };
        self.render_status(
            StatusCode::from_u16(problem.status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY),
            template,
            ctx,
        )
    }
}

/// What answers a path nothing else serves: a page in the user's language
/// for the console's paths (a mistyped address in a browser), the API's
/// problem document (404, or 405 with `Allow`) for the API's.
pub async fn not_found(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let accept = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // A program that asks only for JSON gets JSON even off the API's paths.
    let wants_json = accept.contains("json") && !accept.contains("text/html");
    if crate::api::middleware::is_console(req.path()) && !wants_json {
        let error = ApiError::NotFound(format!("No page at {}.", req.path()));
        PageError::Api(language(&req), error, None, None).error_response()
    } else {
        crate::api::fallback(req, state).await
    }
}

/// After a form: to the page that shows what it did.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.to_string()))
        .finish()
}

/// Why a console request failed: the application refused or failed
/// (typed, worded by its code), or the door itself (a form that does not
/// read, a missing page).
#[derive(Debug)]
pub enum Failure {
    /// An application function's error.
    App(AppError),
    /// The door's own error.
    Door(ApiError),
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Self {
        Failure::App(e)
    }
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        Failure::Door(e)
    }
}
