//! Secondments: the list with the API's filters, a new proposal, one
//! secondment with its timeline, and the forms acting on it.

use actix_web::{web, HttpResponse};
use minijinja::context;
use serde::Serialize;

use crate::app::extensions::{self, Extension};
use crate::app::milestones::{self, Milestone};
use crate::app::outcomes::{self, Outcome};
use crate::app::page::PageWindow;
use crate::app::secondments::{create, history, list, read};
use crate::app::secondments::{CreateSecondment, Secondment, SecondmentQuery};
use crate::app::{units, Context};
use crate::domain::actions::Actions;
use crate::domain::secondment::Status;
use crate::web::pages::choices;
use crate::web::render::{see_other, Console, PageError};
use crate::web::timeline;

pub use super::secondment_forms::{act, act_on_item, outcome_page};
use super::secondment_forms::{pillars, ratings};

/// The statuses a list can be filtered by, in the order of the lifecycle.
fn statuses() -> Vec<&'static str> {
    Status::ALL.iter().map(|s| s.as_str()).collect()
}

/// The query string's API filters (`lang`, the page's `cursor` and empty
/// fields left out), and the query as the API reads it.
fn filters_of(c: &Console) -> Result<(String, SecondmentQuery), PageError> {
    Ok((c.api_query(&["lang", "cursor"]), c.query(&["lang"])?))
}

/// The filtered list as the API's CSV or XLSX file.
pub async fn export(c: Console, path: web::Path<String>) -> Result<HttpResponse, PageError> {
    let format = match path.as_str() {
        "csv" => crate::api::export::Format::Csv,
        "xlsx" => crate::api::export::Format::Xlsx,
        _ => return Err(c.fail(crate::api::ApiError::NotFound("no such format".into()))),
    };
    let (_, q) = filters_of(&c)?;
    crate::api::secondments::export_file(c.state.clone(), c.user(), q, format)
        .await
        .map_err(|e| c.fail(e))
}

/// The list, filtered by the query string's API filters (`status`, `q`,
/// `active_on`, ...), with export links to the API's CSV and XLSX.
pub async fn list(c: Console) -> Result<HttpResponse, PageError> {
    let (query, q) = filters_of(&c)?;
    let window = PageWindow::parse(q.limit, q.cursor.as_deref()).map_err(|e| c.fail(e))?;
    let user = c.user();
    let page = units::lagging(&c.state.db, move |tx| list::list(&user, tx, q, window))
        .await
        .map_err(|e| c.fail(e))?;
    let filters: std::collections::BTreeMap<String, String> =
        form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
    let units = choices::units(&c).await?;
    let next = c.next_page(page.next_cursor.as_deref());
    c.render(
        "secondments.html",
        context! { page => page, next => next, statuses => statuses(), filters => filters, query => query, ..units },
    )
}

/// The form of a new proposal.
pub async fn new_page(c: Console) -> Result<HttpResponse, PageError> {
    let narrow: choices::Narrowing = c.query(&["lang"])?;
    let shown = context! {
        official_q => narrow.official_q.as_ref().map(|q| q.0.clone()),
        unit_q => narrow.unit_q.as_ref().map(|q| q.0.clone()),
    };
    let choices = choices::units_and_officials(&c, narrow).await?;
    c.render(
        "new.html",
        context! { values => context! { kind => "secondment" }, narrowing => shown, ..choices },
    )
}

/// Which field a rule of the proposal is about.
pub(super) const PROPOSAL_RULES: &[(&str, &str)] = &[
    ("max_duration", "end_date"),
    ("end_after_start", "end_date"),
    ("rotation_min_duration", "end_date"),
    ("protected_official", "start_date"),
    ("rotation_working_time", "start_date"),
    ("rotation_succession_plan", "official_id"),
];

/// Creates the draft, or shows the form again with the errors at their fields.
pub async fn create(c: Console, body: web::Bytes) -> Result<HttpResponse, PageError> {
    let form = c.form(&body)?;
    let made = match form.body::<CreateSecondment>(choices::NARROWING_FIELDS, &[]) {
        Ok(b) => {
            let (user, cx) = (c.user(), Context::now(c.state.settings.clone()));
            let made = units::write(&c.state.db, move |tx| create::create(&user, tx, &cx, b));
            made.await.map_err(crate::web::render::Failure::from)
        }
        Err(e) => Err(e.into()),
    };
    match made {
        Ok(s) => Ok(see_other(&format!("/secondments/{}", s.id))),
        Err(e) => {
            let choices =
                choices::units_and_officials(&c, choices::Narrowing::of_form(&form)).await?;
            c.refused("new.html", &form, e, PROPOSAL_RULES, choices)
        }
    }
}

