//! Passwords: the owner's change (`POST /me/password`), an
//! administrator's reset (`POST /users/{id}/password-reset`), and the
//! change every password set by someone else requires (decision 0039).

use serde_json::{json, Value};

use crate::helpers::{assert_problem, spawn_app, spawn_app_first_start, Session, TestApp};

const NEW: &str = "a brand new passphrase";

async fn refresh(app: &TestApp, token: &str) -> reqwest::Response {
    app.post_json("/api/v1/auth/refresh", &json!({"refresh_token": token}))
        .await
}

async fn tokens(app: &TestApp, email: &str, password: &str) -> Value {
    let res = app.login(email, password).await;
    assert_eq!(res.status(), 200, "sign in {email}");
    res.json().await.expect("tokens")
}

async fn a_user(app: &TestApp) -> Session {
    let admin = app.admin_token().await;
    let unit = app.create_unit(&admin, "BNV", "ministry", None).await;
    app.create_session(&admin, "hr_officer", unit["id"].as_str(), None)
        .await
}

#[actix_web::test]
async fn a_change_keeps_this_session_ends_the_others_and_replaces_the_password() {
    let app = spawn_app().await;
    let me = a_user(&app).await;
    // A second session of the same person, on another device.
    let other = tokens(&app, &me.email, &me.password).await;

    let res = app
        .post_as(
            &me.token,
            "/api/v1/me/password",
            &json!({"current_password": me.password, "new_password": NEW}),
        )
        .await;
    assert_eq!(res.status(), 204);

    // The other device is signed out; this one keeps its session.
    let res = refresh(&app, other["refresh_token"].as_str().unwrap()).await;
    assert_problem(res, 401, "unauthorized").await;
    let res = refresh(&app, &me.refresh).await;
    assert_eq!(res.status(), 200, "the session the change came from stays");
    // The old password no longer signs in; the new one does.
    assert_problem(
        app.login(&me.email, &me.password).await,
        401,
        "unauthorized",
    )
    .await;
    let fresh = tokens(&app, &me.email, NEW).await;
    assert_eq!(fresh["password_change_required"], false);

    let admin = app.admin_token().await;
    let trail = app.audit_of(&admin, "user", &me.id).await;
    let changed = trail
        .iter()
        .find(|e| e["action"] == "user.password_changed")
        .expect("the change is audited");
    assert_eq!(changed["actor_id"], me.id.as_str(), "{changed}");
    assert_eq!(changed["after"]["sessions_revoked"], 1, "{changed}");
    assert!(
        !changed.to_string().contains(NEW),
        "no password in the audit"
    );
}

#[actix_web::test]
async fn a_wrong_current_password_or_a_weak_new_one_is_refused_by_field() {
    let app = spawn_app().await;
    let me = a_user(&app).await;
    let change =
        |current: &str, new: &str| json!({"current_password": current, "new_password": new});

    let res = app
        .post_as(
            &me.token,
            "/api/v1/me/password",
            &change("not my password", NEW),
        )
        .await;
    let problem = assert_problem(res, 422, "policy-violation").await;
    assert_eq!(problem["rule"], "wrong_current_password", "{problem}");
    assert!(problem["detail"]
        .as_str()
        .unwrap()
        .contains("current_password"));

    for weak in ["short", me.email.as_str(), me.password.as_str()] {
        let res = app
            .post_as(
                &me.token,
                "/api/v1/me/password",
                &change(&me.password, weak),
            )
            .await;
        let problem = assert_problem(res, 422, "validation").await;
        assert_eq!(problem["errors"][0]["field"], "new_password", "{problem}");
    }
    let res = app
        .post_as(
            &me.token,
            "/api/v1/me/password",
            &json!({"current_password": me.password, "new_password": NEW, "repeat": NEW}),
        )
        .await;
    assert_problem(res, 422, "validation").await;
    // Nothing changed: the old password still signs in.
    tokens(&app, &me.email, &me.password).await;
    let res = app
        .post_json("/api/v1/me/password", &change(&me.password, NEW))
        .await;
    assert_problem(res, 401, "unauthorized").await;
}

