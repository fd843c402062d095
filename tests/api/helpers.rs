//! `spawn_app()` and friends.

use std::path::{Path, PathBuf};

use diesel::{Connection, PgConnection, RunQueryDsl};
use secondments::config::{Environment, Secret, Settings};
use secondments::startup::Application;
use serde_json::{json, Value};

/// Where a test's database lives.
pub enum TestDb {
    /// A SQLite file in the test's temporary directory.
    Sqlite(PathBuf),
    /// A fresh PostgreSQL database, dropped when the test ends.
    Postgres {
        /// The server (maintenance database) URL.
        admin_url: String,
        /// The test database name.
        name: String,
    },
}

impl TestDb {
    /// A new, empty database for one test.
    pub fn create(dir: &Path) -> TestDb {
        match std::env::var("TEST_DATABASE_URL") {
            Ok(admin_url) if !admin_url.is_empty() => {
                let name = format!("secondments_test_{}", uuid::Uuid::new_v4().simple());
                let mut conn = PgConnection::establish(&admin_url)
                    .unwrap_or_else(|e| panic!("TEST_DATABASE_URL unreachable: {e}"));
                diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
                    .execute(&mut conn)
                    .expect("create test database");
                TestDb::Postgres { admin_url, name }
            }
            _ => TestDb::Sqlite(dir.join("test.db")),
        }
    }

    /// The URL the service is configured with.
    pub fn url(&self) -> String {
        match self {
            TestDb::Sqlite(path) => format!("sqlite://{}", path.display()),
            TestDb::Postgres { admin_url, name } => {
                let base = admin_url
                    .rsplit_once('/')
                    .map_or(admin_url.as_str(), |(b, _)| b);
                format!("{base}/{name}")
            }
        }
    }

    /// Runs raw SQL against the test database (to break things on purpose).
    pub fn execute(&self, sql: &str) {
        use diesel::connection::SimpleConnection;
        match self {
            TestDb::Sqlite(path) => {
                let mut c = diesel::SqliteConnection::establish(&path.display().to_string())
                    .expect("open sqlite");
                c.batch_execute(sql).expect("execute sql");
            }
            TestDb::Postgres { .. } => {
                let mut c = PgConnection::establish(&self.url()).expect("open postgres");
                c.batch_execute(sql).expect("execute sql");
            }
        }
    }

    /// The number of rows in `table` (to show that a refused request
    /// changed nothing).
    pub fn count(&self, table: &str) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let sql = format!("SELECT COUNT(*) AS n FROM {table}");
        let rows: Vec<Count> = match self {
            TestDb::Sqlite(path) => {
                let mut c = diesel::SqliteConnection::establish(&path.display().to_string())
                    .expect("open sqlite");
                diesel::sql_query(sql).load(&mut c).expect("count")
            }
            TestDb::Postgres { .. } => {
                let mut c = PgConnection::establish(&self.url()).expect("open postgres");
                diesel::sql_query(sql).load(&mut c).expect("count")
            }
        };
        rows.first().map_or(0, |r| r.n)
    }

    /// Runs SQL on the maintenance database (PostgreSQL only).
    pub fn execute_admin(&self, sql: &str) {
        if let TestDb::Postgres { admin_url, .. } = self {
            let mut c = PgConnection::establish(admin_url).expect("open postgres");
            diesel::sql_query(sql).execute(&mut c).expect("admin sql");
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let TestDb::Postgres { admin_url, name } = self {
            if let Ok(mut c) = PgConnection::establish(admin_url) {
                let _ =
                    diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                        .execute(&mut c);
            }
        }
    }
}

/// A running application for one test.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    /// HTTP client without redirects.
    pub client: reqwest::Client,
    /// The database.
    pub db: TestDb,
    /// The first administrator's email.
    pub admin_email: String,
    /// Its password: the one it chose in place of the printed one-time
    /// password (`spawn_app`), or that one while it is still due to be
    /// changed (`spawn_app_first_start`).
    pub admin_password: String,
    _dir: tempfile::TempDir,
}

/// Settings for tests: `config/test.toml` over the defaults.
pub fn test_settings() -> Settings {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    Settings::load_from(Environment::Test, &dir).expect("test settings")
}

/// Starts the application on port 0 with a fresh database.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// The password the first administrator chooses in `spawn_app`.
pub const ADMIN_OWN_PASSWORD: &str = "the first administrator's own password";

/// Like `spawn_app`, after `adjust` changes the settings.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    launch(adjust, true).await
}

/// Like `spawn_app`, but the first administrator still has the printed
/// one-time password, which it must change at its first sign-in.
pub async fn spawn_app_first_start() -> TestApp {
    launch(|_| {}, false).await
}

