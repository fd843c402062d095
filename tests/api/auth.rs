//! Sign-in, tokens, the current user.

use serde_json::json;

use crate::helpers::{assert_problem, spawn_app, spawn_app_with};

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

mod attacks {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
    use serde_json::{json, Value};

    use crate::helpers::{assert_problem, spawn_app, test_settings};

    fn b64(v: &Value) -> String {
        URL_SAFE_NO_PAD.encode(v.to_string())
    }

    fn secret() -> Vec<u8> {
        test_settings().auth.jwt_secret.expose().as_bytes().to_vec()
    }

    fn sign(alg: Algorithm, claims: &Value) -> String {
        encode(
            &Header::new(alg),
            claims,
            &EncodingKey::from_secret(&secret()),
        )
        .unwrap()
    }

    fn admin_claims(sub: &str) -> Value {
        let now = chrono::Utc::now().timestamp();
        json!({"sub": sub, "role": "admin", "unit": null, "iat": now, "exp": now + 600, "jti": "x"})
    }

    #[actix_web::test]
    async fn forged_and_broken_tokens_are_all_401() {
        let app = spawn_app().await;
        let me: Value = app
            .get_as(&app.admin_token().await, "/api/v1/me")
            .await
            .json()
            .await
            .unwrap();
        let admin_id = me["id"].as_str().unwrap();
        let claims = admin_claims(admin_id);
        let now = chrono::Utc::now().timestamp();

        // Sanity: a correctly signed token is accepted, so the 401s below
        // are caused by the attack, not by a wrong set-up.
        let good = sign(Algorithm::HS256, &claims);
        assert_eq!(app.get_as(&good, "/api/v1/users").await.status(), 200);

        let none = format!(
            "{}.{}.",
            b64(&json!({"alg": "none", "typ": "JWT"})),
            b64(&claims)
        );
        let parts: Vec<&str> = good.split('.').collect();
        let rs256 = format!(
            "{}.{}.{}",
            b64(&json!({"alg": "RS256", "typ": "JWT"})),
            parts[1],
            parts[2]
        );
        let hs512 = sign(Algorithm::HS512, &claims);
        let other_secret = encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(b"some-other-secret-of-sufficient-length"),
        )
        .unwrap();

        // A cadre's real token with the role raised in the payload.
        let admin = app.admin_token().await;
        let unit = app.create_unit(&admin, "U1", "ministry", None).await;
        let official = app
            .create_official(&admin, unit["id"].as_str().unwrap(), "C-1", "Cán bộ")
            .await;
        let cadre = app
            .create_session(
                &admin,
                "cadre",
                unit["id"].as_str(),
                official["id"].as_str(),
            )
            .await;
        let cadre_parts: Vec<&str> = cadre.token.split('.').collect();
        let mut payload: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(cadre_parts[1]).unwrap()).unwrap();
        payload["role"] = json!("admin");
        let tampered = format!("{}.{}.{}", cadre_parts[0], b64(&payload), cadre_parts[2]);

        let mut expired = claims.clone();
        expired["iat"] = json!(now - 7200);
        expired["exp"] = json!(now - 3600);
        let expired = sign(Algorithm::HS256, &expired);
        let mut no_exp = claims.clone();
        no_exp.as_object_mut().unwrap().remove("exp");
        let no_exp = sign(Algorithm::HS256, &no_exp);
        let mut never = claims.clone();
        never["exp"] = json!("never");
        let never = sign(Algorithm::HS256, &never);

        for (name, token) in [
            ("alg none", none),
            ("RS256 header", rs256),
            ("HS512", hs512),
            ("other secret", other_secret),
            ("tampered payload", tampered),
            ("expired", expired),
            ("no exp", no_exp),
            ("exp never", never),
        ] {
            let res = app.get_as(&token, "/api/v1/users").await;
            assert_eq!(res.status(), 401, "{name} must be refused");
            assert_problem(res, 401, "unauthorized").await;
        }
    }
}

#[actix_web::test]
async fn reusing_a_rotated_refresh_token_revokes_the_whole_family() {
    let app = spawn_app().await;
    let first = app.login_admin().await;
    let old = first["refresh_token"].clone();
    let second: serde_json::Value = app
        .post_json("/api/v1/auth/refresh", &json!({"refresh_token": old}))
        .await
        .json()
        .await
        .unwrap();
    // A thief replays the old token: refused, and the family is revoked...
    let res = app
        .post_json("/api/v1/auth/refresh", &json!({"refresh_token": old}))
        .await;
    assert_problem(res, 401, "unauthorized").await;
    // ...so the legitimate newest token no longer works either.
    let res = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": second["refresh_token"]}),
        )
        .await;
    assert_problem(res, 401, "unauthorized").await;
    // Another login (another family) is unaffected.
    assert_eq!(
        app.login(&app.admin_email, &app.admin_password)
            .await
            .status(),
        200
    );

    let admin = app.admin_token().await;
    let me: serde_json::Value = app.get_as(&admin, "/api/v1/me").await.json().await.unwrap();
    let events = app
        .audit_of(&admin, "user", me["id"].as_str().unwrap())
        .await;
    assert!(events
        .iter()
        .any(|e| e["action"] == "auth.refresh_reuse_detected"));
}

