//! `secondments seed` through the real binary: reproducible counts, every
//! status, valid references, a different seed gives different data, a
//! database with data is refused.

use diesel::{Connection, PgConnection, RunQueryDsl, SqliteConnection};

use crate::binary::binary;
use crate::helpers::TestDb;

const STATUSES: [&str; 8] = [
    "draft",
    "pending_approval",
    "approved",
    "active",
    "completed",
    "rejected",
    "cancelled",
    "terminated",
];

fn run_seed(db: &TestDb, seed: u64) -> std::process::Output {
    binary(&db.url())
        .args([
            "seed",
            "--officials",
            "200",
            "--secondments",
            "1000",
            "--seed",
        ])
        .arg(seed.to_string())
        .output()
        .expect("run seed")
}

fn by_status(db: &TestDb) -> Vec<i64> {
    STATUSES
        .iter()
        .map(|s| db.count(&format!("secondments WHERE status = '{s}'")))
        .collect()
}

/// The names of the first officials by staff code.
fn first_names(db: &TestDb) -> Vec<String> {
    #[derive(diesel::QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        full_name: String,
    }
    let sql = "SELECT full_name FROM officials ORDER BY staff_code LIMIT 20";
    let rows: Vec<Name> = match db {
        TestDb::Sqlite(path) => {
            let mut c = SqliteConnection::establish(&path.display().to_string()).unwrap();
            diesel::sql_query(sql).load(&mut c).unwrap()
        }
        TestDb::Postgres { .. } => {
            let mut c = PgConnection::establish(&db.url()).unwrap();
            diesel::sql_query(sql).load(&mut c).unwrap()
        }
    };
    rows.into_iter().map(|r| r.full_name).collect()
}

#[test]
fn one_seed_gives_the_same_counts_with_every_status_and_valid_references() {
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (a, b) = (TestDb::create(dir_a.path()), TestDb::create(dir_b.path()));
    for db in [&a, &b] {
        let out = run_seed(db, 7);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("1000 secondments"), "{stdout}");
        assert!(stdout.contains("completed"), "{stdout}");
    }
    let counts = by_status(&a);
    assert_eq!(counts, by_status(&b));
    assert_eq!(counts.iter().sum::<i64>(), 1000);
    for (s, n) in STATUSES.iter().zip(&counts) {
        assert!(*n > 0, "no {s} secondment");
    }
    assert_eq!(first_names(&a), first_names(&b));
    assert_eq!(a.count("officials"), 200);
    for table in ["approvals", "milestones", "outcomes", "evaluations"] {
        assert_eq!(a.count(table), b.count(table), "{table}");
        assert!(a.count(table) > 0, "{table}");
    }
    // Every reference points at a row (on top of the foreign keys).
    for orphan in [
        "secondments WHERE official_id NOT IN (SELECT id FROM officials)",
        "secondments WHERE host_unit_id NOT IN (SELECT id FROM org_units WHERE valid_to IS NULL)",
        "secondments WHERE home_unit_id NOT IN (SELECT home_unit_id FROM officials)",
        "secondments WHERE host_unit_id = home_unit_id",
        "approvals WHERE decided_by NOT IN (SELECT id FROM users WHERE role = 'director')",
        "milestones WHERE secondment_id NOT IN (SELECT id FROM secondments)",
        "outcomes WHERE created_by NOT IN (SELECT id FROM users)",
        "officials WHERE home_unit_id NOT IN (SELECT id FROM org_units)",
    ] {
        assert_eq!(a.count(orphan), 0, "{orphan}");
    }
    // Consistent with the status.
    for wrong in [
        "secondments WHERE status IN ('approved', 'active', 'completed', 'terminated') AND decision_ref IS NULL",
        "secondments WHERE status = 'completed' AND actual_end_date IS NULL",
        "secondments WHERE status = 'draft' AND submitted_at IS NOT NULL",
        "secondments WHERE end_date <= start_date",
        "approvals WHERE decision = 'rejected' AND secondment_id NOT IN (SELECT id FROM secondments WHERE status = 'rejected')",
    ] {
        assert_eq!(a.count(wrong), 0, "{wrong}");
    }
    // Search terms are written as the application writes them.
    assert!(a.count("official_search_terms WHERE term = 'nguyen'") > 0);
    assert_eq!(
        a.count("org_units WHERE kind = 'province' AND valid_to IS NULL"),
        34
    );
    assert!(a.count("org_units WHERE kind = 'commune'") > 0);
    assert_eq!(a.count("audit_events WHERE action = 'database.seeded'"), 1);
}

#[test]
fn another_seed_gives_other_data() {
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (a, b) = (TestDb::create(dir_a.path()), TestDb::create(dir_b.path()));
    assert!(run_seed(&a, 7).status.success());
    assert!(run_seed(&b, 8).status.success());
    assert_ne!(first_names(&a), first_names(&b));
}

#[test]
fn a_database_with_data_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDb::create(dir.path());
    assert!(run_seed(&db, 7).status.success());
    let before = (
        db.count("officials"),
        db.count("secondments"),
        db.count("users"),
    );
    let again = run_seed(&db, 7);
    assert!(!again.status.success());
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("refusing to seed"), "{stderr}");
    assert!(stderr.contains("200 officials"), "{stderr}");
    assert_eq!(
        before,
        (
            db.count("officials"),
            db.count("secondments"),
            db.count("users")
        )
    );
}
