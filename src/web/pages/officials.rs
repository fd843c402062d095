//! The registry of officials for HR officers: search (diacritics ignored,
//! as the API's search folds them), create, edit, and CSV import with the
//! errors of each line.

use actix_multipart::Multipart;
use actix_web::{web, HttpResponse};
use futures_util::StreamExt;
use minijinja::{context, Value};

use crate::api::ApiError;
use crate::app::fields::parse_id;
use crate::app::official_import::{self, CsvFile, MAX_BYTES, MAX_ROWS};
use crate::app::officials::{self, CreateOfficial, Official, OfficialQuery, UpdateOfficial};
use crate::app::units;
use crate::web::pages::choices;
use crate::web::render::{see_other, Console, PageError};

/// The list, searched by name, staff code or email.
pub async fn list(c: Console) -> Result<HttpResponse, PageError> {
    let q: OfficialQuery = c.query(&["lang"])?;
    let shown = q.q.as_deref().map(str::to_string).unwrap_or_default();
    let user = c.user();
    let page = units::lagging(&c.state.db, move |tx| officials::list(&user, tx, q))
        .await
        .map_err(|e| c.fail(e))?;
    let next = c.next_page(page.next_cursor.as_deref());
    c.render(
        "officials.html",
        context! { page => page, next => next, q => shown },
    )
}

/// The form of a new official.
pub async fn new_page(c: Console) -> Result<HttpResponse, PageError> {
    let units = choices::units(&c).await?;
    c.render("official.html", context! { ..units })
}

const CHECKBOXES: &[&str] = &["in_succession_plan", "active"];

/// Creates the official, or shows the form again with the errors.
pub async fn create(c: Console, body: web::Bytes) -> Result<HttpResponse, PageError> {
    let form = c.form(&body)?.with_checkboxes(CHECKBOXES);
    let made = match form.body::<CreateOfficial>(&[], &[]) {
        Ok(b) => {
            let user = c.user();
            units::write(&c.state.db, move |tx| officials::create(&user, tx, b))
                .await
                .map_err(ApiError::from)
        }
        Err(e) => Err(e),
    };
    match made {
        Ok(o) => Ok(see_other(&format!("/officials/{}", o.id))),
        Err(e) => {
            let units = choices::units(&c).await?;
            c.refused("official.html", &form, e, &[], units)
        }
    }
}

/// One official in the caller's scope.
async fn find(c: &Console, id: String) -> Result<Official, PageError> {
    let user = c.user();
    units::read(&c.state.db, move |tx| officials::find(&user, tx, &id))
        .await
        .map_err(|e| c.fail(e))
}

/// The edit form of one official.
pub async fn edit_page(c: Console, path: web::Path<String>) -> Result<HttpResponse, PageError> {
    let id = parse_id(&path).map_err(|e| c.fail(e))?;
    let official = find(&c, id).await?;
    let units = choices::units(&c).await?;
    let values = Value::from_serialize(&official);
    c.render(
        "official.html",
        context! { official => official, values => values, ..units },
    )
}

/// Saves the edit form (refused with 409 when someone changed the
/// official since the form was opened).
pub async fn update(
    c: Console,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let id = parse_id(&path).map_err(|e| c.fail(e))?;
    let form = c.form(&body)?.with_checkboxes(CHECKBOXES);
    let saved = match (
        form.version(),
        form.body::<UpdateOfficial>(&["version"], &[]),
    ) {
        (Ok(version), Ok(b)) => {
            let (user, id) = (c.user(), id.clone());
            units::write(&c.state.db, move |tx| {
                officials::update(&user, tx, &id, Some(version), b)
            })
            .await
            .map_err(ApiError::from)
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    match saved {
        Ok(o) => Ok(see_other(&format!("/officials/{}", o.id))),
        Err(e) => {
            let official = find(&c, id).await?;
            let units = choices::units(&c).await?;
            c.refused(
                "official.html",
                &form,
                e,
                &[],
                context! { official => official, ..units },
            )
        }
    }
}

/// Imports an uploaded CSV file: the summary, or every line's errors.
pub async fn import(c: Console, mut parts: Multipart) -> Result<HttpResponse, PageError> {
    let mut csrf = None;
    let mut file = Vec::new();
    while let Some(part) = parts.next().await {
        let mut part = part.map_err(|e| c.fail(ApiError::BadRequest(e.to_string())))?;
        let name = part.name().unwrap_or_default().to_string();
        let mut value = Vec::new();
        while let Some(chunk) = part.next().await {
            let chunk = chunk.map_err(|e| c.fail(ApiError::BadRequest(e.to_string())))?;
            if value.len() + chunk.len() > MAX_BYTES {
                return Err(c.fail(ApiError::PayloadTooLarge(format!(
                    "The file is larger than the limit of {} MiB.",
                    MAX_BYTES / 1024 / 1024
                ))));
            }
            value.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "csrf" => csrf = Some(String::from_utf8_lossy(&value).into_owned()),
            "file" => file = value,
            _ => {}
        }
    }
    c.check_csrf(csrf.as_deref())?;
    match import_file(&c, file).await {
        Ok(summary) => c.render("import.html", context! { summary => summary }),
        Err(e) => {
            let problem = e.problem();
            if problem.status != 422 && problem.status != 413 {
                return Err(c.fail(e));
            }
            c.render_status(
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
                "import.html",
                context! { problem => problem },
            )
        }
    }
}

/// The file's rows read off the workers (CPU work, outside the unit of
/// work), then imported in one unit, as the API imports them.
async fn import_file(
    c: &Console,
    file: Vec<u8>,
) -> Result<official_import::ImportSummary, ApiError> {
    let user = c.user();
    official_import::require_importer(&user)?;
    let read = web::block(move || official_import::read(&file))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let records = match read? {
        CsvFile::Rows(records) => records,
        CsvFile::TooManyRows => {
            return Err(ApiError::PayloadTooLarge(format!(
                "The file has more than the limit of {MAX_ROWS} rows."
            )))
        }
    };
    Ok(units::write(&c.state.db, move |tx| {
        official_import::import(&user, tx, &records)
    })
    .await?)
}
