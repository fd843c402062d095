//! The administrator's pages of the web console over HTTP: users, the unit
//! tree and merges, holidays, the outbox. Each page reaches the same
//! application function as the JSON API, so what a page did is checked
//! through the API.

use reqwest::StatusCode;
use serde_json::Value;

use crate::console::{location, Browser};
use crate::helpers::{spawn_app, TestApp};
use crate::lifecycle::world_with;

/// The text of the `<dd>` after the `<dt>` that reads `term`.
fn fact(page: &str, term: &str) -> String {
    let at = page
        .find(&format!("<dt>{term}</dt>"))
        .unwrap_or_else(|| panic!("no {term} in {page}"));
    let rest = &page[at..];
    let dd = rest.find("<dd>").expect("a dd") + 4;
    rest[dd..].split('<').next().unwrap_or_default().to_string()
}

/// A unit, as the JSON API shows it.
async fn unit(app: &TestApp, admin: &str, id: &str) -> Value {
    app.get_as(admin, &format!("/api/v1/org-units/{id}"))
        .await
        .json()
        .await
        .expect("unit")
}

/// The account of `email`, as the JSON API lists it.
async fn account(app: &TestApp, admin: &str, email: &str) -> Option<Value> {
    let page: Value = app
        .get_as(admin, &format!("/api/v1/users?q={email}"))
        .await
        .json()
        .await
        .expect("users");
    page["items"].as_array().and_then(|items| {
        items
            .iter()
            .find(|u| u["email"].as_str() == Some(email))
            .cloned()
    })
}

#[actix_web::test]
async fn the_users_page_lists_a_created_user_with_its_role_and_unit() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let unit = app.create_unit(&admin, "BNV", "ministry", None).await;
    let director = app
        .create_session(&admin, "director", unit["id"].as_str(), None)
        .await;
    let browser = Browser::admin(&app).await;
    let (status, page) = browser.page("/admin/users").await;
    assert_eq!(status, 200);
    let row = page
        .split("<tr>")
        .find(|r| r.contains(&director.email))
        .expect("the director's row");
    assert!(row.contains("Lãnh đạo"), "the role in words: {row}");
    assert!(row.contains("Đơn vị BNV"), "the unit named: {row}");
    assert!(row.contains("Đang hoạt động"), "{row}");
    // The nav offers the administrator's pages.
    for link in [
        "/admin/users",
        "/admin/units",
        "/admin/holidays",
        "/admin/outbox",
    ] {
        assert!(page.contains(&format!("href=\"{link}\"")), "{link}");
    }
    // The API's filters: by role, by part of the email.
    let (_, only_admins) = browser.page("/admin/users?role=admin").await;
    assert!(!only_admins.contains(&director.email));
    assert!(only_admins.contains(&app.admin_email));
    let (status, _) = browser.page("/admin/users?role=king").await;
    assert_eq!(status, 422, "refused as the API refuses it");
}

