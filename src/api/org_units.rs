//! `/api/v1/org-units`: the unit tree. Administrators write; every
//! signed-in user reads.

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use diesel::Connection;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::common::{self, double_option, ok_with_etag, Page, PageWindow};
use super::fields::{Code, Day, Id, Name, Plain, Search};
use super::input::{Json, Query};
use super::problem::{ApiError, FieldError, Problem};
use super::validate::{check_len, finish};
use crate::auth::{permissions, AuthUser};
use crate::domain::org_unit::UnitKind;
use crate::state::AppState;
use crate::store::merge::{self, MergeError};
use crate::store::org_units::{
    self, NewOrgUnit, OrgUnitChanges, OrgUnitFilter, OrgUnitRow, UnitError,
};
use crate::store::StoreError;

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

impl From<UnitError> for ApiError {
    fn from(e: UnitError) -> Self {
        match e {
            UnitError::UnknownParent => ApiError::invalid_field("parent_id", "names no unit"),
            UnitError::ParentNotCurrent => ApiError::PolicyViolation {
                rule: "parent_is_current".into(),
                detail: "parent_id names a unit that was merged away or closed; \
                         place the unit under its successor."
                    .into(),
            },
            UnitError::Cycle => ApiError::Conflict(
                "A unit cannot be moved under itself or one of its own descendants.".into(),
            ),
            UnitError::Stale => common::stale(),
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

/// Creates a unit (administrators).
#[utoipa::path(
    tag = "org-units",
    security(("bearer" = [])),
    request_body = CreateOrgUnit,
    responses(
        (status = 201, body = OrgUnit),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Code already used", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/org-units")]
pub async fn create_org_unit(
    user: AuthUser,
    state: web::Data<AppState>,
    body: Json<CreateOrgUnit>,
) -> Result<HttpResponse, ApiError> {
    permissions::require_admin(&user)?;
    let body = body.into_inner();
    let mut errors = Vec::new();
    let code = body.code.trim().to_string();
    check_code(&code, &mut errors);
    check_len("name", body.name.trim(), 1, 300, &mut errors);
    if let Some(en) = &body.name_en {
        check_len("name_en", en.trim(), 0, 300, &mut errors);
    }
    finish(errors)?;
    let new = NewOrgUnit {
        code,
        name: body.name.trim().to_string(),
        name_en: body
            .name_en
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        kind: body.kind.as_str().to_string(),
        parent_id: body.parent_id.plain(),
        valid_from: body.valid_from.plain().unwrap_or_else(|| state.today()),
    };
    let actor = user.actor();
    let row = state
        .db
        .write(move |conn| Ok(org_units::insert(conn, &actor, &new)))
        .await?
        .map_err(ApiError::from)?;
    Ok(common::created(
        format!("/api/v1/org-units/{}", row.id),
        row.version,
        &OrgUnit::from(row),
    ))
}

/// Lists units, current ones unless `include_inactive`.
#[utoipa::path(
    tag = "org-units",
    security(("bearer" = [])),
    params(OrgUnitQuery),
    responses(
        (status = 200, body = Page<OrgUnit>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/org-units")]
pub async fn list_org_units(
    _user: AuthUser,
    state: web::Data<AppState>,
    query: Query<OrgUnitQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let window = PageWindow::parse(query.limit, query.cursor.as_deref())?;
    Ok(HttpResponse::Ok().json(list(&state, query, window).await?))
}

/// One page of units, filtered: the API's list and the console's choices.
pub(crate) async fn list(
    state: &web::Data<AppState>,
    query: OrgUnitQuery,
    window: PageWindow,
) -> Result<Page<OrgUnit>, ApiError> {
    let filter = OrgUnitFilter {
        kind: query.kind.map(|k| k.as_str().to_string()),
        parent_id: query.parent_id.plain(),
        q: query.q.plain(),
        include_inactive: query.include_inactive,
        today: Some(state.today()),
        after: window.after.clone(),
        limit: window.fetch(),
    };
    let rows = state
        .db
        .read(move |conn| org_units::list(conn, &filter))
        .await?;
    Ok(window.page(rows, |r| r.id.clone(), OrgUnit::from))
}

/// One unit, merged-away ones included.
#[utoipa::path(
    tag = "org-units",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Unit id")),
    responses(
        (status = 200, body = OrgUnit, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/org-units/{id:[0-9a-fA-F-]+}")]
pub async fn get_org_unit(
    _user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    let row = state
        .db
        .read(move |conn| org_units::find(conn, &id))
        .await?;
    Ok(ok_with_etag(row.version, &OrgUnit::from(row)))
}

/// Changes a unit (administrators); needs `If-Match`.
#[utoipa::path(
    tag = "org-units",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Unit id"),
        ("If-Match" = String, Header, description = "ETag from the last GET"),
    ),
    request_body = UpdateOrgUnit,
    responses(
        (status = 200, body = OrgUnit),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Cycle or duplicate code", body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/org-units/{id:[0-9a-fA-F-]+}")]
pub async fn update_org_unit(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Json<UpdateOrgUnit>,
) -> Result<HttpResponse, ApiError> {
    permissions::require_admin(&user)?;
    let id = common::parse_id(&path)?;
    let version = common::expected(&req)?.version();
    let body = body.into_inner();
    let mut errors = Vec::new();
    if let Some(code) = &body.code {
        check_code(code.trim(), &mut errors);
    }
    if let Some(name) = &body.name {
        check_len("name", name.trim(), 1, 300, &mut errors);
    }
    finish(errors)?;
    let changes = OrgUnitChanges {
        code: body.code.map(|s| s.trim().to_string()),
        name: body.name.map(|s| s.trim().to_string()),
        name_en: body
            .name_en
            .map(|o| o.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())),
        kind: body.kind.map(|k| k.as_str().to_string()),
        parent_id: body.parent_id.plain(),
        valid_from: body.valid_from.plain(),
    };
    let actor = user.actor();
    let row = state
        .db
        .write(move |conn| Ok(org_units::update(conn, &actor, &id, version, &changes)))
        .await?
        .map_err(ApiError::from)?;
    Ok(ok_with_etag(row.version, &OrgUnit::from(row)))
}

/// A merge request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    /// Units that cease to exist.
    #[schema(min_items = 1, max_items = 100)]
    pub source_ids: Vec<Id>,
    /// The unit they merge into.
    pub target_id: Id,
    /// First day of the merged unit; sources end the day before.
    pub effective_date: Day,
}

/// What a merge did.
#[derive(Debug, Serialize, ToSchema)]
pub struct MergeResponse {
    /// The target after the merge.
    pub target: OrgUnit,
    /// Secondments not yet ended that now point at the target.
    pub moved_secondments: usize,
    /// Officials whose home unit is now the target.
    pub moved_officials: usize,
    /// Child units now under the target.
    pub moved_children: usize,
}

/// Merges units into another as of a date, in one transaction
/// (administrators).
#[utoipa::path(
    tag = "org-units",
    security(("bearer" = [])),
    request_body = MergeRequest,
    responses(
        (status = 200, body = MergeResponse),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Into itself or a descendant, already merged, or target not current", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/org-units/merge")]
pub async fn merge_org_units(
    user: AuthUser,
    state: web::Data<AppState>,
    body: Json<MergeRequest>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(merge(&state, user, body.into_inner()).await?))
}

