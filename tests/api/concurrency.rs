//! Many people and several processes at once, configured as production
//! runs: several workers, the daily-tick and dispatcher loops on, mail over
//! real SMTP. On both backends unless a test says otherwise.

use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures_util::future::join_all;
use secondments::config::{Settings, SmtpSecurity, TransportKind};
use serde_json::{json, Value};

use crate::email::{emails, reminders, SmtpSink};
use crate::helpers::{assert_problem, csv_rows, spawn_app_with, TestDb};
use crate::lifecycle::{world_with, World};

/// Production's shape: several workers, the scheduler loops on (dispatch
/// every second), a pool of the default size, mail to a real SMTP server.
fn as_production(s: &mut Settings, smtp_port: Option<u16>) {
    s.server.workers = 4;
    s.database.pool_size = 8;
    s.database.connect_timeout_secs = 5;
    s.scheduler.enabled = true;
    s.scheduler.dispatch_interval_secs = 1;
    if let Some(port) = smtp_port {
        s.mail.transport = TransportKind::Smtp;
        s.mail.smtp.host = "127.0.0.1".into();
        s.mail.smtp.port = port;
        s.mail.smtp.security = SmtpSecurity::None;
        s.mail.smtp.timeout_secs = 10;
        s.mail.send_concurrency = 2;
        s.mail.max_attempts = 3;
    }
}

fn id_of(v: &Value) -> String {
    v["id"].as_str().expect("id").to_string()
}

/// `n` more officials of the home unit.
async fn officials(w: &World, prefix: &str, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    for i in 0..n {
        let o = w
            .app
            .create_official(
                &w.admin,
                &w.home,
                &format!("{prefix}-{i:03}"),
                &format!("Cán bộ {prefix} {i}"),
            )
            .await;
        out.push(id_of(&o));
    }
    out
}

fn draft_for(w: &World, official: &str, start: &str, end: &str) -> Value {
    let mut body = w.draft_body(start, end);
    body["official_id"] = json!(official);
    body
}

/// Create, submit, approve on both sides: the statuses of the four answers
/// and the secondment's id when it was created.
async fn propose_and_decide(
    w: &World,
    official: &str,
    start: &str,
    end: &str,
) -> (Vec<u16>, Option<String>) {
    let res = w.create(&draft_for(w, official, start, end)).await;
    let mut statuses = vec![res.status().as_u16()];
    if res.status() != 201 {
        return (statuses, None);
    }
    let id = id_of(&res.json::<Value>().await.expect("json"));
    statuses.push(
        w.act(&w.hr.token, &id, "submit", json!({}))
            .await
            .status()
            .as_u16(),
    );
    for d in [&w.home_director, &w.host_director] {
        statuses.push(
            w.act(&d.token, &id, "approve", json!({}))
                .await
                .status()
                .as_u16(),
        );
    }
    (statuses, Some(id))
}

/// An approved posting for `official` (setup: every step must succeed).
async fn approved_for(w: &World, official: &str, start: &str, end: &str) -> String {
    let (statuses, id) = propose_and_decide(w, official, start, end).await;
    assert_eq!(statuses, [201, 200, 200, 200], "setup of a posting");
    id.expect("created")
}

