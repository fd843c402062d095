//! Secondments: the rows, reading one or a page, the overlap query and
//! the row locks. Writing a draft or an edit lives in
//! `secondment_changes.rs`, state changes in `secondment_flow.rs`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::schema::{approvals, officials as officials_t, secondments};
use super::{DbConnection, StoreError};
use crate::domain::secondment::{Kind, Status, Violation};
use crate::domain::viewer::Posting;
pub use crate::domain::viewer::Viewer;

pub use super::secondment_changes::SecondmentFields;

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

/// Another open secondment of the same official over some of the days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlap {
    /// The other secondment.
    pub id: String,
    /// Its first day.
    pub start_date: NaiveDate,
    /// Its last day.
    pub end_date: NaiveDate,
}

impl Overlap {
    /// The clash in the API's words.
    pub fn detail(&self) -> String {
        format!(
            "The official already has an open secondment ({}) from {} to {} that overlaps these dates.",
            self.id, self.start_date, self.end_date
        )
    }
}

/// An open secondment of the official (other than `exclude_id`) over any
/// of the days from `start` to `end`.
pub fn overlapping(
    conn: &mut DbConnection,
    official_id: &str,
    start: NaiveDate,
    end: NaiveDate,
    exclude_id: Option<&str>,
) -> Result<Option<Overlap>, StoreError> {
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
    Ok(query
        .first::<(String, NaiveDate, NaiveDate)>(conn)
        .optional()?
        .map(|(id, start_date, end_date)| Overlap {
            id,
            start_date,
            end_date,
        }))
}

/// 409 when the official has another open secondment over any of the
/// days (for the extension flows still refusing in the store).
pub(crate) fn check_overlap(
    conn: &mut DbConnection,
    official_id: &str,
    start: NaiveDate,
    end: NaiveDate,
    exclude_id: Option<&str>,
) -> Result<(), SecondmentError> {
    match overlapping(conn, official_id, start, end, exclude_id)? {
        Some(o) => Err(SecondmentError::Conflict(o.detail())),
        None => Ok(()),
    }
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
