//! `/api/v1/officials`: the registry of officials (HR officers in their
//! scope, administrators everywhere).

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::common::{self, double_option, ok_with_etag, Page, PageWindow};
use super::fields::{Code, Day, Email, Id, Line, Name, Plain, Search};
use super::input::{Json, Query};
use super::problem::{ApiError, FieldError, Problem};
use super::validate::{check_len, finish};
use super::{export, list_exports};
use crate::auth::permissions::Scope;
use crate::auth::AuthUser;
use crate::domain::email::EmailAddress;
use crate::domain::official::query_words;
use crate::domain::user::{Language, Role};
use crate::state::AppState;
use crate::store::officials::{self, OfficialError, OfficialFields, OfficialFilter, OfficialRow};
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
    /// The response for a caller; `protected_until` only for HR and admins.
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

impl From<OfficialError> for ApiError {
    fn from(e: OfficialError) -> Self {
        match e {
            OfficialError::UnknownUnit => ApiError::invalid_field("home_unit_id", "names no unit"),
            OfficialError::UnitNotCurrent => ApiError::invalid_field(
                "home_unit_id",
                "names a unit that was merged away or closed",
            ),
            OfficialError::Stale => common::stale(),
            OfficialError::Store(e) => e.into(),
        }
    }
}

fn require_registry_role(user: &AuthUser) -> Result<(), ApiError> {
    Ok(user.require_role(&[Role::Admin, Role::HrOfficer])?)
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

/// Loads an official the caller may see, or 404.
fn visible_official(
    conn: &mut DbConnection,
    user: &AuthUser,
    id: &str,
) -> Result<Result<(OfficialRow, Scope), ApiError>, StoreError> {
    let row = match officials::find(conn, id) {
        Ok(r) => r,
        Err(StoreError::NotFound) => {
            return Ok(Err(ApiError::NotFound(
                "The resource does not exist.".into(),
            )))
        }
        Err(e) => return Err(e),
    };
    let scope = super::caller::scope_of(conn, user)?;
    if !scope.contains(&row.home_unit_id) {
        return Ok(Err(ApiError::NotFound(
            "The resource does not exist.".into(),
        )));
    }
    Ok(Ok((row, scope)))
}

/// Creates an official.
#[utoipa::path(
    tag = "officials",
    security(("bearer" = [])),
    request_body = CreateOfficial,
    responses(
        (status = 201, body = Official),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not HR or admin, or the home unit is outside the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Staff code or email already used", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/officials")]
pub async fn create_official(
    user: AuthUser,
    state: web::Data<AppState>,
    body: Json<CreateOfficial>,
) -> Result<HttpResponse, ApiError> {
    let official = create(&state, user, body.into_inner()).await?;
    Ok(common::created(
        format!("/api/v1/officials/{}", official.id),
        official.version,
        &official,
    ))
}

