//! The registry of officials: HR officers work on the officials of their
//! scope, administrators on all of them. Reading here; creating and
//! changing in `change.rs`; the CSV import in `app::official_import`.

mod change;

pub use change::{create, update, CreateOfficial, UpdateOfficial};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::caller::scope_of;
use super::fields::{Id, Search};
use super::page::{Page, PageWindow};
use super::AppError;
use crate::auth::permissions::Scope;
use crate::auth::AuthUser;
use crate::domain::official::query_words;
use crate::domain::user::{Language, Role};
use crate::store::officials::{self, OfficialFilter, OfficialRow};
use crate::store::{org_units, DbConnection, StoreError};

/// An official.
#[derive(Debug, Serialize, ToSchema)]
pub struct Official {
    /// Identifier.
    pub id: String,
    /// Unique staff code.
    pub staff_code: String,
    /// Full name (Vietnamese, full Unicode).
    #[schema(example = "Phạm Quang Hiếu")]
    pub full_name: String,
    /// Email.
    pub email: String,
    /// Home unit.
    pub home_unit_id: String,
    /// Position.
    pub position: Option<String>,
    /// Rank.
    pub rank: Option<String>,
    /// Date of birth.
    pub date_of_birth: Option<NaiveDate>,
    /// `vi` or `en`.
    pub language: Language,
    /// Not to be seconded for periods starting before this date (pregnancy
    /// or a child under 36 months). Shown to HR officers and administrators only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protected_until: Option<NaiveDate>,
    /// In the succession plan.
    pub in_succession_plan: bool,
    /// Retirement date.
    pub retirement_date: Option<NaiveDate>,
    /// Active.
    pub active: bool,
    /// Version (the ETag).
    pub version: i32,
    /// Created (UTC).
    pub created_at: DateTime<Utc>,
    /// Last changed (UTC).
    pub updated_at: DateTime<Utc>,
}

impl Official {
    /// The view for a caller; `protected_until` only for HR and admins.
    pub fn for_role(r: OfficialRow, role: Role) -> Self {
        let sees_protection = matches!(role, Role::Admin | Role::HrOfficer);
        Official {
            id: r.id,
            staff_code: r.staff_code,
            full_name: r.full_name,
            email: r.email,
            home_unit_id: r.home_unit_id,
            position: r.position,
            rank: r.rank,
            date_of_birth: r.date_of_birth,
            language: r.language,
            protected_until: r.protected_until.filter(|_| sees_protection),
            in_succession_plan: r.in_succession_plan,
            retirement_date: r.retirement_date,
            active: r.active,
            version: r.version,
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
        }
    }
}

/// Filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OfficialQuery {
    /// Words matching the start of words of the name, the staff code or the
    /// email, ignoring case and diacritics (`hieu` finds "Hiếu").
    pub q: Option<Search<200>>,
    /// Only officials of this unit and its descendants.
    pub home_unit_id: Option<Id>,
    /// Page size (1-500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Refused unless the caller keeps the registry (HR officers,
/// administrators).
pub fn require_registry_role(caller: &AuthUser) -> Result<(), AppError> {
    Ok(caller.require_role(&[Role::Admin, Role::HrOfficer])?)
}

/// One page of the officials in the caller's scope, searched.
pub fn list(
    caller: &AuthUser,
    tx: &mut DbConnection,
    q: OfficialQuery,
) -> Result<Page<Official>, AppError> {
    require_registry_role(caller)?;
    let window = PageWindow::parse(q.limit, q.cursor.as_deref())?;
    let filter = OfficialFilter {
        words: q.q.as_deref().map(query_words).unwrap_or_default(),
        home_units: home_units(tx, caller, q.home_unit_id)?,
        after: window.after.clone(),
        limit: window.fetch(),
    };
    let rows = officials::list(tx, &filter)?;
    Ok(window.page(
        rows,
        |r| r.id.clone(),
        |r| Official::for_role(r, caller.role),
    ))
}

/// The filter of the whole list as one file (CSV, XLSX): the search and
/// the scope of [`list`], the page window checked but not applied.
pub fn export_filter(
    caller: &AuthUser,
    tx: &mut DbConnection,
    q: OfficialQuery,
) -> Result<OfficialFilter, AppError> {
    require_registry_role(caller)?;
    let window = PageWindow::parse(q.limit, q.cursor.as_deref())?;
    Ok(OfficialFilter {
        words: q.q.as_deref().map(query_words).unwrap_or_default(),
        home_units: home_units(tx, caller, q.home_unit_id)?,
        after: None,
        limit: window.fetch(),
    })
}

/// The home units a list may show: the caller's scope, narrowed to the
/// `home_unit_id` filter's subtree (`None`: all).
fn home_units(
    tx: &mut DbConnection,
    caller: &AuthUser,
    filter_unit: Option<Id>,
) -> Result<Option<Vec<String>>, AppError> {
    let scope = scope_of(tx, caller)?;
    let filter_units = match &filter_unit {
        Some(unit) => Some(org_units::subtree_ids(tx, unit)?),
        None => None,
    };
    Ok(match (scope, filter_units) {
        (Scope::All, None) => None,
        (Scope::All, Some(f)) => Some(f.into_iter().collect()),
        (Scope::Units(s), None) => Some(s.into_iter().collect()),
        (Scope::Units(s), Some(f)) => Some(f.intersection(&s).cloned().collect()),
        (Scope::Nothing, _) => Some(Vec::new()),
    })
}

/// One official in the caller's scope.
pub fn find(caller: &AuthUser, tx: &mut DbConnection, id: &str) -> Result<Official, AppError> {
    require_registry_role(caller)?;
    let (row, _) = visible(tx, caller, id)?;
    Ok(Official::for_role(row, caller.role))
}

/// An official the caller may see, with the caller's scope; one outside
/// it does not exist for them.
fn visible(
    tx: &mut DbConnection,
    caller: &AuthUser,
    id: &str,
) -> Result<(OfficialRow, Scope), AppError> {
    let row = match officials::find(tx, id) {
        Ok(r) => r,
        Err(StoreError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(e.into()),
    };
    let scope = scope_of(tx, caller)?;
    if !scope.contains(&row.home_unit_id) {
        return Err(AppError::NotFound);
    }
    Ok((row, scope))
}
