//! A unit of work is kept or undone whole, on both backends: an
//! application function whose second write fails leaves nothing of its
//! first (decision 0046).

use serde_json::json;

use crate::helpers::{spawn_app, TestDb};

/// Makes every `UPDATE` of `users` fail from now on, as a broken second
/// write would: a trigger, since nothing from outside can make one fail.
fn refuse_user_updates(db: &TestDb) {
    match db {
        TestDb::Sqlite(_) => db.execute(
            "CREATE TRIGGER refuse_user_updates BEFORE UPDATE ON users \
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;",
        ),
        TestDb::Postgres { .. } => db.execute(
            "CREATE FUNCTION refuse_user_updates() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN RAISE EXCEPTION 'refused by the test'; END $$; \
             CREATE TRIGGER refuse_user_updates BEFORE UPDATE ON users \
             FOR EACH ROW EXECUTE FUNCTION refuse_user_updates();",
        ),
    }
}

#[actix_web::test]
async fn an_account_created_disabled_is_not_left_enabled_when_disabling_it_fails() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let users_before = app.db.count("users");
    let audit_before = app.db.count("audit_events");
    refuse_user_updates(&app.db);

    // Creating the account is the first write, disabling it the second.
    let res = app
        .post_as(
            &admin,
            "/api/v1/users",
            &json!({"email": "half.done@example.vn", "password": "long enough password",
                    "role": "admin", "disabled": true}),
        )
        .await;

    assert_eq!(res.status().as_u16(), 500, "{}", res.text().await.unwrap());
    assert_eq!(
        app.db.count("users"),
        users_before,
        "the account was kept without being disabled"
    );
    assert_eq!(
        app.db.count("audit_events"),
        audit_before,
        "the audit trail records a creation that did not happen"
    );
}

#[actix_web::test]
async fn an_account_created_disabled_is_created_and_disabled() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;

    let res = app
        .post_as(
            &admin,
            "/api/v1/users",
            &json!({"email": "whole@example.vn", "password": "long enough password",
                    "role": "admin", "disabled": true}),
        )
        .await;

    assert_eq!(res.status().as_u16(), 201);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["disabled"], true, "{body}");
}

/// Two store functions that each open their own transaction are one unit
/// inside `Database::write`: on PostgreSQL too, where each used to commit
/// by itself, the second one's failure takes the first one's row with it.
#[actix_web::test]
async fn a_write_whose_second_store_call_fails_keeps_nothing_of_its_first() {
    use secondments::domain::actor::Actor;
    use secondments::store::{holidays, Database, StoreError};

    let app = spawn_app().await;
    let mut settings = crate::helpers::test_settings();
    settings.database.url = secondments::config::Secret::new(app.db.url());
    let db = Database::connect_and_migrate(&settings.database).unwrap();
    let holidays_before = app.db.count("holidays");
    let audit_before = app.db.count("audit_events");
    let day = chrono::NaiveDate::from_ymd_opt(2031, 7, 27).unwrap();

    let twice = db
        .write(move |conn| {
            let actor = Actor::system();
            holidays::add(conn, &actor, day, "Ngày thử", "Test day")?;
            holidays::add(conn, &actor, day, "Ngày thử", "Test day")?;
            Ok(())
        })
        .await;

    assert!(
        matches!(twice, Err(StoreError::UniqueViolation(_))),
        "{twice:?}"
    );
    assert_eq!(app.db.count("holidays"), holidays_before);
    assert_eq!(app.db.count("audit_events"), audit_before);
}