/// Starts the application; with `settle`, the first administrator has
/// already replaced its one-time password with [`ADMIN_OWN_PASSWORD`], as
/// every real administrator must before doing anything else. The change
/// goes through the store function `POST /me/password` uses, so that it
/// spends none of the per-address sign-in budget some tests measure.
async fn launch(adjust: impl FnOnce(&mut Settings), settle: bool) -> TestApp {
    init_test_logs();
    let dir = tempfile::tempdir().expect("tempdir");
    let db = TestDb::create(dir.path());
    let mut settings = test_settings();
    settings.database.url = Secret::new(db.url());
    settings.server.port = 0;
    adjust(&mut settings);
    let app = Application::build(settings)
        .await
        .expect("application starts");
    let admin = app
        .initial_admin()
        .cloned()
        .expect("first start creates an admin");
    let mut admin_password = admin.generated_password.expect("generated password");
    if settle {
        let email = admin.email.to_lowercase();
        let hash = secondments::auth::password::hash_password(ADMIN_OWN_PASSWORD).expect("hash");
        app.db()
            .blocking(secondments::store::Access::Write, |conn| {
                let id = secondments::store::users::find_by_email(conn, &email)?
                    .expect("the first administrator")
                    .id;
                secondments::store::passwords::change_own(
                    conn,
                    &secondments::domain::actor::Actor::system(),
                    &id,
                    &hash,
                    None,
                )
            })
            .expect("the first administrator chooses a password");
        admin_password = ADMIN_OWN_PASSWORD.to_string();
    }
    let address = format!("http://127.0.0.1:{}", app.port());
    actix_web::rt::spawn(app.into_server());
    TestApp {
        address,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
        db,
        admin_email: admin.email,
        admin_password,
        _dir: dir,
    }
}

fn init_test_logs() {
    if std::env::var_os("TEST_LOG").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter("info")
            .with_test_writer()
            .try_init();
    }
}

impl TestApp {
    /// Absolute URL of a path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// GET without credentials.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    /// POST JSON without credentials.
    pub async fn post_json(&self, path: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// Signs in; returns the response.
    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_json(
            "/api/v1/auth/login",
            &json!({"email": email, "password": password}),
        )
        .await
    }

    /// Signs in as the first administrator; returns the token body.
    pub async fn login_admin(&self) -> Value {
        let res = self.login(&self.admin_email, &self.admin_password).await;
        assert_eq!(res.status(), 200, "admin login");
        res.json().await.expect("token json")
    }

    /// GET with a bearer token.
    pub async fn get_as(&self, token: &str, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }
}

/// Asserts a problem+json answer with the status and slug; returns the body.
pub async fn assert_problem(res: reqwest::Response, status: u16, slug: &str) -> Value {
    assert_eq!(res.status().as_u16(), status, "status");
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(
        content_type.starts_with("application/problem+json"),
        "content type {content_type}"
    );
    assert!(res.headers().contains_key("x-request-id"));
    let body: Value = res.json().await.expect("problem json");
    assert_eq!(body["type"], format!("/problems/{slug}"), "{body}");
    assert_eq!(body["status"], status, "{body}");
    assert!(body["title"].is_string(), "{body}");
    assert!(body["detail"].is_string(), "{body}");
    body
}

/// A signed-in user of some role, for permission tests.
pub struct Session {
    /// User id.
    pub id: String,
    /// Email.
    pub email: String,
    /// Password.
    pub password: String,
    /// Access token.
    pub token: String,
    /// Refresh token.
    pub refresh: String,
}

