//! Outcomes and the final evaluation.

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::common::{self, double_option, ok_with_etag, Page, PageQuery};
use super::fields::{Comment, Day, Id, Line, LongText, Name, Plain};
use super::input::Json;
use super::input::Query;
use super::problem::{ApiError, FieldError, Problem};
use super::refs::{Refs, UserRef};
use super::secondments::{as_viewer, read_as_viewer};
use super::validate::{check_len, finish};
use crate::auth::AuthUser;
use crate::domain::outcome::{Metric, Pillar, Rating};
use crate::state::AppState;
use crate::store::names::{Names, Wanted};
use crate::store::outcomes::{self, EvaluationRow, OutcomeFields, OutcomeRow};
use crate::store::secondments::find_visible;

/// An outcome.
#[derive(Debug, Serialize, ToSchema)]
pub struct Outcome {
    /// Identifier.
    pub id: String,
    /// The secondment.
    pub secondment_id: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Pillar.
    pub pillar: Pillar,
    /// When it happened.
    pub occurred_on: NaiveDate,
    /// Measured results.
    pub metrics: Vec<Metric>,
    /// The milestone it belongs to.
    pub milestone_id: Option<String>,
    /// The host director who acknowledged it.
    pub acknowledged_by: Option<String>,
    /// When (UTC).
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// Who logged it.
    pub created_by: String,
    /// Version (the ETag).
    pub version: i32,
    /// What the caller may do with it (lists of a secondment; decision 0042).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actions: Option<crate::domain::actions::OutcomeActions>,
}

impl From<OutcomeRow> for Outcome {
    fn from(o: OutcomeRow) -> Self {
        Outcome {
            metrics: o.metrics(),
            id: o.id,
            secondment_id: o.secondment_id,
            title: o.title,
            description: o.description,
            pillar: o.pillar,
            occurred_on: o.occurred_on,
            milestone_id: o.milestone_id,
            acknowledged_by: o.acknowledged_by,
            acknowledged_at: o.acknowledged_at.map(|t| t.and_utc()),
            created_by: o.created_by,
            version: o.version,
            actions: None,
        }
    }
}

/// A new outcome.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOutcome {
    /// Title.
    pub title: Name,
    /// Description.
    pub description: Option<LongText>,
    /// Pillar.
    pub pillar: Pillar,
    /// When it happened.
    pub occurred_on: Day,
    /// Measured results.
    #[serde(default)]
    #[schema(max_items = 50)]
    pub metrics: Vec<MetricInput>,
    /// The milestone it belongs to.
    pub milestone_id: Option<Id>,
}

/// Changes; absent fields stay.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateOutcome {
    /// Title.
    pub title: Option<Name>,
    /// Description.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<LongText>)]
    pub description: Option<Option<LongText>>,
    /// Pillar.
    pub pillar: Option<Pillar>,
    /// Date.
    pub occurred_on: Option<Day>,
    /// Metrics (replace the list).
    #[schema(max_items = 50)]
    pub metrics: Option<Vec<MetricInput>>,
    /// Milestone.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Id>)]
    pub milestone_id: Option<Option<Id>>,
}

/// The final evaluation.
#[derive(Debug, Serialize, ToSchema)]
pub struct Evaluation {
    /// Rating.
    pub rating: Rating,
    /// Comment.
    pub comment: Option<String>,
    /// Who evaluated.
    pub evaluated_by: UserRef,
    /// When (UTC).
    pub evaluated_at: DateTime<Utc>,
}

impl Evaluation {
    /// The evaluation with its author named.
    pub fn named(e: EvaluationRow, names: &Names) -> Self {
        Evaluation {
            evaluated_by: names.user_ref(&e.evaluated_by),
            rating: e.rating,
            comment: e.comment,
            evaluated_at: e.evaluated_at.and_utc(),
        }
    }
}

/// An evaluation to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateEvaluation {
    /// Rating.
    pub rating: Rating,
    /// Comment.
    pub comment: Option<Comment>,
}

/// One measured result, as sent.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MetricInput {
    /// What was measured, e.g. "dịch vụ công trực tuyến toàn trình".
    pub name: Line<200>,
    /// The value.
    pub value: f64,
    /// The unit, e.g. "%" or "dịch vụ".
    #[serde(default)]
    pub unit: Option<Line<50>>,
}

fn check_metrics(metrics: &[MetricInput], errors: &mut Vec<FieldError>) {
    if metrics.len() > 50 {
        errors.push(FieldError::new("metrics", "must hold at most 50 metrics"));
    }
}

