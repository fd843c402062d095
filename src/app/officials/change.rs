//! Adding an official to the registry and changing one: the home unit
//! must exist, be current and lie in the caller's scope.

use serde::Deserialize;
use utoipa::ToSchema;

use super::{require_registry_role, visible, Official};
use crate::app::caller::scope_of;
use crate::app::fields::{Code, Day, Email, Id, Line, Name, Plain};
use crate::app::patch::double_option;
use crate::app::validate::{check_len, finish};
use crate::app::{AppError, FieldError, Refusal};
use crate::auth::permissions::Scope;
use crate::auth::AuthUser;
use crate::domain::email::EmailAddress;
use crate::domain::user::Language;
use crate::store::officials::{self, OfficialFields};
use crate::store::{org_units, DbConnection};

/// A new official.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOfficial {
    /// Unique staff code.
    pub staff_code: Code,
    /// Full name.
    pub full_name: Line<200>,
    /// Email, unique ignoring case.
    pub email: Email,
    /// Home unit (current, in the caller's scope).
    pub home_unit_id: Id,
    /// Position.
    pub position: Option<Name>,
    /// Rank.
    pub rank: Option<Name>,
    /// Date of birth.
    pub date_of_birth: Option<Day>,
    /// Default `vi`.
    pub language: Option<Language>,
    /// Protected from secondment until.
    pub protected_until: Option<Day>,
    /// In the succession plan (default false).
    #[serde(default)]
    pub in_succession_plan: bool,
    /// Retirement date.
    pub retirement_date: Option<Day>,
    /// Default true.
    pub active: Option<bool>,
}

/// Changes; absent fields stay, `null` clears an optional one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateOfficial {
    /// New staff code.
    pub staff_code: Option<Code>,
    /// New name.
    pub full_name: Option<Line<200>>,
    /// New email.
    pub email: Option<Email>,
    /// New home unit.
    pub home_unit_id: Option<Id>,
    /// New position.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Name>)]
    pub position: Option<Option<Name>>,
    /// New rank.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Name>)]
    pub rank: Option<Option<Name>>,
    /// New date of birth.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Day>)]
    pub date_of_birth: Option<Option<Day>>,
    /// New language.
    pub language: Option<Language>,
    /// New protection date.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Day>)]
    pub protected_until: Option<Option<Day>>,
    /// Succession plan.
    pub in_succession_plan: Option<bool>,
    /// New retirement date.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Day>)]
    pub retirement_date: Option<Option<Day>>,
    /// Active.
    pub active: Option<bool>,
}

fn check_text_fields(
    staff_code: Option<&str>,
    full_name: Option<&str>,
    errors: &mut Vec<FieldError>,
) {
    if let Some(code) = staff_code {
        check_len("staff_code", code, 1, 50, errors);
        if code.chars().any(char::is_whitespace) {
            errors.push(FieldError::new("staff_code", "must not contain spaces"));
        }
    }
    if let Some(name) = full_name {
        check_len("full_name", name, 1, 200, errors);
    }
}

