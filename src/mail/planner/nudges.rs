//! Approval nudges: to the directors who still have to decide, escalated
//! to the parent unit's after a while.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;

use super::{link, Outgoing};
use crate::config::Settings;
use crate::domain::approval::Side;
use crate::domain::reminders::{fingerprint, Recipient};
use crate::domain::user::Language;
use crate::store::directory::Directory;
use crate::store::reminders::{decided_sides, unit_name, waiting_requests, Waiting};
use crate::store::{nudge_checks, outbox, DbConnection, StoreError};

#[derive(Serialize)]
struct NudgeContext<'a> {
    recipient_name: Option<&'a str>,
    official_name: &'a str,
    request: &'a str,
    side: &'a str,
    home_unit: &'a str,
    host_unit: &'a str,
    days_waiting: i64,
    escalated: bool,
    link: String,
}

/// Requests handled per round of statements.
const NUDGE_CHUNK: usize = 500;

/// The directors due a nudge about a request's side at `unit`: those
/// covering it, and when escalated the parent unit's (marked `true`).
fn nudge_targets(dir: &Directory, unit: &str, escalate: bool) -> Vec<(Recipient, bool)> {
    let mut targets: Vec<(Recipient, bool)> = dir
        .covering("director", unit)
        .into_iter()
        .map(|r| (r, false))
        .collect();
    if escalate {
        targets.extend(dir.parent_directors(unit).into_iter().map(|r| (r, true)));
    }
    targets
}

/// Fingerprints of who is due a nudge about a request (see
/// [`nudge_checks`]),
/// from the directory once per unit.
struct Fingerprints<'a> {
    dir: &'a Directory,
    /// The targets' lowercased emails per (unit, escalated).
    emails: HashMap<(&'a str, bool), String>,
}

impl<'a> Fingerprints<'a> {
    fn of(&mut self, w: &'a Waiting, sides: &[Side], escalate: bool) -> String {
        let mut parts = vec![format!("escalate={escalate}")];
        for side in sides {
            let unit = w.unit(*side);
            let dir = self.dir;
            let emails = self.emails.entry((unit, escalate)).or_insert_with(|| {
                let people: Vec<String> = nudge_targets(dir, unit, escalate)
                    .iter()
                    .map(|(r, up)| {
                        format!("{}{}", if *up { "^" } else { "" }, r.email.to_lowercase())
                    })
                    .collect();
                people.join(",")
            });
            parts.push(format!("{}={emails}", side.as_str()));
        }
        fingerprint(&parts)
    }
}

/// Nudges the directors who still have to decide on a request waiting
/// `reminders.approval_nudge_days`, and escalates to the directors of the
/// parent unit of each undecided side after
/// `reminders.approval_escalate_days`. Once per request, side and person.
/// The requests and their decisions are read at once; a request whose
/// nudges were all planned and whose fingerprint is unchanged is skipped
/// ([`nudge_checks`]); the others are handled in chunks, each with one
/// statement for the nudges sent already.
pub fn plan_approval_nudges(
    conn: &mut DbConnection,
    settings: &Settings,
    today: NaiveDate,
    out: &mut Outgoing,
) -> Result<usize, StoreError> {
    let waiting = waiting_requests(conn, settings.tz())?;
    let due: Vec<&Waiting> = waiting
        .iter()
        .filter(|w| {
            (today - w.since).num_days() >= i64::from(settings.reminders.approval_nudge_days)
        })
        .collect();
    let decided = decided_sides(conn, &due)?;
    let dir = Directory::load(conn)?;
    let mut remembered = nudge_checks::load(conn)?;
    let mut prints = Fingerprints {
        dir: &dir,
        emails: HashMap::new(),
    };
    // (request, undecided sides, escalated, fingerprint) to check.
    let mut changed = Vec::new();
    for w in &due {
        let escalate =
            (today - w.since).num_days() >= i64::from(settings.reminders.approval_escalate_days);
        let done = decided.get(&w.request_id);
        let sides: Vec<_> = settings
            .policy
            .approval_sides
            .iter()
            .copied()
            .filter(|side| !done.is_some_and(|d| d.iter().any(|d| d == side.as_str())))
            .collect();
        let print = prints.of(w, &sides, escalate);
        if remembered.remove(&w.request_id).as_ref() != Some(&print) {
            changed.push((*w, sides, escalate, print));
        }
    }
    // Left over: requests no longer waiting.
    out.nudges.gone = remembered.into_keys().collect();
    let mut names = HashMap::new();
    let mut planned = 0;
    for chunk in changed.chunks(NUDGE_CHUNK) {
        let sids: Vec<&str> = chunk.iter().map(|c| c.0.secondment_id.as_str()).collect();
        let known: HashSet<String> = outbox::keys_about(conn, "approval_nudge", &sids)?
            .into_iter()
            .collect();
        for (w, sides, escalate, print) in chunk {
            let mut due = Vec::new();
            for side in sides {
                for (r, escalated) in nudge_targets(&dir, w.unit(*side), *escalate) {
                    let prefix = if escalated { "escalate" } else { "nudge" };
                    let key = format!(
                        "{prefix}:{}:{}:{}",
                        w.request_id,
                        side.as_str(),
                        r.email.to_lowercase()
                    );
                    if !known.contains(&key) {
                        due.push((r, *side, escalated, key));
                    }
                }
            }
            // One item per request and person, for the strongest reason:
            // deciding before being told as head of the parent unit, the
            // first side before the second (a decision covers every side
            // the director covers). The others are recorded, not repeated.
            due.sort_by_key(|d| d.2);
            let mut told = HashSet::new();
            for (r, side, escalated, key) in due {
                if !told.insert(r.email.to_lowercase()) {
                    out.cover(key, "approval_nudge", Some(&w.secondment_id), &r);
                    continue;
                }
                let (home_name, host_name) = (
                    unit_name(conn, &mut names, &w.home)?,
                    unit_name(conn, &mut names, &w.host)?,
                );
                let context = NudgeContext {
                    recipient_name: r.name.as_deref(),
                    official_name: &w.official_name,
                    request: request_words(w.kind, r.language),
                    side: side_words(side, r.language),
                    home_unit: &home_name,
                    host_unit: &host_name,
                    days_waiting: (today - w.since).num_days(),
                    escalated,
                    link: link(settings, &w.secondment_id),
                };
                out.add(
                    key,
                    "approval_nudge",
                    Some(&w.secondment_id),
                    None,
                    &r,
                    &context,
                )?;
                planned += 1;
            }
            out.nudges
                .settled
                .push((w.request_id.clone(), print.clone()));
        }
    }
    Ok(planned)
}

fn request_words(kind: &str, language: Language) -> &'static str {
    match (kind, language) {
        ("proposal", Language::Vi) => "Đề nghị biệt phái",
        ("proposal", Language::En) => "Secondment proposal",
        (_, Language::Vi) => "Đề nghị gia hạn",
        (_, Language::En) => "Extension request",
    }
}

fn side_words(side: Side, language: Language) -> &'static str {
    match (side, language) {
        (Side::Home, Language::Vi) => "đơn vị cử",
        (Side::Host, Language::Vi) => "đơn vị tiếp nhận",
        (Side::Home, Language::En) => "home",
        (Side::Host, Language::En) => "host",
    }
}
