//! The administrator's pages: users, org units, holidays, the outbox.
//!
//! Each page calls the application function of the API it shows
//! (`api::users::{list, create, update}`, `api::org_units::{list, merge,
//! merge_preview}`, `api::holidays::list`, `api::emails::list`); those
//! refuse whoever may not use them, the pages check nothing themselves.

use std::collections::{BTreeMap, HashMap, HashSet};

use actix_web::{web, HttpResponse};
use minijinja::{context, Value};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::api::common::{parse_id, Page, PageWindow};
use crate::api::emails::{self, EmailQuery, EmailStatus};
use crate::api::holidays::{self, HolidayQuery, NewHoliday};
use crate::api::officials::{self, OfficialQuery};
use crate::api::org_units::{self, MergeRequest, MergeResponse, OrgUnit, OrgUnitQuery};
use crate::api::users::{self, CreateUser, UpdateUser, UserQuery};
use crate::api::ApiError;
use crate::web::form::Form;
use crate::web::render::{see_other, Console, PageError};

/// Registers the administrator's pages.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/users", web::get().to(users_page))
        .route("/admin/users", web::post().to(create_user))
        .route("/admin/users/{id}/disabled", web::post().to(set_disabled))
        .route("/admin/units", web::get().to(units_page))
        .route("/admin/units/merge", web::get().to(merge_page))
        .route("/admin/units/merge", web::post().to(merge))
        .route("/admin/holidays", web::get().to(holidays_page))
        .route("/admin/holidays", web::post().to(add_holiday))
        .route(
            "/admin/holidays/{date}/remove",
            web::post().to(remove_holiday),
        )
        .route("/admin/outbox", web::get().to(outbox_page));
}

/// The roles an account can have, in the order the form offers them.
const ROLES: &[&str] = &["hr_officer", "director", "cadre", "admin"];

/// The outbox statuses, in the order the filter offers them.
const EMAIL_STATUSES: &[&str] = &["dead", "failed", "pending", "sending", "sent", "cancelled"];

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

