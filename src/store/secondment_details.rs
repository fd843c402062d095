//! One secondment with everything its page shows, in two statements: the
//! record joined with its official, units, pending extension and
//! evaluation (and the users who made those), then its decisions joined
//! with their deciders. `GET /secondments/{id}` is the hottest read.

use diesel::prelude::*;

use super::extensions::ExtensionRow;
use super::names::{Names, OfficialName, UnitName, UserName};
use super::outcomes::EvaluationRow;
use super::schema::{approvals, evaluations, extensions, officials, org_units, secondments, users};
use super::secondments::{ApprovalRow, SecondmentRow};
use super::{DbConnection, StoreError};

/// A secondment and what its page shows, with every name it refers to.
#[derive(Debug)]
pub struct Details {
    /// The record.
    pub row: SecondmentRow,
    /// Its decisions, oldest first.
    pub approvals: Vec<ApprovalRow>,
    /// The extension waiting for a decision.
    pub pending: Option<ExtensionRow>,
    /// The host's evaluation.
    pub evaluation: Option<EvaluationRow>,
    /// Official, units and users named by the above.
    pub names: Names,
}

diesel::alias!(
    org_units as home_units: HomeUnits,
    org_units as host_units: HostUnits,
    users as requesters: Requesters,
    users as evaluators: Evaluators,
    users as deciders: Deciders,
    users as stand_ins: StandIns,
);

/// The record and everything joined to it, as the first statement reads it.
type Joined = (
    SecondmentRow,
    OfficialName,
    UnitName,
    UnitName,
    Option<ExtensionRow>,
    Option<UserName>,
    Option<EvaluationRow>,
    Option<UserName>,
);

/// The secondment `id` with its details; `NotFound` when there is none.
pub fn details(conn: &mut DbConnection, id: &str) -> Result<Details, StoreError> {
    let (row, official, home, host, pending, requester, evaluation, evaluator): Joined =
        secondments::table
            .inner_join(officials::table)
            .inner_join(
                home_units.on(home_units
                    .field(org_units::id)
                    .eq(secondments::home_unit_id)),
            )
            .inner_join(
                host_units.on(host_units
                    .field(org_units::id)
                    .eq(secondments::host_unit_id)),
            )
            .left_join(
                extensions::table.on(extensions::secondment_id
                    .eq(secondments::id)
                    .and(extensions::status.eq("pending"))),
            )
            .left_join(requesters.on(requesters.field(users::id).eq(extensions::requested_by)))
            .left_join(evaluations::table.on(evaluations::secondment_id.eq(secondments::id)))
            .left_join(evaluators.on(evaluators.field(users::id).eq(evaluations::evaluated_by)))
            .filter(secondments::id.eq(id))
            .select((
                SecondmentRow::as_select(),
                (officials::id, officials::full_name, officials::staff_code),
                home_units.fields((
                    org_units::id,
                    org_units::code,
                    org_units::name,
                    org_units::name_en,
                )),
                host_units.fields((
                    org_units::id,
                    org_units::code,
                    org_units::name,
                    org_units::name_en,
                )),
                Option::<ExtensionRow>::as_select(),
                requesters
                    .fields((users::id, users::full_name, users::email))
                    .nullable(),
                Option::<EvaluationRow>::as_select(),
                evaluators
                    .fields((users::id, users::full_name, users::email))
                    .nullable(),
            ))
            .first(conn)?;
    let decided: Vec<(ApprovalRow, UserName, Option<UserName>)> = approvals::table
        .filter(approvals::secondment_id.eq(id))
        .inner_join(deciders.on(deciders.field(users::id).eq(approvals::decided_by)))
        .left_join(stand_ins.on(approvals::on_behalf_of.eq(stand_ins.field(users::id).nullable())))
        .order((approvals::decided_at.asc(), approvals::id.asc()))
        .select((
            ApprovalRow::as_select(),
            deciders.fields((users::id, users::full_name, users::email)),
            stand_ins
                .fields((users::id, users::full_name, users::email))
                .nullable(),
        ))
        .load(conn)?;
    let mut names = Names::default();
    names.add_official(official);
    names.add_unit(home);
    names.add_unit(host);
    for user in [requester, evaluator].into_iter().flatten() {
        names.add_user(user);
    }
    let mut approvals = Vec::with_capacity(decided.len());
    for (approval, decider, stand_in) in decided {
        names.add_user(decider);
        if let Some(u) = stand_in {
            names.add_user(u);
        }
        approvals.push(approval);
    }
    Ok(Details {
        row,
        approvals,
        pending,
        evaluation,
        names,
    })
}
