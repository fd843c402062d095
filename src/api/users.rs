//! `/api/v1/users`: accounts, administrators only.

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::common::{self, double_option, ok_with_etag, Page, PageWindow};
use super::fields::{Email, Id, Name, Plain, Search};
use super::input::{Json, Query};
use super::problem::{ApiError, FieldError, Problem};
use super::validate::finish;
use crate::auth::{password, permissions, AuthUser};
use crate::domain::email::EmailAddress;
use crate::domain::user::{check_password_policy, Language, Role};
use crate::state::AppState;
use crate::store::all_or_nothing;
use crate::store::users::{self, NewUser, UserChanges, UserError, UserFilter, UserRow};

/// A user account (never the password).
#[derive(Debug, Serialize, ToSchema)]
pub struct User {
    /// Identifier.
    pub id: String,
    /// Email.
    pub email: String,
    /// The person's name.
    pub full_name: Option<String>,
    /// Role.
    pub role: Role,
    /// Scope unit (HR officers, directors).
    pub org_unit_id: Option<String>,
    /// Linked official (cadres).
    pub official_id: Option<String>,
    /// `vi` or `en`.
    pub language: Language,
    /// Disabled accounts cannot sign in.
    pub disabled: bool,
    /// Version (the ETag).
    pub version: i32,
    /// Created (UTC).
    pub created_at: DateTime<Utc>,
    /// Last changed (UTC).
    pub updated_at: DateTime<Utc>,
}

impl From<UserRow> for User {
    fn from(r: UserRow) -> Self {
        User {
            id: r.id,
            email: r.email,
            full_name: r.full_name,
            role: r.role,
            org_unit_id: r.org_unit_id,
            official_id: r.official_id,
            language: r.language,
            disabled: r.disabled,
            version: r.version,
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
        }
    }
}

/// A new account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    /// Email, unique ignoring case.
    pub email: Email,
    /// At least 12 characters, not the email.
    #[schema(min_length = 12, max_length = 1024)]
    pub password: String,
    /// The person's name (emails greet them by it).
    pub full_name: Option<Name>,
    /// Role.
    pub role: Role,
    /// Required for HR officers and directors: their scope.
    pub org_unit_id: Option<Id>,
    /// Required for cadres: the official they are.
    pub official_id: Option<Id>,
    /// Default `vi`.
    pub language: Option<Language>,
    /// Create disabled (default false).
    #[serde(default)]
    pub disabled: bool,
}

/// Changes to an account; absent fields stay as they are.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    /// New email.
    pub email: Option<Email>,
    /// New password (revokes the user's refresh tokens).
    #[schema(min_length = 12, max_length = 1024)]
    pub password: Option<String>,
    /// New name; `null` clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Name>)]
    pub full_name: Option<Option<Name>>,
    /// New role.
    pub role: Option<Role>,
    /// New scope unit; `null` clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Id>)]
    pub org_unit_id: Option<Option<Id>>,
    /// New linked official; `null` clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Id>)]
    pub official_id: Option<Option<Id>>,
    /// New language.
    pub language: Option<Language>,
    /// Disable (revokes refresh tokens) or enable.
    pub disabled: Option<bool>,
}

/// List filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Only this role.
    pub role: Option<Role>,
    /// Only users of this unit.
    pub org_unit_id: Option<Id>,
    /// Part of the email.
    pub q: Option<Search<200>>,
    /// Page size (1-500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl From<UserError> for ApiError {
    fn from(e: UserError) -> Self {
        match e {
            UserError::Stale => common::stale(),
            UserError::Invalid { field, message } => ApiError::invalid_field(field, message),
            UserError::RoleNeedsLink(m) => ApiError::PolicyViolation {
                rule: "role_needs_link".into(),
                detail: format!("{m} (rule: role_needs_link)."),
            },
            UserError::Store(e) => e.into(),
        }
    }
}

fn hash(password: &str) -> Result<String, ApiError> {
    password::hash_password(password).map_err(ApiError::Internal)
}

/// Creates an account (administrators).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    request_body = CreateUser,
    responses(
        (status = 201, body = User),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Email already used", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users")]
pub async fn create_user(
    user: AuthUser,
    state: web::Data<AppState>,
    body: Json<CreateUser>,
) -> Result<HttpResponse, ApiError> {
    let created = create(&state, user, body.into_inner()).await?;
    Ok(common::created(
        format!("/api/v1/users/{}", created.id),
        created.version,
        &created,
    ))
}

