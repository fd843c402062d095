//! End-of-secondment reminders.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::{dedupe, link, Outgoing};
use crate::config::Settings;
use crate::domain::reminders::{due_offsets, horizon};
use crate::mail::templates::format_date;
use crate::store::directory::Directory;
use crate::store::reminders::{ending_between, unit_name};
use crate::store::{holidays, outbox, DbConnection, StoreError};

#[derive(Serialize)]
struct EndContext<'a> {
    recipient_name: Option<&'a str>,
    official_name: &'a str,
    home_unit: &'a str,
    host_unit: &'a str,
    end_date: String,
    days_left: i64,
    link: String,
    subject: &'a str,
}

/// Plans the end-of-secondment reminders due on `today` (catch-up
/// included) for approved and active secondments: to the official and to
/// the HR officers and the directors of both sides (home and host). Returns how
/// many emails were added.
pub fn plan_end_reminders(
    conn: &mut DbConnection,
    settings: &Settings,
    today: NaiveDate,
    out: &mut Outgoing,
) -> Result<usize, StoreError> {
    let holidays = holidays::all_days(conn)?;
    let offsets_cfg = &settings.reminders.end_offsets_days;
    let until = horizon(today, offsets_cfg);
    let running = ending_between(conn, today, until)?;
    let known = outbox::keys_between(conn, "end_reminder", today, until)?;
    let mut unit_names: HashMap<String, String> = HashMap::new();
    let dir = Directory::load(conn)?;
    let mut planned = 0;
    for ending in running {
        let (id, home, host, end_date) = (
            &ending.secondment_id,
            &ending.home_unit_id,
            &ending.host_unit_id,
            ending.end_date,
        );
        let offsets = due_offsets(end_date, offsets_cfg, today, &holidays);
        if offsets.is_empty() {
            continue;
        }
        let mut recipients = vec![ending.official.clone()];
        // SPEC: the HR officers and the directors of both sides.
        for unit in [home, host] {
            recipients.extend(dir.covering("hr_officer", unit));
            recipients.extend(dir.covering("director", unit));
        }
        dedupe(&mut recipients);
        let days_left = (end_date - today).num_days();
        let (home_name, host_name) = (
            unit_name(conn, &mut unit_names, home)?,
            unit_name(conn, &mut unit_names, host)?,
        );
        for offset in offsets {
            for r in &recipients {
                let key = format!("end:{id}:{end_date}:{offset}:{}", r.email.to_lowercase());
                if known.contains(&key) {
                    continue;
                }
                let context = EndContext {
                    recipient_name: r.name.as_deref(),
                    official_name: &ending.official_name,
                    home_unit: &home_name,
                    host_unit: &host_name,
                    end_date: format_date(end_date, r.language),
                    days_left,
                    link: link(settings, id),
                    subject: "",
                };
                out.add(key, "end_reminder", Some(id), Some(end_date), r, &context)?;
                planned += 1;
            }
        }
    }
    Ok(planned)
}
