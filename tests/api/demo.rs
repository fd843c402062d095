//! `secondments demo` through the real binary: the story of SPEC 1 in an
//! empty database, a login for every role, and a refusal on a second run.

use std::collections::HashSet;

use serde_json::Value;

use crate::binary::{binary, serve};
use crate::helpers::TestDb;

/// `(email, role, password)` rows of the table `demo` prints.
fn logins(stdout: &str) -> Vec<(String, String, String)> {
    stdout
        .lines()
        .skip_while(|l| !(l.starts_with("email") && l.ends_with("password")))
        .skip(1)
        .map_while(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            match cols.as_slice() {
                [email, role, password] if email.contains('@') => {
                    Some((email.to_string(), role.to_string(), password.to_string()))
                }
                _ => None,
            }
        })
        .collect()
}

struct Client {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Client {
    async fn login(port: u16, email: &str, password: &str) -> Client {
        let http = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}/api/v1");
        let res = http
            .post(format!("{base}/auth/login"))
            .json(&serde_json::json!({"email": email, "password": password}))
            .send()
            .await
            .expect("login request");
        assert_eq!(res.status().as_u16(), 200, "login as {email}");
        let body: Value = res.json().await.expect("login body");
        let token = body["access_token"].as_str().expect("token").to_string();
        Client { http, base, token }
    }

    async fn get(&self, path: &str) -> Value {
        let res = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("request");
        assert_eq!(res.status().as_u16(), 200, "GET {path}");
        res.json().await.expect("json")
    }
}

fn items(page: &Value) -> &Vec<Value> {
    page["items"].as_array().expect("items")
}

fn posting_of<'a>(list: &'a Value, name: &str) -> &'a Value {
    items(list)
        .iter()
        .find(|s| s["official"]["full_name"] == name)
        .unwrap_or_else(|| panic!("a secondment of {name}"))
}

const TABLES: [&str; 8] = [
    "users",
    "org_units",
    "officials",
    "secondments",
    "outcomes",
    "extensions",
    "emails",
    "audit_events",
];