#[actix_web::test]
async fn a_reset_gives_a_one_time_password_that_must_be_replaced_before_anything_else() {
    let app = spawn_app().await;
    let me = a_user(&app).await;
    let admin = app.admin_token().await;

    let res = app
        .post_as(
            &admin,
            &format!("/api/v1/users/{}/password-reset", me.id),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let one_time = res.json::<Value>().await.unwrap()["one_time_password"]
        .as_str()
        .expect("a one-time password")
        .to_string();
    // Every session of the user ended; the old password is gone.
    assert_problem(refresh(&app, &me.refresh).await, 401, "unauthorized").await;
    assert_problem(
        app.login(&me.email, &me.password).await,
        401,
        "unauthorized",
    )
    .await;

    // Signing in says a change is due, and only the own account is open.
    let pending = tokens(&app, &me.email, &one_time).await;
    assert_eq!(pending["password_change_required"], true, "{pending}");
    let token = pending["access_token"].as_str().unwrap();
    let res = app.get_as(token, "/api/v1/secondments").await;
    let problem = assert_problem(res, 403, "password-change-required").await;
    assert!(problem["detail"].as_str().unwrap().contains("/me/password"));
    let res = app.get_as(token, "/api/v1/me").await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.json::<Value>().await.unwrap()["password_change_required"],
        true
    );

    let res = app
        .post_as(
            token,
            "/api/v1/me/password",
            &json!({"current_password": one_time, "new_password": NEW}),
        )
        .await;
    assert_eq!(res.status(), 204);
    // The same access token now works everywhere; the one-time password
    // is spent.
    assert_eq!(app.get_as(token, "/api/v1/secondments").await.status(), 200);
    assert_problem(app.login(&me.email, &one_time).await, 401, "unauthorized").await;
    assert_eq!(
        tokens(&app, &me.email, NEW).await["password_change_required"],
        false
    );

    let trail = app.audit_of(&admin, "user", &me.id).await;
    let reset = trail
        .iter()
        .find(|e| e["action"] == "user.password_reset")
        .expect("the reset is audited");
    assert!(
        !reset.to_string().contains(&one_time),
        "no password in the audit"
    );
}

#[actix_web::test]
async fn only_an_administrator_resets_and_not_their_own_password() {
    let app = spawn_app().await;
    let me = a_user(&app).await;
    let admin = app.admin_token().await;
    let path = |id: &str| format!("/api/v1/users/{id}/password-reset");

    let res = app.post_as(&me.token, &path(&me.id), &json!({})).await;
    assert_problem(res, 403, "forbidden").await;
    let unknown = uuid::Uuid::new_v4().to_string();
    let res = app.post_as(&admin, &path(&unknown), &json!({})).await;
    assert_problem(res, 404, "not-found").await;
    let admin_id = app
        .get_as(&admin, "/api/v1/me")
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let res = app.post_as(&admin, &path(&admin_id), &json!({})).await;
    assert_problem(res, 403, "forbidden").await;
    // The refused attempts changed nothing.
    tokens(&app, &me.email, &me.password).await;
}

#[actix_web::test]
async fn the_first_administrator_must_replace_the_printed_password() {
    let app = spawn_app_first_start().await;
    let first = tokens(&app, &app.admin_email, &app.admin_password).await;
    assert_eq!(first["password_change_required"], true, "{first}");
    let token = first["access_token"].as_str().unwrap();
    let res = app.get_as(token, "/api/v1/users").await;
    assert_problem(res, 403, "password-change-required").await;

    let res = app
        .post_as(
            token,
            "/api/v1/me/password",
            &json!({"current_password": app.admin_password, "new_password": NEW}),
        )
        .await;
    assert_eq!(res.status(), 204);
    assert_eq!(app.get_as(token, "/api/v1/users").await.status(), 200);
    let again = tokens(&app, &app.admin_email, NEW).await;
    assert_eq!(again["password_change_required"], false);
    // Signing out stays possible (it was all along).
    let res = app
        .post_as(
            token,
            "/api/v1/auth/logout",
            &json!({"refresh_token": again["refresh_token"]}),
        )
        .await;
    assert_eq!(res.status(), 204);
}
