//! Plans reminder emails into the outbox during the daily tick.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::outbox::{self, Item, NewEmail};
use super::templates::{format_date, Rendered, Templates};
use crate::config::Settings;
use crate::domain::reminders::due_offsets;
use crate::domain::user::Language;
use crate::store::schema::{holidays, officials, org_units, secondments, users};
use crate::store::{DbConnection, StoreError};

/// A person an email goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Recipient {
    pub(super) email: String,
    pub(super) name: Option<String>,
    pub(super) language: Language,
}

/// The public holidays known to the service.
pub fn holiday_set(conn: &mut DbConnection) -> Result<HashSet<NaiveDate>, StoreError> {
    Ok(holidays::table
        .select(holidays::holiday_date)
        .load::<NaiveDate>(conn)?
        .into_iter()
        .collect())
}

/// A `Message-ID` derived from the idempotency key: the same email always
/// carries the same id, so a rare resend is recognisable as a duplicate.
pub fn message_id(key: &str, from: &str) -> String {
    let digest: String = Sha256::digest(key.as_bytes())
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect();
    let domain = from
        .rsplit('@')
        .next()
        .map(|d| d.trim_end_matches('>').trim())
        .filter(|d| !d.is_empty())
        .unwrap_or("secondments.local");
    format!("{digest}@{domain}")
}

/// The unit and its ancestors: whoever heads one of them covers the unit.
/// A stored language; another value is an internal error, not a default.
pub(super) fn stored_language(stored: &str) -> Result<Language, StoreError> {
    Language::parse(stored)
        .ok_or_else(|| StoreError::Internal(format!("unknown stored language {stored:?}")))
}

fn unit_and_ancestors(conn: &mut DbConnection, unit_id: &str) -> Result<Vec<String>, StoreError> {
    let mut chain = Vec::new();
    let mut current = Some(unit_id.to_string());
    while let Some(id) = current {
        if chain.contains(&id) {
            break;
        }
        current = org_units::table
            .find(&id)
            .select(org_units::parent_id)
            .first::<Option<String>>(conn)
            .optional()?
            .flatten();
        chain.push(id);
    }
    Ok(chain)
}

