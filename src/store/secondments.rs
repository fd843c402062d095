//! Secondments: create, read, list, change. State changes and approvals
//! live in `secondment_flow.rs`.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::audit::{self, Actor};
use super::officials::{self, OfficialRow};
use super::org_units;
use super::schema::{approvals, officials as officials_t, secondments};
use super::{new_id, now_utc, DbConnection, StoreError};
use crate::domain::secondment::{self, Direction, Kind, Policy, Proposal, Status, Tree, Violation};
use crate::domain::viewer::Posting;
pub use crate::domain::viewer::Viewer;

/// A stored secondment.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = secondments)]
pub struct SecondmentRow {
    /// Identifier.
    pub id: String,
    /// `secondment` or `rotation`; another stored value fails the load.
    #[diesel(deserialize_as = String)]
    pub kind: Kind,
    /// The official.
    pub official_id: String,
    /// Sending unit.
    pub home_unit_id: String,
    /// Receiving unit.
    pub host_unit_id: String,
    /// Derived direction.
    #[diesel(deserialize_as = String)]
    pub direction: crate::domain::secondment::Direction,
    /// Legal ground.
    #[diesel(deserialize_as = String)]
    pub ground: crate::domain::secondment::Ground,
    /// Title of the post at the host.
    pub position_title: String,
    /// What the official is to do.
    pub mandate: String,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day (planned, possibly extended).
    pub end_date: NaiveDate,
    /// Last day as first approved.
    pub original_end_date: NaiveDate,
    /// Last day actually served.
    pub actual_end_date: Option<NaiveDate>,
    /// Status; an unknown stored value fails the load (internal error).
    #[diesel(deserialize_as = String)]
    pub status: Status,
    /// The written agreement between the agencies.
    pub agreement_ref: Option<String>,
    /// When the sending head met the official.
    pub consultation_held_on: Option<NaiveDate>,
    /// The official's recorded opinion.
    pub consultation_note: Option<String>,
    /// Number of the secondment decision.
    pub decision_ref: Option<String>,
    /// Decision allowing a shorter rotation.
    pub exception_ref: Option<String>,
    /// The post the official returns to.
    pub return_arrangement: Option<String>,
    /// Why it was cancelled or terminated.
    pub end_reason: Option<String>,
    /// When it was submitted for approval.
    pub submitted_at: Option<NaiveDateTime>,
    /// Version.
    pub version: i32,
    /// Who created it.
    pub created_by: Option<String>,
    /// Created.
    pub created_at: NaiveDateTime,
    /// Last changed.
    pub updated_at: NaiveDateTime,
}

impl SecondmentRow {
    /// The units and official visibility is decided on.
    pub fn posting(&self) -> Posting<'_> {
        Posting {
            official_id: &self.official_id,
            home_unit_id: &self.home_unit_id,
            host_unit_id: &self.host_unit_id,
        }
    }

    /// The status.
    pub fn status(&self) -> Status {
        self.status
    }
}

/// A stored approval decision.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = approvals)]
pub struct ApprovalRow {
    /// Identifier.
    pub id: String,
    /// The secondment.
    pub secondment_id: String,
    /// The proposal (the secondment id) or the extension decided.
    pub request_id: String,
    /// `proposal` or `extension`.
    #[diesel(deserialize_as = String)]
    pub request_kind: crate::domain::approval::RequestKind,
    /// `home` or `host`.
    #[diesel(deserialize_as = String)]
    pub side: crate::domain::approval::Side,
    /// `approved` or `rejected`.
    #[diesel(deserialize_as = String)]
    pub decision: crate::domain::approval::Decision,
    /// The director's comment.
    pub comment: Option<String>,
    /// Who decided.
    pub decided_by: String,
    /// The director they stood in for.
    pub on_behalf_of: Option<String>,
    /// When.
    pub decided_at: NaiveDateTime,
    /// The day of the decision, as stated by the director.
    pub decided_on: Option<NaiveDate>,
}