#[actix_web::test]
async fn a_disabled_user_can_neither_sign_in_nor_refresh() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let unit = app.create_unit(&admin, "HR", "ministry", None).await;
    let hr = app
        .create_session(&admin, "hr_officer", unit["id"].as_str(), None)
        .await;
    let res = app
        .get_as(&admin, &format!("/api/v1/users/{}", hr.id))
        .await;
    let etag = res.headers()["etag"].to_str().unwrap().to_string();
    let res = app
        .patch_as(
            &admin,
            &format!("/api/v1/users/{}", hr.id),
            Some(&etag),
            &json!({"disabled": true}),
        )
        .await;
    assert_eq!(res.status(), 200);

    assert_problem(
        app.login(&hr.email, &hr.password).await,
        401,
        "unauthorized",
    )
    .await;
    let res = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": hr.refresh}),
        )
        .await;
    assert_problem(res, 401, "unauthorized").await;
    assert_problem(
        app.get_as(&hr.token, "/api/v1/me").await,
        401,
        "unauthorized",
    )
    .await;

    let events = app.audit_of(&admin, "user", &hr.id).await;
    let update = events
        .iter()
        .find(|e| e["action"] == "user.updated")
        .unwrap();
    assert_eq!(update["before"]["disabled"], false);
    assert_eq!(update["after"]["disabled"], true);
    assert!(update["actor_id"].is_string());
    assert!(update["request_id"].is_string());
    let failed = events
        .iter()
        .find(|e| e["action"] == "auth.login_failed")
        .unwrap();
    assert_eq!(failed["after"]["reason"], "disabled");
    assert!(
        !failed.to_string().contains(&hr.password),
        "no password in the audit"
    );
}

#[actix_web::test]
async fn five_failures_lock_the_account_until_the_window_passes() {
    let app = spawn_app_with(|s| s.auth.lockout_window_secs = 3).await;
    for _ in 0..5 {
        let res = app.login(&app.admin_email, "wrong password, again").await;
        assert_eq!(res.status(), 401);
    }
    // Locked: even the right password gets 429 with Retry-After.
    let res = app.login(&app.admin_email, &app.admin_password).await;
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3).contains(&retry), "Retry-After {retry}");
    assert_problem(res, 429, "rate-limited").await;
    // An unknown account is locked the same way (no enumeration).
    for _ in 0..5 {
        app.login("ghost@example.gov.vn", "wrong password, again")
            .await;
    }
    let res = app
        .login("ghost@example.gov.vn", "wrong password, again")
        .await;
    assert_eq!(res.status(), 429);

    actix_web::rt::time::sleep(std::time::Duration::from_millis(3200)).await;
    let res = app.login(&app.admin_email, &app.admin_password).await;
    assert_eq!(res.status(), 200, "the lock ends with the window");

    let admin = app.admin_token().await;
    let me: serde_json::Value = app.get_as(&admin, "/api/v1/me").await.json().await.unwrap();
    let events = app
        .audit_of(&admin, "user", me["id"].as_str().unwrap())
        .await;
    let count = |action: &str| events.iter().filter(|e| e["action"] == action).count();
    assert_eq!(count("auth.login_failed"), 5);
    assert_eq!(count("auth.login_locked"), 1);
    assert!(count("auth.login_succeeded") >= 2);
}

#[actix_web::test]
async fn one_address_gets_a_limited_budget_on_auth_routes() {
    let app = spawn_app_with(|s| s.auth.auth_requests_per_ip_per_minute = 3).await;
    for _ in 0..3 {
        let res = app
            .login("someone@example.gov.vn", "not the password x")
            .await;
        assert_eq!(res.status(), 401);
    }
    let res = app.login(&app.admin_email, &app.admin_password).await;
    assert!(res.headers().contains_key("retry-after"));
    assert_problem(res, 429, "rate-limited").await;
}

#[actix_web::test]
async fn behind_a_proxy_each_client_address_has_its_own_budget() {
    let app = spawn_app_with(|s| {
        s.auth.auth_requests_per_ip_per_minute = 2;
        s.server.trusted_proxy_header = "X-Forwarded-For".into();
    })
    .await;
    let login_from = |forwarded: &'static str| {
        app.client
            .post(app.url("/api/v1/auth/login"))
            .header("x-forwarded-for", forwarded)
            .json(&serde_json::json!({"email": "x@example.gov.vn", "password": "wrong password x"}))
            .send()
    };
    // The proxy appends the address it saw; only that last entry counts.
    for _ in 0..2 {
        assert_eq!(
            login_from("1.1.1.1, 203.0.113.7").await.unwrap().status(),
            401
        );
    }
    let res = login_from("9.9.9.9, 203.0.113.7").await.unwrap();
    assert_problem(res, 429, "rate-limited").await;
    // Another client behind the same proxy still has its budget.
    assert_eq!(login_from("203.0.113.8").await.unwrap().status(), 401);
    // A header that is not the configured one is not believed: the peer's
    // own budget (two) counts, whatever X-Real-IP says.
    let real_ip = |value: &'static str| {
        app.client
            .post(app.url("/api/v1/auth/login"))
            .header("x-real-ip", value)
            .json(&serde_json::json!({"email": "x@example.gov.vn", "password": "wrong password x"}))
            .send()
    };
    assert_eq!(real_ip("198.51.100.1").await.unwrap().status(), 401);
    assert_eq!(real_ip("198.51.100.1").await.unwrap().status(), 401);
    let res = real_ip("198.51.100.2").await.unwrap();
    assert_problem(res, 429, "rate-limited").await;
}
