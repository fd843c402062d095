//! The forms on a secondment's page: its actions (submit, cancel,
//! terminate, extensions, milestones, outcomes, the evaluation), each
//! calling the same application function as the API, and the page again
//! with a refused form's errors at its fields.

use super::secondments::{view, PROPOSAL_RULES};
use crate::app::extensions::{self, CreateExtension};
use crate::app::milestones::{self, CompleteMilestone, CreateMilestone};
use crate::app::outcomes::{self, CreateEvaluation, CreateOutcome, UpdateOutcome};
use crate::app::secondments::change;
use crate::app::secondments::flow::{self, CancelRequest, TerminateRequest};
use crate::app::secondments::UpdateSecondment;
use crate::app::{units, Context};
use crate::domain::outcome::{Pillar, Rating};
use crate::web::form::Form;
use crate::web::pages::choices;
use crate::web::render::{see_other, Console, PageError};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use minijinja::context;

/// The pillars an outcome may belong to, in the SPEC's order.
pub(super) fn pillars() -> Vec<&'static str> {
    Pillar::ALL.iter().map(|p| p.as_str()).collect()
}

/// The ratings of an evaluation, best first.
pub(super) fn ratings() -> Vec<&'static str> {
    Rating::ALL.iter().map(|r| r.as_str()).collect()
}

/// The forms of the secondment page: `submit`, `outcomes`, `extensions`,
/// `withdraw`, `evaluation`.
pub async fn act(
    c: Console,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form = c.form(&body)?;
    let (id, action) = path.into_inner();
    let id = crate::app::fields::parse_id(&id).map_err(|e| c.fail(e))?;
    let done = perform(&c, &form, &action, id.clone()).await;
    match done {
        Ok(()) => Ok(see_other(&format!("/secondments/{id}"))),
        Err(e) if action == "edit" => {
            let choices = choices::units_and_officials(&c, choices::Narrowing::default()).await?;
            let ctx = context! { editing => id, version => form.get("version"), ..choices };
            c.refused("new.html", &form, e, PROPOSAL_RULES, ctx)
        }
        Err(e) => refused_on_page(&c, id, &action, &form, e).await,
    }
}

/// Runs one form of the secondment page through its application function.
async fn perform(
    c: &Console,
    form: &Form,
    action: &str,
    id: String,
) -> Result<(), crate::web::render::Failure> {
    let (state, user) = (&c.state, c.user());
    match action {
        "submit" => {
            let cx = Context::now(state.settings.clone());
            let done = units::write(&state.db, move |tx| flow::submit(&user, tx, &cx, &id));
            Ok(done.await.map(drop)?)
        }
        "outcomes" => {
            let b = form.body::<CreateOutcome>(&[], &["metrics[0].value"])?;
            let done = units::write(&state.db, move |tx| outcomes::create(&user, tx, &id, b));
            Ok(done.await.map(drop)?)
        }
        "extensions" => {
            let b = form.body::<CreateExtension>(&[], &[])?;
            let cx = Context::now(state.settings.clone());
            let done = units::write(&state.db, move |tx| {
                extensions::request(&user, tx, &cx, &id, b)
            });
            Ok(done.await.map(drop)?)
        }
        "withdraw" => {
            let ext = form.get("extension_id").unwrap_or_default().to_string();
            let done = units::write(&state.db, move |tx| extensions::withdraw(&user, tx, &ext));
            Ok(done.await.map(drop)?)
        }
        "evaluation" => {
            let b = form.body::<CreateEvaluation>(&[], &[])?;
            let done = units::write(&state.db, move |tx| outcomes::evaluate(&user, tx, &id, b));
            Ok(done.await.map(drop)?)
        }
        "cancel" => {
            let b = form.body::<CancelRequest>(&[], &[])?;
            let done = units::write(&state.db, move |tx| flow::cancel(&user, tx, &id, b));
            Ok(done.await.map(drop)?)
        }
        "terminate" => {
            let b = form.body::<TerminateRequest>(&[], &[])?;
            let done = units::write(&state.db, move |tx| flow::terminate(&user, tx, &id, b));
            Ok(done.await.map(drop)?)
        }
        "return" | "edit" => {
            let version = form.version()?;
            let b = form.body::<UpdateSecondment>(&["version"], &[])?;
            let cx = Context::now(state.settings.clone());
            let done = units::write(&state.db, move |tx| {
                change::update(&user, tx, &cx, &id, Some(version), b)
            });
            Ok(done.await.map(drop)?)
        }
        "milestones" => {
            let b = form.body::<CreateMilestone>(&[], &[])?;
            let done = units::write(&state.db, move |tx| milestones::create(&user, tx, &id, b));
            Ok(done.await.map(drop)?)
        }
        _ => Err(crate::app::AppError::NotFound.into()),
    }
}

