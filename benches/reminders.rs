//! Reminders benchmark: the daily tick over 100,000 active secondments, and
//! dispatch to a local SMTP server (aiosmtpd), on SQLite or PostgreSQL.
//!
//!   cargo bench --bench reminders
//!   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench --bench reminders
//!
//! The tick runs once to catch up on the fresh data set (every secondment
//! whose nearest reminder is due gets it), then for five following days
//! (a normal day: only reminders whose day has come); the median of those
//! five is the steady-state figure. Dispatch: 2,000 planned emails sent
//! through lettre's pooled SMTP transport to aiosmtpd on loopback.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use diesel::prelude::*;
use diesel::{Connection, PgConnection};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use secondments::app::official_import;
use secondments::config::{Environment, Secret, Settings, SmtpSecurity, TransportKind};
use secondments::domain::official_csv;
use secondments::mail::dispatcher::dispatch_once;
use secondments::mail::templates::Templates;
use secondments::mail::transport::Mailer;
use secondments::scheduler::{daily_tick, TickRun};
use secondments::store::audit::Actor;
use secondments::store::org_units::{self, NewOrgUnit};
use secondments::store::outbox::{plan, NewEmail};
use secondments::store::schema::secondments as s;
use secondments::store::secondment_flow::TickSummary;
use secondments::store::users::{self, NewUser};
use secondments::store::{new_id, now_utc, Access, Database, DbConnection};

const SECONDMENTS: usize = 100_000;

fn settings(url: &str) -> Settings {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    let mut s = Settings::load_from(Environment::Test, &dir).expect("settings");
    s.database.url = Secret::new(url);
    s
}

fn unit(conn: &mut DbConnection, code: &str, kind: &str, parent: Option<String>) -> String {
    org_units::insert(
        conn,
        &Actor::system(),
        &NewOrgUnit {
            code: code.into(),
            name: format!("Đơn vị {code}"),
            name_en: None,
            kind: kind.into(),
            parent_id: parent,
            valid_from: NaiveDate::from_ymd_opt(2000, 1, 1).expect("date"),
        },
    )
    .expect("unit")
    .id
}

fn staff(conn: &mut DbConnection, email: &str, role: &str, unit: &str) {
    users::insert(
        conn,
        &Actor::system(),
        &NewUser {
            email: email.into(),
            email_normalized: email.into(),
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"
                .into(),
            role: role.into(),
            org_unit_id: Some(unit.into()),
            official_id: None,
            language: "vi".into(),
            full_name: None,
            must_change_password: false,
        },
    )
    .expect("user");
}

/// 100,000 officials and one active secondment each, ending over the next
/// three years.
fn seed(db: &Database, today: NaiveDate) {
    db.blocking(Access::Write, |conn| {
        seed_on(conn, today);
        Ok(())
    })
    .expect("seed");
}

fn seed_on(conn: &mut DbConnection, today: NaiveDate) {
    let ministry = unit(conn, "BNV", "ministry", None);
    let home = unit(
        conn,
        "BNV-CDS",
        "ministry_department",
        Some(ministry.clone()),
    );
    let province = unit(conn, "P19", "province", None);
    let host = unit(conn, "P19-SKHCN", "provincial_department", Some(province));
    staff(conn, "hr@bnv.gov.vn", "hr_officer", &ministry);
    staff(conn, "director@bnv.gov.vn", "director", &home);
    staff(conn, "director@p19.gov.vn", "director", &host);
    let mut csv = String::from(
        "staff_code,full_name,email,home_unit_code,position,rank,date_of_birth,language\n",
    );
    for i in 0..SECONDMENTS {
        csv.push_str(&format!(
            "CB{i:06},Nguyễn Văn {i},cb{i}@bnv.gov.vn,BNV-CDS,,,,vi\n"
        ));
    }
    let records = official_csv::parse(csv.as_bytes()).expect("csv");
    official_import::import_as_system(conn, &records, &mut |_| {}).expect("officials");
    let official_ids: Vec<String> = secondments::store::schema::officials::table
        .select(secondments::store::schema::officials::id)
        .load(conn)
        .expect("ids");
    let mut rng = StdRng::seed_from_u64(7);
    let now = now_utc();
    let rows: Vec<_> = official_ids
        .iter()
        .map(|official| {
            let start = today - Days::new(rng.gen_range(1..300));
            let end = today + Days::new(rng.gen_range(0..1000));
            (
                s::id.eq(new_id()),
                s::kind.eq("secondment"),
                s::official_id.eq(official.clone()),
                s::home_unit_id.eq(home.clone()),
                s::host_unit_id.eq(host.clone()),
                s::direction.eq("central_to_local"),
                s::ground.eq("fixed_term_task"),
                s::position_title.eq("Chuyên viên"),
                s::mandate.eq(""),
                s::start_date.eq(start),
                s::end_date.eq(end),
                s::original_end_date.eq(end),
                s::status.eq("active"),
                (
                    s::version.eq(1),
                    s::created_at.eq(now),
                    s::updated_at.eq(now),
                ),
            )
        })
        .collect();
    for chunk in rows.chunks(1000) {
        match &mut *conn {
            DbConnection::Pg(c) => diesel::insert_into(s::table).values(chunk).execute(c),
            DbConnection::Sqlite(c) => diesel::insert_into(s::table).values(chunk).execute(c),
        }
        .expect("secondments");
    }
}