fn metrics_of(input: Vec<MetricInput>) -> Vec<Metric> {
    input
        .into_iter()
        .map(|m| Metric {
            name: m.name.plain(),
            value: m.value,
            unit: m.unit.plain(),
        })
        .collect()
}

/// Outcomes of a secondment.
#[utoipa::path(tag = "outcomes", security(("bearer" = [])),
    params(("id" = String, Path, description = "Secondment id"), PageQuery),
    responses((status = 200, body = Page<Outcome>), (status = 404, body = Problem, content_type = "application/problem+json")))]
#[get("/secondments/{id}/outcomes")]
pub async fn list_outcomes(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    page: Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    let window = page.window()?;
    let rows = of_secondment(&state, user, id).await?;
    Ok(HttpResponse::Ok().json(window.page_sorted(
        rows,
        |o| format!("{}|{}", o.occurred_on, o.id),
        |o| o,
    )))
}

/// The outcomes of a secondment the caller may see (404 otherwise).
pub(crate) async fn of_secondment(
    state: &web::Data<AppState>,
    user: AuthUser,
    id: String,
) -> Result<Vec<Outcome>, ApiError> {
    read_as_viewer(state, user, move |conn, _, viewer| {
        let s = find_visible(conn, viewer, &id)?;
        let caller = viewer.caller();
        Ok(outcomes::for_secondment(conn, &id)?
            .into_iter()
            .map(|o| {
                let allowed = crate::domain::actions::outcome_actions(
                    caller,
                    s.posting(),
                    s.status(),
                    o.acknowledged_by.is_some(),
                );
                Outcome {
                    actions: Some(allowed),
                    ..Outcome::from(o)
                }
            })
            .collect())
    })
    .await
}

/// Logs an outcome of an active secondment (the seconded official or HR).
#[utoipa::path(tag = "outcomes", security(("bearer" = [])),
    params(("id" = String, Path, description = "Secondment id")),
    request_body = CreateOutcome,
    responses((status = 201, body = Outcome),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The secondment is not active", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json")))]
#[post("/secondments/{id}/outcomes")]
pub async fn create_outcome(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Json<CreateOutcome>,
) -> Result<HttpResponse, ApiError> {
    let row = create(&state, user, common::parse_id(&path)?, body.into_inner()).await?;
    Ok(common::created(
        format!("/api/v1/outcomes/{}", row.id),
        row.version,
        &Outcome::from(row),
    ))
}

/// Logs an outcome: the API's `POST` and the console's form.
pub(crate) async fn create(
    state: &web::Data<AppState>,
    user: AuthUser,
    id: String,
    b: CreateOutcome,
) -> Result<OutcomeRow, ApiError> {
    let mut errors = Vec::new();
    check_len("title", b.title.trim(), 1, 300, &mut errors);
    check_metrics(&b.metrics, &mut errors);
    finish(errors)?;
    let fields = OutcomeFields {
        title: b.title.trim().to_string(),
        description: b
            .description
            .map(|d| d.trim().to_string())
            .filter(|d| !d.is_empty()),
        pillar: b.pillar.as_str().to_string(),
        occurred_on: b.occurred_on.plain(),
        metrics: metrics_of(b.metrics),
        milestone_id: b.milestone_id.plain(),
    };
    let actor = user.actor();
    as_viewer(state, user, move |conn, _, viewer| {
        outcomes::create(conn, &actor, viewer, &id, &fields)
    })
    .await
}

/// One outcome, with its `ETag`.
#[utoipa::path(tag = "outcomes", security(("bearer" = [])),
    params(("id" = String, Path, description = "Outcome id")),
    responses((status = 200, body = Outcome, headers(("ETag" = String, description = "Version for If-Match")))))]
#[get("/outcomes/{id}")]
pub async fn get_outcome(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    let row = read_as_viewer(&state, user, move |conn, _, viewer| {
        Ok(outcomes::find_visible_outcome(conn, viewer, &id)?.0)
    })
    .await?;
    Ok(ok_with_etag(row.version, &Outcome::from(row)))
}

/// Changes an outcome; needs `If-Match`.
#[utoipa::path(tag = "outcomes", security(("bearer" = [])),
    params(("id" = String, Path, description = "Outcome id"), ("If-Match" = String, Header, description = "ETag")),
    request_body = UpdateOutcome,
    responses((status = 200, body = Outcome),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 412, body = Problem, content_type = "application/problem+json"),
        (status = 428, body = Problem, content_type = "application/problem+json")))]
