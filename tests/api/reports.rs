//! Reports, the audit query and exports: what HR offices take away.

use serde_json::{json, Value};

use crate::helpers::{assert_problem, spawn_app};
use crate::lifecycle::{world_with, World};

/// Another official of the home unit, with a posting from draft to approved
/// by both sides (or left a draft).
async fn posting(
    w: &World,
    code: &str,
    name: &str,
    start: &str,
    end: &str,
    approve: bool,
) -> String {
    let official = w.app.create_official(&w.admin, &w.home, code, name).await;
    let mut body = w.draft_body(start, end);
    body["official_id"] = official["id"].clone();
    let res = w.create(&body).await;
    assert_eq!(res.status(), 201);
    let id = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    if approve {
        let submitted = w.act(&w.hr.token, &id, "submit", json!({})).await;
        assert_eq!(submitted.status(), 200);
        for d in [&w.home_director, &w.host_director] {
            assert_eq!(
                w.act(&d.token, &id, "approve", json!({})).await.status(),
                200
            );
        }
    }
    id
}

async fn summary(w: &World, token: &str, as_of: &str) -> Value {
    let res = w
        .app
        .get_as(token, &format!("/api/v1/reports/summary?as_of={as_of}"))
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

#[actix_web::test]
async fn the_summary_counts_what_was_created_within_the_callers_scope_on_the_day() {
    let w = world_with(spawn_app().await).await;
    posting(
        &w,
        "MIC-0101",
        "Lê Văn Ánh",
        "2026-01-01",
        "2027-02-15",
        true,
    )
    .await;
    posting(
        &w,
        "MIC-0102",
        "Trần Thị Hà",
        "2025-01-01",
        "2026-12-31",
        true,
    )
    .await;
    posting(
        &w,
        "MIC-0103",
        "Đỗ Minh Đức",
        "2028-01-01",
        "2028-06-30",
        false,
    )
    .await;

    for token in [
        &w.admin,
        &w.hr.token,
        &w.home_director.token,
        &w.host_director.token,
    ] {
        let s = summary(&w, token, "2026-12-10").await;
        assert_eq!(s["as_of"], "2026-12-10");
        assert_eq!(s["total"], 3);
        assert_eq!(s["by_kind"], json!({"secondment": 3, "rotation": 0}));
        assert_eq!(s["by_status"]["approved"], 2);
        assert_eq!(s["by_status"]["draft"], 1);
        assert_eq!(s["by_status"]["active"], 0);
        assert_eq!(
            s["by_direction"],
            json!({"central_to_local": 3, "local_to_central": 0, "lateral": 0})
        );
        assert_eq!(s["in_post"], 2);
        assert_eq!(s["by_host_province"].as_array().unwrap().len(), 1);
        assert_eq!(s["by_host_province"][0]["province"]["code"], "P19");
        assert_eq!(s["by_host_province"][0]["in_post"], 2);
        assert_eq!(s["ending_within_30_days"], 1);
        assert_eq!(s["ending_within_90_days"], 2);
    }
    // Another day, other counts.
    let later = summary(&w, &w.admin, "2028-03-01").await;
    assert_eq!(later["total"], 3);
    assert_eq!(later["in_post"], 0);
    assert_eq!(later["by_host_province"], json!([]));
    assert_eq!(later["ending_within_90_days"], 0);

    // Outside the scope: nothing. A cadre may not ask.
    let elsewhere = w.app.create_unit(&w.admin, "P20", "province", None).await;
    let stranger = w
        .app
        .create_session(&w.admin, "director", elsewhere["id"].as_str(), None)
        .await;
    let s = summary(&w, &stranger.token, "2026-12-10").await;
    assert_eq!(s["total"], 0);
    assert_eq!(s["in_post"], 0);
    let res = w
        .app
        .get_as(&w.cadre.token, "/api/v1/reports/summary")
        .await;
    assert_problem(res, 403, "forbidden").await;
    let res = w
        .app
        .get_as(&w.admin, "/api/v1/reports/summary?as_of=2026-13-01")
        .await;
    let problem = assert_problem(res, 422, "validation").await;
    assert_eq!(problem["errors"][0]["field"], "as_of");
}

#[actix_web::test]
async fn outcomes_are_counted_per_pillar_with_the_secondments_they_come_from() {
    let w = world_with(spawn_app().await).await;
    let first = w.approved("2021-04-01", "2023-03-31").await;
    let second = posting(
        &w,
        "MIC-0201",
        "Vũ Thị Lan",
        "2021-06-01",
        "2023-05-31",
        true,
    )
    .await;
    w.tick("2021-06-01").await;
    let log = |id: String, pillar: &'static str, day: &'static str| {
        let w = &w;
        async move {
            let res = w
                .app
                .post_as(
                    &w.hr.token,
                    &format!("/api/v1/secondments/{id}/outcomes"),
                    &json!({"title": "Kết quả", "pillar": pillar, "occurred_on": day, "metrics": []}),
                )
                .await;
            assert_eq!(res.status(), 201, "{pillar} {day}");
        }
    };
    log(first.clone(), "digital_government", "2021-07-01").await;
    log(first.clone(), "digital_government", "2022-07-01").await;
    log(second.clone(), "digital_government", "2022-08-01").await;
    log(first.clone(), "digital_economy", "2022-09-01").await;
    log(second.clone(), "digital_society", "2021-08-01").await;

    let report = |query: String, token: String| {
        let w = &w;
        async move {
            let res = w
                .app
                .get_as(&token, &format!("/api/v1/reports/outcomes{query}"))
                .await;
            assert_eq!(res.status(), 200, "{query}");
            let body: Value = res.json().await.unwrap();
            let pillars: Vec<(String, i64, i64)> = body["pillars"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    (
                        p["pillar"].as_str().unwrap().to_string(),
                        p["outcomes"].as_i64().unwrap(),
                        p["secondments"].as_i64().unwrap(),
                    )
                })
                .collect();
            (body["total_outcomes"].as_i64().unwrap(), pillars)
        }
    };
    let row = |p: &str, o: i64, s: i64| (p.to_string(), o, s);
    let (total, pillars) = report(String::new(), w.hr.token.clone()).await;
    assert_eq!(total, 5);
    assert_eq!(
        pillars,
        vec![
            row("digital_government", 3, 2),
            row("digital_economy", 1, 1),
            row("digital_society", 1, 1),
            row("other", 0, 0),
        ]
    );
    let (total, pillars) = report("?from=2022-01-01&to=2022-08-31".into(), w.admin.clone()).await;
    assert_eq!(total, 2);
    assert_eq!(pillars[0], row("digital_government", 2, 2));
    assert_eq!(pillars[1], row("digital_economy", 0, 0));

    let host = format!("?host_unit_id={}", w.province);
    let (total, _) = report(host, w.host_director.token.clone()).await;
    assert_eq!(total, 5);
    let elsewhere = w.app.create_unit(&w.admin, "P20", "province", None).await;
    let host = format!("?host_unit_id={}", elsewhere["id"].as_str().unwrap());
    let (total, _) = report(host, w.admin.clone()).await;
    assert_eq!(total, 0);
    let stranger = w
        .app
        .create_session(&w.admin, "hr_officer", elsewhere["id"].as_str(), None)
        .await;
    let (total, _) = report(String::new(), stranger.token.clone()).await;
    assert_eq!(total, 0);

    // A `to` before `from` is an empty interval, not an error.
    let inverted = "?from=2022-02-01&to=2022-01-01".to_string();
    let (total, pillars) = report(inverted, w.admin.clone()).await;
    assert_eq!(total, 0);
    assert!(pillars.iter().all(|(_, o, s)| *o == 0 && *s == 0));
    let res = w
        .app
        .get_as(&w.cadre.token, "/api/v1/reports/outcomes")
        .await;
    assert_problem(res, 403, "forbidden").await;
}

