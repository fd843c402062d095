//! What the allowed-actions walk sends: the request a user sends for each
//! secondment-level flag, and fresh postings in any status for the
//! actions that change state.

use chrono::{Days, Months, NaiveDate};
use serde_json::{json, Value};

use crate::actions::ok;
use crate::lifecycle::World;

/// Every secondment-level flag of `actions` except `complete_milestone`
/// (each milestone carries its own): those the console offers
/// (`actions::offers`), and the rejections and extension decisions its
/// approvals page offers.
pub(crate) const FLAGS: [&str; 14] = [
    "edit",
    "submit",
    "cancel",
    "terminate",
    "record_return",
    "approve",
    "reject",
    "request_extension",
    "withdraw_extension",
    "approve_extension",
    "reject_extension",
    "plan_milestone",
    "log_outcome",
    "evaluate",
];

/// A date field of a secondment's JSON.
fn day(s: &Value, field: &str) -> NaiveDate {
    let text = s[field].as_str().unwrap_or_else(|| panic!("{field}: {s}"));
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// Takes the action of `flag` as `token` on the secondment `s` (as the
/// administrator reads it) with the request a user sends for it, its
/// dates within the posting so that only the caller and the status can
/// refuse it. `None` for an action on a pending extension when none is
/// pending: no request names it.
pub(crate) async fn take(
    w: &World,
    token: &str,
    flag: &str,
    s: &Value,
) -> Option<reqwest::Response> {
    let app = &w.app;
    let id = s["id"].as_str().unwrap();
    let (start, end) = (day(s, "start_date"), day(s, "end_date"));
    let on = |days: u64| (start + Days::new(days)).to_string();
    let of = |a: &str| format!("/api/v1/secondments/{id}/{a}");
    // The approvals page sends its comment and decision number.
    let decision = json!({"comment": "Đồng ý theo đề nghị", "decision_ref": "15/QĐ-BTTTT"});
    let (path, body) = match flag {
        // `edit` is the whole proposal, dates included: the end date is
        // what only a draft may change (a title may change while open).
        "edit" | "record_return" => {
            let body = if flag == "edit" {
                json!({"end_date": (end - Days::new(1)).to_string()})
            } else {
                json!({"return_arrangement": "Trở về Cục Chuyển đổi số"})
            };
            let path = format!("/api/v1/secondments/{id}");
            let etag = format!("\"{}\"", s["version"]);
            return Some(app.patch_as(token, &path, Some(&etag), &body).await);
        }
        "submit" => (of("submit"), json!({})),
        "cancel" => (of("cancel"), json!({"reason": "Theo đề nghị của đơn vị"})),
        "terminate" => (
            of("terminate"),
            json!({"reason": "Theo đề nghị của đơn vị", "actual_end_date": on(20)}),
        ),
        "approve" | "reject" => (of(flag), decision),
        "request_extension" => (
            of("extensions"),
            json!({"requested_end_date": (end + Days::new(15)).to_string(),
                   "reason": "Hoàn thành đề án"}),
        ),
        "withdraw_extension" | "approve_extension" | "reject_extension" => {
            let ext = s["pending_extension"]["id"].as_str()?;
            let verb = flag.trim_end_matches("_extension");
            let body = if verb == "withdraw" {
                json!({})
            } else {
                decision
            };
            (format!("/api/v1/extensions/{ext}/{verb}"), body)
        }
        "plan_milestone" => (
            of("milestones"),
            json!({"title": "Báo cáo giữa kỳ", "due_date": on(10)}),
        ),
        "log_outcome" => (
            of("outcomes"),
            json!({"title": "Hội thảo chuyển đổi số", "pillar": "digital_government",
                   "occurred_on": on(5)}),
        ),
        "evaluate" => (
            of("evaluation"),
            json!({"rating": "good", "comment": "Hoàn thành tốt nhiệm vụ"}),
        ),
        other => panic!("no request for {other}"),
    };
    Some(app.post_as(token, &path, &body).await)
}

/// The walk's status names and the API's.
fn api_status(status: &str) -> &str {
    match status {
        "pending" => "pending_approval",
        s => s,
    }
}

/// A fresh posting of the world's official in `status`, shaped as the
/// walk's shared posting of that status (the approved one carries the
/// cadre's pending extension), for an action that changes state; the
/// administrator's read of it.
///
/// Posting `k` runs two months from the `k`th quarter of 2010, clear of
/// the official's other postings (the walk's start in 2024) and leaving
/// room for an extension. The tick that activates or completes it
/// touches only postings of earlier quarters, whose actions are taken.
pub(crate) async fn fresh(w: &World, status: &str, k: u32) -> Value {
    let start = NaiveDate::from_ymd_opt(2010, 1, 1).unwrap() + Months::new(3 * k);
    let end = start + Months::new(2) - Days::new(1);
    let (from, to) = (start.to_string(), end.to_string());
    let id = match status {
        "draft" | "pending" => {
            let id = w.create_ok(&from, &to).await["id"]
                .as_str()
                .unwrap()
                .to_string();
            if status == "pending" {
                ok(w.act(&w.hr.token, &id, "submit", json!({})).await).await;
            }
            id
        }
        _ => w.approved(&from, &to).await,
    };
    match status {
        "approved" => {
            let path = format!("/api/v1/secondments/{id}/extensions");
            let body = json!({"requested_end_date": (end + Days::new(10)).to_string(),
                              "reason": "Hoàn thành đề án"});
            ok(w.app.post_as(&w.cadre.token, &path, &body).await).await;
        }
        "active" => {
            w.tick(&from).await;
        }
        "completed" => {
            // One tick both starts and ends it.
            w.tick(&(end + Days::new(1)).to_string()).await;
        }
        _ => {}
    }
    let s = ok(w.get(&w.admin, &id).await).await;
    assert_eq!(s["status"], api_status(status), "{s}");
    s
}
