//! The real binary: first start, later starts, configuration errors,
//! connection errors, graceful shutdown.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::helpers::{test_settings, TestDb};

pub(crate) fn binary(db_url: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_secondments"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("SECONDMENTS_ENV", "test")
        .env(
            "SECONDMENTS_CONFIG_DIR",
            Path::new(env!("CARGO_MANIFEST_DIR")).join("config"),
        )
        .env("SECONDMENTS__DATABASE__URL", db_url)
        .env("SECONDMENTS__SERVER__PORT", "0")
        .stdin(Stdio::null());
    cmd
}

/// A `serve` process and the lines it printed until it was listening.
pub(crate) struct Served {
    child: Child,
    pub(crate) port: u16,
    stdout: Vec<String>,
}

pub(crate) fn serve(db_url: &str) -> Served {
    let mut child = binary(db_url)
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn binary");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    let mut port = 0;
    while port == 0 {
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the service prints its port");
        // The banner names the address actually bound, port 0 resolved.
        if let Some(url) = line.strip_prefix("secondments is listening on http://") {
            let p = url.rsplit(':').next().expect("port");
            port = p.trim().parse().expect("port number");
            assert_ne!(port, 0, "{line}");
        }
        lines.push(line);
    }
    // The banner lines after the port come right away.
    while let Ok(line) = rx.recv_timeout(Duration::from_millis(300)) {
        lines.push(line);
    }
    Served {
        child,
        port,
        stdout: lines,
    }
}

impl Served {
    pub(crate) fn stop(mut self) -> std::process::ExitStatus {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        for _ in 0..100 {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        panic!("the service did not stop within 10 s of SIGTERM");
    }
}

fn password_line(lines: &[String]) -> Option<String> {
    lines.iter().find_map(|l| {
        l.trim()
            .strip_prefix("one-time password: ")
            .map(str::to_string)
    })
}

async fn login_status(port: u16, email: &str, password: &str) -> u16 {
    reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": email, "password": password}))
        .send()
        .await
        .expect("login request")
        .status()
        .as_u16()
}

#[actix_web::test]
async fn first_start_prints_an_admin_password_once_and_later_starts_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDb::create(dir.path());

    let first = serve(&db.url());
    let password = password_line(&first.stdout).expect("password printed on first start");
    assert!(first.stdout.iter().any(|l| l.contains("/docs/")));
    assert_eq!(
        login_status(first.port, "admin@secondments.local", &password).await,
        200
    );
    let status = first.stop();
    assert!(status.success(), "graceful stop on SIGTERM: {status:?}");

    let second = serve(&db.url());
    assert_eq!(password_line(&second.stdout), None, "{:?}", second.stdout);
    assert!(!second.stdout.iter().any(|l| l.contains("administrator")));
    assert_eq!(
        login_status(second.port, "admin@secondments.local", &password).await,
        200
    );
    assert!(second.stop().success());
}

#[actix_web::test]
async fn create_admin_then_serve_is_a_valid_start() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDb::create(dir.path());
    let out = binary(&db.url())
        .args(["create-admin", "--email", "Chief@Ministry.gov.vn"])
        .env("SECONDMENTS_ADMIN_PASSWORD", "a long enough password")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let served = serve(&db.url());
    assert_eq!(password_line(&served.stdout), None, "no second admin");
    assert_eq!(
        login_status(
            served.port,
            "chief@ministry.gov.vn",
            "a long enough password"
        )
        .await,
        200
    );
    assert!(served.stop().success());
}

#[test]
fn create_admin_refuses_a_short_password() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDb::create(dir.path());
    let out = binary(&db.url())
        .args(["create-admin", "--email", "x@y.vn", "--password", "short"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 12 characters"));
}

#[test]
fn migrate_works_on_an_empty_database_and_is_repeatable() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDb::create(dir.path());
    for _ in 0..2 {
        let out = binary(&db.url()).arg("migrate").output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

#[test]
fn an_unknown_configuration_key_is_named_at_start() {
    let out = binary("sqlite://unused.db")
        .arg("migrate")
        .env("SECONDMENTS__SERVER__PROT", "80")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("prot"), "{}", stderr_of(&out));
}

#[test]
fn an_unknown_key_in_a_config_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("test.toml"), "[database]\npoolsize = 3\n").unwrap();
    let err = secondments::config::Settings::load_from(
        secondments::config::Environment::Test,
        dir.path(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("poolsize"), "{err}");
}

