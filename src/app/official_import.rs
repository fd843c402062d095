//! Importing officials from a CSV file, all or nothing: created or changed
//! by staff code, every problem of every line told at once (each with its
//! line) and nothing written while there is one.

use serde::Serialize;
use utoipa::ToSchema;

use super::caller::scope_of;
use super::{AppError, FieldError};
use crate::auth::AuthUser;
use crate::domain::actor::Actor;
use crate::domain::official_csv::{self, CsvRejection, OfficialRecord, RowError};
pub use crate::domain::official_csv::{MAX_BYTES, MAX_ROWS};
use crate::domain::user::Role;
use crate::store::official_import::{self as store, Planned};
use crate::store::officials::{OfficialFields, OfficialRow};
use crate::store::DbConnection;

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct ImportSummary {
    /// Officials created.
    pub created: usize,
    /// Officials changed.
    pub updated: usize,
    /// Rows identical to what was stored.
    pub unchanged: usize,
}

/// A file read: its rows, or more rows than one import takes (the doors
/// answer that as a body too large).
#[derive(Debug)]
pub enum CsvFile {
    /// The rows, each well-formed.
    Rows(Vec<OfficialRecord>),
    /// More than [`MAX_ROWS`] rows.
    TooManyRows,
}

/// Reads a CSV file (CPU work: run it outside any unit of work). Rows that
/// are not well-formed are refused together, each with its line.
pub fn read(bytes: &[u8]) -> Result<CsvFile, AppError> {
    match official_csv::parse(bytes) {
        Ok(rows) => Ok(CsvFile::Rows(rows)),
        Err(CsvRejection::TooManyRows) => Ok(CsvFile::TooManyRows),
        Err(CsvRejection::Invalid(errors)) => Err(invalid_rows(errors)),
    }
}

/// Refused unless the caller keeps the registry.
pub fn require_importer(caller: &AuthUser) -> Result<(), AppError> {
    Ok(caller.require_role(&[Role::Admin, Role::HrOfficer])?)
}

/// Imports the rows as the caller: officials are placed only in units of
/// the caller's scope, and only officials of that scope are changed.
pub fn import(
    caller: &AuthUser,
    tx: &mut DbConnection,
    records: &[OfficialRecord],
) -> Result<ImportSummary, AppError> {
    require_importer(caller)?;
    let scope = scope_of(tx, caller)?;
    import_rows(
        tx,
        &caller.actor(),
        records,
        &|unit| scope.contains(unit),
        &mut |_| {},
    )
}

/// Imports the rows as the service itself (the command line): any unit;
/// `progress` is told how many officials were written so far.
pub fn import_as_system(
    tx: &mut DbConnection,
    records: &[OfficialRecord],
    progress: &mut dyn FnMut(usize),
) -> Result<ImportSummary, AppError> {
    import_rows(tx, &Actor::system(), records, &|_| true, progress)
}

fn import_rows(
    tx: &mut DbConnection,
    actor: &Actor,
    records: &[OfficialRecord],
    may_use_unit: &dyn Fn(&str) -> bool,
    progress: &mut dyn FnMut(usize),
) -> Result<ImportSummary, AppError> {
    let units = store::units_by_code(tx, records)?;
    let existing = store::existing_by_staff_code(tx, records)?;
    let email_owners = store::email_owners(tx, records)?;

    let mut errors = Vec::new();
    let mut planned = Vec::new();
    let mut summary = ImportSummary::default();
    for r in records {
        let unit = match units.get(&r.home_unit_code) {
            None => {
                errors.push(unknown_at(r, "home_unit_code", "unit"));
                continue;
            }
            Some((_, Some(_))) => {
                errors.push(at(
                    r,
                    "home_unit_code",
                    "names a unit that is no longer current",
                ));
                continue;
            }
            Some((id, None)) if !may_use_unit(id) => {
                errors.push(at(r, "home_unit_code", "is outside your scope"));
                continue;
            }
            Some((id, None)) => id.clone(),
        };
        let current = existing.get(&r.staff_code);
        if let Some(owner) = email_owners.get(&r.email.normalized()) {
            if owner != &r.staff_code {
                errors.push(at(r, "email", "is already used by another official"));
                continue;
            }
        }
        if let Some(row) = current {
            if !may_use_unit(&row.home_unit_id) {
                errors.push(at(
                    r,
                    "staff_code",
                    "belongs to an official outside your scope",
                ));
                continue;
            }
        }
        let fields = fields_of(r, unit, current);
        match current {
            Some(row) if OfficialFields::from(row) == fields => summary.unchanged += 1,
            Some(_) => {
                summary.updated += 1;
                planned.push(Planned { current, fields });
            }
            None => {
                summary.created += 1;
                planned.push(Planned { current, fields });
            }
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let unchanged = summary.unchanged;
    store::write(tx, actor, &planned, &mut |n| progress(unchanged + n))?;
    Ok(summary)
}

/// The refusal of rows that are not well-formed: every problem with its
/// line.
fn invalid_rows(errors: Vec<RowError>) -> AppError {
    AppError::Invalid(
        errors
            .into_iter()
            .map(|e| FieldError {
                line: Some(e.line),
                ..FieldError::new(e.field, e.message)
            })
            .collect(),
    )
}

fn at(r: &OfficialRecord, field: &str, message: &str) -> FieldError {
    FieldError {
        line: Some(r.line),
        ..FieldError::new(field, message)
    }
}

/// A column of a line that names no `kind`, in the words of
/// [`AppError::UnknownReference`]: a file's problems are refused together,
/// each with its line, so it is one of them rather than a 404 of its own.
fn unknown_at(r: &OfficialRecord, field: &str, kind: &str) -> FieldError {
    at(r, field, &format!("names no {kind}"))
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
