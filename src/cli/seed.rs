//! `seed --officials N --secondments M [--seed S]`: bulk synthetic data
//! for benchmarks and load tests, into an empty database.

use std::collections::HashMap;
use std::time::Instant;

use anyhow::{bail, Context as _};
use chrono::NaiveDate;
use diesel::Connection;

use crate::config::Settings;
use crate::domain::secondment::Status;
use crate::domain::seed::plan::{self, Context, OfficialPlan, PostingPlan};
use crate::domain::seed::units::{self, Parent};
use crate::domain::seed::SeedRng;
use crate::store::audit::{self, Actor};
use crate::store::seed::{self as store, Directory, SeedUser, Written};
use crate::store::{Access, Database, StoreError};

/// Secondments (or officials, whichever comes first) per transaction.
const BATCH: usize = 10_000;

/// The most officials or secondments one run creates.
const MAX_ROWS: u64 = 20_000_000;

/// Sizes and seed of a run.
#[derive(Debug, Clone, Copy)]
pub struct SeedArgs {
    /// Officials to create.
    pub officials: u64,
    /// Secondments to create.
    pub secondments: u64,
    /// The seed.
    pub seed: u64,
}

/// Runs the seed and prints its summary.
pub fn seed(settings: &Settings, args: SeedArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    if args.officials > MAX_ROWS || args.secondments > MAX_ROWS {
        bail!("--officials and --secondments are limited to {MAX_ROWS} each");
    }
    if args.secondments > 0 && args.officials == 0 {
        bail!("--secondments needs at least one official (--officials 1 or more)");
    }
    let db = Database::connect_and_migrate(&settings.database)?;
    let found = db.blocking(Access::Read, store::occupancy)?;
    if !found.is_empty() {
        bail!(
            "refusing to seed a database that already holds data ({} officials, {} secondments, \
             {} organisation units besides the provinces); seed needs an empty database: point \
             SECONDMENTS__DATABASE__URL at a new one",
            found.officials,
            found.secondments,
            found.units
        );
    }
    let today = crate::scheduler::today(settings);
    let now = crate::store::now_utc();
    let (dir, password, user_count, specs) = prepare(&db, args.seed, now)?;
    let central: Vec<usize> = posting_units(&specs, units::Side::Central);
    let local: Vec<usize> = posting_units(&specs, units::Side::Local);
    let policy = settings.policy.rules();
    let ctx = Context {
        seed: args.seed,
        today,
        policy: &policy,
        templates: &settings.milestones.templates,
        sides: &settings.policy.approval_sides,
        central: &central,
        local: &local,
    };
    let bar = progress_bar(args.officials + args.secondments);
    let written = load(&db, &ctx, args, &dir, &bar)?;
    bar.finish_and_clear();
    db.blocking(Access::Write, |conn| finish(conn, args, today, &written))?;
    db.maintenance(analyse)?;
    print_summary(args, today, &written, user_count, &password, started);
    Ok(())
}

fn posting_units(specs: &[units::UnitSpec], side: units::Side) -> Vec<usize> {
    specs
        .iter()
        .enumerate()
        .filter(|(_, u)| u.posting_unit && u.side == side)
        .map(|(i, _)| i)
        .collect()
}

/// Reference provinces, seeded units and accounts; returns who acts for
/// each unit, the accounts' password and how many accounts there are.
fn prepare(
    db: &Database,
    seed: u64,
    now: chrono::NaiveDateTime,
) -> anyhow::Result<(Directory, String, usize, Vec<units::UnitSpec>)> {
    db.blocking(Access::Write, |c| {
        Ok(crate::store::reference::load_provinces(c, &Actor::system()))
    })?
    .context("loading the reference provinces")?;
    let provinces = db.blocking(Access::Read, store::current_provinces)?;
    let pairs: Vec<(String, String)> = provinces
        .iter()
        .map(|(code, name, _)| (code.clone(), name.clone()))
        .collect();
    let province_ids: HashMap<String, String> = provinces
        .iter()
        .map(|(code, _, id)| (code.clone(), id.clone()))
        .collect();
    let specs = units::plan(seed, &pairs);
    let password = crate::auth::password::generate_password();
    let hash = crate::auth::password::hash_password(&password).map_err(anyhow::Error::msg)?;
    let dir = db.blocking(Access::Write, |conn| {
        conn.transaction(|conn| {
            let unit_ids = store::insert_units(conn, seed, &specs, &province_ids, now)?;
            let (users, dir) = accounts(seed, &specs, &unit_ids, &province_ids, now);
            store::insert_users(conn, &users, &hash, now)?;
            Ok::<_, StoreError>((dir, users.len()))
        })
    })?;
    Ok((dir.0, password, dir.1, specs))
}

