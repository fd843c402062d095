//! Probes, metrics, request ids and the API description.

use std::time::Duration;

use serde_json::Value;

use crate::helpers::{assert_problem, spawn_app, TestDb};

#[actix_web::test]
async fn health_is_200_with_a_request_id() {
    let app = spawn_app().await;
    let res = app.get("/health").await;
    assert_eq!(res.status(), 200);
    let id = res.headers()["x-request-id"].to_str().unwrap().to_string();
    assert_eq!(id.len(), 36, "a UUID: {id}");
}

#[actix_web::test]
async fn a_given_request_id_is_echoed() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(app.url("/nowhere"))
        .header("x-request-id", "trace-abc-123")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["x-request-id"], "trace-abc-123");
}

async fn wait_for_ready(app: &crate::helpers::TestApp, want: u16) -> u16 {
    let mut last = 0;
    for _ in 0..50 {
        last = app.get("/ready").await.status().as_u16();
        if last == want {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    last
}

#[actix_web::test]
async fn ready_turns_503_while_the_database_is_gone_and_recovers() {
    let app = spawn_app().await;
    assert_eq!(app.get("/ready").await.status(), 200);
    match &app.db {
        TestDb::Sqlite(path) => {
            let moved = path.with_extension("moved");
            std::fs::rename(path, &moved).unwrap();
            let res = app.get("/ready").await;
            assert_problem(res, 503, "unavailable").await;
            std::fs::rename(&moved, path).unwrap();
        }
        TestDb::Postgres { name, .. } => {
            app.db
                .execute_admin(&format!("DROP DATABASE \"{name}\" WITH (FORCE)"));
            assert_eq!(wait_for_ready(&app, 503).await, 503);
            let res = app.get("/ready").await;
            assert_problem(res, 503, "unavailable").await;
            app.db.execute_admin(&format!("CREATE DATABASE \"{name}\""));
        }
    }
    assert_eq!(
        wait_for_ready(&app, 200).await,
        200,
        "ready again without a restart"
    );
}

#[actix_web::test]
async fn metrics_count_requests_by_route_and_status_and_show_the_pool() {
    let app = spawn_app().await;
    app.get("/health").await;
    app.get("/health").await;
    app.get("/no/such/path").await;
    let res = app.get("/metrics").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = res.text().await.unwrap();
    assert!(
        text.contains(r#"http_requests_total{method="GET",route="/health",status="200"} 2"#),
        "{text}"
    );
    assert!(text.contains(r#"route="unmatched",status="404""#), "{text}");
    assert!(
        text.contains("http_request_duration_seconds_bucket"),
        "{text}"
    );
    // PostgreSQL: the pool; SQLite: one writer beside the read pool.
    let max = if app.db.url().starts_with("postgres") {
        4
    } else {
        5
    };
    assert!(
        text.contains(&format!("db_pool_max_connections {max}")),
        "{text}"
    );
    assert!(text.contains("db_pool_connections"), "{text}");
}

#[actix_web::test]
async fn openapi_describes_every_route_as_openapi_3_1() {
    let app = spawn_app().await;
    let res = app.get("/openapi.json").await;
    assert_eq!(res.status(), 200);
    let doc: Value = res.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    for (path, method) in [
        ("/health", "get"),
        ("/ready", "get"),
        ("/metrics", "get"),
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/refresh", "post"),
        ("/api/v1/auth/logout", "post"),
        ("/api/v1/me", "get"),
    ] {
        let op = &doc["paths"][path][method];
        assert!(op.is_object(), "{method} {path} missing");
        assert!(
            op["responses"].is_object(),
            "{method} {path} has no responses"
        );
    }
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    validate_with_openapi_spec_validator(&doc);
}

/// Runs the `openapi-spec-validator` package (installed by scripts/test.sh).
/// Without it the check is skipped locally, but fails under CI=true.
fn validate_with_openapi_spec_validator(doc: &Value) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let out = std::process::Command::new(&python)
        .args(["-m", "openapi_spec_validator"])
        .arg(&file)
        .output();
    let available =
        matches!(&out, Ok(o) if !String::from_utf8_lossy(&o.stderr).contains("No module named"));
    if !available {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "openapi-spec-validator is not installed (run scripts/test.sh)"
        );
        eprintln!("skipping OpenAPI validation: openapi-spec-validator not installed");
        return;
    }
    let out = out.unwrap();
    assert!(
        out.status.success(),
        "openapi-spec-validator refused the document:\n{}",
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
        .chars()
        .take(1500)
        .collect::<String>()
    );
}

#[actix_web::test]
async fn docs_page_is_served_without_external_scripts() {
    let app = spawn_app().await;
    let res = app.get("/docs").await;
    assert!(res.status().is_redirection());
    assert_eq!(res.headers()["location"], "/docs/");
    let res = app.get("/docs/").await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("swagger-ui"), "{html}");
    assert!(
        !html.contains("https://"),
        "the page loads nothing from the internet"
    );
}

/// While another process holds the daily tick's lease, a tick asked for
/// here does nothing and says so (409); once it is given back, ticks run.
#[actix_web::test]
async fn a_tick_held_elsewhere_is_skipped_until_its_lease_is_released() {
    use secondments::store::{leases, now_utc, Access, Database};

    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let mut settings = crate::helpers::test_settings();
    settings.database.url = secondments::config::Secret::new(app.db.url());
    let other = Database::connect_and_migrate(&settings.database).unwrap();
    let hold = chrono::Duration::minutes(5);
    let taken = other
        .blocking(Access::Write, |c| {
            leases::take(c, "daily_tick", "other-process", now_utc(), hold)
        })
        .unwrap();
    assert!(taken);
    let today = serde_json::json!({});
    let tick = || app.post_as(&admin, "/api/v1/admin/tick", &today);
    assert_problem(tick().await, 409, "conflict").await;

    other
        .blocking(Access::Write, |c| {
            leases::release(c, "daily_tick", "other-process")
        })
        .unwrap();
    assert_eq!(tick().await.status(), 200);
    assert_eq!(
        tick().await.status(),
        200,
        "a finished tick gives its lease back"
    );
}
