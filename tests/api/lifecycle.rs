//! The secondment lifecycle: the Thai Nguyen story, rules, transitions,
//! visibility, approvals, the tick, history.

use serde_json::{json, Value};

use crate::helpers::{assert_problem, spawn_app, spawn_app_with, Session, TestApp};

/// A ministry department seconding to a provincial department, with the
/// people who act on it.
pub(crate) struct World {
    pub(crate) app: TestApp,
    pub(crate) admin: String,
    pub(crate) ministry: String,
    pub(crate) home: String,
    pub(crate) province: String,
    pub(crate) host: String,
    pub(crate) hr: Session,
    pub(crate) home_director: Session,
    pub(crate) host_director: Session,
    pub(crate) cadre: Session,
    pub(crate) official: String,
}

pub(crate) async fn world_with(app: TestApp) -> World {
    let admin = app.admin_token().await;
    let id = |v: &Value| v["id"].as_str().unwrap().to_string();
    let ministry = id(&app.create_unit(&admin, "BTTTT", "ministry", None).await);
    let home = id(&app
        .create_unit(&admin, "BTTTT-CDS", "ministry_department", Some(&ministry))
        .await);
    let province = id(&app.create_unit(&admin, "P19", "province", None).await);
    let host = id(&app
        .create_unit(
            &admin,
            "P19-STTTT",
            "provincial_department",
            Some(&province),
        )
        .await);
    let hr = app
        .create_session(&admin, "hr_officer", Some(&ministry), None)
        .await;
    let home_director = app
        .create_session(&admin, "director", Some(&home), None)
        .await;
    let host_director = app
        .create_session(&admin, "director", Some(&host), None)
        .await;
    let official = id(&app
        .create_official(&admin, &home, "MIC-0001", "Phạm Quang Hiếu")
        .await);
    let cadre = app
        .create_session(&admin, "cadre", Some(&home), Some(&official))
        .await;
    World {
        app,
        admin,
        ministry,
        home,
        province,
        host,
        hr,
        home_director,
        host_director,
        cadre,
        official,
    }
}

async fn world() -> World {
    world_with(spawn_app().await).await
}

impl World {
    pub(crate) fn draft_body(&self, start: &str, end: &str) -> Value {
        json!({
            "official_id": self.official,
            "host_unit_id": self.host,
            "ground": "fixed_term_task",
            "position_title": "Phó Giám đốc Sở (biệt phái)",
            "mandate": "Đầu mối triển khai Nghị quyết số 01 về chuyển đổi số 2021-2025",
            "start_date": start,
            "end_date": end,
            "agreement_ref": "TT-01/2021/BTTTT-UBND",
            "consultation": {"held_on": "2021-03-15", "note": "Đồng ý đi biệt phái"},
        })
    }

    pub(crate) async fn create(&self, body: &Value) -> reqwest::Response {
        self.app
            .post_as(&self.hr.token, "/api/v1/secondments", body)
            .await
    }

    pub(crate) async fn create_ok(&self, start: &str, end: &str) -> Value {
        let res = self.create(&self.draft_body(start, end)).await;
        assert_eq!(res.status(), 201);
        res.json().await.unwrap()
    }

    pub(crate) async fn act(
        &self,
        token: &str,
        id: &str,
        action: &str,
        body: Value,
    ) -> reqwest::Response {
        self.app
            .post_as(token, &format!("/api/v1/secondments/{id}/{action}"), &body)
            .await
    }

    pub(crate) async fn tick(&self, date: &str) -> Value {
        let res = self
            .app
            .post_as(&self.admin, "/api/v1/admin/tick", &json!({"date": date}))
            .await;
        assert_eq!(res.status(), 200);
        res.json().await.unwrap()
    }

    pub(crate) async fn get(&self, token: &str, id: &str) -> reqwest::Response {
        self.app
            .get_as(token, &format!("/api/v1/secondments/{id}"))
            .await
    }

    pub(crate) async fn status(&self, id: &str) -> String {
        let s: Value = self.get(&self.admin, id).await.json().await.unwrap();
        s["status"].as_str().unwrap().to_string()
    }

    /// Draft -> approved by both sides.
    pub(crate) async fn approved(&self, start: &str, end: &str) -> String {
        let s = self.create_ok(start, end).await;
        let id = s["id"].as_str().unwrap().to_string();
        assert_eq!(
            self.act(&self.hr.token, &id, "submit", json!({}))
                .await
                .status(),
            200
        );
        for d in [&self.home_director, &self.host_director] {
            assert_eq!(
                self.act(&d.token, &id, "approve", json!({})).await.status(),
                200
            );
        }
        id
    }
}

