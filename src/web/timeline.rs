//! A secondment's history in words: who did what, on which day
//! ("Nguyễn Văn A đã phê duyệt (đơn vị tiếp nhận) ngày 12/03/2021").

use serde::Serialize;

use super::i18n::Lang;
use crate::api::refs::Refs;
use crate::store::audit::AuditEvent;
use crate::store::names::Names;

/// One event, told.
#[derive(Debug, Serialize)]
pub struct Line {
    /// The whole sentence.
    pub text: String,
    /// A comment recorded with it, when any.
    pub comment: Option<String>,
}

/// The events, oldest first, as sentences in `lang`; days in `tz`.
pub fn lines(lang: Lang, events: &[AuditEvent], names: &Names, tz: chrono_tz::Tz) -> Vec<Line> {
    events
        .iter()
        .map(|e| {
            let after: Option<serde_json::Value> = e
                .after_json
                .as_deref()
                .and_then(|a| serde_json::from_str(a).ok());
            let who = match e.actor_id.as_deref() {
                Some(id) => {
                    let u = names.user_ref(id);
                    u.full_name.unwrap_or(u.email)
                }
                None => lang.word("system"),
            };
            let field = |name: &str| after.as_ref().and_then(|a| a.get(name));
            let sides: Vec<String> = field("sides")
                .and_then(|s| s.as_array())
                .map(|list| {
                    list.iter()
                        .filter_map(|s| s.as_str())
                        .map(|s| lang.word(&format!("side.{s}")))
                        .collect()
                })
                .unwrap_or_default();
            let side = if sides.is_empty() {
                String::new()
            } else {
                format!(" ({})", sides.join(", "))
            };
            let comment = field("comment")
                .and_then(|s| s.as_str())
                .map(str::to_string);
            // A decision on an extension says so; a lapsed extension says
            // why (the secondment completed, was cancelled or terminated).
            let action = match (
                field("request").and_then(|r| r.as_str()),
                field("lapsed_because").and_then(|r| r.as_str()),
            ) {
                (Some("extension"), _) if e.action.starts_with("approval.") => {
                    format!("{}.extension", e.action)
                }
                (_, Some(why)) if e.action == "extension.lapsed" => {
                    format!("{}.{why}", e.action)
                }
                _ => e.action.clone(),
            };
            let day = lang.day(e.occurred_at.and_utc().with_timezone(&tz).date_naive());
            Line {
                text: format!(
                    "{who} {}{side} {} {day}",
                    lang.word(&format!("did.{action}")),
                    lang.word("on")
                ),
                comment,
            }
        })
        .collect()
}