#[patch("/outcomes/{id}")]
pub async fn update_outcome(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Json<UpdateOutcome>,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    let version = common::expected(&req)?.version();
    let row = update(&state, user, id, version, body.into_inner()).await?;
    Ok(ok_with_etag(row.version, &Outcome::from(row)))
}

/// Changes an outcome seen at `version` (`None`: whatever the version):
/// the API's `PATCH` and the console's edit form.
pub(crate) async fn update(
    state: &web::Data<AppState>,
    user: AuthUser,
    id: String,
    version: Option<i32>,
    b: UpdateOutcome,
) -> Result<OutcomeRow, ApiError> {
    let mut errors = Vec::new();
    if let Some(t) = &b.title {
        check_len("title", t.trim(), 1, 300, &mut errors);
    }
    if let Some(m) = &b.metrics {
        check_metrics(m, &mut errors);
    }
    finish(errors)?;
    let actor = user.actor();
    as_viewer(state, user, move |conn, _, viewer| {
        outcomes::update(conn, &actor, viewer, &id, version, |f| {
            if let Some(v) = b.title {
                f.title = v.trim().to_string();
            }
            if let Some(v) = b.description {
                f.description = v.plain();
            }
            if let Some(v) = b.pillar {
                f.pillar = v.as_str().to_string();
            }
            if let Some(v) = b.occurred_on {
                f.occurred_on = v.plain();
            }
            if let Some(v) = b.metrics {
                f.metrics = metrics_of(v);
            }
            if let Some(v) = b.milestone_id {
                f.milestone_id = v.plain();
            }
        })
    })
    .await
}

/// Deletes an outcome (kept in the audit log).
#[utoipa::path(tag = "outcomes", security(("bearer" = [])),
    params(("id" = String, Path, description = "Outcome id")),
    responses((status = 204, description = "Deleted"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json")))]
#[delete("/outcomes/{id}")]
pub async fn delete_outcome(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = common::parse_id(&path)?;
    let actor = user.actor();
    as_viewer(&state, user, move |conn, _, viewer| {
        outcomes::delete(conn, &actor, viewer, &id)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A host-side director acknowledges an outcome.
#[utoipa::path(tag = "outcomes", security(("bearer" = [])),
    params(("id" = String, Path, description = "Outcome id")),
    responses((status = 200, body = Outcome),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already acknowledged", body = Problem, content_type = "application/problem+json")))]
#[post("/outcomes/{id}/acknowledge")]
pub async fn acknowledge_outcome(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let row = acknowledge(&state, user, common::parse_id(&path)?).await?;
    Ok(ok_with_etag(row.version, &Outcome::from(row)))
}

/// A host-side director acknowledges an outcome: the API's `POST` and the
/// console's button.
pub(crate) async fn acknowledge(
    state: &web::Data<AppState>,
    user: AuthUser,
    id: String,
) -> Result<OutcomeRow, ApiError> {
    let actor = user.actor();
    as_viewer(state, user, move |conn, _, viewer| {
        outcomes::acknowledge(conn, &actor, viewer, &id)
    })
    .await
}

/// Records the final evaluation of a completed secondment (a host-side
/// director, once).
#[utoipa::path(tag = "outcomes", security(("bearer" = [])),
    params(("id" = String, Path, description = "Secondment id")),
    request_body = CreateEvaluation,
    responses((status = 201, body = Evaluation),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not completed, or already evaluated", body = Problem, content_type = "application/problem+json")))]
#[post("/secondments/{id}/evaluation")]
pub async fn evaluate_secondment(
    user: AuthUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Json<CreateEvaluation>,
) -> Result<HttpResponse, ApiError> {
    let evaluation = evaluate(&state, user, common::parse_id(&path)?, body.into_inner()).await?;
    Ok(HttpResponse::Created().json(evaluation))
}

/// Records the final evaluation: the API's `POST` and the console's form.
pub(crate) async fn evaluate(
    state: &web::Data<AppState>,
    user: AuthUser,
    id: String,
    b: CreateEvaluation,
) -> Result<Evaluation, ApiError> {
    let comment = b
        .comment
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    let actor = user.actor();
    as_viewer(state, user, move |conn, _, viewer| {
        let row = outcomes::evaluate(
            conn,
            &actor,
            viewer,
            &id,
            b.rating.as_str(),
            comment.as_deref(),
        )?;
        let names = Wanted::default().user(Some(&row.evaluated_by)).load(conn)?;
        Ok(Evaluation::named(row, &names))
    })
    .await
}
