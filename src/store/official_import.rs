//! Bulk import of officials: the reads that plan it (units by code,
//! officials by staff code, who owns each email) and the write of the
//! plan, all in the caller's unit of work, with multi-row inserts. What
//! the file may change is the application's to decide
//! (`app::official_import`).

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;

use super::audit::{self, Actor, PendingEvent};
use super::officials::{
    terms_of, write_terms, NewOfficialRow, OfficialFields, OfficialRow, OfficialValues,
};
use super::schema::{officials, org_units};
use super::{new_id, now_utc, DbConnection, StoreError};
use crate::domain::official_csv::OfficialRecord;

const CHUNK: usize = 1000;

/// One official to write: new (`current` is `None`) or a change of the
/// one stored.
#[derive(Debug)]
pub struct Planned<'a> {
    /// The official as stored, when the staff code is known.
    pub current: Option<&'a OfficialRow>,
    /// Its new state.
    pub fields: OfficialFields,
}

/// Writes the planned officials (new ones inserted in bulk, changed ones
/// updated), their search terms and one audit row each; `progress` is
/// called with the number of officials written so far.
pub fn write(
    conn: &mut DbConnection,
    actor: &Actor,
    planned: &[Planned<'_>],
    progress: &mut dyn FnMut(usize),
) -> Result<(), StoreError> {
    conn.transaction(|conn| {
        let mut events = Vec::new();
        let mut new_terms = Vec::new();
        let mut changed_terms = Vec::new();
        let now = now_utc();
        let mut written = 0;
        for chunk in planned.chunks(CHUNK) {
            let mut inserts = Vec::new();
            for Planned { current, fields } in chunk {
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
                    }
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
        Ok(())
    })
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

/// A unit's id and its last day (`None` while current).
pub type UnitInfo = (String, Option<NaiveDate>);

/// The units the rows name, by code.
pub fn units_by_code(
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

/// The stored officials the rows name, by staff code.
pub fn existing_by_staff_code(
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

/// The staff code of the official owning each email the rows carry.
pub fn email_owners(
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
