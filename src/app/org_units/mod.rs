//! The unit tree: every signed-in user reads it, administrators change
//! it; merging units is in `merge.rs`.

mod merge;

pub use merge::{merge, merge_preview, MergeRequest, MergeResponse};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::fields::{Code, Day, Id, Name, Plain, Search};
use super::page::{Page, PageWindow};
use super::patch::double_option;
use super::validate::{check_len, finish};
use super::{AppError, Clash, Context, FieldError};
use crate::auth::{permissions, AuthUser};
use crate::domain::org_unit::UnitKind;
use crate::domain::secondment::Violation;
use crate::store::org_units::{
    self, NewOrgUnit, OrgUnitChanges, OrgUnitFilter, OrgUnitRow, UnitError,
};
use crate::store::DbConnection;

/// An organisation unit.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrgUnit {
    /// Identifier.
    pub id: String,
    /// Unique code.
    #[schema(example = "19")]
    pub code: String,
    /// Vietnamese name.
    #[schema(example = "Tỉnh Thái Nguyên")]
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Kind.
    pub kind: UnitKind,
    /// Parent unit.
    pub parent_id: Option<String>,
    /// First day of existence.
    pub valid_from: NaiveDate,
    /// Last day; `null` while current.
    pub valid_to: Option<NaiveDate>,
    /// The unit it was merged into.
    pub successor_id: Option<String>,
    /// Version (the ETag).
    pub version: i32,
    /// Created (UTC).
    pub created_at: DateTime<Utc>,
    /// Last changed (UTC).
    pub updated_at: DateTime<Utc>,
}

impl From<OrgUnitRow> for OrgUnit {
    fn from(r: OrgUnitRow) -> Self {
        OrgUnit {
            id: r.id,
            code: r.code,
            name: r.name,
            name_en: r.name_en,
            kind: r.kind,
            parent_id: r.parent_id,
            valid_from: r.valid_from,
            valid_to: r.valid_to,
            successor_id: r.successor_id,
            version: r.version,
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
        }
    }
}

/// A new unit.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrgUnit {
    /// Unique code (1-50 characters).
    pub code: Code,
    /// Vietnamese name.
    pub name: Name,
    /// English name.
    pub name_en: Option<Name>,
    /// Kind.
    pub kind: UnitKind,
    /// Parent unit.
    pub parent_id: Option<Id>,
    /// First day (default: today).
    pub valid_from: Option<Day>,
}

/// Changes to a unit; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateOrgUnit {
    /// New code.
    pub code: Option<Code>,
    /// New name.
    pub name: Option<Name>,
    /// New English name; `null` clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Name>)]
    pub name_en: Option<Option<Name>>,
    /// New kind.
    pub kind: Option<UnitKind>,
    /// New parent; `null` makes it a root. Its own descendants are refused (409).
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Id>)]
    pub parent_id: Option<Option<Id>>,
    /// New first day.
    pub valid_from: Option<Day>,
}

/// List filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OrgUnitQuery {
    /// Only this kind.
    pub kind: Option<UnitKind>,
    /// Only direct children of this unit.
    pub parent_id: Option<Id>,
    /// Search in name (ignoring case and diacritics) and code.
    pub q: Option<Search<200>>,
    /// Include units merged away or closed.
    #[serde(default)]
    pub include_inactive: bool,
    /// Page size (1-500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The store's refusals of a unit change, as the application tells them.
impl From<UnitError> for AppError {
    fn from(e: UnitError) -> Self {
        match e {
            UnitError::UnknownParent => AppError::unknown("parent_id", "unit"),
            UnitError::ParentNotCurrent => AppError::Rule(vec![Violation {
                rule: "parent_is_current",
                message: "parent_id names a unit that was merged away or closed; \
                          place the unit under its successor"
                    .into(),
                ..Violation::default()
            }]),
            UnitError::Cycle => AppError::conflict(
                Clash::Cycle,
                "A unit cannot be moved under itself or one of its own descendants.",
            ),
            UnitError::Stale => AppError::Stale,
            UnitError::Store(e) => e.into(),
        }
    }
}