/// Why a secondment change was refused. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum SecondmentError {
    /// Not found or not visible.
    #[error("not found")]
    NotFound,
    /// A field is invalid.
    #[error("{field}: {message}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// Why.
        message: String,
    },
    /// A business rule refuses it.
    #[error("{}", .0.message)]
    Policy(Violation),
    /// Several independent business rules refuse it (never empty).
    #[error("{}", .0.iter().map(|v| v.message.as_str()).collect::<Vec<_>>().join("; "))]
    Policies(Vec<Violation>),
    /// Clashes with another secondment.
    #[error("{0}")]
    Conflict(String),
    /// The state machine refuses it.
    #[error("cannot {action} a secondment that is {from}")]
    Transition {
        /// Current status.
        from: &'static str,
        /// Attempted action.
        action: &'static str,
    },
    /// Visible but not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// `If-Match` is stale.
    #[error("stale")]
    Stale,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for SecondmentError {
    fn from(e: diesel::result::Error) -> Self {
        SecondmentError::Store(e.into())
    }
}

pub(crate) fn policy_error(rule: &'static str, message: impl Into<String>) -> SecondmentError {
    SecondmentError::Policy(Violation {
        rule,
        message: message.into(),
        ..Violation::default()
    })
}

/// The editable fields of a secondment.
#[derive(Debug, Clone)]
pub struct SecondmentFields {
    /// Kind.
    pub kind: Kind,
    /// Sending unit.
    pub home_unit_id: String,
    /// Receiving unit.
    pub host_unit_id: String,
    /// Legal ground (stored form).
    pub ground: String,
    /// Post title.
    pub position_title: String,
    /// Mandate.
    pub mandate: String,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day.
    pub end_date: NaiveDate,
    /// Agreement reference.
    pub agreement_ref: Option<String>,
    /// Consultation date.
    pub consultation_held_on: Option<NaiveDate>,
    /// Consultation note.
    pub consultation_note: Option<String>,
    /// Exception decision for a short rotation.
    pub exception_ref: Option<String>,
}

impl From<&SecondmentRow> for SecondmentFields {
    fn from(r: &SecondmentRow) -> Self {
        SecondmentFields {
            kind: r.kind,
            home_unit_id: r.home_unit_id.clone(),
            host_unit_id: r.host_unit_id.clone(),
            ground: r.ground.as_str().to_string(),
            position_title: r.position_title.clone(),
            mandate: r.mandate.clone(),
            start_date: r.start_date,
            end_date: r.end_date,
            agreement_ref: r.agreement_ref.clone(),
            consultation_held_on: r.consultation_held_on,
            consultation_note: r.consultation_note.clone(),
            exception_ref: r.exception_ref.clone(),
        }
    }
}

/// The tree a unit belongs to, from its own kind or its ancestors'.
fn tree_of(conn: &mut DbConnection, unit_id: &str) -> Result<Tree, StoreError> {
    let mut current = Some(unit_id.to_string());
    let mut seen = HashSet::new();
    while let Some(id) = current {
        if !seen.insert(id.clone()) {
            break;
        }
        let unit = org_units::find(conn, &id)?;
        match unit.kind.as_str() {
            "ministry" | "ministry_department" => return Ok(Tree::Central),
            "province" | "provincial_department" | "commune" => return Ok(Tree::Local),
            _ => current = unit.parent_id,
        }
    }
    Ok(Tree::Other)
}

