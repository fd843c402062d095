//! The input discipline and the shape of every answer: bad input is a 4xx
//! naming the field and changes nothing; lists are pages; authorization
//! follows the current user record.

use serde_json::{json, Value};

use crate::helpers::{assert_problem, spawn_app, CSV_HEADER};
use crate::lifecycle::world_with;

/// The field of the first error of a 422.
fn field(body: &Value) -> &str {
    body["errors"][0]["field"].as_str().unwrap_or("")
}

#[actix_web::test]
async fn a_tick_with_a_bad_date_or_an_unknown_field_runs_nothing() {
    let w = world_with(spawn_app().await).await;
    let id = w.approved("2021-04-01", "2023-03-31").await;
    let audit_before = w.app.db.count("audit_events");
    for (body, name) in [
        (json!({"date": "01/04/2021"}), "date"),
        (json!({"date": "2021-02-30"}), "date"),
        (json!({"date": "2021-4-1"}), "date"),
        (json!({"date": "0000-01-01"}), "date"),
        (json!({"dat": "2021-04-01"}), "dat"),
        (json!({"date": "2021-04-01", "dry_run": "yes"}), "dry_run"),
    ] {
        let res = w.app.post_as(&w.admin, "/api/v1/admin/tick", &body).await;
        let problem = assert_problem(res, 422, "validation").await;
        assert_eq!(field(&problem), name, "{body} -> {problem}");
    }
    assert_eq!(w.status(&id).await, "approved");
    assert_eq!(w.app.db.count("audit_events"), audit_before);
}