#[actix_web::test]
async fn the_thai_nguyen_story() {
    let w = world().await;
    // HR drafts the secondment without the legal steps first.
    let mut body = w.draft_body("2021-04-01", "2023-03-31");
    body.as_object_mut().unwrap().remove("agreement_ref");
    let res = w.create(&body).await;
    assert_eq!(res.status(), 201);
    let s: Value = res.json().await.unwrap();
    let id = s["id"].as_str().unwrap().to_string();
    assert_eq!(s["status"], "draft");
    assert_eq!(s["direction"], "central_to_local");
    assert_eq!(
        s["home_unit_id"], w.home,
        "defaults to the official's home unit"
    );
    assert_eq!(s["official"]["full_name"], "Phạm Quang Hiếu");
    assert_eq!(s["original_end_date"], "2023-03-31");

    let res = w.act(&w.hr.token, &id, "submit", json!({})).await;
    let problem = assert_problem(res, 422, "policy-violation").await;
    assert_eq!(problem["rule"], "agreement_before_submit");

    let etag = w.get(&w.hr.token, &id).await.headers()["etag"]
        .to_str()
        .unwrap()
        .to_string();
    let res = w
        .app
        .patch_as(
            &w.hr.token,
            &format!("/api/v1/secondments/{id}"),
            Some(&etag),
            &json!({"agreement_ref": "TT-01/2021/BTTTT-UBND"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = w.act(&w.hr.token, &id, "submit", json!({})).await;
    assert_eq!(res.status(), 200);
    assert_eq!(w.status(&id).await, "pending_approval");

    // The home director approves: one side of two.
    let res = w
        .act(
            &w.home_director.token,
            &id,
            "approve",
            json!({"comment": "Đồng ý cử đi"}),
        )
        .await;
    let s: Value = res.json().await.unwrap();
    assert_eq!(s["status"], "pending_approval");
    assert_eq!(s["approvals"][0]["side"], "home");
    assert_eq!(s["approvals"][0]["comment"], "Đồng ý cử đi");
    // Deciding twice for the same side is refused.
    let res = w
        .act(&w.home_director.token, &id, "approve", json!({}))
        .await;
    assert_problem(res, 409, "conflict").await;
    // The host director completes it with the decision number.
    let res = w
        .act(
            &w.host_director.token,
            &id,
            "approve",
            json!({"comment": "Tiếp nhận", "decision_ref": "QĐ 512/QĐ-BTTTT"}),
        )
        .await;
    let s: Value = res.json().await.unwrap();
    assert_eq!(s["status"], "approved");
    assert_eq!(s["decision_ref"], "QĐ 512/QĐ-BTTTT");
    assert_eq!(s["approvals"].as_array().unwrap().len(), 2);

    // The tick starts it on its start date, not before.
    assert_eq!(w.tick("2021-03-31").await["activated"], 0);
    assert_eq!(w.tick("2021-04-01").await["activated"], 1);
    assert_eq!(w.tick("2021-04-01").await["activated"], 0, "idempotent");
    assert_eq!(w.status(&id).await, "active");
    // The default milestones were planned on approval.
    let milestones: Vec<Value> = w
        .app
        .list_all(
            &w.cadre.token,
            &format!("/api/v1/secondments/{id}/milestones"),
        )
        .await;
    let dues: Vec<&str> = milestones
        .iter()
        .map(|m| m["due_date"].as_str().unwrap())
        .collect();
    assert_eq!(
        dues,
        ["2021-05-01", "2022-03-31", "2023-03-01", "2023-03-31"]
    );
    // The cadre completes the onboarding.
    let onboarding = milestones[0]["id"].as_str().unwrap();
    let res = w
        .app
        .post_as(
            &w.cadre.token,
            &format!("/api/v1/milestones/{onboarding}/complete"),
            &json!({"note": "Đã nhận nhiệm vụ tại Sở"}),
        )
        .await;
    assert_eq!(res.status(), 200);

    // The cadre logs outcomes on the three pillars.
    let mut outcome_ids = Vec::new();
    for (pillar, title, metric) in [
        (
            "digital_government",
            "Cổng dịch vụ công tỉnh",
            json!({"name": "dịch vụ công trực tuyến toàn trình", "value": 82.5, "unit": "%"}),
        ),
        (
            "digital_economy",
            "Sàn thương mại điện tử nông sản",
            json!({"name": "doanh nghiệp tham gia", "value": 340, "unit": "doanh nghiệp"}),
        ),
        (
            "digital_society",
            "Tổ công nghệ số cộng đồng",
            json!({"name": "tổ được thành lập", "value": 178, "unit": "tổ"}),
        ),
    ] {
        let res = w
            .app
            .post_as(
                &w.cadre.token,
                &format!("/api/v1/secondments/{id}/outcomes"),
                &json!({"title": title, "pillar": pillar, "occurred_on": "2022-06-30", "metrics": [metric]}),
            )
            .await;
        assert_eq!(res.status(), 201, "{pillar}");
        let o: Value = res.json().await.unwrap();
        outcome_ids.push(o["id"].as_str().unwrap().to_string());
    }
    // The host director acknowledges one; the home director may not.
    let ack = format!("/api/v1/outcomes/{}/acknowledge", outcome_ids[0]);
    assert_problem(
        w.app
            .post_as(&w.home_director.token, &ack, &json!({}))
            .await,
        403,
        "forbidden",
    )
    .await;
    let o: Value = w
        .app
        .post_as(&w.host_director.token, &ack, &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(o["acknowledged_by"], w.host_director.id);

    // Extension to 2024-03-31: exactly 36 months, approved by both sides.
    let res = w
        .app
        .post_as(
            &w.cadre.token,
            &format!("/api/v1/secondments/{id}/extensions"),
            &json!({"requested_end_date": "2024-03-31", "reason": "Sở đề nghị kéo dài tối thiểu 36 tháng"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let ext: Value = res.json().await.unwrap();
    let ext_id = ext["id"].as_str().unwrap();
    let s: Value = w.get(&w.hr.token, &id).await.json().await.unwrap();
    assert_eq!(s["pending_extension"]["id"], ext_id);
    let version_before = s["version"].as_i64().unwrap();
    // A second request while one is pending: 409.
    let res = w
        .app
        .post_as(
            &w.hr.token,
            &format!("/api/v1/secondments/{id}/extensions"),
            &json!({"requested_end_date": "2023-12-31", "reason": "x"}),
        )
        .await;
    assert_problem(res, 409, "conflict").await;
    for d in [&w.host_director, &w.home_director] {
        let res = w
            .app
            .post_as(
                &d.token,
                &format!("/api/v1/extensions/{ext_id}/approve"),
                &json!({"comment": "Đồng ý"}),
            )
            .await;
        assert_eq!(res.status(), 200);
    }
    let s: Value = w.get(&w.hr.token, &id).await.json().await.unwrap();
    assert_eq!(s["end_date"], "2024-03-31");
    assert_eq!(s["original_end_date"], "2023-03-31");
    assert_eq!(s["version"].as_i64().unwrap(), version_before + 1);
    assert_eq!(s["pending_extension"], Value::Null);

    // One day more is refused by the rule, when asked.
    let res = w
        .app
        .post_as(
            &w.cadre.token,
            &format!("/api/v1/secondments/{id}/extensions"),
            &json!({"requested_end_date": "2024-04-01", "reason": "thêm một ngày"}),
        )
        .await;
    let p = assert_problem(res, 422, "policy-violation").await;
    assert_eq!(p["rule"], "max_duration");

    // Completion by the tick, then the host's evaluation, once.
    assert_eq!(w.tick("2024-03-31").await["completed"], 0);
    assert_eq!(w.tick("2024-04-01").await["completed"], 1);
    let s: Value = w.get(&w.admin, &id).await.json().await.unwrap();
    assert_eq!(s["status"], "completed");
    assert_eq!(s["actual_end_date"], "2024-03-31");
    let eval = format!("/api/v1/secondments/{id}/evaluation");
    let body = json!({"rating": "excellent", "comment": "Hoàn thành xuất sắc nhiệm vụ"});
    assert_problem(
        w.app.post_as(&w.home_director.token, &eval, &body).await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(
        w.app
            .post_as(&w.host_director.token, &eval, &body)
            .await
            .status(),
        201
    );
    assert_problem(
        w.app.post_as(&w.host_director.token, &eval, &body).await,
        409,
        "conflict",
    )
    .await;
    let s: Value = w.get(&w.cadre.token, &id).await.json().await.unwrap();
    assert_eq!(s["evaluation"]["rating"], "excellent");
    // Outcomes can no longer be logged.
    let res = w
        .app
        .post_as(
            &w.cadre.token,
            &format!("/api/v1/secondments/{id}/outcomes"),
            &json!({"title": "x", "pillar": "other", "occurred_on": "2024-04-02"}),
        )
        .await;
    assert_problem(res, 409, "invalid-transition").await;

    // The history tells the story in order.
    let history: Vec<Value> = w
        .app
        .list_all(&w.cadre.token, &format!("/api/v1/secondments/{id}/history"))
        .await;
    let key: Vec<&str> = history
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .filter(|a| !a.starts_with("milestone."))
        .collect();
    assert_eq!(
        key,
        [
            "secondment.created",
            "secondment.updated",
            "secondment.submit",
            "approval.approved",
            "approval.approved",
            "secondment.approve",
            "secondment.activate",
            "outcome.created",
            "outcome.created",
            "outcome.created",
            "outcome.acknowledged",
            "extension.requested",
            "approval.approved",
            "approval.approved",
            "extension.approved",
            "secondment.extended",
            "secondment.complete",
            "secondment.evaluated",
        ]
    );
    let approvals: Vec<&Value> = history
        .iter()
        .filter(|e| e["action"] == "approval.approved")
        .collect();
    assert_eq!(approvals[0]["actor_id"], w.home_director.id);
    assert_eq!(approvals[0]["after"]["comment"], "Đồng ý cử đi");
    assert_eq!(approvals[2]["after"]["request"], "extension");
    let activate = history
        .iter()
        .find(|e| e["action"] == "secondment.activate")
        .unwrap();
    assert_eq!(activate["actor_id"], Value::Null, "the tick is the system");
    assert!(history.iter().any(|e| e["action"] == "milestone.completed"));
    assert!(history
        .iter()
        .any(|e| e["action"] == "milestone.rescheduled"));
}

#[actix_web::test]
async fn thirty_six_months_is_the_cap_and_other_rules_name_themselves() {
    let w = world().await;
    let res = w.create(&w.draft_body("2021-04-01", "2024-04-01")).await;
    let p = assert_problem(res, 422, "policy-violation").await;
    assert_eq!(p["rule"], "max_duration");
    assert!(p["detail"].as_str().unwrap().contains("2024-03-31"), "{p}");
    w.create_ok("2021-04-01", "2024-03-31").await;

    // Overlap with the open one: 409.
    let res = w.create(&w.draft_body("2024-03-01", "2024-12-31")).await;
    assert_problem(res, 409, "conflict").await;

    let mut same_unit = w.draft_body("2025-01-01", "2025-12-31");
    same_unit["host_unit_id"] = json!(w.home);
    let p = assert_problem(w.create(&same_unit).await, 422, "policy-violation").await;
    assert_eq!(p["rule"], "units_differ");

    let mut backwards = w.draft_body("2025-01-01", "2024-12-31");
    backwards["host_unit_id"] = json!(w.host);
    let p = assert_problem(w.create(&backwards).await, 422, "policy-violation").await;
    assert_eq!(p["rule"], "end_after_start");
}

#[actix_web::test]
async fn protected_officials_and_merged_units_are_refused() {
    let w = world().await;
    let path = format!("/api/v1/officials/{}", w.official);
    let res = w
        .app
        .patch_fresh(&w.admin, &path, &json!({"protected_until": "2021-06-01"}))
        .await;
    assert_eq!(res.status(), 200);
    let p = assert_problem(
        w.create(&w.draft_body("2021-04-01", "2022-03-31")).await,
        422,
        "policy-violation",
    )
    .await;
    assert_eq!(p["rule"], "protected_official");
    w.create_ok("2021-06-01", "2022-05-31").await;

    // A host merged away is not current.
    let other = w.app.create_unit(&w.admin, "P20", "province", None).await;
    let res = w
        .app
        .post_as(
            &w.admin,
            "/api/v1/org-units/merge",
            &json!({"source_ids": [other["id"]], "target_id": w.province, "effective_date": "2025-07-01"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let mut body = w.draft_body("2026-01-01", "2026-06-30");
    body["host_unit_id"] = other["id"].clone();
    let p = assert_problem(w.create(&body).await, 422, "policy-violation").await;
    assert_eq!(p["rule"], "units_current");
}

#[actix_web::test]
async fn rotations_need_the_plan_36_months_or_an_exception_and_ten_years() {
    let w = world().await;
    let path = format!("/api/v1/officials/{}", w.official);
    let set = |fields: Value| {
        let w = &w;
        let path = path.clone();
        async move {
            let res = w.app.patch_fresh(&w.admin, &path, &fields).await;
            assert_eq!(res.status(), 200);
        }
    };
    let rotation = |start: &str, end: &str, exception: Option<&str>| {
        let mut b = w.draft_body(start, end);
        b["kind"] = json!("rotation");
        b["exception_ref"] = json!(exception);
        b
    };
    // Not in the succession plan.
    let p = assert_problem(
        w.create(&rotation("2025-01-01", "2027-12-31", None)).await,
        422,
        "policy-violation",
    )
    .await;
    assert_eq!(p["rule"], "rotation_succession_plan");
    set(json!({"in_succession_plan": true, "retirement_date": "2040-01-01"})).await;
    // 30 months without an exception: refused; with one: accepted.
    let p = assert_problem(
        w.create(&rotation("2025-01-01", "2027-06-30", None)).await,
        422,
        "policy-violation",
    )
    .await;
    assert_eq!(p["rule"], "rotation_min_duration");
    let res = w
        .create(&rotation("2025-01-01", "2027-06-30", Some("QĐ 77/QĐ-BNV")))
        .await;
    assert_eq!(res.status(), 201);
    let s: Value = res.json().await.unwrap();
    assert_eq!(s["kind"], "rotation");
    let res = w
        .act(
            &w.hr.token,
            s["id"].as_str().unwrap(),
            "cancel",
            json!({"reason": "thử lại"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    // 36 months: accepted.
    let res = w.create(&rotation("2025-01-01", "2027-12-31", None)).await;
    assert_eq!(res.status(), 201);
    let s: Value = res.json().await.unwrap();
    w.act(
        &w.hr.token,
        s["id"].as_str().unwrap(),
        "cancel",
        json!({"reason": "x"}),
    )
    .await;
    // Retiring within ten years of the start.
    set(json!({"retirement_date": "2034-06-30"})).await;
    let p = assert_problem(
        w.create(&rotation("2025-01-01", "2027-12-31", None)).await,
        422,
        "policy-violation",
    )
    .await;
    assert_eq!(p["rule"], "rotation_working_time");
}

#[actix_web::test]
async fn invalid_transitions_are_409_naming_state_and_action() {
    let w = world().await;
    let draft = w.create_ok("2021-04-01", "2022-03-31").await;
    let id = draft["id"].as_str().unwrap();
    let p = assert_problem(
        w.act(
            &w.hr.token,
            id,
            "terminate",
            json!({"reason": "x", "actual_end_date": "2021-05-01"}),
        )
        .await,
        409,
        "invalid-transition",
    )
    .await;
    assert_eq!(p["detail"], "Cannot terminate a secondment that is draft.");
    let p = assert_problem(
        w.act(&w.home_director.token, id, "approve", json!({}))
            .await,
        409,
        "invalid-transition",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("draft"));
    assert_eq!(
        w.act(&w.hr.token, id, "cancel", json!({"reason": "đổi kế hoạch"}))
            .await
            .status(),
        200
    );
    for (action, body) in [("submit", json!({})), ("cancel", json!({"reason": "x"}))] {
        let p = assert_problem(
            w.act(&w.hr.token, id, action, body).await,
            409,
            "invalid-transition",
        )
        .await;
        assert!(p["detail"].as_str().unwrap().contains("cancelled"), "{p}");
    }

    // Approved: dates are frozen, cancel is allowed; active: terminate only.
    let id = w.approved("2022-04-01", "2023-03-31").await;
    let etag = w.get(&w.hr.token, &id).await.headers()["etag"]
        .to_str()
        .unwrap()
        .to_string();
    let p = assert_problem(
        w.app
            .patch_as(
                &w.hr.token,
                &format!("/api/v1/secondments/{id}"),
                Some(&etag),
                &json!({"end_date": "2023-06-30"}),
            )
            .await,
        422,
        "policy-violation",
    )
    .await;
    assert_eq!(p["rule"], "dates_and_host_in_draft");
    w.tick("2022-04-01").await;
    let p = assert_problem(
        w.act(&w.hr.token, &id, "cancel", json!({"reason": "x"}))
            .await,
        409,
        "invalid-transition",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("active"));
    let res = w
        .act(
            &w.hr.token,
            &id,
            "terminate",
            json!({"reason": "Điều động về Bộ", "actual_end_date": "2022-09-30"}),
        )
        .await;
    let s: Value = res.json().await.unwrap();
    assert_eq!(s["status"], "terminated");
    assert_eq!(s["actual_end_date"], "2022-09-30");
    assert_eq!(
        w.tick("2023-04-01").await["completed"],
        0,
        "terminated stays terminated"
    );
}

#[actix_web::test]
async fn a_rejection_ends_the_proposal() {
    let w = world().await;
    let s = w.create_ok("2021-04-01", "2022-03-31").await;
    let id = s["id"].as_str().unwrap();
    w.act(&w.hr.token, id, "submit", json!({})).await;
    let res = w
        .act(
            &w.host_director.token,
            id,
            "reject",
            json!({"comment": "Chưa bố trí được vị trí"}),
        )
        .await;
    let s: Value = res.json().await.unwrap();
    assert_eq!(s["status"], "rejected");
    let p = assert_problem(
        w.act(&w.home_director.token, id, "approve", json!({}))
            .await,
        409,
        "invalid-transition",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("rejected"));
    // A rejected proposal no longer blocks a new one for the same dates.
    w.create_ok("2021-04-01", "2022-03-31").await;
}

#[actix_web::test]
async fn visibility_self_decision_and_roles() {
    let w = world().await;
    let id = w.create_ok("2021-04-01", "2022-03-31").await["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Another cadre and a director of an unrelated province see nothing.
    let other_official = w
        .app
        .create_official(&w.admin, &w.home, "MIC-0002", "Lê Văn Khác")
        .await;
    let other_cadre = w
        .app
        .create_session(
            &w.admin,
            "cadre",
            Some(&w.home),
            other_official["id"].as_str(),
        )
        .await;
    let elsewhere = w.app.create_unit(&w.admin, "P44", "province", None).await;
    let far_director = w
        .app
        .create_session(&w.admin, "director", elsewhere["id"].as_str(), None)
        .await;
    for token in [&other_cadre.token, &far_director.token] {
        assert_problem(w.get(token, &id).await, 404, "not-found").await;
        let page: Value = w
            .app
            .get_as(token, "/api/v1/secondments")
            .await
            .json()
            .await
            .unwrap();
        assert!(page["items"].as_array().unwrap().is_empty());
        let res = w
            .app
            .get_as(token, &format!("/api/v1/secondments/{id}/history"))
            .await;
        assert_problem(res, 404, "not-found").await;
    }
    // The cadre sees their own, but may not submit it; a director may not either.
    assert_eq!(w.get(&w.cadre.token, &id).await.status(), 200);
    assert_problem(
        w.act(&w.cadre.token, &id, "submit", json!({})).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        w.act(&w.home_director.token, &id, "submit", json!({}))
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(
        w.act(&w.hr.token, &id, "submit", json!({})).await.status(),
        200
    );
    // HR may not approve.
    assert_problem(
        w.act(&w.hr.token, &id, "approve", json!({})).await,
        403,
        "forbidden",
    )
    .await;

    // A director whose account is linked to the seconded official: 403.
    let official_director = w
        .app
        .create_session(&w.admin, "director", Some(&w.home), Some(&w.official))
        .await;
    let p = assert_problem(
        w.act(&official_director.token, &id, "approve", json!({}))
            .await,
        403,
        "forbidden",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("themselves"));
    assert_eq!(w.status(&id).await, "pending_approval");

    // A ministry-level director covers the home side through the tree.
    let ministry_director = w
        .app
        .create_session(&w.admin, "director", Some(&w.ministry), None)
        .await;
    let s: Value = w
        .act(&ministry_director.token, &id, "approve", json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(s["approvals"][0]["side"], "home");
}

#[actix_web::test]
async fn patch_needs_if_match_and_lists_filter() {
    let w = world().await;
    let s = w.create_ok("2021-04-01", "2022-03-31").await;
    let id = s["id"].as_str().unwrap();
    let path = format!("/api/v1/secondments/{id}");
    assert_problem(
        w.app
            .patch_as(&w.hr.token, &path, None, &json!({"mandate": "x"}))
            .await,
        428,
        "precondition-required",
    )
    .await;
    let res = w
        .app
        .patch_as(
            &w.hr.token,
            &path,
            Some("\"1\""),
            &json!({"mandate": "Chuyển đổi số"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_problem(
        w.app
            .patch_as(&w.hr.token, &path, Some("\"1\""), &json!({"mandate": "y"}))
            .await,
        412,
        "precondition-failed",
    )
    .await;

    let list = |q: String| {
        let w = &w;
        async move {
            let page: Value = w.app.get_as(&w.hr.token, &q).await.json().await.unwrap();
            page["items"].as_array().unwrap().len()
        }
    };
    assert_eq!(list("/api/v1/secondments?q=hieu".into()).await, 1);
    assert_eq!(list("/api/v1/secondments?q=khong".into()).await, 0);
    assert_eq!(list("/api/v1/secondments?status=draft".into()).await, 1);
    assert_eq!(list("/api/v1/secondments?status=active".into()).await, 0);
    assert_eq!(
        list(format!("/api/v1/secondments?host_unit_id={}", w.province)).await,
        1,
        "scope included"
    );
    assert_eq!(
        list(format!("/api/v1/secondments?home_unit_id={}", w.host)).await,
        0
    );
    assert_eq!(
        list("/api/v1/secondments?active_on=2021-12-01".into()).await,
        1
    );
    assert_eq!(
        list("/api/v1/secondments?active_on=2022-04-01".into()).await,
        0
    );
    assert_eq!(
        list("/api/v1/secondments?ending_after=2022-03-31&ending_before=2022-03-31".into()).await,
        1
    );
    assert_eq!(
        list("/api/v1/secondments?ending_before=2022-03-30".into()).await,
        0
    );
    let res = w
        .app
        .get_as(&w.hr.token, "/api/v1/secondments?status=sleeping")
        .await;
    assert_problem(res, 422, "validation").await;
}

#[actix_web::test]
async fn a_host_merge_repoints_running_secondments_with_history() {
    let w = world().await;
    let id = w.approved("2025-01-01", "2026-12-31").await;
    w.tick("2025-01-01").await;
    let successor = w
        .app
        .create_unit(
            &w.admin,
            "P19-SKHCN",
            "provincial_department",
            Some(&w.province),
        )
        .await;
    let res = w
        .app
        .post_as(
            &w.admin,
            "/api/v1/org-units/merge",
            &json!({"source_ids": [w.host], "target_id": successor["id"], "effective_date": "2025-07-01"}),
        )
        .await;
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["moved_secondments"], 1);
    let s: Value = w.get(&w.admin, &id).await.json().await.unwrap();
    assert_eq!(s["host_unit_id"], successor["id"]);
    let history: Vec<Value> = w
        .app
        .list_all(&w.admin, &format!("/api/v1/secondments/{id}/history"))
        .await;
    let merged = history.last().unwrap();
    assert_eq!(merged["action"], "secondment.unit_merged");
    assert_eq!(merged["before"]["host_unit_id"], w.host);
    assert_eq!(merged["after"]["detail"]["effective_date"], "2025-07-01");
}

#[actix_web::test]
async fn the_tick_date_is_honoured_only_when_allowed() {
    let app = spawn_app_with(|s| s.scheduler.allow_date_override = false).await;
    let admin = app.admin_token().await;
    let res = app
        .post_as(&admin, "/api/v1/admin/tick", &json!({"date": "2030-01-01"}))
        .await;
    let p = assert_problem(res, 422, "policy-violation").await;
    assert_eq!(p["rule"], "date_override_disabled");
    let res = app.post_as(&admin, "/api/v1/admin/tick", &json!({})).await;
    assert_eq!(res.status(), 200);
    let w = world_with(spawn_app().await).await;
    let res = w
        .app
        .post_as(&w.hr.token, "/api/v1/admin/tick", &json!({}))
        .await;
    assert_problem(res, 403, "forbidden").await;
}

#[actix_web::test]
async fn a_delegate_decides_within_the_range_only_and_on_behalf_of() {
    let w = world().await;
    let deputy = w
        .app
        .create_session(&w.admin, "director", Some(&w.home), None)
        .await;
    let hr_at_host = w
        .app
        .create_session(&w.admin, "hr_officer", Some(&w.host), None)
        .await;
    // "Today" is the service's: Asia/Ho_Chi_Minh.
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .date_naive();
    let later = |d: u64| (today + chrono::Days::new(d)).to_string();

    // Rules: not before today, no overlap, no chain, a director or HR delegate.
    let post = |token: &str, body: Value| {
        let w = &w;
        let token = token.to_string();
        async move { w.app.post_as(&token, "/api/v1/delegations", &body).await }
    };
    let yesterday = (today - chrono::Days::new(1)).to_string();
    let res = post(
        &w.host_director.token,
        json!({"delegate_user_id": hr_at_host.id, "starts_on": yesterday, "ends_on": later(5)}),
    )
    .await;
    let p = assert_problem(res, 422, "policy-violation").await;
    assert_eq!(p["rule"], "delegation_from_today");
    let res = post(
        &w.host_director.token,
        json!({"delegate_user_id": w.cadre.id, "starts_on": later(0), "ends_on": later(5)}),
    )
    .await;
    let p = assert_problem(res, 422, "policy-violation").await;
    assert_eq!(p["rule"], "delegate_is_director_or_hr");
    let res = post(
        &w.host_director.token,
        json!({"delegate_user_id": hr_at_host.id, "starts_on": later(0), "ends_on": later(5)}),
    )
    .await;
    assert_eq!(res.status(), 201);
    let res = post(
        &w.host_director.token,
        json!({"delegate_user_id": deputy.id, "starts_on": later(3), "ends_on": later(9)}),
    )
    .await;
    assert_problem(res, 409, "conflict").await;
    let res = post(
        &deputy.token,
        json!({"delegate_user_id": w.host_director.id, "starts_on": later(1), "ends_on": later(2)}),
    )
    .await;
    assert_problem(res, 409, "conflict").await;
    assert_problem(
        post(
            &w.cadre.token,
            json!({"delegate_user_id": deputy.id, "starts_on": later(0), "ends_on": later(1)}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;

    // Within the range the HR delegate decides for the host side, on behalf of its director.
    let s = w.create_ok("2027-01-01", "2027-12-31").await;
    let id = s["id"].as_str().unwrap();
    w.act(&w.hr.token, id, "submit", json!({})).await;
    let pending: Vec<Value> = w
        .app
        .list_all(&hr_at_host.token, "/api/v1/approvals/pending")
        .await;
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0]["sides"], json!(["host"]));
    assert_eq!(pending[0]["on_behalf_of"]["id"], w.host_director.id);
    let pending: Vec<Value> = w
        .app
        .list_all(&w.home_director.token, "/api/v1/approvals/pending")
        .await;
    assert_eq!(pending[0]["sides"], json!(["home"]));
    let s: Value = w
        .act(
            &hr_at_host.token,
            id,
            "approve",
            json!({"comment": "thay mặt Giám đốc"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(s["approvals"][0]["side"], "host");
    assert_eq!(s["approvals"][0]["decided_by"]["id"], hr_at_host.id);
    assert_eq!(s["approvals"][0]["on_behalf_of"]["id"], w.host_director.id);
    let pending: Vec<Value> = w
        .app
        .list_all(&hr_at_host.token, "/api/v1/approvals/pending")
        .await;
    assert!(pending.is_empty());

    // Outside the range (a delegation starting later) the delegate cannot decide.
    let s2 = {
        let other = w
            .app
            .create_official(&w.admin, &w.home, "MIC-0003", "Vũ Thị Lan")
            .await;
        let mut body = w.draft_body("2027-01-01", "2027-12-31");
        body["official_id"] = other["id"].clone();
        let s: Value = w.create(&body).await.json().await.unwrap();
        s["id"].as_str().unwrap().to_string()
    };
    w.act(&w.hr.token, &s2, "submit", json!({})).await;
    let res = post(
        &w.home_director.token,
        json!({"delegate_user_id": deputy.id, "starts_on": later(30), "ends_on": later(40)}),
    )
    .await;
    assert_eq!(res.status(), 201);
    // An HR officer at the ministry, delegated the home side only from day 10:
    // today they are outside the range and cannot decide.
    let future_delegate = w
        .app
        .create_session(&w.admin, "hr_officer", Some(&w.ministry), None)
        .await;
    let res = post(
        &deputy.token,
        json!({"delegate_user_id": future_delegate.id, "starts_on": later(10), "ends_on": later(12)}),
    )
    .await;
    assert_eq!(res.status(), 201);
    assert_problem(
        w.act(&future_delegate.token, &s2, "approve", json!({}))
            .await,
        403,
        "forbidden",
    )
    .await;
    let res = w.act(&hr_at_host.token, &s2, "approve", json!({})).await;
    assert_eq!(
        res.status(),
        200,
        "host side through the running delegation"
    );
    let p = assert_problem(
        w.act(&w.hr.token, &s2, "approve", json!({})).await,
        403,
        "forbidden",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("side"));
    // The deputy has the home scope themselves; the future delegation adds nothing today.
    let delegations: Vec<Value> = w.app.list_all(&deputy.token, "/api/v1/delegations").await;
    assert_eq!(delegations.len(), 2, "received one, gave one");
    let delegations: Vec<Value> = delegations
        .into_iter()
        .filter(|d| d["delegate_user_id"] == deputy.id)
        .collect();
    let del_id = delegations[0]["id"].as_str().unwrap();
    assert_problem(
        w.app
            .client
            .delete(w.app.url(&format!("/api/v1/delegations/{del_id}")))
            .bearer_auth(&deputy.token)
            .send()
            .await
            .unwrap(),
        403,
        "forbidden",
    )
    .await;
    let res = w
        .app
        .client
        .delete(w.app.url(&format!("/api/v1/delegations/{del_id}")))
        .bearer_auth(&w.home_director.token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
}

#[actix_web::test]
async fn extensions_can_be_withdrawn_by_the_requester_only_and_rejected() {
    let w = world().await;
    let id = w.approved("2025-01-01", "2025-12-31").await;
    let ask = |token: String, end: &'static str| {
        let w = &w;
        let id = id.clone();
        async move {
            w.app
                .post_as(
                    &token,
                    &format!("/api/v1/secondments/{id}/extensions"),
                    &json!({"requested_end_date": end, "reason": "cần thêm thời gian"}),
                )
                .await
        }
    };
    let p = assert_problem(
        ask(w.cadre.token.clone(), "2025-06-30").await,
        422,
        "policy-violation",
    )
    .await;
    assert_eq!(p["rule"], "extension_later_end");
    let ext: Value = ask(w.cadre.token.clone(), "2026-06-30")
        .await
        .json()
        .await
        .unwrap();
    let ext_id = ext["id"].as_str().unwrap();
    let withdraw = format!("/api/v1/extensions/{ext_id}/withdraw");
    assert_problem(
        w.app.post_as(&w.hr.token, &withdraw, &json!({})).await,
        403,
        "forbidden",
    )
    .await;
    let res: Value = w
        .app
        .post_as(&w.cadre.token, &withdraw, &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(res["status"], "withdrawn");
    assert_problem(
        w.app.post_as(&w.cadre.token, &withdraw, &json!({})).await,
        409,
        "invalid-transition",
    )
    .await;

    let ext: Value = ask(w.hr.token.clone(), "2026-03-31")
        .await
        .json()
        .await
        .unwrap();
    let ext_id = ext["id"].as_str().unwrap();
    let res: Value = w
        .app
        .post_as(
            &w.host_director.token,
            &format!("/api/v1/extensions/{ext_id}/reject"),
            &json!({"comment": "Không cần thiết"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(res["status"], "rejected");
    let s: Value = w.get(&w.hr.token, &id).await.json().await.unwrap();
    assert_eq!(s["end_date"], "2025-12-31");
    // A draft cannot be extended.
    let draft = w
        .app
        .create_official(&w.admin, &w.home, "MIC-0009", "Ngô Văn Tám")
        .await;
    let mut body = w.draft_body("2025-01-01", "2025-06-30");
    body["official_id"] = draft["id"].clone();
    let d: Value = w.create(&body).await.json().await.unwrap();
    let res = w
        .app
        .post_as(
            &w.hr.token,
            &format!(
                "/api/v1/secondments/{}/extensions",
                d["id"].as_str().unwrap()
            ),
            &json!({"requested_end_date": "2025-09-30", "reason": "x"}),
        )
        .await;
    assert_problem(res, 409, "invalid-transition").await;
}

#[actix_web::test]
async fn outcomes_belong_to_the_cadre_and_milestones_are_missed_by_the_tick() {
    let w = world().await;
    let id = w.approved("2025-01-01", "2025-12-31").await;
    let outcomes = format!("/api/v1/secondments/{id}/outcomes");
    let body =
        json!({"title": "Triển khai", "pillar": "digital_government", "occurred_on": "2025-02-01"});
    // Not active yet.
    assert_problem(
        w.app.post_as(&w.cadre.token, &outcomes, &body).await,
        409,
        "invalid-transition",
    )
    .await;
    let t = w.tick("2025-02-10").await;
    assert_eq!(t["activated"], 1);
    assert_eq!(t["milestones_missed"], 1, "onboarding was due 2025-02-01");
    assert_eq!(w.tick("2025-02-10").await["milestones_missed"], 0);
    // A director may not log; the cadre and HR may.
    assert_problem(
        w.app
            .post_as(&w.host_director.token, &outcomes, &body)
            .await,
        403,
        "forbidden",
    )
    .await;
    let bad = json!({"title": "x", "pillar": "space", "occurred_on": "2025-02-01"});
    assert_problem(
        w.app.post_as(&w.cadre.token, &outcomes, &bad).await,
        422,
        "validation",
    )
    .await;
    let o: Value = w
        .app
        .post_as(&w.cadre.token, &outcomes, &body)
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/api/v1/outcomes/{}", o["id"].as_str().unwrap());
    let res = w
        .app
        .patch_as(
            &w.cadre.token,
            &path,
            Some("\"1\""),
            &json!({"metrics": [{"name": "hồ sơ", "value": 12000, "unit": "hồ sơ"}]}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let changed: Value = res.json().await.unwrap();
    assert_eq!(changed["metrics"][0]["value"], 12000.0);
    // Another cadre sees nothing of it.
    let other = w
        .app
        .create_official(&w.admin, &w.home, "MIC-0005", "Đỗ Minh Khoa")
        .await;
    let other_cadre = w
        .app
        .create_session(&w.admin, "cadre", Some(&w.home), other["id"].as_str())
        .await;
    assert_problem(
        w.app.get_as(&other_cadre.token, &outcomes).await,
        404,
        "not-found",
    )
    .await;
    assert_problem(
        w.app
            .client
            .delete(w.app.url(&path))
            .bearer_auth(&other_cadre.token)
            .send()
            .await
            .unwrap(),
        404,
        "not-found",
    )
    .await;
    let res = w
        .app
        .client
        .delete(w.app.url(&path))
        .bearer_auth(&w.hr.token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let list: Vec<Value> = w.app.list_all(&w.cadre.token, &outcomes).await;
    assert!(list.is_empty());
}

#[actix_web::test]
async fn cancelling_closes_open_items_and_milestones_can_be_planned() {
    let w = world().await;
    let id = w.approved("2025-01-01", "2025-12-31").await;
    let path = format!("/api/v1/secondments/{id}/milestones");
    let res = w
        .app
        .post_as(
            &w.hr.token,
            &path,
            &json!({"title": "Hội thảo chuyển đổi số", "due_date": "2026-01-15"}),
        )
        .await;
    let p = assert_problem(res, 422, "policy-violation").await;
    assert_eq!(p["rule"], "milestone_within_secondment");
    assert_problem(
        w.app
            .post_as(
                &w.cadre.token,
                &path,
                &json!({"title": "x", "due_date": "2025-06-01"}),
            )
            .await,
        403,
        "forbidden",
    )
    .await;
    let m: Value = w
        .app
        .post_as(
            &w.hr.token,
            &path,
            &json!({"title": "Hội thảo chuyển đổi số", "due_date": "2025-06-01"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let mpath = format!("/api/v1/milestones/{}", m["id"].as_str().unwrap());
    let res = w
        .app
        .patch_as(
            &w.hr.token,
            &mpath,
            Some("\"1\""),
            &json!({"due_date": "2025-07-01", "description": "Tại Thái Nguyên"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_problem(
        w.app
            .patch_as(&w.hr.token, &mpath, Some("\"1\""), &json!({"title": "y"}))
            .await,
        412,
        "precondition-failed",
    )
    .await;
    let ext = w
        .app
        .post_as(
            &w.cadre.token,
            &format!("/api/v1/secondments/{id}/extensions"),
            &json!({"requested_end_date": "2026-06-30", "reason": "x"}),
        )
        .await;
    assert_eq!(ext.status(), 201);

    let res = w
        .act(
            &w.hr.token,
            &id,
            "cancel",
            json!({"reason": "Tỉnh rút đề nghị"}),
        )
        .await;
    let s: Value = res.json().await.unwrap();
    assert_eq!(s["status"], "cancelled");
    assert_eq!(s["end_reason"], "Tỉnh rút đề nghị");
    assert_eq!(s["pending_extension"], Value::Null);
    let ms: Vec<Value> = w.app.list_all(&w.hr.token, &path).await;
    assert!(ms.iter().all(|m| m["status"] == "cancelled"), "{ms:?}");
}

#[actix_web::test]
async fn rules_are_checked_again_at_submit_and_extensions_respect_the_next_posting() {
    let w = world().await;
    // Protection recorded after the draft: submit refuses it.
    let draft = w.create_ok("2026-01-01", "2026-06-30").await;
    let id = draft["id"].as_str().unwrap();
    let path = format!("/api/v1/officials/{}", w.official);
    w.app
        .patch_fresh(&w.admin, &path, &json!({"protected_until": "2026-03-01"}))
        .await;
    let p = assert_problem(
        w.act(&w.hr.token, id, "submit", json!({})).await,
        422,
        "policy-violation",
    )
    .await;
    assert_eq!(p["rule"], "protected_official");
    w.act(
        &w.hr.token,
        id,
        "cancel",
        json!({"reason": "bảo vệ thai sản"}),
    )
    .await;
    w.app
        .patch_fresh(&w.admin, &path, &json!({"protected_until": null}))
        .await;

    // Two postings back to back: extending the first into the second is 409.
    let first = w.approved("2027-01-01", "2027-06-30").await;
    w.approved("2027-07-01", "2027-12-31").await;
    let res = w
        .app
        .post_as(
            &w.cadre.token,
            &format!("/api/v1/secondments/{first}/extensions"),
            &json!({"requested_end_date": "2027-09-30", "reason": "x"}),
        )
        .await;
    assert_problem(res, 409, "conflict").await;
}

#[actix_web::test]
async fn a_merge_that_would_make_home_and_host_one_unit_is_refused() {
    let w = world().await;
    w.approved("2025-01-01", "2025-12-31").await;
    let res = w
        .app
        .post_as(
            &w.admin,
            "/api/v1/org-units/merge",
            &json!({"source_ids": [w.host], "target_id": w.home, "effective_date": "2025-07-01"}),
        )
        .await;
    let p = assert_problem(res, 409, "conflict").await;
    assert!(p["detail"].as_str().unwrap().contains("two sides"), "{p}");
}

#[actix_web::test]
async fn a_delegate_from_another_unit_sees_and_decides_what_they_stand_in_for() {
    let w = world().await;
    let elsewhere = w.app.create_unit(&w.admin, "P44", "province", None).await;
    let far = w
        .app
        .create_session(&w.admin, "director", elsewhere["id"].as_str(), None)
        .await;
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .date_naive();
    let res = w
        .app
        .post_as(
            &w.host_director.token,
            "/api/v1/delegations",
            &json!({"delegate_user_id": far.id, "starts_on": today.to_string(), "ends_on": (today + chrono::Days::new(3)).to_string()}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let s = w.create_ok("2027-01-01", "2027-06-30").await;
    let id = s["id"].as_str().unwrap();
    w.act(&w.hr.token, id, "submit", json!({})).await;
    let pending: Vec<Value> = w
        .app
        .list_all(&far.token, "/api/v1/approvals/pending")
        .await;
    assert_eq!(pending.len(), 1);
    let res = w.act(&far.token, id, "approve", json!({})).await;
    assert_eq!(res.status(), 200);
    let s: Value = res.json().await.unwrap();
    assert_eq!(s["approvals"][0]["on_behalf_of"]["id"], w.host_director.id);
    // Outside decisions, the delegate still sees nothing of that unit.
    assert_problem(w.get(&far.token, id).await, 404, "not-found").await;

    // PATCH may not move a draft out of the HR officer's scope.
    let d = w.create_ok("2028-01-01", "2028-06-30").await;
    let path = format!("/api/v1/secondments/{}", d["id"].as_str().unwrap());
    let res = w
        .app
        .patch_as(
            &w.hr.token,
            &path,
            Some("\"1\""),
            &json!({"home_unit_id": elsewhere["id"], "host_unit_id": w.host}),
        )
        .await;
    assert_problem(res, 403, "forbidden").await;
}
