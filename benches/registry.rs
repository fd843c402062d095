//! Registry benchmark: import of 100,000 officials and search latency at
//! that size, on SQLite and (when BENCH_PG_URL is set) PostgreSQL.
//!
//!   cargo bench --bench registry
//!   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench --bench registry
//!
//! Import: the CSV is parsed and imported through the same functions as
//! `POST /officials/import` and `import-officials`, into a fresh database,
//! three times; the median is printed. Search: 2,000 sequential
//! `GET /api/v1/officials?q=...` over loopback against the in-process
//! service, with words drawn from the generated names, codes and emails;
//! p50, p90 and p99 of the client-side latency are printed.

use std::time::{Duration, Instant};

use diesel::{Connection, PgConnection, RunQueryDsl};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use secondments::app::official_import;
use secondments::config::{Environment, Secret, Settings};
use secondments::domain::official_csv;
use secondments::startup::Application;
use secondments::store::audit::Actor;
use secondments::store::org_units::{self, NewOrgUnit};
use secondments::store::{Access, Database};

const OFFICIALS: usize = 100_000;
const SEARCHES: usize = 2_000;

const SURNAMES: [(&str, u32); 12] = [
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9),
    ("Phạm", 7),
    ("Hoàng", 5),
    ("Phan", 5),
    ("Vũ", 4),
    ("Đặng", 3),
    ("Bùi", 3),
    ("Đỗ", 3),
    ("Hồ", 2),
    ("Ngô", 2),
];
const MIDDLE: [&str; 8] = ["Văn", "Thị", "Quang", "Minh", "Hữu", "Đức", "Thanh", "Ngọc"];
const GIVEN: [&str; 20] = [
    "An", "Bình", "Cường", "Dũng", "Hiếu", "Hòa", "Lâm", "Long", "Mai", "Nam", "Phương", "Quân",
    "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Khoa", "Linh",
];

fn surname(rng: &mut StdRng) -> &'static str {
    let total: u32 = SURNAMES.iter().map(|(_, w)| w).sum();
    let mut pick = rng.gen_range(0..total);
    for (name, weight) in SURNAMES {
        if pick < weight {
            return name;
        }
        pick -= weight;
    }
    SURNAMES[0].0
}

fn csv(rng: &mut StdRng) -> String {
    let mut out = String::from(
        "staff_code,full_name,email,home_unit_code,position,rank,date_of_birth,language\n",
    );
    for i in 0..OFFICIALS {
        let name = format!(
            "{} {} {}",
            surname(rng),
            MIDDLE[rng.gen_range(0..MIDDLE.len())],
            GIVEN[rng.gen_range(0..GIVEN.len())]
        );
        out.push_str(&format!(
            "CB{i:06},{name},cb{i}@bnv.gov.vn,BNV,Chuyên viên,A1,19{:02}-01-15,vi\n",
            60 + i % 40
        ));
    }
    out
}

fn settings(url: &str) -> Settings {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    let mut s = Settings::load_from(Environment::Test, &dir).expect("settings");
    s.database.url = Secret::new(url);
    s.database.pool_size = 8;
    s.server.workers = 2;
    s
}

/// A fresh database URL for one run.
fn fresh_db(pg_admin: Option<&str>, dir: &std::path::Path, run: usize) -> String {
    match pg_admin {
        None => format!("sqlite://{}/bench-{run}.db", dir.display()),
        Some(admin) => {
            let name = format!("secondments_bench_registry_{run}");
            let mut c = PgConnection::establish(admin).expect("postgres");
            diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut c)
                .expect("drop");
            diesel::sql_query(format!("CREATE DATABASE {name}"))
                .execute(&mut c)
                .expect("create");
            let base = admin.rsplit_once('/').map_or(admin, |(b, _)| b);
            format!("{base}/{name}")
        }
    }
}

fn import_once(url: &str, file: &[u8]) -> Duration {
    let db = Database::connect_and_migrate(&settings(url).database).expect("db");
    db.blocking(Access::Write, |conn| {
        Ok(org_units::insert(
            conn,
            &Actor::system(),
            &NewOrgUnit {
                code: "BNV".into(),
                name: "Bộ Nội vụ".into(),
                name_en: Some("Ministry of Home Affairs".into()),
                kind: "ministry".into(),
                parent_id: None,
                valid_from: chrono::NaiveDate::from_ymd_opt(2000, 1, 1).expect("date"),
            },
        ))
    })
    .expect("store")
    .expect("unit");
    let started = Instant::now();
    let records = official_csv::parse(file).expect("valid csv");
    let summary = db
        .blocking_of(Access::Write, |conn| {
            official_import::import_as_system(conn, &records, &mut |_| {})
        })
        .expect("import");
    let elapsed = started.elapsed();
    assert_eq!(summary.created, OFFICIALS);
    elapsed
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

fn search(url: &str, queries: &[(usize, String)]) -> Vec<(usize, Duration)> {
    actix_web::rt::System::new().block_on(async {
        std::env::set_var("SECONDMENTS_ADMIN_PASSWORD", "bench password 12345");
        let mut s = settings(url);
        s.server.port = 0;
        let app = Application::build(s).await.expect("app");
        let base = format!("http://127.0.0.1:{}", app.port());
        actix_web::rt::spawn(app.into_server());
        let client = reqwest::Client::new();
        let login: serde_json::Value = client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&serde_json::json!({"email": "admin@secondments.local", "password": "bench password 12345"}))
            .send()
            .await
            .expect("login")
            .json()
            .await
            .expect("tokens");
        let token = login["access_token"].as_str().expect("token").to_string();
        let mut times = Vec::with_capacity(queries.len());
        for (i, (kind, q)) in queries.iter().enumerate() {
            let started = Instant::now();
            let res = client
                .get(format!("{base}/api/v1/officials"))
                .query(&[("q", q.as_str())])
                .bearer_auth(&token)
                .send()
                .await
                .expect("search");
            assert_eq!(res.status(), 200);
            let _ = res.bytes().await;
            if i >= 50 {
                // The first requests warm the pool and caches.
                times.push((*kind, started.elapsed()));
            }
        }
        times
    })
}

