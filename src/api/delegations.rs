//! Delegations and the approvals waiting for a director.

use actix_web::{delete, get, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::common::{self, Page, PageQuery};
use super::fields::{Day, Id, Plain};
use super::input::{Json, Query};
use super::problem::{ApiError, Problem};
use super::refs::{Refs, UserRef};
use crate::auth::AuthUser;
use crate::domain::user::Role;
use crate::state::AppState;
use crate::store::delegations::{self, DelegationError, DelegationRow};
use crate::store::names::Wanted;
use crate::store::{DbConnection, StoreError};

/// A delegation.
#[derive(Debug, Serialize, ToSchema)]
pub struct Delegation {
    /// Identifier.
    pub id: String,
    /// The director who is away.
    pub delegator_user_id: String,
    /// The director who is away, named.
    pub delegator: UserRef,
    /// Who decides in their place.
    pub delegate_user_id: String,
    /// Who decides in their place, named.
    pub delegate: UserRef,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// Created (UTC).
    pub created_at: DateTime<Utc>,
}

/// Delegations with their people named, read in one batch.
fn named(conn: &mut DbConnection, rows: Vec<DelegationRow>) -> Result<Vec<Delegation>, StoreError> {
    let mut wanted = Wanted::default();
    for d in &rows {
        wanted
            .user(Some(&d.delegator_id))
            .user(Some(&d.delegate_id));
    }
    let names = wanted.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|d| Delegation {
            delegator: names.user_ref(&d.delegator_id),
            delegate: names.user_ref(&d.delegate_id),
            id: d.id,
            delegator_user_id: d.delegator_id,
            delegate_user_id: d.delegate_id,
            starts_on: d.starts_on,
            ends_on: d.ends_on,
            created_at: d.created_at.and_utc(),
        })
        .collect())
}

/// A new delegation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDelegation {
    /// Another director or an HR officer.
    pub delegate_user_id: Id,
    /// First day (today or later).
    pub starts_on: Day,
    /// Last day.
    pub ends_on: Day,
    /// Administrators only: the director who delegates (default: the caller).
    pub delegator_user_id: Option<Id>,
}

/// Hands the caller's decisions to someone for a date range (directors;
/// administrators for a director).
#[utoipa::path(tag = "approvals", security(("bearer" = [])),
    request_body = CreateDelegation,
    responses((status = 201, body = Delegation),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Overlap or chain", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/delegations")]
pub async fn create_delegation(
    user: AuthUser,
    state: web::Data<AppState>,
    body: Json<CreateDelegation>,
) -> Result<HttpResponse, ApiError> {
    let delegation = create(&state, user, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(delegation))
}

/// A director hands their decisions to a delegate for some days: the API's
/// `POST` and the console's form.
pub(crate) async fn create(
    state: &web::Data<AppState>,
    user: AuthUser,
    b: CreateDelegation,
) -> Result<Delegation, ApiError> {
    user.require_role(&[Role::Director, Role::Admin])?;
    let delegator = match (user.role, b.delegator_user_id) {
        (Role::Admin, Some(d)) => d.plain(),
        (Role::Admin, None) => {
            return Err(ApiError::PolicyViolation {
                rule: "delegator_named".into(),
                detail: "An administrator creating a delegation names the director who \
                         delegates in delegator_user_id."
                    .into(),
            })
        }
        (_, Some(_)) => {
            return Err(ApiError::Forbidden(
                "Directors delegate only their own decisions.".into(),
            ))
        }
        (_, None) => user.id.clone(),
    };
    let actor = user.actor();
    let today = state.today();
    let row = state
        .db
        .write(move |conn| {
            let created = delegations::create(
                conn,
                &actor,
                &delegator,
                &b.delegate_user_id,
                b.starts_on.plain(),
                b.ends_on.plain(),
                today,
            );
            Ok(match created {
                Ok(row) => Ok(named(conn, vec![row])?),
                Err(e) => Err(e),
            })
        })
        .await?
        .map_err(ApiError::from)?;
    row.into_iter()
        .next()
        .ok_or_else(|| ApiError::Internal("created delegation missing".into()))
}

/// Delegations the caller gave or received (administrators: all).
#[utoipa::path(tag = "approvals", security(("bearer" = [])),
    params(PageQuery),
    responses((status = 200, body = Page<Delegation>), (status = 403, body = Problem, content_type = "application/problem+json")))]
