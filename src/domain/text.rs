//! Text folding for search: case and Vietnamese diacritics ignored.

use chrono::{Datelike, NaiveDate};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Folds text for diacritic- and case-insensitive search: lower-cases,
/// decomposes (NFD), drops combining marks, maps `đ`/`Đ` (a letter of its own, not a
/// `d` with a mark) to `d`, and collapses whitespace.
/// `"Phạm Quang Hiếu"` becomes `"pham quang hieu"`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_space = true;
    for c in text.to_lowercase().nfd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            other => other,
        };
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
            continue;
        }
        last_space = false;
        out.push(c);
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The earliest date the service accepts.
pub const DAY_MIN: &str = "1900-01-01";
/// The latest date the service accepts.
pub const DAY_MAX: &str = "2199-12-31";

/// Why a date or a text is refused; its words are the API's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextRefusal {
    /// Not shaped `YYYY-MM-DD`.
    #[error("must be a date written YYYY-MM-DD")]
    NotADate,
    /// Shaped like a date, but no day of the calendar.
    #[error("{0} is not a date in the calendar")]
    NotInCalendar(String),
    /// Before [`DAY_MIN`] or after [`DAY_MAX`].
    #[error("must be between {DAY_MIN} and {DAY_MAX}")]
    OutOfRange,
    /// Control characters; for a line or a code, line breaks too.
    #[error("{}", if *.line_breaks { "must not contain control characters or line breaks" } else { "must not contain control characters" })]
    ControlCharacters {
        /// Whether line breaks were refused as well (not in prose).
        line_breaks: bool,
    },
    /// White space in a code.
    #[error("must not contain spaces")]
    Spaces,
    /// More than `max` characters.
    #[error("must be at most {max} characters")]
    TooLong {
        /// The most allowed.
        max: usize,
    },
    /// Nothing but white space where something is required.
    #[error("must not be empty")]
    Empty,
    /// Fewer than `min` characters.
    #[error("must be at least {min} characters")]
    TooShort {
        /// The fewest allowed.
        min: usize,
    },
}

impl From<TextRefusal> for String {
    fn from(r: TextRefusal) -> String {
        r.to_string()
    }
}

/// Parses a date written exactly `YYYY-MM-DD` (zero-padded) between
/// [`DAY_MIN`] and [`DAY_MAX`].
pub fn parse_day(text: &str) -> Result<NaiveDate, TextRefusal> {
    let b = text.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return Err(TextRefusal::NotADate);
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| TextRefusal::NotInCalendar(text.to_string()))?;
    let year = date.year();
    if !(1900..=2199).contains(&year) {
        return Err(TextRefusal::OutOfRange);
    }
    Ok(date)
}

/// Which characters a text may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// One line: no control characters at all.
    Line,
    /// Prose: line breaks and tabs allowed.
    Prose,
    /// A code: no white space and no control characters.
    Token,
}

/// Trims `text` and checks it: no control characters (besides line
/// breaks and tabs in prose), `min..=max` characters.
pub fn check_text(
    text: &str,
    kind: TextKind,
    min: usize,
    max: usize,
) -> Result<String, TextRefusal> {
    let allowed = |c: char| kind == TextKind::Prose && matches!(c, '\n' | '\r' | '\t');
    if text.chars().any(|c| c.is_control() && !allowed(c)) {
        return Err(TextRefusal::ControlCharacters {
            line_breaks: kind != TextKind::Prose,
        });
    }
    // U+FEFF (a byte-order mark pasted from a file) counts as white space,
    // as it does in the patterns of the OpenAPI document.
    let is_space = |c: char| c.is_whitespace() || c == '\u{feff}';
    if kind == TextKind::Token && text.chars().any(is_space) {
        return Err(TextRefusal::Spaces);
    }
    // The limit counts what was sent, as the documented maxLength does;
    // the text is kept trimmed.
    if text.chars().count() > max {
        return Err(TextRefusal::TooLong { max });
    }
    let trimmed = text.trim_matches(is_space);
    let n = trimmed.chars().count();
    if n < min {
        return Err(if min == 1 {
            TextRefusal::Empty
        } else {
            TextRefusal::TooShort { min }
        });
    }
    Ok(trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn vietnamese_names_fold_to_ascii() {
        assert_eq!(fold("Phạm Quang Hiếu"), "pham quang hieu");
        assert_eq!(fold("Đặng Văn Lâm"), "dang van lam");
        assert_eq!(fold("  SỞ   Thông tin "), "so thong tin");
        assert_eq!(fold("Quảng Trị"), "quang tri");
    }

    proptest! {
        #[test]
        fn folding_is_idempotent(s in "\\PC{0,40}") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once);
        }
    }
}
