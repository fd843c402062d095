//! A pending extension does not outlive its secondment: when the tick
//! completes it, or HR cancels it, the request lapses (decision 0037).

use secondments::config::{SmtpSecurity, TransportKind};
use serde_json::{json, Value};

use crate::console::Browser;
use crate::helpers::{assert_problem, spawn_app_with};
use crate::lifecycle::{world_with, World};

/// A world whose emails are never delivered (nothing listens on the SMTP
/// port), so planned reminders stay unsent.
async fn undelivered_world() -> World {
    let port = crate::email::free_port();
    let app = spawn_app_with(|s| {
        s.mail.transport = TransportKind::Smtp;
        s.mail.smtp.host = "127.0.0.1".into();
        s.mail.smtp.port = port;
        s.mail.smtp.security = SmtpSecurity::None;
        s.mail.smtp.timeout_secs = 1;
        s.mail.max_attempts = 50;
        s.mail.retry_base_secs = 0;
    })
    .await;
    world_with(app).await
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .date_naive()
}

fn day(offset: i64) -> String {
    (today() + chrono::Duration::days(offset)).to_string()
}

async fn ask_extension(w: &World, id: &str, until: &str) -> String {
    let res = w
        .app
        .post_as(
            &w.cadre.token,
            &format!("/api/v1/secondments/{id}/extensions"),
            &json!({"requested_end_date": until, "reason": "Sở đề nghị kéo dài"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let ext: Value = res.json().await.unwrap();
    ext["id"].as_str().unwrap().to_string()
}

async fn extension(w: &World, id: &str, ext_id: &str) -> Value {
    w.app
        .list_all(&w.admin, &format!("/api/v1/secondments/{id}/extensions"))
        .await
        .into_iter()
        .find(|e| e["id"] == ext_id)
        .expect("the extension is listed")
}

async fn history_actions(w: &World, id: &str) -> Vec<Value> {
    w.app
        .list_all(&w.admin, &format!("/api/v1/secondments/{id}/history"))
        .await
}

#[actix_web::test]
async fn the_tick_completing_a_secondment_closes_its_pending_extension() {
    let w = undelivered_world().await;
    let id = w.approved(&day(-30), &day(5)).await;
    assert_eq!(w.tick(&day(0)).await["activated"], 1);
    let ext_id = ask_extension(&w, &id, &day(60)).await;
    // One side decided; the other still has to.
    let res = w
        .app
        .post_as(
            &w.home_director.token,
            &format!("/api/v1/extensions/{ext_id}/approve"),
            &json!({"comment": "Đồng ý"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    // Day 4: the host director is nudged about it (the email stays unsent).
    w.tick(&day(4)).await;
    let nudges = crate::email::emails(&w.app, &w.admin, &format!("?secondment_id={id}")).await;
    let nudges: Vec<&Value> = nudges
        .iter()
        .filter(|e| e["kind"] == "approval_nudge")
        .collect();
    assert!(!nudges.is_empty(), "the host director is nudged");

    // Day 6: the end date (day 5) has passed; the secondment completes.
    assert_eq!(w.tick(&day(6)).await["completed"], 1);
    assert_eq!(w.status(&id).await, "completed");
    let ext = extension(&w, &id, &ext_id).await;
    assert_eq!(ext["status"], "withdrawn", "{ext}");
    let s: Value = w.get(&w.admin, &id).await.json().await.unwrap();
    assert_eq!(s["pending_extension"], Value::Null);
    // Not waiting for the host director any more, and not decidable.
    let pending = w
        .app
        .list_all(&w.host_director.token, "/api/v1/approvals/pending")
        .await;
    assert!(
        !pending.iter().any(|p| p.to_string().contains(&ext_id)),
        "{pending:?}"
    );
    let res = w
        .app
        .post_as(
            &w.host_director.token,
            &format!("/api/v1/extensions/{ext_id}/approve"),
            &json!({}),
        )
        .await;
    assert_problem(res, 409, "invalid-transition").await;
    // A director who still had the approvals page open gets a page in
    // their language that keeps the menu.
    let director =
        Browser::signed_in(&w.app, &w.host_director.email, &w.host_director.password).await;
    let res = director
        .submit(
            &format!("/approvals/extension/{ext_id}"),
            &[
                ("decision", "approve"),
                ("comment", ""),
                ("decision_ref", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), 409);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("hồ sơ đã chuyển sang trạng thái khác"),
        "{page}"
    );
    assert!(
        page.contains("Đăng xuất") && page.contains("href=\"/approvals\""),
        "{page}"
    );
    // Its nudges are not sent any more.
    let outbox = crate::email::emails(&w.app, &w.admin, &format!("?secondment_id={id}")).await;
    for e in outbox.iter().filter(|e| e["kind"] == "approval_nudge") {
        assert_eq!(e["status"], "cancelled", "{e}");
    }
    // The history says what happened, and the console tells it in words.
    let history = history_actions(&w, &id).await;
    let lapsed: Vec<&Value> = history
        .iter()
        .filter(|e| e["action"] == "extension.lapsed")
        .collect();
    assert_eq!(lapsed.len(), 1, "{history:?}");
    assert_eq!(lapsed[0]["after"]["status"], "withdrawn");
    assert_eq!(lapsed[0]["after"]["lapsed_because"], "completed");
    let browser = Browser::admin(&w.app).await;
    let (status, page) = browser.page(&format!("/secondments/{id}")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("đóng đề nghị gia hạn chưa được quyết định vì đợt biệt phái đã kết thúc"),
        "{page}"
    );
    // The next tick does not nudge about it again.
    assert_eq!(w.tick(&day(8)).await["reminders_planned"], 0);
}

#[actix_web::test]
async fn cancelling_an_approved_secondment_closes_its_pending_extension() {
    let w = undelivered_world().await;
    let id = w.approved(&day(30), &day(90)).await;
    let ext_id = ask_extension(&w, &id, &day(120)).await;
    let res = w
        .act(
            &w.hr.token,
            &id,
            "cancel",
            json!({"reason": "Đổi kế hoạch"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(extension(&w, &id, &ext_id).await["status"], "withdrawn");
    let history = history_actions(&w, &id).await;
    let lapsed = history
        .iter()
        .find(|e| e["action"] == "extension.lapsed")
        .expect("a history event for the lapsed extension");
    assert_eq!(lapsed["after"]["lapsed_because"], "cancelled", "{lapsed}");
    let res = w
        .app
        .post_as(
            &w.home_director.token,
            &format!("/api/v1/extensions/{ext_id}/approve"),
            &json!({}),
        )
        .await;
    assert_problem(res, 409, "invalid-transition").await;
}
