//! Organisation units: the tree of ministries, provinces and departments.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::audit::{self, Actor};
use super::schema::org_units;
use super::{new_id, now_utc, DbConnection, StoreError};
use crate::domain::text::fold;

/// A stored unit.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = org_units)]
pub struct OrgUnitRow {
    /// Identifier.
    pub id: String,
    /// Unique code.
    pub code: String,
    /// Vietnamese name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Kind (stored form).
    #[diesel(deserialize_as = String)]
    pub kind: crate::domain::org_unit::UnitKind,
    /// Parent unit.
    pub parent_id: Option<String>,
    /// First day of existence.
    pub valid_from: NaiveDate,
    /// Last day of existence; `None` while current.
    pub valid_to: Option<NaiveDate>,
    /// The unit it was merged into.
    pub successor_id: Option<String>,
    /// Folded name for search.
    #[serde(skip)]
    pub name_folded: String,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// Creation time.
    pub created_at: NaiveDateTime,
    /// Last change.
    pub updated_at: NaiveDateTime,
}

impl OrgUnitRow {
    /// True while the unit exists on `day`.
    pub fn is_current_on(&self, day: NaiveDate) -> bool {
        self.valid_from <= day && self.valid_to.is_none_or(|to| to >= day)
    }
}

/// Fields of a new unit.
#[derive(Debug, Clone)]
pub struct NewOrgUnit {
    /// Unique code.
    pub code: String,
    /// Vietnamese name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Kind (stored form).
    pub kind: String,
    /// Parent.
    pub parent_id: Option<String>,
    /// First day.
    pub valid_from: NaiveDate,
}

/// Changes to a unit; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct OrgUnitChanges {
    /// New code.
    pub code: Option<String>,
    /// New name.
    pub name: Option<String>,
    /// New English name (`Some(None)` clears it).
    pub name_en: Option<Option<String>>,
    /// New kind.
    pub kind: Option<String>,
    /// New parent (`Some(None)` makes it a root).
    pub parent_id: Option<Option<String>>,
    /// New first day.
    pub valid_from: Option<NaiveDate>,
}

/// List filters and the page window.
#[derive(Debug, Clone, Default)]
pub struct OrgUnitFilter {
    /// Only this kind.
    pub kind: Option<String>,
    /// Only children of this unit.
    pub parent_id: Option<String>,
    /// Folded search text over name and code.
    pub q: Option<String>,
    /// Include units no longer current on `today`.
    pub include_inactive: bool,
    /// The date that decides "current".
    pub today: Option<NaiveDate>,
    /// Keyset cursor: only ids after this.
    pub after: Option<String>,
    /// Rows to fetch.
    pub limit: i64,
}