/// A director and an HR officer for every ministry and province, and one
/// administrator.
fn accounts(
    seed: u64,
    specs: &[units::UnitSpec],
    unit_ids: &[String],
    province_ids: &HashMap<String, String>,
    now: chrono::NaiveDateTime,
) -> (Vec<SeedUser>, Directory) {
    let mut rng = SeedRng::derive(seed, 0x05E2, 0);
    let mut list = vec![SeedUser {
        id: rng.uuid_v7(now),
        email: "quantri@seed.gov.vn".into(),
        role: "admin",
        org_unit_id: None,
        full_name: "Quản trị hệ thống".into(),
    }];
    let mut by_top: HashMap<String, (String, String)> = HashMap::new();
    let mut dir = Directory {
        unit_ids: unit_ids.to_vec(),
        ..Directory::default()
    };
    for spec in specs {
        let (key, top_id) = match &spec.top {
            Parent::Seeded(i) => (
                specs.get(*i).map(|u| u.code.clone()).unwrap_or_default(),
                unit_ids.get(*i).cloned(),
            ),
            Parent::Province(code) => (code.clone(), province_ids.get(code).cloned()),
            Parent::Root => (spec.code.clone(), None),
        };
        let pair = by_top.entry(key.clone()).or_insert_with(|| {
            let code = key.to_lowercase();
            let mut make = |role: &'static str, prefix: &str, title: &str| {
                let user = SeedUser {
                    id: rng.uuid_v7(now),
                    email: format!("{prefix}.{code}@seed.gov.vn"),
                    role,
                    org_unit_id: top_id.clone(),
                    full_name: format!("{title} {key}"),
                };
                let id = user.id.clone();
                list.push(user);
                id
            };
            let director = make("director", "lanhdao", "Lãnh đạo");
            let hr = make("hr_officer", "tochuc", "Cán bộ tổ chức");
            (director, hr)
        });
        dir.director_of.push(pair.0.clone());
        dir.hr_of.push(pair.1.clone());
    }
    (list, dir)
}

fn progress_bar(len: u64) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(len);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} officials and secondments ({per_sec}, {eta} left)",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// How many postings official `i` gets: `M` spread evenly over `N`.
fn postings_of(args: SeedArgs, i: u64) -> usize {
    let base = args.secondments / args.officials.max(1);
    let extra = u64::from(i < args.secondments % args.officials.max(1));
    usize::try_from(base + extra).unwrap_or(usize::MAX)
}

fn load(
    db: &Database,
    ctx: &Context<'_>,
    args: SeedArgs,
    dir: &Directory,
    bar: &indicatif::ProgressBar,
) -> anyhow::Result<Written> {
    let mut total = Written::default();
    let mut batch: Vec<(OfficialPlan, Vec<PostingPlan>)> = Vec::new();
    let mut in_batch = 0;
    let mut flush = |batch: &mut Vec<(OfficialPlan, Vec<PostingPlan>)>| -> anyhow::Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let written = db.blocking(Access::Write, |conn| {
            conn.transaction(|conn| store::insert_batch(conn, dir, batch))
        })?;
        bar.inc((written.officials + written.secondments()) as u64);
        total.add(&written);
        batch.clear();
        Ok(())
    };
    for i in 0..args.officials {
        let Some(official) = plan::official(ctx, i) else {
            bail!("no unit to place officials in");
        };
        let postings = plan::postings(ctx, &official, postings_of(args, i));
        in_batch += postings.len();
        batch.push((official, postings));
        if in_batch >= BATCH || batch.len() >= BATCH {
            flush(&mut batch)?;
            in_batch = 0;
        }
    }
    flush(&mut batch)?;
    Ok(total)
}

/// One audit event for the whole run, and fresh planner statistics.
fn finish(
    conn: &mut crate::store::DbConnection,
    args: SeedArgs,
    today: NaiveDate,
    written: &Written,
) -> Result<(), StoreError> {
    let by_status: serde_json::Map<String, serde_json::Value> = Status::ALL
        .iter()
        .map(|s| {
            let n = written.by_status.get(s).copied().unwrap_or(0);
            (s.as_str().to_string(), n.into())
        })
        .collect();
    audit::record(
        conn,
        &Actor::system(),
        "database.seeded",
        "database",
        "seed",
        None,
        Some(serde_json::json!({
            "seed": args.seed,
            "today": today,
            "officials": written.officials,
            "secondments": by_status,
            "approvals": written.approvals,
            "milestones": written.milestones,
            "outcomes": written.outcomes,
            "evaluations": written.evaluations,
        })),
    )?;
    Ok(())
}

/// Statistics for the planner, and on PostgreSQL the visibility map that
/// index-only scans need: without it the first minutes of a benchmark
/// measure autovacuum catching up with a million fresh rows. `VACUUM`
/// refuses to run inside a transaction, so this runs outside any.
fn analyse(conn: &mut crate::store::DbConnection) -> Result<(), StoreError> {
    let maintenance = match conn {
        crate::store::DbConnection::Pg(_) => "VACUUM (ANALYZE)",
        crate::store::DbConnection::Sqlite(_) => "ANALYZE",
    };
    diesel::connection::SimpleConnection::batch_execute(conn, maintenance)?;
    Ok(())
}

fn print_summary(
    args: SeedArgs,
    today: NaiveDate,
    w: &Written,
    users: usize,
    password: &str,
    started: Instant,
) {
    println!(
        "seeded with --seed {} for {today}: {} officials, {} secondments",
        args.seed,
        w.officials,
        w.secondments()
    );
    for s in Status::ALL {
        println!(
            "  {:<17} {:>9}",
            s.as_str(),
            w.by_status.get(&s).copied().unwrap_or(0)
        );
    }
    println!(
        "  approvals {}, milestones {}, outcomes {}, evaluations {}",
        w.approvals, w.milestones, w.outcomes, w.evaluations
    );
    println!(
        "{users} accounts (quantri@seed.gov.vn, lanhdao.<unit>@ and tochuc.<unit>@seed.gov.vn), \
         one password for all, shown only now: {password}"
    );
    println!("took {:.1} s", started.elapsed().as_secs_f64());
}
