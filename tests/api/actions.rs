//! Allowed actions (decision 0042): every role against postings in every
//! status. The console shows a form exactly when the API's `actions` flag
//! is true, and the flag predicts the API: an offered action succeeds, a
//! hidden one is refused.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::console::Browser;
use crate::lifecycle::{world_with, World};

/// The secondment-level flags and the form or link that offers each on
/// the page of secondment `id`.
fn offers(id: &str) -> Vec<(&'static str, String)> {
    let form = |a: &str| format!("action=\"/secondments/{id}/{a}\"");
    vec![
        ("edit", format!("href=\"/secondments/{id}/edit\"")),
        ("submit", form("submit")),
        ("cancel", form("cancel")),
        ("terminate", form("terminate")),
        ("record_return", form("return")),
        ("approve", "class=\"button\" href=\"/approvals\"".into()),
        ("request_extension", form("extensions")),
        ("withdraw_extension", form("withdraw")),
        (
            "plan_milestone",
            format!("action=\"/secondments/{id}/milestones\" novalidate"),
        ),
        (
            "log_outcome",
            format!("action=\"/secondments/{id}/outcomes\" novalidate"),
        ),
        ("evaluate", form("evaluation")),
    ]
}

/// One user: API token and a signed-in browser.
pub(crate) struct Person<'a> {
    pub(crate) name: &'static str,
    pub(crate) token: String,
    browser: Browser<'a>,
}

/// What the walk saw: the flags of each (person, posting).
pub(crate) type Seen = BTreeMap<(&'static str, &'static str), Value>;

pub(crate) async fn ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{status}: {body}");
    body
}

/// Checks that the API answers as the flag predicted.
pub(crate) async fn predicted(flag: bool, what: &str, res: reqwest::Response) -> Value {
    let status = res.status().as_u16();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    if flag {
        assert!(
            (200..300).contains(&status),
            "{what}: offered, got {status}: {body}"
        );
    } else {
        assert!(
            [403, 404, 409, 422].contains(&status),
            "{what}: hidden, got {status}: {body}"
        );
    }
    body
}

#[actix_web::test]
async fn the_console_offers_exactly_what_the_api_allows() {
    let w = world_with(crate::helpers::spawn_app().await).await;
    let postings = postings(&w).await;
    let app = &w.app;
    let other_official = app
        .create_official(&w.admin, &w.home, "MIC-0002", "Nguyễn Văn An")
        .await;
    let other_cadre = app
        .create_session(
            &w.admin,
            "cadre",
            Some(&w.home),
            other_official["id"].as_str(),
        )
        .await;
    // A host director who is the seconded official: never decides or
    // evaluates their own posting, and completes no milestone.
    let linked = app
        .create_session(&w.admin, "director", Some(&w.host), Some(&w.official))
        .await;
    let mut people = Vec::new();
    for (name, s) in [
        ("hr", &w.hr),
        ("home_director", &w.home_director),
        ("host_director", &w.host_director),
        ("cadre", &w.cadre),
        ("other_cadre", &other_cadre),
        ("linked_director", &linked),
    ] {
        people.push(Person {
            name,
            token: s.token.clone(),
            browser: Browser::signed_in(app, &s.email, &s.password).await,
        });
    }
    people.push(Person {
        name: "admin",
        token: w.admin.clone(),
        browser: Browser::admin(app).await,
    });

    let mut seen = Seen::new();
    for p in &people {
        for (status, id) in &postings {
            let res = w.get(&p.token, id).await;
            let (code, page) = p.browser.page(&format!("/secondments/{id}")).await;
            if res.status() == 404 {
                assert_eq!(code, 404, "{} {status}: the page is hidden too", p.name);
                continue;
            }
            let s = ok(res).await;
            let actions = &s["actions"];
            assert!(actions.is_object(), "{s}");
            for (flag, marker) in offers(id) {
                // One link leads a decider to the approvals page, for the
                // proposal or the pending extension.
                let offered = actions[flag] == true
                    || (flag == "approve" && actions["approve_extension"] == true);
                assert_eq!(
                    page.contains(&marker),
                    offered,
                    "{} on a {status} posting: {flag} is {} but the page {} {marker}",
                    p.name,
                    actions[flag],
                    if page.contains(&marker) {
                        "has"
                    } else {
                        "lacks"
                    },
                );
            }
            items_match(app, p, id, &page).await;
            seen.insert((p.name, status), actions.clone());
        }
    }
    // Each role sees what SPEC 3 says.
    assert!(!seen.contains_key(&("other_cadre", "active")));
    assert_eq!(seen[&("hr", "draft")]["submit"], true);
    assert_eq!(seen[&("admin", "active")]["complete_milestone"], true);
    assert_eq!(
        seen[&("linked_director", "active")]["complete_milestone"],
        false
    );
    assert_eq!(seen[&("linked_director", "pending")]["approve"], false);
    assert_eq!(seen[&("host_director", "pending")]["approve"], true);

    crate::actions_performed::perform(&w, &people, &seen, &postings).await;
}