/// Checks units, dates, policy and overlap; returns the derived direction.
/// The rules are independent of each other and all are reported at once
/// (decision 0041); a unit that does not exist is a 404 of its own.
pub(crate) fn check_fields(
    conn: &mut DbConnection,
    policy: &Policy,
    official: &OfficialRow,
    f: &SecondmentFields,
    exclude_id: Option<&str>,
) -> Result<Direction, SecondmentError> {
    let mut broken = Vec::new();
    for (field, unit_id) in [
        ("home_unit_id", &f.home_unit_id),
        ("host_unit_id", &f.host_unit_id),
    ] {
        match org_units::find_optional(conn, unit_id)? {
            None => {
                return Err(SecondmentError::Invalid {
                    field,
                    message: "names no unit".into(),
                })
            }
            Some(u) if u.valid_to.is_some() => broken.push(rule_at(
                field,
                "units_current",
                format!(
                    "{field} names a unit that was merged away or closed ({})",
                    u.code
                ),
            )),
            Some(u) if f.start_date < u.valid_from => broken.push(rule_at(
                "start_date",
                "dates_within_unit_validity",
                format!(
                    "the secondment starts on {} but {} ({field}) exists only from {}",
                    f.start_date, u.code, u.valid_from
                ),
            )),
            Some(_) => {}
        }
    }
    if f.home_unit_id == f.host_unit_id {
        broken.push(rule_at(
            "host_unit_id",
            "units_differ",
            "the host unit must differ from the home unit".into(),
        ));
    }
    broken.extend(secondment::date_violations(
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
        return Err(SecondmentError::Policies(broken));
    }
    check_overlap(conn, &official.id, f.start_date, f.end_date, exclude_id)?;
    let direction = Direction::derive(
        tree_of(conn, &f.home_unit_id)?,
        tree_of(conn, &f.host_unit_id)?,
    );
    Ok(direction)
}

/// A broken rule about one field of the request.
fn rule_at(field: &'static str, rule: &'static str, message: String) -> Violation {
    Violation {
        rule,
        message,
        field: Some(field),
        latest_end_date: None,
    }
}

/// 409 when the official has another open secondment over any of the days.
pub(crate) fn check_overlap(
    conn: &mut DbConnection,
    official_id: &str,
    start: NaiveDate,
    end: NaiveDate,
    exclude_id: Option<&str>,
) -> Result<(), SecondmentError> {
    let open: Vec<&str> = Status::ALL
        .iter()
        .filter(|s| s.is_open())
        .map(|s| s.as_str())
        .collect();
    let mut query = secondments::table
        .filter(secondments::official_id.eq(official_id))
        .filter(secondments::status.eq_any(open))
        .filter(secondments::start_date.le(end))
        .filter(secondments::end_date.ge(start))
        .select((
            secondments::id,
            secondments::start_date,
            secondments::end_date,
        ))
        .into_boxed();
    if let Some(id) = exclude_id {
        query = query.filter(secondments::id.ne(id.to_string()));
    }
    if let Some((id, s, e)) = query
        .first::<(String, NaiveDate, NaiveDate)>(conn)
        .optional()?
    {
        return Err(SecondmentError::Conflict(format!(
            "The official already has an open secondment ({id}) from {s} to {e} that overlaps these dates."
        )));
    }
    Ok(())
}

/// Serialises writes about one official on PostgreSQL (row lock), so two
/// concurrent proposals cannot both pass the overlap check. SQLite
/// serialises all writers already.
pub(crate) fn lock_official(conn: &mut DbConnection, official_id: &str) -> Result<(), StoreError> {
    if let DbConnection::Pg(pg) = conn {
        officials_t::table
            .find(official_id)
            .select(officials_t::id)
            .for_update()
            .first::<String>(pg)
            .optional()?;
    }
    Ok(())
}

/// Locks one secondment row on PostgreSQL (`FOR UPDATE`): a decision on its
/// proposal waits for any other decision on it. Taken after the official's
/// lock (docs/database.md, lock order).
pub(crate) fn lock_secondment(conn: &mut DbConnection, id: &str) -> Result<(), StoreError> {
    if let DbConnection::Pg(pg) = conn {
        secondments::table
            .find(id)
            .select(secondments::id)
            .for_update()
            .first::<String>(pg)
            .optional()?;
    }
    Ok(())
}

/// Snapshot for the audit log.
pub(crate) fn snapshot(row: &SecondmentRow) -> serde_json::Value {
    serde_json::to_value(row).unwrap_or_default()
}

/// Creates a draft secondment.
pub fn create(
    conn: &mut DbConnection,
    actor: &Actor,
    policy: &Policy,
    official_id: &str,
    fields: &SecondmentFields,
) -> Result<SecondmentRow, SecondmentError> {
    conn.transaction(|conn| {
        lock_official(conn, official_id)?;
        let official = match officials::find(conn, official_id) {
            Ok(o) => o,
            Err(StoreError::NotFound) => {
                return Err(SecondmentError::Invalid {
                    field: "official_id",
                    message: "names no official".into(),
                })
            }
            Err(e) => return Err(e.into()),
        };
        let direction = check_fields(conn, policy, &official, fields, None)?;
        let id = new_id();
        let now = now_utc();
        diesel::insert_into(secondments::table)
            .values((
                secondments::id.eq(&id),
                secondments::kind.eq(fields.kind.as_str()),
                secondments::official_id.eq(official_id),
                secondments::home_unit_id.eq(&fields.home_unit_id),
                secondments::host_unit_id.eq(&fields.host_unit_id),
                secondments::direction.eq(direction.as_str()),
                secondments::ground.eq(&fields.ground),
                secondments::position_title.eq(&fields.position_title),
                secondments::mandate.eq(&fields.mandate),
                secondments::start_date.eq(fields.start_date),
                secondments::end_date.eq(fields.end_date),
                secondments::original_end_date.eq(fields.end_date),
                secondments::status.eq(Status::Draft.as_str()),
                secondments::agreement_ref.eq(&fields.agreement_ref),
                secondments::consultation_held_on.eq(fields.consultation_held_on),
                secondments::consultation_note.eq(&fields.consultation_note),
                secondments::exception_ref.eq(&fields.exception_ref),
                secondments::version.eq(1),
                secondments::created_by.eq(&actor.user_id),
                secondments::created_at.eq(now),
                secondments::updated_at.eq(now),
            ))
            .execute(conn)
            .map_err(StoreError::from)?;
        let row = find(conn, &id)?;
        audit::record_in(
            conn,
            actor,
            Some(&id),
            "secondment.created",
            "secondment",
            &id,
            None,
            Some(snapshot(&row)),
        )?;
        Ok(row)
    })
}

/// One secondment.
pub fn find(conn: &mut DbConnection, id: &str) -> Result<SecondmentRow, StoreError> {
    Ok(secondments::table
        .find(id)
        .select(SecondmentRow::as_select())
        .first(conn)?)
}

/// One secondment the viewer may see.
pub fn find_visible(
    conn: &mut DbConnection,
    viewer: &Viewer,
    id: &str,
) -> Result<SecondmentRow, SecondmentError> {
    match find(conn, id) {
        Ok(row) if viewer.can_see(row.posting()) => Ok(row),
        Ok(_) | Err(StoreError::NotFound) => Err(SecondmentError::NotFound),
        Err(e) => Err(e.into()),
    }
}

/// Applies edits; dates, host and kind only while a draft.
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    policy: &Policy,
    id: &str,
    expected_version: Option<i32>,
    may_place: &dyn Fn(&SecondmentFields) -> bool,
    change: impl FnOnce(&mut SecondmentFields, &mut Option<String>),
) -> Result<SecondmentRow, SecondmentError> {
    conn.transaction(|conn| {
        let before = find(conn, id)?;
        let expected_version = expected_version.unwrap_or(before.version);
        if before.version != expected_version {
            return Err(SecondmentError::Stale);
        }
        lock_official(conn, &before.official_id)?;
        let old = SecondmentFields::from(&before);
        let mut f = old.clone();
        let mut return_arrangement = before.return_arrangement.clone();
        change(&mut f, &mut return_arrangement);
        if !may_place(&f) {
            return Err(SecondmentError::Forbidden(
                "Neither the home nor the host unit would be in your scope.".into(),
            ));
        }
        let status = before.status();
        let structural = f.start_date != old.start_date
            || f.end_date != old.end_date
            || f.host_unit_id != old.host_unit_id
            || f.home_unit_id != old.home_unit_id
            || f.kind != old.kind;
        if structural && status != Status::Draft {
            return Err(policy_error(
                "dates_and_host_in_draft",
                format!(
                    "dates, units and kind may change only in draft; this secondment is {}",
                    status.as_str()
                ),
            ));
        }
        let removes_legal_step = (old.agreement_ref.is_some() && f.agreement_ref.is_none())
            || (old.consultation_held_on.is_some() && f.consultation_held_on.is_none());
        if removes_legal_step && status != Status::Draft {
            return Err(policy_error(
                "legal_steps_kept",
                format!(
                    "the agreement and the consultation were required to submit and cannot be \
                     removed from a secondment that is {}",
                    status.as_str()
                ),
            ));
        }
        if !status.is_open() && return_arrangement == before.return_arrangement {
            return Err(policy_error(
                "closed",
                format!("a {} secondment can no longer be edited", status.as_str()),
            ));
        }
        if return_arrangement != before.return_arrangement && status != Status::Completed {
            return Err(policy_error(
                "return_after_completion",
                "return_arrangement is recorded once the secondment is completed",
            ));
        }
        let official = officials::find(conn, &before.official_id)?;
        let direction = if structural || f.exception_ref != old.exception_ref {
            check_fields(conn, policy, &official, &f, Some(id))?
                .as_str()
                .to_string()
        } else {
            before.direction.as_str().to_string()
        };
        let changed = diesel::update(
            secondments::table
                .filter(secondments::id.eq(id))
                .filter(secondments::version.eq(expected_version)),
        )
        .set((
            secondments::kind.eq(f.kind.as_str()),
            secondments::home_unit_id.eq(&f.home_unit_id),
            secondments::host_unit_id.eq(&f.host_unit_id),
            secondments::direction.eq(direction),
            secondments::ground.eq(&f.ground),
            secondments::position_title.eq(&f.position_title),
            secondments::mandate.eq(&f.mandate),
            secondments::start_date.eq(f.start_date),
            secondments::end_date.eq(f.end_date),
            secondments::original_end_date.eq(if status == Status::Draft {
                f.end_date
            } else {
                before.original_end_date
            }),
            secondments::agreement_ref.eq(&f.agreement_ref),
            secondments::consultation_held_on.eq(f.consultation_held_on),
            secondments::consultation_note.eq(&f.consultation_note),
            secondments::exception_ref.eq(&f.exception_ref),
            secondments::return_arrangement.eq(&return_arrangement),
            secondments::version.eq(expected_version + 1),
            secondments::updated_at.eq(now_utc()),
        ))
        .execute(conn)
        .map_err(StoreError::from)?;
        if changed == 0 {
            return Err(SecondmentError::Stale);
        }
        let after = find(conn, id)?;
        audit::record_in(
            conn,
            actor,
            Some(id),
            "secondment.updated",
            "secondment",
            id,
            Some(snapshot(&before)),
            Some(snapshot(&after)),
        )?;
        Ok(after)
    })
}

