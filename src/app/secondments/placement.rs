//! The rules a posting's fields must meet wherever they are set or become
//! binding (a new draft, an edit of its dates, units or exception, a
//! submission, the last approval): the units current, existing on the
//! first day and distinct, the date rules of SPEC 2, no overlap with
//! another open posting of the official. The rules are the domain's
//! (`domain::placement`, `domain::secondment`); this reads what they need.

use std::collections::HashSet;

use super::AppError;
use crate::app::Clash;
use crate::domain::org_unit::UnitKind;
use crate::domain::placement::{unit_violations, UnitFacts};
use crate::domain::secondment::{date_violations, Direction, Policy, Proposal, Tree};
use crate::store::officials::OfficialRow;
use crate::store::org_units::{self, OrgUnitRow};
use crate::store::secondments::{self, SecondmentFields};
use crate::store::DbConnection;

/// Checks units, dates, policy and overlap of `f` for `official` (another
/// posting than `exclude_id`); returns the direction the units give. The
/// rules are independent of each other and all are told at once (decision
/// 0041); a unit that does not exist is a 404 of its own, an overlap a 409.
pub(crate) fn check(
    tx: &mut DbConnection,
    policy: &Policy,
    official: &OfficialRow,
    f: &SecondmentFields,
    exclude_id: Option<&str>,
) -> Result<Direction, AppError> {
    let home = unit(tx, "home_unit_id", &f.home_unit_id)?;
    let host = unit(tx, "host_unit_id", &f.host_unit_id)?;
    let mut broken = unit_violations(
        facts("home_unit_id", &home),
        facts("host_unit_id", &host),
        f.home_unit_id == f.host_unit_id,
        f.start_date,
    );
    broken.extend(date_violations(
        &Proposal {
            kind: f.kind,
            start_date: f.start_date,
            end_date: f.end_date,
            exception_ref: f.exception_ref.clone(),
            in_succession_plan: official.in_succession_plan,
            retirement_date: official.retirement_date,
            protected_until: official.protected_until,
        },
        policy,
    ));
    if !broken.is_empty() {
        return Err(AppError::Rule(broken));
    }
    let overlap = secondments::overlapping(tx, &official.id, f.start_date, f.end_date, exclude_id)?;
    if let Some(o) = overlap {
        return Err(AppError::conflict(Clash::Overlap, o.detail()));
    }
    Ok(Direction::derive(tree_of(tx, home)?, tree_of(tx, host)?))
}

/// What the unit rules need of `u`, named by `field`.
fn facts<'a>(field: &'static str, u: &'a OrgUnitRow) -> UnitFacts<'a> {
    UnitFacts {
        field,
        code: &u.code,
        valid_from: u.valid_from,
        closed: u.valid_to.is_some(),
    }
}

/// The unit `field` names; 404 when it names none.
fn unit(tx: &mut DbConnection, field: &str, id: &str) -> Result<OrgUnitRow, AppError> {
    org_units::find_optional(tx, id)?.ok_or_else(|| AppError::unknown(field, "unit"))
}

/// The tree `unit` belongs to, from its kind or its ancestors' (a unit
/// seen twice ends the walk: the tree is not one).
fn tree_of(tx: &mut DbConnection, unit: OrgUnitRow) -> Result<Tree, AppError> {
    let mut kinds: Vec<UnitKind> = Vec::new();
    let mut seen = HashSet::new();
    let mut current = Some(unit);
    while let Some(u) = current {
        if !seen.insert(u.id.clone()) {
            break;
        }
        kinds.push(u.kind);
        if Tree::of_kind(u.kind).is_some() {
            break;
        }
        current = match u.parent_id {
            Some(parent) => Some(org_units::find(tx, &parent)?),
            None => None,
        };
    }
    Ok(Tree::of_chain(kinds))
}
