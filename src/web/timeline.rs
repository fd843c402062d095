//! A secondment's history in words: who did what, on which day, and what
//! it was about ("Nguyễn Văn A đã phê duyệt gia hạn: 31/01/2027 → 31/01/2028
//! (Quyết định số 12/QĐ) ngày 12/12/2026").

use serde::Serialize;
use serde_json::Value;

use super::i18n::Lang;
use crate::app::audit::{AuditEvent, Names};
use crate::app::refs::Refs;

/// One event, told.
#[derive(Debug, Serialize)]
pub struct Line {
    /// The whole sentence.
    pub text: String,
    /// A comment recorded with it, when any (a decision's comment, an
    /// extension's reason, the return arrangement).
    pub comment: Option<String>,
}

/// The events, oldest first, as sentences in `lang`; days in `tz`. The
/// default milestones planned by an approval are one line, not one each.
pub fn lines(lang: Lang, events: &[AuditEvent], names: &Names, tz: chrono_tz::Tz) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut defaults: Option<(usize, Vec<String>)> = None;
    for (i, e) in events.iter().enumerate() {
        let after = json(e.after_json.as_deref());
        let before = json(e.before_json.as_deref());
        let day = lang.day(e.occurred_at.and_utc().with_timezone(&tz).date_naive());
        let who = match e.actor_id.as_deref() {
            Some(id) => {
                let u = names.user_ref(id);
                u.full_name.unwrap_or(u.email)
            }
            None => lang.word("system"),
        };
        let text_of = |what: String| format!("{who} {what} {} {day}", lang.word("on"));
        if is_default_milestone(e, &after) {
            let title = text(&after, "title").unwrap_or_default();
            match defaults.as_mut() {
                Some((at, titles)) if *at + titles.len() == i => titles.push(title),
                _ => {
                    defaults = Some((i, vec![title]));
                    lines.push(Line {
                        text: String::new(),
                        comment: None,
                    });
                }
            }
            if let (Some((_, titles)), Some(last)) = (&defaults, lines.last_mut()) {
                let what = format!(
                    "{}: {}",
                    lang.word("did.milestone.defaults"),
                    titles.join("; ")
                );
                last.text = text_of(what);
            }
            continue;
        }
        let what = format!(
            "{}{}",
            lang.word(&format!("did.{}", action(e, &after))),
            detail(lang, e, &before, &after, names)
        );
        lines.push(Line {
            text: text_of(what),
            comment: comment(e, &before, &after),
        });
    }
    lines
}

fn json(text: Option<&str>) -> Value {
    text.and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or(Value::Null)
}

fn text(v: &Value, name: &str) -> Option<String> {
    v.get(name).and_then(Value::as_str).map(str::to_string)
}

/// A milestone planned from a template by the system (an approval).
fn is_default_milestone(e: &AuditEvent, after: &Value) -> bool {
    e.action == "milestone.created" && e.actor_id.is_none() && text(after, "template").is_some()
}

/// The action's key: a decision on an extension says so, and
/// a lapsed extension says why (the secondment completed, was cancelled
/// or terminated).
fn action(e: &AuditEvent, after: &Value) -> String {
    match (
        text(after, "request").as_deref(),
        text(after, "lapsed_because"),
    ) {
        (Some("extension"), _) if e.action.starts_with("approval.") => {
            format!("{}.extension", e.action)
        }
        (_, Some(why)) if e.action == "extension.lapsed" => format!("{}.{why}", e.action),
        _ => e.action.clone(),
    }
}

/// A day stored as `YYYY-MM-DD`, in the user's words.
fn day_of(lang: Lang, v: &Value, name: &str) -> Option<String> {
    let raw = text(v, name)?;
    chrono::NaiveDate::parse_from_str(&raw, "%Y-%m-%d")
        .ok()
        .map(|d| lang.day(d))
}

/// What the event was about, after its verb: the sides decided for, the
/// milestone's or outcome's title, the dates of an extension, the units of
/// a merger.
fn detail(lang: Lang, e: &AuditEvent, before: &Value, after: &Value, names: &Names) -> String {
    let mut out = String::new();
    if let Some(sides) = after.get("sides").and_then(Value::as_array) {
        let sides: Vec<String> = sides
            .iter()
            .filter_map(Value::as_str)
            .map(|s| lang.word(&format!("side.{s}")))
            .collect();
        if !sides.is_empty() {
            out.push_str(&format!(" ({})", sides.join(", ")));
        }
    }
    match e.action.as_str() {
        a if a.starts_with("milestone.") || a.starts_with("outcome.") => {
            if let Some(title) = text(after, "title").or_else(|| text(before, "title")) {
                out.push_str(&format!(" «{title}»"));
            }
        }
        "extension.requested" => {
            if let Some(until) = day_of(lang, after, "requested_end_date") {
                out.push_str(&format!(" {} {until}", lang.word("story.until")));
            }
        }
        "extension.approved" | "extension.rejected" | "extension.withdrawn" => {
            if let (Some(from), Some(to)) = (
                day_of(lang, after, "previous_end_date"),
                day_of(lang, after, "requested_end_date"),
            ) {
                out.push_str(&format!(": {from} → {to}"));
            }
            if let Some(number) = text(after, "decision_ref") {
                out.push_str(&format!(" ({} {number})", lang.word("story.decision")));
            }
        }
        "secondment.extended" => {
            if let (Some(from), Some(to)) = (
                day_of(lang, before, "end_date"),
                day_of(lang, after, "end_date"),
            ) {
                out.push_str(&format!(": {from} → {to}"));
            }
        }
        "secondment.terminate" => {
            if let Some(ended) = day_of(lang, after, "actual_end_date") {
                out.push_str(&format!(", {} {ended}", lang.word("story.ended_on")));
            }
        }
        "secondment.unit_merged" => {
            let merger = after.get("detail").cloned().unwrap_or(Value::Null);
            if let (Some(old), Some(new)) = (
                text(&merger, "merged_unit_id"),
                text(&merger, "successor_id"),
            ) {
                let (old, new) = (names.unit(&old).name, names.unit(&new).name);
                out.push_str(&format!(": {old} → {new}"));
            }
            if let Some(from) = day_of(lang, &merger, "effective_date") {
                out.push_str(&format!(", {} {from}", lang.word("story.effective")));
            }
        }
        "secondment.approve" => {
            if let Some(number) = text(after, "decision_ref") {
                out.push_str(&format!(" ({} {number})", lang.word("story.decision")));
            }
        }
        _ => {}
    }
    out
}

/// The words recorded with the event: a decision's comment, an extension's
/// reason, a termination's reason, a return arrangement newly recorded.
fn comment(e: &AuditEvent, before: &Value, after: &Value) -> Option<String> {
    match e.action.as_str() {
        "extension.requested" => text(after, "reason"),
        "secondment.updated"
            if text(after, "return_arrangement") != text(before, "return_arrangement") =>
        {
            text(after, "return_arrangement")
        }
        "secondment.updated" => None,
        _ => text(after, "comment").or_else(|| text(after, "reason")),
    }
}
