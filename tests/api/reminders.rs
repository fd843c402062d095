//! Who a reminder reaches and what it carries: both sides' HR officers at
//! the end of a secondment, one item per request and person, and absolute
//! links whether the server or the `tick` command planned it.

use std::path::Path;

use serde_json::{json, Value};

use crate::email::{emails, reminders, smtp_world, SmtpSink};
use crate::helpers::spawn_app;
use crate::lifecycle::world_with;

/// The plain-text bodies of the `.eml` files in `dir`, decoded (quoted
/// printable or base64) by Python's email parser: (To, text).
fn eml_texts(dir: &Path) -> Vec<(String, String)> {
    let script = r#"
import email, json, pathlib, sys
out = []
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.eml")):
    msg = email.message_from_bytes(path.read_bytes())
    texts = [p.get_payload(decode=True).decode(p.get_content_charset() or "utf-8")
             for p in msg.walk() if p.get_content_type() == "text/plain"]
    out.append([str(msg["To"]), "\n".join(texts)])
print(json.dumps(out))
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(dir)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<(String, String)> = serde_json::from_slice(&out.stdout).unwrap();
    rows
}

#[actix_web::test]
async fn the_tick_command_writes_absolute_links_like_the_server() {
    let w = world_with(spawn_app().await).await;
    // Ends on Tuesday 2025-06-24: the 7-day reminder is due on the 17th.
    let id = w.approved("2025-01-06", "2025-06-24").await;
    for (public_url, expected) in [
        ("", "http://127.0.0.1:8080".to_string()),
        (
            "https://biet-phai.example.gov.vn/",
            "https://biet-phai.example.gov.vn".to_string(),
        ),
    ] {
        let outbox = tempfile::tempdir().unwrap();
        let date = if public_url.is_empty() {
            "2025-05-23"
        } else {
            "2025-06-17"
        };
        let out = crate::binary::binary(&w.app.db.url())
            .env("SECONDMENTS__SERVER__PORT", "8080")
            .env("SECONDMENTS__SERVER__PUBLIC_URL", public_url)
            .env("SECONDMENTS__MAIL__TRANSPORT", "file")
            .env("SECONDMENTS__MAIL__FILE_DIR", outbox.path())
            .args(["tick", "--date", date])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let texts = eml_texts(outbox.path());
        assert!(!texts.is_empty(), "the tick sent reminders");
        let link = format!("{expected}/secondments/{id}");
        for (to, text) in &texts {
            assert!(text.contains(&link), "to {to}: no {link} in\n{text}");
            assert!(!text.contains(": /secondments/"), "{text}");
        }
    }
}

#[actix_web::test]
async fn the_host_sides_hr_officers_receive_the_end_reminder() {
    let w = world_with(spawn_app().await).await;
    let host_hr = w
        .app
        .create_session(&w.admin, "hr_officer", Some(&w.province), None)
        .await;
    let id = w.approved("2025-01-06", "2025-06-24").await;
    w.tick("2025-06-17").await;
    let outbox = emails(&w.app, &w.admin, &format!("?secondment_id={id}")).await;
    let to: Vec<String> = reminders(&outbox, "end_reminder")
        .into_iter()
        .map(|(to, _)| to.to_lowercase())
        .collect();
    for who in [
        &host_hr.email,
        &w.hr.email,
        &w.home_director.email,
        &w.host_director.email,
    ] {
        assert!(to.contains(&who.to_lowercase()), "{who} not in {to:?}");
    }
}

#[actix_web::test]
async fn a_director_of_a_unit_and_its_parent_is_told_of_a_request_once() {
    let dir = tempfile::tempdir().unwrap();
    let Some(sink) = SmtpSink::start(dir.path()) else {
        return;
    };
    let w = smtp_world(sink.port).await;
    // The province's director decides for the host department (in scope)
    // and is also the head of its parent unit (escalation).
    let province_director = w
        .app
        .create_session(&w.admin, "director", Some(&w.province), None)
        .await;
    let s = w.create_ok("2030-01-01", "2030-06-30").await;
    let id = s["id"].as_str().unwrap();
    w.act(&w.hr.token, id, "submit", json!({})).await;
    w.act(&w.home_director.token, id, "approve", json!({}))
        .await;
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .date_naive();
    let day = |n: u64| (today + chrono::Days::new(n)).to_string();
    // The first tick comes when the request is due both a nudge and an
    // escalation: the host director and the province director each get
    // one email naming it once.
    assert_eq!(w.tick(&day(7)).await["reminders_planned"], 2);
    let mine = emails(&w.app, &w.admin, &format!("?secondment_id={id}")).await;
    let to_province: Vec<&Value> = mine
        .iter()
        .filter(|e| {
            e["recipient_email"].as_str().unwrap().to_lowercase()
                == province_director.email.to_lowercase()
        })
        .collect();
    assert_eq!(to_province.len(), 1, "{mine:?}");
    assert_eq!(to_province[0]["kind"], "approval_nudge", "not a digest");
    let delivered: Vec<String> = sink
        .messages()
        .into_iter()
        .filter(|(to, _, _)| {
            to.to_lowercase()
                .contains(&province_director.email.to_lowercase())
        })
        .map(|(_, _, text)| text)
        .collect();
    assert_eq!(delivered.len(), 1);
    let texts = eml_texts(dir.path());
    let text = texts
        .iter()
        .find(|(to, _)| {
            to.to_lowercase()
                .contains(&province_director.email.to_lowercase())
        })
        .map(|(_, t)| t.clone())
        .unwrap();
    // Told to decide, not as head of the parent unit.
    assert!(!text.contains("cấp trên"), "{text}");
    assert_eq!(text.matches("Phạm Quang Hiếu").count(), 1, "{text}");
    // The escalation is not sent later on its own either.
    assert_eq!(w.tick(&day(8)).await["reminders_planned"], 0);
}
