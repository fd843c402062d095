//! `/api/v1/secondments`: create, list, read, change.

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::common::{self, double_option, ok_with_etag, Page, PageWindow};
use super::fields::{Comment, Day, Id, LongText, Name, Plain, Prose, Reference, Search};
use super::input::{Json, Query};
use super::problem::{ApiError, FieldError, Problem};
use super::refs::{OfficialRef, Refs, UnitRef, UserRef};
use super::validate::{check_len, finish};
use super::{export, list_exports};
use crate::auth::permissions::Viewer;
use crate::auth::AuthUser;
use crate::domain::secondment::{Ground, Kind, Status};
use crate::domain::user::Role;
use crate::state::AppState;
use crate::store::names::{Names, Wanted};
use crate::store::secondment_details::{self, Details};
use crate::store::secondments::{
    self, ApprovalRow, SecondmentError, SecondmentFields, SecondmentFilter, SecondmentRow,
};
use crate::store::{all_or_nothing, officials, org_units, DbConnection, StoreError};

/// The consultation of the official before the proposal.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Consultation {
    /// When the sending head met the official.
    pub held_on: Day,
    /// The official's opinion as recorded.
    pub note: Option<Comment>,
}

/// One side's decision.
#[derive(Debug, Serialize, ToSchema)]
pub struct Approval {
    /// `home` or `host`.
    pub side: crate::domain::approval::Side,
    /// `approved` or `rejected`.
    pub decision: crate::domain::approval::Decision,
    /// `proposal` or `extension`.
    pub request_kind: crate::domain::approval::RequestKind,
    /// The extension decided, for extension approvals.
    pub request_id: String,
    /// The director's comment.
    pub comment: Option<String>,
    /// Who decided.
    pub decided_by: UserRef,
    /// The director they stood in for.
    pub on_behalf_of: Option<UserRef>,
    /// When it was recorded (UTC, the server's clock).
    pub decided_at: DateTime<Utc>,
    /// The day of the decision, as stated by the director.
    pub decided_on: Option<NaiveDate>,
}

impl Approval {
    /// The decision with its people named.
    pub fn named(a: ApprovalRow, names: &Names) -> Self {
        Approval {
            decided_by: names.user_ref(&a.decided_by),
            on_behalf_of: a.on_behalf_of.as_deref().map(|u| names.user_ref(u)),
            side: a.side,
            decision: a.decision,
            request_kind: a.request_kind,
            request_id: a.request_id,
            comment: a.comment,
            decided_at: a.decided_at.and_utc(),
            decided_on: a.decided_on,
        }
    }
}

/// A secondment or rotation.
#[derive(Debug, Serialize, ToSchema)]
pub struct Secondment {
    /// Identifier.
    pub id: String,
    /// `secondment` or `rotation`.
    pub kind: Kind,
    /// The official's id.
    pub official_id: String,
    /// The official, named.
    pub official: OfficialRef,
    /// Home unit's id.
    pub home_unit_id: String,
    /// Home unit, named.
    pub home_unit: UnitRef,
    /// Host unit's id.
    pub host_unit_id: String,
    /// Host unit, named.
    pub host_unit: UnitRef,
    /// `central_to_local`, `local_to_central` or `lateral` (derived).
    pub direction: crate::domain::secondment::Direction,
    /// `urgent_task` or `fixed_term_task`.
    pub ground: Ground,
    /// Post at the host.
    pub position_title: String,
    /// What the official is to do.
    pub mandate: String,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day (planned, possibly extended), inclusive.
    pub end_date: NaiveDate,
    /// Last day as first planned.
    pub original_end_date: NaiveDate,
    /// Last day actually served.
    pub actual_end_date: Option<NaiveDate>,
    /// Status.
    pub status: Status,
    /// The written agreement between the agencies.
    pub agreement_ref: Option<String>,
    /// The consultation with the official.
    pub consultation: Option<Consultation>,
    /// Number of the secondment decision.
    pub decision_ref: Option<String>,
    /// Decision allowing a shorter rotation.
    pub exception_ref: Option<String>,
    /// The post the official returns to.
    pub return_arrangement: Option<String>,
    /// Why it was cancelled or terminated.
    pub end_reason: Option<String>,
    /// Version (the ETag).
    pub version: i32,
    /// Created (UTC).
    pub created_at: DateTime<Utc>,
    /// Last changed (UTC).
    pub updated_at: DateTime<Utc>,
    /// Decisions so far (single reads).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approvals: Option<Vec<Approval>>,
    /// The extension request waiting for decisions, or `null` (single reads).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<super::extensions::Extension>)]
    pub pending_extension: Option<Option<super::extensions::Extension>>,
    /// The host's final evaluation, or `null` (single reads).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<super::outcomes::Evaluation>)]
    pub evaluation: Option<Option<super::outcomes::Evaluation>>,
    /// What the caller may do next (`GET /secondments/{id}`; decision 0042).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actions: Option<crate::domain::actions::Actions>,
}

