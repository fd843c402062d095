//! Every console page for every role, on a seeded data set larger than one
//! page of each list: each role signs in and follows every link it is shown
//! (next pages included, in both languages), and no page fails.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::binary::binary;
use crate::console::{location, Browser};
use crate::helpers::{spawn_app, TestApp};

/// Seeds `officials` officials and `secondments` postings into the app's
/// database; returns the seeded accounts' password.
fn seed(app: &TestApp, officials: u32, secondments: u32) -> String {
    let out = binary(&app.db.url())
        .args(["seed", "--officials", &officials.to_string()])
        .args(["--secondments", &secondments.to_string()])
        .output()
        .expect("run seed");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .rsplit("shown only now: ")
        .next()
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the seeded password")
        .to_string()
}

/// The top unit (ministry or province) above `unit_id`.
async fn top_of(app: &TestApp, admin: &str, unit_id: &str) -> String {
    let mut id = unit_id.to_string();
    loop {
        let unit: Value = app
            .get_as(admin, &format!("/api/v1/org-units/{id}"))
            .await
            .json()
            .await
            .expect("unit");
        match unit["parent_id"].as_str() {
            Some(parent) => id = parent.to_string(),
            None => return id,
        }
    }
}

/// The seeded account of `role` at the top unit `unit_id`.
async fn account(app: &TestApp, admin: &str, role: &str, unit_id: &str) -> String {
    let page: Value = app
        .get_as(
            admin,
            &format!("/api/v1/users?role={role}&org_unit_id={unit_id}"),
        )
        .await
        .json()
        .await
        .expect("users");
    page["items"][0]["email"]
        .as_str()
        .unwrap_or_else(|| panic!("a seeded {role} at {unit_id}"))
        .to_string()
}

/// The top unit (ministry or province) holding most of the postings' `key`
/// units: its accounts see the most.
async fn busiest_top(app: &TestApp, admin: &str, postings: &[Value], key: &str) -> String {
    let mut top: BTreeMap<String, String> = BTreeMap::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for posting in postings {
        let unit = posting[key].as_str().expect("unit").to_string();
        if !top.contains_key(&unit) {
            let found = top_of(app, admin, &unit).await;
            top.insert(unit.clone(), found);
        }
        *counts.entry(top[&unit].clone()).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(k, _)| k)
        .expect("postings")
}

/// An attribute's text as the browser reads it (minijinja escapes `/` too).
fn unescape(text: &str) -> String {
    text.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The local links of a page (`href`s), unescaped, without fragments.
fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(unescape)
        .map(|href| href.split('#').next().unwrap_or_default().to_string())
        .filter(|href| href.starts_with('/') && !href.starts_with("//"))
        .filter(|href| !href.starts_with("/api/") && !href.starts_with("/static/"))
        .collect()
}

/// A link's shape: ids replaced, the query's names kept, so that one
/// secondment page stands for all of them.
fn shape(link: &str) -> String {
    let (path, query) = link.split_once('?').unwrap_or((link, ""));
    let path: Vec<&str> = path
        .split('/')
        .map(|part| if part.len() >= 32 { "{id}" } else { part })
        .collect();
    let mut names: Vec<&str> = query
        .split('&')
        .filter_map(|pair| pair.split('=').next())
        .filter(|name| !name.is_empty() && *name != "cursor")
        .collect();
    names.sort_unstable();
    format!("{}?{}", path.join("/"), names.join("&"))
}

/// What one role's walk saw.
struct Walk {
    pages: usize,
    next_pages: BTreeSet<String>,
}

/// Follows every link `browser` is shown, from `start`: each shape of link a few
/// times, every next page, each shape once more in English.
async fn walk(browser: &Browser<'_>, role: &str, start: &[&str]) -> Walk {
    let mut queue: VecDeque<String> = start.iter().map(|s| s.to_string()).collect();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut per_shape: BTreeMap<String, usize> = BTreeMap::new();
    let mut next_pages = BTreeSet::new();
    let mut pages = 0;
    while let Some(link) = queue.pop_front() {
        if !seen.insert(link.clone()) {
            continue;
        }
        let is_next_page = link.contains("cursor=");
        let visits = per_shape.entry(shape(&link)).or_default();
        if *visits >= 3 && !is_next_page {
            continue;
        }
        *visits += 1;
        assert!(pages < 400, "{role}: the walk does not end");
        pages += 1;

        let res = browser.get(&link).await;
        let status = res.status();
        if status == StatusCode::SEE_OTHER {
            queue.push_back(location(&res).to_string());
            continue;
        }
        let is_html = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        let body = res.bytes().await.expect("body");
        assert_eq!(status, StatusCode::OK, "{role} GET {link}");
        if !is_html {
            continue; // an export: CSV or XLSX
        }
        let html = String::from_utf8_lossy(&body);
        assert!(
            html.contains("</html>"),
            "{role} GET {link}: page cut short"
        );
        if is_next_page {
            next_pages.insert(link.split('?').next().unwrap_or_default().to_string());
        }
        if *visits == 1 && !link.contains("lang=") {
            let sep = if link.contains('?') { '&' } else { '?' };
            queue.push_back(format!("{link}{sep}lang=en"));
        }
        queue.extend(links(&html).into_iter().filter(|l| !l.contains("lang=")));
    }
    Walk { pages, next_pages }
}