fn main() {
    let pg_admin = std::env::var("BENCH_PG_URL").ok().filter(|s| !s.is_empty());
    let backend = if pg_admin.is_some() {
        "postgresql"
    } else {
        "sqlite"
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let mut rng = StdRng::seed_from_u64(2025);
    let file = csv(&mut rng);
    println!(
        "{backend}: {OFFICIALS} officials, CSV of {:.1} MiB",
        file.len() as f64 / 1024.0 / 1024.0
    );

    let mut imports: Vec<Duration> = (0..3)
        .map(|run| {
            import_once(
                &fresh_db(pg_admin.as_deref(), dir.path(), run),
                file.as_bytes(),
            )
        })
        .collect();
    println!(
        "{backend}: import runs {:?}",
        imports
            .iter()
            .map(|d| format!("{:.2}s", d.as_secs_f64()))
            .collect::<Vec<_>>()
    );
    imports.sort();
    println!(
        "{backend}: import of {OFFICIALS} officials: median {:.2} s",
        imports[1].as_secs_f64()
    );

    let mut queries = Vec::with_capacity(SEARCHES);
    for i in 0..SEARCHES {
        let q = match i % 5 {
            0 => surname(&mut rng).to_lowercase(),
            1 => GIVEN[rng.gen_range(0..GIVEN.len())].to_string(),
            2 => format!(
                "{} {}",
                surname(&mut rng),
                GIVEN[rng.gen_range(0..GIVEN.len())]
            ),
            3 => format!("CB{:04}", rng.gen_range(0..1000)),
            _ => format!("cb{}@bnv", rng.gen_range(0..OFFICIALS)),
        };
        queries.push((i % 5, q));
    }
    let url = fresh_db_url_of_last(pg_admin.as_deref(), dir.path());
    report(backend, "right after the import", &search(&url, &queries));
    if pg_admin.is_some() {
        // What autovacuum does within a minute of a large insert: set the
        // visibility map, so index-only scans skip the table.
        let mut c = PgConnection::establish(&url).expect("postgres");
        for table in ["officials", "official_search_terms"] {
            diesel::sql_query(format!("VACUUM ANALYZE {table}"))
                .execute(&mut c)
                .expect("vacuum");
        }
        report(backend, "after VACUUM ANALYZE", &search(&url, &queries));
    }
    if let Some(admin) = pg_admin
        .as_deref()
        .filter(|_| std::env::var_os("BENCH_KEEP").is_none())
    {
        let mut c = PgConnection::establish(admin).expect("postgres");
        for run in 0..3 {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS secondments_bench_registry_{run} WITH (FORCE)"
            ))
            .execute(&mut c);
        }
    }
}

/// The database of the last import run (it holds the 100,000 officials).
fn fresh_db_url_of_last(pg_admin: Option<&str>, dir: &std::path::Path) -> String {
    match pg_admin {
        None => format!("sqlite://{}/bench-2.db", dir.display()),
        Some(admin) => {
            let base = admin.rsplit_once('/').map_or(admin, |(b, _)| b);
            format!("{base}/secondments_bench_registry_2")
        }
    }
}

fn report(backend: &str, when: &str, timed: &[(usize, Duration)]) {
    println!("{backend}: search {when}:");
    let labels = [
        "surname",
        "given name",
        "surname + given name",
        "staff code prefix",
        "email prefix",
    ];
    for (kind, label) in labels.iter().enumerate() {
        let mut t: Vec<Duration> = timed
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, d)| *d)
            .collect();
        t.sort();
        println!(
            "{backend}:   {label:<22} p50 {:.2} ms, p99 {:.2} ms",
            percentile(&t, 0.50).as_secs_f64() * 1000.0,
            percentile(&t, 0.99).as_secs_f64() * 1000.0
        );
    }
    let mut times: Vec<Duration> = timed.iter().map(|(_, d)| *d).collect();
    times.sort();
    println!(
        "{backend}:   all at {OFFICIALS} officials over {} requests: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms",
        times.len(),
        percentile(&times, 0.50).as_secs_f64() * 1000.0,
        percentile(&times, 0.90).as_secs_f64() * 1000.0,
        percentile(&times, 0.99).as_secs_f64() * 1000.0,
    );
}
