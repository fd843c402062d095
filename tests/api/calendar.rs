//! The personal calendar feed, read by a real iCalendar parser.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::helpers::{assert_problem, spawn_app, spawn_app_with};
use crate::lifecycle::{world_with, World};

/// The feed's path, from the URL `POST /me/calendar-token` hands out.
async fn feed_path(w: &World, token: &str) -> String {
    let res = w
        .app
        .post_as(token, "/api/v1/me/calendar-token", &json!({}))
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    let url = body["url"].as_str().unwrap();
    let at = url.find("/api/v1/calendar/").expect("a feed URL");
    url[at..].to_string()
}

/// The events of the feed at `path` as the `icalendar` parser (PyPI) reads
/// them: uid -> (summary, start, end).
async fn events(w: &World, path: &str) -> Vec<(String, String, String, String)> {
    let res = w.app.get(path).await;
    assert_eq!(res.status(), 200);
    let kind = res.headers()["content-type"].to_str().unwrap().to_string();
    assert!(kind.starts_with("text/calendar"), "{kind}");
    let text = res.text().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("feed.ics");
    std::fs::write(&file, &text).unwrap();
    let script = r#"
import json, sys
from icalendar import Calendar
cal = Calendar.from_ical(open(sys.argv[1], "rb").read())
print(json.dumps([
    [str(e["UID"]), str(e["SUMMARY"]), e.decoded("DTSTART").isoformat(), e.decoded("DTEND").isoformat()]
    for e in cal.walk("VEVENT")
]))
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&file)
        .output();
    let rows: Vec<Vec<String>> = match out {
        Ok(o) if o.status.success() => serde_json::from_slice(&o.stdout).unwrap(),
        other => panic!(
            "icalendar could not read the feed (pip install icalendar; scripts/test.sh does): {other:?}\n{text}"
        ),
    };
    rows.into_iter()
        .map(|r| (r[0].clone(), r[1].clone(), r[2].clone(), r[3].clone()))
        .collect()
}

fn uids(events: &[(String, String, String, String)]) -> BTreeSet<String> {
    events.iter().map(|e| e.0.clone()).collect()
}

/// The UIDs a secondment contributes: its end and its milestones.
async fn expected(w: &World, id: &str) -> BTreeSet<String> {
    let res = w
        .app
        .get_as(&w.admin, &format!("/api/v1/secondments/{id}/milestones"))
        .await;
    let page: Value = res.json().await.unwrap();
    let mut out: BTreeSet<String> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| format!("milestone-{}@secondments", m["id"].as_str().unwrap()))
        .collect();
    out.insert(format!("secondment-{id}-end@secondments"));
    out
}

#[actix_web::test]
async fn the_feed_holds_exactly_the_visible_ends_and_milestones_in_the_users_language() {
    let w = world_with(spawn_app().await).await;
    let mine = w.approved("2026-03-01", "2027-02-28").await;
    let path = format!("/api/v1/secondments/{mine}/milestones");
    let res = w
        .app
        .post_as(
            &w.hr.token,
            &path,
            &json!({"title": "Hội thảo chuyển đổi số", "due_date": "2026-09-15"}),
        )
        .await;
    assert_eq!(res.status(), 201);

    // Outside the host director's scope: hosted in another province.
    let other_province = w.app.create_unit(&w.admin, "P20", "province", None).await;
    let elsewhere = w
        .app
        .create_unit(
            &w.admin,
            "P20-STTTT",
            "provincial_department",
            other_province["id"].as_str(),
        )
        .await;
    let official = w
        .app
        .create_official(&w.admin, &w.home, "MIC-0102", "Trần Thị Bích")
        .await;
    let mut body = w.draft_body("2026-04-01", "2027-03-31");
    body["official_id"] = official["id"].clone();
    body["host_unit_id"] = elsewhere["id"].clone();
    let res = w.create(&body).await;
    assert_eq!(res.status(), 201);
    let theirs = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    // In scope but cancelled: it will not end, so it is not shown.
    let official = w
        .app
        .create_official(&w.admin, &w.home, "MIC-0103", "Lê Văn Cường")
        .await;
    let mut body = w.draft_body("2026-05-01", "2027-04-30");
    body["official_id"] = official["id"].clone();
    let cancelled = w.create(&body).await.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let res = w
        .act(
            &w.hr.token,
            &cancelled,
            "cancel",
            json!({"reason": "Đổi kế hoạch"}),
        )
        .await;
    assert_eq!(res.status(), 200);

    let director_feed = feed_path(&w, &w.host_director.token).await;
    let got = events(&w, &director_feed).await;
    assert_eq!(uids(&got), expected(&w, &mine).await);
    let end = got
        .iter()
        .find(|e| e.0 == format!("secondment-{mine}-end@secondments"))
        .unwrap();
    assert!(
        end.1.starts_with("Kết thúc biệt phái: Phạm Quang Hiếu"),
        "{}",
        end.1
    );
    assert_eq!(
        (end.2.as_str(), end.3.as_str()),
        ("2027-02-28", "2027-03-01")
    );
    assert!(got
        .iter()
        .any(|e| e.1.contains("Hội thảo chuyển đổi số") && e.2 == "2026-09-15"));

    // The HR officer of the ministry sees both live postings.
    let hr_feed = feed_path(&w, &w.hr.token).await;
    let mut both = expected(&w, &mine).await;
    both.extend(expected(&w, &theirs).await);
    assert_eq!(uids(&events(&w, &hr_feed).await), both);
    // The cadre sees their own.
    let cadre_feed = feed_path(&w, &w.cadre.token).await;
    assert_eq!(
        uids(&events(&w, &cadre_feed).await),
        expected(&w, &mine).await
    );

    // The language follows the account.
    let user = format!("/api/v1/users/{}", w.host_director.id);
    let res = w
        .app
        .patch_fresh(&w.admin, &user, &json!({"language": "en"}))
        .await;
    assert_eq!(res.status(), 200);
    let got = events(&w, &director_feed).await;
    assert!(got
        .iter()
        .any(|e| e.1.starts_with("Secondment ends: Phạm Quang Hiếu")));
}