/// Staff lists per (role, unit), computed once per tick.
type StaffCache = HashMap<(&'static str, String), Vec<Recipient>>;

fn staff_cached(
    conn: &mut DbConnection,
    cache: &mut StaffCache,
    role: &'static str,
    unit_id: &str,
) -> Result<Vec<Recipient>, StoreError> {
    let key = (role, unit_id.to_string());
    if let Some(found) = cache.get(&key) {
        return Ok(found.clone());
    }
    let found = staff_covering(conn, role, unit_id)?;
    cache.insert(key, found.clone());
    Ok(found)
}

/// Idempotency keys of one kind already planned for reference dates in a
/// range: one query instead of one per email.
fn existing_keys(
    conn: &mut DbConnection,
    kind: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashSet<String>, StoreError> {
    use crate::store::schema::email_items;
    Ok(email_items::table
        .filter(email_items::kind.eq(kind))
        .filter(email_items::reference_date.ge(from))
        .filter(email_items::reference_date.le(to))
        .select(email_items::idempotency_key)
        .load::<String>(conn)?
        .into_iter()
        .collect())
}

/// The last target date whose reminders can be due today: the largest
/// offset plus a month of slack for weekends and holidays.
fn horizon(today: NaiveDate, offsets: &[u32]) -> NaiveDate {
    let max = offsets.iter().copied().max().unwrap_or(0);
    today + chrono::Days::new(u64::from(max) + 31)
}

/// Active users of a role whose scope covers the unit.
fn staff_covering(
    conn: &mut DbConnection,
    role: &str,
    unit_id: &str,
) -> Result<Vec<Recipient>, StoreError> {
    let units = unit_and_ancestors(conn, unit_id)?;
    let rows: Vec<(String, String, Option<String>, Option<String>)> = users::table
        .filter(users::role.eq(role))
        .filter(users::disabled.eq(false))
        .filter(users::org_unit_id.eq_any(units))
        .select((
            users::email,
            users::language,
            users::official_id,
            users::full_name,
        ))
        .load(conn)?;
    let mut out = Vec::new();
    for (email, language, official, full_name) in rows {
        let name = match (full_name, official) {
            (Some(n), _) => Some(n),
            (None, Some(o)) => officials::table
                .find(o)
                .select(officials::full_name)
                .first::<String>(conn)
                .optional()?,
            (None, None) => None,
        };
        out.push(Recipient {
            name,
            email,
            language: stored_language(&language)?,
        });
    }
    Ok(out)
}

/// One reminder due today for one person, rendered on its own.
struct Due {
    item: Item,
    recipient: Recipient,
    /// What the reminder's template is rendered with.
    context: serde_json::Value,
}

/// The reminders a tick found due, gathered so that each person gets at
/// most one email a day. Gathering reads the database; [`Outgoing::render`]
/// needs none (one email per recipient, a digest when several reminders
/// are due to them); [`store`] writes what was rendered.
#[derive(Default)]
pub struct Outgoing {
    due: Vec<Due>,
}

/// A rendered email and the reminders it carries.
pub struct Planned {
    email: NewEmail,
    items: Vec<Item>,
}

impl Outgoing {
    /// Keeps one reminder for rendering; `secondment_id` files it under
    /// the secondment it is about, if any.
    pub(super) fn add<C: Serialize>(
        &mut self,
        key: String,
        kind: &'static str,
        secondment_id: Option<&str>,
        reference_date: Option<NaiveDate>,
        r: &Recipient,
        context: &C,
    ) -> Result<(), StoreError> {
        let context = serde_json::to_value(context)
            .map_err(|e| StoreError::Internal(format!("reminder {kind}: {e}")))?;
        self.due.push(Due {
            item: Item {
                key,
                kind,
                secondment_id: secondment_id.map(str::to_string),
                reference_date,
            },
            recipient: r.clone(),
            context,
        });
        Ok(())
    }

    /// Drops the reminders planned already (by another tick, or earlier).
    pub fn drop_planned(&mut self, conn: &mut DbConnection) -> Result<(), StoreError> {
        let mut kept = Vec::with_capacity(self.due.len());
        for d in self.due.drain(..) {
            if !outbox::exists(conn, &d.item.key)? {
                kept.push(d);
            }
        }
        self.due = kept;
        Ok(())
    }

    /// How many reminders are gathered.
    pub fn len(&self) -> usize {
        self.due.len()
    }

    /// Whether none are.
    pub fn is_empty(&self) -> bool {
        self.due.is_empty()
    }

    /// Renders one email per recipient (a digest when several reminders
    /// are due to them today). No database work.
    pub fn render(
        self,
        settings: &Settings,
        templates: &Templates,
        today: NaiveDate,
    ) -> Result<Vec<Planned>, StoreError> {
        let mut by_person: Vec<(String, Vec<Due>)> = Vec::new();
        for d in self.due {
            let who = d.recipient.email.to_lowercase();
            match by_person.iter_mut().find(|(w, _)| *w == who) {
                Some((_, list)) => list.push(d),
                None => by_person.push((who, vec![d])),
            }
        }
        let mut planned = Vec::with_capacity(by_person.len());
        for (who, list) in by_person {
            planned.push(render_for(settings, templates, today, &who, list)?);
        }
        Ok(planned)
    }
}

fn render_one(templates: &Templates, d: &Due) -> Result<Rendered, StoreError> {
    templates
        .render(d.item.kind, d.recipient.language, &d.context)
        .map_err(|e| StoreError::Internal(format!("template {}: {e}", d.item.kind)))
}

/// The one email of the day for `who`.
fn render_for(
    settings: &Settings,
    templates: &Templates,
    today: NaiveDate,
    who: &str,
    list: Vec<Due>,
) -> Result<Planned, StoreError> {
    let first = &list[0];
    let recipient = first.recipient.clone();
    let (key, kind, secondment_id, reference_date, rendered) = if list.len() == 1 {
        (
            first.item.key.clone(),
            first.item.kind,
            first.item.secondment_id.clone(),
            first.item.reference_date,
            render_one(templates, first)?,
        )
    } else {
        let keys: Vec<&str> = list.iter().map(|d| d.item.key.as_str()).collect();
        let digest: String = Sha256::digest(keys.join("\n").as_bytes())
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect();
        let mut items = Vec::with_capacity(list.len());
        for d in &list {
            items.push(DigestItem::of(&render_one(templates, d)?));
        }
        let context = DigestContext {
            recipient_name: recipient.name.as_deref(),
            date: format_date(today, recipient.language),
            count: list.len(),
            items,
        };
        let rendered = templates
            .render("digest", recipient.language, &context)
            .map_err(|e| StoreError::Internal(format!("template digest: {e}")))?;
        // A digest about one secondment (its end and a milestone) is filed
        // under it.
        let one = list
            .iter()
            .all(|d| d.item.secondment_id == first.item.secondment_id);
        let secondment = one.then(|| first.item.secondment_id.clone()).flatten();
        (
            format!("digest:{today}:{who}:{digest}"),
            "digest",
            secondment,
            Some(today),
            rendered,
        )
    };
    Ok(Planned {
        email: NewEmail {
            message_id: message_id(&key, &settings.mail.from),
            idempotency_key: key,
            kind,
            secondment_id,
            reference_date,
            recipient_email: recipient.email.clone(),
            recipient_name: recipient.name.clone(),
            language: recipient.language.as_str().to_string(),
            subject: rendered.subject,
            text_body: rendered.text,
            html_body: rendered.html,
        },
        items: list.into_iter().map(|d| d.item).collect(),
    })
}

/// Writes rendered emails to the outbox; returns how many reminders they
/// carry. An email one of whose reminders was planned meanwhile is left
/// out whole (its reminders' unique keys settle the race).
pub fn store(conn: &mut DbConnection, planned: &[Planned]) -> Result<usize, StoreError> {
    let mut reminders = 0;
    for p in planned {
        if outbox::plan_items(conn, &p.email, &p.items)? {
            reminders += p.items.len();
        }
    }
    Ok(reminders)
}

#[derive(Serialize)]
struct DigestItem {
    subject: String,
    text: String,
    paragraphs: Vec<String>,
}

impl DigestItem {
    /// A reminder inside a digest: its subject and the body of its own
    /// email without the greeting and the signature (the digest has them
    /// once).
    fn of(rendered: &Rendered) -> Self {
        let paragraphs: Vec<String> = rendered
            .text
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect();
        let body = match paragraphs.len() {
            0..=2 => paragraphs,
            n => paragraphs[1..n - 1].to_vec(),
        };
        DigestItem {
            subject: rendered.subject.clone(),
            text: body.join("\n\n"),
            paragraphs: body,
        }
    }
}

#[derive(Serialize)]
struct DigestContext<'a> {
    recipient_name: Option<&'a str>,
    date: String,
    count: usize,
    items: Vec<DigestItem>,
}

fn link(settings: &Settings, secondment_id: &str) -> String {
    format!(
        "{}/api/v1/secondments/{secondment_id}",
        settings.server.public_url.trim_end_matches('/')
    )
}

fn unit_name(
    conn: &mut DbConnection,
    cache: &mut HashMap<String, String>,
    unit: &str,
) -> Result<String, StoreError> {
    if let Some(n) = cache.get(unit) {
        return Ok(n.clone());
    }
    let name: String = org_units::table
        .find(unit)
        .select(org_units::name)
        .first(conn)?;
    cache.insert(unit.to_string(), name.clone());
    Ok(name)
}

fn official_recipient(conn: &mut DbConnection, official_id: &str) -> Result<Recipient, StoreError> {
    let (name, email, language): (String, String, String) = officials::table
        .find(official_id)
        .select((officials::full_name, officials::email, officials::language))
        .first(conn)?;
    Ok(Recipient {
        email,
        name: Some(name),
        language: stored_language(&language)?,
    })
}

fn dedupe(recipients: &mut Vec<Recipient>) {
    let mut seen = HashSet::new();
    recipients.retain(|r| seen.insert(r.email.to_lowercase()));
}

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
/// included) for approved and active secondments: to the official, the
/// home side's HR officers and the directors of both sides. Returns how
/// many emails were added.
pub fn plan_end_reminders(
    conn: &mut DbConnection,
    settings: &Settings,
    today: NaiveDate,
    out: &mut Outgoing,
) -> Result<usize, StoreError> {
    let holidays = holiday_set(conn)?;
    let offsets_cfg = &settings.reminders.end_offsets_days;
    let until = horizon(today, offsets_cfg);
    type Row = (String, String, String, NaiveDate, String, String, String);
    let running: Vec<Row> = secondments::table
        .inner_join(officials::table.on(officials::id.eq(secondments::official_id)))
        .filter(secondments::status.eq_any(["approved", "active"]))
        .filter(secondments::end_date.ge(today))
        .filter(secondments::end_date.le(until))
        .select((
            secondments::id,
            secondments::home_unit_id,
            secondments::host_unit_id,
            secondments::end_date,
            officials::full_name,
            officials::email,
            officials::language,
        ))
        .load(conn)?;
    let known = existing_keys(conn, "end_reminder", today, until)?;
    let mut unit_names: HashMap<String, String> = HashMap::new();
    let mut staff: StaffCache = HashMap::new();
    let mut planned = 0;
    for (id, home, host, end_date, official_name, official_email, official_language) in running {
        let offsets = due_offsets(end_date, offsets_cfg, today, &holidays);
        if offsets.is_empty() {
            continue;
        }
        let mut recipients = vec![Recipient {
            email: official_email,
            name: Some(official_name.clone()),
            language: stored_language(&official_language)?,
        }];
        recipients.extend(staff_cached(conn, &mut staff, "hr_officer", &home)?);
        recipients.extend(staff_cached(conn, &mut staff, "director", &home)?);
        recipients.extend(staff_cached(conn, &mut staff, "director", &host)?);
        dedupe(&mut recipients);
        let days_left = (end_date - today).num_days();
        let (home_name, host_name) = (
            unit_name(conn, &mut unit_names, &home)?,
            unit_name(conn, &mut unit_names, &host)?,
        );
        for offset in offsets {
            for r in &recipients {
                let key = format!("end:{id}:{end_date}:{offset}:{}", r.email.to_lowercase());
                if known.contains(&key) {
                    continue;
                }
                let context = EndContext {
                    recipient_name: r.name.as_deref(),
                    official_name: &official_name,
                    home_unit: &home_name,
                    host_unit: &host_name,
                    end_date: format_date(end_date, r.language),
                    days_left,
                    link: link(settings, &id),
                    subject: "",
                };
                out.add(key, "end_reminder", Some(&id), Some(end_date), r, &context)?;
                planned += 1;
            }
        }
    }
    Ok(planned)
}

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
    use crate::store::schema::milestones;
    let holidays = holiday_set(conn)?;
    let until = horizon(today, &settings.reminders.milestone_offsets_days);
    let known = existing_keys(conn, "milestone_reminder", today, until)?;
    let mut staff: StaffCache = HashMap::new();
    let due: Vec<(String, String, NaiveDate, String, String, String, String)> = milestones::table
        .inner_join(secondments::table.on(secondments::id.eq(milestones::secondment_id)))
        .filter(milestones::status.eq("planned"))
        // The return to the home unit, due on the last day, is announced
        // by the end-of-secondment reminders already.
        .filter(
            milestones::template
                .is_null()
                .or(milestones::template.ne("return")),
        )
        .filter(milestones::due_date.ge(today))
        .filter(milestones::due_date.le(until))
        .filter(secondments::status.eq_any(["approved", "active"]))
        .select((
            milestones::id,
            milestones::title,
            milestones::due_date,
            secondments::id,
            secondments::official_id,
            secondments::home_unit_id,
            secondments::host_unit_id,
        ))
        .load(conn)?;
    let mut names = HashMap::new();
    let mut planned = 0;
    for (mid, title, due_date, sid, official_id, home, host) in due {
        let offsets = due_offsets(
            due_date,
            &settings.reminders.milestone_offsets_days,
            today,
            &holidays,
        );
        if offsets.is_empty() {
            continue;
        }
        let official = official_recipient(conn, &official_id)?;
        let official_name = official.name.clone().unwrap_or_default();
        let mut recipients = vec![official];
        recipients.extend(staff_cached(conn, &mut staff, "hr_officer", &home)?);
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

/// Directors whose own unit is exactly `unit_id`'s parent.
fn parent_directors(conn: &mut DbConnection, unit_id: &str) -> Result<Vec<Recipient>, StoreError> {
    let parent: Option<String> = org_units::table
        .find(unit_id)
        .select(org_units::parent_id)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten();
    let Some(parent) = parent else {
        return Ok(Vec::new());
    };
    let rows: Vec<(String, String, Option<String>)> = users::table
        .filter(users::role.eq("director"))
        .filter(users::disabled.eq(false))
        .filter(users::org_unit_id.eq(parent))
        .select((users::email, users::language, users::full_name))
        .load(conn)?;
    rows.into_iter()
        .map(|(email, language, name)| {
            Ok(Recipient {
                email,
                name,
                language: stored_language(&language)?,
            })
        })
        .collect()
}

/// Nudges the directors who still have to decide on a request waiting
/// `reminders.approval_nudge_days`, and escalates to the directors of the
/// parent unit of each undecided side after
/// `reminders.approval_escalate_days`. Once per request, side and person.
pub fn plan_approval_nudges(
    conn: &mut DbConnection,
    settings: &Settings,
    today: NaiveDate,
    out: &mut Outgoing,
) -> Result<usize, StoreError> {
    use crate::store::schema::{approvals, extensions};
    let tz = settings.tz();
    let local_day = |t: chrono::NaiveDateTime| t.and_utc().with_timezone(&tz).date_naive();
    // (request id, secondment id, kind, waiting since)
    let mut requests: Vec<(String, String, &'static str, NaiveDate)> = secondments::table
        .filter(secondments::status.eq("pending_approval"))
        .select((
            secondments::id,
            secondments::submitted_at,
            secondments::updated_at,
        ))
        .load::<(String, Option<chrono::NaiveDateTime>, chrono::NaiveDateTime)>(conn)?
        .into_iter()
        .map(|(id, submitted, updated)| {
            (
                id.clone(),
                id,
                "proposal",
                local_day(submitted.unwrap_or(updated)),
            )
        })
        .collect();
    let ext: Vec<(String, String, chrono::NaiveDateTime)> = extensions::table
        .filter(extensions::status.eq("pending"))
        .select((
            extensions::id,
            extensions::secondment_id,
            extensions::created_at,
        ))
        .load(conn)?;
    requests.extend(
        ext.into_iter()
            .map(|(e, s, at)| (e, s, "extension", local_day(at))),
    );
    let mut names = HashMap::new();
    let mut planned = 0;
    for (request_id, sid, kind, since) in requests {
        let waiting = (today - since).num_days();
        if waiting < i64::from(settings.reminders.approval_nudge_days) {
            continue;
        }
        let escalate = waiting >= i64::from(settings.reminders.approval_escalate_days);
        let (official_id, home, host): (String, String, String) = secondments::table
            .find(&sid)
            .select((
                secondments::official_id,
                secondments::home_unit_id,
                secondments::host_unit_id,
            ))
            .first(conn)?;
        let decided: Vec<String> = approvals::table
            .filter(approvals::request_id.eq(&request_id))
            .select(approvals::side)
            .load(conn)?;
        let official_name = official_recipient(conn, &official_id)?
            .name
            .unwrap_or_default();
        let (home_name, host_name) = (
            unit_name(conn, &mut names, &home)?,
            unit_name(conn, &mut names, &host)?,
        );
        for side in &settings.policy.approval_sides {
            if decided.iter().any(|d| d == side.as_str()) {
                continue;
            }
            let unit = match side {
                crate::domain::approval::Side::Home => &home,
                crate::domain::approval::Side::Host => &host,
            };
            let mut targets: Vec<(Recipient, bool)> = staff_covering(conn, "director", unit)?
                .into_iter()
                .map(|r| (r, false))
                .collect();
            if escalate {
                targets.extend(parent_directors(conn, unit)?.into_iter().map(|r| (r, true)));
            }
            for (r, escalated) in targets {
                let request = match (kind, r.language) {
                    ("proposal", Language::Vi) => "Đề nghị biệt phái",
                    ("proposal", Language::En) => "Secondment proposal",
                    (_, Language::Vi) => "Đề nghị gia hạn",
                    (_, Language::En) => "Extension request",
                };
                let side_word = match (side, r.language) {
                    (crate::domain::approval::Side::Home, Language::Vi) => "đơn vị cử",
                    (crate::domain::approval::Side::Host, Language::Vi) => "đơn vị tiếp nhận",
                    (crate::domain::approval::Side::Home, Language::En) => "home",
                    (crate::domain::approval::Side::Host, Language::En) => "host",
                };
                let context = NudgeContext {
                    recipient_name: r.name.as_deref(),
                    official_name: &official_name,
                    request,
                    side: side_word,
                    home_unit: &home_name,
                    host_unit: &host_name,
                    days_waiting: waiting,
                    escalated,
                    link: link(settings, &sid),
                };
                let prefix = if escalated { "escalate" } else { "nudge" };
                let key = format!(
                    "{prefix}:{request_id}:{}:{}",
                    side.as_str(),
                    r.email.to_lowercase()
                );
                if outbox::exists(conn, &key)? {
                    continue;
                }
                out.add(key, "approval_nudge", Some(&sid), None, &r, &context)?;
                planned += 1;
            }
        }
    }
    Ok(planned)
}
