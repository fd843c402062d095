//! Officials: search terms and the search query.

use super::text::fold;

/// The folded words under which an official is found: each word of the
/// name, the staff code and its parts, the email and the parts of its local
/// part. A search word matches a term it is a prefix of.
pub fn search_terms(full_name: &str, staff_code: &str, email: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    let mut push = |t: &str| {
        let t = t.trim();
        if !t.is_empty() && !terms.iter().any(|x| x == t) {
            terms.push(t.to_string());
        }
    };
    for word in fold(full_name).split(' ') {
        push(word);
    }
    let code = fold(staff_code);
    push(&code);
    for part in code.split(|c: char| !c.is_alphanumeric()) {
        push(part);
    }
    let email = email.trim().to_lowercase();
    push(&email);
    if let Some((local, _)) = email.split_once('@') {
        for part in fold(local).split(|c: char| !c.is_alphanumeric()) {
            push(part);
        }
    }
    terms
}

/// The words of a search query, folded; every one must match.
pub fn query_words(q: &str) -> Vec<String> {
    fold(q)
        .split(' ')
        .filter(|w| !w.is_empty())
        .take(8)
        .map(str::to_string)
        .collect()
}

/// The smallest string greater than every string that starts with
/// `prefix`, for an index range `term >= prefix AND term < bound` (byte
/// order, as SQLite's BINARY and PostgreSQL's "C" collation compare).
pub fn prefix_upper_bound(prefix: &str) -> String {
    format!("{prefix}{}", char::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_cover_name_code_and_email() {
        let t = search_terms("Phạm Quang Hiếu", "MIC-00123", "Hieu.Pham@mic.gov.vn");
        for want in [
            "pham",
            "quang",
            "hieu",
            "mic-00123",
            "mic",
            "00123",
            "hieu.pham@mic.gov.vn",
        ] {
            assert!(t.contains(&want.to_string()), "{want} missing from {t:?}");
        }
        assert_eq!(t.iter().filter(|x| *x == "pham").count(), 1, "deduplicated");
    }

    #[test]
    fn queries_fold_like_terms() {
        assert_eq!(query_words("  ĐẶNG  văn "), ["dang", "van"]);
        let bound = prefix_upper_bound("hieu");
        assert!("hieu" < bound.as_str() && "hieuz" < bound.as_str() && "hiev" > bound.as_str());
    }
}
