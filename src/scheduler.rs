//! The daily tick (state changes and reminder planning in one transaction)
//! and the loops that run it and the dispatcher inside `serve`.

use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDate, NaiveTime, TimeZone};
use diesel::Connection;

use crate::app::tick::TickSummary;
use crate::app::AppError;
use crate::config::Settings;
use crate::mail::dispatcher::{self, DispatchSummary};
use crate::mail::holiday_notice;
use crate::mail::planner;
use crate::mail::templates::Templates;
use crate::mail::transport::Mailer;
use crate::store::{leases, now_utc, nudge_checks, Access, Database, DbConnection, StoreError};

/// The lease on the daily tick: long enough for the largest tick, short
/// enough that a crashed holder does not stop tomorrow's.
const TICK_LEASE_MINUTES: i64 = 30;

/// What a call of the daily tick did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TickRun {
    /// It ran (or, for a dry run, counted what it would do).
    Ran(TickSummary),
    /// Another process holds the tick's lease; nothing was done.
    Skipped,
}

/// Runs the tick for `today` on one process at a time (a lease row): the
/// transitions, missed milestones and the gathering of due reminders in
/// one transaction, then the rendering with no connection held, then the
/// planned emails in a second transaction. With `dry_run` the first
/// transaction is rolled back and the counts say what would have happened.
pub fn daily_tick(
    db: &Database,
    settings: &Settings,
    templates: &Templates,
    today: NaiveDate,
    dry_run: bool,
) -> Result<TickRun, StoreError> {
    let holder = crate::store::new_id();
    let lease = chrono::Duration::minutes(TICK_LEASE_MINUTES);
    if !db.blocking(Access::Write, |c| {
        leases::take(c, TICK_JOB, &holder, now_utc(), lease)
    })? {
        tracing::info!(%today, "daily tick skipped: another process is running it");
        return Ok(TickRun::Skipped);
    }
    let result = tick_under_lease(db, settings, templates, today, dry_run);
    if let Err(e) = db.blocking(Access::Write, |c| leases::release(c, TICK_JOB, &holder)) {
        tracing::warn!(error = %e, "daily tick lease not released; it runs out by itself");
    }
    result.map(TickRun::Ran)
}

const TICK_JOB: &str = "daily_tick";

/// People whose emails are rendered and written together.
const STORE_BATCH: usize = 500;

fn tick_under_lease(
    db: &Database,
    settings: &Settings,
    templates: &Templates,
    today: NaiveDate,
    dry_run: bool,
) -> Result<TickSummary, StoreError> {
    let gather = |conn: &mut DbConnection| -> Result<_, StoreError> {
        let mut summary = crate::app::tick::transitions(conn, today).map_err(store_error)?;
        let mut out = planner::Outgoing::default();
        planner::plan_end_reminders(conn, settings, today, &mut out)?;
        planner::plan_milestone_reminders(conn, settings, today, &mut out)?;
        planner::plan_approval_nudges(conn, settings, today, &mut out)?;
        holiday_notice::plan(conn, settings, today, &mut out)?;
        summary.reminders_planned = out.len();
        Ok((summary, out))
    };
    if dry_run {
        // Everything of the real first transaction, then rolled back.
        return db.blocking(Access::Write, |conn| {
            let mut counted = None;
            let _rolled_back = conn.transaction::<(), StoreError, _>(|conn| {
                counted = Some(gather(conn).map(|(summary, _)| summary));
                Err(diesel::result::Error::RollbackTransaction.into())
            });
            counted.unwrap_or_else(|| Err(StoreError::Internal("dry run did not run".into())))
        });
    }
    let started = std::time::Instant::now();
    let (mut summary, out) = db.blocking(Access::Write, |conn| conn.transaction(gather))?;
    let gathered_ms = started.elapsed().as_millis();
    // Rendered and written a batch of people at a time: memory stays flat
    // however many reminders a catch-up tick finds due.
    let (people, settled) = out.into_parts();
    let mut people = people.into_iter().peekable();
    summary.reminders_planned = 0;
    while people.peek().is_some() {
        let batch: Vec<_> = people.by_ref().take(STORE_BATCH).collect();
        let planned = planner::render(settings, templates, today, batch)?;
        summary.reminders_planned += db.blocking(Access::Write, |c| planner::store(c, &planned))?;
    }
    // Only once every email is written: a tick stopped before leaves the
    // requests to be checked key by key the next day.
    db.blocking(Access::Write, |c| nudge_checks::write(c, &settled))?;
    tracing::info!(
        %today,
        gathered_ms,
        total_ms = started.elapsed().as_millis(),
        reminders = summary.reminders_planned,
        "daily tick: transitions and reminders"
    );
    Ok(summary)
}

