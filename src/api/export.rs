//! Lists as files: `Accept: text/csv` streams the whole filtered list as
//! UTF-8 CSV with a byte-order mark, page by page (flat memory, no
//! connection held while the client reads); `Accept:` the XLSX media type
//! builds a workbook with date cells, a bold frozen header and column
//! widths. The rows and their columns are the application's
//! (`app::exports`); the file and the answer are this door's, and the
//! console's export buttons answer with the same.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Datelike;

use super::problem::ApiError;
pub use crate::app::exports::{Cell, Column, Fetch, Row};
use crate::app::{units, AppError};
use crate::state::AppState;

/// The XLSX media type.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Rows read per page while exporting.
const PAGE: i64 = 1000;

/// The rows a worksheet holds below its header.
const XLSX_MAX_ROWS: u32 = 1_048_575;

/// What the client asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The JSON page.
    Json,
    /// The whole list as CSV.
    Csv,
    /// The whole list as an XLSX workbook.
    Xlsx,
}

/// The format with the highest `q` in `Accept` among JSON, CSV and XLSX: a
/// named type before a wildcard, the first named on a tie; JSON when none
/// is acceptable or without `Accept`.
pub fn negotiate(req: &HttpRequest) -> Format {
    let Some(accept) = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
    else {
        return Format::Json;
    };
    let mut best = (Format::Json, 0.0_f32, false);
    for part in accept.split(',') {
        let mut pieces = part.split(';');
        let media = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = pieces
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let (format, named) = match media.as_str() {
            "text/csv" => (Format::Csv, true),
            m if m == XLSX => (Format::Xlsx, true),
            "application/json" => (Format::Json, true),
            "application/*" | "*/*" => (Format::Json, false),
            _ => continue,
        };
        if q <= 0.0 {
            // q=0: "not acceptable" (RFC 9110 12.4.2).
            continue;
        }
        if q > best.1 || (q == best.1 && named && !best.2) {
            best = (format, q, named);
        }
    }
    best.0
}

/// A cell as CSV text: a date `YYYY-MM-DD`, a flag `true`/`false`, a text
/// defused.
fn csv_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(t) => t.as_deref().map(defuse).unwrap_or_default(),
        Cell::Day(d) => d
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        Cell::Flag(b) => b.to_string(),
    }
}

/// A text a spreadsheet would run as a formula gets a leading apostrophe
/// (OWASP "CSV injection"); nothing else changes.
fn defuse(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

/// The response for a CSV or XLSX export of the rows `fetch` reads.
pub async fn respond(
    state: web::Data<AppState>,
    format: Format,
    name: &'static str,
    columns: &'static [Column],
    fetch: Fetch,
) -> Result<HttpResponse, ApiError> {
    match format {
        Format::Csv => csv(state, name, columns, fetch).await,
        Format::Xlsx => xlsx(state, name, columns, fetch).await,
        Format::Json => Err(ApiError::Internal("an export was asked for JSON".into())),
    }
}

fn attachment(name: &str, extension: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("attachment; filename=\"{name}.{extension}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

async fn page(
    state: &web::Data<AppState>,
    fetch: &Fetch,
    after: Option<String>,
) -> Result<Vec<Row>, AppError> {
    let fetch = fetch.clone();
    units::lagging(&state.db, move |tx| fetch(tx, after, PAGE)).await
}

fn encode(rows: Vec<Row>, header: Option<&[Column]>) -> Result<web::Bytes, csv::Error> {
    let mut out = Vec::with_capacity(rows.len() * 256 + 3);
    if header.is_some() {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    if let Some(columns) = header {
        writer.write_record(columns.iter().map(|c| c.name))?;
    }
    for row in rows {
        writer.write_record(row.cells.iter().map(csv_text))?;
    }
    writer
        .into_inner()
        .map(web::Bytes::from)
        .map_err(|e| csv::Error::from(e.into_error()))
}

async fn csv(
    state: web::Data<AppState>,
    name: &'static str,
    columns: &'static [Column],
    fetch: Fetch,
) -> Result<HttpResponse, ApiError> {
    // The first page is read before answering, so that a database error is
    // still a problem response.
    let first = page(&state, &fetch, None).await?;
    let mut after = first.last().map(|r| r.key.clone());
    let more = first.len() as i64 == PAGE;
    let head = encode(first, Some(columns)).map_err(|e| ApiError::Internal(e.to_string()))?;
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<web::Bytes, std::io::Error>>(4);
    actix_web::rt::spawn(async move {
        if tx.send(Ok(head)).await.is_err() || !more {
            return;
        }
        while let Some(key) = after.take() {
            let chunk = match page(&state, &fetch, Some(key)).await {
                Ok(rows) => {
                    if rows.len() as i64 == PAGE {
                        after = rows.last().map(|r| r.key.clone());
                    }
                    encode(rows, None).map_err(|e| e.to_string())
                }
                Err(e) => Err(e.to_string()),
            };
            let chunk = chunk.map_err(|e| {
                tracing::error!(error = %e, export = name, "export stopped");
                std::io::Error::other("export stopped")
            });
            let failed = chunk.is_err();
            if tx.send(chunk).await.is_err() || failed {
                return;
            }
        }
    });
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    });
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, attachment(name, "csv")))
        .streaming(body))
}

