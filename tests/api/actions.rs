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
struct Person<'a> {
    name: &'static str,
    token: String,
    browser: Browser<'a>,
}

/// What the walk saw: the flags of each (person, posting).
type Seen = BTreeMap<(&'static str, &'static str), Value>;

async fn ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{status}: {body}");
    body
}

/// Checks that the API answers as the flag predicted.
async fn predicted(flag: bool, what: &str, res: reqwest::Response) -> Value {
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

    perform(&w, &people, &seen, &postings).await;
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

/// Takes a sample of hidden and offered actions through the API: hidden
/// ones first (they change nothing), then offered ones in an order that
/// keeps the others' state.
async fn perform(w: &World, people: &[Person<'_>], seen: &Seen, postings: &[(&str, String)]) {
    let id = |status: &str| {
        postings
            .iter()
            .find(|(s, _)| *s == status)
            .map(|(_, id)| id.clone())
            .unwrap()
    };
    let token = |name: &str| {
        people
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.token.clone())
            .unwrap()
    };
    let flag = |name: &str, status: &str, f: &str| {
        seen.get(&(
            people.iter().find(|p| p.name == name).unwrap().name,
            postings.iter().find(|(s, _)| *s == status).unwrap().0,
        ))
        .map(|a| a[f] == true)
        .unwrap_or(false)
    };
    let app = &w.app;
    let act = |name: &str, status: &str, action: &str, body: Value| {
        let (t, i, a) = (token(name), id(status), action.to_string());
        async move { w.act(&t, &i, &a, body).await }
    };
    let reason = json!({"reason": "Theo đề nghị"});
    let terminate = json!({"reason": "Theo đề nghị", "actual_end_date": "2025-03-31"});
    let extension = json!({"requested_end_date": "2025-09-30", "reason": "Hoàn thành"});
    let outcome =
        json!({"title": "Kết quả", "pillar": "digital_government", "occurred_on": "2024-10-01"});
    let evaluation = json!({"rating": "excellent"});
    let milestone = json!({"title": "Báo cáo quý", "due_date": "2025-04-01"});
    let pending_ext: Value =
        ok(w.get(&w.admin, &id("approved")).await).await["pending_extension"].clone();
    let ext_id = pending_ext["id"].as_str().unwrap().to_string();
    let ext_path = |a: &str| format!("/api/v1/extensions/{ext_id}/{a}");

    // Hidden: refused, nothing changes.
    for (name, status, action, body) in [
        ("cadre", "draft", "submit", json!({})),
        ("hr", "active", "submit", json!({})),
        ("home_director", "draft", "cancel", reason.clone()),
        ("hr", "active", "cancel", reason.clone()),
        ("hr", "approved", "terminate", terminate.clone()),
        ("admin", "pending", "approve", json!({})),
        ("linked_director", "pending", "approve", json!({})),
        ("linked_director", "pending", "reject", json!({})),
        ("home_director", "active", "reject", json!({})),
        ("home_director", "active", "extensions", extension.clone()),
        ("cadre", "pending", "extensions", extension.clone()),
        (
            "home_director",
            "completed",
            "evaluation",
            evaluation.clone(),
        ),
        (
            "linked_director",
            "completed",
            "evaluation",
            evaluation.clone(),
        ),
        ("host_director", "active", "evaluation", evaluation.clone()),
        ("cadre", "approved", "outcomes", outcome.clone()),
        ("host_director", "active", "outcomes", outcome.clone()),
        ("hr", "completed", "milestones", milestone.clone()),
        ("cadre", "active", "milestones", milestone.clone()),
    ] {
        let f = match action {
            "extensions" => "request_extension",
            "evaluation" => "evaluate",
            "outcomes" => "log_outcome",
            "milestones" => "plan_milestone",
            a => a,
        };
        assert!(
            !flag(name, status, f),
            "{name} {status} {f} should be hidden"
        );
        predicted(
            false,
            &format!("{name} {action} {status}"),
            act(name, status, action, body).await,
        )
        .await;
    }
    for (name, action) in [
        ("hr", "withdraw"),
        ("cadre", "approve"),
        ("host_director", "withdraw"),
    ] {
        let f = if action == "withdraw" {
            "withdraw_extension"
        } else {
            "approve_extension"
        };
        assert!(!flag(name, "approved", f));
        predicted(
            false,
            f,
            app.post_as(&token(name), &ext_path(action), &json!({}))
                .await,
        )
        .await;
    }
    let item = |name: &str, status: &str, kind: &str| {
        let (t, i, k) = (token(name), id(status), kind.to_string());
        async move {
            app.list_all(&t, &format!("/api/v1/secondments/{i}/{k}"))
                .await
        }
    };
    let m = item("linked_director", "active", "milestones").await[0].clone();
    assert_eq!(m["actions"]["complete"], false);
    let mpath = format!("/api/v1/milestones/{}/complete", m["id"].as_str().unwrap());
    predicted(
        false,
        "complete",
        app.post_as(&token("linked_director"), &mpath, &json!({}))
            .await,
    )
    .await;
    let o = item("home_director", "active", "outcomes").await[0].clone();
    assert_eq!(o["actions"]["acknowledge"], false);
    let opath = format!("/api/v1/outcomes/{}/acknowledge", o["id"].as_str().unwrap());
    predicted(
        false,
        "acknowledge",
        app.post_as(&token("home_director"), &opath, &json!({}))
            .await,
    )
    .await;

    // Offered: each succeeds.
    let o = item("host_director", "active", "outcomes").await[0].clone();
    assert_eq!(o["actions"]["acknowledge"], true);
    predicted(
        true,
        "acknowledge",
        app.post_as(&token("host_director"), &opath, &json!({}))
            .await,
    )
    .await;
    let m = item("admin", "active", "milestones").await[0].clone();
    assert_eq!(
        m["actions"]["complete"], true,
        "the API lets an administrator complete it"
    );
    predicted(
        true,
        "complete",
        app.post_as(&token("admin"), &mpath, &json!({})).await,
    )
    .await;
    predicted(
        true,
        "approve_extension",
        app.post_as(&token("home_director"), &ext_path("approve"), &json!({}))
            .await,
    )
    .await;
    assert!(flag("cadre", "approved", "withdraw_extension"));
    predicted(
        true,
        "withdraw",
        app.post_as(&token("cadre"), &ext_path("withdraw"), &json!({}))
            .await,
    )
    .await;
    for (name, status, action, body) in [
        ("host_director", "completed", "evaluation", evaluation),
        ("cadre", "active", "outcomes", outcome),
        ("hr", "active", "milestones", milestone),
        ("cadre", "active", "extensions", extension),
        ("home_director", "pending", "approve", json!({})),
        ("host_director", "pending", "reject", json!({})),
        ("hr", "draft", "submit", json!({})),
        ("admin", "approved", "cancel", reason),
        ("hr", "active", "terminate", terminate),
    ] {
        let f = match action {
            "extensions" => "request_extension",
            "evaluation" => "evaluate",
            "outcomes" => "log_outcome",
            "milestones" => "plan_milestone",
            a => a,
        };
        assert!(
            flag(name, status, f),
            "{name} {status} {f} should be offered"
        );
        predicted(
            true,
            &format!("{name} {action} {status}"),
            act(name, status, action, body).await,
        )
        .await;
    }
    // The return arrangement of a completed posting (a PATCH).
    assert!(flag("hr", "completed", "record_return"));
    let path = format!("/api/v1/secondments/{}", id("completed"));
    let version = ok(app.get_as(&w.hr.token, &path).await).await["version"].to_string();
    let res = app
        .patch_as(
            &w.hr.token,
            &path,
            Some(&format!("\"{version}\"")),
            &json!({"return_arrangement": "Về Cục"}),
        )
        .await;
    predicted(true, "record_return", res).await;
}
