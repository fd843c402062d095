//! The officials' search: every word a prefix of one of an official's
//! terms (name, staff code, email), in the caller's units, a page at a
//! time.

use diesel::prelude::*;

use super::OfficialRow;
use crate::domain::official::prefix_upper_bound;
use crate::store::schema::{official_search_terms, officials};
use crate::store::{DbConnection, StoreError};

/// Search and page window.
#[derive(Debug, Clone, Default)]
pub struct OfficialFilter {
    /// Folded words; each must prefix one of the official's terms.
    pub words: Vec<String>,
    /// Only officials whose home unit is one of these (scope or filter).
    pub home_units: Option<Vec<String>>,
    /// Only ids after this.
    pub after: Option<String>,
    /// Rows to fetch.
    pub limit: i64,
}

/// A page of officials in id order. Every search word uses an index, and
/// the plan is chosen from the words' match counts (exact, from an index
/// range count): when matches are dense, officials are scanned in id order
/// and each word is probed on (official, term), which fills a page after a
/// few rows; when they are sparse, the rarest word's matches drive the
/// query and the other words are probed.
pub fn list(conn: &mut DbConnection, f: &OfficialFilter) -> Result<Vec<OfficialRow>, StoreError> {
    if f.words.is_empty() {
        list_page(conn, f)
    } else {
        crate::store::planned_per_value(conn, |conn| list_page(conn, f))
    }
}

fn list_page(conn: &mut DbConnection, f: &OfficialFilter) -> Result<Vec<OfficialRow>, StoreError> {
    // Ids first: the scan then reads only indexes; whole rows are fetched
    // for the page alone.
    let mut query = officials::table.select(officials::id).into_boxed();
    if !f.words.is_empty() {
        let mut counts = Vec::with_capacity(f.words.len());
        for word in &f.words {
            let n = count_matches(conn, word)?;
            if n == 0 {
                return Ok(Vec::new());
            }
            counts.push(n);
        }
        let total = estimated_officials(conn)?;
        let (rarest, rarest_count) = counts
            .iter()
            .copied()
            .enumerate()
            .min_by_key(|(_, n)| *n)
            .unwrap_or((0, 0));
        let density: f64 = counts
            .iter()
            .map(|n| (*n as f64 / total.max(1) as f64).min(1.0))
            .product();
        let rows_to_scan = (f.limit as f64 / density.max(1e-9)).min(total as f64);
        let scan = rows_to_scan < rarest_count as f64;
        for (i, word) in f.words.iter().enumerate() {
            let upper = prefix_upper_bound(word);
            if !scan && i == rarest {
                query = query.filter(
                    officials::id.eq_any(
                        official_search_terms::table
                            .filter(official_search_terms::term.ge(word.clone()))
                            .filter(official_search_terms::term.lt(upper))
                            .select(official_search_terms::official_id),
                    ),
                );
            } else {
                query = query.filter(diesel::dsl::exists(
                    official_search_terms::table
                        .filter(official_search_terms::official_id.eq(officials::id))
                        .filter(official_search_terms::term.ge(word.clone()))
                        .filter(official_search_terms::term.lt(upper)),
                ));
            }
        }
    }
    if let Some(units) = &f.home_units {
        query = query.filter(officials::home_unit_id.eq_any(units.clone()));
    }
    if let Some(after) = &f.after {
        query = query.filter(officials::id.gt(after.clone()));
    }
    let ids: Vec<String> = query.order(officials::id.asc()).limit(f.limit).load(conn)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(officials::table
        .filter(officials::id.eq_any(ids))
        .order(officials::id.asc())
        .select(OfficialRow::as_select())
        .load(conn)?)
}

/// Counting stops here: beyond it a word is common, and the exact number
/// does not change the plan. SQLite counts from the index alone, so it can
/// afford a high cap, and its planner needs our choice; PostgreSQL may have
/// to visit the heap for each counted row, and its planner turns either
/// form into the right semi-join by itself, so a low cap suffices.
fn count_cap(conn: &DbConnection) -> i64 {
    match conn {
        DbConnection::Pg(_) => 1_000,
        DbConnection::Sqlite(_) => 20_000,
    }
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// How many terms start with `word`, up to the backend's cap.
fn count_matches(conn: &mut DbConnection, word: &str) -> Result<i64, StoreError> {
    use diesel::sql_types::{BigInt, Text};
    let row: Count = diesel::sql_query(
        "SELECT COUNT(*) AS n FROM (SELECT 1 FROM official_search_terms \
         WHERE term >= $1 AND term < $2 LIMIT $3) AS matches",
    )
    .bind::<Text, _>(word)
    .bind::<Text, _>(prefix_upper_bound(word))
    .bind::<BigInt, _>(count_cap(conn))
    .get_result(conn)?;
    Ok(row.n)
}

/// The number of officials: PostgreSQL's planner estimate (no table scan),
/// SQLite's count (cheap on its smallest index).
fn estimated_officials(conn: &mut DbConnection) -> Result<i64, StoreError> {
    if let DbConnection::Pg(pg) = conn {
        let row: Count = diesel::sql_query(
            "SELECT GREATEST(reltuples, 0)::bigint AS n FROM pg_class WHERE relname = 'officials'",
        )
        .get_result(pg)?;
        if row.n > 0 {
            return Ok(row.n);
        }
    }
    Ok(officials::table.count().get_result(conn)?)
}
