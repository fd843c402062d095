//! Milestone reminders.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::{dedupe, link, Outgoing};
use crate::config::Settings;
use crate::domain::reminders::{due_offsets, horizon};
use crate::mail::templates::format_date;
use crate::store::directory::Directory;
use crate::store::reminders::{milestones_due_between, unit_name, MilestoneDue};
use crate::store::{holidays, outbox, DbConnection, StoreError};

#[derive(Serialize)]
struct MilestoneContext<'a> {
    recipient_name: Option<&'a str>,
    official_name: &'a str,
    milestone_title: &'a str,
    home_unit: &'a str,
    host_unit: &'a str,
    due_date: String,
    days_left: i64,
    link: String,
}

/// Plans milestone reminders at `reminders.milestone_offsets_days` before a
/// planned milestone is due, to the official and the home side's HR
/// officers.
pub fn plan_milestone_reminders(
    conn: &mut DbConnection,
    settings: &Settings,
    today: NaiveDate,
    out: &mut Outgoing,
) -> Result<usize, StoreError> {
    let holidays = holidays::all_days(conn)?;
    let until = horizon(today, &settings.reminders.milestone_offsets_days);
    let known = outbox::keys_between(conn, "milestone_reminder", today, until)?;
    let dir = Directory::load(conn)?;
    let due = milestones_due_between(conn, today, until)?;
    let mut names = HashMap::new();
    let mut planned = 0;
    for m in due {
        let MilestoneDue {
            milestone_id: mid,
            title,
            due_date,
            secondment_id: sid,
            official_name,
            official,
            home_unit_id: home,
            host_unit_id: host,
        } = m;
        let offsets = due_offsets(
            due_date,
            &settings.reminders.milestone_offsets_days,
            today,
            &holidays,
        );
        if offsets.is_empty() {
            continue;
        }
        let mut recipients = vec![official];
        recipients.extend(dir.covering("hr_officer", &home));
        dedupe(&mut recipients);
        let (home_name, host_name) = (
            unit_name(conn, &mut names, &home)?,
            unit_name(conn, &mut names, &host)?,
        );
        for offset in offsets {
            for r in &recipients {
                let context = MilestoneContext {
                    recipient_name: r.name.as_deref(),
                    official_name: &official_name,
                    milestone_title: &title,
                    home_unit: &home_name,
                    host_unit: &host_name,
                    due_date: format_date(due_date, r.language),
                    days_left: (due_date - today).num_days(),
                    link: link(settings, &sid),
                };
                let key = format!(
                    "milestone:{mid}:{due_date}:{offset}:{}",
                    r.email.to_lowercase()
                );
                if known.contains(&key) {
                    continue;
                }
                out.add(
                    key,
                    "milestone_reminder",
                    Some(&sid),
                    Some(due_date),
                    r,
                    &context,
                )?;
                planned += 1;
            }
        }
    }
    Ok(planned)
}
