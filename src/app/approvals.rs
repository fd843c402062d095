//! Directors' decisions: the requests waiting for the caller (or for the
//! directors they stand in for) with what is needed to decide them, and
//! recording a decision on a proposal or an extension for the sides the
//! caller decides for.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use chrono_tz::Tz;
use serde::Serialize;
use utoipa::ToSchema;

use super::page::{Page, PageWindow};
use super::refs::{Refs, UserRef};
use super::secondments::{named_extensions, named_rows, Approval, Extension, Secondment};
use super::{caller, AppError, Clash, Context, Refusal};
use crate::auth::AuthUser;
use crate::domain::actions::{Caller, Decider};
use crate::domain::approval::{self, Outcome, RequestKind, Side};
use crate::domain::dates::local_date;
use crate::domain::secondment_steps::{decision_date_violation, sides_to_record, NoDecision};
use crate::domain::user::Role;
use crate::store::approvals::{self as store_approvals, NewDecisions, WaitingRequest};
use crate::store::audit::Actor;
use crate::store::names::Wanted;
use crate::store::secondment_flow::Decision;
use crate::store::secondments::{SecondmentRow, Viewer};
use crate::store::{delegations, DbConnection};

/// A request waiting for the caller's decision (before it is described).
#[derive(Debug)]
struct Waiting {
    request: WaitingRequest,
    /// Sides the caller still has to decide for.
    sides: Vec<Side>,
    /// The director the caller stands in for, when deciding as a delegate.
    on_behalf_of: Option<String>,
}

/// A waiting request with what a director needs to decide it: the
/// secondment with its official and units named, the extension asked for,
/// and who they would decide for.
#[derive(Debug, Serialize, ToSchema)]
pub struct PendingRequest {
    /// The posting itself or an extension of it.
    pub request_kind: RequestKind,
    /// Sides the caller still has to decide for.
    pub sides: Vec<Side>,
    /// The director the caller stands in for, when deciding as a delegate.
    pub on_behalf_of: Option<UserRef>,
    /// The secondment (the proposal itself, or the one to extend).
    pub secondment: Secondment,
    /// The extension asked for, for extension requests.
    pub extension: Option<Extension>,
    /// The decisions already taken on this request (the other side's).
    pub decided: Vec<Approval>,
}

/// One page of the requests waiting for the caller's decision, or for the
/// directors they stand in for today: `GET /approvals/pending` and the
/// console's page.
pub fn pending(
    caller: &AuthUser,
    tx: &mut DbConnection,
    cx: &Context,
    window: PageWindow,
) -> Result<Page<PendingRequest>, AppError> {
    caller.require_role(&[Role::Director, Role::HrOfficer])?;
    let items = waiting_for(tx, caller, cx)?;
    let page = window.page_sorted(items, |w| w.request.request_id().to_string(), |w| w);
    described(tx, page)
}

/// Every waiting request with a required side the caller decides for and
/// that has not decided yet, never one about themself.
fn waiting_for(
    tx: &mut DbConnection,
    user: &AuthUser,
    cx: &Context,
) -> Result<Vec<Waiting>, AppError> {
    let scope = caller::scope_of(tx, user)?;
    let delegators = delegations::active_delegators(tx, &user.id, cx.today)?;
    let delegated: Vec<_> = delegators.iter().map(|(_, s)| s.clone()).collect();
    let deciding = Caller {
        role: user.role,
        user_id: &user.id,
        official_id: user.official_id.as_deref(),
        scope: &scope,
        delegated: &delegated,
    };
    let required = &cx.settings.policy.approval_sides;
    let mut out = Vec::new();
    for request in store_approvals::waiting(tx)? {
        let decided: Vec<Side> = store_approvals::decisions_of(tx, request.request_id())?
            .into_iter()
            .map(|(side, _)| side)
            .collect();
        let posting = crate::domain::actions::Posting {
            official_id: &request.official_id,
            home_unit_id: &request.home_unit_id,
            host_unit_id: &request.host_unit_id,
        };
        let sides = deciding.sides_to_decide(posting, required, &decided);
        if sides.is_empty() {
            continue;
        }
        let on_behalf_of = sides.iter().rev().find_map(|(_, d)| match d {
            Decider::StandingIn(i) => delegators.get(*i).map(|(id, _)| id.clone()),
            Decider::Director => None,
        });
        out.push(Waiting {
            sides: sides.into_iter().map(|(s, _)| s).collect(),
            on_behalf_of,
            request,
        });
    }
    Ok(out)
}

