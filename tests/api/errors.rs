//! Every error is problem+json, including the framework's own.

use serde_json::json;

use crate::helpers::{assert_problem, spawn_app, spawn_app_with};

#[actix_web::test]
async fn unknown_route_is_404_problem() {
    let app = spawn_app().await;
    let body = assert_problem(app.get("/api/v1/nothing-here").await, 404, "not-found").await;
    assert!(body["detail"]
        .as_str()
        .unwrap()
        .contains("/api/v1/nothing-here"));
}

#[actix_web::test]
async fn wrong_method_is_405_problem_with_allow() {
    let app = spawn_app().await;
    let res = app
        .client
        .delete(app.url("/api/v1/auth/login"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["allow"], "POST");
    assert_problem(res, 405, "method-not-allowed").await;
}

#[actix_web::test]
async fn malformed_json_is_400() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "bad-request").await;
}

#[actix_web::test]
async fn unknown_json_field_is_422_naming_it() {
    let app = spawn_app().await;
    let res = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": "a@b.vn", "password": "x", "remember_me": true}),
        )
        .await;
    let body = assert_problem(res, 422, "validation").await;
    assert_eq!(body["errors"][0]["field"], "remember_me", "{body}");
}

#[actix_web::test]
async fn missing_json_field_is_422_naming_it() {
    let app = spawn_app().await;
    let res = app
        .post_json("/api/v1/auth/login", &json!({"email": "a@b.vn"}))
        .await;
    let body = assert_problem(res, 422, "validation").await;
    assert_eq!(body["errors"][0]["field"], "password", "{body}");
}

#[actix_web::test]
async fn body_over_the_limit_is_413() {
    let app = spawn_app_with(|s| s.server.body_limit_bytes = 256).await;
    let big = json!({"email": "a@b.vn", "password": "x".repeat(1000)});
    let res = app.post_json("/api/v1/auth/login", &big).await;
    let body = assert_problem(res, 413, "payload-too-large").await;
    assert!(body["detail"].as_str().unwrap().contains("256"), "{body}");
}

#[actix_web::test]
async fn wrong_content_type_is_415() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "text/plain")
        .body("email=a@b.vn")
        .send()
        .await
        .unwrap();
    assert_problem(res, 415, "unsupported-media-type").await;
}

#[actix_web::test]
async fn internal_errors_are_500_without_internals() {
    let app = spawn_app().await;
    // Break the database under the running service.
    app.db.execute("DROP TABLE login_failures");
    let res = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": "someone@example.vn", "password": "whatever-password"}),
        )
        .await;
    let body = assert_problem(res, 500, "internal").await;
    let text = body.to_string().to_lowercase();
    for leak in [
        "login_failures",
        "sql",
        "diesel",
        "relation",
        "no such table",
    ] {
        assert!(!text.contains(leak), "{leak} leaked: {body}");
    }
}

#[actix_web::test]
async fn garbage_bytes_never_crash_the_service() {
    let app = spawn_app().await;
    for body in [
        &b"\xff\xfe\x00"[..],
        b"[]",
        b"null",
        b"{\"email\":1,\"password\":2}",
    ] {
        let res = app
            .client
            .post(app.url("/api/v1/auth/login"))
            .header("content-type", "application/json")
            .body(body.to_vec())
            .send()
            .await
            .unwrap();
        assert!(res.status().is_client_error(), "{}", res.status());
    }
    assert_eq!(app.get("/health").await.status(), 200);
}
