//! `POST /api/v1/officials/import`: a CSV file of officials, all or nothing.

use actix_web::http::header;
use actix_web::{post, web, HttpRequest, HttpResponse};
use futures_util::StreamExt;

use super::problem::{ApiError, FieldError, Problem};
use crate::auth::AuthUser;
use crate::domain::official_csv::{self, CsvRejection, RowError, MAX_BYTES, MAX_ROWS};
use crate::domain::user::Role;
use crate::state::AppState;
use crate::store::official_import::{self, ImportError, ImportSummary};

/// Maps row problems to the 422 body: `errors: [{line, field, message}]`.
pub fn invalid_rows(errors: Vec<RowError>) -> ApiError {
    let count = errors.len();
    let mut lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
    lines.dedup();
    ApiError::Validation {
        detail: format!(
            "Nothing was imported: {count} problem(s) on {} line(s).",
            lines.len()
        ),
        errors: errors
            .into_iter()
            .map(|e| FieldError {
                line: Some(e.line),
                ..FieldError::new(e.field, e.message)
            })
            .collect(),
    }
}

async fn read_limited(mut payload: web::Payload) -> Result<Vec<u8>, ApiError> {
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::BadRequest(format!("The body could not be read: {e}.")))?;
        if body.len() + chunk.len() > MAX_BYTES {
            return Err(ApiError::PayloadTooLarge(format!(
                "The file is larger than the limit of {} MiB.",
                MAX_BYTES / 1024 / 1024
            )));
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
    user.require_role(&[Role::Admin, Role::HrOfficer])?;
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
    Ok(HttpResponse::Ok().json(import(&state, user, bytes).await?))
}

/// Imports a CSV file of officials, all or nothing: the API's import and
/// the console's upload.
pub(crate) async fn import(
    state: &web::Data<AppState>,
    user: AuthUser,
    bytes: Vec<u8>,
) -> Result<ImportSummary, ApiError> {
    user.require_role(&[Role::Admin, Role::HrOfficer])?;
    if bytes.len() > MAX_BYTES {
        return Err(ApiError::PayloadTooLarge(format!(
            "The file is larger than the limit of {} MiB.",
            MAX_BYTES / 1024 / 1024
        )));
    }
    let records = web::block(move || official_csv::parse(&bytes))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(|rejection| match rejection {
            CsvRejection::TooManyRows => ApiError::PayloadTooLarge(format!(
                "The file has more than the limit of {MAX_ROWS} rows."
            )),
            CsvRejection::Invalid(errors) => invalid_rows(errors),
        })?;
    let actor = user.actor();
    let summary = state
        .db
        .write(move |conn| {
            let scope = super::caller::scope_of(conn, &user)?;
            Ok(official_import::import(
                conn,
                &actor,
                &records,
                &|unit| scope.contains(unit),
                &mut |_| {},
            ))
        })
        .await?
        .map_err(ApiError::from)?;
    Ok(summary)
}

impl From<ImportError> for ApiError {
    fn from(e: ImportError) -> Self {
        match e {
            ImportError::Invalid(errors) => invalid_rows(errors),
            ImportError::Store(e) => e.into(),
        }
    }
}