/// Asks for the names a secondment refers to.
pub fn want_names(r: &SecondmentRow, wanted: &mut Wanted) {
    wanted
        .official(&r.official_id)
        .unit(&r.home_unit_id)
        .unit(&r.host_unit_id);
}

impl Secondment {
    /// The list representation: the record with its official and units
    /// named.
    pub fn named(r: SecondmentRow, names: &Names) -> Self {
        Secondment {
            official: names.official_ref(&r.official_id),
            home_unit: names.unit_ref(&r.home_unit_id),
            host_unit: names.unit_ref(&r.host_unit_id),
            consultation: r.consultation_held_on.map(|held_on| Consultation {
                held_on: Day(held_on),
                note: r.consultation_note.clone().map(Prose),
            }),
            id: r.id,
            kind: r.kind,
            official_id: r.official_id,
            home_unit_id: r.home_unit_id,
            host_unit_id: r.host_unit_id,
            direction: r.direction,
            ground: r.ground,
            position_title: r.position_title,
            mandate: r.mandate,
            start_date: r.start_date,
            end_date: r.end_date,
            original_end_date: r.original_end_date,
            actual_end_date: r.actual_end_date,
            status: r.status,
            agreement_ref: r.agreement_ref,
            decision_ref: r.decision_ref,
            exception_ref: r.exception_ref,
            return_arrangement: r.return_arrangement,
            end_reason: r.end_reason,
            version: r.version,
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
            approvals: None,
            pending_extension: None,
            evaluation: None,
            actions: None,
        }
    }
}

/// A new secondment (created as a draft).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSecondment {
    /// Default `secondment`.
    #[serde(default)]
    pub kind: Kind,
    /// The official.
    pub official_id: Id,
    /// Default: the official's home unit.
    pub home_unit_id: Option<Id>,
    /// The receiving unit.
    pub host_unit_id: Id,
    /// Legal ground.
    pub ground: Ground,
    /// Post at the host.
    pub position_title: Name,
    /// What the official is to do.
    #[serde(default)]
    pub mandate: LongText,
    /// First day.
    pub start_date: Day,
    /// Last day, inclusive.
    pub end_date: Day,
    /// The written agreement (required before submit).
    pub agreement_ref: Option<Reference>,
    /// The consultation (required before submit).
    pub consultation: Option<Consultation>,
    /// For a rotation shorter than the minimum.
    pub exception_ref: Option<Reference>,
}

/// Changes; absent fields stay. Dates, units and kind only in draft;
/// `return_arrangement` only once completed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateSecondment {
    /// Kind.
    pub kind: Option<Kind>,
    /// Home unit.
    pub home_unit_id: Option<Id>,
    /// Host unit.
    pub host_unit_id: Option<Id>,
    /// Ground.
    pub ground: Option<Ground>,
    /// Post title.
    pub position_title: Option<Name>,
    /// Mandate.
    pub mandate: Option<LongText>,
    /// First day.
    pub start_date: Option<Day>,
    /// Last day.
    pub end_date: Option<Day>,
    /// Agreement.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Reference>)]
    pub agreement_ref: Option<Option<Reference>>,
    /// Consultation.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Consultation>)]
    pub consultation: Option<Option<Consultation>>,
    /// Exception decision.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Reference>)]
    pub exception_ref: Option<Option<Reference>>,
    /// The post the official returns to (not lower than before).
    pub return_arrangement: Option<Comment>,
}

