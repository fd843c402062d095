//! Delegations: a director hands their decisions to another director or
//! an HR officer for some days (SPEC 2); administrators do it for them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::fields::{Day, Id, Plain};
use super::refs::{Refs, UserRef};
use super::{AppError, Clash, Context, Refusal};
use crate::auth::AuthUser;
use crate::domain::secondment::Violation;
use crate::domain::user::Role;
use crate::store::delegations::{self, DelegationError, DelegationRow};
use crate::store::names::Wanted;
use crate::store::{users, DbConnection, StoreError};

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
fn named(tx: &mut DbConnection, rows: Vec<DelegationRow>) -> Result<Vec<Delegation>, StoreError> {
    let mut wanted = Wanted::default();
    for d in &rows {
        wanted
            .user(Some(&d.delegator_id))
            .user(Some(&d.delegate_id));
    }
    let names = wanted.load(tx)?;
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

/// A rule of SPEC 2 that refuses the delegation (422).
fn broken(rule: &'static str, message: &str) -> AppError {
    AppError::Rule(vec![Violation {
        rule,
        message: message.to_string(),
        ..Violation::default()
    }])
}

/// A director hands their decisions to a delegate from `starts_on` (today
/// or later) to `ends_on`; an administrator names the director. No
/// overlap with the director's other delegations, and no chains.
pub fn create(
    caller: &AuthUser,
    tx: &mut DbConnection,
    cx: &Context,
    cmd: CreateDelegation,
) -> Result<Delegation, AppError> {
    caller.require_role(&[Role::Director, Role::Admin])?;
    let delegator = match (caller.role, cmd.delegator_user_id) {
        (Role::Admin, Some(d)) => d.plain(),
        (Role::Admin, None) => {
            return Err(broken(
                "delegator_named",
                "An administrator creating a delegation names the director who delegates \
                 in delegator_user_id",
            ))
        }
        (_, Some(_)) => {
            return Err(AppError::forbidden(
                Refusal::NotTheirs,
                "Directors delegate only their own decisions.",
            ))
        }
        (_, None) => caller.id.clone(),
    };
    let delegate = cmd.delegate_user_id.plain();
    let (starts_on, ends_on) = (cmd.starts_on.plain(), cmd.ends_on.plain());
    if starts_on < cx.today {
        return Err(broken(
            "delegation_from_today",
            "A delegation cannot reach back before today: starts_on must be today or later",
        ));
    }
    if ends_on < starts_on {
        return Err(broken(
            "delegation_range",
            "ends_on may not be before starts_on",
        ));
    }
    if delegate == delegator {
        return Err(AppError::invalid(
            "delegate_user_id",
            "must be someone else",
        ));
    }
    let created = delegations::create(
        tx,
        &caller.actor(),
        &delegator,
        &delegate,
        starts_on,
        ends_on,
    )
    .map_err(refused)?;
    named(tx, vec![created])?
        .pop()
        .ok_or_else(|| AppError::Internal("created delegation missing".into()))
}

/// The store's refusal of a delegation, typed.
fn refused(e: DelegationError) -> AppError {
    match e {
        DelegationError::NoSuchUser { field } => AppError::unknown(field, "user"),
        DelegationError::DelegateNotEligible => broken(
            "delegate_is_director_or_hr",
            "The delegate must be an active director or HR officer",
        ),
        DelegationError::DelegatorNotDirector => broken(
            "delegator_is_director",
            "Only directors delegate their decisions; the delegator is not a director",
        ),
        DelegationError::Overlap => AppError::conflict(
            Clash::Overlap,
            "You already delegate over some of these days.",
        ),
        DelegationError::Chain => AppError::conflict(
            Clash::Overlap,
            "Delegations cannot be chained: the delegate delegates, or you stand in for \
             someone, over these days.",
        ),
        DelegationError::Store(e) => e.into(),
    }
}

/// The delegations the caller gave or received (administrators: all),
/// by first day.
pub fn list(caller: &AuthUser, tx: &mut DbConnection) -> Result<Vec<Delegation>, AppError> {
    caller.require_role(&[Role::Director, Role::Admin, Role::HrOfficer])?;
    let who = (caller.role != Role::Admin).then_some(caller.id.as_str());
    let rows = delegations::list(tx, who)?;
    Ok(named(tx, rows)?)
}

/// Who a director may delegate to: the other directors and the HR
/// officers whose accounts are enabled (the console's choice; `create`
/// takes any id and the rules decide).
pub fn candidates(caller: &AuthUser, tx: &mut DbConnection) -> Result<Vec<UserRef>, AppError> {
    caller.require_role(&[Role::Director, Role::Admin])?;
    let mut out = Vec::new();
    for role in [Role::Director, Role::HrOfficer] {
        let filter = users::UserFilter {
            role: Some(role.as_str().into()),
            org_unit_id: None,
            q: None,
            after: None,
            limit: 500,
        };
        for u in users::list(tx, &filter)? {
            if !u.disabled && u.id != caller.id {
                out.push(UserRef {
                    id: u.id,
                    full_name: u.full_name,
                    email: u.email,
                });
            }
        }
    }
    Ok(out)
}

/// Its director or an administrator withdraws a live delegation; to its
/// delegate it is refused, to anyone else it does not exist.
pub fn withdraw(caller: &AuthUser, tx: &mut DbConnection, id: &str) -> Result<(), AppError> {
    let row = match delegations::find(tx, id) {
        Ok(r) if r.revoked_at.is_none() => r,
        Ok(_) | Err(StoreError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    };
    if caller.role != Role::Admin && row.delegator_id != caller.id {
        return Err(if row.delegate_id == caller.id {
            AppError::forbidden(
                Refusal::NotTheirs,
                "Only the director who delegated may withdraw it.",
            )
        } else {
            AppError::NotFound
        });
    }
    Ok(delegations::revoke(tx, &caller.actor(), id)?)
}
