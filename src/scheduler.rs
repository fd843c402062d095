//! The daily tick (state changes and reminder planning in one transaction)
//! and the loops that run it and the dispatcher inside `serve`.

use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDate, NaiveTime, TimeZone};
use diesel::Connection;

use crate::config::Settings;
use crate::mail::dispatcher::{self, DispatchSummary};
use crate::mail::planner;
use crate::mail::templates::Templates;
use crate::mail::transport::Mailer;
use crate::store::secondment_flow::{self, TickSummary};
use crate::store::secondments::SecondmentError;
use crate::store::{Database, DbConnection, StoreError};

/// Runs the tick for `today`: transitions, missed milestones and reminder
/// planning, all in one transaction. With `dry_run` it is rolled back and
/// the counts say what would have happened.
pub fn daily_tick(
    conn: &mut DbConnection,
    settings: &Settings,
    templates: &Templates,
    today: NaiveDate,
    dry_run: bool,
) -> Result<TickSummary, StoreError> {
    let result = conn.transaction::<TickSummary, SecondmentError, _>(|conn| {
        let mut summary = secondment_flow::tick(conn, today)?;
        let mut out = planner::Outgoing::default();
        planner::plan_end_reminders(conn, settings, templates, today, &mut out)?;
        planner::plan_milestone_reminders(conn, settings, templates, today, &mut out)?;
        planner::plan_approval_nudges(conn, settings, templates, today, &mut out)?;
        summary.reminders_planned = out.flush(conn, settings, templates, today)?;
        if dry_run {
            return Err(SecondmentError::DryRun(summary));
        }
        Ok(summary)
    });
    match result {
        Ok(s) | Err(SecondmentError::DryRun(s)) => Ok(s),
        Err(SecondmentError::Store(e)) => Err(e),
        Err(other) => Err(StoreError::Internal(other.to_string())),
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
    ) -> Result<(TickSummary, DispatchSummary), StoreError> {
        let day = date.unwrap_or_else(|| today(&self.settings));
        let mut conn = self.db.get()?;
        let tick = daily_tick(&mut conn, &self.settings, &self.templates, day, dry_run)?;
        drop(conn);
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
                    Ok(Ok((t, _))) => tracing::info!(?t, "daily tick done"),
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