/// List filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SecondmentQuery {
    /// Only this status.
    pub status: Option<Status>,
    /// Only this official.
    pub official_id: Option<Id>,
    /// Home unit or any of its descendants.
    pub home_unit_id: Option<Id>,
    /// Host unit or any of its descendants.
    pub host_unit_id: Option<Id>,
    /// Running on this day.
    pub active_on: Option<Day>,
    /// Ending on or after.
    pub ending_after: Option<Day>,
    /// Ending on or before.
    pub ending_before: Option<Day>,
    /// The official's name, staff code or email.
    pub q: Option<Search<200>>,
    /// Page size (1-500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Maps store refusals to problems.
impl From<SecondmentError> for ApiError {
    fn from(e: SecondmentError) -> Self {
        match e {
            SecondmentError::NotFound => ApiError::NotFound("The resource does not exist.".into()),
            SecondmentError::Invalid { field, message } => ApiError::invalid_field(field, message),
            SecondmentError::Policy(v) => ApiError::policy(vec![v]),
            SecondmentError::Policies(broken) => ApiError::policy(broken),
            SecondmentError::Conflict(m) => ApiError::Conflict(m),
            SecondmentError::Transition { from, action } => {
                ApiError::InvalidTransition(format!("Cannot {action} a secondment that is {from}."))
            }
            SecondmentError::Forbidden(m) => ApiError::Forbidden(m),
            SecondmentError::Stale => common::stale(),
            SecondmentError::Store(e) => e.into(),
        }
    }
}

fn trimmed(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// The full representation: names, decisions, the pending extension
/// and the evaluation.
pub fn full(conn: &mut DbConnection, id: &str) -> Result<Secondment, StoreError> {
    Ok(detailed(secondment_details::details(conn, id)?))
}

/// The single-resource representation from what the store read.
fn detailed(d: Details) -> Secondment {
    let names = d.names;
    let mut out = Secondment::named(d.row, &names);
    out.approvals = Some(
        d.approvals
            .into_iter()
            .map(|a| Approval::named(a, &names))
            .collect(),
    );
    out.pending_extension = Some(
        d.pending
            .map(|e| super::extensions::Extension::named(e, &names)),
    );
    out.evaluation = Some(
        d.evaluation
            .map(|e| super::outcomes::Evaluation::named(e, &names)),
    );
    out
}

/// List items: each record with its names, read in one batch.
pub fn named_rows(
    conn: &mut DbConnection,
    rows: Vec<SecondmentRow>,
) -> Result<Vec<(String, Secondment)>, StoreError> {
    let mut wanted = Wanted::default();
    for r in &rows {
        want_names(r, &mut wanted);
    }
    let names = wanted.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| (r.id.clone(), Secondment::named(r, &names)))
        .collect())
}

/// Creates a draft (HR officers in the scope of the home or host unit,
/// administrators).
#[utoipa::path(
    tag = "secondments",
    security(("bearer" = [])),
    request_body = CreateSecondment,
    responses(
        (status = 201, body = Secondment),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Overlaps another open secondment of the official", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid field or policy violation (the rule is named)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/secondments")]
pub async fn create_secondment(
    user: AuthUser,
    state: web::Data<AppState>,
    body: Json<CreateSecondment>,
) -> Result<HttpResponse, ApiError> {
    let row = create(&state, user, body.into_inner()).await?;
    Ok(common::created(
        format!("/api/v1/secondments/{}", row.id),
        row.version,
        &row,
    ))
}