fn ran(run: TickRun) -> TickSummary {
    match run {
        TickRun::Ran(summary) => summary,
        TickRun::Skipped => panic!("tick skipped: a lease is held"),
    }
}

fn fresh_url(pg_admin: Option<&str>, dir: &std::path::Path, name: &str) -> String {
    match pg_admin {
        None => format!("sqlite://{}/{name}.db", dir.display()),
        Some(admin) => {
            let mut c = PgConnection::establish(admin).expect("postgres");
            diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut c)
                .expect("drop");
            diesel::sql_query(format!("CREATE DATABASE {name}"))
                .execute(&mut c)
                .expect("create");
            format!(
                "{}/{name}",
                admin.rsplit_once('/').map_or(admin, |(b, _)| b)
            )
        }
    }
}

fn main() {
    let pg_admin = std::env::var("BENCH_PG_URL").ok().filter(|s| !s.is_empty());
    let backend = if pg_admin.is_some() {
        "postgresql"
    } else {
        "sqlite"
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let today = NaiveDate::from_ymd_opt(2026, 1, 5).expect("date");

    if std::env::var_os("BENCH_ONLY_DISPATCH").is_none() {
        tick_bench(backend, pg_admin.as_deref(), dir.path(), today);
    }
    dispatch_bench(backend, pg_admin.as_deref(), dir.path());
    if let Some(admin) = pg_admin.as_deref() {
        let mut c = PgConnection::establish(admin).expect("postgres");
        for name in ["secondments_bench_reminders", "secondments_bench_dispatch"] {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut c);
        }
    }
}

fn tick_bench(backend: &str, pg_admin: Option<&str>, dir: &std::path::Path, today: NaiveDate) {
    let url = fresh_url(pg_admin, dir, "secondments_bench_reminders");
    let cfg = settings(&url);
    let db = Database::connect_and_migrate(&cfg.database).expect("db");
    let t = Instant::now();
    seed(&db, today);
    println!(
        "{backend}: seeded {SECONDMENTS} active secondments in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let templates = Templates::new().expect("templates");
    let t = Instant::now();
    let first = ran(daily_tick(&db, &cfg, &templates, today, false).expect("tick"));
    println!(
        "{backend}: catch-up tick on fresh data: {:.2} s, {} reminders planned",
        t.elapsed().as_secs_f64(),
        first.reminders_planned
    );
    let mut days = Vec::new();
    for d in 1..=5u64 {
        let t = Instant::now();
        let r = ran(daily_tick(&db, &cfg, &templates, today + Days::new(d), false).expect("tick"));
        days.push((t.elapsed(), r.reminders_planned, r.completed));
    }
    let mut times: Vec<Duration> = days.iter().map(|d| d.0).collect();
    times.sort();
    println!(
        "{backend}: daily tick over {SECONDMENTS} active secondments: median {:.2} s over 5 days (runs {:?}; reminders planned {:?}; completed {:?})",
        times[2].as_secs_f64(),
        days.iter().map(|d| format!("{:.2}", d.0.as_secs_f64())).collect::<Vec<_>>(),
        days.iter().map(|d| d.1).collect::<Vec<_>>(),
        days.iter().map(|d| d.2).collect::<Vec<_>>(),
    );
}

fn dispatch_bench(backend: &str, pg_admin: Option<&str>, dir: &std::path::Path) {
    let sink_dir = dir.join("sink");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port");
    let mut sink = Command::new("python3")
        .arg(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp_sink.py"))
        .arg(port.to_string())
        .arg(&sink_dir)
        .stdout(Stdio::piped())
        .spawn()
        .expect("aiosmtpd (pip install aiosmtpd)");
    let mut line = String::new();
    BufReader::new(sink.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("ready");
    let url = fresh_url(pg_admin, dir, "secondments_bench_dispatch");
    let mut cfg = settings(&url);
    cfg.mail.transport = TransportKind::Smtp;
    cfg.mail.smtp.host = "127.0.0.1".into();
    cfg.mail.smtp.port = port;
    cfg.mail.smtp.security = SmtpSecurity::None;
    cfg.mail.batch_size = 200;
    let cfg = Arc::new(cfg);
    let db = Database::connect_and_migrate(&cfg.database).expect("db");
    db.blocking(Access::Write, |conn| {
        for i in 0..2000 {
            plan(
                conn,
                &NewEmail {
                    message_id: format!("{i}@bench"),
                    idempotency_key: format!("bench:{i}"),
                    kind: "bench",
                    secondment_id: None,
                    reference_date: None,
                    recipient_email: format!("r{i}@example.gov.vn"),
                    recipient_name: Some("Nguyễn Văn A".into()),
                    language: "vi".into(),
                    subject: "Còn 30 ngày: kết thúc biệt phái".into(),
                    text_body: "Nội dung nhắc việc ".repeat(20),
                    html_body: "<p>Nội dung nhắc việc</p>".repeat(20),
                },
            )?;
        }
        Ok(())
    })
    .expect("plan");
    let mailer = Mailer::from_settings(&cfg.mail).expect("mailer");
    let t = Instant::now();
    let mut sent = 0;
    loop {
        let r = dispatch_once(&db, &mailer, &cfg.mail).expect("dispatch");
        sent += r.sent;
        if r.sent + r.failed + r.dead == 0 {
            break;
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{backend}: dispatched {sent} emails over SMTP in {secs:.2} s: {:.0} emails/s",
        sent as f64 / secs
    );
    let _ = sink.kill();
    let _ = sink.wait();
}
