//! The administrator's pages, one file each: accounts (`users.rs`), the
//! unit tree and its merges (`units.rs`), public holidays
//! (`holidays.rs`), the outbox (`outbox.rs`).
//!
//! Each page calls the application functions of the API it shows
//! (`app::users`, `app::org_units`, `app::holidays`, `app::emails`);
//! those refuse whoever may not use them, the pages check nothing
//! themselves.

mod holidays;
mod outbox;
mod units;
mod users;

use std::collections::BTreeMap;

use actix_web::web;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::app::org_units::{self, OrgUnit};
use crate::app::Context;
use crate::web::render::{Console, PageError};

/// Registers the administrator's pages.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/users", web::get().to(users::users_page))
        .route("/admin/users", web::post().to(users::create_user))
        .route(
            "/admin/users/{id}/disabled",
            web::post().to(users::set_disabled),
        )
        .route("/admin/units", web::get().to(units::units_page))
        .route("/admin/units/merge", web::get().to(units::merge_page))
        .route("/admin/units/merge", web::post().to(units::merge))
        .route("/admin/holidays", web::get().to(holidays::holidays_page))
        .route("/admin/holidays", web::post().to(holidays::add_holiday))
        .route(
            "/admin/holidays/{date}/remove",
            web::post().to(holidays::remove_holiday),
        )
        .route("/admin/outbox", web::get().to(outbox::outbox_page));
}

/// The query string without `lang` and empty fields, and it read as the
/// API's query type `T` (refused as the API refuses it).
fn query_of<T: DeserializeOwned>(c: &Console) -> Result<(String, T), PageError> {
    Ok((c.api_query(&["lang"]), c.query(&["lang"])?))
}

/// The query string as a map, for the filter forms.
fn pairs(query: &str) -> BTreeMap<String, String> {
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

/// `query` with `cursor` set to the next page's.
fn next_page_query(query: &BTreeMap<String, String>, cursor: &str) -> String {
    let mut p: Vec<(String, String)> = query
        .iter()
        .filter(|(k, _)| *k != "cursor")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    p.push(("cursor".into(), cursor.to_string()));
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(p)
        .finish()
}

/// Every unit, merged-away and closed ones included.
async fn all_units(c: &Console) -> Result<Vec<OrgUnit>, PageError> {
    let (user, cx) = (c.user(), Context::now(c.state.settings.clone()));
    crate::app::units::read(&c.state.db, move |tx| org_units::all(&user, tx, &cx))
        .await
        .map_err(|e| c.fail(e))
}

/// A unit as the pages name it, and whether it can still be chosen.
#[derive(Serialize)]
struct Choice {
    id: String,
    code: String,
    name: String,
}

impl Choice {
    fn of(u: &OrgUnit) -> Choice {
        Choice {
            id: u.id.clone(),
            code: u.code.clone(),
            name: u.name.clone(),
        }
    }
}

/// Units not merged away or closed: what a form may name.
fn current(units: &[OrgUnit]) -> Vec<Choice> {
    let mut out: Vec<Choice> = units
        .iter()
        .filter(|u| u.valid_to.is_none() && u.successor_id.is_none())
        .map(Choice::of)
        .collect();
    out.sort_by(|a, b| a.code.cmp(&b.code));
    out
}

/// A refusal of who asked (403): shown as the error page, not as the
/// form again.
fn forbidden(e: &crate::web::render::Failure) -> bool {
    use crate::web::render::Failure;
    match e {
        Failure::App(e) => matches!(
            e,
            crate::app::AppError::Forbidden { .. } | crate::app::AppError::PasswordChangeRequired
        ),
        Failure::Door(e) => e.problem().status == 403,
    }
}
