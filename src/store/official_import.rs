//! Bulk import of officials from parsed CSV rows: all or nothing, in one
//! transaction, with multi-row inserts.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;

use super::audit::{self, Actor, PendingEvent};
use super::officials::{
    terms_of, write_terms, NewOfficialRow, OfficialFields, OfficialRow, OfficialValues,
};
use super::schema::{officials, org_units};
use super::{new_id, now_utc, DbConnection, StoreError};
use crate::domain::official_csv::{OfficialRecord, RowError};

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ImportSummary {
    /// Officials created.
    pub created: usize,
    /// Officials changed.
    pub updated: usize,
    /// Rows identical to what was stored.
    pub unchanged: usize,
}

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Rows refer to unknown units, clash with other officials, or lie
    /// outside the importer's scope.
    #[error("{} rows are invalid", .0.len())]
    Invalid(Vec<RowError>),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for ImportError {
    fn from(e: diesel::result::Error) -> Self {
        ImportError::Store(e.into())
    }
}

const CHUNK: usize = 1000;

/// Creates or updates officials by staff code. `may_use_unit` says whether
/// the importer may place officials in a unit (its scope); `progress` is
/// called with the number of rows written so far.
pub fn import(
    conn: &mut DbConnection,
    actor: &Actor,
    records: &[OfficialRecord],
    may_use_unit: &dyn Fn(&str) -> bool,
    progress: &mut dyn FnMut(usize),
) -> Result<ImportSummary, ImportError> {
    conn.transaction(|conn| {
        let units = units_by_code(conn, records)?;
        let existing = existing_by_staff_code(conn, records)?;
        let email_owners = email_owners(conn, records)?;

        let mut errors = Vec::new();
        let mut planned: Vec<(Option<&OfficialRow>, OfficialFields)> = Vec::new();
        for r in records {
            let unit = match units.get(&r.home_unit_code) {
                None => {
                    errors.push(err(r, "home_unit_code", "names no unit"));
                    continue;
                }
                Some((_, Some(_))) => {
                    errors.push(err(
                        r,
                        "home_unit_code",
                        "names a unit that is no longer current",
                    ));
                    continue;
                }
                Some((id, None)) if !may_use_unit(id) => {
                    errors.push(err(r, "home_unit_code", "is outside your scope"));
                    continue;
                }
                Some((id, None)) => id.clone(),
            };
            let current = existing.get(&r.staff_code);
            if let Some(owner) = email_owners.get(&r.email.normalized()) {
                if owner != &r.staff_code {
                    errors.push(err(r, "email", "is already used by another official"));
                    continue;
                }
            }
            if let Some(row) = current {
                if !may_use_unit(&row.home_unit_id) {
                    errors.push(err(
                        r,
                        "staff_code",
                        "belongs to an official outside your scope",
                    ));
                    continue;
                }
            }
            planned.push((current, fields_of(r, unit, current)));
        }
        if !errors.is_empty() {
            return Err(ImportError::Invalid(errors));
        }

        let mut summary = ImportSummary::default();
        let mut events = Vec::new();
        let mut new_terms = Vec::new();
        let mut changed_terms = Vec::new();
        let now = now_utc();
        let mut written = 0;
        for chunk in planned.chunks(CHUNK) {
            let mut inserts = Vec::new();
            for (current, fields) in chunk {
                match current {
                    None => {
                        let id = new_id();
                        new_terms.push((id.clone(), terms_of(fields)));
                        events.push(PendingEvent {
                            action: "official.created",
                            entity_type: "official",
                            entity_id: id.clone(),
                            before: None,
                            after: Some(snapshot(&id, fields)),
                            secondment_id: None,
                        });
                        inserts.push(NewOfficialRow::new(id, fields, now));
                        summary.created += 1;
                    }
                    Some(row) if OfficialFields::from(*row) == *fields => summary.unchanged += 1,
                    Some(row) => {
                        diesel::update(officials::table.find(&row.id))
                            .set((
                                OfficialValues::from(fields),
                                officials::version.eq(row.version + 1),
                                officials::updated_at.eq(now),
                            ))
                            .execute(conn)?;
                        if terms_of(&OfficialFields::from(*row)) != terms_of(fields) {
                            changed_terms.push((row.id.clone(), terms_of(fields)));
                        }
                        events.push(PendingEvent {
                            action: "official.updated",
                            entity_type: "official",
                            entity_id: row.id.clone(),
                            before: Some(serde_json::to_value(row).unwrap_or_default()),
                            after: Some(snapshot(&row.id, fields)),
                            secondment_id: None,
                        });
                        summary.updated += 1;
                    }
                }
            }
            if !inserts.is_empty() {
                bulk_insert!(&mut *conn, officials::table, &inserts, 1500)?;
            }
            written += chunk.len();
            progress(written);
        }
        write_terms(conn, &new_terms, false)?;
        write_terms(conn, &changed_terms, true)?;
        audit::record_many(conn, actor, &events)?;
        if let DbConnection::Pg(pg) = conn {
            // Fresh statistics keep search plans good right after a big load.
            diesel::connection::SimpleConnection::batch_execute(
                pg,
                "ANALYZE officials; ANALYZE official_search_terms;",
            )?;
        }
        Ok(summary)
    })
}