#[actix_web::test]
async fn every_page_of_every_role_renders_on_a_seeded_data_set() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let password = seed(&app, 320, 330);

    let postings = app.list_all(&admin, "/api/v1/secondments").await;
    assert!(postings.len() >= 300, "{} seeded", postings.len());
    let ministry = busiest_top(&app, &admin, &postings, "home_unit_id").await;
    let province = busiest_top(&app, &admin, &postings, "host_unit_id").await;
    let hr = account(&app, &admin, "hr_officer", &ministry).await;
    let home_director = account(&app, &admin, "director", &ministry).await;
    let host_director = account(&app, &admin, "director", &province).await;

    // A seconded cadre signs in to their active posting.
    let active = postings
        .iter()
        .find(|s| s["status"] == "active")
        .expect("an active posting");
    let cadre_password = "a sufficiently long password";
    let res = app
        .post_as(
            &admin,
            "/api/v1/users",
            &json!({"email": "canbo@seed.gov.vn", "password": cadre_password,
                    "full_name": active["official"]["full_name"], "role": "cadre",
                    "org_unit_id": active["home_unit_id"],
                    "official_id": active["official_id"]}),
        )
        .await;
    assert_eq!(res.status(), 201, "the cadre's account");

    let roles = [
        ("admin", "quantri@seed.gov.vn", password.as_str()),
        ("hr_officer", hr.as_str(), password.as_str()),
        ("home director", home_director.as_str(), password.as_str()),
        ("host director", host_director.as_str(), password.as_str()),
        ("cadre", "canbo@seed.gov.vn", cadre_password),
    ];
    for (role, email, password) in roles {
        let browser = Browser::signed_in(&app, email, password).await;
        let registry = role == "hr_officer" || role == "admin";
        // Small pages, so that even a province's share has several.
        let start: &[&str] = if registry {
            &["/", "/secondments?limit=5", "/officials?limit=5"]
        } else {
            &["/"]
        };
        let walk = walk(&browser, role, start).await;
        assert!(walk.pages >= 5, "{role}: {} pages", walk.pages);
        if registry {
            for list in ["/secondments", "/officials"] {
                assert!(
                    walk.next_pages.contains(list),
                    "{role}: no next page of {list} followed ({:?})",
                    walk.next_pages
                );
            }
        }
    }
}

#[actix_web::test]
async fn a_mistyped_console_address_gets_a_page_and_the_api_keeps_its_problems() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(app.url("/secondmentz"))
        .header("accept", "text/html,application/xhtml+xml")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let kind = res.headers()["content-type"].to_str().unwrap().to_string();
    assert!(kind.starts_with("text/html"), "{kind}");
    let page = res.text().await.unwrap();
    assert!(
        page.contains("</html>") && page.contains("lang=\"vi\""),
        "{page}"
    );

    let res = app.get("/api/v1/secondmentz").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let kind = res.headers()["content-type"].to_str().unwrap().to_string();
    assert!(kind.starts_with("application/problem+json"), "{kind}");
}

#[actix_web::test]
async fn a_decision_shows_the_day_it_was_taken_in_vietnam() {
    let w = crate::lifecycle::world_with(spawn_app().await).await;
    let id = w.approved("2026-01-01", "2026-12-31").await;
    // 19:25 UTC on 14/03 is 02:25 on 15/03 in Hà Nội.
    w.app
        .db
        .execute("UPDATE approvals SET decided_at = '2026-03-14 19:25:00'");
    let browser = Browser::signed_in(&w.app, &w.hr.email, &w.hr.password).await;
    let (status, page) = browser.page(&format!("/secondments/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    // minijinja writes `/` as `&#x2f;` in HTML.
    assert!(page.contains("15&#x2f;03&#x2f;2026"), "{page}");
    assert!(!page.contains("14&#x2f;03&#x2f;2026"), "{page}");
}

#[actix_web::test]
async fn the_history_tells_the_story_in_words() {
    let w = crate::lifecycle::world_with(spawn_app().await).await;
    let id = w.approved("2026-01-01", "2026-12-31").await;
    let res = w
        .app
        .post_as(
            &w.cadre.token,
            &format!("/api/v1/secondments/{id}/extensions"),
            &json!({"requested_end_date": "2027-03-31", "reason": "Hoàn thành đề án"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let ext: Value = res.json().await.unwrap();
    for d in [&w.host_director, &w.home_director] {
        let res = w
            .app
            .post_as(
                &d.token,
                &format!("/api/v1/extensions/{}/approve", ext["id"].as_str().unwrap()),
                &json!({"comment": "Đồng ý", "decision_ref": "Quyết định số 12/QĐ"}),
            )
            .await;
        assert_eq!(res.status(), 200);
    }
    let successor = w
        .app
        .create_unit(
            &w.admin,
            "SKHCN-MOI",
            "provincial_department",
            Some(&w.province),
        )
        .await;
    let res = w
        .app
        .post_as(
            &w.admin,
            "/api/v1/org-units/merge",
            &json!({"source_ids": [w.host], "target_id": successor["id"], "effective_date": "2026-07-01"}),
        )
        .await;
    assert_eq!(res.status(), 200);

    let browser = Browser::signed_in(&w.app, &w.hr.email, &w.hr.password).await;
    let (status, page) = browser.page(&format!("/secondments/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let page = unescape(&page);
    // The default plan is the system's, told once with its milestones.
    assert_eq!(page.matches("đã lập các mốc mặc định").count(), 1, "{page}");
    assert!(page.contains("Hệ thống đã lập"), "{page}");
    assert!(!page.contains("đã thêm mốc"), "{page}");
    // The extension: from which end date to which, under which decision.
    assert!(page.contains("31/12/2026 → 31/03/2027"), "{page}");
    assert!(page.contains("Quyết định số 12/QĐ"), "{page}");
    // The merger: the old unit, the new one and from when.
    let new = successor["name"].as_str().unwrap();
    assert!(
        page.contains(&format!("→ {new}, hiệu lực từ 01/07/2026")),
        "{page}"
    );
}
