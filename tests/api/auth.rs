//! Sign-in, tokens, the current user.

use serde_json::json;

use crate::helpers::{assert_problem, spawn_app};

#[actix_web::test]
async fn admin_signs_in_and_sees_itself() {
    let app = spawn_app().await;
    let tokens = app.login_admin().await;
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 900);
    let access = tokens["access_token"].as_str().unwrap();
    let me: serde_json::Value = app.get_as(access, "/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["email"], app.admin_email);
    assert_eq!(me["role"], "admin");
    assert_eq!(me["language"], "vi");
}

#[actix_web::test]
async fn email_case_does_not_matter() {
    let app = spawn_app().await;
    let res = app
        .login(&app.admin_email.to_uppercase(), &app.admin_password)
        .await;
    assert_eq!(res.status(), 200);
}

#[actix_web::test]
async fn wrong_password_and_unknown_email_get_the_same_401() {
    let app = spawn_app().await;
    let a = assert_problem(
        app.login(&app.admin_email, "not the password at all").await,
        401,
        "unauthorized",
    )
    .await;
    let b = assert_problem(
        app.login("nobody@nowhere.gov.vn", "not the password at all")
            .await,
        401,
        "unauthorized",
    )
    .await;
    assert_eq!(a, b);
}

#[actix_web::test]
async fn me_without_a_token_is_401() {
    let app = spawn_app().await;
    let res = app.get("/api/v1/me").await;
    assert_eq!(res.headers()["www-authenticate"], "Bearer");
    assert_problem(res, 401, "unauthorized").await;
    let res = app.get_as("not-a-jwt", "/api/v1/me").await;
    assert_problem(res, 401, "unauthorized").await;
}

#[actix_web::test]
async fn refresh_rotates_and_logout_ends_the_session() {
    let app = spawn_app().await;
    let first = app.login_admin().await;
    let res = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": first["refresh_token"]}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let second: serde_json::Value = res.json().await.unwrap();
    assert_ne!(second["refresh_token"], first["refresh_token"]);

    let res = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(second["access_token"].as_str().unwrap())
        .json(&json!({"refresh_token": second["refresh_token"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let res = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": second["refresh_token"]}),
        )
        .await;
    assert_problem(res, 401, "unauthorized").await;
}