/// What the page shows of one secondment.
#[derive(Serialize)]
pub(super) struct View {
    s: Secondment,
    outcomes: Vec<Outcome>,
    milestones: Vec<Milestone>,
    extensions: Vec<Extension>,
    timeline: Vec<timeline::Line>,
    days_left: Option<i64>,
    /// What the signed-in user may do next: every form on the page is
    /// shown by one of these flags (decision 0042).
    actions: Actions,
}

pub(super) async fn view(c: &Console, id: String) -> Result<View, PageError> {
    let s = found(c, id.clone()).await?;
    let (user, sid) = (c.user(), id.clone());
    let (rows, mut planned, extensions) = units::read(&c.state.db, move |tx| {
        Ok((
            outcomes::of_secondment(&user, tx, &sid)?,
            milestones::of_secondment(&user, tx, &sid)?,
            extensions::of_secondment(&user, tx, &sid)?,
        ))
    })
    .await
    .map_err(|e| c.fail(e))?;
    planned.sort_by(|a, b| (a.due_date, &a.id).cmp(&(b.due_date, &b.id)));
    let user = c.user();
    let (mut events, names) = units::read(&c.state.db, move |tx| {
        history::events(&user, tx, &id, None, 500)
    })
    .await
    .map_err(|e| c.fail(e))?;
    // Told in the order things happened (the demo records its past steps
    // after later ones; everywhere else this is the order of the log).
    events.sort_by_key(|e| e.occurred_at);
    let today = c.state.today();
    let days_left = matches!(s.status.as_str(), "active" | "approved")
        .then(|| (s.end_date - today).num_days().max(0));
    Ok(View {
        actions: s.actions.unwrap_or_default(),
        timeline: timeline::lines(c.lang, &events, &names, c.state.settings.tz()),
        outcomes: rows,
        milestones: planned,
        extensions,
        days_left,
        s,
    })
}

/// Secondment `id` as the signed-in user may see it, with their actions.
pub(super) async fn found(c: &Console, id: String) -> Result<Secondment, PageError> {
    let (user, cx) = (c.user(), Context::now(c.state.settings.clone()));
    units::read(&c.state.db, move |tx| read::find(&user, tx, &cx, &id))
        .await
        .map_err(|e| c.fail(e))
}

/// One secondment: dates, days remaining, approvals, outcomes, history in
/// words, and the forms the signed-in user may use on it.
pub async fn show(c: Console, path: web::Path<String>) -> Result<HttpResponse, PageError> {
    let id = crate::app::fields::parse_id(&path).map_err(|e| c.fail(e))?;
    let v = view(&c, id).await?;
    c.render(
        "secondment.html",
        context! { v => v, pillars => pillars(), ratings => ratings() },
    )
}

/// The form of a draft, filled in.
pub async fn edit_page(c: Console, path: web::Path<String>) -> Result<HttpResponse, PageError> {
    let id = crate::app::fields::parse_id(&path).map_err(|e| c.fail(e))?;
    let s = found(&c, id.clone()).await?;
    let consultation = s.consultation.as_ref();
    let values: std::collections::BTreeMap<&str, String> = [
        ("official_id", Some(s.official_id.clone())),
        ("host_unit_id", Some(s.host_unit_id.clone())),
        ("kind", Some(s.kind.as_str().to_string())),
        ("ground", Some(s.ground.as_str().to_string())),
        ("position_title", Some(s.position_title.clone())),
        ("mandate", Some(s.mandate.clone())),
        ("start_date", Some(s.start_date.to_string())),
        ("end_date", Some(s.end_date.to_string())),
        ("agreement_ref", s.agreement_ref.clone()),
        ("exception_ref", s.exception_ref.clone()),
        (
            "consultation.held_on",
            consultation.map(|c| c.held_on.0.to_string()),
        ),
        (
            "consultation.note",
            consultation.and_then(|c| c.note.as_ref().map(|n| n.0.clone())),
        ),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
    .collect();
    let choices = choices::units_and_officials(&c, choices::Narrowing::default()).await?;
    c.render(
        "new.html",
        context! { values => values, editing => id, version => s.version, ..choices },
    )
}

/// A cadre's own secondments (the current one first).
pub async fn mine(c: Console) -> Result<HttpResponse, PageError> {
    let q = SecondmentQuery::default();
    let window = PageWindow {
        limit: 100,
        after: None,
    };
    let user = c.user();
    let page = units::lagging(&c.state.db, move |tx| list::list(&user, tx, q, window))
        .await
        .map_err(|e| c.fail(e))?;
    let mine: Vec<Secondment> = page
        .items
        .into_iter()
        .filter(|s| c.user().official_id.as_deref() == Some(s.official_id.as_str()))
        .collect();
    if let [only] = mine.as_slice() {
        return Ok(see_other(&format!("/secondments/{}", only.id)));
    }
    c.render("mine.html", context! { items => mine })
}
