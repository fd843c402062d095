//! Users, organisation units, the role matrix and the audit log.

use serde_json::{json, Value};

use crate::helpers::{assert_problem, spawn_app, TestApp};

async fn etag_of(app: &TestApp, token: &str, path: &str) -> String {
    let res = app.get_as(token, path).await;
    assert_eq!(res.status(), 200, "GET {path}");
    res.headers()["etag"].to_str().unwrap().to_string()
}

#[actix_web::test]
async fn units_form_a_tree_that_cannot_become_its_own_ancestor() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let ministry = app.create_unit(&admin, "BKHCN", "ministry", None).await;
    let dept = app
        .create_unit(
            &admin,
            "BKHCN-CDS",
            "ministry_department",
            ministry["id"].as_str(),
        )
        .await;
    let team = app
        .create_unit(&admin, "BKHCN-CDS-1", "other", dept["id"].as_str())
        .await;
    let path = format!("/api/v1/org-units/{}", ministry["id"].as_str().unwrap());

    let etag = etag_of(&app, &admin, &path).await;
    for new_parent in [&ministry, &team] {
        let res = app
            .patch_as(
                &admin,
                &path,
                Some(&etag),
                &json!({"parent_id": new_parent["id"]}),
            )
            .await;
        assert_problem(res, 409, "conflict").await;
    }
    // Nothing changed.
    let unit: Value = app.get_as(&admin, &path).await.json().await.unwrap();
    assert_eq!(unit["parent_id"], Value::Null);
    assert_eq!(unit["version"], 1);
}

#[actix_web::test]
async fn patch_needs_a_current_if_match() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let unit = app.create_unit(&admin, "T01", "province", None).await;
    let path = format!("/api/v1/org-units/{}", unit["id"].as_str().unwrap());
    let body = json!({"name": "Tỉnh Thái Nguyên", "name_en": "Thai Nguyen Province"});

    assert_problem(
        app.patch_as(&admin, &path, None, &body).await,
        428,
        "precondition-required",
    )
    .await;
    let etag = etag_of(&app, &admin, &path).await;
    let res = app.patch_as(&admin, &path, Some(&etag), &body).await;
    assert_eq!(res.status(), 200);
    let new_etag = res.headers()["etag"].to_str().unwrap().to_string();
    assert_ne!(new_etag, etag);
    let changed: Value = res.json().await.unwrap();
    assert_eq!(changed["name"], "Tỉnh Thái Nguyên");
    assert_eq!(changed["name_en"], "Thai Nguyen Province");
    // The old ETag is stale now.
    let res = app
        .patch_as(&admin, &path, Some(&etag), &json!({"name": "Lost update"}))
        .await;
    assert_problem(res, 412, "precondition-failed").await;

    let events = app
        .audit_of(&admin, "org_unit", unit["id"].as_str().unwrap())
        .await;
    let actions: Vec<_> = events
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["org_unit.created", "org_unit.updated"]);
    assert_eq!(events[1]["before"]["name"], "Đơn vị T01");
    assert_eq!(events[1]["after"]["name"], "Tỉnh Thái Nguyên");
}

#[actix_web::test]
async fn unit_filters_and_search_ignore_diacritics() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let province = app.create_unit(&admin, "19", "province", None).await;
    let res = app
        .post_as(
            &admin,
            "/api/v1/org-units",
            &json!({"code": "19-STTTT", "name": "Sở Thông tin và Truyền thông Thái Nguyên",
                    "kind": "provincial_department", "parent_id": province["id"]}),
        )
        .await;
    assert_eq!(res.status(), 201);
    app.create_unit(&admin, "BTP", "ministry", None).await;

    let list = |q: &'static str| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let page: Value = app.get_as(&admin, q).await.json().await.unwrap();
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u["code"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(list("/api/v1/org-units?q=thong%20tin").await, ["19-STTTT"]);
    assert_eq!(list("/api/v1/org-units?q=TH%C3%81I").await, ["19-STTTT"]);
    assert_eq!(list("/api/v1/org-units?kind=ministry").await, ["BTP"]);
    let by_parent = format!(
        "/api/v1/org-units?parent_id={}",
        province["id"].as_str().unwrap()
    );
    let page: Value = app.get_as(&admin, &by_parent).await.json().await.unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["next_cursor"], Value::Null);
    let res = app.get_as(&admin, "/api/v1/org-units?limit=0").await;
    assert_problem(res, 422, "validation").await;
    let res = app.get_as(&admin, "/api/v1/org-units?kind=planet").await;
    assert_problem(res, 422, "validation").await;
}