impl TestApp {
    /// POST JSON with a bearer token.
    pub async fn post_as(&self, token: &str, path: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// DELETE with a bearer token.
    pub async fn delete_as(&self, token: &str, path: &str) -> reqwest::Response {
        self.client
            .delete(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    /// PATCH JSON with a bearer token and an optional If-Match.
    pub async fn patch_as(
        &self,
        token: &str,
        path: &str,
        if_match: Option<&str>,
        body: &Value,
    ) -> reqwest::Response {
        let mut req = self
            .client
            .patch(self.url(path))
            .bearer_auth(token)
            .json(body);
        if let Some(etag) = if_match {
            req = req.header("if-match", etag);
        }
        req.send().await.expect("request")
    }

    /// PATCH with the ETag of a fresh GET (for tests not about If-Match).
    pub async fn patch_fresh(&self, token: &str, path: &str, body: &Value) -> reqwest::Response {
        let res = self.get_as(token, path).await;
        let etag = res.headers()["etag"].to_str().expect("etag").to_string();
        self.patch_as(token, path, Some(&etag), body).await
    }

    /// The admin's access token.
    pub async fn admin_token(&self) -> String {
        self.login_admin().await["access_token"]
            .as_str()
            .expect("token")
            .to_string()
    }

    /// Creates a unit as admin; returns its JSON.
    pub async fn create_unit(
        &self,
        admin: &str,
        code: &str,
        kind: &str,
        parent: Option<&str>,
    ) -> Value {
        let res = self
            .post_as(
                admin,
                "/api/v1/org-units",
                &json!({"code": code, "name": format!("Đơn vị {code}"), "kind": kind,
                        "parent_id": parent, "valid_from": "2000-01-01"}),
            )
            .await;
        assert_eq!(res.status(), 201, "create unit {code}");
        res.json().await.expect("unit json")
    }

    /// Creates a user as admin and signs them in.
    pub async fn create_session(
        &self,
        admin: &str,
        role: &str,
        unit: Option<&str>,
        official: Option<&str>,
    ) -> Session {
        let email = format!("{role}-{}@example.gov.vn", uuid::Uuid::new_v4().simple());
        let password = "a sufficiently long password".to_string();
        let res = self
            .post_as(
                admin,
                "/api/v1/users",
                &json!({"email": email, "password": password, "role": role,
                        "org_unit_id": unit, "official_id": official}),
            )
            .await;
        assert_eq!(res.status(), 201, "create user {role}");
        let user: Value = res.json().await.expect("user json");
        let tokens: Value = self
            .login(&email, &password)
            .await
            .json()
            .await
            .expect("tokens");
        Session {
            id: user["id"].as_str().expect("id").to_string(),
            email,
            password,
            token: tokens["access_token"].as_str().expect("access").to_string(),
            refresh: tokens["refresh_token"]
                .as_str()
                .expect("refresh")
                .to_string(),
        }
    }

    /// Audit events for one record, as the admin sees them.
    pub async fn audit_of(&self, admin: &str, entity_type: &str, entity_id: &str) -> Vec<Value> {
        let res = self
            .get_as(
                admin,
                &format!("/api/v1/audit?entity_type={entity_type}&entity_id={entity_id}&limit=500"),
            )
            .await;
        assert_eq!(res.status(), 200);
        let page: Value = res.json().await.expect("audit json");
        page["items"].as_array().cloned().unwrap_or_default()
    }
}

/// The officials CSV header.
pub const CSV_HEADER: &str =
    "staff_code,full_name,email,home_unit_code,position,rank,date_of_birth,language";

/// `n` valid CSV rows for a unit, staff codes `{prefix}00001`...
pub fn csv_rows(n: usize, unit_code: &str, prefix: &str) -> String {
    let mut out = format!("{CSV_HEADER}\n");
    for i in 1..=n {
        out.push_str(&format!(
            "{prefix}{i:05},Nguyễn Văn {prefix} {i},{prefix}{i}@example.gov.vn,{unit_code},Chuyên viên,Chuyên viên chính,1985-01-01,vi\n"
        ));
    }
    out
}

impl TestApp {
    /// Creates an official as `token`; returns its JSON.
    pub async fn create_official(
        &self,
        token: &str,
        unit_id: &str,
        code: &str,
        name: &str,
    ) -> Value {
        let res = self
            .post_as(
                token,
                "/api/v1/officials",
                &json!({"staff_code": code, "full_name": name,
                        "email": format!("{}@example.gov.vn", code.to_lowercase()),
                        "home_unit_id": unit_id}),
            )
            .await;
        assert_eq!(res.status(), 201, "create official {code}");
        res.json().await.expect("official json")
    }

    /// Posts a CSV body to the import route.
    pub async fn import_csv(
        &self,
        token: &str,
        body: impl Into<reqwest::Body>,
    ) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/officials/import"))
            .bearer_auth(token)
            .header("content-type", "text/csv; charset=utf-8")
            .body(body)
            .send()
            .await
            .expect("request")
    }

    /// All items of a list, following cursors.
    pub async fn list_all(&self, token: &str, path: &str) -> Vec<Value> {
        self.list_pages(token, path, 500).await
    }

    /// Every item of a list, following its cursors `limit` rows at a time
    /// (each page checked to hold at most `limit`).
    pub async fn list_pages(&self, token: &str, path: &str, limit: usize) -> Vec<Value> {
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let sep = if path.contains('?') { '&' } else { '?' };
            let url = match &cursor {
                Some(c) => format!("{path}{sep}limit={limit}&cursor={c}"),
                None => format!("{path}{sep}limit={limit}"),
            };
            let page: Value = self.get_as(token, &url).await.json().await.expect("page");
            let got = page["items"].as_array().cloned().unwrap_or_default();
            assert!(
                got.len() <= limit,
                "a page of {} for limit {limit}",
                got.len()
            );
            items.extend(got);
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_string()),
                None => return items,
            }
        }
    }
}
