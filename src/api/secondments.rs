//! `/api/v1/secondments`: create, list, read, change. Each handler
//! extracts, runs one `app::secondments` function in a unit of work and
//! answers.

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};

use super::common::{self, ok_with_etag, Page, PageWindow};
use super::input::{Json, Query};
use super::problem::{ApiError, Problem};
use super::{export, list_exports};
/// The names of a page of rows, for the lists' files.
pub use crate::app::secondments::named_rows;
use crate::app::secondments::{change, create, list, read};
use crate::app::secondments::{CreateSecondment, Secondment, SecondmentQuery, UpdateSecondment};
use crate::app::{units, Context};
use crate::auth::AuthUser;
use crate::state::AppState;

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
    let cmd = body.into_inner();
    let cx = Context::now(state.settings.clone());
    let row = units::write(&state.db, move |tx| create::create(&user, tx, &cx, cmd)).await?;
    Ok(common::created(
        format!("/api/v1/secondments/{}", row.id),
        row.version,
        &row,
    ))
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
    let page = units::lagging(&state.db, move |tx| list::list(&user, tx, q, window)).await?;
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
    let (viewer, filter) = units::read(&state.db, move |tx| list::whole(&user, tx, q)).await?;
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
    let id = common::parse_id(&path)?;
    let cx = Context::now(state.settings.clone());
    let body = units::read(&state.db, move |tx| read::find(&user, tx, &cx, &id)).await?;
    Ok(ok_with_etag(body.version, &body))
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
    let cmd = body.into_inner();
    let cx = Context::now(state.settings.clone());
    let body = units::write(&state.db, move |tx| {
        change::update(&user, tx, &cx, &id, version, cmd)
    })
    .await?;
    Ok(ok_with_etag(body.version, &body))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_openapi_document_describes_every_flag() {
        let doc = serde_json::to_value(crate::api::openapi()).unwrap();
        let schemas = &doc["components"]["schemas"];
        for (name, flag) in [
            ("Actions", "complete_milestone"),
            ("MilestoneActions", "complete"),
            ("OutcomeActions", "acknowledge"),
        ] {
            assert!(
                schemas[name]["properties"][flag].is_object(),
                "{name}.{flag} in {}",
                schemas[name]
            );
        }
    }
}
