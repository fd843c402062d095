//! The web console over HTTP: its session and CSRF cookies, sign-in with
//! the API's rules, and a console decision giving the same result and
//! audit entry as the API's. (The pages clicked through in a browser are
//! `tests/browser/run.mjs`.)

use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp};
use crate::lifecycle::world_with;

/// The value of cookie `name` set by a response, with its attributes.
fn set_cookie(res: &Response, name: &str) -> Option<String> {
    res.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

fn value_of(set_cookie: &str) -> String {
    let pair = set_cookie.split(';').next().unwrap_or_default();
    pair.split_once('=')
        .map(|(_, v)| v.to_string())
        .unwrap_or_default()
}

/// A browser: its cookies sent back by hand.
pub(crate) struct Browser<'a> {
    app: &'a TestApp,
    csrf: String,
    session: Option<String>,
}

impl<'a> Browser<'a> {
    /// Opens the sign-in page and signs in (asserting it worked).
    pub(crate) async fn signed_in(app: &'a TestApp, email: &str, password: &str) -> Browser<'a> {
        let mut browser = Browser::open(app).await;
        let res = browser.sign_in(email, password).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "signed in");
        assert!(browser.session.is_some());
        browser
    }

    /// Signed in as the first administrator.
    pub(crate) async fn admin(app: &'a TestApp) -> Browser<'a> {
        Browser::signed_in(app, &app.admin_email, &app.admin_password).await
    }

    /// A page's status and text.
    pub(crate) async fn page(&self, path: &str) -> (StatusCode, String) {
        let res = self.get(path).await;
        (res.status(), res.text().await.expect("page"))
    }

    /// Posts a form with this browser's CSRF token.
    pub(crate) async fn submit(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.post(path, fields, true).await
    }

    /// Posts a form without the CSRF token (what a forged form sends).
    pub(crate) async fn post_without_csrf(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.post(path, fields, false).await
    }

    /// Opens the sign-in page, which hands out the CSRF cookie.
    pub(crate) async fn open(app: &'a TestApp) -> Browser<'a> {
        let res = app.get("/login").await;
        assert_eq!(res.status(), 200);
        let csrf = value_of(&set_cookie(&res, "secondments_csrf").expect("a CSRF cookie"));
        assert!(csrf.len() >= 32);
        Browser {
            app,
            csrf,
            session: None,
        }
    }

    fn cookies(&self) -> String {
        let mut c = format!("secondments_csrf={}", self.csrf);
        if let Some(s) = &self.session {
            c.push_str(&format!("; secondments_session={s}"));
        }
        c
    }

    pub(crate) async fn get(&self, path: &str) -> Response {
        self.app
            .client
            .get(self.app.url(path))
            .header(COOKIE, self.cookies())
            .send()
            .await
            .expect("request")
    }

    async fn post(&self, path: &str, fields: &[(&str, &str)], with_csrf: bool) -> Response {
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        if with_csrf {
            form.push(("csrf", &self.csrf));
        }
        self.app
            .client
            .post(self.app.url(path))
            .header(COOKIE, self.cookies())
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(serde_urlencoded::to_string(&form).expect("form"))
            .send()
            .await
            .expect("request")
    }

    pub(crate) async fn sign_in(&mut self, email: &str, password: &str) -> Response {
        let res = self
            .post(
                "/login",
                &[("email", email), ("password", password), ("next", "/")],
                true,
            )
            .await;
        if let Some(c) = set_cookie(&res, "secondments_session") {
            self.session = Some(value_of(&c));
        }
        res
    }
}

pub(crate) fn location(res: &Response) -> &str {
    res.headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

#[actix_web::test]
async fn signing_in_starts_a_session_in_an_httponly_samesite_cookie() {
    let app = spawn_app().await;
    let mut browser = Browser::open(&app).await;
    let res = browser
        .sign_in(&app.admin_email.clone(), &app.admin_password.clone())
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/");
    let cookie = set_cookie(&res, "secondments_session").expect("session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain HTTP: {cookie}");
    // An administrator's first page is the secondments list.
    let res = browser.get("/").await;
    assert_eq!(location(&res), "/secondments");
    let res = browser.get("/secondments").await;
    assert_eq!(res.status(), 200);
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("form-action 'self'") && !csp.contains("script-src"),
        "{csp}"
    );
    assert!(res.text().await.unwrap().contains("<html lang=\"vi\">"));
    // Pages for directors are refused to an administrator, as a page.
    let res = browser.get("/approvals").await;
    assert_eq!(res.status(), 403);
    assert!(res.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
}

#[actix_web::test]
async fn a_wrong_password_shows_the_form_again_and_counts_like_the_api() {
    let app = spawn_app().await;
    let mut browser = Browser::open(&app).await;
    let res = browser
        .sign_in(&app.admin_email.clone(), "not the password")
        .await;
    assert_eq!(res.status(), 401);
    assert!(set_cookie(&res, "secondments_session").is_none());
    assert!(res.text().await.unwrap().contains("không đúng"));
    let admin = app.admin_token().await;
    let audit: Value = app
        .get_as(&admin, "/api/v1/audit?entity_type=user&limit=500")
        .await
        .json()
        .await
        .unwrap();
    let failed = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "auth.login_failed")
        .count();
    assert_eq!(failed, 1, "{audit}");
}

#[actix_web::test]
async fn a_form_without_its_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let browser = Browser::open(&app).await;
    let res = browser
        .post(
            "/login",
            &[
                ("email", &app.admin_email.clone()),
                ("password", &app.admin_password.clone()),
            ],
            false,
        )
        .await;
    assert_eq!(res.status(), 403);
    assert!(set_cookie(&res, "secondments_session").is_none());
}

#[actix_web::test]
async fn signing_out_or_disabling_the_account_ends_the_console_session() {
    let w = world_with(spawn_app().await).await;
    let mut browser = Browser::open(&w.app).await;
    browser
        .sign_in(&w.home_director.email, &w.home_director.password)
        .await;
    assert_eq!(browser.get("/approvals").await.status(), 200);
    let res = browser.post("/logout", &[], true).await;
    assert_eq!(location(&res), "/login");
    let res = browser.get("/approvals").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/login?next=%2Fapprovals");

    browser
        .sign_in(&w.home_director.email, &w.home_director.password)
        .await;
    assert_eq!(browser.get("/approvals").await.status(), 200);
    let res = w
        .app
        .patch_fresh(
            &w.admin,
            &format!("/api/v1/users/{}", w.home_director.id),
            &json!({"disabled": true}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        browser.get("/approvals").await.status(),
        StatusCode::SEE_OTHER
    );
}

#[actix_web::test]
async fn a_console_decision_is_the_api_decision() {
    let w = world_with(spawn_app().await).await;
    let s = w.create_ok("2026-01-01", "2026-12-31").await;
    let id = s["id"].as_str().unwrap();
    assert_eq!(
        w.act(&w.hr.token, id, "submit", json!({})).await.status(),
        200
    );
    // The home director decides in the console, the host director with the API.
    let mut browser = Browser::open(&w.app).await;
    browser
        .sign_in(&w.home_director.email, &w.home_director.password)
        .await;
    let page = browser.get("/approvals").await.text().await.unwrap();
    assert!(page.contains("Phạm Quang Hiếu"), "the official is named");
    let res = browser
        .post(
            &format!("/approvals/proposal/{id}"),
            &[
                ("decision", "approve"),
                ("comment", "Đồng ý"),
                ("decision_ref", ""),
            ],
            true,
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "{}",
        res.text().await.unwrap()
    );
    // The host director's pending list carries the home side's decision.
    let pending: Value = w
        .app
        .get_as(&w.host_director.token, "/api/v1/approvals/pending")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        pending["items"][0]["decided"][0]["side"], "home",
        "{pending}"
    );
    assert_eq!(pending["items"][0]["decided"][0]["comment"], "Đồng ý");
    let res = w
        .act(
            &w.host_director.token,
            id,
            "approve",
            json!({"comment": "Đồng ý"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let history: Value = w
        .app
        .get_as(&w.admin, &format!("/api/v1/secondments/{id}/history"))
        .await
        .json()
        .await
        .unwrap();
    let decisions: Vec<&Value> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "approval.approved")
        .collect();
    assert_eq!(decisions.len(), 2, "{history}");
    let shape = |e: &Value| {
        let mut keys: Vec<String> = e["after"].as_object().unwrap().keys().cloned().collect();
        keys.sort();
        (
            keys,
            e["after"]["comment"].clone(),
            e["after"]["decision"].clone(),
        )
    };
    assert_eq!(shape(decisions[0]), shape(decisions[1]));
    assert_eq!(decisions[0]["after"]["sides"], json!(["home"]));
    assert_eq!(decisions[0]["actor_id"], w.home_director.id.as_str());
    // A form that says neither approve nor reject decides nothing.
    let res = browser
        .post(
            &format!("/approvals/proposal/{id}"),
            &[("comment", "?")],
            true,
        )
        .await;
    assert_eq!(res.status(), 422);
    // A repeated console decision is refused as the API refuses it.
    let res = browser
        .post(
            &format!("/approvals/proposal/{id}"),
            &[("decision", "approve")],
            true,
        )
        .await;
    assert_eq!(res.status(), 409);
}

#[actix_web::test]
async fn a_cadre_gets_404_for_a_secondment_that_is_not_theirs() {
    let w = world_with(spawn_app().await).await;
    let s = w.create_ok("2026-01-01", "2026-12-31").await;
    let id = s["id"].as_str().unwrap();
    let mai = w
        .app
        .create_official(&w.admin, &w.home, "MIC-0002", "Lê Thị Mai")
        .await;
    let other = w
        .app
        .create_session(&w.admin, "cadre", Some(&w.home), mai["id"].as_str())
        .await;
    let mut browser = Browser::open(&w.app).await;
    browser.sign_in(&other.email, &other.password).await;
    let res = browser.get(&format!("/secondments/{id}")).await;
    assert_eq!(res.status(), 404);
    assert!(res.text().await.unwrap().contains("Không tìm thấy"));
    let mut owner = Browser::open(&w.app).await;
    owner.sign_in(&w.cadre.email, &w.cadre.password).await;
    let res = owner.get(&format!("/secondments/{id}?lang=en")).await;
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    assert!(page.contains("2026-01-01 – 2026-12-31"), "English days");
}

/// A secondment as the API shows it to HR.
async fn secondment(w: &crate::lifecycle::World, id: &str) -> Value {
    w.app
        .get_as(&w.hr.token, &format!("/api/v1/secondments/{id}"))
        .await
        .json()
        .await
        .unwrap()
}

/// The id at the end of a `Location: /secondments/{id}`.
fn created_id(res: &Response) -> String {
    location(res)
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string()
}

#[actix_web::test]
async fn a_37_month_proposal_is_refused_at_its_end_date_and_nothing_is_created() {
    let w = world_with(spawn_app().await).await;
    let mut hr = Browser::open(&w.app).await;
    hr.sign_in(&w.hr.email, &w.hr.password).await;
    let fields = [
        ("official_id", w.official.as_str()),
        ("host_unit_id", w.host.as_str()),
        ("ground", "fixed_term_task"),
        ("position_title", "Phó Giám đốc Sở"),
        ("start_date", "2026-01-01"),
        ("end_date", "2029-02-01"),
    ];
    let res = hr.post("/secondments", &fields, true).await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("id=\"end_date-error\""),
        "the error sits at the end date"
    );
    assert!(
        page.contains("tối đa là 36 tháng"),
        "it names the cap in Vietnamese"
    );
    assert!(
        page.contains("value=\"Phó Giám đốc Sở\""),
        "what was typed stays"
    );
    let list: Value = w
        .app
        .get_as(&w.hr.token, "/api/v1/secondments")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(0));
    // An unknown field is refused as the API refuses it.
    let mut with_extra = fields.to_vec();
    with_extra[5] = ("end_date", "2026-12-31");
    with_extra.push(("salary", "1"));
    let res = hr.post("/secondments", &with_extra, true).await;
    assert_eq!(res.status(), 422);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("không phải là trường hợp lệ"));
    // A missing field is told from its code, in Vietnamese.
    let without: Vec<(&str, &str)> = with_extra[..5]
        .iter()
        .filter(|(name, _)| *name != "position_title")
        .copied()
        .collect();
    let res = hr.post("/secondments", &without, true).await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(page.contains("không được để trống"), "{page}");
}

