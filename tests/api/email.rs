//! Reminders end to end over real SMTP (aiosmtpd, started per test), on
//! both backends: exactly once, catch-up, re-planning, outages, bounces,
//! and several dispatchers on one database.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use secondments::config::{SmtpSecurity, TransportKind};
use serde_json::{json, Value};

use crate::helpers::{spawn_app_with, TestApp};
use crate::lifecycle::{world_with, World};

/// A real SMTP server writing each accepted message to a directory.
pub(crate) struct SmtpSink {
    child: Option<Child>,
    pub(crate) port: u16,
    pub(crate) dir: PathBuf,
    delay_secs: f64,
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

impl SmtpSink {
    /// Starts the sink; `None` (skip) when Python's aiosmtpd is missing,
    /// which fails the test under CI=true instead.
    pub(crate) fn start(dir: &Path) -> Option<Self> {
        Self::start_slow(dir, 0.0)
    }

    /// A sink that answers each message only after `delay_secs` (a slow
    /// relay); a send in flight shows as a `.inflight` file in `dir`.
    pub(crate) fn start_slow(dir: &Path, delay_secs: f64) -> Option<Self> {
        let mut sink = SmtpSink {
            child: None,
            port: free_port(),
            dir: dir.to_path_buf(),
            delay_secs,
        };
        // A port picked free can be taken by a parallel test before the
        // sink binds it, and a loaded machine can be slow to start it:
        // a few tries on fresh ports before concluding it is missing.
        let started = (0..5).any(|_| {
            sink.port = free_port();
            sink.restart()
        });
        if started {
            Some(sink)
        } else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "aiosmtpd is not installed (run scripts/test.sh)"
            );
            eprintln!("skipping: aiosmtpd not installed");
            None
        }
    }

    fn restart(&mut self) -> bool {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp_sink.py");
        let Ok(mut child) =
            Command::new(std::env::var("PYTHON").unwrap_or_else(|_| "python3".into()))
                .arg(script)
                .arg(self.port.to_string())
                .arg(&self.dir)
                .arg(self.delay_secs.to_string())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
        else {
            return false;
        };
        let mut line = String::new();
        let ready = child
            .stdout
            .take()
            .map(|out| BufReader::new(out).read_line(&mut line).is_ok() && line.trim() == "ready")
            .unwrap_or(false);
        if !ready {
            let _ = child.kill();
            return false;
        }
        self.child = Some(child);
        true
    }

    fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Every delivered message: (recipient header, Message-ID, whole text).
    pub(crate) fn messages(&self) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(&self.dir).expect("sink dir").flatten() {
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("eml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let header = |name: &str| {
                text.lines()
                    .find(|l| l.to_ascii_lowercase().starts_with(&format!("{name}:")))
                    .map(|l| l[name.len() + 1..].trim().to_string())
                    .unwrap_or_default()
            };
            out.push((header("to"), header("message-id"), text.clone()));
        }
        out
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}

pub(crate) async fn smtp_world(port: u16) -> World {
    let app = spawn_app_with(|s| {
        s.mail.transport = TransportKind::Smtp;
        s.mail.smtp.host = "127.0.0.1".into();
        s.mail.smtp.port = port;
        s.mail.smtp.security = SmtpSecurity::None;
        s.mail.smtp.timeout_secs = 2;
        s.mail.max_attempts = 3;
        s.mail.retry_base_secs = 0;
    })
    .await;
    world_with(app).await
}

pub(crate) async fn emails(app: &TestApp, admin: &str, query: &str) -> Vec<Value> {
    app.list_all(admin, &format!("/api/v1/admin/emails{query}"))
        .await
}

fn day(start: &str, offset: u64) -> String {
    (start.parse::<chrono::NaiveDate>().unwrap() + chrono::Days::new(offset)).to_string()
}