#[actix_web::test]
async fn creating_a_user_through_the_form_makes_the_account() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let unit = app.create_unit(&admin, "BNV", "ministry", None).await;
    let unit_id = unit["id"].as_str().unwrap();
    let browser = Browser::admin(&app).await;
    let email = "tran.thi.lan@moha.gov.vn";
    let password = "mật khẩu đủ dài 2026";
    let res = browser
        .submit(
            "/admin/users",
            &[
                ("email", email),
                ("full_name", "Trần Thị Lan"),
                ("password", password),
                ("role", "hr_officer"),
                ("org_unit_id", unit_id),
                ("official_id", ""),
                ("language", "en"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/admin/users");
    let user = account(&app, &admin, email).await.expect("the account");
    assert_eq!(user["role"], "hr_officer");
    assert_eq!(user["org_unit_id"], unit_id);
    assert_eq!(user["full_name"], "Trần Thị Lan");
    assert_eq!(user["language"], "en");
    assert_eq!(user["disabled"], false);
    assert_eq!(app.login(email, password).await.status(), 200);
    let audit = app
        .audit_of(&admin, "user", user["id"].as_str().unwrap())
        .await;
    assert!(
        audit.iter().any(|e| e["action"] == "user.created"),
        "{audit:?}"
    );

    // Refused as the API refuses it, each message next to its field.
    let res = browser
        .submit(
            "/admin/users",
            &[
                ("email", "giam.doc@moha.gov.vn"),
                ("password", "short"),
                ("role", "director"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(page.contains("id=\"f-password-error\""), "{page}");
    assert!(page.contains("aria-describedby=\"f-password-help f-password-error\""));
    assert!(page.contains("value=\"giam.doc@moha.gov.vn\""), "kept");
    assert!(
        !page.contains("value=\"short\""),
        "a password is not shown again"
    );
    let res = browser
        .submit(
            "/admin/users",
            &[
                ("email", "giam.doc@moha.gov.vn"),
                ("password", "a sufficiently long password"),
                ("role", "director"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(page.contains("id=\"f-org_unit_id-error\""), "{page}");
    assert!(
        page.contains("role_needs_link"),
        "the rule is named: {page}"
    );
    assert!(account(&app, &admin, "giam.doc@moha.gov.vn")
        .await
        .is_none());
    // The same email again: a conflict, shown above the form.
    let res = browser
        .submit(
            "/admin/users",
            &[
                ("email", email),
                ("password", "another long password"),
                ("role", "admin"),
            ],
        )
        .await;
    assert_eq!(res.status(), 409);
}

#[actix_web::test]
async fn disabling_through_the_console_makes_sign_in_fail() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let unit = app.create_unit(&admin, "BNV", "ministry", None).await;
    let hr = app
        .create_session(&admin, "hr_officer", unit["id"].as_str(), None)
        .await;
    let read = account(&app, &admin, &hr.email).await.unwrap();
    let version = read["version"].as_i64().unwrap().to_string();
    let browser = Browser::admin(&app).await;
    let (_, page) = browser.page("/admin/users").await;
    assert!(
        page.contains(&format!("action=\"/admin/users/{}/disabled\"", hr.id)),
        "a toggle per account"
    );
    let path = format!("/admin/users/{}/disabled", hr.id);
    let res = browser
        .submit(&path, &[("version", &version), ("disabled", "true")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/admin/users");
    assert_eq!(app.login(&hr.email, &hr.password).await.status(), 401);
    let row_of = |page: &str| {
        page.split("<tr>")
            .find(|r| r.contains(&hr.email))
            .unwrap_or_default()
            .to_string()
    };
    let (_, page) = browser.page("/admin/users").await;
    assert!(row_of(&page).contains("Đã khóa"), "the disabled badge");
    assert!(row_of(&page).contains("Mở khóa"), "and the way back");

    // The version read before the change is stale now: 412, nothing changed.
    let res = browser
        .submit(&path, &[("version", &version), ("disabled", "false")])
        .await;
    assert_eq!(res.status(), 412);
    assert_eq!(app.login(&hr.email, &hr.password).await.status(), 401);
    // Without a version it is refused as the API refuses a PATCH without
    // If-Match.
    let res = browser.submit(&path, &[("disabled", "false")]).await;
    assert_eq!(res.status(), 428);

    let fresh = account(&app, &admin, &hr.email).await.unwrap();
    assert_eq!(fresh["disabled"], true);
    let version = fresh["version"].as_i64().unwrap().to_string();
    let res = browser
        .submit(&path, &[("version", &version), ("disabled", "false")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.login(&hr.email, &hr.password).await.status(), 200);

    // An administrator's own account has no toggle, and the application
    // refuses it anyway.
    let me = account(&app, &admin, &app.admin_email).await.unwrap();
    let res = browser
        .submit(
            &format!("/admin/users/{}/disabled", me["id"].as_str().unwrap()),
            &[
                ("version", &me["version"].as_i64().unwrap().to_string()),
                ("disabled", "true"),
            ],
        )
        .await;
    assert_eq!(res.status(), 409);
}

#[actix_web::test]
async fn the_unit_tree_shows_a_child_under_its_parent() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let parent = app.create_unit(&admin, "P19", "province", None).await;
    app.create_unit(
        &admin,
        "P19-SNV",
        "provincial_department",
        parent["id"].as_str(),
    )
    .await;
    app.create_unit(&admin, "P20", "province", None).await;
    let browser = Browser::admin(&app).await;
    let (status, page) = browser.page("/admin/units").await;
    assert_eq!(status, 200);
    let parent_at = page.find("Đơn vị P19 (P19)").expect("the parent");
    let child_at = page.find("Đơn vị P19-SNV (P19-SNV)").expect("the child");
    let other_at = page.find("Đơn vị P20 (P20)").expect("the other root");
    assert!(parent_at < child_at && child_at < other_at);
    let between = &page[parent_at..child_at];
    assert!(
        between.contains("<ul>") && !between.contains("</li>"),
        "the child is in a list inside the parent's item: {between}"
    );
}

#[actix_web::test]
async fn the_merge_preview_names_what_would_move_and_changes_nothing() {
    let w = world_with(spawn_app().await).await;
    let app = &w.app;
    let id = |v: &Value| v["id"].as_str().unwrap().to_string();
    // A draft hosted by P19-STTTT, an official at home there, a child unit.
    let s = w.create_ok("2026-01-01", "2026-12-31").await;
    let child = id(&app
        .create_unit(&w.admin, "P19-STTTT-TT", "other", Some(&w.host))
        .await);
    app.create_official(&w.admin, &w.host, "P19-0001", "Hoàng Văn Nam")
        .await;
    let p20 = id(&app.create_unit(&w.admin, "P20", "province", None).await);
    let target = id(&app
        .create_unit(&w.admin, "P20-SKHCN", "provincial_department", Some(&p20))
        .await);
    let browser = Browser::admin(app).await;
    let (status, form) = browser.page("/admin/units/merge").await;
    assert_eq!(status, 200);
    assert!(form.contains("<label for=\"f-source_ids\">"));

    let fields = [
        ("step", "preview"),
        ("source_ids", w.host.as_str()),
        ("target_id", target.as_str()),
        ("effective_date", "2026-07-01"),
    ];
    let res = browser.submit("/admin/units/merge?lang=en", &fields).await;
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    assert!(page.contains("What the merge would do"), "{page}");
    assert_eq!(
        fact(&page, "Secondments not yet ended that move to the target"),
        "1"
    );
    assert_eq!(fact(&page, "Officials whose home unit moves"), "1");
    assert!(fact(&page, "Child units that move under the target").starts_with('1'));
    assert!(
        page.contains("Đơn vị P19-STTTT-TT (P19-STTTT-TT)"),
        "the child named"
    );
    assert!(
        page.contains("Đơn vị P20-SKHCN (P20-SKHCN)"),
        "the target named"
    );
    assert!(
        page.contains("name=\"step\" value=\"confirm\""),
        "a confirm form"
    );

    // Nothing changed.
    let source = unit(app, &w.admin, &w.host).await;
    assert_eq!(source["successor_id"], Value::Null);
    assert_eq!(source["valid_to"], Value::Null);
    assert_eq!(
        unit(app, &w.admin, &child).await["parent_id"],
        w.host.as_str()
    );
    let draft: Value = w
        .get(&w.admin, s["id"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(draft["host_unit"]["id"], w.host.as_str(), "{draft}");
    assert!(app
        .audit_of(&w.admin, "org_unit", &w.host)
        .await
        .iter()
        .all(|e| e["action"] != "org_unit.merged"));

    // A merge the API refuses is refused by the preview, with its reason
    // in the user's words (the clash's code, not the API's English detail).
    let res = browser
        .submit(
            "/admin/units/merge",
            &[
                ("step", "preview"),
                ("source_ids", &target),
                ("target_id", &target),
                ("effective_date", "2026-07-01"),
            ],
        )
        .await;
    assert_eq!(res.status(), 409);
    let page = res.text().await.unwrap();
    assert!(page.contains("chính nó"), "{page}");
    assert!(!page.contains("itself"), "{page}");

    // Confirmed: the merge is the API's merge.
    let confirm = [
        ("step", "confirm"),
        ("source_ids", w.host.as_str()),
        ("target_id", target.as_str()),
        ("effective_date", "2026-07-01"),
    ];
    let res = browser.submit("/admin/units/merge", &confirm).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/admin/units?merged={target}"));
    let source = unit(app, &w.admin, &w.host).await;
    assert_eq!(source["successor_id"], target.as_str());
    assert_eq!(source["valid_to"], "2026-06-30");
    assert_eq!(
        unit(app, &w.admin, &child).await["parent_id"],
        target.as_str()
    );
    let (_, tree) = browser.page(location(&res)).await;
    assert!(
        tree.contains("Đã sáp nhập vào Đơn vị P20-SKHCN (P20-SKHCN)"),
        "{tree}"
    );
    assert!(tree.contains("role=\"status\""), "the merge is reported");
}

#[actix_web::test]
async fn the_holidays_page_of_2026_lists_a_2026_holiday() {
    let app = spawn_app().await;
    let browser = Browser::admin(&app).await;
    let (status, page) = browser.page("/admin/holidays?year=2026").await;
    assert_eq!(status, 200);
    assert!(page.contains("Tết Dương lịch"), "{page}");
    assert!(
        page.contains("01&#x2f;01&#x2f;2026"),
        "the day as Vietnamese write it"
    );
    assert!(!page.contains("/2025<"), "only 2026");
    for year in ["2024", "2025", "2027", "2028"] {
        assert!(page.contains(&format!("href=\"/admin/holidays?year={year}\"")));
    }
    assert!(page.contains("aria-current=\"page\">2026<"));
    let (_, english) = browser.page("/admin/holidays?year=2026&lang=en").await;
    assert!(english.contains("Lunar New Year holiday"));
    assert!(english.contains("2026-02-16"));
    let (_, empty) = browser.page("/admin/holidays?year=2031").await;
    assert!(empty.contains("Chưa có ngày nghỉ lễ nào của năm này"));
    let (status, _) = browser.page("/admin/holidays?year=1800").await;
    assert_eq!(status, 422, "refused as the API refuses it");
}

#[actix_web::test]
async fn the_outbox_page_lists_the_emails_dead_ones_apart() {
    let w = world_with(spawn_app().await).await;
    // Nothing of 2028 is loaded: the tick tells the administrator.
    w.tick("2027-11-01").await;
    let browser = Browser::admin(&w.app).await;
    let (status, page) = browser.page("/admin/outbox").await;
    assert_eq!(status, 200);
    assert!(page.contains("<h1>Thư gửi đi</h1>"));
    assert!(page.contains("Thư không gửi được"), "the dead ones first");
    assert!(page.contains("Không có thư nào bị gửi thất bại hẳn."));
    let row = page
        .split("<tr>")
        .find(|r| r.contains("Thiếu ngày nghỉ lễ"))
        .expect("the notice");
    assert!(
        row.to_lowercase()
            .contains(&w.app.admin_email.to_lowercase()),
        "{row}"
    );
    assert!(
        row.contains("Chờ gửi") || row.contains("Đã gửi"),
        "its status in words: {row}"
    );
    let (status, dead) = browser.page("/admin/outbox?status=dead").await;
    assert_eq!(status, 200);
    assert!(dead.contains("Không có thư nào."));
    let (status, _) = browser.page("/admin/outbox?status=lost").await;
    assert_eq!(status, 422);
}

#[actix_web::test]
async fn a_non_admin_gets_403_and_no_admin_links() {
    let w = world_with(spawn_app().await).await;
    let browser = Browser::signed_in(&w.app, &w.hr.email, &w.hr.password).await;
    let (_, list) = browser.page("/secondments").await;
    assert!(!list.contains("href=\"/admin/users\""));
    for path in ["/admin/users", "/admin/outbox"] {
        let (status, page) = browser.page(path).await;
        assert_eq!(status, 403, "{path}");
        assert!(page.contains("Bạn không có quyền"), "{path}: {page}");
    }
    let res = browser
        .submit(
            "/admin/users",
            &[
                ("email", "ke.gian@example.gov.vn"),
                ("password", "a sufficiently long password"),
                ("role", "admin"),
            ],
        )
        .await;
    assert_eq!(res.status(), 403);
    assert!(account(&w.app, &w.admin, "ke.gian@example.gov.vn")
        .await
        .is_none());
    let res = browser
        .submit(
            &format!("/admin/users/{}/disabled", w.home_director.id),
            &[("version", "1"), ("disabled", "true")],
        )
        .await;
    assert_eq!(res.status(), 403);
    let res = browser
        .submit(
            "/admin/units/merge",
            &[
                ("step", "preview"),
                ("source_ids", &w.host),
                ("target_id", &w.home),
                ("effective_date", "2026-07-01"),
            ],
        )
        .await;
    assert_eq!(res.status(), 403);
    // A form without its CSRF token is refused before anything else.
    let res = browser
        .post_without_csrf("/admin/users", &[("email", "x@example.gov.vn")])
        .await;
    assert_eq!(res.status(), 403);
}

#[actix_web::test]
async fn an_administrator_adds_and_removes_a_holiday_in_the_console() {
    let app = spawn_app().await;
    let browser = Browser::admin(&app).await;
    let res = browser
        .submit(
            "/admin/holidays",
            &[
                ("date", "2027-03-08"),
                ("name_vi", "Ngày Quốc tế Phụ nữ (nghỉ bù)"),
                ("name_en", "Women's Day (in lieu)"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/admin/holidays?year=2027");
    let (_, page) = browser.page("/admin/holidays?year=2027").await;
    assert!(page.contains("Ngày Quốc tế Phụ nữ (nghỉ bù)"));
    // The same day again is refused as the API refuses it, and shown.
    let res = browser
        .submit(
            "/admin/holidays",
            &[("date", "2027-03-08"), ("name_vi", "x"), ("name_en", "x")],
        )
        .await;
    assert_eq!(res.status(), 409);
    let res = browser
        .submit("/admin/holidays/2027-03-08/remove", &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = browser.page("/admin/holidays?year=2027").await;
    assert!(!page.contains("Ngày Quốc tế Phụ nữ (nghỉ bù)"));
}