/// Creates a draft: the API's `POST /secondments` and the console's form.
pub(crate) async fn create(
    state: &web::Data<AppState>,
    user: AuthUser,
    b: CreateSecondment,
) -> Result<Secondment, ApiError> {
    user.require_role(&[Role::Admin, Role::HrOfficer])?;
    let mut errors = Vec::new();
    check_len(
        "position_title",
        b.position_title.trim(),
        1,
        300,
        &mut errors,
    );
    check_len("mandate", b.mandate.trim(), 0, 10_000, &mut errors);
    finish(errors)?;
    let actor = user.actor();
    let policy = state.settings.policy.rules();
    state
        .db
        .write(move |conn| {
            let viewer = super::caller::viewer(conn, &user)?;
            let home_unit_id = match b.home_unit_id {
                Some(h) => h.plain(),
                None => match officials::find(conn, &b.official_id) {
                    Ok(o) => o.home_unit_id,
                    Err(StoreError::NotFound) => {
                        return Ok(Err(ApiError::invalid_field(
                            "official_id",
                            "names no official",
                        )))
                    }
                    Err(e) => return Err(e),
                },
            };
            if !viewer.scope.contains(&home_unit_id) && !viewer.scope.contains(&b.host_unit_id) {
                return Ok(Err(ApiError::Forbidden(
                    "Neither the home nor the host unit is in your scope.".into(),
                )));
            }
            let fields = SecondmentFields {
                kind: b.kind,
                home_unit_id,
                host_unit_id: b.host_unit_id.plain(),
                ground: b.ground.as_str().to_string(),
                position_title: b.position_title.trim().to_string(),
                mandate: b.mandate.trim().to_string(),
                start_date: b.start_date.plain(),
                end_date: b.end_date.plain(),
                agreement_ref: trimmed(b.agreement_ref.plain()),
                consultation_held_on: b.consultation.as_ref().map(|c| c.held_on).plain(),
                consultation_note: b.consultation.and_then(|c| trimmed(c.note.plain())),
                exception_ref: trimmed(b.exception_ref.plain()),
            };
            let created = secondments::create(conn, &actor, &policy, &b.official_id, &fields)
                .map_err(ApiError::from);
            Ok(match created {
                Ok(row) => full(conn, &row.id).map_err(ApiError::from),
                Err(e) => Err(e),
            })
        })
        .await?
}

