//! One refusal names every field at fault (decision 0041): the body's
//! bad, missing and unknown fields, the independent business rules, and
//! in the console each message beside its field.

use serde_json::{json, Value};

use crate::console::Browser;
use crate::helpers::{assert_problem, spawn_app};
use crate::lifecycle::world_with;

fn fields_of(problem: &Value) -> Vec<String> {
    let mut fields: Vec<String> = problem["errors"]
        .as_array()
        .expect("errors[]")
        .iter()
        .map(|e| e["field"].as_str().unwrap_or("").to_string())
        .collect();
    fields.sort();
    fields
}

#[actix_web::test]
async fn a_proposal_with_four_bad_fields_names_all_four() {
    let w = world_with(spawn_app().await).await;
    let mut body = w.draft_body("2026-13-01", "soon");
    body["ground"] = json!("holiday");
    body.as_object_mut().unwrap().remove("official_id");
    let p = assert_problem(w.create(&body).await, 422, "validation").await;
    assert_eq!(
        fields_of(&p),
        ["end_date", "ground", "official_id", "start_date"],
        "{p}"
    );
    let detail = p["detail"].as_str().unwrap();
    assert!(detail.contains("official_id: is required"), "{p}");
    assert!(detail.contains("ground: must be one of"), "{p}");

    // Nested paths are named too, each one.
    let mut body = w.draft_body("2026-01-01", "2026-12-31");
    body["consultation"] = json!({"held_on": "yesterday", "note": 5});
    let p = assert_problem(w.create(&body).await, 422, "validation").await;
    assert_eq!(
        fields_of(&p),
        ["consultation.held_on", "consultation.note"],
        "{p}"
    );
}

#[actix_web::test]
async fn two_unknown_fields_and_a_missing_one_are_all_named() {
    let w = world_with(spawn_app().await).await;
    let mut body = w.draft_body("2026-01-01", "2026-12-31");
    let object = body.as_object_mut().unwrap();
    object.remove("host_unit_id");
    object.insert("salary".into(), json!(1));
    object.insert("bonus".into(), json!("x"));
    let p = assert_problem(w.create(&body).await, 422, "validation").await;
    assert_eq!(fields_of(&p), ["bonus", "host_unit_id", "salary"], "{p}");
    for e in p["errors"].as_array().unwrap() {
        let expected = if e["field"] == "host_unit_id" {
            "is required"
        } else {
            "is not a known field"
        };
        assert_eq!(e["message"], expected, "{p}");
    }
}

#[actix_web::test]
async fn a_37_month_proposal_names_end_date_and_the_latest_allowed_date() {
    let w = world_with(spawn_app().await).await;
    let res = w.create(&w.draft_body("2021-04-01", "2024-04-01")).await;
    let p = assert_problem(res, 422, "policy-violation").await;
    assert_eq!(p["rule"], "max_duration");
    assert_eq!(p["errors"][0]["field"], "end_date", "{p}");
    assert_eq!(p["errors"][0]["rule"], "max_duration", "{p}");
    assert_eq!(p["errors"][0]["latest_end_date"], "2024-03-31", "{p}");
    let message = p["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("2024-03-31"), "{p}");

    // A draft's dates changed past the cap: the same rule, the same field.
    let draft = w.create_ok("2021-04-01", "2024-03-31").await;
    let path = format!("/api/v1/secondments/{}", draft["id"].as_str().unwrap());
    let res = w
        .app
        .patch_fresh(&w.hr.token, &path, &json!({"end_date": "2024-06-30"}))
        .await;
    let p = assert_problem(res, 422, "policy-violation").await;
    assert_eq!(p["errors"][0]["field"], "end_date", "{p}");
    assert_eq!(p["errors"][0]["latest_end_date"], "2024-03-31", "{p}");

    // An extension past the cap names its own field.
    let id = w.approved("2025-01-01", "2026-12-31").await;
    let res = w
        .app
        .post_as(
            &w.cadre.token,
            &format!("/api/v1/secondments/{id}/extensions"),
            &json!({"requested_end_date": "2028-01-01", "reason": "thêm"}),
        )
        .await;
    let p = assert_problem(res, 422, "policy-violation").await;
    assert_eq!(p["rule"], "max_duration");
    assert_eq!(p["errors"][0]["field"], "requested_end_date", "{p}");
    assert_eq!(p["errors"][0]["latest_end_date"], "2027-12-31", "{p}");
}

#[actix_web::test]
async fn independent_rules_of_a_proposal_are_reported_together() {
    let w = world_with(spawn_app().await).await;
    let mut body = w.draft_body("2025-01-01", "2024-12-31");
    body["host_unit_id"] = json!(w.home);
    let p = assert_problem(w.create(&body).await, 422, "policy-violation").await;
    assert_eq!(fields_of(&p), ["end_date", "host_unit_id"], "{p}");
    let rules: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["rule"].as_str())
        .collect();
    assert!(rules.contains(&"units_differ"), "{p}");
    assert!(rules.contains(&"end_after_start"), "{p}");
}

#[actix_web::test]
async fn an_empty_proposal_form_shows_every_required_field_at_once() {
    let w = world_with(spawn_app().await).await;
    let hr = Browser::signed_in(&w.app, &w.hr.email, &w.hr.password).await;
    let res = hr.submit("/secondments", &[("mandate", "")]).await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    for field in [
        "official_id",
        "host_unit_id",
        "ground",
        "position_title",
        "start_date",
        "end_date",
    ] {
        assert!(
            page.contains(&format!("id=\"{field}-error\"")),
            "an error beside {field}"
        );
    }
    assert!(page.matches("aria-invalid=\"true\"").count() >= 6);

    // The 37-month proposal: the latest end date beside the end date, as
    // each language writes a day; what was typed stays.
    let fields = [
        ("official_id", w.official.as_str()),
        ("host_unit_id", w.host.as_str()),
        ("ground", "fixed_term_task"),
        ("position_title", "Phó Giám đốc Sở"),
        ("start_date", "2026-01-01"),
        ("end_date", "2029-02-01"),
    ];
    let page = hr
        .submit("/secondments", &fields)
        .await
        .text()
        .await
        .unwrap();
    // The page escapes the slashes of the date.
    let page = page.replace("&#x2f;", "/");
    assert!(page.contains("id=\"end_date-error\""));
    assert!(
        page.contains("ngày kết thúc muộn nhất là 31/12/2028"),
        "the date as dd/mm/yyyy: {page}"
    );
    assert!(page.contains("value=\"Phó Giám đốc Sở\""));
    let page = hr
        .submit("/secondments?lang=en", &fields)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("2028-12-31"), "the date as YYYY-MM-DD");
}

#[actix_web::test]
async fn an_official_is_refused_with_every_field_at_fault() {
    let w = world_with(spawn_app().await).await;
    // A body missing three fields, with an unknown one and a bad date: the
    // official's own checks are its value types, so all are named at once.
    let res = w
        .app
        .post_as(
            &w.admin,
            "/api/v1/officials",
            &json!({"staff_code": "MIC-0009", "date_of_birth": "1990-02-30", "salary": 1}),
        )
        .await;
    let p = assert_problem(res, 422, "validation").await;
    assert_eq!(
        fields_of(&p),
        [
            "date_of_birth",
            "email",
            "full_name",
            "home_unit_id",
            "salary"
        ],
        "{p}"
    );
}