/// Adds to one page of waiting requests their secondments, extensions and
/// names, in a few batched reads.
fn described(tx: &mut DbConnection, page: Page<Waiting>) -> Result<Page<PendingRequest>, AppError> {
    let mut rows = Vec::new();
    let mut exts = Vec::new();
    for w in &page.items {
        rows.push(crate::store::secondments::find(
            tx,
            &w.request.secondment_id,
        )?);
        if let Some(e) = &w.request.extension_id {
            exts.push(crate::store::extensions::find_extension(tx, e)?);
        }
    }
    let mut secondments: HashMap<String, Secondment> = named_rows(tx, rows)?.into_iter().collect();
    let mut extensions: HashMap<String, Extension> = named_extensions(tx, exts)?
        .into_iter()
        .map(|e| (e.id.clone(), e))
        .collect();
    let request_ids: Vec<String> = page
        .items
        .iter()
        .map(|w| w.request.request_id().to_string())
        .collect();
    let earlier = store_approvals::decisions_on(tx, &request_ids)?;
    let mut wanted = Wanted::default();
    for w in &page.items {
        wanted.user(w.on_behalf_of.as_deref());
    }
    for a in &earlier {
        wanted
            .user(Some(&a.decided_by))
            .user(a.on_behalf_of.as_deref());
    }
    let names = wanted.load(tx)?;
    let mut decided: HashMap<String, Vec<Approval>> = HashMap::new();
    for a in earlier {
        decided
            .entry(a.request_id.clone())
            .or_default()
            .push(Approval::named(a, &names));
    }
    let mut items = Vec::new();
    for w in page.items {
        let Some(secondment) = secondments.remove(&w.request.secondment_id) else {
            continue;
        };
        let request_kind = if w.request.extension_id.is_some() {
            RequestKind::Extension
        } else {
            RequestKind::Proposal
        };
        items.push(PendingRequest {
            decided: decided.remove(w.request.request_id()).unwrap_or_default(),
            request_kind,
            sides: w.sides,
            on_behalf_of: w.on_behalf_of.as_deref().map(|u| names.user_ref(u)),
            secondment,
            extension: w
                .request
                .extension_id
                .as_ref()
                .and_then(|e| extensions.remove(e)),
        });
    }
    Ok(Page {
        items,
        next_cursor: page.next_cursor,
    })
}

/// A request decisions are recorded on.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The secondment it is about.
    pub row: &'a SecondmentRow,
    /// The proposal (the secondment's id) or the extension.
    pub id: &'a str,
    /// Which of the two.
    pub kind: RequestKind,
    /// When it was made (UTC): the submission, or the extension asked.
    pub asked_at: NaiveDateTime,
}

/// Records `decision` for every required side `viewer` decides for on
/// `request` (as its director, or standing in for one under the
/// delegations in force on `decision.today`, read again in this unit) that
/// has not decided yet; returns the request's outcome and the history
/// detail. Nobody decides about themself; a stated day lies between the
/// day the request was made and today, both in the time zone `tz`.
pub fn record_decisions(
    tx: &mut DbConnection,
    actor: &Actor,
    viewer: &Viewer,
    required: &[Side],
    request: &Request<'_>,
    decision: &Decision,
    tz: Tz,
) -> Result<(Outcome, serde_json::Value), AppError> {
    let existing = store_approvals::decisions_of(tx, request.id)?;
    let delegators = delegations::active_delegators(tx, &viewer.user_id, decision.today)?;
    let scopes: Vec<_> = delegators.iter().map(|(_, scope)| scope.clone()).collect();
    let deciding = Caller {
        delegated: &scopes,
        ..viewer.caller()
    };
    let decided: Vec<Side> = existing.iter().map(|(side, _)| *side).collect();
    let sides =
        sides_to_record(deciding, request.row.posting(), required, &decided).map_err(refusal)?;
    if let Some(day) = decision.decided_on {
        let asked_on = local_date(request.asked_at, tz);
        if let Some(broken) = decision_date_violation(day, asked_on, decision.today) {
            return Err(AppError::Rule(vec![broken]));
        }
    }
    let sides: Vec<(Side, Option<String>)> = sides
        .into_iter()
        .map(|(side, by)| match by {
            Decider::Director => (side, None),
            Decider::StandingIn(i) => (side, delegators.get(i).map(|(id, _)| id.clone())),
        })
        .collect();
    let verdict = if decision.approve {
        approval::Decision::Approved
    } else {
        approval::Decision::Rejected
    };
    let detail = store_approvals::record(
        tx,
        actor,
        &NewDecisions {
            secondment_id: &request.row.id,
            request_id: request.id,
            request_kind: request.kind,
            sides: &sides,
            decision: verdict,
            comment: decision.comment.as_deref(),
            decided_by: &viewer.user_id,
            decided_on: decision.decided_on,
        },
    )?;
    let mut decisions: Vec<(Side, bool)> = existing
        .iter()
        .map(|(side, d)| (*side, *d == approval::Decision::Approved))
        .collect();
    decisions.extend(sides.iter().map(|(side, _)| (*side, decision.approve)));
    Ok((approval::outcome(required, &decisions), detail))
}

/// Why the caller records no decision, as a typed refusal.
fn refusal(e: NoDecision) -> AppError {
    match e {
        NoDecision::AboutThemself => AppError::forbidden(
            Refusal::NotTheDecider,
            "A director never decides a request about themselves.",
        ),
        NoDecision::NoSide => AppError::forbidden(
            Refusal::NotTheDecider,
            "You do not decide for any side of this request.",
        ),
        NoDecision::AlreadyDecided => AppError::conflict(
            Clash::AlreadyDone,
            "Your sides have already decided on this request.",
        ),
    }
}
