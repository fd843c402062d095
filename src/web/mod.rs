//! The web console: server-rendered pages for HR officers, seconded
//! cadres and directors, served at `/` beside the API. Pages call the
//! same application functions as the API handlers (`api::*::create`,
//! `decide_proposal`, ...), so permission checks, rules, audit and outbox
//! stay in one place; this module only reads forms, renders templates and
//! keeps the session cookie.

pub mod form;
pub mod i18n;
mod menu;
mod page_error;
mod pages;
pub mod refusal;
pub mod render;
pub mod session;
mod templates;
pub mod timeline;
mod words;

use actix_web::{web, HttpResponse};

/// The console's stylesheet, built into the binary (no CDN: ministry
/// intranets are often offline).
const CSS: &str = include_str!("../../static/console.css");

async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("cache-control", "public, max-age=3600"))
        .body(CSS)
}

/// Registers the console's pages.
pub fn configure(cfg: &mut web::ServiceConfig) {
    use pages::{account, approvals, auth, officials, password, reports, secondments};
    cfg.route("/", web::get().to(auth::home))
        .route("/static/console.css", web::get().to(stylesheet))
        .route("/login", web::get().to(auth::login_page))
        .route("/login", web::post().to(auth::login))
        .route("/logout", web::post().to(auth::logout))
        .route("/approvals", web::get().to(approvals::pending))
        .route("/approvals/{kind}/{id}", web::post().to(approvals::decide))
        .route("/my", web::get().to(secondments::mine))
        .route("/reports", web::get().to(reports::summary))
        .route("/account", web::get().to(account::page))
        .route("/account/calendar", web::post().to(account::calendar))
        .route(password::PAGE, web::get().to(password::page))
        .route(password::PAGE, web::post().to(password::change))
        .route("/account/delegations", web::post().to(account::delegate))
        .route(
            "/account/delegations/{id}/withdraw",
            web::post().to(account::withdraw),
        )
        .route("/officials", web::get().to(officials::list))
        .route("/officials", web::post().to(officials::create))
        .route("/officials/new", web::get().to(officials::new_page))
        .route("/officials/import", web::post().to(officials::import))
        .route("/officials/{id}", web::get().to(officials::edit_page))
        .route("/officials/{id}", web::post().to(officials::update))
        .route("/secondments", web::get().to(secondments::list))
        .route("/secondments", web::post().to(secondments::create))
        .route("/secondments/new", web::get().to(secondments::new_page))
        .route(
            "/secondments/export.{format}",
            web::get().to(secondments::export),
        )
        .route("/secondments/{id}", web::get().to(secondments::show))
        .route(
            "/secondments/{id}/edit",
            web::get().to(secondments::edit_page),
        )
        .route(
            "/secondments/{id}/outcomes/{item}/edit",
            web::get().to(secondments::outcome_page),
        )
        .route(
            "/secondments/{id}/{kind}/{item}/{action}",
            web::post().to(secondments::act_on_item),
        )
        .route(
            "/secondments/{id}/{action}",
            web::post().to(secondments::act),
        )
        .route(
            "/admin/users/{id}/password-reset",
            web::post().to(password::reset),
        )
        .configure(pages::admin::configure);
}