/// Lists the secondments the caller may see. With `Accept: text/csv` (or
/// the XLSX media type) the whole filtered list comes as one file, every
/// page, `limit` and `cursor` ignored; columns in docs/api.md.
#[utoipa::path(
    tag = "secondments",
    security(("bearer" = [])),
    params(SecondmentQuery),
    responses(
        (status = 200, description = "A page, or the whole list as a file", content(
            (Page<Secondment> = "application/json"),
            (String = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/secondments")]
pub async fn list_secondments(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    query: Query<SecondmentQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let window = PageWindow::parse(q.limit, q.cursor.as_deref())?;
    let format = export::negotiate(&req);
    if format != export::Format::Json {
        return export_file(state, user, q, format).await;
    }
    let page = list(&state, user, q, window).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// The whole filtered list as one CSV or XLSX file: the API's list with
/// `Accept: text/csv` and the console's export buttons.
pub(crate) async fn export_file(
    state: web::Data<AppState>,
    user: AuthUser,
    q: SecondmentQuery,
    format: export::Format,
) -> Result<HttpResponse, ApiError> {
    let (viewer, filter) = state
        .db
        .read(move |conn| list_filter(conn, &user, q, None, 0))
        .await?;
    let rows = list_exports::secondments(viewer, filter);
    export::respond(
        state,
        format,
        "secondments",
        list_exports::SECONDMENTS,
        rows,
    )
    .await
}

/// One page of the secondments the caller may see, filtered: the API's
/// list and the console's.
pub(crate) async fn list(
    state: &web::Data<AppState>,
    user: AuthUser,
    q: SecondmentQuery,
    window: PageWindow,
) -> Result<Page<Secondment>, ApiError> {
    let (after, limit) = (window.after.clone(), window.fetch());
    let rows = state
        .db
        .lagging(move |conn| {
            let (viewer, filter) = list_filter(conn, &user, q, after, limit)?;
            let rows = secondments::list(conn, &viewer, &filter)?;
            named_rows(conn, rows)
        })
        .await?;
    Ok(window.page(rows, |(id, _)| id.clone(), |(_, s)| s))
}

/// The caller as a viewer and the query as a filter (unit filters
/// widened to their subtrees).
fn list_filter(
    conn: &mut DbConnection,
    user: &AuthUser,
    q: SecondmentQuery,
    after: Option<String>,
    limit: i64,
) -> Result<(Viewer, SecondmentFilter), StoreError> {
    let viewer = super::caller::viewer(conn, user)?;
    let subtree = |conn: &mut DbConnection, unit: Option<String>| match unit {
        Some(u) => org_units::subtree_ids(conn, &u).map(|s| Some(s.into_iter().collect())),
        None => Ok(None),
    };
    let filter = SecondmentFilter {
        status: q.status.map(|s| s.as_str().to_string()),
        official_id: q.official_id.plain(),
        home_units: subtree(conn, q.home_unit_id.plain())?,
        host_units: subtree(conn, q.host_unit_id.plain())?,
        active_on: q.active_on.plain(),
        ending_after: q.ending_after.plain(),
        ending_before: q.ending_before.plain(),
        q: q.q.plain(),
        after,
        limit,
    };
    Ok((viewer, filter))
}

/// One secondment, with its official and decisions.
#[utoipa::path(
    tag = "secondments",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Secondment id")),
    responses(
        (status = 200, body = Secondment, headers(("ETag" = String, description = "Version for If-Match"))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/secondments/{id}")]
pub async fn get_secondment(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let body = find(&state, user, common::parse_id(&path)?).await?;
    Ok(ok_with_etag(body.version, &body))
}

/// One secondment the caller may see, with its decisions (404 when it is
/// not theirs to see): the API's `GET` and the console's page.
pub(crate) async fn find(
    state: &web::Data<AppState>,
    user: AuthUser,
    id: String,
) -> Result<Secondment, ApiError> {
    let today = state.today();
    let sides = state.settings.policy.approval_sides.clone();
    state
        .db
        .read(move |conn| {
            let viewer = super::caller::viewer(conn, &user)?;
            let d = match secondment_details::find_visible(conn, &viewer, &id) {
                Ok(d) => d,
                Err(e) => return Ok(Err(ApiError::from(e))),
            };
            let decider = super::allowed::decider_if_needed(conn, viewer, &user, &d, today)?;
            let actions = super::allowed::of_secondment(&decider, &sides, &d);
            let mut out = detailed(d);
            out.actions = Some(actions);
            Ok(Ok(out))
        })
        .await?
}

/// Changes a secondment (HR officers, administrators); needs `If-Match`.
#[utoipa::path(
    tag = "secondments",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "Secondment id"),
        ("If-Match" = String, Header, description = "ETag from the last GET"),
    ),
    request_body = UpdateSecondment,
    responses(
        (status = 200, body = Secondment),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/secondments/{id}")]
pub async fn update_secondment(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Json<UpdateSecondment>,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    let version = common::expected(&req)?.version();
    let body = update(&state, user, id, version, body.into_inner()).await?;
    Ok(ok_with_etag(body.version, &body))
}

/// Changes a secondment seen at `version` (`None`: whatever the version):
/// the API's `PATCH` and the console's forms (a draft's fields, the return
/// arrangement).
pub(crate) async fn update(
    state: &web::Data<AppState>,
    user: AuthUser,
    id: String,
    version: Option<i32>,
    b: UpdateSecondment,
) -> Result<Secondment, ApiError> {
    let mut errors: Vec<FieldError> = Vec::new();
    if let Some(t) = &b.position_title {
        check_len("position_title", t.trim(), 1, 300, &mut errors);
    }
    finish(errors)?;
    let actor = user.actor();
    let policy = state.settings.policy.rules();
    state
        .db
        .write(move |conn| {
            let viewer = super::caller::viewer(conn, &user)?;
            if let Err(e) = secondments::find_visible(conn, &viewer, &id) {
                return Ok(Err(ApiError::from(e)));
            }
            if !matches!(user.role, Role::Admin | Role::HrOfficer) {
                return Ok(Err(ApiError::Forbidden(
                    "Only HR officers and administrators change secondments.".into(),
                )));
            }
            let scope = viewer.scope.clone();
            let may_place = move |f: &SecondmentFields| {
                scope.contains(&f.home_unit_id) || scope.contains(&f.host_unit_id)
            };
            let updated =
                secondments::update(conn, &actor, &policy, &id, version, &may_place, |f, ret| {
                    if let Some(v) = b.kind {
                        f.kind = v;
                    }
                    if let Some(v) = b.home_unit_id {
                        f.home_unit_id = v.plain();
                    }
                    if let Some(v) = b.host_unit_id {
                        f.host_unit_id = v.plain();
                    }
                    if let Some(v) = b.ground {
                        f.ground = v.as_str().to_string();
                    }
                    if let Some(v) = b.position_title {
                        f.position_title = v.trim().to_string();
                    }
                    if let Some(v) = b.mandate {
                        f.mandate = v.trim().to_string();
                    }
                    if let Some(v) = b.start_date {
                        f.start_date = v.plain();
                    }
                    if let Some(v) = b.end_date {
                        f.end_date = v.plain();
                    }
                    if let Some(v) = b.agreement_ref {
                        f.agreement_ref = trimmed(v.plain());
                    }
                    if let Some(v) = b.consultation {
                        f.consultation_held_on = v.as_ref().map(|c| c.held_on).plain();
                        f.consultation_note = v.and_then(|c| trimmed(c.note.plain()));
                    }
                    if let Some(v) = b.exception_ref {
                        f.exception_ref = trimmed(v.plain());
                    }
                    if let Some(v) = b.return_arrangement {
                        *ret = trimmed(Some(v.plain()));
                    }
                });
            Ok(match updated {
                Ok(row) => full(conn, &row.id).map_err(ApiError::from),
                Err(e) => Err(ApiError::from(e)),
            })
        })
        .await?
}

/// Runs store work as a decider on `today` (delegations included).
pub async fn as_decider<T, F>(
    state: &web::Data<AppState>,
    user: AuthUser,
    f: F,
) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection, &AuthUser, &secondments::Viewer) -> Result<T, SecondmentError>
        + Send
        + 'static,
{
    let today = state.today();
    state
        .db
        .write(move |conn| {
            let viewer = super::caller::decider(conn, &user, today)?;
            Ok(all_or_nothing(conn, |conn| f(conn, &user, &viewer))?.map_err(ApiError::from))
        })
        .await?
}

/// Runs store work that writes as the caller (with their viewer), as one
/// unit of work, and maps refusals.
pub async fn as_viewer<T, F>(
    state: &web::Data<AppState>,
    user: AuthUser,
    f: F,
) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection, &AuthUser, &secondments::Viewer) -> Result<T, SecondmentError>
        + Send
        + 'static,
{
    state
        .db
        .write(move |conn| {
            let viewer = super::caller::viewer(conn, &user)?;
            Ok(all_or_nothing(conn, |conn| f(conn, &user, &viewer))?.map_err(ApiError::from))
        })
        .await?
}

/// Reads as the caller (with their viewer) and maps refusals.
pub async fn read_as_viewer<T, F>(
    state: &web::Data<AppState>,
    user: AuthUser,
    f: F,
) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection, &AuthUser, &secondments::Viewer) -> Result<T, SecondmentError>
        + Send
        + 'static,
{
    state
        .db
        .read(move |conn| {
            let viewer = super::caller::viewer(conn, &user)?;
            Ok(f(conn, &user, &viewer).map_err(ApiError::from))
        })
        .await?
}