#[actix_web::test]
async fn unit_codes_are_unique() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    app.create_unit(&admin, "DUP", "other", None).await;
    let res = app
        .post_as(
            &admin,
            "/api/v1/org-units",
            &json!({"code": "DUP", "name": "x", "kind": "other"}),
        )
        .await;
    let body = assert_problem(res, 409, "conflict").await;
    assert!(body["detail"].as_str().unwrap().contains("code"));
}

#[actix_web::test]
async fn users_are_validated_and_emails_unique_ignoring_case() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let unit = app.create_unit(&admin, "U", "ministry", None).await;
    let cases = [
        (
            json!({"email": "x@y.vn", "password": "short", "role": "admin"}),
            "password",
        ),
        (
            json!({"email": "x@y.vn", "password": "x@y.vn", "role": "admin"}),
            "password",
        ),
        (
            json!({"email": "not-an-email", "password": "long enough password", "role": "admin"}),
            "email",
        ),
    ];
    for (body, field) in cases {
        let res = app.post_as(&admin, "/api/v1/users", &body).await;
        let problem = assert_problem(res, 422, "validation").await;
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    // A role without the link it needs breaks a rule; a link to nothing
    // is a 404 naming the field.
    for body in [
        json!({"email": "x@y.vn", "password": "long enough password", "role": "director"}),
        json!({"email": "x@y.vn", "password": "long enough password", "role": "cadre"}),
    ] {
        let res = app.post_as(&admin, "/api/v1/users", &body).await;
        let problem = assert_problem(res, 422, "policy-violation").await;
        assert_eq!(problem["rule"], "role_needs_link", "{problem}");
    }
    let res = app
        .post_as(
            &admin,
            "/api/v1/users",
            &json!({"email": "x@y.vn", "password": "long enough password", "role": "hr_officer",
                    "org_unit_id": "00000000-0000-0000-0000-000000000000"}),
        )
        .await;
    let problem = assert_problem(res, 404, "not-found").await;
    assert_eq!(problem["errors"][0]["field"], "org_unit_id", "{problem}");
    let ok = json!({"email": "Director@Mic.gov.vn", "password": "long enough password",
                    "role": "director", "org_unit_id": unit["id"], "language": "en"});
    let res = app.post_as(&admin, "/api/v1/users", &ok).await;
    assert_eq!(res.status(), 201);
    let user: Value = res.json().await.unwrap();
    assert_eq!(user["language"], "en");
    assert!(user.get("password").is_none() && user.get("password_hash").is_none());
    let mut dup = ok.clone();
    dup["email"] = json!("director@MIC.GOV.VN");
    let res = app.post_as(&admin, "/api/v1/users", &dup).await;
    assert_problem(res, 409, "conflict").await;

    let page: Value = app
        .get_as(&admin, "/api/v1/users?role=director")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    let events = app
        .audit_of(&admin, "user", user["id"].as_str().unwrap())
        .await;
    assert_eq!(events[0]["action"], "user.created");
    assert!(!events[0].to_string().contains("long enough password"));
    assert!(!events[0].to_string().contains("argon2"));
}

