//! Delegations: a director's decisions handed to another director or HR
//! officer for a date range.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::audit::{self, Actor};
use super::schema::{delegations, users};
use super::{new_id, now_utc, org_units, DbConnection, StoreError};
use crate::domain::scope::Scope;

/// A stored delegation.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = delegations)]
pub struct DelegationRow {
    /// Identifier.
    pub id: String,
    /// The director who is away.
    pub delegator_id: String,
    /// Who decides in their place.
    pub delegate_id: String,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// Set when withdrawn.
    pub revoked_at: Option<NaiveDateTime>,
    /// Created.
    pub created_at: NaiveDateTime,
}

/// Why the store refused a delegation, for the application to word.
#[derive(Debug, thiserror::Error)]
pub enum DelegationError {
    /// `field` names no user.
    #[error("{field}: names no user")]
    NoSuchUser {
        /// The field holding the id.
        field: &'static str,
    },
    /// The delegate is not an active director or HR officer.
    #[error("the delegate is not an active director or HR officer")]
    DelegateNotEligible,
    /// Only directors delegate their decisions.
    #[error("the delegator is not a director")]
    DelegatorNotDirector,
    /// The director delegates over some of these days already.
    #[error("the director delegates over some of these days already")]
    Overlap,
    /// It would chain: the delegate delegates, or the director stands in
    /// for someone, over some of these days.
    #[error("the delegation would chain")]
    Chain,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for DelegationError {
    fn from(e: diesel::result::Error) -> Self {
        DelegationError::Store(e.into())
    }
}

fn live() -> diesel::dsl::IsNull<delegations::revoked_at> {
    delegations::revoked_at.is_null()
}

/// Creates a delegation after the rules of SPEC 2 that need the records:
/// the delegator is a director, the delegate an active director or HR
/// officer; no overlap with another delegation of the same director; no
/// chains (the delegate does not delegate over those days, the delegator
/// is not a delegate then). The dates and the two people being different
/// are the application's to check first.
pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    delegator_id: &str,
    delegate_id: &str,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
) -> Result<DelegationRow, DelegationError> {
    conn.transaction(|conn| {
        let delegator: Option<String> = users::table
            .find(delegator_id)
            .select(users::role)
            .first(conn)
            .optional()?;
        match delegator.as_deref() {
            Some("director") => {}
            Some(_) => return Err(DelegationError::DelegatorNotDirector),
            None => {
                return Err(DelegationError::NoSuchUser {
                    field: "delegator_user_id",
                })
            }
        }
        let delegate: Option<(String, bool)> = users::table
            .find(delegate_id)
            .select((users::role, users::disabled))
            .first(conn)
            .optional()?;
        match delegate {
            Some((role, false)) if role == "director" || role == "hr_officer" => {}
            None => {
                return Err(DelegationError::NoSuchUser {
                    field: "delegate_user_id",
                })
            }
            Some(_) => return Err(DelegationError::DelegateNotEligible),
        }
        let overlapping = |conn: &mut DbConnection, column_is_delegator: bool, user: &str| {
            let q = delegations::table
                .filter(live())
                .filter(delegations::starts_on.le(ends_on))
                .filter(delegations::ends_on.ge(starts_on))
                .select(delegations::id)
                .into_boxed();
            let q = if column_is_delegator {
                q.filter(delegations::delegator_id.eq(user.to_string()))
            } else {
                q.filter(delegations::delegate_id.eq(user.to_string()))
            };
            q.first::<String>(conn).optional()
        };
        if overlapping(conn, true, delegator_id)?.is_some() {
            return Err(DelegationError::Overlap);
        }
        if overlapping(conn, true, delegate_id)?.is_some()
            || overlapping(conn, false, delegator_id)?.is_some()
        {
            return Err(DelegationError::Chain);
        }
        let id = new_id();
        diesel::insert_into(delegations::table)
            .values((
                delegations::id.eq(&id),
                delegations::delegator_id.eq(delegator_id),
                delegations::delegate_id.eq(delegate_id),
                delegations::starts_on.eq(starts_on),
                delegations::ends_on.eq(ends_on),
                delegations::created_at.eq(now_utc()),
            ))
            .execute(conn)?;
        let row = find(conn, &id)?;
        audit::record(
            conn,
            actor,
            "delegation.created",
            "delegation",
            &id,
            None,
            Some(serde_json::to_value(&row).unwrap_or_default()),
        )?;
        Ok(row)
    })
}

/// One delegation.
pub fn find(conn: &mut DbConnection, id: &str) -> Result<DelegationRow, StoreError> {
    Ok(delegations::table
        .find(id)
        .select(DelegationRow::as_select())
        .first(conn)?)
}

/// Live delegations given or received by a user (all for `None`).
pub fn list(
    conn: &mut DbConnection,
    user_id: Option<&str>,
) -> Result<Vec<DelegationRow>, StoreError> {
    let mut q = delegations::table
        .filter(live())
        .select(DelegationRow::as_select())
        .into_boxed();
    if let Some(u) = user_id {
        q = q.filter(
            delegations::delegator_id
                .eq(u.to_string())
                .or(delegations::delegate_id.eq(u.to_string())),
        );
    }
    Ok(q.order(delegations::starts_on.asc()).load(conn)?)
}

/// Withdraws a delegation.
pub fn revoke(conn: &mut DbConnection, actor: &Actor, id: &str) -> Result<(), StoreError> {
    let before = find(conn, id)?;
    diesel::update(delegations::table.find(id))
        .set(delegations::revoked_at.eq(Some(now_utc())))
        .execute(conn)?;
    audit::record(
        conn,
        actor,
        "delegation.revoked",
        "delegation",
        id,
        Some(serde_json::to_value(&before).unwrap_or_default()),
        None,
    )?;
    Ok(())
}

/// The directors `delegate_id` stands in for on `day`, with their scopes.
pub fn active_delegators(
    conn: &mut DbConnection,
    delegate_id: &str,
    day: NaiveDate,
) -> Result<Vec<(String, Scope)>, StoreError> {
    let rows: Vec<(String, Option<String>)> = delegations::table
        .inner_join(users::table.on(users::id.eq(delegations::delegator_id)))
        .filter(live())
        .filter(delegations::delegate_id.eq(delegate_id))
        .filter(delegations::starts_on.le(day))
        .filter(delegations::ends_on.ge(day))
        .filter(users::disabled.eq(false))
        // A delegator who is no longer a director has nothing to hand on.
        .filter(users::role.eq("director"))
        .select((delegations::delegator_id, users::org_unit_id))
        .load(conn)?;
    let mut out = Vec::new();
    for (delegator, unit) in rows {
        if let Some(unit) = unit {
            out.push((
                delegator,
                Scope::Units(org_units::subtree_ids(conn, &unit)?),
            ));
        }
    }
    Ok(out)
}