#[get("/delegations")]
pub async fn list_delegations(
    user: AuthUser,
    state: web::Data<AppState>,
    page: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let window = page.window()?;
    let rows = list_of(&state, user).await?;
    Ok(HttpResponse::Ok().json(window.page_sorted(rows, |d| d.id.clone(), |d| d)))
}

/// The delegations the caller gave or received (administrators: all).
pub(crate) async fn list_of(
    state: &web::Data<AppState>,
    user: AuthUser,
) -> Result<Vec<Delegation>, ApiError> {
    user.require_role(&[Role::Director, Role::Admin, Role::HrOfficer])?;
    let who = (user.role != Role::Admin).then(|| user.id.clone());
    Ok(state
        .db
        .read(move |conn| {
            let rows = delegations::list(conn, who.as_deref())?;
            named(conn, rows)
        })
        .await?)
}

/// Who a director may delegate to: the other directors and the HR
/// officers whose accounts are enabled (the console's choice; the API
/// takes any id and the store's rule decides).
pub(crate) async fn candidates(
    state: &web::Data<AppState>,
    user: AuthUser,
) -> Result<Vec<UserRef>, ApiError> {
    user.require_role(&[Role::Director, Role::Admin])?;
    Ok(state
        .db
        .read(move |conn| {
            let mut out = Vec::new();
            for role in ["director", "hr_officer"] {
                let filter = crate::store::users::UserFilter {
                    role: Some(role.into()),
                    org_unit_id: None,
                    q: None,
                    after: None,
                    limit: 500,
                };
                for u in crate::store::users::list(conn, &filter)? {
                    if !u.disabled && u.id != user.id {
                        out.push(UserRef {
                            id: u.id,
                            full_name: u.full_name,
                            email: u.email,
                        });
                    }
                }
            }
            Ok(out)
        })
        .await?)
}

/// Withdraws a delegation (its director or an administrator).
#[utoipa::path(tag = "approvals", security(("bearer" = [])),
    params(("id" = String, Path, description = "Delegation id")),
    responses((status = 204, description = "Withdrawn"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json")))]
#[delete("/delegations/{id}")]
pub async fn delete_delegation(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    withdraw(&state, user, common::parse_id(&path)?).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Withdraws a delegation: the API's `DELETE` and the console's button.
pub(crate) async fn withdraw(
    state: &web::Data<AppState>,
    user: AuthUser,
    id: String,
) -> Result<(), ApiError> {
    let actor = user.actor();
    state
        .db
        .write(move |conn| {
            let row = match delegations::find(conn, &id) {
                Ok(r) if r.revoked_at.is_none() => r,
                Ok(_) | Err(StoreError::NotFound) => {
                    return Ok(Err(ApiError::NotFound(
                        "The resource does not exist.".into(),
                    )))
                }
                Err(e) => return Err(e),
            };
            if user.role != Role::Admin && row.delegator_id != user.id {
                return Ok(Err(if row.delegate_id == user.id {
                    ApiError::Forbidden("Only the director who delegated may withdraw it.".into())
                } else {
                    ApiError::NotFound("The resource does not exist.".into())
                }));
            }
            delegations::revoke(conn, &actor, &id)?;
            Ok(Ok(()))
        })
        .await?
}

impl From<DelegationError> for ApiError {
    fn from(e: DelegationError) -> Self {
        match e {
            DelegationError::Invalid { field, message } => ApiError::invalid_field(field, message),
            DelegationError::Conflict(m) => ApiError::Conflict(m),
            DelegationError::EndsBeforeStart => ApiError::PolicyViolation {
                rule: "delegation_range".into(),
                detail: "ends_on may not be before starts_on.".into(),
            },
            DelegationError::InThePast => ApiError::PolicyViolation {
                rule: "delegation_from_today".into(),
                detail: "A delegation cannot reach back before today: starts_on must be today \
                         or later."
                    .into(),
            },
            DelegationError::DelegateNotEligible => ApiError::PolicyViolation {
                rule: "delegate_is_director_or_hr".into(),
                detail: "The delegate must be an active director or HR officer.".into(),
            },
            DelegationError::DelegatorNotDirector => ApiError::PolicyViolation {
                rule: "delegator_is_director".into(),
                detail: "Only directors delegate their decisions; the delegator is not a director."
                    .into(),
            },
            DelegationError::Store(e) => e.into(),
        }
    }
}
