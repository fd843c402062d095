//! The reports summary as a page: counts by status and by host province,
//! each as a table and a bar chart drawn on the server (SVG, no script).

use actix_web::HttpResponse;
use minijinja::context;
use serde::Serialize;

use crate::app::reports::{self, StatusCounts, SummaryQuery};
use crate::app::{units, Context};
use crate::web::render::{Console, PageError};

/// One bar of a chart.
#[derive(Debug, Serialize)]
pub struct Bar {
    /// What it counts (a word key or a name).
    pub label: String,
    /// The count.
    pub value: i64,
    /// Its length in the chart's units (0..=100).
    pub length: f64,
    /// Its row's top edge.
    pub y: i64,
}

/// Bars for `(label, value)`, the longest 100 units long.
pub fn bars(rows: Vec<(String, i64)>) -> Vec<Bar> {
    let max = rows.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    rows.into_iter()
        .enumerate()
        .map(|(i, (label, value))| Bar {
            length: (value as f64 / max as f64 * 100.0 * 10.0).round() / 10.0,
            y: i as i64 * 28,
            label,
            value,
        })
        .collect()
}

fn by_status(c: &StatusCounts) -> Vec<(String, i64)> {
    [
        ("draft", c.draft),
        ("pending_approval", c.pending_approval),
        ("approved", c.approved),
        ("active", c.active),
        ("completed", c.completed),
        ("rejected", c.rejected),
        ("cancelled", c.cancelled),
        ("terminated", c.terminated),
    ]
    .into_iter()
    .map(|(status, n)| (format!("status.{status}"), n))
    .collect()
}

/// `/reports`: the summary of the caller's scope on a day (default today).
pub async fn summary(c: Console) -> Result<HttpResponse, PageError> {
    let query: SummaryQuery = c.query(&["lang"])?;
    let (user, cx) = (c.user(), Context::now(c.state.settings.clone()));
    let s = units::lagging(&c.state.db, move |tx| {
        reports::summary(&user, tx, &cx, query)
    })
    .await
    .map_err(|e| c.fail_app(e))?;
    let statuses = bars(by_status(&s.by_status));
    let provinces = bars(
        s.by_host_province
            .iter()
            .map(|p| (p.province.name.clone(), p.in_post))
            .collect(),
    );
    c.render(
        "reports.html",
        context! { s => s, statuses => statuses, provinces => provinces },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_bar_fills_the_chart_and_an_empty_chart_has_no_length() {
        let b = bars(vec![("a".into(), 4), ("b".into(), 1), ("c".into(), 0)]);
        assert_eq!(b[0].length, 100.0);
        assert_eq!(b[1].length, 25.0);
        assert_eq!(b[2].length, 0.0);
        assert_eq!(b[2].y, 56);
        assert!(bars(vec![("a".into(), 0)])[0].length == 0.0);
    }
}