#[actix_web::test]
async fn hr_manages_a_secondment_through_the_console_as_through_the_api() {
    let w = world_with(spawn_app().await).await;
    let mut hr = Browser::open(&w.app).await;
    hr.sign_in(&w.hr.email, &w.hr.password).await;
    let res = hr
        .post(
            "/secondments",
            &[
                ("official_id", w.official.as_str()),
                ("host_unit_id", w.host.as_str()),
                ("ground", "fixed_term_task"),
                ("position_title", "Phó Giám đốc Sở"),
                ("start_date", "2026-01-01"),
                ("end_date", "2026-12-31"),
            ],
            true,
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let id = created_id(&res);
    let s = secondment(&w, &id).await;
    assert_eq!(s["status"], "draft");
    // Edit the draft with the version it was read at.
    let version = s["version"].to_string();
    let res = hr
        .post(
            &format!("/secondments/{id}/edit"),
            &[
                ("version", version.as_str()),
                ("position_title", "Giám đốc Sở"),
                ("agreement_ref", "TT-01/2026"),
                ("consultation.held_on", "2025-12-01"),
            ],
            true,
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let s = secondment(&w, &id).await;
    assert_eq!(s["position_title"], "Giám đốc Sở");
    assert_eq!(s["consultation"]["held_on"], "2025-12-01");
    // The same stale version is refused, as the API refuses a stale If-Match.
    let res = hr
        .post(
            &format!("/secondments/{id}/edit"),
            &[("version", version.as_str()), ("mandate", "x")],
            true,
        )
        .await;
    assert_eq!(res.status(), 412);
    // Cancel needs a reason, named at its field.
    let res = hr
        .post(&format!("/secondments/{id}/cancel"), &[], true)
        .await;
    assert_eq!(res.status(), 422);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("id=\"cancel-reason-error\""));
    let res = hr
        .post(
            &format!("/secondments/{id}/cancel"),
            &[("reason", "Đơn vị tiếp nhận đổi kế hoạch")],
            true,
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let s = secondment(&w, &id).await;
    assert_eq!(s["status"], "cancelled");
    assert_eq!(s["end_reason"], "Đơn vị tiếp nhận đổi kế hoạch");
    // Officials: created and found without diacritics.
    let res = hr
        .post(
            "/officials",
            &[
                ("staff_code", "MIC-0777"),
                ("full_name", "Nguyễn Thị Hằng"),
                ("email", "hang.nt@example.gov.vn"),
                ("home_unit_id", w.home.as_str()),
            ],
            true,
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "{}",
        res.text().await.unwrap()
    );
    let page = hr
        .get("/officials?q=nguyen+thi+hang")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Nguyễn Thị Hằng"));
    let page = hr.get("/officials?q=pham").await.text().await.unwrap();
    assert!(!page.contains("Nguyễn Thị Hằng") && page.contains("Phạm Quang Hiếu"));
}

#[actix_web::test]
async fn the_reports_page_draws_its_charts_on_the_server() {
    let w = world_with(spawn_app().await).await;
    w.create_ok("2026-01-01", "2026-12-31").await;
    let mut hr = Browser::open(&w.app).await;
    hr.sign_in(&w.hr.email, &w.hr.password).await;
    let res = hr.get("/reports?as_of=2026-06-01").await;
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    assert!(page.contains("<svg id=\"chart-status\""));
    assert!(page.contains("Dự thảo</td><td>1</td>"), "one draft counted");
    let mut cadre = Browser::open(&w.app).await;
    cadre.sign_in(&w.cadre.email, &w.cadre.password).await;
    let refused = cadre.get("/reports").await;
    assert_eq!(refused.status(), 403);
    // The refusal's code in the user's words, not the API's English.
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("Bạn không có quyền làm việc này với vai trò hiện tại."),
        "{page}"
    );
}

#[actix_web::test]
async fn a_calendar_address_made_in_the_console_serves_the_feed() {
    let w = world_with(spawn_app().await).await;
    let mut cadre = Browser::open(&w.app).await;
    cadre.sign_in(&w.cadre.email, &w.cadre.password).await;
    let page = cadre
        .post("/account/calendar", &[], true)
        .await
        .text()
        .await
        .unwrap();
    let url = page
        .split("id=\"feed\" type=\"text\" readonly value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the feed address is shown")
        .replace("&#x2f;", "/");
    let path = url
        .split_once("/api/")
        .map(|(_, p)| format!("/api/{p}"))
        .unwrap();
    let res = w.app.get(&path).await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().starts_with("BEGIN:VCALENDAR"));
}

