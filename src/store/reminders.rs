//! What the daily tick reads to plan reminders: the postings ending and the
//! milestones falling due in a window, the requests waiting for decisions
//! with the sides that decided them, the administrators to tell about
//! missing holidays. A few statements whatever the number of rows; `mail`
//! decides who is told what and renders it.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::directory::stored_language;
use super::schema::{approvals, extensions, milestones, officials, org_units, secondments, users};
use super::{DbConnection, StoreError};
use crate::domain::approval::Side;
use crate::domain::milestone::MilestoneStatus;
use crate::domain::reminders::Recipient;
use crate::domain::secondment::Status;

/// The statuses of postings whose reminders go out.
fn running() -> [&'static str; 2] {
    [Status::Approved.as_str(), Status::Active.as_str()]
}

/// An approved or active posting ending in the window.
pub struct Ending {
    /// The secondment.
    pub secondment_id: String,
    /// Sending unit.
    pub home_unit_id: String,
    /// Receiving unit.
    pub host_unit_id: String,
    /// Its last day.
    pub end_date: NaiveDate,
    /// The official's name.
    pub official_name: String,
    /// The official, as a recipient.
    pub official: Recipient,
}

/// Approved and active postings ending from `from` to `to`.
pub fn ending_between(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Ending>, StoreError> {
    type Row = (String, String, String, NaiveDate, String, String, String);
    let rows: Vec<Row> = secondments::table
        .inner_join(officials::table.on(officials::id.eq(secondments::official_id)))
        .filter(secondments::status.eq_any(running()))
        .filter(secondments::end_date.ge(from))
        .filter(secondments::end_date.le(to))
        .select((
            secondments::id,
            secondments::home_unit_id,
            secondments::host_unit_id,
            secondments::end_date,
            officials::full_name,
            officials::email,
            officials::language,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, home, host, end_date, name, email, language)| {
            Ok(Ending {
                secondment_id: id,
                home_unit_id: home,
                host_unit_id: host,
                end_date,
                official: Recipient {
                    email,
                    name: Some(name.clone()),
                    language: stored_language(&language)?,
                },
                official_name: name,
            })
        })
        .collect()
}

/// A planned milestone of a running posting, due in the window.
pub struct MilestoneDue {
    /// The milestone.
    pub milestone_id: String,
    /// Its title.
    pub title: String,
    /// When it is due.
    pub due_date: NaiveDate,
    /// Its secondment.
    pub secondment_id: String,
    /// The official's name.
    pub official_name: String,
    /// The official, as a recipient.
    pub official: Recipient,
    /// Sending unit.
    pub home_unit_id: String,
    /// Receiving unit.
    pub host_unit_id: String,
}

/// Planned milestones of approved and active postings due from `from` to
/// `to`, but the return to the home unit: due on the last day, it is
/// announced by the end-of-secondment reminders already.
pub fn milestones_due_between(
    conn: &mut DbConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<MilestoneDue>, StoreError> {
    type Row = (
        String,
        String,
        NaiveDate,
        String,
        (String, String, String),
        String,
        String,
    );
    let rows: Vec<Row> = milestones::table
        .inner_join(secondments::table.on(secondments::id.eq(milestones::secondment_id)))
        .inner_join(officials::table.on(officials::id.eq(secondments::official_id)))
        .filter(milestones::status.eq(MilestoneStatus::Planned.as_str()))
        .filter(
            milestones::template
                .is_null()
                .or(milestones::template.ne("return")),
        )
        .filter(milestones::due_date.ge(from))
        .filter(milestones::due_date.le(to))
        .filter(secondments::status.eq_any(running()))
        .select((
            milestones::id,
            milestones::title,
            milestones::due_date,
            secondments::id,
            (officials::full_name, officials::email, officials::language),
            secondments::home_unit_id,
            secondments::host_unit_id,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(
            |(mid, title, due_date, sid, (name, email, language), home, host)| {
                Ok(MilestoneDue {
                    milestone_id: mid,
                    title,
                    due_date,
                    secondment_id: sid,
                    official: Recipient {
                        email,
                        name: Some(name.clone()),
                        language: stored_language(&language)?,
                    },
                    official_name: name,
                    home_unit_id: home,
                    host_unit_id: host,
                })
            },
        )
        .collect()
}

/// A request waiting for decisions.
pub struct Waiting {
    /// The proposal's secondment or the extension.
    pub request_id: String,
    /// Its secondment.
    pub secondment_id: String,
    /// `proposal` or `extension`.
    pub kind: &'static str,
    /// The local day it was submitted.
    pub since: NaiveDate,
    /// The official's name.
    pub official_name: String,
    /// Sending unit.
    pub home: String,
    /// Receiving unit.
    pub host: String,
}

impl Waiting {
    /// The unit that decides for `side`.
    pub fn unit(&self, side: Side) -> &str {
        match side {
            Side::Home => &self.home,
            Side::Host => &self.host,
        }
    }
}

/// Proposals and extensions pending a decision, with what a nudge names,
/// their day counted in `tz`: two statements whatever their number.
pub fn waiting_requests(
    conn: &mut DbConnection,
    tz: chrono_tz::Tz,
) -> Result<Vec<Waiting>, StoreError> {
    let local_day = |t| crate::domain::dates::local_date(t, tz);
    type Row = (
        String,
        String,
        Option<NaiveDateTime>,
        NaiveDateTime,
        String,
        String,
        String,
    );
    let proposals: Vec<Row> = secondments::table
        .inner_join(officials::table.on(officials::id.eq(secondments::official_id)))
        .filter(secondments::status.eq(Status::PendingApproval.as_str()))
        .select((
            secondments::id,
            secondments::id,
            secondments::submitted_at,
            secondments::updated_at,
            officials::full_name,
            secondments::home_unit_id,
            secondments::host_unit_id,
        ))
        .load(conn)?;
    let pending_extensions: Vec<Row> = extensions::table
        .inner_join(secondments::table.on(secondments::id.eq(extensions::secondment_id)))
        .inner_join(officials::table.on(officials::id.eq(secondments::official_id)))
        .filter(extensions::status.eq("pending"))
        .select((
            extensions::id,
            secondments::id,
            extensions::created_at.nullable(),
            extensions::created_at,
            officials::full_name,
            secondments::home_unit_id,
            secondments::host_unit_id,
        ))
        .load(conn)?;
    let tagged = proposals
        .into_iter()
        .map(|r| ("proposal", r))
        .chain(pending_extensions.into_iter().map(|r| ("extension", r)));
    Ok(tagged
        .map(
            |(kind, (request_id, sid, submitted, updated, name, home, host))| Waiting {
                request_id,
                secondment_id: sid,
                kind,
                since: local_day(submitted.unwrap_or(updated)),
                official_name: name,
                home,
                host,
            },
        )
        .collect())
}

/// The sides that decided each of `requests`, whatever their status now
/// (a request decided since it was read must not look undecided): one
/// statement per 5,000 requests.
pub fn decided_sides(
    conn: &mut DbConnection,
    requests: &[&Waiting],
) -> Result<HashMap<String, Vec<String>>, StoreError> {
    let mut by_request: HashMap<String, Vec<String>> = HashMap::new();
    for chunk in requests.chunks(5000) {
        let ids: Vec<&str> = chunk.iter().map(|w| w.request_id.as_str()).collect();
        let rows: Vec<(String, String)> = approvals::table
            .filter(approvals::request_id.eq_any(ids))
            .select((approvals::request_id, approvals::side))
            .load(conn)?;
        for (request, side) in rows {
            by_request.entry(request).or_default().push(side);
        }
    }
    Ok(by_request)
}

/// A unit's name, read once per tick (`cache` keeps those read).
pub fn unit_name(
    conn: &mut DbConnection,
    cache: &mut HashMap<String, String>,
    unit: &str,
) -> Result<String, StoreError> {
    if let Some(n) = cache.get(unit) {
        return Ok(n.clone());
    }
    let name: String = org_units::table
        .find(unit)
        .select(org_units::name)
        .first(conn)?;
    cache.insert(unit.to_string(), name.clone());
    Ok(name)
}

/// The enabled administrators in id order: (user id, recipient).
pub fn enabled_admins(conn: &mut DbConnection) -> Result<Vec<(String, Recipient)>, StoreError> {
    let rows: Vec<(String, String, String, Option<String>)> = users::table
        .filter(users::role.eq("admin"))
        .filter(users::disabled.eq(false))
        .order(users::id.asc())
        .select((users::id, users::email, users::language, users::full_name))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, email, language, name)| {
            Ok((
                id,
                Recipient {
                    email,
                    name,
                    language: stored_language(&language)?,
                },
            ))
        })
        .collect()
}