/// Why a unit change was refused.
#[derive(Debug, thiserror::Error)]
pub enum UnitError {
    /// The parent does not exist.
    #[error("the parent unit does not exist")]
    UnknownParent,
    /// The parent was merged away or closed: units go under current ones.
    #[error("the parent unit is no longer current")]
    ParentNotCurrent,
    /// The new parent is the unit itself or one of its descendants.
    #[error("a unit cannot be its own ancestor")]
    Cycle,
    /// The `If-Match` version is stale.
    #[error("the unit was changed by someone else")]
    Stale,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for UnitError {
    fn from(e: diesel::result::Error) -> Self {
        UnitError::Store(e.into())
    }
}

/// A parent must exist and be current (not merged away or closed).
fn check_parent(conn: &mut DbConnection, parent: &str) -> Result<(), UnitError> {
    match find_optional(conn, parent)? {
        None => Err(UnitError::UnknownParent),
        Some(p) if p.valid_to.is_some() || p.successor_id.is_some() => {
            Err(UnitError::ParentNotCurrent)
        }
        Some(_) => Ok(()),
    }
}

/// Creates a unit and its audit row in one transaction.
pub fn insert(
    conn: &mut DbConnection,
    actor: &Actor,
    new: &NewOrgUnit,
) -> Result<OrgUnitRow, UnitError> {
    conn.transaction(|conn| {
        if let Some(parent) = &new.parent_id {
            check_parent(conn, parent)?;
        }
        let id = new_id();
        let now = now_utc();
        diesel::insert_into(org_units::table)
            .values((
                org_units::id.eq(&id),
                org_units::code.eq(&new.code),
                org_units::name.eq(&new.name),
                org_units::name_en.eq(&new.name_en),
                org_units::kind.eq(&new.kind),
                org_units::parent_id.eq(&new.parent_id),
                org_units::valid_from.eq(new.valid_from),
                org_units::name_folded.eq(fold(&new.name)),
                org_units::version.eq(1),
                org_units::created_at.eq(now),
                org_units::updated_at.eq(now),
            ))
            .execute(conn)
            .map_err(StoreError::from)?;
        let row = find(conn, &id)?;
        audit::record(
            conn,
            actor,
            "org_unit.created",
            "org_unit",
            &id,
            None,
            Some(serde_json::to_value(&row).unwrap_or_default()),
        )?;
        Ok(row)
    })
}

/// One unit by id.
pub fn find(conn: &mut DbConnection, id: &str) -> Result<OrgUnitRow, StoreError> {
    Ok(org_units::table
        .find(id)
        .select(OrgUnitRow::as_select())
        .first(conn)?)
}

/// One unit by id, or `None`.
pub fn find_optional(conn: &mut DbConnection, id: &str) -> Result<Option<OrgUnitRow>, StoreError> {
    Ok(org_units::table
        .find(id)
        .select(OrgUnitRow::as_select())
        .first(conn)
        .optional()?)
}

/// A page of units in id order.
pub fn list(conn: &mut DbConnection, f: &OrgUnitFilter) -> Result<Vec<OrgUnitRow>, StoreError> {
    let mut query = org_units::table
        .select(OrgUnitRow::as_select())
        .into_boxed();
    if let Some(kind) = &f.kind {
        query = query.filter(org_units::kind.eq(kind.clone()));
    }
    if let Some(parent) = &f.parent_id {
        query = query.filter(org_units::parent_id.eq(parent.clone()));
    }
    if let Some(q) = f.q.as_deref().map(fold).filter(|q| !q.is_empty()) {
        let pattern = format!("%{}%", escape_like(&q));
        query = query.filter(
            org_units::name_folded
                .like(pattern.clone())
                .escape('\\')
                .or(org_units::code.like(pattern).escape('\\')),
        );
    }
    if !f.include_inactive {
        if let Some(today) = f.today {
            query = query.filter(
                org_units::valid_to
                    .is_null()
                    .or(org_units::valid_to.ge(today)),
            );
        }
    }
    if let Some(after) = &f.after {
        query = query.filter(org_units::id.gt(after.clone()));
    }
    Ok(query.order(org_units::id.asc()).limit(f.limit).load(conn)?)
}

/// Escapes `%`, `_` and `\` for a LIKE pattern with `\` as escape.
pub fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Applies changes if `expected_version` is current; audits before/after.
pub fn update(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
    expected_version: Option<i32>,
    changes: &OrgUnitChanges,
) -> Result<OrgUnitRow, UnitError> {
    conn.transaction(|conn| {
        let before = find(conn, id)?;
        let expected_version = expected_version.unwrap_or(before.version);
        if before.version != expected_version {
            return Err(UnitError::Stale);
        }
        if let Some(Some(parent)) = &changes.parent_id {
            check_parent(conn, parent)?;
            if is_within(conn, parent, id)? {
                return Err(UnitError::Cycle);
            }
        }
        let name = changes.name.clone().unwrap_or_else(|| before.name.clone());
        let updated = diesel::update(
            org_units::table
                .filter(org_units::id.eq(id))
                .filter(org_units::version.eq(expected_version)),
        )
        .set((
            org_units::code.eq(changes.code.clone().unwrap_or_else(|| before.code.clone())),
            org_units::name_folded.eq(fold(&name)),
            org_units::name.eq(name),
            org_units::name_en.eq(changes
                .name_en
                .clone()
                .unwrap_or_else(|| before.name_en.clone())),
            org_units::kind.eq(changes
                .kind
                .clone()
                .unwrap_or_else(|| before.kind.as_str().to_string())),
            org_units::parent_id.eq(changes
                .parent_id
                .clone()
                .unwrap_or_else(|| before.parent_id.clone())),
            org_units::valid_from.eq(changes.valid_from.unwrap_or(before.valid_from)),
            org_units::version.eq(expected_version + 1),
            org_units::updated_at.eq(now_utc()),
        ))
        .execute(conn)
        .map_err(StoreError::from)?;
        if updated == 0 {
            return Err(UnitError::Stale);
        }
        let after = find(conn, id)?;
        audit::record(
            conn,
            actor,
            "org_unit.updated",
            "org_unit",
            id,
            Some(serde_json::to_value(&before).unwrap_or_default()),
            Some(serde_json::to_value(&after).unwrap_or_default()),
        )?;
        Ok(after)
    })
}

/// True when `unit_id` is `root_id` or one of its descendants (walks up
/// the parent chain; stops on a cycle in bad data).
pub fn is_within(
    conn: &mut DbConnection,
    unit_id: &str,
    root_id: &str,
) -> Result<bool, StoreError> {
    let mut current = Some(unit_id.to_string());
    let mut seen = HashSet::new();
    while let Some(id) = current {
        if id == root_id {
            return Ok(true);
        }
        if !seen.insert(id.clone()) {
            return Ok(false);
        }
        current = org_units::table
            .find(&id)
            .select(org_units::parent_id)
            .first::<Option<String>>(conn)
            .optional()?
            .flatten();
    }
    Ok(false)
}

/// `root_id` and all its descendants, in one recursive query.
pub fn subtree_ids(conn: &mut DbConnection, root_id: &str) -> Result<HashSet<String>, StoreError> {
    use diesel::sql_types::Text;

    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Text)]
        id: String,
    }
    // One statement whatever the depth; UNION (not UNION ALL) stops at a
    // unit already reached, so even a cycle in bad data ends.
    const SQL: &str = "WITH RECURSIVE sub(id) AS (\
        SELECT id FROM org_units WHERE id = $1 \
        UNION SELECT o.id FROM org_units o JOIN sub ON o.parent_id = sub.id) \
        SELECT id FROM sub";
    let rows: Vec<Row> = match conn {
        DbConnection::Pg(pg) => diesel::sql_query(SQL).bind::<Text, _>(root_id).load(pg)?,
        DbConnection::Sqlite(sqlite) => diesel::sql_query(SQL.replace("$1", "?"))
            .bind::<Text, _>(root_id)
            .load(sqlite)?,
    };
    let mut all: HashSet<String> = rows.into_iter().map(|r| r.id).collect();
    all.insert(root_id.to_string());
    Ok(all)
}