/// The buttons on one item of the secondment page: a milestone's
/// `complete`, an outcome's `acknowledge`.
pub async fn act_on_item(
    c: Console,
    path: web::Path<(String, String, String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form = c.form(&body)?;
    let (id, kind, item, action) = path.into_inner();
    let parse = |s: &str| crate::app::fields::parse_id(s).map_err(|e| c.fail(e));
    let (id, item) = (parse(&id)?, parse(&item)?);
    let done = perform_on_item(&c, &form, &kind, &action, item).await;
    match done {
        Ok(()) => Ok(see_other(&format!("/secondments/{id}"))),
        Err(e) => refused_on_page(&c, id, &action, &form, e).await,
    }
}

/// Runs one button or form of an item through its application function.
async fn perform_on_item(
    c: &Console,
    form: &Form,
    kind: &str,
    action: &str,
    item: String,
) -> Result<(), crate::web::render::Failure> {
    let (state, user) = (&c.state, c.user());
    match (kind, action) {
        ("milestones", "complete") => {
            let b = form.body::<CompleteMilestone>(&[], &[])?;
            let cx = Context::now(state.settings.clone());
            let done = units::write(&state.db, move |tx| {
                milestones::complete(&user, tx, &cx, &item, b)
            });
            Ok(done.await.map(drop)?)
        }
        ("outcomes", "acknowledge") => {
            let done = units::write(&state.db, move |tx| outcomes::acknowledge(&user, tx, &item));
            Ok(done.await.map(drop)?)
        }
        ("outcomes", "edit") => {
            let version = form.version()?;
            let b = form.body::<UpdateOutcome>(&["version"], &["metrics[0].value"])?;
            let done = units::write(&state.db, move |tx| {
                outcomes::update(&user, tx, &item, Some(version), b)
            });
            Ok(done.await.map(drop)?)
        }
        _ => Err(crate::app::AppError::NotFound.into()),
    }
}

/// The edit form of one outcome of the secondment.
pub async fn outcome_page(
    c: Console,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (id, item) = path.into_inner();
    let parse = |s: &str| crate::app::fields::parse_id(s).map_err(|e| c.fail(e));
    let (id, item) = (parse(&id)?, parse(&item)?);
    let (user, sid) = (c.user(), id.clone());
    let rows = units::read(&c.state.db, move |tx| {
        outcomes::of_secondment(&user, tx, &sid)
    })
    .await
    .map_err(|e| c.fail(e))?;
    let outcome = rows
        .into_iter()
        .find(|o| o.id == item)
        .ok_or_else(|| c.fail(crate::api::ApiError::NotFound("no such outcome".into())))?;
    let mut values = std::collections::BTreeMap::new();
    values.insert("title".to_string(), outcome.title.clone());
    values.insert("pillar".to_string(), outcome.pillar.as_str().to_string());
    values.insert("occurred_on".to_string(), outcome.occurred_on.to_string());
    if let Some(d) = &outcome.description {
        values.insert("description".to_string(), d.clone());
    }
    for (i, m) in outcome.metrics.iter().enumerate() {
        values.insert(format!("metrics[{i}].name"), m.name.clone());
        values.insert(
            format!("metrics[{i}].value"),
            crate::web::i18n::Lang::En.number(m.value),
        );
        if let Some(u) = &m.unit {
            values.insert(format!("metrics[{i}].unit"), u.clone());
        }
    }
    let rows = outcome.metrics.len() + 1;
    c.render(
        "outcome.html",
        context! { id => id, o => outcome, values => values, rows => rows, pillars => pillars() },
    )
}

/// The secondment page again, the refused form's errors at its fields.
async fn refused_on_page(
    c: &Console,
    id: String,
    action: &str,
    form: &Form,
    e: crate::web::render::Failure,
) -> Result<HttpResponse, PageError> {
    use crate::web::render::Failure;
    let missing = match &e {
        Failure::App(e) => matches!(e, crate::app::AppError::NotFound),
        Failure::Door(e) => {
            e.problem().status == StatusCode::NOT_FOUND.as_u16() && e.problem().errors.is_empty()
        }
    };
    if missing {
        return Err(c.fail(e));
    }
    let v = view(c, id).await?;
    let rules = [
        ("max_duration", "requested_end_date"),
        ("extension_later_end", "requested_end_date"),
        ("termination_within_secondment", "actual_end_date"),
        ("milestone_within_secondment", "due_date"),
    ];
    c.refused(
        "secondment.html",
        form,
        e,
        &rules,
        context! { v => v, pillars => pillars(), ratings => ratings(), failed => action },
    )
}