#[actix_web::test]
async fn the_proposal_form_narrows_its_choices_by_search() {
    let w = world_with(spawn_app().await).await;
    w.app
        .create_official(&w.admin, &w.home, "MIC-0002", "Lê Thị Mai")
        .await;
    let mut hr = Browser::open(&w.app).await;
    hr.sign_in(&w.hr.email, &w.hr.password).await;
    let page = hr.get("/secondments/new").await.text().await.unwrap();
    assert!(page.contains("Phạm Quang Hiếu") && page.contains("Lê Thị Mai"));
    let page = hr
        .get("/secondments/new?official_q=hieu&unit_q=P19-STTTT")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Phạm Quang Hiếu") && !page.contains("Lê Thị Mai"));
    assert!(page.contains("Đơn vị P19-STTTT") && !page.contains("Đơn vị BTTTT-CDS"));
    // A refused proposal keeps the narrowing it was made with.
    let res = hr
        .post(
            "/secondments",
            &[("official_q", "hieu"), ("official_id", w.official.as_str())],
            true,
        )
        .await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(page.contains("name=\"official_q\" value=\"hieu\"") && !page.contains("Lê Thị Mai"));
    assert!(
        page.contains("Tìm cán bộ (tên, mã, thư điện tử)"),
        "the search is labelled"
    );
    assert_eq!(hr.get("/secondments/new?salary=1").await.status(), 422);
}
