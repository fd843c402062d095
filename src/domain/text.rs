//! Text folding for search: case and Vietnamese diacritics ignored.

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
