//! Passwords in the console: the change on `/account` (the console stays
//! signed in), the page a user must pass after a reset, and the
//! administrator's reset that shows the one-time password once.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::console::{location, Browser};
use crate::helpers::{spawn_app, spawn_app_first_start};

const NEW: &str = "a brand new passphrase";

#[actix_web::test]
async fn a_change_on_the_account_page_keeps_the_console_signed_in() {
    let app = spawn_app().await;
    let browser = Browser::admin(&app).await;
    // Another session of the administrator, through the API.
    let api = app.login_admin().await;
    let (status, page) = browser.page("/account").await;
    assert_eq!(status, 200);
    assert!(
        page.contains(r#"name="current_password""#),
        "the form is there"
    );

    // A repetition that differs is refused next to its field.
    let res = browser
        .submit(
            "/account/password",
            &[
                ("current_password", &app.admin_password),
                ("new_password", NEW),
                ("new_password_repeat", "something else entirely"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains(r#"id="new_password_repeat-error""#), "{page}");
    assert!(
        !page.contains("something else entirely"),
        "typed passwords are not echoed"
    );
    // A wrong current password is told at its field.
    let res = browser
        .submit(
            "/account/password",
            &[
                ("current_password", "not the password at all"),
                ("new_password", NEW),
                ("new_password_repeat", NEW),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains(r#"id="current_password-error""#));

    let res = browser
        .submit(
            "/account/password",
            &[
                ("current_password", &app.admin_password),
                ("new_password", NEW),
                ("new_password_repeat", NEW),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    // Still signed in; the API session was ended; the new password works.
    let (status, _) = browser.page("/admin/users").await;
    assert_eq!(status, StatusCode::OK);
    let res = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": api["refresh_token"]}),
        )
        .await;
    assert_eq!(res.status(), 401);
    assert_eq!(app.login(&app.admin_email, NEW).await.status(), 200);
}

#[actix_web::test]
async fn after_a_reset_the_console_asks_for_a_new_password_before_any_page() {
    let app = spawn_app().await;
    let admin_token = app.admin_token().await;
    let unit = app.create_unit(&admin_token, "BNV", "ministry", None).await;
    let user = app
        .create_session(&admin_token, "hr_officer", unit["id"].as_str(), None)
        .await;
    let admin = Browser::admin(&app).await;
    let (_, users) = admin.page("/admin/users").await;
    assert!(users.contains(&format!("/admin/users/{}/password-reset", user.id)));
    let res = admin
        .submit(&format!("/admin/users/{}/password-reset", user.id), &[])
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    let one_time = page
        .split(r#"id="one-time-password" type="text" readonly value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the one-time password is shown")
        .to_string();
    assert_eq!(one_time.len(), 20, "{one_time}");

    let mut browser = Browser::open(&app).await;
    let res = browser.sign_in(&user.email, &one_time).await;
    assert_eq!(location(&res), "/account/password");
    // Every other page sends the user back to the change.
    for path in ["/secondments", "/account", "/reports"] {
        let res = browser.get(path).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(location(&res), "/account/password", "{path}");
    }
    let (status, page) = browser.page("/account/password").await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"name="new_password_repeat""#));
    let res = browser
        .submit(
            "/account/password",
            &[
                ("current_password", &one_time),
                ("new_password", NEW),
                ("new_password_repeat", NEW),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/");
    let (status, _) = browser.page("/secondments").await;
    assert_eq!(status, StatusCode::OK, "the console opens after the change");
    let (status, _) = browser.page("/account/password").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "nothing left to force");
}

#[actix_web::test]
async fn the_first_administrator_is_asked_for_a_new_password_in_the_console() {
    let app = spawn_app_first_start().await;
    let mut browser = Browser::open(&app).await;
    let res = browser.sign_in(&app.admin_email, &app.admin_password).await;
    assert_eq!(location(&res), "/account/password");
    let res = browser.get("/admin/users").await;
    assert_eq!(location(&res), "/account/password");
    let tokens: Value = app
        .login(&app.admin_email, &app.admin_password)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(tokens["password_change_required"], true);
}