/// List filters and page window.
#[derive(Debug, Clone, Default)]
pub struct SecondmentFilter {
    /// Only these statuses.
    pub status: Option<String>,
    /// Only this official.
    pub official_id: Option<String>,
    /// Home unit in this set (a unit and its descendants).
    pub home_units: Option<Vec<String>>,
    /// Host unit in this set.
    pub host_units: Option<Vec<String>>,
    /// Running on this day (start <= day <= end).
    pub active_on: Option<NaiveDate>,
    /// End date on or after.
    pub ending_after: Option<NaiveDate>,
    /// End date on or before.
    pub ending_before: Option<NaiveDate>,
    /// Official's name, code or email words.
    pub q: Option<String>,
    /// Ids after this.
    pub after: Option<String>,
    /// Rows to fetch.
    pub limit: i64,
}

/// A page of the secondments the viewer may see, in id order.
pub fn list(
    conn: &mut DbConnection,
    viewer: &Viewer,
    f: &SecondmentFilter,
) -> Result<Vec<SecondmentRow>, StoreError> {
    if f.q.is_some() {
        super::planned_per_value(conn, |conn| list_page(conn, viewer, f))
    } else {
        list_page(conn, viewer, f)
    }
}

fn list_page(
    conn: &mut DbConnection,
    viewer: &Viewer,
    f: &SecondmentFilter,
) -> Result<Vec<SecondmentRow>, StoreError> {
    let Some(page) = super::secondment_page::PageIds::new(viewer, f) else {
        return Ok(Vec::new());
    };
    Ok(secondments::table
        .select(SecondmentRow::as_select())
        .filter(page)
        .order(secondments::id.asc())
        .limit(f.limit)
        .load(conn)?)
}

/// Decisions recorded for a secondment, oldest first.
pub fn approvals_of(conn: &mut DbConnection, id: &str) -> Result<Vec<ApprovalRow>, StoreError> {
    Ok(approvals::table
        .filter(approvals::secondment_id.eq(id))
        .order(approvals::decided_at.asc())
        .select(ApprovalRow::as_select())
        .load(conn)?)
}

/// The official's name, for responses.
pub fn official_name(conn: &mut DbConnection, official_id: &str) -> Result<String, StoreError> {
    Ok(officials_t::table
        .find(official_id)
        .select(officials_t::full_name)
        .first(conn)?)
}
