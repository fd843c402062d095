//! `POST /api/v1/officials/import`: a CSV file of officials, all or
//! nothing (`app::official_import`). The file's limits are the door's.

use actix_web::http::header;
use actix_web::{post, web, HttpRequest, HttpResponse};
use futures_util::StreamExt;

use super::problem::{ApiError, Problem};
use crate::app::official_import::{self, CsvFile, ImportSummary, MAX_BYTES, MAX_ROWS};
use crate::app::units;
use crate::auth::AuthUser;
use crate::state::AppState;

/// The 413 of a file over the size limit.
fn too_large() -> ApiError {
    ApiError::PayloadTooLarge(format!(
        "The file is larger than the limit of {} MiB.",
        MAX_BYTES / 1024 / 1024
    ))
}

/// The 413 of a file over the row limit.
fn too_many_rows() -> ApiError {
    ApiError::PayloadTooLarge(format!(
        "The file has more than the limit of {MAX_ROWS} rows."
    ))
}

async fn read_limited(mut payload: web::Payload) -> Result<Vec<u8>, ApiError> {
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::BadRequest(format!("The body could not be read: {e}.")))?;
        if body.len() + chunk.len() > MAX_BYTES {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Creates or updates officials by `staff_code` from `text/csv` (UTF-8,
/// with or without BOM). Header: `staff_code,full_name,email,home_unit_code,
/// position,rank,date_of_birth,language`, optionally `in_succession_plan,
/// retirement_date,protected_until`. Any bad row: 422 listing every problem
/// with its line, and nothing is written. At most 10 MiB and 100,000 rows.
#[utoipa::path(
    tag = "officials",
    security(("bearer" = [])),
    request_body(content = String, content_type = "text/csv"),
    responses(
        (status = 200, body = ImportSummary),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Over 10 MiB or 100,000 rows", body = Problem, content_type = "application/problem+json"),
        (status = 415, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad rows, each with line, field and message", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/officials/import")]
pub async fn import_officials(
    req: HttpRequest,
    user: AuthUser,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    // The role before the body is read.
    official_import::require_importer(&user)?;
    let is_csv = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().to_ascii_lowercase().starts_with("text/csv"));
    if !is_csv {
        return Err(ApiError::UnsupportedMediaType(
            "Send the file with Content-Type: text/csv.".into(),
        ));
    }
    let bytes = read_limited(payload).await?;
    // Reading the file is CPU work: off the workers, outside the unit.
    let read = web::block(move || official_import::read(&bytes))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let records = match read? {
        CsvFile::Rows(records) => records,
        CsvFile::TooManyRows => return Err(too_many_rows()),
    };
    let summary = units::write(&state.db, move |tx| {
        official_import::import(&user, tx, &records)
    })
    .await?;
    Ok(HttpResponse::Ok().json(summary))
}
