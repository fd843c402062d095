//! `GET /approvals/pending`: the requests waiting for a director (or for
//! the directors they stand in for), with what is needed to decide them.

use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::common::{Page, PageQuery};
use super::extensions::{named_extensions, Extension};
use super::input::Query;
use super::problem::{ApiError, Problem};
use super::refs::{Refs, UserRef};
use super::secondments::{named_rows, Approval, Secondment};
use crate::auth::AuthUser;
use crate::domain::approval::{RequestKind, Side};
use crate::domain::scope::Scope;
use crate::domain::user::Role;
use crate::state::AppState;
use crate::store::approvals::{self as store_approvals, WaitingRequest};
use crate::store::delegations;
use crate::store::names::Wanted;
use crate::store::{DbConnection, StoreError};

/// A request waiting for the caller's decision (before it is described).
#[derive(Debug)]
struct PendingApproval {
    /// The posting itself or an extension of it.
    pub request_kind: RequestKind,
    /// The secondment.
    pub secondment_id: String,
    /// The extension, for extension requests.
    pub extension_id: Option<String>,
    /// Sides the caller still has to decide for.
    pub sides: Vec<Side>,
    /// The director the caller stands in for, when deciding as a delegate.
    pub on_behalf_of: Option<String>,
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

fn pending_for(
    conn: &mut DbConnection,
    user: &AuthUser,
    required: &[Side],
    today: NaiveDate,
) -> Result<Vec<PendingApproval>, StoreError> {
    let mut scopes: Vec<(Option<String>, Scope)> = Vec::new();
    if user.role == Role::Director {
        scopes.push((None, super::caller::scope_of(conn, user)?));
    }
    for (delegator, scope) in delegations::active_delegators(conn, &user.id, today)? {
        scopes.push((Some(delegator), scope));
    }
    let mut out = Vec::new();
    for request in store_approvals::waiting(conn)? {
        // Nobody decides a request about themselves (SPEC 2).
        if user.official_id.as_deref() == Some(request.official_id.as_str()) {
            continue;
        }
        let decided = store_approvals::decided_sides(conn, request.request_id())?;
        let WaitingRequest {
            secondment_id,
            extension_id,
            home_unit_id: home,
            host_unit_id: host,
            ..
        } = request;
        let mut sides = Vec::new();
        let mut on_behalf_of = None;
        for side in required {
            let unit = if *side == Side::Home { &home } else { &host };
            if decided.iter().any(|d| d == side.as_str()) {
                continue;
            }
            if let Some((delegator, _)) = scopes.iter().find(|(_, s)| s.contains(unit)) {
                sides.push(*side);
                if delegator.is_some() {
                    on_behalf_of = delegator.clone();
                }
            }
        }
        if !sides.is_empty() {
            out.push(PendingApproval {
                request_kind: if extension_id.is_some() {
                    RequestKind::Extension
                } else {
                    RequestKind::Proposal
                },
                secondment_id,
                extension_id,
                sides,
                on_behalf_of,
            });
        }
    }
    Ok(out)
}

/// Requests waiting for the caller's decision, or for the directors they
/// stand in for.
#[utoipa::path(tag = "approvals", security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = Page<PendingRequest>), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/approvals/pending")]
pub async fn list_pending_approvals(
    user: AuthUser,
    state: web::Data<AppState>,
    page: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = pending_page(&state, user, page.window()?).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One page of the requests waiting for the caller: the API's list and
/// the console's page.
pub(crate) async fn pending_page(
    state: &web::Data<AppState>,
    user: AuthUser,
    window: super::common::PageWindow,
) -> Result<Page<PendingRequest>, ApiError> {
    user.require_role(&[Role::Director, Role::HrOfficer])?;
    let required = state.settings.policy.approval_sides.clone();
    let today = state.today();
    let page = state
        .db
        .read(move |conn| {
            let items = pending_for(conn, &user, &required, today)?;
            let page = window.page_sorted(
                items,
                |p| {
                    p.extension_id
                        .clone()
                        .unwrap_or_else(|| p.secondment_id.clone())
                },
                |p| p,
            );
            described(conn, page)
        })
        .await?;
    Ok(page)
}

/// Adds to one page of waiting requests their secondments, extensions and
/// names, in a few batched reads.
fn described(
    conn: &mut DbConnection,
    page: Page<PendingApproval>,
) -> Result<Page<PendingRequest>, StoreError> {
    let mut rows = Vec::new();
    let mut exts = Vec::new();
    for p in &page.items {
        rows.push(crate::store::secondments::find(conn, &p.secondment_id)?);
        if let Some(e) = &p.extension_id {
            exts.push(crate::store::extensions::find_extension(conn, e)?);
        }
    }
    let mut secondments: std::collections::HashMap<String, Secondment> =
        named_rows(conn, rows)?.into_iter().collect();
    let mut extensions: std::collections::HashMap<String, Extension> =
        named_extensions(conn, exts)?
            .into_iter()
            .map(|e| (e.id.clone(), e))
            .collect();
    let request_ids: Vec<String> = page
        .items
        .iter()
        .map(|p| {
            p.extension_id
                .clone()
                .unwrap_or_else(|| p.secondment_id.clone())
        })
        .collect();
    let earlier = store_approvals::decisions_on(conn, &request_ids)?;
    let mut wanted = Wanted::default();
    for p in &page.items {
        wanted.user(p.on_behalf_of.as_deref());
    }
    for a in &earlier {
        wanted
            .user(Some(&a.decided_by))
            .user(a.on_behalf_of.as_deref());
    }
    let names = wanted.load(conn)?;
    let mut decided: std::collections::HashMap<String, Vec<Approval>> =
        std::collections::HashMap::new();
    for a in earlier {
        decided
            .entry(a.request_id.clone())
            .or_default()
            .push(Approval::named(a, &names));
    }
    let mut items = Vec::new();
    for p in page.items {
        let Some(secondment) = secondments.remove(&p.secondment_id) else {
            continue;
        };
        let request = p
            .extension_id
            .clone()
            .unwrap_or_else(|| p.secondment_id.clone());
        items.push(PendingRequest {
            decided: decided.remove(&request).unwrap_or_default(),
            request_kind: p.request_kind,
            sides: p.sides,
            on_behalf_of: p.on_behalf_of.as_deref().map(|u| names.user_ref(u)),
            secondment,
            extension: p.extension_id.and_then(|e| extensions.remove(&e)),
        });
    }
    Ok(Page {
        items,
        next_cursor: page.next_cursor,
    })
}
