//! Writing a secondment's fields: a new draft, and an edit at the version
//! the caller saw, each with its history event. The rules were applied by
//! the caller (`app::secondments`).

use chrono::NaiveDate;
use diesel::prelude::*;

use super::audit::{self, Actor};
use super::schema::secondments;
use super::secondments::{find, snapshot, SecondmentRow};
use super::{new_id, now_utc, DbConnection, StoreError};
use crate::domain::secondment::{Direction, Kind, Status};

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

/// Inserts a draft of `official_id` with `fields`, going `direction`.
pub fn insert(
    conn: &mut DbConnection,
    actor: &Actor,
    official_id: &str,
    fields: &SecondmentFields,
    direction: Direction,
) -> Result<SecondmentRow, StoreError> {
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
        .execute(conn)?;
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
}

/// An edit of a secondment, as the rules accepted it.
#[derive(Debug, Clone)]
pub struct Edited {
    /// The fields as they become.
    pub fields: SecondmentFields,
    /// The post the official returns to.
    pub return_arrangement: Option<String>,
    /// The direction the units give.
    pub direction: Direction,
}

/// Saves `edited` over `before` when it is still at `before`'s version;
/// `None` when another change came first. A draft's planned end is its
/// original end too.
pub fn save(
    conn: &mut DbConnection,
    actor: &Actor,
    before: &SecondmentRow,
    edited: &Edited,
) -> Result<Option<SecondmentRow>, StoreError> {
    let f = &edited.fields;
    let original_end_date: NaiveDate = if before.status() == Status::Draft {
        f.end_date
    } else {
        before.original_end_date
    };
    let changed = diesel::update(
        secondments::table
            .filter(secondments::id.eq(&before.id))
            .filter(secondments::version.eq(before.version)),
    )
    .set((
        secondments::kind.eq(f.kind.as_str()),
        secondments::home_unit_id.eq(&f.home_unit_id),
        secondments::host_unit_id.eq(&f.host_unit_id),
        secondments::direction.eq(edited.direction.as_str()),
        secondments::ground.eq(&f.ground),
        secondments::position_title.eq(&f.position_title),
        secondments::mandate.eq(&f.mandate),
        secondments::start_date.eq(f.start_date),
        secondments::end_date.eq(f.end_date),
        secondments::original_end_date.eq(original_end_date),
        secondments::agreement_ref.eq(&f.agreement_ref),
        secondments::consultation_held_on.eq(f.consultation_held_on),
        secondments::consultation_note.eq(&f.consultation_note),
        secondments::exception_ref.eq(&f.exception_ref),
        secondments::return_arrangement.eq(&edited.return_arrangement),
        secondments::version.eq(before.version + 1),
        secondments::updated_at.eq(now_utc()),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Ok(None);
    }
    let after = find(conn, &before.id)?;
    audit::record_in(
        conn,
        actor,
        Some(&before.id),
        "secondment.updated",
        "secondment",
        &before.id,
        Some(snapshot(before)),
        Some(snapshot(&after)),
    )?;
    Ok(Some(after))
}