fn entries(page: &Value) -> Vec<(String, String)> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["entity_type"].as_str().unwrap().to_string(),
                e["action"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[actix_web::test]
async fn hr_officers_read_every_audit_entry_about_records_in_their_scope() {
    let w = world_with(spawn_app().await).await;
    let id = w.approved("2026-01-01", "2027-02-15").await;
    // Records outside the HR officer's ministry.
    let elsewhere = w.app.create_unit(&w.admin, "P20", "province", None).await;
    let outsider = w
        .app
        .create_official(
            &w.admin,
            elsewhere["id"].as_str().unwrap(),
            "OUT-1",
            "Người Ngoài",
        )
        .await;

    let get = |token: String, query: String| {
        let w = &w;
        async move {
            let res = w.app.get_as(&token, &format!("/api/v1/audit{query}")).await;
            assert_eq!(res.status(), 200, "{query}");
            res.json::<Value>().await.unwrap()
        }
    };
    // The secondment's own trail, asked for by id (the example).
    let trail = get(
        w.hr.token.clone(),
        format!("?entity_type=secondment&entity_id={id}"),
    )
    .await;
    let actions: Vec<String> = entries(&trail).into_iter().map(|(_, a)| a).collect();
    assert!(
        actions.contains(&"secondment.created".to_string()),
        "{actions:?}"
    );
    assert!(
        actions.iter().all(|a| a.starts_with("secondment.")),
        "{actions:?}"
    );

    // Without filters: everything in scope, nothing outside it.
    let all = get(w.hr.token.clone(), "?limit=500".into()).await;
    let outsider_id = outsider["id"].as_str().unwrap();
    let items = all["items"].as_array().unwrap();
    assert!(items.iter().any(|e| e["entity_id"] == id.as_str()));
    assert!(items.iter().any(|e| e["entity_id"] == w.official.as_str()));
    assert!(items.iter().any(|e| e["entity_id"] == w.ministry.as_str()));
    assert!(items.iter().all(|e| e["entity_id"] != outsider_id));
    assert!(items
        .iter()
        .all(|e| e["entity_id"] != elsewhere["id"].as_str().unwrap()));
    let admin_all = get(w.admin.clone(), "?limit=500".into()).await;
    assert!(admin_all["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["entity_id"] == outsider_id));
    // Asking for a record outside the scope gives nothing.
    let none = get(
        w.hr.token.clone(),
        format!("?entity_type=official&entity_id={outsider_id}"),
    )
    .await;
    assert_eq!(none["items"], json!([]));

    // Filters: actor, entity type, days (in the service's time zone).
    let by_director = get(
        w.hr.token.clone(),
        format!("?actor_id={}", w.host_director.id),
    )
    .await;
    assert!(!entries(&by_director).is_empty());
    assert!(by_director["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["actor_id"] == w.host_director.id.as_str()));
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .date_naive();
    let tomorrow = today.succ_opt().unwrap();
    let yesterday = today.pred_opt().unwrap();
    let on_today = get(
        w.admin.clone(),
        format!("?from={today}&to={today}&limit=500"),
    )
    .await;
    assert_eq!(
        on_today["items"].as_array().unwrap().len(),
        admin_all["items"].as_array().unwrap().len()
    );
    let from_tomorrow = get(w.admin.clone(), format!("?from={tomorrow}")).await;
    assert_eq!(from_tomorrow["items"], json!([]));
    let to_yesterday = get(w.admin.clone(), format!("?to={yesterday}")).await;
    assert_eq!(to_yesterday["items"], json!([]));

    // Keyset pages: stable, no repeats.
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let q = match &cursor {
            Some(c) => format!("?limit=3&cursor={c}"),
            None => "?limit=3".into(),
        };
        let page = get(w.hr.token.clone(), q).await;
        for e in page["items"].as_array().unwrap() {
            seen.push(e["id"].as_i64().unwrap());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    let expected: Vec<i64> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(seen, expected);

    // Directors and cadres may not read it; a bad day names the field.
    for token in [&w.host_director.token, &w.cadre.token] {
        let res = w.app.get_as(token, "/api/v1/audit").await;
        assert_problem(res, 403, "forbidden").await;
    }
    let res = w.app.get_as(&w.admin, "/api/v1/audit?from=yesterday").await;
    let problem = assert_problem(res, 422, "validation").await;
    assert_eq!(problem["errors"][0]["field"], "from");
}