/// The transitions' failure in the tick's unit: an unavailable database
/// stays one (the loop retries tomorrow either way).
fn store_error(e: AppError) -> StoreError {
    match e {
        AppError::Unavailable(cause) => StoreError::Unavailable(cause),
        other => StoreError::Internal(other.to_string()),
    }
}

/// Today in the configured time zone.
pub fn today(settings: &Settings) -> NaiveDate {
    chrono::Utc::now()
        .with_timezone(&settings.tz())
        .date_naive()
}

/// How long until the next `daily_at` in the configured time zone.
fn until_next_run(settings: &Settings) -> Duration {
    let tz = settings.tz();
    let at = NaiveTime::parse_from_str(&settings.scheduler.daily_at, "%H:%M").unwrap_or_default();
    let now = chrono::Utc::now().with_timezone(&tz);
    let mut next = tz
        .from_local_datetime(&now.date_naive().and_time(at))
        .earliest()
        .unwrap_or(now);
    if next <= now {
        next += chrono::Duration::days(1);
    }
    (next - now).to_std().unwrap_or(Duration::from_secs(60))
}

/// What the loops need.
#[derive(Clone)]
pub struct Worker {
    /// Settings.
    pub settings: Arc<Settings>,
    /// Database.
    pub db: Database,
    /// Transport.
    pub mailer: Mailer,
    /// Templates.
    pub templates: Arc<Templates>,
}

impl Worker {
    /// One tick for today (or `date`), then one dispatcher round.
    pub fn run_once(
        &self,
        date: Option<NaiveDate>,
        dry_run: bool,
    ) -> Result<(TickRun, DispatchSummary), StoreError> {
        let day = date.unwrap_or_else(|| today(&self.settings));
        let tick = daily_tick(&self.db, &self.settings, &self.templates, day, dry_run)?;
        let sent = if dry_run {
            DispatchSummary::default()
        } else {
            self.dispatch()?
        };
        Ok((tick, sent))
    }

    /// One dispatcher round.
    pub fn dispatch(&self) -> Result<DispatchSummary, StoreError> {
        dispatcher::dispatch_once(&self.db, &self.mailer, &self.settings.mail)
    }

    /// Starts the daily loop (a catch-up tick at start-up, then every day
    /// at `scheduler.daily_at`) and the dispatcher loop on the current
    /// actix runtime.
    pub fn spawn_loops(self) {
        let daily = self.clone();
        actix_web::rt::spawn(async move {
            loop {
                let w = daily.clone();
                match actix_web::web::block(move || w.run_once(None, false)).await {
                    Ok(Ok((TickRun::Ran(t), _))) => tracing::info!(?t, "daily tick done"),
                    Ok(Ok((TickRun::Skipped, _))) => {
                        tracing::info!("daily tick skipped: another process is running it")
                    }
                    Ok(Err(e)) => tracing::error!(error = %e, "daily tick failed"),
                    Err(e) => tracing::error!(error = %e, "daily tick did not run"),
                }
                actix_web::rt::time::sleep(until_next_run(&daily.settings)).await;
            }
        });
        let every = Duration::from_secs(self.settings.scheduler.dispatch_interval_secs.max(1));
        actix_web::rt::spawn(async move {
            loop {
                actix_web::rt::time::sleep(every).await;
                let w = self.clone();
                match actix_web::web::block(move || w.dispatch()).await {
                    Ok(Ok(s)) if s.sent + s.failed + s.dead > 0 => {
                        tracing::info!(?s, "emails dispatched")
                    }
                    Ok(Ok(_)) => {}
                    Ok(Err(e)) => tracing::warn!(error = %e, "dispatcher round failed"),
                    Err(e) => tracing::error!(error = %e, "dispatcher round did not run"),
                }
            }
        });
    }
}