/// Creates an account (administrators): the API's `POST` and the
/// console's form.
pub(crate) async fn create(
    state: &web::Data<AppState>,
    user: AuthUser,
    body: CreateUser,
) -> Result<User, ApiError> {
    permissions::require_admin(&user)?;
    let mut errors = Vec::new();
    let email = EmailAddress::parse(&body.email)
        .map_err(|m| errors.push(FieldError::new("email", m)))
        .ok();
    if let Err(m) = check_password_policy(&body.password, &body.email) {
        errors.push(FieldError::new("password", m));
    }
    finish(errors)?;
    let Some(email) = email else {
        return Err(ApiError::invalid_field("email", "is invalid"));
    };
    let actor = user.actor();
    let password = body.password.clone();
    let password_hash = super::argon::run(move || hash(&password)).await??;
    let row = state
        .db
        .write(move |conn| {
            let new = NewUser {
                email: email.as_str().to_string(),
                email_normalized: email.normalized(),
                password_hash,
                role: body.role.as_str().to_string(),
                org_unit_id: body.org_unit_id.plain(),
                official_id: body.official_id.plain(),
                language: body.language.unwrap_or_default().as_str().to_string(),
                full_name: body.full_name.plain(),
                must_change_password: false,
            };
            // Created and disabled together, or not at all.
            all_or_nothing(conn, |conn| {
                let created = users::create(conn, &actor, &new)?;
                if !body.disabled {
                    return Ok(created);
                }
                let changes = UserChanges {
                    disabled: Some(true),
                    ..Default::default()
                };
                users::update(conn, &actor, &created.id, Some(created.version), &changes)
            })
            .map(|answer| answer.map_err(ApiError::from))
        })
        .await??;
    Ok(User::from(row))
}

/// Lists accounts (administrators).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(UserQuery),
    responses(
        (status = 200, body = Page<User>),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users")]
pub async fn list_users(
    user: AuthUser,
    state: web::Data<AppState>,
    query: Query<UserQuery>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(list(&state, user, query.into_inner()).await?))
}

/// One page of accounts, filtered (administrators): the API's list and
/// the console's users page.
pub(crate) async fn list(
    state: &web::Data<AppState>,
    user: AuthUser,
    query: UserQuery,
) -> Result<Page<User>, ApiError> {
    permissions::require_admin(&user)?;
    let window = PageWindow::parse(query.limit, query.cursor.as_deref())?;
    let filter = UserFilter {
        role: query.role.map(|r| r.as_str().to_string()),
        org_unit_id: query.org_unit_id.plain(),
        q: query.q.plain(),
        after: window.after.clone(),
        limit: window.fetch(),
    };
    let rows = state
        .db
        .read(move |conn| users::list(conn, &filter))
        .await?;
    Ok(window.page(rows, |r| r.id.clone(), User::from))
}

/// One account (administrators).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "User id")),
    responses(
        (status = 200, body = User, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users/{id}")]
pub async fn get_user(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    permissions::require_admin(&user)?;
    let id = common::parse_id(&path)?;
    let row = state.db.read(move |conn| users::find(conn, &id)).await?;
    Ok(ok_with_etag(row.version, &User::from(row)))
}

/// Changes an account (administrators); needs `If-Match`.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "User id"),
        ("If-Match" = String, Header, description = "ETag from the last GET"),
    ),
    request_body = UpdateUser,
    responses(
        (status = 200, body = User),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/users/{id}")]
pub async fn update_user(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Json<UpdateUser>,
) -> Result<HttpResponse, ApiError> {
    permissions::require_admin(&user)?;
    let id = common::parse_id(&path)?;
    let version = common::expected(&req)?.version();
    let changed = update(&state, user, id, version, body.into_inner()).await?;
    Ok(ok_with_etag(changed.version, &changed))
}

/// Changes an account seen at `version` (`None`: whatever the version),
/// administrators only: the API's `PATCH` and the console's toggle.
pub(crate) async fn update(
    state: &web::Data<AppState>,
    user: AuthUser,
    id: String,
    version: Option<i32>,
    body: UpdateUser,
) -> Result<User, ApiError> {
    permissions::require_admin(&user)?;
    let mut errors = Vec::new();
    let email = match &body.email {
        Some(e) => EmailAddress::parse(e)
            .map_err(|m| errors.push(FieldError::new("email", m)))
            .ok(),
        None => None,
    };
    if let Some(p) = &body.password {
        let against = body.email.clone().plain().unwrap_or_default();
        if let Err(m) = check_password_policy(p, &against) {
            errors.push(FieldError::new("password", m));
        }
    }
    finish(errors)?;
    if body.disabled == Some(true) && id == user.id {
        return Err(ApiError::Conflict(
            "An administrator cannot disable their own account.".into(),
        ));
    }
    if body.role.is_some_and(|r| r != Role::Admin) && id == user.id {
        return Err(ApiError::Conflict(
            "An administrator cannot give up their own role; another administrator can.".into(),
        ));
    }
    let new_password = body.password;
    let mut changes = UserChanges {
        email: email.map(|e| (e.as_str().to_string(), e.normalized())),
        password_hash: None,
        role: body.role.map(|r| r.as_str().to_string()),
        org_unit_id: body.org_unit_id.plain(),
        official_id: body.official_id.plain(),
        language: body.language.map(|l| l.as_str().to_string()),
        disabled: body.disabled,
        full_name: body.full_name.plain(),
    };
    let actor = user.actor();
    // Hashing is slow on purpose: off the HTTP workers, with no connection.
    if let Some(p) = new_password {
        changes.password_hash = Some(super::argon::run(move || hash(&p)).await??);
    }
    let row = state
        .db
        .write(move |conn| {
            Ok(users::update(conn, &actor, &id, version, &changes).map_err(ApiError::from))
        })
        .await??;
    Ok(User::from(row))
}