fn trimmed(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// A home unit that exists outside the caller's scope is refused (403)
/// before anything else is said about it.
fn refuse_outside_scope(
    tx: &mut DbConnection,
    scope: &Scope,
    unit_id: &str,
    detail: &str,
) -> Result<(), AppError> {
    if !scope.contains(unit_id) && org_units::find_optional(tx, unit_id)?.is_some() {
        return Err(AppError::forbidden(Refusal::OutOfScope, detail));
    }
    Ok(())
}

/// A home unit must exist and be current: a unit merged away or closed
/// takes no one.
fn check_home_unit(tx: &mut DbConnection, unit_id: &str) -> Result<(), AppError> {
    let Some(unit) = org_units::find_optional(tx, unit_id)? else {
        return Err(AppError::unknown("home_unit_id", "unit"));
    };
    if unit.valid_to.is_some() {
        return Err(AppError::invalid(
            "home_unit_id",
            "names a unit that was merged away or closed",
        ));
    }
    Ok(())
}

/// Adds an official to the registry.
pub fn create(
    caller: &AuthUser,
    tx: &mut DbConnection,
    b: CreateOfficial,
) -> Result<Official, AppError> {
    require_registry_role(caller)?;
    let mut errors = Vec::new();
    let staff_code = b.staff_code.trim().to_string();
    let full_name = b.full_name.trim().to_string();
    check_text_fields(Some(&staff_code), Some(&full_name), &mut errors);
    let email = EmailAddress::parse(&b.email)
        .map_err(|m| errors.push(FieldError::new("email", m)))
        .ok();
    finish(errors)?;
    let Some(email) = email else {
        return Err(AppError::invalid("email", "is invalid"));
    };
    let fields = OfficialFields {
        staff_code,
        full_name,
        email: email.as_str().to_string(),
        email_normalized: email.normalized(),
        home_unit_id: b.home_unit_id.plain(),
        position: trimmed(b.position.plain()),
        rank: trimmed(b.rank.plain()),
        date_of_birth: b.date_of_birth.plain(),
        language: b.language.unwrap_or_default().as_str().to_string(),
        protected_until: b.protected_until.plain(),
        in_succession_plan: b.in_succession_plan,
        retirement_date: b.retirement_date.plain(),
        active: b.active.unwrap_or(true),
    };
    let scope = scope_of(tx, caller)?;
    refuse_outside_scope(
        tx,
        &scope,
        &fields.home_unit_id,
        "The home unit is outside your scope.",
    )?;
    check_home_unit(tx, &fields.home_unit_id)?;
    let row = officials::insert(tx, &caller.actor(), &fields)?;
    Ok(Official::for_role(row, caller.role))
}

/// Changes an official seen at `version` (`None`: whatever the version).
pub fn update(
    caller: &AuthUser,
    tx: &mut DbConnection,
    id: &str,
    version: Option<i32>,
    b: UpdateOfficial,
) -> Result<Official, AppError> {
    require_registry_role(caller)?;
    let mut errors = Vec::new();
    let staff_code = b.staff_code.map(|s| s.trim().to_string());
    let full_name = b.full_name.map(|s| s.trim().to_string());
    check_text_fields(staff_code.as_deref(), full_name.as_deref(), &mut errors);
    let email = match &b.email {
        Some(e) => EmailAddress::parse(e)
            .map_err(|m| errors.push(FieldError::new("email", m)))
            .ok(),
        None => None,
    };
    finish(errors)?;
    let (before, scope) = visible(tx, caller, id)?;
    // A new home unit outside the scope is refused before the version is
    // compared: it would be whatever the version.
    if let Some(unit) = &b.home_unit_id {
        refuse_outside_scope(tx, &scope, unit, "The new home unit is outside your scope.")?;
    }
    if version.is_some_and(|v| v != before.version) {
        return Err(AppError::Stale);
    }
    let mut f = OfficialFields::from(&before);
    if let Some(v) = staff_code {
        f.staff_code = v;
    }
    if let Some(v) = full_name {
        f.full_name = v;
    }
    if let Some(e) = email {
        f.email = e.as_str().to_string();
        f.email_normalized = e.normalized();
    }
    if let Some(v) = b.home_unit_id {
        f.home_unit_id = v.plain();
    }
    if let Some(v) = b.position {
        f.position = trimmed(v.plain());
    }
    if let Some(v) = b.rank {
        f.rank = trimmed(v.plain());
    }
    if let Some(v) = b.date_of_birth {
        f.date_of_birth = v.plain();
    }
    if let Some(v) = b.language {
        f.language = v.as_str().to_string();
    }
    if let Some(v) = b.protected_until {
        f.protected_until = v.plain();
    }
    if let Some(v) = b.in_succession_plan {
        f.in_succession_plan = v;
    }
    if let Some(v) = b.retirement_date {
        f.retirement_date = v.plain();
    }
    if let Some(v) = b.active {
        f.active = v;
    }
    if f.home_unit_id != before.home_unit_id {
        check_home_unit(tx, &f.home_unit_id)?;
    }
    let after = officials::update(tx, &caller.actor(), &before, &f)?.ok_or(AppError::Stale)?;
    Ok(Official::for_role(after, caller.role))
}