/// Each milestone's and outcome's buttons follow their own flags.
async fn items_match(app: &crate::helpers::TestApp, p: &Person<'_>, id: &str, page: &str) {
    let ms = app
        .list_all(&p.token, &format!("/api/v1/secondments/{id}/milestones"))
        .await;
    for m in ms {
        let marker = format!(
            "action=\"/secondments/{id}/milestones/{}/complete\"",
            m["id"].as_str().unwrap()
        );
        assert_eq!(
            page.contains(&marker),
            m["actions"]["complete"] == true,
            "{}: {m}",
            p.name
        );
    }
    let os = app
        .list_all(&p.token, &format!("/api/v1/secondments/{id}/outcomes"))
        .await;
    for o in os {
        let oid = o["id"].as_str().unwrap();
        let ack = format!("action=\"/secondments/{id}/outcomes/{oid}/acknowledge\"");
        assert_eq!(
            page.contains(&ack),
            o["actions"]["acknowledge"] == true,
            "{}: {o}",
            p.name
        );
        let edit = format!("href=\"/secondments/{id}/outcomes/{oid}/edit\"");
        assert_eq!(
            page.contains(&edit),
            o["actions"]["edit"] == true,
            "{}: {o}",
            p.name
        );
    }
}

/// Postings of the world's official in every status, by name: the
/// completed and the active one carry a milestone and an outcome, the
/// approved one a pending extension.
async fn postings(w: &World) -> Vec<(&'static str, String)> {
    let completed = w.approved("2024-01-01", "2024-06-30").await;
    let active = w.approved("2024-08-01", "2025-06-30").await;
    w.tick("2024-01-01").await;
    let plan = |id: &str, due: &str| {
        let (id, due) = (id.to_string(), due.to_string());
        async move {
            ok(w.app
                .post_as(
                    &w.hr.token,
                    &format!("/api/v1/secondments/{id}/milestones"),
                    &json!({"title": "Báo cáo", "due_date": due}),
                )
                .await)
            .await
        }
    };
    let log = |id: &str, on: &str| {
        let (id, on) = (id.to_string(), on.to_string());
        async move {
            ok(w.app
                .post_as(
                    &w.cadre.token,
                    &format!("/api/v1/secondments/{id}/outcomes"),
                    &json!({"title": "Hội thảo", "pillar": "digital_government", "occurred_on": on}),
                )
                .await)
            .await
        }
    };
    plan(&completed, "2024-05-01").await;
    log(&completed, "2024-02-01").await;
    w.tick("2024-07-01").await;
    w.tick("2024-08-01").await;
    plan(&active, "2025-05-01").await;
    log(&active, "2024-09-01").await;
    let approved = w.approved("2026-01-01", "2026-06-30").await;
    ok(w.app
        .post_as(
            &w.cadre.token,
            &format!("/api/v1/secondments/{approved}/extensions"),
            &json!({"requested_end_date": "2026-07-15", "reason": "Hoàn thành đề án"}),
        )
        .await)
    .await;
    let pending = w.create_ok("2026-08-01", "2026-12-31").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    ok(w.act(&w.hr.token, &pending, "submit", json!({})).await).await;
    let draft = w.create_ok("2027-02-01", "2027-06-30").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(w.status(&completed).await, "completed");
    assert_eq!(w.status(&active).await, "active");
    vec![
        ("draft", draft),
        ("pending", pending),
        ("approved", approved),
        ("active", active),
        ("completed", completed),
    ]
}