/// Adds an official to the registry: the API's `POST` and the console's form.
pub(crate) async fn create(
    state: &web::Data<AppState>,
    user: AuthUser,
    b: CreateOfficial,
) -> Result<Official, ApiError> {
    require_registry_role(&user)?;
    let mut errors = Vec::new();
    let staff_code = b.staff_code.trim().to_string();
    let full_name = b.full_name.trim().to_string();
    check_text_fields(Some(&staff_code), Some(&full_name), &mut errors);
    let email = EmailAddress::parse(&b.email)
        .map_err(|m| errors.push(FieldError::new("email", m)))
        .ok();
    finish(errors)?;
    let Some(email) = email else {
        return Err(ApiError::invalid_field("email", "is invalid"));
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
    let actor = user.actor();
    let role = user.role;
    let row = state
        .db
        .write(move |conn| {
            let scope = super::caller::scope_of(conn, &user)?;
            if org_units::find_optional(conn, &fields.home_unit_id)?.is_some()
                && !scope.contains(&fields.home_unit_id)
            {
                return Ok(Err(ApiError::Forbidden(
                    "The home unit is outside your scope.".into(),
                )));
            }
            Ok(officials::insert(conn, &actor, &fields).map_err(ApiError::from))
        })
        .await??;
    Ok(Official::for_role(row, role))
}

/// Lists and searches officials in the caller's scope. With `Accept:
/// text/csv` (or the XLSX media type) the whole filtered list comes as one
/// file, `limit` and `cursor` ignored; columns in docs/api.md.
#[utoipa::path(
    tag = "officials",
    security(("bearer" = [])),
    params(OfficialQuery),
    responses(
        (status = 200, description = "A page, or the whole list as a file", content(
            (Page<Official> = "application/json"),
            (String = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/officials")]
pub async fn list_officials(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    query: Query<OfficialQuery>,
) -> Result<HttpResponse, ApiError> {
    require_registry_role(&user)?;
    let q = query.into_inner();
    let window = PageWindow::parse(q.limit, q.cursor.as_deref())?;
    let format = export::negotiate(&req);
    if format == export::Format::Json {
        return Ok(HttpResponse::Ok().json(list(&state, user, q, window).await?));
    }
    let mut filter = OfficialFilter {
        words: q.q.as_deref().map(query_words).unwrap_or_default(),
        home_units: None,
        after: None,
        limit: window.fetch(),
    };
    let filter = state
        .db
        .read(move |conn| {
            filter.home_units = home_units(conn, &user, q.home_unit_id)?;
            Ok(filter)
        })
        .await?;
    let rows = list_exports::officials(filter);
    export::respond(state, format, "officials", list_exports::OFFICIALS, rows).await
}

/// One page of the officials in the caller's scope, searched: the API's
/// list and the console's.
pub(crate) async fn list(
    state: &web::Data<AppState>,
    user: AuthUser,
    q: OfficialQuery,
    window: PageWindow,
) -> Result<Page<Official>, ApiError> {
    require_registry_role(&user)?;
    let role = user.role;
    let mut filter = OfficialFilter {
        words: q.q.as_deref().map(query_words).unwrap_or_default(),
        home_units: None,
        after: window.after.clone(),
        limit: window.fetch(),
    };
    let rows = state
        .db
        .lagging(move |conn| {
            filter.home_units = home_units(conn, &user, q.home_unit_id)?;
            officials::list(conn, &filter)
        })
        .await?;
    Ok(window.page(rows, |r| r.id.clone(), |r| Official::for_role(r, role)))
}

/// The home units a list may show: the caller's scope, narrowed to the
/// `home_unit_id` filter's subtree (`None`: all).
fn home_units(
    conn: &mut DbConnection,
    user: &AuthUser,
    filter_unit: Option<Id>,
) -> Result<Option<Vec<String>>, StoreError> {
    let scope = super::caller::scope_of(conn, user)?;
    let filter_units = match &filter_unit {
        Some(unit) => Some(org_units::subtree_ids(conn, unit)?),
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

/// One official.
#[utoipa::path(
    tag = "officials",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Official id")),
    responses(
        (status = 200, body = Official, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/officials/{id:[0-9a-fA-F-]+}")]
pub async fn get_official(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    // The role first, as before the id: a cadre learns nothing from ids.
    require_registry_role(&user)?;
    let official = find(&state, user, common::parse_id(&path)?).await?;
    Ok(ok_with_etag(official.version, &official))
}

/// One official in the caller's scope: the API's `GET` and the console's
/// edit page.
pub(crate) async fn find(
    state: &web::Data<AppState>,
    user: AuthUser,
    id: String,
) -> Result<Official, ApiError> {
    require_registry_role(&user)?;
    let role = user.role;
    let (row, _) = state
        .db
        .read(move |conn| visible_official(conn, &user, &id))
        .await??;
    Ok(Official::for_role(row, role))
}

/// Changes an official; needs `If-Match`.
#[utoipa::path(
    tag = "officials",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Official id"),
        ("If-Match" = String, Header, description = "ETag from the last GET"),
    ),
    request_body = UpdateOfficial,
    responses(
        (status = 200, body = Official),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/officials/{id:[0-9a-fA-F-]+}")]
pub async fn update_official(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Json<UpdateOfficial>,
) -> Result<HttpResponse, ApiError> {
    require_registry_role(&user)?;
    let id = common::parse_id(&path)?;
    let version = common::expected(&req)?.version();
    let official = update(&state, user, id, version, body.into_inner()).await?;
    Ok(ok_with_etag(official.version, &official))
}

/// Changes an official seen at `version` (`None`: whatever the version):
/// the API's `PATCH` and the console's edit form.
pub(crate) async fn update(
    state: &web::Data<AppState>,
    user: AuthUser,
    id: String,
    version: Option<i32>,
    b: UpdateOfficial,
) -> Result<Official, ApiError> {
    require_registry_role(&user)?;
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
    let actor = user.actor();
    let role = user.role;
    let row = state
        .db
        .write(move |conn| {
            let (_, scope) = match visible_official(conn, &user, &id)? {
                Ok(found) => found,
                Err(e) => return Ok(Err(e)),
            };
            if let Some(unit) = &b.home_unit_id {
                if org_units::find_optional(conn, unit)?.is_some() && !scope.contains(unit) {
                    return Ok(Err(ApiError::Forbidden(
                        "The new home unit is outside your scope.".into(),
                    )));
                }
            }
            let result = officials::update(conn, &actor, &id, version, |f| {
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
            });
            Ok(result.map_err(ApiError::from))
        })
        .await??;
    Ok(Official::for_role(row, role))
}