/// The sends the slow relay is answering now: their start times (Unix s).
fn sends_in_flight(dir: &Path) -> Vec<f64> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.path().extension().and_then(|x| x.to_str()) == Some("inflight"))
                .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                .filter_map(|t| t.trim().parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// Reads issued while a 2-second send has just begun: how long each took
/// and how long before the end of that send it answered (seconds).
async fn read_during_sends(w: &World, dir: &Path, id: &str, wanted: usize) -> Vec<(f64, f64)> {
    let mut probes = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while probes.len() < wanted && Instant::now() < deadline {
        let fresh = sends_in_flight(dir)
            .into_iter()
            .filter(|t| unix_now() - t < 0.3)
            .fold(None, |a: Option<f64>, t| Some(a.map_or(t, |a| a.max(t))));
        let Some(began) = fresh else {
            actix_web::rt::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        let asked = Instant::now();
        let res = w.get(&w.hr.token, id).await;
        assert_eq!(res.status(), 200, "a read while mail is sent");
        let took = asked.elapsed().as_secs_f64();
        probes.push((took, began + 2.0 - unix_now()));
        // The next probe waits for another send.
        actix_web::rt::time::sleep(Duration::from_millis(300)).await;
    }
    probes
}

async fn wait_until_all_sent(db: &TestDb, within: Duration) {
    let deadline = Instant::now() + within;
    loop {
        let unsent = db.count("emails WHERE status <> 'sent'");
        if unsent == 0 && db.count("emails") > 0 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{unsent} emails still unsent after {within:?}"
        );
        actix_web::rt::time::sleep(Duration::from_millis(250)).await;
    }
}

/// 32 people creating, submitting and deciding at once while the
/// dispatcher sends through a relay that takes 2 s a message: no 5xx, a
/// read never waits for mail, and every acknowledged write is stored.
#[actix_web::test]
async fn thirty_two_clients_while_a_slow_relay_takes_two_seconds_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let Some(sink) = SmtpSink::start_slow(dir.path(), 2.0) else {
        return;
    };
    let app = spawn_app_with(|s| as_production(s, Some(sink.port))).await;
    let w = world_with(app).await;

    // Mail to send: eight postings ending a week after the tick's day.
    let senders = officials(&w, "MAIL", 8).await;
    let mut first = None;
    for o in &senders {
        first.get_or_insert(approved_for(&w, o, "2026-01-05", "2026-03-31").await);
    }
    let probe_target = first.expect("a secondment");
    let clients = officials(&w, "LOAD", 32).await;

    // The tick plans the reminders; POST /admin/tick and the dispatcher
    // loop send them while the clients work. The clients' postings start
    // after the tick's day, so they stay `approved` however the two race.
    let tick_body = json!({"date": "2026-03-24"});
    let tick = w.app.post_as(&w.admin, "/api/v1/admin/tick", &tick_body);
    let load = join_all(
        clients
            .iter()
            .map(|o| propose_and_decide(&w, o, "2026-04-01", "2026-09-30")),
    );
    let probes = read_during_sends(&w, &sink.dir, &probe_target, 3);
    let (tick, results, probes) = futures_util::join!(tick, load, probes);
    let tick_status = tick.status().as_u16();
    assert!(
        tick_status == 200 || tick_status == 409,
        "tick: {tick_status}"
    );

    let all: Vec<u16> = results.iter().flat_map(|(s, _)| s.clone()).collect();
    assert_eq!(all.len(), 32 * 4, "every request answered");
    assert!(
        all.iter().all(|s| (200..300).contains(s)),
        "every answer a success (no 5xx, no lost race): {all:?}"
    );
    assert_eq!(
        probes.len(),
        3,
        "reads were issued while sends were in flight"
    );
    for (took, margin) in &probes {
        eprintln!("read during a send: {took:.3} s, answered {margin:.3} s before the send ended");
        assert!(
            *margin > 0.0,
            "a read took {took:.2} s and answered after the 2 s send it overlapped"
        );
    }

    // Every acknowledged write is in the database.
    let created: Vec<String> = results.into_iter().filter_map(|(_, id)| id).collect();
    assert_eq!(created.len(), 32);
    let list = created
        .iter()
        .map(|id| format!("'{id}'"))
        .collect::<Vec<_>>()
        .join(",");
    let db = &w.app.db;
    assert_eq!(
        db.count(&format!(
            "secondments WHERE status = 'approved' AND id IN ({list})"
        )),
        32
    );
    assert_eq!(
        db.count(&format!(
            "approvals WHERE request_kind = 'proposal' AND decision = 'approved' AND secondment_id IN ({list})"
        )),
        64
    );

    // And the mail went out once each, slowly but completely.
    wait_until_all_sent(db, Duration::from_secs(90)).await;
    let outbox = emails(&w.app, &w.admin, "").await;
    let delivered = sink.messages();
    assert_eq!(delivered.len(), outbox.len(), "one delivery per email");
    assert!(
        reminders(&outbox, "end_reminder").len() >= 8,
        "each posting reminded"
    );
}