/// Merges units as the request asks (administrators): the API's merge and
/// the console's confirmed merge.
pub(crate) async fn merge(
    state: &web::Data<AppState>,
    user: AuthUser,
    b: MergeRequest,
) -> Result<MergeResponse, ApiError> {
    permissions::require_admin(&user)?;
    let actor = user.actor();
    let outcome = state
        .db
        .write(move |conn| {
            Ok(merge::merge(
                conn,
                &actor,
                &b.source_ids.plain(),
                &b.target_id,
                b.effective_date.plain(),
            ))
        })
        .await?
        .map_err(ApiError::from)?;
    Ok(MergeResponse::from(outcome))
}

/// What [`merge`] would move, changing nothing (administrators): the
/// merge itself runs, with its every check, inside a transaction that is
/// then rolled back, so the preview refuses what the merge would refuse
/// and counts what it would move. The console shows it before the merge
/// is confirmed.
pub(crate) async fn merge_preview(
    state: &web::Data<AppState>,
    user: AuthUser,
    b: MergeRequest,
) -> Result<MergeResponse, ApiError> {
    permissions::require_admin(&user)?;
    let actor = user.actor();
    let outcome = state
        .db
        .write(move |conn| {
            let mut outcome = None;
            let undone = conn.transaction::<(), diesel::result::Error, _>(|conn| {
                outcome = Some(merge::merge(
                    conn,
                    &actor,
                    &b.source_ids.plain(),
                    &b.target_id,
                    b.effective_date.plain(),
                ));
                Err(diesel::result::Error::RollbackTransaction)
            });
            match undone {
                Ok(()) | Err(diesel::result::Error::RollbackTransaction) => {}
                Err(e) => return Err(e.into()),
            }
            outcome.ok_or_else(|| StoreError::Internal("the merge preview did not run".into()))
        })
        .await?
        .map_err(ApiError::from)?;
    Ok(MergeResponse::from(outcome))
}

impl From<merge::MergeOutcome> for MergeResponse {
    fn from(outcome: merge::MergeOutcome) -> Self {
        MergeResponse {
            target: OrgUnit::from(outcome.target),
            moved_secondments: outcome.moved_secondments,
            moved_officials: outcome.moved_officials,
            moved_children: outcome.moved_children,
        }
    }
}

impl From<MergeError> for ApiError {
    fn from(e: MergeError) -> Self {
        match e {
            MergeError::NoSources => {
                ApiError::invalid_field("source_ids", "must name at least one unit")
            }
            MergeError::UnknownUnit(id) => ApiError::UnknownReference {
                field: "source_ids".into(),
                message: format!("{id} names no unit"),
            },
            MergeError::TooEarly(code) => ApiError::invalid_field(
                "effective_date",
                format!("must be after the first day of unit {code}"),
            ),
            MergeError::Store(e) => e.into(),
            other => ApiError::Conflict(format!("{other}.")),
        }
    }
}
