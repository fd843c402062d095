//! Parsing the yearly holidays file: `date,name_vi,name_en` (a `note`
//! column is allowed and ignored), as published in
//! `src/store/reference/holidays-vn-2027.csv`. No database here.

use chrono::NaiveDate;

use super::official_csv::{header_errors, RowError};
use super::text::{check_text, parse_day, TextKind};

/// One holiday of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolidayRecord {
    /// Line in the file (the header is line 1).
    pub line: u64,
    /// The day off.
    pub date: NaiveDate,
    /// Vietnamese name.
    pub name_vi: String,
    /// English name.
    pub name_en: String,
}

const REQUIRED: [&str; 3] = ["date", "name_vi", "name_en"];
const OPTIONAL: [&str; 1] = ["note"];
/// Most rows a holidays file may hold (a few years at most).
pub const MAX_ROWS: usize = 1_000;

/// Parses the whole file: every row valid, or every problem with its line.
/// A UTF-8 byte-order mark is ignored; a day listed twice is an error.
pub fn parse(bytes: &[u8]) -> Result<Vec<HolidayRecord>, Vec<RowError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| {
            vec![RowError::new(
                1,
                "header",
                format!("cannot read the header: {e}"),
            )]
        })?
        .iter()
        .map(str::to_string)
        .collect();
    let mut errors = header_errors(&headers, &REQUIRED, &OPTIONAL);
    if !errors.is_empty() {
        return Err(errors);
    }
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (d, vi, en) = (col("date"), col("name_vi"), col("name_en"));
    let mut out: Vec<HolidayRecord> = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = u64::try_from(i).unwrap_or(u64::MAX).saturating_add(2);
        if out.len() + errors.len() >= MAX_ROWS {
            errors.push(RowError::new(
                line,
                "file",
                format!("more than {MAX_ROWS} rows"),
            ));
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(RowError::new(line, "row", format!("cannot be read: {e}")));
                continue;
            }
        };
        let get = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or("");
        let date = parse_day(get(d)).map_err(|m| errors.push(RowError::new(line, "date", m)));
        let name = |field: &str, raw: &str, errors: &mut Vec<RowError>| {
            check_text(raw, TextKind::Line, 1, 200)
                .map_err(|m| errors.push(RowError::new(line, field, m)))
        };
        let name_vi = name("name_vi", get(vi), &mut errors);
        let name_en = name("name_en", get(en), &mut errors);
        if let (Ok(date), Ok(name_vi), Ok(name_en)) = (date, name_vi, name_en) {
            if let Some(first) = out.iter().find(|h| h.date == date) {
                errors.push(RowError::new(
                    line,
                    "date",
                    format!("{date} is listed already on line {}", first.line),
                ));
                continue;
            }
            out.push(HolidayRecord {
                line,
                date,
                name_vi,
                name_en,
            });
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_2027_file_parses() {
        let rows = parse(include_bytes!("../store/reference/holidays-vn-2027.csv")).unwrap();
        assert_eq!(rows.len(), 12);
        assert_eq!(rows[0].date.to_string(), "2027-01-01");
        assert_eq!(rows[1].name_vi, "Tết Nguyên đán");
    }

    #[test]
    fn every_problem_is_named_with_its_line() {
        let file =
            "date,name_vi,name_en\n2027-13-01,A,B\n2027-01-01,,B\n2027-01-02,A,B\n2027-01-02,C,D\n";
        let errors = parse(file.as_bytes()).unwrap_err();
        let found: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.field.as_str())).collect();
        assert_eq!(found, [(2, "date"), (3, "name_vi"), (5, "date")]);
        let errors = parse(b"date,name\n").unwrap_err();
        assert!(errors.iter().any(|e| e.field == "name" && e.line == 1));
        assert!(errors.iter().any(|e| e.field == "name_vi"));
    }
}