#[actix_web::test]
async fn a_new_token_revokes_the_old_and_disabled_or_unknown_feeds_are_404() {
    let w = world_with(spawn_app().await).await;
    let first = feed_path(&w, &w.cadre.token).await;
    assert_eq!(w.app.get(&first).await.status(), 200);
    let second = feed_path(&w, &w.cadre.token).await;
    assert_ne!(first, second);
    assert_problem(w.app.get(&first).await, 404, "not-found").await;
    assert_eq!(w.app.get(&second).await.status(), 200);
    assert_problem(
        w.app.get("/api/v1/calendar/not-a-token").await,
        404,
        "not-found",
    )
    .await;
    // Issuing needs a signed-in user.
    let res = w
        .app
        .client
        .post(w.app.url("/api/v1/me/calendar-token"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);

    let user = format!("/api/v1/users/{}", w.cadre.id);
    let res = w
        .app
        .patch_fresh(&w.admin, &user, &json!({"disabled": true}))
        .await;
    assert_eq!(res.status(), 200);
    assert_problem(w.app.get(&second).await, 404, "not-found").await;
}

/// The feed's raw text with folded lines joined again (RFC 5545 3.1).
async fn feed_text(w: &World, path: &str) -> String {
    let res = w.app.get(path).await;
    assert_eq!(res.status(), 200);
    res.text().await.unwrap().replace("\r\n ", "")
}

#[actix_web::test]
async fn events_open_the_console_page_and_milestones_say_where_they_stand() {
    let app =
        spawn_app_with(|s| s.server.public_url = "https://biet-phai.example.gov.vn/".into()).await;
    let w = world_with(app).await;
    let id = w.approved("2025-01-06", "2026-12-31").await;
    w.tick("2025-01-06").await;
    let page: Value = w
        .app
        .get_as(&w.admin, &format!("/api/v1/secondments/{id}/milestones"))
        .await
        .json()
        .await
        .unwrap();
    let first = page["items"][0]["id"].as_str().unwrap().to_string();
    let res = w
        .app
        .post_as(
            &w.hr.token,
            &format!("/api/v1/milestones/{first}/complete"),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    // Done at 02:25 on 8 December in Vietnam, 19:25 UTC the day before.
    w.app.db.execute(&format!(
        "UPDATE milestones SET completed_at = '2025-12-07 19:25:00', completed_on = NULL \
         WHERE id = '{first}'"
    ));
    let path = feed_path(&w, &w.hr.token).await;
    let text = feed_text(&w, &path).await;
    // Every event links to the console's page, absolute, not the JSON API.
    let page_url = format!("URL:https://biet-phai.example.gov.vn/secondments/{id}\r\n");
    assert!(text.contains(&page_url), "{text}");
    assert!(!text.contains("/api/v1/secondments/"), "{text}");
    // The done milestone says so, with the day it was done in Vietnam.
    let parsed = events(&w, &path).await;
    let done = parsed
        .iter()
        .find(|e| e.0 == format!("milestone-{first}@secondments"))
        .expect("the done milestone is in the feed");
    assert!(done.1.contains("đã hoàn thành ngày 08/12/2025"), "{done:?}");
    let planned = parsed
        .iter()
        .filter(|e| e.0.starts_with("milestone-") && e.0 != done.0)
        .collect::<Vec<_>>();
    assert!(!planned.is_empty());
    for e in planned {
        assert!(!e.1.contains("hoàn thành"), "{e:?}");
    }
}
