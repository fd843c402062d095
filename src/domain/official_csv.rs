//! Parsing the officials CSV (SPEC 4 import): header, rows, and every
//! problem found with its spreadsheet line number. No database here; unit
//! codes and conflicts are checked by the store.

use chrono::NaiveDate;

use super::text::{check_text, parse_day, TextKind};

use super::email::EmailAddress;
use super::user::Language;

/// Largest accepted file, in bytes.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Largest accepted number of data rows.
pub const MAX_ROWS: usize = 100_000;

const REQUIRED: [&str; 8] = [
    "staff_code",
    "full_name",
    "email",
    "home_unit_code",
    "position",
    "rank",
    "date_of_birth",
    "language",
];
const OPTIONAL: [&str; 3] = ["in_succession_plan", "retirement_date", "protected_until"];

/// One valid row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficialRecord {
    /// Line in the file (the header is line 1).
    pub line: u64,
    /// Staff code.
    pub staff_code: String,
    /// Full name.
    pub full_name: String,
    /// Email.
    pub email: EmailAddress,
    /// Code of the home unit.
    pub home_unit_code: String,
    /// Position.
    pub position: Option<String>,
    /// Rank.
    pub rank: Option<String>,
    /// Date of birth.
    pub date_of_birth: Option<NaiveDate>,
    /// Language.
    pub language: Language,
    /// In the succession plan (column optional).
    pub in_succession_plan: Option<bool>,
    /// Retirement date (column optional).
    pub retirement_date: Option<NaiveDate>,
    /// Protected until (column optional).
    pub protected_until: Option<NaiveDate>,
}