#[actix_web::test]
async fn completing_a_milestone_keeps_the_note_and_the_stated_day() {
    let w = world_with(spawn_app().await).await;
    let id = w.approved("2021-04-01", "2023-03-31").await;
    w.tick("2021-04-01").await;
    let milestones = w
        .app
        .list_all(
            &w.cadre.token,
            &format!("/api/v1/secondments/{id}/milestones"),
        )
        .await;
    let first = milestones[0]["id"].as_str().unwrap();
    let path = format!("/api/v1/milestones/{first}/complete");

    let res = w
        .app
        .post_as(
            &w.cadre.token,
            &path,
            &json!({"note": "Đã nhận nhiệm vụ", "completed_at": "2021-04-20T00:00:00Z"}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation").await;
    assert_eq!(field(&problem), "completed_at");

    let res = w
        .app
        .post_as(
            &w.cadre.token,
            &path,
            &json!({"note": "Đã nhận nhiệm vụ", "completed_on": "2021-03-01"}),
        )
        .await;
    let problem = assert_problem(res, 422, "policy-violation").await;
    assert_eq!(problem["rule"], "date_within_secondment");

    let unchanged: Value = w
        .app
        .get_as(&w.cadre.token, &format!("/api/v1/milestones/{first}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(unchanged["status"], "planned");

    let res = w
        .app
        .post_as(
            &w.cadre.token,
            &path,
            &json!({"note": "Đã nhận nhiệm vụ", "completed_on": "2021-04-20"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = w
        .app
        .get_as(&w.cadre.token, &format!("/api/v1/milestones/{first}"))
        .await;
    assert!(res.headers().get("etag").is_some());
    let done: Value = res.json().await.unwrap();
    assert_eq!(done["status"], "done");
    assert_eq!(done["note"], "Đã nhận nhiệm vụ");
    assert_eq!(done["completed_on"], "2021-04-20");
    assert!(done["completed_at"].is_string());
}

#[actix_web::test]
async fn control_characters_are_refused_in_bodies_and_csv_rows() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let unit = app.create_unit(&admin, "BNV", "ministry", None).await;
    let units = app.db.count("org_units");
    for (body, name) in [
        (
            json!({"code": "X1", "name": "Sở\u{0}Nội vụ", "kind": "ministry"}),
            "name",
        ),
        (
            json!({"code": "X\u{1}2", "name": "Sở", "kind": "ministry"}),
            "code",
        ),
        (
            json!({"code": "X3", "name": "Sở", "kind": "ministry", "name_en": "a\u{7f}"}),
            "name_en",
        ),
    ] {
        let res = app.post_as(&admin, "/api/v1/org-units", &body).await;
        let problem = assert_problem(res, 422, "validation").await;
        assert_eq!(field(&problem), name, "{problem}");
    }
    assert_eq!(app.db.count("org_units"), units);

    let officials = app.db.count("officials");
    let csv = format!(
        "{CSV_HEADER}\nNV1,Nguyễn\u{0}Văn A,a@example.gov.vn,{},,,1985-01-01,vi\n",
        unit["code"].as_str().unwrap()
    );
    let res = app.import_csv(&admin, csv).await;
    let problem = assert_problem(res, 422, "validation").await;
    assert_eq!(problem["errors"][0]["line"], 2, "{problem}");
    assert_eq!(field(&problem), "full_name");
    assert_eq!(app.db.count("officials"), officials);
}

#[actix_web::test]
async fn dates_and_texts_out_of_bounds_name_their_field() {
    let w = world_with(spawn_app().await).await;
    let before = w.app.db.count("secondments");
    let cases = [
        ("start_date", json!("0000-01-01"), "start_date"),
        ("end_date", json!("2027-3-1"), "end_date"),
        ("start_date", json!("01/04/2021"), "start_date"),
        ("ground", json!("swap"), "ground"),
        ("mandate", json!("x".repeat(10_001)), "mandate"),
        (
            "consultation",
            json!({"held_on": "2021-13-01"}),
            "consultation.held_on",
        ),
        (
            "consultation",
            json!({"held_on": "2021-03-01", "by": "x"}),
            "consultation.by",
        ),
        ("position_title", json!("   "), "position_title"),
        ("official_id", json!("not-an-id"), "official_id"),
    ];
    for (key, value, name) in cases {
        let mut body = w.draft_body("2027-01-01", "2027-12-31");
        body[key] = value;
        let problem = assert_problem(w.create(&body).await, 422, "validation").await;
        assert_eq!(field(&problem), name, "{problem}");
        let message = problem["errors"][0]["message"].as_str().unwrap();
        for rust in ["NaiveDate", "f64", "u32", "enum ", "struct "] {
            assert!(!message.contains(rust), "{message}");
        }
    }
    let problem = {
        let mut body = w.draft_body("2027-01-01", "2027-12-31");
        body["ground"] = json!("swap");
        assert_problem(w.create(&body).await, 422, "validation").await
    };
    let message = problem["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("fixed_term_task"), "{message}");
    assert_eq!(w.app.db.count("secondments"), before);

    let s = w.create_ok("2027-01-01", "2027-12-31").await;
    let id = s["id"].as_str().unwrap();
    let res = w
        .app
        .patch_fresh(
            &w.hr.token,
            &format!("/api/v1/secondments/{id}"),
            &json!({"return_arrangement": "x".repeat(150_000)}),
        )
        .await;
    let problem = assert_problem(res, 422, "validation").await;
    assert_eq!(field(&problem), "return_arrangement");
}

#[actix_web::test]
async fn metric_errors_give_the_json_path_in_plain_words() {
    let w = world_with(spawn_app().await).await;
    let id = w.approved("2021-04-01", "2023-03-31").await;
    w.tick("2021-04-01").await;
    let path = format!("/api/v1/secondments/{id}/outcomes");
    let outcome = |metrics: Value, occurred_on: &str| {
        json!({"title": "Cổng dịch vụ công", "pillar": "digital_government",
               "occurred_on": occurred_on, "metrics": metrics})
    };
    let res = w
        .app
        .post_as(
            &w.cadre.token,
            &path,
            &outcome(
                json!([{"name": "x", "value": "high", "unit": "%"}]),
                "2021-06-01",
            ),
        )
        .await;
    let problem = assert_problem(res, 422, "validation").await;
    assert_eq!(field(&problem), "metrics[0].value");
    assert_eq!(problem["errors"][0]["message"], "must be a number");

    let res = w
        .app
        .post_as(&w.cadre.token, &path, &outcome(json!([]), "2021-03-31"))
        .await;
    let problem = assert_problem(res, 422, "policy-violation").await;
    assert_eq!(problem["rule"], "date_within_secondment");
    assert!(w.app.list_all(&w.cadre.token, &path).await.is_empty());

    let res = w
        .app
        .post_as(&w.cadre.token, &path, &outcome(json!([]), "2021-06-01"))
        .await;
    assert_eq!(res.status(), 201);
    let etag = res.headers().get("etag").cloned().unwrap();
    let created: Value = res.json().await.unwrap();
    let res = w
        .app
        .get_as(
            &w.cadre.token,
            &format!("/api/v1/outcomes/{}", created["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(res.headers().get("etag"), Some(&etag));
}

#[actix_web::test]
async fn every_list_is_a_page_and_foreign_cursors_are_refused() {
    let w = world_with(spawn_app().await).await;
    let id = w.approved("2021-04-01", "2023-03-31").await;
    for path in [
        format!("/api/v1/secondments/{id}/milestones"),
        format!("/api/v1/secondments/{id}/outcomes"),
        format!("/api/v1/secondments/{id}/extensions"),
        format!("/api/v1/secondments/{id}/history"),
        "/api/v1/delegations".to_string(),
        "/api/v1/holidays".to_string(),
        "/api/v1/secondments".to_string(),
    ] {
        let page: Value = w
            .app
            .get_as(&w.admin, &format!("{path}?limit=1"))
            .await
            .json()
            .await
            .unwrap();
        assert!(page["items"].is_array(), "{path}: {page}");
        assert!(page.get("next_cursor").is_some(), "{path}: {page}");
        let res = w.app.get_as(&w.admin, &format!("{path}?cursor=Yg")).await;
        let problem = assert_problem(res, 422, "validation").await;
        assert_eq!(field(&problem), "cursor", "{path}");
    }
    let pending: Value = w
        .app
        .get_as(&w.home_director.token, "/api/v1/approvals/pending?limit=1")
        .await
        .json()
        .await
        .unwrap();
    assert!(pending["items"].is_array());

    // History pages through every event; entries carry only what changed.
    let path = format!("/api/v1/secondments/{id}/history");
    let all = w.app.list_all(&w.admin, &path).await;
    let mut paged = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{path}?limit=2&cursor={c}"),
            None => format!("{path}?limit=2"),
        };
        let page: Value = w.app.get_as(&w.admin, &url).await.json().await.unwrap();
        paged.extend(page["items"].as_array().unwrap().clone());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(paged, all);
    let submit = all
        .iter()
        .find(|e| e["action"] == "secondment.submit")
        .unwrap();
    assert_eq!(submit["before"]["status"], "draft", "{submit}");
    assert!(submit["after"].get("mandate").is_none(), "{submit}");
}

#[actix_web::test]
async fn oversized_heads_and_request_ids_are_handled() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let long = format!("/api/v1/secondments?q={}", "x".repeat(20_000));
    assert_problem(app.get_as(&admin, &long).await, 414, "uri-too-long").await;
    let res = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth(&admin)
        .header("x-padding", "y".repeat(20_000))
        .send()
        .await
        .unwrap();
    assert_problem(res, 431, "headers-too-large").await;

    // Past the HTTP layer's own limits (a 64 KiB URI, a 128 KiB head) and
    // for heads that are not HTTP at all, the answer is still a problem.
    // (reqwest will not send such a URI, so it goes out by hand.)
    let huge = format!(
        "GET /api/v1/secondments?q={} HTTP/1.1\r\nHost: x\r\n\r\n",
        "x".repeat(100_000)
    );
    let raw = raw_exchange(&app.address, huge.as_bytes()).await;
    assert!(
        raw.starts_with("HTTP/1.1 414 "),
        "{}",
        &raw[..raw.len().min(200)]
    );
    assert!(
        raw.contains("/problems/uri-too-long"),
        "{}",
        &raw[..raw.len().min(300)]
    );
    let res = app
        .client
        .get(app.url("/api/v1/me"))
        .header("x-padding", "y".repeat(140_000))
        .send()
        .await
        .unwrap();
    assert_problem(res, 431, "headers-too-large").await;
    let raw = raw_exchange(&app.address, b"NOT HTTP\r\n\r\n").await;
    assert!(raw.starts_with("HTTP/1.1 400 "), "{raw}");
    assert!(raw.contains("application/problem+json"), "{raw}");
    assert!(raw.contains("/problems/bad-request"), "{raw}");

    let res = app.get_as(&admin, "/api/v1/me").await;
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.headers()["cache-control"], "no-store");
    let docs = app.get("/docs/").await;
    let csp = docs.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'"), "{csp}");

    let with_id = |id: &'static str| {
        app.client
            .get(app.url("/health"))
            .header("x-request-id", id)
            .send()
    };
    let kept = with_id("abc-123_x.y").await.unwrap();
    assert_eq!(kept.headers()["x-request-id"], "abc-123_x.y");
    let replaced = with_id("bad id <script>").await.unwrap();
    assert_ne!(replaced.headers()["x-request-id"], "bad id <script>");
}

#[actix_web::test]
async fn authorization_follows_the_current_user_record() {
    let w = world_with(spawn_app().await).await;
    let id = w.approved("2021-04-01", "2023-03-31").await;
    w.tick("2021-04-01").await;
    let outcomes = format!("/api/v1/secondments/{id}/outcomes");
    let outcome = json!({"title": "Kết quả", "pillar": "digital_society",
                         "occurred_on": "2021-05-01", "metrics": []});

    // Disabled: the very next request is refused.
    let res = w
        .app
        .patch_fresh(
            &w.admin,
            &format!("/api/v1/users/{}", w.cadre.id),
            &json!({"disabled": true}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let count = w.app.db.count("outcomes");
    let res = w.app.post_as(&w.cadre.token, &outcomes, &outcome).await;
    assert_problem(res, 401, "unauthorized").await;
    assert_eq!(w.app.db.count("outcomes"), count);

    // Demoted: an HR officer made director may no longer create officials.
    let res = w
        .app
        .patch_fresh(
            &w.admin,
            &format!("/api/v1/users/{}", w.hr.id),
            &json!({"role": "director"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = w
        .app
        .post_as(
            &w.hr.token,
            "/api/v1/officials",
            &json!({"staff_code": "NEW-1", "full_name": "Lê Văn B",
                    "email": "new1@example.gov.vn", "home_unit_id": w.home}),
        )
        .await;
    assert_problem(res, 403, "forbidden").await;

    // A well-signed token naming no user, or not yet valid, is refused.
    let now = chrono::Utc::now().timestamp();
    let secret = b"test-secret-that-is-long-enough-for-hs256-0123456789";
    let sign = |claims: Value| {
        jsonwebtoken::encode(
            &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
            &claims,
            &jsonwebtoken::EncodingKey::from_secret(secret),
        )
        .unwrap()
    };
    let ghost = sign(
        json!({"sub": uuid::Uuid::now_v7().to_string(), "role": "admin",
                            "unit": null, "iat": now, "exp": now + 600, "jti": "x"}),
    );
    for path in ["/api/v1/users", "/api/v1/secondments"] {
        assert_problem(w.app.get_as(&ghost, path).await, 401, "unauthorized").await;
    }
    let admin_id: Value = w
        .app
        .get_as(&w.admin, "/api/v1/me")
        .await
        .json()
        .await
        .unwrap();
    let later = sign(json!({"sub": admin_id["id"], "role": "admin", "unit": null,
                            "iat": now, "nbf": now + 3600, "exp": now + 7200, "jti": "y"}));
    assert_problem(
        w.app.get_as(&later, "/api/v1/users").await,
        401,
        "unauthorized",
    )
    .await;
    let future = sign(json!({"sub": admin_id["id"], "role": "admin", "unit": null,
                             "iat": now + 3600, "exp": now + 7200, "jti": "z"}));
    assert_problem(
        w.app.get_as(&future, "/api/v1/users").await,
        401,
        "unauthorized",
    )
    .await;
}

#[actix_web::test]
async fn responses_name_people_and_units_and_keep_decision_numbers() {
    let w = world_with(spawn_app().await).await;
    let res = w
        .app
        .patch_fresh(
            &w.admin,
            &format!("/api/v1/users/{}", w.host_director.id),
            &json!({"full_name": "Nguyễn Thị Giám Đốc"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let s = w.create_ok("2021-04-01", "2023-03-31").await;
    let id = s["id"].as_str().unwrap().to_string();
    w.act(&w.hr.token, &id, "submit", json!({})).await;

    // What a director needs to decide, without a second call.
    let pending = w
        .app
        .list_all(&w.host_director.token, "/api/v1/approvals/pending")
        .await;
    assert_eq!(pending.len(), 1);
    let request = &pending[0]["secondment"];
    assert_eq!(request["official"]["full_name"], "Phạm Quang Hiếu");
    assert_eq!(request["official"]["staff_code"], "MIC-0001");
    assert_eq!(request["host_unit"]["code"], "P19-STTTT");
    assert_eq!(request["home_unit"]["code"], "BTTTT-CDS");

    for d in [&w.home_director, &w.host_director] {
        let res = w
            .act(
                &d.token,
                &id,
                "approve",
                json!({"decided_on": "2021-03-20"}),
            )
            .await;
        // The request was made today, so a decision dated before it is
        // refused; dated today (the service's day, Asia/Ho_Chi_Minh, which
        // is not UTC's from 17:00 UTC) it is kept.
        let problem = assert_problem(res, 422, "policy-violation").await;
        assert_eq!(problem["rule"], "decision_date");
        let today = chrono::Utc::now()
            .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
            .date_naive()
            .to_string();
        let res = w
            .act(&d.token, &id, "approve", json!({"decided_on": today}))
            .await;
        assert_eq!(res.status(), 200);
    }
    let s: Value = w.get(&w.admin, &id).await.json().await.unwrap();
    let host = s["approvals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["side"] == "host")
        .unwrap()
        .clone();
    assert_eq!(host["decided_by"]["full_name"], "Nguyễn Thị Giám Đốc");
    assert_eq!(host["decided_by"]["email"], w.host_director.email);
    assert!(host["decided_on"].is_string());

    let list = w.app.list_all(&w.hr.token, "/api/v1/secondments").await;
    assert_eq!(list[0]["official"]["full_name"], "Phạm Quang Hiếu");
    assert_eq!(list[0]["host_unit"]["name"], "Đơn vị P19-STTTT");

    // An extension's decision number is stored and shown.
    w.tick("2021-04-01").await;
    let res = w
        .app
        .post_as(
            &w.cadre.token,
            &format!("/api/v1/secondments/{id}/extensions"),
            &json!({"requested_end_date": "2024-03-31", "reason": "Hoàn thành Đề án"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let ext: Value = res.json().await.unwrap();
    let ext_id = ext["id"].as_str().unwrap();
    for d in [&w.home_director, &w.host_director] {
        let res = w
            .app
            .post_as(
                &d.token,
                &format!("/api/v1/extensions/{ext_id}/approve"),
                &json!({"decision_ref": "QĐ-123/2023"}),
            )
            .await;
        assert_eq!(res.status(), 200);
    }
    let exts = w
        .app
        .list_all(&w.admin, &format!("/api/v1/secondments/{id}/extensions"))
        .await;
    assert_eq!(exts[0]["status"], "approved");
    assert_eq!(exts[0]["decision_ref"], "QĐ-123/2023");
    assert_eq!(exts[0]["requested_by"]["id"], w.cadre.id);
    let history = w
        .app
        .list_all(&w.admin, &format!("/api/v1/secondments/{id}/history"))
        .await;
    assert!(
        history
            .iter()
            .any(|e| e["after"]["decision_ref"] == "QĐ-123/2023"),
        "the decision number is in the history"
    );
    let asked = history
        .iter()
        .find(|e| e["action"] == "extension.requested")
        .unwrap_or_else(|| panic!("{history:?}"));
    assert_eq!(asked["actor"]["id"], w.cadre.id);
    assert!(asked["actor"]["email"].is_string());
    let res = w
        .app
        .get_as(&w.cadre.token, &format!("/api/v1/extensions/{ext_id}"))
        .await;
    assert_eq!(res.status(), 200);
    assert!(res.headers().get("etag").is_some());

    // Delegations name both people.
    let tomorrow = (chrono::Utc::now().date_naive() + chrono::Days::new(1)).to_string();
    let res = w
        .app
        .post_as(
            &w.host_director.token,
            "/api/v1/delegations",
            &json!({"delegate_user_id": w.home_director.id, "starts_on": tomorrow,
                    "ends_on": tomorrow}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let delegation: Value = res.json().await.unwrap();
    assert_eq!(delegation["delegator"]["full_name"], "Nguyễn Thị Giám Đốc");
    assert_eq!(delegation["delegate"]["email"], w.home_director.email);
}

/// The day a request was made is the service's day (Asia/Ho_Chi_Minh),
/// not UTC's: a proposal submitted at 00:30 there (17:30 UTC the day
/// before) was made that day, so no decision is dated the day before.
#[actix_web::test]
async fn a_decision_is_dated_from_the_local_day_the_request_was_made() {
    let w = world_with(spawn_app().await).await;
    let s = w.create_ok("2021-04-01", "2023-03-31").await;
    let id = s["id"].as_str().unwrap().to_string();
    assert_eq!(
        w.act(&w.hr.token, &id, "submit", json!({})).await.status(),
        200
    );
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .date_naive();
    let eve = today.pred_opt().unwrap();
    w.app.db.execute(&format!(
        "UPDATE secondments SET submitted_at = '{eve} 17:30:00' WHERE id = '{id}'"
    ));
    let res = w
        .act(
            &w.host_director.token,
            &id,
            "approve",
            json!({"decided_on": eve}),
        )
        .await;
    let problem = assert_problem(res, 422, "policy-violation").await;
    assert_eq!(problem["rule"], "decision_date");
    assert!(problem["detail"]
        .as_str()
        .unwrap()
        .contains(&today.to_string()));
    let res = w
        .act(
            &w.host_director.token,
            &id,
            "approve",
            json!({"decided_on": today}),
        )
        .await;
    assert_eq!(res.status(), 200);
}

#[actix_web::test]
async fn records_keep_to_the_rules() {
    let w = world_with(spawn_app().await).await;
    let id = |v: &Value| v["id"].as_str().unwrap().to_string();

    // Units go under current parents only.
    let old = id(&w.app.create_unit(&w.admin, "P44", "province", None).await);
    let new = id(&w.app.create_unit(&w.admin, "P45", "province", None).await);
    let res = w
        .app
        .post_as(
            &w.admin,
            "/api/v1/org-units/merge",
            &json!({"source_ids": [old], "target_id": new, "effective_date": "2025-07-01"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let units = w.app.db.count("org_units");
    let res = w
        .app
        .post_as(
            &w.admin,
            "/api/v1/org-units",
            &json!({"code": "P44-SNV", "name": "Sở Nội vụ", "kind": "provincial_department",
                    "parent_id": old}),
        )
        .await;
    let problem = assert_problem(res, 422, "policy-violation").await;
    assert_eq!(problem["rule"], "parent_is_current");
    assert_eq!(w.app.db.count("org_units"), units);

    // A secondment cannot start before its host unit exists.
    let young: Value = w
        .app
        .post_as(
            &w.admin,
            "/api/v1/org-units",
            &json!({"code": "P45-SKHCN", "name": "Sở Khoa học và Công nghệ",
                    "kind": "provincial_department", "parent_id": new,
                    "valid_from": "2025-07-01"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let mut body = w.draft_body("2021-04-01", "2023-03-31");
    body["host_unit_id"] = young["id"].clone();
    let problem = assert_problem(w.create(&body).await, 422, "policy-violation").await;
    assert_eq!(problem["rule"], "dates_within_unit_validity");

    // Legal steps stay once submitted.
    let s = w.create_ok("2027-01-01", "2027-12-31").await;
    let sid = s["id"].as_str().unwrap().to_string();
    w.act(&w.hr.token, &sid, "submit", json!({})).await;
    for change in [
        json!({"agreement_ref": null}),
        json!({"consultation": null}),
    ] {
        let res = w
            .app
            .patch_fresh(&w.hr.token, &format!("/api/v1/secondments/{sid}"), &change)
            .await;
        let problem = assert_problem(res, 422, "policy-violation").await;
        assert_eq!(problem["rule"], "legal_steps_kept", "{change}");
    }
    let s: Value = w.get(&w.admin, &sid).await.json().await.unwrap();
    assert!(s["agreement_ref"].is_string());
    assert!(s["consultation"].is_object());

    // Only directors delegate.
    let tomorrow = (chrono::Utc::now().date_naive() + chrono::Days::new(1)).to_string();
    let res = w
        .app
        .post_as(
            &w.admin,
            "/api/v1/delegations",
            &json!({"delegator_user_id": w.hr.id, "delegate_user_id": w.host_director.id,
                    "starts_on": tomorrow, "ends_on": tomorrow}),
        )
        .await;
    let problem = assert_problem(res, 422, "policy-violation").await;
    assert_eq!(problem["rule"], "delegator_is_director");
    assert_eq!(w.app.db.count("delegations"), 0);
}

#[actix_web::test]
async fn a_body_is_an_object_and_an_empty_search_is_no_filter() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let res = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&admin)
        .header("content-type", "application/json")
        .body(r#"[""]"#)
        .send()
        .await
        .unwrap();
    let problem = assert_problem(res, 422, "validation").await;
    assert_eq!(field(&problem), "body");
    let res = app.get_as(&admin, "/api/v1/officials?q=&cursor=").await;
    assert_eq!(res.status(), 200);
}

/// Sends raw bytes on a fresh connection and reads the whole answer.
async fn raw_exchange(address: &str, request: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(address.trim_start_matches("http://"))
        .await
        .unwrap();
    stream.write_all(request).await.unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        stream.read_to_end(&mut answer),
    )
    .await;
    String::from_utf8_lossy(&answer).into_owned()
}