/// The reminders of one kind the outbox emails carry: (recipient, key).
pub(crate) fn reminders(outbox: &[Value], kind: &str) -> Vec<(String, String)> {
    outbox
        .iter()
        .flat_map(|e| {
            let to = e["recipient_email"].as_str().unwrap_or("").to_string();
            e["items"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter(|i| i["kind"] == kind)
                .map(move |i| {
                    (
                        to.clone(),
                        i["idempotency_key"].as_str().unwrap_or("").to_string(),
                    )
                })
        })
        .collect()
}

#[actix_web::test]
async fn a_hundred_days_of_ticks_deliver_each_reminder_once() {
    let dir = tempfile::tempdir().unwrap();
    let Some(sink) = SmtpSink::start(dir.path()) else {
        return;
    };
    let w = smtp_world(sink.port).await;
    // Ends on Tuesday 2025-06-24: 90 days before is Wednesday 2025-03-26,
    // 30 days before Sunday 2025-05-25 (sent Friday the 23rd), 7 days
    // before Tuesday 2025-06-17.
    let id = w.approved("2025-01-06", "2025-06-24").await;
    for offset in 0..100 {
        let date = day("2025-03-17", offset);
        w.tick(&date).await;
        if offset % 10 == 0 {
            w.tick(&date).await; // ticking a date twice
        }
    }
    // A second instance on the same database (a restart, or another
    // server) ticking the same days adds nothing.
    {
        let mut settings = crate::helpers::test_settings();
        settings.database.url = secondments::config::Secret::new(w.app.db.url());
        settings.mail.transport = TransportKind::Smtp;
        settings.mail.smtp.host = "127.0.0.1".into();
        settings.mail.smtp.port = sink.port;
        settings.mail.smtp.security = SmtpSecurity::None;
        let other = secondments::startup::Application::build(settings)
            .await
            .unwrap();
        assert!(other.initial_admin().is_none(), "users exist already");
        let url = format!("http://127.0.0.1:{}/api/v1/admin/tick", other.port());
        actix_web::rt::spawn(other.into_server());
        for offset in [9, 39, 69, 99] {
            let res: Value = w
                .app
                .client
                .post(&url)
                .bearer_auth(&w.admin)
                .json(&json!({"date": day("2025-03-17", offset)}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            assert_eq!(res["reminders_planned"], 0, "{res}");
            assert_eq!(res["emails"]["sent"], 0, "{res}");
        }
    }
    // Two ticks racing on the same day add nothing either: one runs, the
    // other runs after it or is told that a tick is running (409).
    let body = json!({"date": "2025-06-20"});
    let race = || w.app.post_as(&w.admin, "/api/v1/admin/tick", &body);
    let (a, b) = futures_util::join!(race(), race());
    let mut planned = 0;
    let mut ran = 0;
    for res in [a, b] {
        match res.status().as_u16() {
            200 => {
                ran += 1;
                planned += res.json::<Value>().await.unwrap()["reminders_planned"]
                    .as_u64()
                    .unwrap();
            }
            409 => {}
            other => panic!("racing tick answered {other}"),
        }
    }
    assert!(ran >= 1);
    assert_eq!(planned, 0);

    let delivered = sink.messages();
    let outbox = emails(&w.app, &w.admin, &format!("?secondment_id={id}")).await;
    assert!(outbox.iter().all(|e| e["status"] == "sent"));
    assert_eq!(
        delivered.len(),
        outbox.len(),
        "every planned email delivered once"
    );
    let ids: std::collections::HashSet<&String> = delivered.iter().map(|(_, m, _)| m).collect();
    assert_eq!(ids.len(), delivered.len(), "distinct Message-IDs");
    // End reminders: the official, the ministry's HR officer and the
    // directors of both sides, once per offset (alone, or in the day's
    // digest with a milestone reminder).
    let end = reminders(&outbox, "end_reminder");
    assert_eq!(end.len(), 4 * 3, "4 recipients x 3 offsets");
    let mut per_recipient: HashMap<String, usize> = HashMap::new();
    for (to, _) in &end {
        *per_recipient.entry(to.to_lowercase()).or_default() += 1;
    }
    for r in [&w.hr.email, &w.home_director.email, &w.host_director.email] {
        assert_eq!(
            per_recipient.get(&r.to_lowercase()),
            Some(&3),
            "{r}: {per_recipient:?}"
        );
    }
    assert_eq!(per_recipient.get("mic-0001@example.gov.vn"), Some(&3));
    let keys: Vec<&str> = end.iter().map(|(_, k)| k.as_str()).collect();
    assert!(keys
        .iter()
        .any(|k| k.starts_with(&format!("end:{id}:2025-06-24:30:"))));
    // Milestone reminders went to the official and the home side's HR;
    // the last-day milestone (return to the home unit) is left to the end
    // reminders.
    let milestones = reminders(&outbox, "milestone_reminder").len();
    assert_eq!(
        milestones,
        2 * 2 * 2,
        "2 milestones before the last day x 2 offsets x 2 recipients"
    );
    // Vietnamese by default, with the date as dd/mm/yyyy.
    let body = &delivered[0].2;
    assert!(body.contains("Subject: =?utf-8?"), "encoded subject");
}

#[actix_web::test]
async fn a_missed_day_is_caught_up_and_an_extension_replans() {
    let dir = tempfile::tempdir().unwrap();
    let Some(sink) = SmtpSink::start(dir.path()) else {
        return;
    };
    let w = smtp_world(sink.port).await;
    let id = w.approved("2025-01-06", "2025-06-24").await;
    // The service was down from before the 90-day reminder until after its
    // day: it is still sent at the next tick, once.
    let end_count = |outbox: &[Value], date: &str| {
        outbox
            .iter()
            .filter(|e| e["kind"] == "end_reminder" && e["reference_date"] == date)
            .count()
    };
    w.tick("2025-04-02").await;
    let outbox = emails(&w.app, &w.admin, &format!("?secondment_id={id}")).await;
    assert_eq!(end_count(&outbox, "2025-06-24"), 4);
    let before = sink.messages().len();
    w.tick("2025-04-03").await;
    assert_eq!(sink.messages().len(), before);

    // An extension to 2025-09-30: the old end's reminders that were not sent
    // are cancelled, the new end's are planned.
    let ext: Value = w
        .app
        .post_as(
            &w.cadre.token,
            &format!("/api/v1/secondments/{id}/extensions"),
            &json!({"requested_end_date": "2025-09-30", "reason": "kéo dài"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let ext_id = ext["id"].as_str().unwrap();
    for d in [&w.home_director, &w.host_director] {
        w.app
            .post_as(
                &d.token,
                &format!("/api/v1/extensions/{ext_id}/approve"),
                &json!({}),
            )
            .await;
    }
    // Day of the old 30-day reminder: nothing for the old end date.
    w.tick("2025-05-23").await;
    assert_eq!(sink.messages().len(), 4);
    // The new end's 90-day reminder (2025-07-02).
    let t = w.tick("2025-07-02").await;
    assert_eq!(t["reminders_planned"], 4);
    let outbox = emails(&w.app, &w.admin, &format!("?secondment_id={id}")).await;
    let new_end = outbox
        .iter()
        .filter(|e| e["reference_date"] == "2025-09-30")
        .count();
    assert_eq!(new_end, 4);
    assert_eq!(sink.messages().len(), 8);
}

#[actix_web::test]
async fn an_outage_loses_nothing_and_a_bounce_ends_dead() {
    let dir = tempfile::tempdir().unwrap();
    let Some(mut sink) = SmtpSink::start(dir.path()) else {
        return;
    };
    let w = smtp_world(sink.port).await;
    // The official's mailbox does not exist.
    let path = format!("/api/v1/officials/{}", w.official);
    let res = w
        .app
        .patch_fresh(
            &w.admin,
            &path,
            &json!({"email": "bounce.hieu@example.gov.vn"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = w
        .app
        .patch_fresh(
            &w.admin,
            &format!("/api/v1/users/{}", w.hr.id),
            &json!({"full_name": "Tran Thi Nhan Su"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let id = w.approved("2025-01-06", "2025-06-24").await;

    sink.stop();
    // 2025-03-26: the 90-day end reminders (4) and the mid-term review's
    // 7-day reminder (official and HR: 2). The official and HR get one
    // email each listing both: 4 emails carrying 6 reminders.
    let t = w.tick("2025-03-26").await;
    assert_eq!(t["reminders_planned"], 6);
    assert_eq!(t["emails"]["sent"], 0);
    let failed = emails(&w.app, &w.admin, "?status=failed").await;
    assert_eq!(failed.len(), 4, "all waiting for a retry");
    assert_eq!(reminders(&failed, "end_reminder").len(), 4);
    assert_eq!(reminders(&failed, "milestone_reminder").len(), 2);
    assert!(failed[0]["last_error"].as_str().unwrap().contains("SMTP"));
    let hr_mail = failed
        .iter()
        .find(|e| e["recipient_email"] == w.hr.email.as_str())
        .unwrap();
    assert_eq!(hr_mail["kind"], "digest");
    assert_eq!(hr_mail["items"].as_array().unwrap().len(), 2);

    assert!(sink.restart());
    let t = w.tick("2025-03-27").await;
    assert_eq!(t["emails"]["sent"], 3);
    assert_eq!(t["emails"]["dead"], 1, "the bounce is permanent");
    assert_eq!(sink.messages().len(), 3);
    let digest = sink
        .messages()
        .into_iter()
        .find(|(to, _, _)| to.contains(&w.hr.email))
        .map(|(_, _, body)| body)
        .unwrap();
    assert!(digest.contains("Subject: =?utf-8?"), "encoded subject");
    assert!(digest.contains("Tran Thi Nhan Su"), "greeted by name");
    let dead = emails(&w.app, &w.admin, "?status=dead").await;
    assert_eq!(dead.len(), 1);
    assert!(dead
        .iter()
        .all(|d| d["recipient_email"] == "bounce.hieu@example.gov.vn"));
    assert!(dead[0]["last_error"].as_str().unwrap().contains("550"));
    let metrics = w.app.get("/metrics").await.text().await.unwrap();
    assert!(metrics.contains(r#"emails{status="dead"} 1"#), "{metrics}");
    assert!(metrics.contains(r#"emails{status="sent"} 3"#), "{metrics}");
    // The next tick sends only what is new (the 1-day milestone reminder).
    w.tick("2025-03-28").await;
    let sent = emails(&w.app, &w.admin, "?status=sent").await;
    assert_eq!(sink.messages().len(), sent.len(), "nothing sent twice");
    let _ = id;
}

#[actix_web::test]
async fn terminating_a_secondment_cancels_its_unsent_reminders() {
    let dir = tempfile::tempdir().unwrap();
    let Some(mut sink) = SmtpSink::start(dir.path()) else {
        return;
    };
    let w = smtp_world(sink.port).await;
    let id = w.approved("2025-09-01", "2026-06-30").await;
    // The relay is down when the 90-day reminders are planned.
    sink.stop();
    w.tick("2025-09-01").await;
    let t = w.tick("2026-04-01").await;
    assert!(t["reminders_planned"].as_u64().unwrap() >= 4, "{t}");
    let unsent = emails(&w.app, &w.admin, &format!("?secondment_id={id}")).await;
    assert!(unsent.iter().all(|e| e["status"] == "failed"), "{unsent:?}");
    let res = w
        .act(
            &w.hr.token,
            &id,
            "terminate",
            json!({"reason": "Điều động", "actual_end_date": "2026-04-15"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let after = emails(&w.app, &w.admin, &format!("?secondment_id={id}")).await;
    assert_eq!(after.len(), unsent.len());
    assert!(
        after.iter().all(|e| e["status"] == "cancelled"),
        "{after:?}"
    );
    // The relay comes back: nothing goes out, nothing new is planned.
    assert!(sink.restart());
    let t = w.tick("2026-04-02").await;
    assert_eq!(t["reminders_planned"], 0);
    assert_eq!(t["emails"]["sent"], 0);
    assert!(sink.messages().is_empty());
}

/// Three dispatchers on one database over 1,000 pending emails: each email
/// is sent exactly once (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: the
/// single writer and a conditional claim).
#[actix_web::test]
async fn three_dispatchers_send_each_email_once() {
    use secondments::mail::dispatcher::dispatch_once;
    use secondments::mail::transport::Mailer;
    use secondments::store::outbox::{plan, NewEmail};
    use secondments::store::Database;

    let app = spawn_app_with(|_| {}).await;
    let mut settings = crate::helpers::test_settings();
    settings.database.url = secondments::config::Secret::new(app.db.url());
    settings.database.pool_size = 4;
    let db = Database::connect_and_migrate(&settings.database).unwrap();
    db.blocking(secondments::store::Access::Write, |conn| {
        for i in 0..1000 {
            let key = format!("test:{i}");
            plan(
                conn,
                &NewEmail {
                    message_id: format!("{i}@test"),
                    idempotency_key: key,
                    kind: "test",
                    secondment_id: None,
                    reference_date: None,
                    recipient_email: format!("r{i}@example.gov.vn"),
                    recipient_name: None,
                    language: "vi".into(),
                    subject: "s".into(),
                    text_body: "t".into(),
                    html_body: "h".into(),
                },
            )?;
        }
        Ok(())
    })
    .unwrap();
    let mut handles = Vec::new();
    for _ in 0..3 {
        let db = db.clone();
        let mail = settings.mail.clone();
        handles.push(std::thread::spawn(move || {
            let mailer = Mailer::Memory(Default::default());
            let mut mail = mail;
            mail.batch_size = 25;
            let mut rounds = 0;
            loop {
                let s = dispatch_once(&db, &mailer, &mail).unwrap();
                rounds += 1;
                if s.sent == 0 || rounds > 200 {
                    break;
                }
            }
            match mailer {
                Mailer::Memory(store) => store
                    .lock()
                    .unwrap()
                    .iter()
                    .map(|m| {
                        String::from_utf8_lossy(&m.formatted())
                            .lines()
                            .find(|l| l.starts_with("Message-ID:"))
                            .unwrap_or("")
                            .to_string()
                    })
                    .collect::<Vec<_>>(),
                _ => unreachable!(),
            }
        }));
    }
    let mut all = Vec::new();
    let mut per_worker = Vec::new();
    for h in handles {
        let ids = h.join().unwrap();
        per_worker.push(ids.len());
        all.extend(ids);
    }
    assert_eq!(all.len(), 1000, "sent per dispatcher: {per_worker:?}");
    let unique: std::collections::HashSet<_> = all.iter().collect();
    assert_eq!(unique.len(), 1000, "no email twice");
    let sent = crate::helpers::TestApp::list_all(
        &app,
        &app.admin_token().await,
        "/api/v1/admin/emails?status=sent",
    )
    .await;
    assert_eq!(sent.len(), 1000);
}

#[actix_web::test]
async fn waiting_requests_nudge_the_deciders_then_escalate() {
    let dir = tempfile::tempdir().unwrap();
    let Some(sink) = SmtpSink::start(dir.path()) else {
        return;
    };
    let w = smtp_world(sink.port).await;
    // A director of the province, parent of the host department.
    let province_director = w
        .app
        .create_session(&w.admin, "director", Some(&w.province), None)
        .await;
    let s = w.create_ok("2030-01-01", "2030-06-30").await;
    let id = s["id"].as_str().unwrap();
    w.act(&w.hr.token, id, "submit", json!({})).await;
    w.act(&w.home_director.token, id, "approve", json!({}))
        .await;
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .date_naive();
    let tick = |days: u64| {
        let w = &w;
        let date = (today + chrono::Days::new(days)).to_string();
        async move { w.tick(&date).await }
    };
    assert_eq!(tick(2).await["reminders_planned"], 0, "not yet three days");
    // Day 3: the host side has not decided: its directors are nudged (the
    // host department's and the province's, whose scope covers it).
    assert_eq!(tick(3).await["reminders_planned"], 2);
    assert_eq!(tick(4).await["reminders_planned"], 0, "once");
    // Day 7: escalation to the directors of the host unit's parent.
    assert_eq!(tick(7).await["reminders_planned"], 1);
    let outbox = emails(&w.app, &w.admin, &format!("?secondment_id={id}")).await;
    let keys: Vec<&str> = outbox
        .iter()
        .map(|e| e["idempotency_key"].as_str().unwrap())
        .collect();
    assert!(
        keys.iter()
            .any(|k| k.starts_with("escalate:")
                && k.ends_with(&province_director.email.to_lowercase())),
        "{keys:?}"
    );
    assert!(
        !keys
            .iter()
            .any(|k| k.contains(&w.home_director.email.to_lowercase())),
        "the home side decided"
    );
    assert_eq!(sink.messages().len(), 3);

    // A director appointed to the host department while it still waits
    // is nudged once too; the others are not nudged again.
    let newcomer = w
        .app
        .create_session(&w.admin, "director", Some(&w.host), None)
        .await;
    assert_eq!(tick(8).await["reminders_planned"], 1);
    assert_eq!(tick(9).await["reminders_planned"], 0, "once");
    let last = sink.messages();
    assert_eq!(last.len(), 4);
    assert!(
        last.iter()
            .any(|(to, _, _)| to.to_lowercase().contains(&newcomer.email.to_lowercase())),
        "the newcomer is told"
    );
}

#[actix_web::test]
async fn a_nudge_cancelled_with_another_request_is_planned_again() {
    // Nothing listens on this port: emails stay unsent (failed, retried).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let w = smtp_world(port).await;
    let mut ids = Vec::new();
    for (start, end) in [("2030-01-01", "2030-06-30"), ("2031-01-01", "2031-06-30")] {
        let s = w.create_ok(start, end).await;
        let id = s["id"].as_str().unwrap().to_string();
        let submitted = w.act(&w.hr.token, &id, "submit", json!({})).await;
        assert_eq!(
            submitted.status(),
            200,
            "{}",
            submitted.text().await.unwrap()
        );
        let approved = w
            .act(&w.home_director.token, &id, "approve", json!({}))
            .await;
        assert_eq!(approved.status(), 200);
        ids.push(id);
    }
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .date_naive();
    let day = |n: u64| (today + chrono::Days::new(n)).to_string();
    // The host director is nudged about both, in one digest.
    assert_eq!(w.tick(&day(3)).await["reminders_planned"], 2);
    let outbox = emails(&w.app, &w.admin, "").await;
    let digests = outbox.iter().filter(|e| e["kind"] == "digest").count();
    assert_eq!(digests, 1, "{outbox:?}");
    // The first proposal is cancelled: the unsent digest goes with it, and
    // the nudge about the second is planned again the next day.
    let res = w
        .act(
            &w.hr.token,
            &ids[0],
            "cancel",
            json!({"reason": "đổi kế hoạch"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(w.tick(&day(4)).await["reminders_planned"], 1);
    let again = reminders(&emails(&w.app, &w.admin, "").await, "approval_nudge");
    let about_second: Vec<_> = again
        .iter()
        .filter(|(_, key)| key.contains(&ids[1]))
        .collect();
    assert_eq!(about_second.len(), 1, "{again:?}");
    assert_eq!(w.tick(&day(5)).await["reminders_planned"], 0, "once");
}

/// `/metrics` lines for the holiday gauges: (loaded next year, missing).
async fn holiday_gauges(app: &TestApp, next: i32) -> (i64, i64) {
    let text = app.get("/metrics").await.text().await.unwrap();
    let value = |prefix: &str| {
        text.lines()
            .find(|l| l.starts_with(prefix))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or_else(|| panic!("no {prefix} in /metrics"))
    };
    (
        value(&format!("holidays_loaded{{year=\"{next}\"}}")),
        value("holidays_next_year_missing "),
    )
}

#[actix_web::test]
async fn administrators_are_told_once_a_year_when_next_years_holidays_are_missing() {
    let dir = tempfile::tempdir().unwrap();
    let Some(sink) = SmtpSink::start(dir.path()) else {
        return;
    };
    let w = smtp_world(sink.port).await;
    let second_admin = w.app.create_session(&w.admin, "admin", None, None).await;
    // 2027 ships with the service: nothing to say in November 2026.
    assert_eq!(w.tick("2026-11-02").await["reminders_planned"], 0);
    assert_eq!(
        w.tick("2027-10-31").await["reminders_planned"],
        0,
        "not before November"
    );
    // Nothing of 2028 is loaded: each administrator is told once.
    assert_eq!(w.tick("2027-11-01").await["reminders_planned"], 2);
    assert_eq!(w.tick("2027-11-02").await["reminders_planned"], 0, "once");
    assert_eq!(
        w.tick("2027-12-15").await["reminders_planned"],
        0,
        "once a year"
    );
    let outbox = emails(&w.app, &w.admin, "").await;
    let told: Vec<(String, String)> = outbox
        .iter()
        .filter(|e| e["kind"] == "holidays_missing")
        .map(|e| {
            let field = |f: &str| e[f].as_str().unwrap_or_default().to_string();
            (field("recipient_email"), field("idempotency_key"))
        })
        .collect();
    let mut to: Vec<String> = told.iter().map(|(r, _)| r.to_lowercase()).collect();
    to.sort();
    let mut admins = vec![
        w.app.admin_email.to_lowercase(),
        second_admin.email.to_lowercase(),
    ];
    admins.sort();
    assert_eq!(to, admins);
    assert!(told
        .iter()
        .all(|(_, k)| k.starts_with("holidays_missing:2028:")));
    let delivered = sink.messages();
    assert_eq!(delivered.len(), 2);
    assert!(delivered.iter().all(|(_, _, text)| text.contains("2028")));

    // Once the year is loaded, the next November is quiet.
    let res = w
        .app
        .post_as(
            &w.admin,
            "/api/v1/holidays",
            &json!({"date": "2029-01-01", "name_vi": "Tết Dương lịch", "name_en": "New Year's Day"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    assert_eq!(w.tick("2028-11-01").await["reminders_planned"], 0);

    // /metrics shows what is loaded for next year, today.
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .date_naive();
    let next = chrono::Datelike::year(&today) + 1;
    let november = chrono::Datelike::month(&today) >= 11;
    let listed = w
        .app
        .list_all(&w.admin, &format!("/api/v1/holidays?year={next}"))
        .await;
    assert_eq!(
        holiday_gauges(&w.app, next).await,
        (
            listed.len() as i64,
            i64::from(november && listed.is_empty())
        )
    );
    for h in &listed {
        let path = format!("/api/v1/holidays/{}", h["date"].as_str().unwrap());
        let res = w.app.delete_as(&w.admin, &path).await;
        assert_eq!(res.status(), 204);
    }
    assert_eq!(holiday_gauges(&w.app, next).await, (0, i64::from(november)));
}

#[actix_web::test]
async fn a_digest_writes_out_fifty_reminders_and_counts_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let Some(sink) = SmtpSink::start(dir.path()) else {
        return;
    };
    let w = smtp_world(sink.port).await;
    let id = |v: &Value| v["id"].as_str().unwrap().to_string();
    // A department of its own, whose one director reads English.
    let host = id(&w
        .app
        .create_unit(
            &w.admin,
            "P19-SYT",
            "provincial_department",
            Some(&w.province),
        )
        .await);
    let res = w
        .app
        .post_as(
            &w.admin,
            "/api/v1/users",
            &json!({"email": "director.syt@example.gov.vn", "password": "a sufficiently long password",
                    "role": "director", "org_unit_id": host, "language": "en"}),
        )
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    // 52 proposals waiting for the host side.
    for i in 0..52 {
        let official = id(&w
            .app
            .create_official(
                &w.admin,
                &w.home,
                &format!("MIC-2{i:03}"),
                &format!("Officer {i}"),
            )
            .await);
        let mut body = w.draft_body("2030-01-01", "2030-06-30");
        body["official_id"] = json!(official);
        body["host_unit_id"] = json!(host);
        let s: Value = w.create(&body).await.json().await.unwrap();
        let res = w.act(&w.hr.token, &id(&s), "submit", json!({})).await;
        assert_eq!(res.status(), 200);
    }
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
        .date_naive();
    w.tick(&(today + chrono::Days::new(3)).to_string()).await;
    let digest = sink
        .messages()
        .into_iter()
        .find(|(to, _, _)| to.contains("director.syt@example.gov.vn"))
        .map(|(_, _, body)| body)
        .expect("one digest to the host director");
    assert!(digest.contains("There are 52 reminders for you today"));
    assert!(digest.contains("\n50. "), "the fiftieth is written out");
    assert!(!digest.contains("\n51. "), "the fifty-first is not");
    assert!(digest.contains("... and 2 more: see the lists"));
    // All 52 are planned: none comes again the next day.
    let outbox = emails(&w.app, &w.admin, "").await;
    let theirs: Vec<&Value> = outbox
        .iter()
        .filter(|e| e["recipient_email"] == "director.syt@example.gov.vn")
        .collect();
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0]["items"].as_array().unwrap().len(), 52);
    let next = w.tick(&(today + chrono::Days::new(4)).to_string()).await;
    assert_eq!(next["reminders_planned"], 0);
}