#[derive(Debug, thiserror::Error)]
enum XlsxFailure {
    #[error(transparent)]
    App(#[from] AppError),
    #[error(transparent)]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("too many rows")]
    TooManyRows,
}

fn workbook(state: &AppState, columns: &[Column], fetch: &Fetch) -> Result<Vec<u8>, XlsxFailure> {
    use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook};
    let mut book = Workbook::new();
    let bold = CellFormat::new().set_bold();
    let date = CellFormat::new().set_num_format("yyyy-mm-dd");
    let sheet = book.add_worksheet_with_constant_memory();
    for (i, c) in columns.iter().enumerate() {
        let col = i as u16;
        sheet.set_column_width(col, c.width)?;
        sheet.write_string_with_format(0, col, c.name, &bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let mut row: u32 = 0;
    let mut after = None;
    loop {
        let rows = units::read_now(&state.db, |tx| fetch(tx, after.take(), PAGE))?;
        let full = rows.len() as i64 == PAGE;
        after = rows.last().map(|r| r.key.clone());
        for Row { cells, .. } in rows {
            row += 1;
            if row > XLSX_MAX_ROWS {
                return Err(XlsxFailure::TooManyRows);
            }
            for (i, cell) in cells.iter().enumerate() {
                let col = i as u16;
                match cell {
                    Cell::Text(Some(t)) => {
                        sheet.write_string(row, col, t)?;
                    }
                    Cell::Day(Some(d)) => {
                        let day = ExcelDateTime::from_ymd(
                            d.year() as u16,
                            d.month() as u8,
                            d.day() as u8,
                        )?;
                        sheet.write_datetime_with_format(row, col, &day, &date)?;
                    }
                    Cell::Flag(b) => {
                        sheet.write_boolean(row, col, *b)?;
                    }
                    Cell::Text(None) | Cell::Day(None) => {}
                }
            }
        }
        if !full {
            break;
        }
    }
    Ok(book.save_to_buffer()?)
}

async fn xlsx(
    state: web::Data<AppState>,
    name: &'static str,
    columns: &'static [Column],
    fetch: Fetch,
) -> Result<HttpResponse, ApiError> {
    let bytes = web::block(move || workbook(&state, columns, &fetch))
        .await
        .map_err(|e| ApiError::Internal(format!("export task failed: {e}")))?
        .map_err(|e| match e {
            XlsxFailure::App(e) => ApiError::from(e),
            XlsxFailure::TooManyRows => ApiError::PayloadTooLarge(format!(
                "The list has more than {XLSX_MAX_ROWS} rows, more than a worksheet holds: narrow the filters or ask for text/csv."
            )),
            XlsxFailure::Xlsx(e) => ApiError::Internal(format!("xlsx: {e}")),
        })?;
    Ok(HttpResponse::Ok()
        .content_type(XLSX)
        .insert_header((header::CONTENT_DISPOSITION, attachment(name, "xlsx")))
        .body(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn format(accept: &str) -> Format {
        negotiate(
            &TestRequest::default()
                .insert_header(("Accept", accept))
                .to_http_request(),
        )
    }

    #[test]
    fn the_preferred_known_type_wins() {
        assert_eq!(format("text/csv"), Format::Csv);
        assert_eq!(format(XLSX), Format::Xlsx);
        assert_eq!(format("application/json"), Format::Json);
        assert_eq!(format("*/*"), Format::Json);
        assert_eq!(format("text/csv;q=0.5, application/json"), Format::Json);
        assert_eq!(format("application/json;q=0.2, text/csv"), Format::Csv);
        assert_eq!(format("text/html, text/csv;q=0.9"), Format::Csv);
        assert_eq!(format("text/csv, */*"), Format::Csv);
        assert_eq!(format("text/csv;q=0"), Format::Json);
        assert_eq!(format("application/json, text/csv"), Format::Json);
        assert_eq!(format("image/png"), Format::Json);
        assert_eq!(format("TEXT/CSV"), Format::Csv);
    }

    #[test]
    fn formulas_are_defused_and_other_text_kept() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("-1"), "'-1");
        assert_eq!(defuse("Phạm Quang Hiếu"), "Phạm Quang Hiếu");
    }
}
