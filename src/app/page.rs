//! Keyset pages: the window a list request asks for, its opaque cursor,
//! and the page answered, the same for every door.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};

use super::AppError;

/// Default page size.
pub const DEFAULT_LIMIT: u32 = 50;
/// Largest page size.
pub const MAX_LIMIT: u32 = 500;

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    /// The rows of this page.
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// `limit` and `cursor` of a list that has no other filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page size (1-500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl PageQuery {
    /// The validated window.
    pub fn window(&self) -> Result<PageWindow, AppError> {
        PageWindow::parse(self.limit, self.cursor.as_deref())
    }
}

/// The validated page window of a list request.
#[derive(Debug, Clone)]
pub struct PageWindow {
    /// Rows to return.
    pub limit: i64,
    /// Only rows whose key sorts after this.
    pub after: Option<String>,
}

impl PageWindow {
    /// Validates `limit` (1..=500, default 50) and decodes `cursor`.
    pub fn parse(limit: Option<u32>, cursor: Option<&str>) -> Result<Self, AppError> {
        let limit = limit.unwrap_or(DEFAULT_LIMIT);
        if limit == 0 || limit > MAX_LIMIT {
            return Err(AppError::invalid(
                "limit",
                format!("must be between 1 and {MAX_LIMIT}"),
            ));
        }
        // An empty `cursor=` (as a form sends it) is the first page.
        let after = match cursor.filter(|c| !c.is_empty()) {
            None => None,
            Some(c) => Some(decode_cursor(c).ok_or_else(|| {
                AppError::invalid(
                    "cursor",
                    "is not a cursor this service issued; pass next_cursor from the previous page",
                )
            })?),
        };
        Ok(PageWindow {
            limit: i64::from(limit),
            after,
        })
    }

    /// How many rows to fetch: one more than the page, to know if more exist.
    pub fn fetch(&self) -> i64 {
        self.limit + 1
    }

    /// Pages a bounded list held in memory (the milestones of one
    /// secondment, a year's holidays): rows are ordered by `key`, and the
    /// cursor is the last key, so pages stay stable under inserts just as
    /// the keyset pages read from the database do.
    pub fn page_sorted<R, T>(
        &self,
        rows: Vec<R>,
        key: impl Fn(&R) -> String,
        mut map: impl FnMut(R) -> T,
    ) -> Page<T> {
        let mut keyed: Vec<(String, R)> = rows.into_iter().map(|r| (key(&r), r)).collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        let after = self.after.as_deref();
        let rows: Vec<(String, R)> = keyed
            .into_iter()
            .filter(|(k, _)| after.is_none_or(|a| k.as_str() > a))
            .take(usize::try_from(self.fetch()).unwrap_or(usize::MAX))
            .collect();
        self.page(rows, |(k, _)| k.clone(), |(_, r)| map(r))
    }

    /// Turns fetched rows into a page, with the cursor from the last key.
    pub fn page<R, T>(
        &self,
        mut rows: Vec<R>,
        key: impl Fn(&R) -> String,
        map: impl FnMut(R) -> T,
    ) -> Page<T> {
        let limit = usize::try_from(self.limit).unwrap_or(usize::MAX);
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next_cursor = if more {
            rows.last().map(|r| encode_cursor(&key(r)))
        } else {
            None
        };
        Page {
            items: rows.into_iter().map(map).collect(),
            next_cursor,
        }
    }
}

/// Bytes of checksum appended to a cursor's key.
const CURSOR_CHECK: usize = 6;

fn cursor_check(key: &[u8]) -> [u8; CURSOR_CHECK] {
    let digest = Sha256::new()
        .chain_update(b"secondments-cursor\0")
        .chain_update(key)
        .finalize();
    let mut out = [0u8; CURSOR_CHECK];
    out.copy_from_slice(&digest[..CURSOR_CHECK]);
    out
}

/// A cursor is the last key of a page with a checksum, base64url: opaque
/// to clients, and one that was never issued (edited, truncated, made up)
/// fails the checksum.
pub fn encode_cursor(key: &str) -> String {
    let mut bytes = key.as_bytes().to_vec();
    bytes.extend_from_slice(&cursor_check(key.as_bytes()));
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The key inside a cursor this service issued.
pub fn decode_cursor(cursor: &str) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    let split = bytes.len().checked_sub(CURSOR_CHECK)?;
    let (key, check) = bytes.split_at(split);
    if key.is_empty() || check != cursor_check(key) {
        return None;
    }
    String::from_utf8(key.to_vec()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    #[test]
    fn limits_are_checked_and_cursors_round_trip() {
        assert!(PageWindow::parse(Some(0), None).is_err());
        assert!(PageWindow::parse(Some(501), None).is_err());
        assert!(PageWindow::parse(None, Some("***")).is_err());
        assert!(PageWindow::parse(None, Some(&URL_SAFE_NO_PAD.encode("b"))).is_err());
        assert!(PageWindow::parse(None, Some("")).unwrap().after.is_none());
        let w = PageWindow::parse(Some(2), None).unwrap();
        let page = w.page(vec!["a", "b", "c"], |s| s.to_string(), |s| s.to_string());
        assert_eq!(page.items, vec!["a", "b"]);
        let next = PageWindow::parse(Some(2), page.next_cursor.as_deref()).unwrap();
        assert_eq!(next.after.as_deref(), Some("b"));
        let last = w.page(vec!["x"], |s| s.to_string(), |s| s.to_string());
        assert_eq!(last.next_cursor, None);
    }
}