/// Every unit, merged-away and closed ones included, a page at a time.
async fn all_units(c: &Console) -> Result<Vec<OrgUnit>, PageError> {
    let mut units = Vec::new();
    let mut cursor: Option<String> = None;
    // 40 pages of 500: far more units than a ministry has.
    for _ in 0..40 {
        let window =
            PageWindow::parse(Some(500), cursor.as_deref()).map_err(|e| c.fail(e.into()))?;
        let q = OrgUnitQuery {
            include_inactive: true,
            ..Default::default()
        };
        let page: Page<OrgUnit> = org_units::list(&c.state, q, window)
            .await
            .map_err(|e| c.fail(e))?;
        units.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    Ok(units)
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

// ---------------------------------------------------------------- users

/// What the users page shows: one page of accounts, the names of their
/// units, and the choices of the new-account form.
async fn users_view(c: &Console) -> Result<Value, PageError> {
    let (query, mut q) = query_of::<UserQuery>(c)?;
    if q.limit.is_none() {
        q.limit = Some(500);
    }
    let mut page = users::list(&c.state, c.user(), q)
        .await
        .map_err(|e| c.fail(e))?;
    page.items.sort_by(|a, b| a.email.cmp(&b.email));
    let units = all_units(c).await?;
    let unit_names: HashMap<String, String> = units
        .iter()
        .map(|u| (u.id.clone(), u.name.clone()))
        .collect();
    let window = PageWindow {
        limit: 500,
        after: None,
    };
    let people = officials::list(&c.state, c.user(), OfficialQuery::default(), window)
        .await
        .map_err(|e| c.fail(e))?;
    let next = page.next_cursor.as_ref().map(|cursor| {
        let mut p: Vec<(String, String)> = pairs(&query)
            .into_iter()
            .filter(|(k, _)| k != "cursor")
            .collect();
        p.push(("cursor".into(), cursor.clone()));
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(p)
            .finish()
    });
    Ok(context! {
        page => page,
        next => next,
        unit_names => unit_names,
        units => current(&units),
        officials => people.items,
        roles => ROLES,
        filters => pairs(&query),
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

/// Creates the account, or shows the page again with the errors at their
/// fields.
pub async fn create_user(c: Console, body: web::Bytes) -> Result<HttpResponse, PageError> {
    let form = c.form(&body)?;
    let made = match form.body::<CreateUser>(&[], &[]) {
        Ok(b) => users::create(&c.state, c.user(), b).await,
        Err(e) => Err(e),
    };
    match made {
        Ok(_) => Ok(see_other("/admin/users")),
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
    let done = match (form.get("disabled"), form.version()) {
        (_, Err(e)) => Err(e),
        (Some(flag @ ("true" | "false")), Ok(version)) => {
            let change = UpdateUser {
                disabled: Some(flag == "true"),
                ..Default::default()
            };
            users::update(&c.state, c.user(), id, Some(version), change)
                .await
                .map(drop)
        }
        _ => Err(ApiError::invalid_field("disabled", "must be true or false")),
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

/// A refusal of who asked (403): shown as the error page, not as the
/// form again.
fn forbidden(e: &ApiError) -> bool {
    e.problem().status == 403
}

// ---------------------------------------------------------------- units

/// One unit of the tree, with the units under it.
#[derive(Serialize)]
struct Node {
    id: String,
    code: String,
    name: String,
    kind: crate::domain::org_unit::UnitKind,
    valid_to: Option<chrono::NaiveDate>,
    successor: Option<String>,
    children: Vec<Node>,
}

/// The tree: roots (no parent, or a parent not listed) first, children
/// under their parent, each level's current units by code, then those
/// merged away or closed.
fn tree(units: Vec<OrgUnit>) -> Vec<Node> {
    let names: HashMap<String, String> = units
        .iter()
        .map(|u| (u.id.clone(), format!("{} ({})", u.name, u.code)))
        .collect();
    let mut by_parent: HashMap<Option<String>, Vec<OrgUnit>> = HashMap::new();
    for u in units {
        let parent = u.parent_id.clone().filter(|p| names.contains_key(p));
        by_parent.entry(parent).or_default().push(u);
    }
    fn build(
        parent: Option<String>,
        by_parent: &mut HashMap<Option<String>, Vec<OrgUnit>>,
        names: &HashMap<String, String>,
        depth: usize,
    ) -> Vec<Node> {
        let mut level = by_parent.remove(&parent).unwrap_or_default();
        level.sort_by(|a, b| {
            let ended = |u: &OrgUnit| u.valid_to.is_some() || u.successor_id.is_some();
            (ended(a), &a.code).cmp(&(ended(b), &b.code))
        });
        level
            .into_iter()
            .map(|u| Node {
                children: if depth < 64 {
                    build(Some(u.id.clone()), by_parent, names, depth + 1)
                } else {
                    Vec::new()
                },
                successor: u
                    .successor_id
                    .as_ref()
                    .map(|s| names.get(s).cloned().unwrap_or_else(|| s.clone())),
                id: u.id,
                code: u.code,
                name: u.name,
                kind: u.kind,
                valid_to: u.valid_to,
            })
            .collect()
    }
    build(None, &mut by_parent, &names, 0)
}

/// The unit tree: parents and their children, merged-away units marked.
pub async fn units_page(c: Console) -> Result<HttpResponse, PageError> {
    let units = all_units(&c).await?;
    let merged = form_urlencoded::parse(c.req.query_string().as_bytes())
        .find(|(k, _)| k == "merged")
        .and_then(|(_, id)| units.iter().find(|u| u.id == id).map(Choice::of));
    c.render(
        "admin_units.html",
        context! { tree => tree(units), merged => merged },
    )
}

/// The choices of the merge form.
async fn merge_choices(c: &Console) -> Result<(Vec<OrgUnit>, Value), PageError> {
    let units = all_units(c).await?;
    let choices = current(&units);
    Ok((units, context! { units => choices }))
}

/// The merge form.
pub async fn merge_page(c: Console) -> Result<HttpResponse, PageError> {
    let (_, choices) = merge_choices(&c).await?;
    c.render(
        "admin_merge.html",
        context! { selected => Vec::<String>::new(), ..choices },
    )
}

/// The repeated `source_ids` fields of a multiple choice as the API's
/// list (`source_ids[0]`, `source_ids[1]`, ...).
fn indexed_sources(form: &Form) -> (Form, Vec<String>) {
    let mut sources = Vec::new();
    let mut fields = Vec::new();
    for (k, v) in &form.fields {
        if k == "source_ids" {
            fields.push((format!("source_ids[{}]", sources.len()), v.clone()));
            sources.push(v.clone());
        } else {
            fields.push((k.clone(), v.clone()));
        }
    }
    let mut indexed = form.clone();
    indexed.fields = fields;
    (indexed, sources)
}

/// What the preview names: the units that cease, the target and the
/// child units that would move under it.
#[derive(Serialize)]
struct Preview {
    sources: Vec<Choice>,
    target: Choice,
    children: Vec<Choice>,
    moved_secondments: usize,
    moved_officials: usize,
    moved_children: usize,
    effective_date: String,
}

/// What the merge form did.
enum Merge {
    /// `step=preview`: what the merge would do.
    Preview(MergeResponse),
    /// `step=confirm`: what the merge did.
    Done(MergeResponse),
}

/// `step=preview`: what the merge would move, nothing changed, with a
/// form to confirm it; `step=confirm`: the merge, then the tree.
pub async fn merge(c: Console, body: web::Bytes) -> Result<HttpResponse, PageError> {
    let (form, sources) = indexed_sources(&c.form(&body)?);
    let confirm = form.get("step") == Some("confirm");
    let request = form.body::<MergeRequest>(&["step"], &[]);
    let done = match request {
        Ok(b) if confirm => org_units::merge(&c.state, c.user(), b)
            .await
            .map(Merge::Done),
        Ok(b) => org_units::merge_preview(&c.state, c.user(), b)
            .await
            .map(Merge::Preview),
        Err(e) => Err(e),
    };
    if let Ok(Merge::Done(merged)) = &done {
        return Ok(see_other(&format!(
            "/admin/units?merged={}",
            merged.target.id
        )));
    }
    let (units, choices) = merge_choices(&c).await?;
    match done {
        Ok(Merge::Done(_)) => Err(c.fail(ApiError::Internal("merge answered twice".into()))),
        Ok(Merge::Preview(preview)) => {
            let wanted: HashSet<&str> = sources.iter().map(String::as_str).collect();
            let mut children: Vec<Choice> = units
                .iter()
                .filter(|u| u.parent_id.as_deref().is_some_and(|p| wanted.contains(p)))
                .map(Choice::of)
                .collect();
            children.sort_by(|a, b| a.code.cmp(&b.code));
            let preview = Preview {
                sources: sources
                    .iter()
                    .filter_map(|id| units.iter().find(|u| &u.id == id).map(Choice::of))
                    .collect(),
                target: Choice::of(&preview.target),
                children,
                moved_secondments: preview.moved_secondments,
                moved_officials: preview.moved_officials,
                moved_children: preview.moved_children,
                effective_date: form.get("effective_date").unwrap_or_default().to_string(),
            };
            c.render(
                "admin_merge.html",
                context! {
                    preview => preview,
                    selected => sources,
                    values => form.values(),
                    ..choices
                },
            )
        }
        Err(e) if forbidden(&e) => Err(c.fail(e)),
        Err(e) => c.refused(
            "admin_merge.html",
            &form,
            e,
            &[],
            context! { selected => sources, ..choices },
        ),
    }
}

// ---------------------------------------------------------------- holidays

/// The public holidays of `?year=` (this year by default), with links to
/// the years around it.
pub async fn holidays_page(c: Console) -> Result<HttpResponse, PageError> {
    let (_, mut q) = query_of::<HolidayQuery>(&c)?;
    let year = q.year.unwrap_or_else(|| {
        use chrono::Datelike;
        c.state.today().year()
    });
    q.year = Some(year);
    q.limit = Some(q.limit.unwrap_or(500));
    let page = holidays::list(&c.state, c.user(), q)
        .await
        .map_err(|e| c.fail(e))?;
    let years: Vec<i32> = (year - 2..=year + 2).collect();
    c.render(
        "admin_holidays.html",
        context! { year => year, years => years, holidays => page.items },
    )
}

/// Adds a holiday from the form, back to its year's page; a refused one
/// is shown at its field.
pub async fn add_holiday(c: Console, body: web::Bytes) -> Result<HttpResponse, PageError> {
    let form = c.form(&body)?;
    let added = match form.body::<NewHoliday>(&[], &[]) {
        Ok(b) => holidays::add(&c.state, c.user(), b).await,
        Err(e) => Err(e),
    };
    match added {
        Ok(h) => {
            use chrono::Datelike;
            Ok(see_other(&format!(
                "/admin/holidays?year={}",
                h.date.year()
            )))
        }
        Err(e) => {
            let year = form
                .get("date")
                .and_then(|d| d.get(..4))
                .and_then(|y| y.parse::<i32>().ok())
                .unwrap_or_else(|| {
                    use chrono::Datelike;
                    c.state.today().year()
                });
            let q = HolidayQuery {
                year: Some(year),
                limit: Some(500),
                ..Default::default()
            };
            let page = holidays::list(&c.state, c.user(), q)
                .await
                .map_err(|e| c.fail(e))?;
            let years: Vec<i32> = (year - 2..=year + 2).collect();
            let ctx = context! { year => year, years => years, holidays => page.items };
            c.refused("admin_holidays.html", &form, e, &[], ctx)
        }
    }
}

/// Removes a holiday, back to its year's page.
pub async fn remove_holiday(
    c: Console,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    c.form(&body)?;
    holidays::remove(&c.state, c.user(), &path)
        .await
        .map_err(|e| c.fail(e))?;
    let year = path.get(..4).unwrap_or_default();
    Ok(see_other(&format!("/admin/holidays?year={year}")))
}

// ---------------------------------------------------------------- outbox

/// The outbox: emails that failed for good first, then every email (or
/// those of the `?status=` asked for), newest planned last, a page at a time.
pub async fn outbox_page(c: Console) -> Result<HttpResponse, PageError> {
    let (query, mut q) = query_of::<EmailQuery>(&c)?;
    q.limit = Some(q.limit.unwrap_or(100));
    let dead = match q.status {
        None if q.cursor.is_none() => {
            let only_dead = EmailQuery {
                status: Some(EmailStatus::Dead),
                secondment_id: None,
                limit: Some(100),
                cursor: None,
            };
            Some(
                emails::list(&c.state, c.user(), only_dead)
                    .await
                    .map_err(|e| c.fail(e))?,
            )
        }
        _ => None,
    };
    let page = emails::list(&c.state, c.user(), q)
        .await
        .map_err(|e| c.fail(e))?;
    let filters = pairs(&query);
    let next = page.next_cursor.as_ref().map(|cursor| {
        let mut p: Vec<(String, String)> = filters
            .iter()
            .filter(|(k, _)| *k != "cursor")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        p.push(("cursor".into(), cursor.clone()));
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(p)
            .finish()
    });
    c.render(
        "admin_outbox.html",
        context! {
            dead => dead,
            page => page,
            next => next,
            filters => filters,
            statuses => EMAIL_STATUSES,
        },
    )
}
