//! `database.read_url`: lists, reports and exports read a real PostgreSQL
//! streaming replica (started by scripts/support/pg-replica.sh), while a
//! single resource read after a write comes from the primary. Pausing the
//! replica's replay shows which query went where.

use std::time::{Duration, Instant};

use diesel::{Connection, PgConnection, RunQueryDsl};
use secondments::config::Secret;
use serde_json::Value;

use crate::helpers::spawn_app_with;
use crate::lifecycle::{world_with, World};

/// Replays again when the test ends, whatever happens.
struct Paused(String);

impl Paused {
    fn new(url: &str) -> Paused {
        let mut conn = PgConnection::establish(url).expect("replica");
        diesel::sql_query("SELECT pg_wal_replay_pause()")
            .execute(&mut conn)
            .expect("pause replay");
        Paused(url.to_string())
    }
}

impl Drop for Paused {
    fn drop(&mut self) {
        if let Ok(mut conn) = PgConnection::establish(&self.0) {
            let _ = diesel::sql_query("SELECT pg_wal_replay_resume()").execute(&mut conn);
        }
    }
}

fn with_base(url: &str, base_of: &str) -> String {
    let name = url.rsplit('/').next().unwrap_or_default();
    let base = base_of.rsplit_once('/').map_or(base_of, |(b, _)| b);
    format!("{base}/{name}")
}

async fn listed(w: &World) -> Vec<String> {
    w.app
        .list_all(&w.admin, "/api/v1/secondments")
        .await
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

async fn until_listed(w: &World, id: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !listed(w).await.iter().any(|s| s == id) {
        assert!(Instant::now() < deadline, "{id} never reached the replica");
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
}

#[actix_web::test]
async fn lists_read_the_replica_and_a_read_after_a_write_the_primary() {
    let primary = std::env::var("TEST_DATABASE_URL").unwrap_or_default();
    if !primary.starts_with("postgres") {
        return; // A replica is a PostgreSQL matter.
    }
    let replica = std::env::var("TEST_REPLICA_URL").unwrap_or_default();
    if replica.is_empty() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "TEST_REPLICA_URL is not set (scripts/test.sh starts a replica)"
        );
        eprintln!("skipping: no TEST_REPLICA_URL");
        return;
    }
    let mut replica_db = String::new();
    let app = spawn_app_with(|s| {
        replica_db = with_base(s.database.url.expose(), &replica);
        s.database.read_url = Secret::new(replica_db.clone());
    })
    .await;
    let w = world_with(app).await;
    let first = w.approved("2030-01-01", "2030-12-31").await;
    until_listed(&w, &first).await;

    let paused = Paused::new(&replica_db);
    let draft = w.create_ok("2031-03-01", "2031-12-31").await;
    let draft = draft["id"].as_str().unwrap();
    // Read after write: the primary has it.
    assert_eq!(w.get(&w.hr.token, draft).await.status(), 200);
    // The list is served by the paused replica: the new draft is not there
    // yet, the earlier posting is.
    let now = listed(&w).await;
    assert!(now.contains(&first));
    assert!(!now.iter().any(|s| s == draft), "{now:?}");
    let summary: Value = w
        .app
        .get_as(&w.admin, "/api/v1/reports/summary")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(summary["total"], 1, "{summary}");
    drop(paused);
    until_listed(&w, draft).await;
}
