//! A director's pending approvals and their decisions.

use actix_web::{web, HttpResponse};
use minijinja::context;
use serde::Serialize;

use crate::app::approvals::{self, PendingRequest};
use crate::app::extensions::{self, Verdict};
use crate::app::fields::Plain;
use crate::app::page::PageWindow;
use crate::app::secondments::decide::{decide_proposal, DecisionRequest};
use crate::app::{units, Context};
use crate::domain::dates::whole_months;
use crate::web::render::{see_other, Console, PageError};

/// One waiting request as the page shows it.
#[derive(Serialize)]
struct Waiting {
    request: PendingRequest,
    /// Whole months from the start to the (asked-for) end.
    months: u32,
    /// The request's id: the secondment's or the extension's.
    id: String,
}

/// Everything waiting for the signed-in director, with what is needed to
/// decide it.
pub async fn pending(c: Console) -> Result<HttpResponse, PageError> {
    let window = PageWindow {
        limit: 500,
        after: None,
    };
    let (user, cx) = (c.user(), Context::now(c.state.settings.clone()));
    let page = units::read(&c.state.db, move |tx| {
        approvals::pending(&user, tx, &cx, window)
    })
    .await
    .map_err(|e| c.fail(e))?;
    let items: Vec<Waiting> = page
        .items
        .into_iter()
        .map(|request| {
            let s = &request.secondment;
            let end = request
                .extension
                .as_ref()
                .map_or(s.end_date, |e| e.requested_end_date);
            let months = whole_months(s.start_date, end);
            let id = request
                .extension
                .as_ref()
                .map_or_else(|| s.id.clone(), |e| e.id.clone());
            Waiting {
                request,
                months,
                id,
            }
        })
        .collect();
    let cap = c.state.settings.policy.rules().max_months;
    c.render("approvals.html", context! { items => items, cap => cap })
}

/// Approves or rejects one proposal or extension with the form's comment
/// and decision number.
pub async fn decide(
    c: Console,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let form = c.form(&body)?;
    let (kind, id) = path.into_inner();
    let id = crate::app::fields::parse_id(&id).map_err(|e| c.fail(e))?;
    let approve = match form.get("decision") {
        Some("approve") => true,
        Some("reject") => false,
        _ => {
            return Err(c.fail(crate::api::ApiError::invalid_field(
                "decision",
                "choose approve or reject",
            )))
        }
    };
    let b: DecisionRequest = form.body(&["decision"], &[]).map_err(|e| c.fail(e))?;
    match kind.as_str() {
        "proposal" => {
            let (user, cx) = (c.user(), Context::now(c.state.settings.clone()));
            let done = units::write(&c.state.db, move |tx| {
                decide_proposal(&user, tx, &cx, &id, approve, b)
            });
            done.await
                .map(drop)
                .map_err(crate::web::render::Failure::from)
        }
        "extension" => {
            let verdict = Verdict {
                approve,
                comment: b.comment.plain(),
                decision_ref: b.decision_ref.plain(),
                decided_on: b.decided_on.plain(),
            };
            let (user, cx) = (c.user(), Context::now(c.state.settings.clone()));
            units::write(&c.state.db, move |tx| {
                extensions::decide(&user, tx, &cx, &id, verdict)
            })
            .await
            .map(|_| ())
            .map_err(crate::web::render::Failure::from)
        }
        _ => Err(crate::app::AppError::NotFound.into()),
    }
    .map_err(|e| c.fail(e))?;
    Ok(see_other("/approvals"))
}