#[actix_web::test]
async fn demo_loads_the_story_once_with_a_login_for_every_role() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDb::create(dir.path());
    let out = binary(&db.url()).arg("demo").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let accounts = logins(&stdout);
    let roles: HashSet<&str> = accounts.iter().map(|(_, r, _)| r.as_str()).collect();
    assert_eq!(
        roles,
        HashSet::from(["admin", "hr_officer", "director", "cadre"]),
        "{stdout}"
    );
    assert!(accounts.len() >= 6, "{stdout}");
    assert!(accounts.iter().all(|(_, _, p)| p.len() >= 16));

    // A second run is refused and changes nothing.
    let counts: Vec<i64> = TABLES.iter().map(|t| db.count(t)).collect();
    let again = binary(&db.url()).arg("demo").output().unwrap();
    assert!(!again.status.success());
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("only into an empty database"), "{stderr}");
    assert!(logins(&String::from_utf8_lossy(&again.stdout)).is_empty());
    let after: Vec<i64> = TABLES.iter().map(|t| db.count(t)).collect();
    assert_eq!(counts, after, "the refused run changed nothing");

    let served = serve(&db.url());
    let mut clients = Vec::new();
    for (email, role, password) in &accounts {
        clients.push((
            role.clone(),
            Client::login(served.port, email, password).await,
        ));
    }
    let as_role = |role: &str| {
        clients
            .iter()
            .find(|(r, _)| r == role)
            .map(|(_, c)| c)
            .expect("a user of the role")
    };
    let admin = as_role("admin");
    let all = admin.get("/secondments?limit=100").await;

    let hieu = posting_of(&all, "Phạm Quang Hiếu");
    assert_eq!(hieu["status"], "completed");
    assert_eq!(hieu["start_date"], "2021-04-01");
    assert_eq!(hieu["end_date"], "2023-03-31");
    let id = hieu["id"].as_str().unwrap();
    let one = admin.get(&format!("/secondments/{id}")).await;
    assert_eq!(one["evaluation"]["rating"], "excellent", "{one}");
    assert!(one["return_arrangement"].is_string());
    // The history carries the story's dates: proposed in March 2021, the
    // default milestones planned by the system, not by a director.
    let story = admin
        .get(&format!("/secondments/{id}/history?limit=500"))
        .await;
    let events = items(&story);
    let day_of = |action: &str| {
        events
            .iter()
            .find(|e| e["action"] == action)
            .and_then(|e| e["at"].as_str())
            .unwrap_or_else(|| panic!("{action} in {story}"))
            .get(..10)
            .unwrap()
            .to_string()
    };
    assert_eq!(day_of("secondment.created"), "2021-03-11");
    assert_eq!(day_of("secondment.activate"), "2021-04-01");
    assert_eq!(day_of("secondment.complete"), "2023-04-01");
    assert!(day_of("secondment.evaluated").as_str() < "2023-05-01");
    let planned: Vec<&Value> = events
        .iter()
        .filter(|e| e["action"] == "milestone.created")
        .collect();
    assert_eq!(planned.len(), 4, "{story}");
    assert!(planned.iter().all(|e| e["actor_id"].is_null()), "{story}");
    let outcomes = admin.get(&format!("/secondments/{id}/outcomes")).await;
    let pillars: HashSet<&str> = items(&outcomes)
        .iter()
        .filter_map(|o| o["pillar"].as_str())
        .collect();
    assert!(items(&outcomes).len() >= 3);
    for pillar in ["digital_government", "digital_economy", "digital_society"] {
        assert!(pillars.contains(pillar), "{outcomes}");
    }
    assert!(items(&outcomes)
        .iter()
        .all(|o| !o["acknowledged_by"].is_null()));

    // Hosted in Quảng Bình from January 2025: now under Quảng Trị.
    let ha = posting_of(&all, "Lê Thị Thu Hà");
    assert_eq!(ha["status"], "active");
    assert!(ha["start_date"].as_str().unwrap() < "2025-07-01");
    assert!(ha["end_date"].as_str().unwrap() > "2025-07-01");
    let host = admin
        .get(&format!(
            "/org-units/{}",
            ha["host_unit_id"].as_str().unwrap()
        ))
        .await;
    assert!(host["valid_to"].is_null(), "{host}");
    let province = admin
        .get(&format!(
            "/org-units/{}",
            host["parent_id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(province["name"], "Quảng Trị", "{province}");
    let history = admin
        .get(&format!(
            "/secondments/{}/history",
            ha["id"].as_str().unwrap()
        ))
        .await;
    assert!(items(&history)
        .iter()
        .any(|e| e["action"] == "secondment.unit_merged"));

    // Both directions, a rotation, and one extension waiting.
    let nhung = posting_of(&all, "Nguyễn Thị Hồng Nhung");
    assert_eq!(nhung["direction"], "local_to_central");
    assert!(items(&all).iter().any(|s| s["kind"] == "rotation"));
    let waiting = admin
        .get(&format!("/secondments/{}", nhung["id"].as_str().unwrap()))
        .await;
    assert!(!waiting["pending_extension"].is_null(), "{waiting}");
    let pending: usize = {
        let mut n = 0;
        for s in items(&all) {
            let one = admin
                .get(&format!("/secondments/{}", s["id"].as_str().unwrap()))
                .await;
            n += usize::from(!one["pending_extension"].is_null());
        }
        n
    };
    assert_eq!(pending, 1);
    let mut directors_waited_on = 0;
    for (role, client) in &clients {
        if role == "director" {
            let mine = client.get("/approvals/pending").await;
            directors_waited_on += usize::from(!items(&mine).is_empty());
        }
    }
    assert!(directors_waited_on >= 1);

    // Reminders already planned in the outbox.
    let emails = admin.get("/admin/emails").await;
    assert!(!items(&emails).is_empty(), "{emails}");
    served.stop();
}