fn err(r: &OfficialRecord, field: &str, message: impl Into<String>) -> RowError {
    RowError {
        line: r.line,
        field: field.to_string(),
        message: message.into(),
    }
}

fn snapshot(id: &str, f: &OfficialFields) -> serde_json::Value {
    serde_json::json!({
        "id": id, "staff_code": f.staff_code, "full_name": f.full_name, "email": f.email,
        "home_unit_id": f.home_unit_id, "position": f.position, "rank": f.rank,
        "date_of_birth": f.date_of_birth, "language": f.language,
        "protected_until": f.protected_until, "in_succession_plan": f.in_succession_plan,
        "retirement_date": f.retirement_date, "active": f.active,
    })
}

/// The new state of an official from a row; optional columns left empty
/// keep the stored value.
fn fields_of(r: &OfficialRecord, unit_id: String, current: Option<&OfficialRow>) -> OfficialFields {
    OfficialFields {
        staff_code: r.staff_code.clone(),
        full_name: r.full_name.clone(),
        email: r.email.as_str().to_string(),
        email_normalized: r.email.normalized(),
        home_unit_id: unit_id,
        position: r.position.clone(),
        rank: r.rank.clone(),
        date_of_birth: r.date_of_birth,
        language: r.language.as_str().to_string(),
        protected_until: r
            .protected_until
            .or(current.and_then(|c| c.protected_until)),
        in_succession_plan: r
            .in_succession_plan
            .unwrap_or(current.is_some_and(|c| c.in_succession_plan)),
        retirement_date: r
            .retirement_date
            .or(current.and_then(|c| c.retirement_date)),
        active: current.is_none_or(|c| c.active),
    }
}

type UnitInfo = (String, Option<NaiveDate>);

fn units_by_code(
    conn: &mut DbConnection,
    records: &[OfficialRecord],
) -> Result<HashMap<String, UnitInfo>, StoreError> {
    let mut codes: Vec<&str> = records.iter().map(|r| r.home_unit_code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    let mut map = HashMap::new();
    for chunk in codes.chunks(CHUNK) {
        let rows: Vec<(String, String, Option<NaiveDate>)> = org_units::table
            .filter(org_units::code.eq_any(chunk))
            .select((org_units::code, org_units::id, org_units::valid_to))
            .load(conn)?;
        for (code, id, valid_to) in rows {
            map.insert(code, (id, valid_to));
        }
    }
    Ok(map)
}

fn existing_by_staff_code(
    conn: &mut DbConnection,
    records: &[OfficialRecord],
) -> Result<HashMap<String, OfficialRow>, StoreError> {
    let codes: Vec<&str> = records.iter().map(|r| r.staff_code.as_str()).collect();
    let mut map = HashMap::new();
    for chunk in codes.chunks(CHUNK) {
        let rows: Vec<OfficialRow> = officials::table
            .filter(officials::staff_code.eq_any(chunk))
            .select(OfficialRow::as_select())
            .load(conn)?;
        map.extend(rows.into_iter().map(|r| (r.staff_code.clone(), r)));
    }
    Ok(map)
}

fn email_owners(
    conn: &mut DbConnection,
    records: &[OfficialRecord],
) -> Result<HashMap<String, String>, StoreError> {
    let emails: Vec<String> = records.iter().map(|r| r.email.normalized()).collect();
    let mut map = HashMap::new();
    for chunk in emails.chunks(CHUNK) {
        let rows: Vec<(String, String)> = officials::table
            .filter(officials::email_normalized.eq_any(chunk))
            .select((officials::email_normalized, officials::staff_code))
            .load(conn)?;
        map.extend(rows);
    }
    Ok(map)
}