fn check_code(code: &str, errors: &mut Vec<FieldError>) {
    check_len("code", code, 1, 50, errors);
    if code.chars().any(char::is_whitespace) {
        errors.push(FieldError::new("code", "must not contain spaces"));
    }
}

/// Creates a unit (administrators); it starts today unless told.
pub fn create(
    caller: &AuthUser,
    tx: &mut DbConnection,
    cx: &Context,
    b: CreateOrgUnit,
) -> Result<OrgUnit, AppError> {
    permissions::require_admin(caller)?;
    let mut errors = Vec::new();
    let code = b.code.trim().to_string();
    check_code(&code, &mut errors);
    check_len("name", b.name.trim(), 1, 300, &mut errors);
    if let Some(en) = &b.name_en {
        check_len("name_en", en.trim(), 0, 300, &mut errors);
    }
    finish(errors)?;
    let new = NewOrgUnit {
        code,
        name: b.name.trim().to_string(),
        name_en: b
            .name_en
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        kind: b.kind.as_str().to_string(),
        parent_id: b.parent_id.plain(),
        valid_from: b.valid_from.plain().unwrap_or(cx.today),
    };
    Ok(org_units::insert(tx, &caller.actor(), &new)?.into())
}

/// One page of units, current ones on the context's day unless
/// `include_inactive` (every signed-in user).
pub fn list(
    _caller: &AuthUser,
    tx: &mut DbConnection,
    cx: &Context,
    q: OrgUnitQuery,
) -> Result<Page<OrgUnit>, AppError> {
    let window = PageWindow::parse(q.limit, q.cursor.as_deref())?;
    let filter = OrgUnitFilter {
        kind: q.kind.map(|k| k.as_str().to_string()),
        parent_id: q.parent_id.plain(),
        q: q.q.plain(),
        include_inactive: q.include_inactive,
        today: Some(cx.today),
        after: window.after.clone(),
        limit: window.fetch(),
    };
    let rows = org_units::list(tx, &filter)?;
    Ok(window.page(rows, |r| r.id.clone(), OrgUnit::from))
}

/// Every unit, merged-away and closed ones included (the console's tree
/// and the choices of its forms).
pub fn all(
    caller: &AuthUser,
    tx: &mut DbConnection,
    cx: &Context,
) -> Result<Vec<OrgUnit>, AppError> {
    let mut units = Vec::new();
    let mut cursor: Option<String> = None;
    // 40 pages of 500: far more units than a ministry has.
    for _ in 0..40 {
        let q = OrgUnitQuery {
            include_inactive: true,
            limit: Some(500),
            cursor: cursor.take(),
            ..Default::default()
        };
        let page = list(caller, tx, cx, q)?;
        units.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    Ok(units)
}

/// One unit, merged-away ones included (every signed-in user).
pub fn find(_caller: &AuthUser, tx: &mut DbConnection, id: &str) -> Result<OrgUnit, AppError> {
    Ok(org_units::find(tx, id)?.into())
}

/// Changes a unit seen at `version` (`None`: whatever the version),
/// administrators only.
pub fn update(
    caller: &AuthUser,
    tx: &mut DbConnection,
    id: &str,
    version: Option<i32>,
    b: UpdateOrgUnit,
) -> Result<OrgUnit, AppError> {
    permissions::require_admin(caller)?;
    let mut errors = Vec::new();
    if let Some(code) = &b.code {
        check_code(code.trim(), &mut errors);
    }
    if let Some(name) = &b.name {
        check_len("name", name.trim(), 1, 300, &mut errors);
    }
    finish(errors)?;
    let changes = OrgUnitChanges {
        code: b.code.map(|s| s.trim().to_string()),
        name: b.name.map(|s| s.trim().to_string()),
        name_en: b
            .name_en
            .map(|o| o.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())),
        kind: b.kind.map(|k| k.as_str().to_string()),
        parent_id: b.parent_id.plain(),
        valid_from: b.valid_from.plain(),
    };
    Ok(org_units::update(tx, &caller.actor(), id, version, &changes)?.into())
}