#[actix_web::test]
async fn a_password_change_ends_sessions_and_takes_effect() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let unit = app.create_unit(&admin, "U", "ministry", None).await;
    let hr = app
        .create_session(&admin, "hr_officer", unit["id"].as_str(), None)
        .await;
    let path = format!("/api/v1/users/{}", hr.id);
    let etag = etag_of(&app, &admin, &path).await;
    let res = app
        .patch_as(
            &admin,
            &path,
            Some(&etag),
            &json!({"password": "a brand new password"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": hr.refresh}),
        )
        .await;
    assert_eq!(res.status(), 401);
    assert_eq!(app.login(&hr.email, &hr.password).await.status(), 401);
    assert_eq!(
        app.login(&hr.email, "a brand new password").await.status(),
        200
    );
}

#[actix_web::test]
async fn the_audit_log_cannot_be_changed() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    // No route writes to it.
    for method in [
        reqwest::Method::POST,
        reqwest::Method::PUT,
        reqwest::Method::PATCH,
        reqwest::Method::DELETE,
    ] {
        let res = app
            .client
            .request(method.clone(), app.url("/api/v1/audit"))
            .bearer_auth(&admin)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 405, "{method} /audit");
        let res = app
            .client
            .request(method.clone(), app.url("/api/v1/audit/1"))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "{method} /audit/1");
    }
    // And the database refuses to.
    for sql in [
        "UPDATE audit_events SET action = 'x'",
        "DELETE FROM audit_events",
    ] {
        let db = &app.db;
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| db.execute(sql)));
        assert!(outcome.is_err(), "{sql} must fail");
    }
    let page: Value = app
        .get_as(&admin, "/api/v1/audit")
        .await
        .json()
        .await
        .unwrap();
    assert!(page["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["action"] != "x"));
}

/// Every route and every role: the expected status.
#[actix_web::test]
async fn role_matrix() {
    let app = spawn_app().await;
    let admin_token = app.admin_token().await;
    let ministry = app.create_unit(&admin_token, "M", "ministry", None).await;
    let unit_id = ministry["id"].as_str().unwrap().to_string();
    let other = app.create_unit(&admin_token, "P", "province", None).await;
    let other_id = other["id"].as_str().unwrap().to_string();
    let hr = app
        .create_session(&admin_token, "hr_officer", Some(&unit_id), None)
        .await;
    let director = app
        .create_session(&admin_token, "director", Some(&unit_id), None)
        .await;
    let official = app
        .create_official(&admin_token, &unit_id, "C-1", "Cán bộ Một")
        .await;
    let cadre = app
        .create_session(
            &admin_token,
            "cadre",
            Some(&unit_id),
            official["id"].as_str(),
        )
        .await;

    let roles: [(&str, Option<&str>); 5] = [
        ("anonymous", None),
        ("admin", Some(&admin_token)),
        ("hr_officer", Some(&hr.token)),
        ("director", Some(&director.token)),
        ("cadre", Some(&cadre.token)),
    ];
    // (method, path, body, expected for anonymous, admin, hr, director, cadre)
    let unit_path = format!("/api/v1/org-units/{other_id}");
    let user_path = format!("/api/v1/users/{}", hr.id);
    let official_path = format!("/api/v1/officials/{}", official["id"].as_str().unwrap());
    let outside = app
        .create_official(&admin_token, &other_id, "OUT-1", "Người Ngoài")
        .await;
    let outside_official_path = format!("/api/v1/officials/{}", outside["id"].as_str().unwrap());
    let hr_audit = format!("/api/v1/audit?entity_type=org_unit&entity_id={unit_id}");
    let out_of_scope_audit = format!("/api/v1/audit?entity_type=org_unit&entity_id={other_id}");
    let matrix: Vec<(&str, String, Value, [u16; 5])> = vec![
        (
            "GET",
            "/health".into(),
            Value::Null,
            [200, 200, 200, 200, 200],
        ),
        (
            "GET",
            "/ready".into(),
            Value::Null,
            [200, 200, 200, 200, 200],
        ),
        (
            "GET",
            "/metrics".into(),
            Value::Null,
            [200, 200, 200, 200, 200],
        ),
        (
            "GET",
            "/openapi.json".into(),
            Value::Null,
            [200, 200, 200, 200, 200],
        ),
        (
            "GET",
            "/docs/".into(),
            Value::Null,
            [200, 200, 200, 200, 200],
        ),
        (
            "GET",
            "/api/v1/me".into(),
            Value::Null,
            [401, 200, 200, 200, 200],
        ),
        (
            "GET",
            "/api/v1/users".into(),
            Value::Null,
            [401, 200, 403, 403, 403],
        ),
        (
            "POST",
            "/api/v1/users".into(),
            json!({"email": "n@x.vn", "password": "long enough password", "role": "admin"}),
            [401, 201, 403, 403, 403],
        ),
        (
            "GET",
            user_path.clone(),
            Value::Null,
            [401, 200, 403, 403, 403],
        ),
        (
            "PATCH",
            user_path.clone(),
            json!({"language": "en"}),
            [401, 200, 403, 403, 403],
        ),
        (
            "GET",
            "/api/v1/org-units".into(),
            Value::Null,
            [401, 200, 200, 200, 200],
        ),
        (
            "POST",
            "/api/v1/org-units".into(),
            json!({"code": "NEW", "name": "x", "kind": "other"}),
            [401, 201, 403, 403, 403],
        ),
        (
            "GET",
            unit_path.clone(),
            Value::Null,
            [401, 200, 200, 200, 200],
        ),
        (
            "PATCH",
            unit_path.clone(),
            json!({"name_en": "Province"}),
            [401, 200, 403, 403, 403],
        ),
        (
            "GET",
            "/api/v1/audit".into(),
            Value::Null,
            [401, 200, 200, 403, 403],
        ),
        (
            "GET",
            hr_audit.clone(),
            Value::Null,
            [401, 200, 200, 403, 403],
        ),
        (
            "GET",
            out_of_scope_audit.clone(),
            Value::Null,
            [401, 200, 200, 403, 403],
        ),
        (
            "GET",
            "/api/v1/officials".into(),
            Value::Null,
            [401, 200, 200, 403, 403],
        ),
        (
            "POST",
            "/api/v1/officials".into(),
            json!({"staff_code": "S", "full_name": "Lê Thị Hoa", "email": "e", "home_unit_id": unit_id}),
            [401, 201, 201, 403, 403],
        ),
        (
            "GET",
            official_path.clone(),
            Value::Null,
            [401, 200, 200, 403, 403],
        ),
        (
            "PATCH",
            official_path.clone(),
            json!({"rank": "Chuyên viên"}),
            [401, 200, 200, 403, 403],
        ),
        (
            "GET",
            outside_official_path.clone(),
            Value::Null,
            [401, 200, 404, 403, 403],
        ),
        (
            "POST",
            "/api/v1/org-units/merge".into(),
            json!({"source_ids": [], "target_id": unit_id, "effective_date": "2026-01-01"}),
            [401, 422, 403, 403, 403],
        ),
    ];
    for (i, (role, token)) in roles.iter().enumerate() {
        for (method, path, body, expected) in &matrix {
            let mut req = app.client.request(method.parse().unwrap(), app.url(path));
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            if *method == "PATCH" {
                let etag = etag_of(&app, &admin_token, path).await;
                req = req.header("if-match", etag);
            }
            if !body.is_null() {
                let mut body = body.clone();
                if let Some(email) = body.get_mut("email") {
                    *email = json!(format!("{role}-{i}@x.vn"));
                }
                if let Some(code) = body.get_mut("code") {
                    *code = json!(format!("NEW{i}"));
                }
                if let Some(code) = body.get_mut("staff_code") {
                    *code = json!(format!("S{i}"));
                }
                req = req.json(&body);
            }
            let status = req.send().await.unwrap().status().as_u16();
            assert_eq!(status, expected[i], "{role} {method} {path}");
        }
    }
    // The logout route: every signed-in role may end its own session.
    for session in [&hr, &director, &cadre] {
        let res = app
            .post_as(
                &session.token,
                "/api/v1/auth/logout",
                &json!({"refresh_token": session.refresh}),
            )
            .await;
        assert_eq!(res.status(), 204);
    }
}