#[test]
fn the_real_connection_error_reaches_the_log() {
    let out = binary("postgres://postgres@127.0.0.1:1/nothing")
        .arg("migrate")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr_of(&out);
    assert!(err.contains("127.0.0.1"), "{err}");
    assert!(err.to_lowercase().contains("connection refused"), "{err}");
}

#[test]
fn production_refuses_the_default_jwt_secret() {
    let out = binary("sqlite://unused.db")
        .arg("migrate")
        .env("SECONDMENTS_ENV", "production")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("auth.jwt_secret"),
        "{}",
        stderr_of(&out)
    );

    let out = binary("sqlite://unused.db")
        .arg("migrate")
        .env("SECONDMENTS_ENV", "production")
        .env("SECONDMENTS__AUTH__JWT_SECRET", "too-short")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn production_refuses_to_send_reminders_to_files_or_memory() {
    let secret = "a-production-secret-of-at-least-32-bytes-0123456789";
    for transport in ["file", "memory"] {
        let out = binary("sqlite://unused.db")
            .arg("migrate")
            .env("SECONDMENTS_ENV", "production")
            .env("SECONDMENTS__AUTH__JWT_SECRET", secret)
            .env("SECONDMENTS__MAIL__TRANSPORT", transport)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{transport}");
        assert!(
            stderr_of(&out).contains("mail.transport"),
            "{}",
            stderr_of(&out)
        );
    }
    // An explicit opt-out (a staging copy) is accepted.
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("staging.db").display());
    let out = binary(&db)
        .arg("migrate")
        .env("SECONDMENTS_ENV", "production")
        .env("SECONDMENTS__AUTH__JWT_SECRET", secret)
        .env("SECONDMENTS__MAIL__TRANSPORT", "file")
        .env("SECONDMENTS__MAIL__ALLOW_NON_SMTP_IN_PRODUCTION", "true")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
}

#[test]
fn secrets_do_not_appear_in_debug_output() {
    let mut settings = test_settings();
    settings.database.url = secondments::config::Secret::new("postgres://app:pa55word@db/app");
    let shown = format!("{settings:?}");
    assert!(!shown.contains("pa55word"), "{shown}");
    assert!(!shown.contains("test-secret-that-is-long"), "{shown}");
}

#[test]
fn the_tick_command_runs_for_a_date_and_can_dry_run() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDb::create(dir.path());
    let out = binary(&db.url())
        .args(["tick", "--date", "2025-07-01", "--dry-run"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("tick 2025-07-01 (dry run, nothing written): 0 activated"),
        "{stdout}"
    );
    let out = binary(&db.url())
        .args(["tick", "--date", "not-a-date"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "clap refuses a bad date");
}

#[test]
fn the_2027_holidays_ship_and_load_holidays_applies_the_yearly_notice() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDb::create(dir.path());
    let out = binary(&db.url()).arg("migrate").output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let of_2027 = "holidays WHERE holiday_date >= '2027-01-01' AND holiday_date <= '2027-12-31'";
    assert_eq!(db.count(of_2027), 12, "the shipped 2027 days");

    // The notice confirms one day, renames another and adds a swap day.
    let notice = dir.path().join("notice-2027.csv");
    std::fs::write(
        &notice,
        "\u{feff}date,name_vi,name_en\n\
         2027-01-01,Tết Dương lịch,New Year's Day\n\
         2027-02-05,Tết Nguyên đán (29 Tết),Lunar New Year's Eve\n\
         2027-02-11,Tết Nguyên đán (nghỉ bù),Lunar New Year (swap)\n",
    )
    .unwrap();
    let out = binary(&db.url())
        .args(["load-holidays", &notice.display().to_string()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("1 added, 1 renamed, 1 unchanged"),
        "{stdout}"
    );
    assert_eq!(db.count(of_2027), 13);
    assert_eq!(
        db.count("holidays WHERE name_vi = 'Tết Nguyên đán (29 Tết)'"),
        1
    );

    // A file with a bad row changes nothing and names the line.
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "date,name_vi,name_en\n2027-03-01,Ngày mới,New day\n2027-02-30,Sai,Wrong\n",
    )
    .unwrap();
    let out = binary(&db.url())
        .args(["load-holidays", &bad.display().to_string()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains("line 3, date"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(db.count(of_2027), 13, "nothing loaded");
}