/// SQLite's second process: the `tick` and `import-officials` commands
/// writing while the server serves writes. No 5xx, no failed command, no
/// lost write.
#[actix_web::test]
async fn commands_in_other_processes_write_while_the_server_writes() {
    let app = spawn_app_with(|s| as_production(s, None)).await;
    let w = world_with(app).await;
    let clients = officials(&w, "PROC", 16).await;
    let url = w.app.db.url();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("officials.csv");
    std::fs::write(&csv, csv_rows(300, "BTTTT-CDS", "IMP")).unwrap();
    let before = w.app.db.count("officials");

    let commands: Vec<_> = [
        vec!["import-officials".to_string(), csv.display().to_string()],
        // The ticks run for a day before the postings start, so the
        // postings stay `approved` whenever the ticks land.
        vec!["tick".into(), "--date".into(), "2026-02-01".into()],
        vec!["tick".into(), "--date".into(), "2026-02-01".into()],
    ]
    .into_iter()
    .map(|args| {
        let url = url.clone();
        std::thread::spawn(move || {
            crate::binary::binary(&url)
                .args(&args)
                .output()
                .expect("run the command")
        })
    })
    .collect();
    let results = join_all(
        clients
            .iter()
            .map(|o| propose_and_decide(&w, o, "2026-03-01", "2026-08-31")),
    )
    .await;
    for handle in commands {
        let out = handle.join().unwrap();
        assert!(
            out.status.success(),
            "a command failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let all: Vec<u16> = results.iter().flat_map(|(s, _)| s.clone()).collect();
    assert!(all.iter().all(|s| (200..300).contains(s)), "{all:?}");
    let created: Vec<String> = results.into_iter().filter_map(|(_, id)| id).collect();
    assert_eq!(created.len(), 16);
    for id in &created {
        assert_eq!(w.status(id).await, "approved");
    }
    assert_eq!(w.app.db.count("officials"), before + 300);
}

/// Two directors approving one extension at the same moment, 50 times:
/// always approved, both decisions recorded, the end date moved.
#[actix_web::test]
async fn two_directors_approving_one_extension_at_once_always_approve_it() {
    let app = spawn_app_with(|s| as_production(s, None)).await;
    let w = world_with(app).await;
    let id = w.approved("2026-01-01", "2026-06-30").await;
    let mut end: chrono::NaiveDate = "2026-06-30".parse().unwrap();
    for round in 0..50 {
        end = end.succ_opt().unwrap();
        let res = w
            .app
            .post_as(
                &w.cadre.token,
                &format!("/api/v1/secondments/{id}/extensions"),
                &json!({"requested_end_date": end, "reason": format!("vòng {round}")}),
            )
            .await;
        assert_eq!(res.status(), 201, "round {round}");
        let ext = id_of(&res.json::<Value>().await.unwrap());
        let path = format!("/api/v1/extensions/{ext}/approve");
        let empty = json!({});
        let (a, b) = futures_util::join!(
            w.app.post_as(&w.home_director.token, &path, &empty),
            w.app.post_as(&w.host_director.token, &path, &empty),
        );
        assert_eq!(
            (a.status().as_u16(), b.status().as_u16()),
            (200, 200),
            "round {round}"
        );
        let s: Value = w.get(&w.admin, &id).await.json().await.unwrap();
        assert_eq!(
            s["end_date"],
            end.to_string(),
            "round {round}: end date moved"
        );
        let decided = w.app.db.count(&format!(
            "approvals WHERE request_kind = 'extension' AND request_id = '{ext}'"
        ));
        assert_eq!(decided, 2, "round {round}: both decisions recorded");
        let approved = w.app.db.count(&format!(
            "extensions WHERE id = '{ext}' AND status = 'approved'"
        ));
        assert_eq!(approved, 1, "round {round}: the extension is approved");
    }
}

/// An extension whose new end would run into a posting created since the
/// request is refused when it would take effect: 409, nothing moves.
#[actix_web::test]
async fn approving_an_extension_that_would_overlap_the_next_posting_is_409() {
    let app = spawn_app_with(|_| {}).await;
    let w = world_with(app).await;
    let first = w.approved("2027-01-01", "2027-06-30").await;
    let res = w
        .app
        .post_as(
            &w.cadre.token,
            &format!("/api/v1/secondments/{first}/extensions"),
            &json!({"requested_end_date": "2027-09-30", "reason": "dự án kéo dài"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let ext = id_of(&res.json::<Value>().await.unwrap());
    // HR plans the next posting from August, before the extension is decided.
    w.create_ok("2027-08-01", "2027-12-31").await;
    let path = format!("/api/v1/extensions/{ext}/approve");
    let res = w
        .app
        .post_as(&w.home_director.token, &path, &json!({}))
        .await;
    assert_eq!(res.status(), 200, "one side: waiting");
    let res = w
        .app
        .post_as(&w.host_director.token, &path, &json!({}))
        .await;
    let p = assert_problem(res, 409, "conflict").await;
    assert!(p["detail"].as_str().unwrap().contains("overlaps"), "{p}");
    let s: Value = w.get(&w.admin, &first).await.json().await.unwrap();
    assert_eq!(s["end_date"], "2027-06-30", "the end date did not move");
    assert_eq!(
        w.app.db.count(&format!(
            "extensions WHERE id = '{ext}' AND status = 'pending'"
        )),
        1
    );
}

/// A stored status this version does not know is an internal error, never
/// read as an editable draft.
#[actix_web::test]
async fn an_unknown_stored_status_is_an_internal_error_not_a_draft() {
    let app = spawn_app_with(|_| {}).await;
    let w = world_with(app).await;
    let s = w.create_ok("2027-01-01", "2027-06-30").await;
    let id = id_of(&s);
    match &w.app.db {
        TestDb::Sqlite(_) => w.app.db.execute(&format!(
            "PRAGMA ignore_check_constraints = ON; \
             UPDATE secondments SET status = 'suspended' WHERE id = '{id}';"
        )),
        TestDb::Postgres { .. } => w.app.db.execute(&format!(
            "ALTER TABLE secondments DROP CONSTRAINT secondments_status_check; \
             UPDATE secondments SET status = 'suspended' WHERE id = '{id}';"
        )),
    }
    let p = assert_problem(w.get(&w.hr.token, &id).await, 500, "internal").await;
    assert!(!p["detail"].as_str().unwrap().contains("suspended"), "{p}");
    let res = w
        .app
        .patch_as(
            &w.hr.token,
            &format!("/api/v1/secondments/{id}"),
            Some("\"1\""),
            &json!({"mandate": "sửa"}),
        )
        .await;
    assert_eq!(res.status(), 500, "not editable as a draft");
    assert_eq!(
        w.app.db.count(&format!(
            "secondments WHERE id = '{id}' AND mandate = 'sửa'"
        )),
        0
    );
}

/// PostgreSQL: the server kills a request's connection in the middle of
/// its transaction. That request is answered 503; the pool drops the dead
/// connection and the next requests (more than the pool holds) succeed.
#[actix_web::test]
async fn a_connection_killed_mid_transaction_is_replaced_by_a_working_one() {
    use diesel::{Connection, PgConnection, RunQueryDsl};

    let app = spawn_app_with(|s| as_production(s, None)).await;
    let TestDb::Postgres { name, .. } = &app.db else {
        return; // SQLite has no server to kill the connection
    };
    let name = name.clone();
    let w = world_with(app).await;
    let id = id_of(&w.create_ok("2027-01-01", "2027-06-30").await);

    // Another session holds the official's row, so the submit stops inside
    // its transaction, waiting for the lock.
    let (locked_tx, locked_rx) = std::sync::mpsc::channel();
    let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
    let url = w.app.db.url();
    let official = w.official.clone();
    let holder = std::thread::spawn(move || {
        let mut c = PgConnection::establish(&url).expect("connect");
        c.transaction(|c| {
            diesel::sql_query(format!(
                "SELECT id FROM officials WHERE id = '{official}' FOR UPDATE"
            ))
            .execute(c)?;
            locked_tx.send(()).expect("signal");
            let _ = release_rx.recv_timeout(Duration::from_secs(30));
            Ok::<_, diesel::result::Error>(())
        })
        .expect("holder transaction");
    });
    locked_rx.recv().unwrap();
    let waiting = format!("pg_stat_activity WHERE datname = '{name}' AND wait_event_type = 'Lock'");
    let kill = async {
        let deadline = Instant::now() + Duration::from_secs(20);
        while w.app.db.count(&waiting) == 0 {
            assert!(Instant::now() < deadline, "the submit never waited");
            actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        }
        w.app.db.execute(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = '{name}' AND wait_event_type = 'Lock'"
        ));
    };
    let (res, ()) = futures_util::join!(w.act(&w.hr.token, &id, "submit", json!({})), kill);
    release_tx.send(()).unwrap();
    holder.join().unwrap();
    assert!(res.headers().contains_key("retry-after"));
    assert_problem(res, 503, "unavailable").await;

    for i in 0..24 {
        assert_eq!(w.get(&w.hr.token, &id).await.status(), 200, "read {i}");
    }
    assert_eq!(
        w.status(&id).await,
        "draft",
        "the killed submit changed nothing"
    );
    let res = w.act(&w.hr.token, &id, "submit", json!({})).await;
    assert_eq!(res.status(), 200, "writes work again");
}

/// A `serve` process writing its output to a file.
struct Instance {
    child: std::process::Child,
    log: std::path::PathBuf,
}

impl Instance {
    fn start(url: &str, dir: &Path, n: usize, env: &[(&str, String)]) -> Instance {
        let log = dir.join(format!("serve-{n}.log"));
        let out = std::fs::File::create(&log).unwrap();
        let err = out.try_clone().unwrap();
        let child = crate::binary::binary(url)
            .arg("serve")
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdout(out)
            .stderr(err)
            .spawn()
            .expect("spawn serve");
        Instance { child, log }
    }

    fn lines(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }

    fn stop(mut self) -> Vec<String> {
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        for _ in 0..100 {
            if self.child.try_wait().ok().flatten().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.lines()
    }
}

/// PostgreSQL: three `serve` instances with the scheduler on and the same
/// `daily_at` minute, plus two `tick` commands at once: each reminder is
/// planned and sent exactly once, no instance logs an error.
#[actix_web::test]
async fn three_instances_and_two_tick_commands_send_each_reminder_once() {
    let mail_dir = tempfile::tempdir().unwrap();
    let Some(sink) = SmtpSink::start(mail_dir.path()) else {
        return;
    };
    let app = spawn_app_with(|_| {}).await;
    if !matches!(app.db, TestDb::Postgres { .. }) {
        return; // SQLite is one file on one machine: one instance
    }
    let w = world_with(app).await;
    let tz: chrono_tz::Tz = "Asia/Ho_Chi_Minh".parse().unwrap();
    let now = chrono::Utc::now().with_timezone(&tz);
    let today = now.date_naive();
    // Postings that end a week from today: today's 7-day reminders.
    let end = (today + chrono::Days::new(7)).to_string();
    let start = (today - chrono::Days::new(60)).to_string();
    let mut postings = Vec::new();
    for o in officials(&w, "MULTI", 3).await {
        postings.push(approved_for(&w, &o, &start, &end).await);
    }

    // The daily run a minute or two from now, the same for all three.
    use chrono::Timelike;
    let lead = if now.second() > 40 { 2 } else { 1 };
    let at = now + chrono::Duration::minutes(lead);
    let daily_at = format!("{:02}:{:02}", at.hour(), at.minute());
    let env = [
        ("SECONDMENTS__SCHEDULER__ENABLED", "true".to_string()),
        ("SECONDMENTS__SCHEDULER__DAILY_AT", daily_at.clone()),
        ("SECONDMENTS__SCHEDULER__DISPATCH_INTERVAL_SECS", "1".into()),
        ("SECONDMENTS__SERVER__WORKERS", "2".into()),
        ("SECONDMENTS__LOG__FORMAT", "json".into()),
        ("SECONDMENTS__LOG__LEVEL", "info".into()),
        ("SECONDMENTS__MAIL__TRANSPORT", "smtp".into()),
        ("SECONDMENTS__MAIL__SMTP__HOST", "127.0.0.1".into()),
        ("SECONDMENTS__MAIL__SMTP__PORT", sink.port.to_string()),
        ("SECONDMENTS__MAIL__SMTP__SECURITY", "none".into()),
    ];
    let url = w.app.db.url();
    let logs = tempfile::tempdir().unwrap();
    let instances: Vec<Instance> = (0..3)
        .map(|n| Instance::start(&url, logs.path(), n, &env))
        .collect();
    let ticks: Vec<_> = (0..2)
        .map(|_| {
            let url = url.clone();
            let env = env.clone();
            std::thread::spawn(move || {
                crate::binary::binary(&url)
                    .arg("tick")
                    .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
                    .output()
                    .unwrap()
            })
        })
        .collect();
    for t in ticks {
        let out = t.join().unwrap();
        assert!(
            out.status.success(),
            "tick: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    // Past the daily run, and everything sent.
    let wake = at
        .with_second(0)
        .unwrap()
        .signed_duration_since(chrono::Utc::now().with_timezone(&tz))
        .to_std()
        .unwrap_or_default()
        + Duration::from_secs(8);
    actix_web::rt::time::sleep(wake).await;
    wait_until_all_sent(&w.app.db, Duration::from_secs(30)).await;
    let lines: Vec<(usize, String)> = instances
        .into_iter()
        .enumerate()
        .flat_map(|(n, i)| i.stop().into_iter().map(move |l| (n, l)))
        .collect();
    let errors: Vec<_> = lines
        .iter()
        .filter(|(_, l)| l.contains("\"level\":\"ERROR\"") || l.contains("deadlock"))
        .collect();
    assert!(errors.is_empty(), "error lines: {errors:#?}");
    let ticked = lines
        .iter()
        .filter(|(_, l)| l.contains("daily tick done") || l.contains("daily tick skipped"))
        .count();
    assert!(
        ticked >= 6,
        "each instance ran or skipped at start and at {daily_at}: {ticked}"
    );

    let outbox = emails(&w.app, &w.admin, "").await;
    let keys = reminders(&outbox, "end_reminder");
    let mut unique = keys.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), keys.len(), "each reminder in one email");
    assert!(keys.len() >= postings.len() * 2, "{keys:?}");
    let mut recipients: Vec<_> = outbox
        .iter()
        .map(|e| e["recipient_email"].as_str().unwrap_or("").to_string())
        .collect();
    let all = recipients.len();
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), all, "one digest per recipient and day");
    let delivered = sink.messages();
    let mut ids: Vec<_> = delivered.iter().map(|(_, id, _)| id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(delivered.len(), outbox.len(), "each email delivered once");
    assert_eq!(ids.len(), delivered.len(), "no Message-ID twice");
}