/// One problem: line, column, message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Line in the file.
    pub line: u64,
    /// Column name.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl RowError {
    /// A problem at `line` in column `field`.
    pub fn new(line: u64, field: &str, message: impl Into<String>) -> Self {
        RowError {
            line,
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// The problems of a header (line 1): unknown columns and missing ones.
pub fn header_errors(headers: &[String], required: &[&str], optional: &[&str]) -> Vec<RowError> {
    let mut errors = Vec::new();
    for h in headers {
        if !required.contains(&h.as_str()) && !optional.contains(&h.as_str()) {
            errors.push(RowError::new(1, h, "is not a known column"));
        }
    }
    for r in required {
        if !headers.iter().any(|h| h == r) {
            errors.push(RowError::new(1, r, "column is missing from the header"));
        }
    }
    errors
}

/// Why a file was refused as a whole.
#[derive(Debug, PartialEq, Eq)]
pub enum CsvRejection {
    /// More rows than `MAX_ROWS`.
    TooManyRows,
    /// Row-level problems (all of them).
    Invalid(Vec<RowError>),
}

fn date(line: u64, field: &str, raw: &str, errors: &mut Vec<RowError>) -> Option<NaiveDate> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    parse_day(raw)
        .map_err(|m| errors.push(RowError::new(line, field, m)))
        .ok()
}

fn text(raw: &str) -> Option<String> {
    let t = raw.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Parses the whole file; either every row is valid or every problem is
/// returned. A UTF-8 byte-order mark is ignored.
pub fn parse(bytes: &[u8]) -> Result<Vec<OfficialRecord>, CsvRejection> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // Spreadsheets on Windows end lines with CRLF; counting lines is
    // simplest on LF alone.
    let normalized;
    let bytes = if bytes.windows(2).any(|w| w == b"\r\n") {
        normalized = bytes
            .iter()
            .enumerate()
            .filter(|(i, b)| !(**b == b'\r' && bytes.get(i + 1) == Some(&b'\n')))
            .map(|(_, b)| *b)
            .collect::<Vec<u8>>();
        normalized.as_slice()
    } else {
        bytes
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes);
    let header_error = |m: String| CsvRejection::Invalid(vec![RowError::new(1, "header", m)]);
    let headers = reader
        .headers()
        .map_err(|e| header_error(format!("cannot read the header: {e}")))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect::<Vec<_>>();
    let mut errors = header_errors(&headers, &REQUIRED, &OPTIONAL);
    if !errors.is_empty() {
        return Err(CsvRejection::Invalid(errors));
    }
    let col = |name: &str| headers.iter().position(|h| h == name);
    let get = |rec: &csv::StringRecord, name: &str| -> String {
        col(name).and_then(|i| rec.get(i)).unwrap_or("").to_string()
    };

    let mut rows = Vec::new();
    let mut seen_codes = std::collections::HashMap::new();
    let mut seen_emails = std::collections::HashMap::new();
    for (index, result) in reader.records().enumerate() {
        if index >= MAX_ROWS {
            return Err(CsvRejection::TooManyRows);
        }
        let rec = match result {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(RowError::new(line, "row", format!("is not valid CSV: {e}")));
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line());
        let before = errors.len();
        for (name, cell) in headers.iter().zip(rec.iter()) {
            let (kind, max) = match name.as_str() {
                "staff_code" | "home_unit_code" => (TextKind::Token, 50),
                _ => (TextKind::Line, 300),
            };
            if let Err(m) = check_text(cell.trim(), kind, 0, max) {
                errors.push(RowError::new(line, name, m));
            }
        }
        if errors.len() > before {
            continue;
        }
        let staff_code = get(&rec, "staff_code").trim().to_string();
        if staff_code.is_empty() {
            errors.push(RowError::new(line, "staff_code", "must not be empty"));
        } else if let Some(first) = seen_codes.insert(staff_code.clone(), line) {
            errors.push(RowError::new(
                line,
                "staff_code",
                format!("repeats line {first}"),
            ));
        }
        let full_name = get(&rec, "full_name").trim().to_string();
        if full_name.is_empty() {
            errors.push(RowError::new(line, "full_name", "must not be empty"));
        }
        let email = match EmailAddress::parse(&get(&rec, "email")) {
            Ok(e) => {
                if let Some(first) = seen_emails.insert(e.normalized(), line) {
                    errors.push(RowError::new(
                        line,
                        "email",
                        format!("repeats line {first}"),
                    ));
                }
                Some(e)
            }
            Err(m) => {
                errors.push(RowError::new(line, "email", m));
                None
            }
        };
        let home_unit_code = get(&rec, "home_unit_code").trim().to_string();
        if home_unit_code.is_empty() {
            errors.push(RowError::new(line, "home_unit_code", "must not be empty"));
        }
        let date_of_birth = date(
            line,
            "date_of_birth",
            &get(&rec, "date_of_birth"),
            &mut errors,
        );
        let language = match get(&rec, "language").trim() {
            "" | "vi" => Language::Vi,
            "en" => Language::En,
            _ => {
                errors.push(RowError::new(line, "language", "must be vi or en"));
                Language::Vi
            }
        };
        let in_succession_plan = match get(&rec, "in_succession_plan")
            .trim()
            .to_lowercase()
            .as_str()
        {
            "" => None,
            "true" | "yes" | "1" | "x" => Some(true),
            "false" | "no" | "0" => Some(false),
            _ => {
                errors.push(RowError::new(
                    line,
                    "in_succession_plan",
                    "must be true or false",
                ));
                None
            }
        };
        let retirement_date = date(
            line,
            "retirement_date",
            &get(&rec, "retirement_date"),
            &mut errors,
        );
        let protected_until = date(
            line,
            "protected_until",
            &get(&rec, "protected_until"),
            &mut errors,
        );
        if errors.len() > before {
            continue;
        }
        if let Some(email) = email {
            rows.push(OfficialRecord {
                line,
                staff_code,
                full_name,
                email,
                home_unit_code,
                position: text(&get(&rec, "position")),
                rank: text(&get(&rec, "rank")),
                date_of_birth,
                language,
                in_succession_plan,
                retirement_date,
                protected_until,
            });
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(CsvRejection::Invalid(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "staff_code,full_name,email,home_unit_code,position,rank,date_of_birth,language";

    #[test]
    fn reads_rows_with_a_bom_and_quoted_fields() {
        let file = format!(
            "\u{feff}{HEADER},in_succession_plan\nA1,\"Phạm Quang Hiếu\",hieu@mic.gov.vn,MIC,\"Phó Giám đốc, Sở\",Chuyên viên chính,1988-05-01,vi,true\n"
        );
        let rows = parse(file.as_bytes()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].position.as_deref(), Some("Phó Giám đốc, Sở"));
        assert_eq!(rows[0].in_succession_plan, Some(true));
    }

    #[test]
    fn reports_every_bad_row_with_its_line() {
        let file = format!(
            "{HEADER}\nA1,Ok,a@x.vn,U,,,,vi\nA2,,bad-email,U,,,1990-13-01,fr\nA1,Dup,a@x.vn,U,,,,\n"
        );
        let Err(CsvRejection::Invalid(errors)) = parse(file.as_bytes()) else {
            panic!("must fail")
        };
        let at = |line, field: &str| errors.iter().any(|e| e.line == line && e.field == field);
        assert!(
            at(3, "full_name") && at(3, "email") && at(3, "date_of_birth") && at(3, "language")
        );
        assert!(at(4, "staff_code") && at(4, "email"));
        assert!(!errors.iter().any(|e| e.line == 2));
    }

    #[test]
    fn refuses_unknown_and_missing_columns() {
        let Err(CsvRejection::Invalid(errors)) = parse(b"staff_code,full_name,shoe_size\n") else {
            panic!("must fail")
        };
        assert!(errors.iter().any(|e| e.field == "shoe_size"));
        assert!(errors.iter().any(|e| e.field == "email"));
    }
}
