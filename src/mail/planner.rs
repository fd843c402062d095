//! Plans reminder emails into the outbox during the daily tick.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::directory::Directory;
use super::nudge_checks;
use super::outbox::{self, Item, NewEmail};
use super::templates::{format_date, Rendered, Templates};
use crate::config::Settings;
use crate::domain::reminders::due_offsets;
use crate::domain::user::Language;
use crate::store::schema::{holidays, officials, org_units, secondments};
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

/// A stored language; another value is an internal error, not a default.
pub(super) fn stored_language(stored: &str) -> Result<Language, StoreError> {
    Language::parse(stored)
        .ok_or_else(|| StoreError::Internal(format!("unknown stored language {stored:?}")))
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

/// A reminder written out in its email, with what its template is
/// rendered with as JSON text (text is a third of the memory of a
/// `serde_json::Value` tree).
struct Shown {
    item: Item,
    context: String,
}

/// The reminders due to one person today: one email (a digest when there
/// are several). Only the first [`DIGEST_ITEMS`] are written out, so only
/// theirs are kept whole; the rest are counted and their keys recorded.
pub struct PersonDue {
    who: String,
    recipient: Recipient,
    shown: Vec<Shown>,
    rest: Vec<Item>,
    /// Reminders another item of the same email already says (the same
    /// request for a weaker reason): recorded as sent, not written out.
    covered: Vec<Item>,
}

/// The reminders a tick found due, gathered per person as they are found,
/// so that each person gets at most one email a day and memory grows with
/// the people reminded rather than the reminders (a catch-up tick finds
/// hundreds of thousands, most of them nudges to a few hundred directors).
/// Gathering reads the database; [`render`] needs none; [`store`] writes
/// what was rendered. The planners leave out what is planned already.
#[derive(Default)]
pub struct Outgoing {
    people: Vec<PersonDue>,
    index: HashMap<String, usize>,
    count: usize,
    nudges: nudge_checks::Settled,
}

/// A rendered email and the reminders it carries.
pub struct Planned {
    email: NewEmail,
    items: Vec<Item>,
    /// The reminders written out or counted in it (not the covered ones).
    reminders: usize,
}

impl Outgoing {
    /// Keeps one reminder for its recipient; `secondment_id` files it
    /// under the secondment it is about, if any.
    pub(super) fn add<C: Serialize>(
        &mut self,
        key: String,
        kind: &'static str,
        secondment_id: Option<&str>,
        reference_date: Option<NaiveDate>,
        r: &Recipient,
        context: &C,
    ) -> Result<(), StoreError> {
        let person = self.person(r);
        let item = Item {
            key,
            kind,
            secondment_id: secondment_id.map(str::to_string),
            reference_date,
        };
        if person.shown.len() < DIGEST_ITEMS {
            let context = serde_json::to_string(context)
                .map_err(|e| StoreError::Internal(format!("reminder {kind}: {e}")))?;
            person.shown.push(Shown { item, context });
        } else {
            person.rest.push(item);
        }
        self.count += 1;
        Ok(())
    }

    /// Records a reminder its recipient is told by another item of the
    /// same email (added before): planned once like the others, but
    /// neither written out nor counted.
    pub(super) fn cover(
        &mut self,
        key: String,
        kind: &'static str,
        secondment_id: Option<&str>,
        r: &Recipient,
    ) {
        self.person(r).covered.push(Item {
            key,
            kind,
            secondment_id: secondment_id.map(str::to_string),
            reference_date: None,
        });
    }

    fn person(&mut self, r: &Recipient) -> &mut PersonDue {
        let who = r.email.to_lowercase();
        let i = match self.index.get(&who) {
            Some(&i) => i,
            None => {
                self.index.insert(who.clone(), self.people.len());
                self.people.push(PersonDue {
                    who,
                    recipient: r.clone(),
                    shown: Vec::new(),
                    rest: Vec::new(),
                    covered: Vec::new(),
                });
                self.people.len() - 1
            }
        };
        &mut self.people[i]
    }

    /// How many reminders are gathered.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether none are.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The reminders per recipient, in the order the recipients were
    /// found, and what the nudge planner settled (written after the
    /// emails, [`nudge_checks::write`]).
    pub fn into_parts(self) -> (Vec<PersonDue>, nudge_checks::Settled) {
        (self.people, self.nudges)
    }
}

/// Renders one email per person (a digest when several reminders are due
/// to them today). No database work.
pub fn render(
    settings: &Settings,
    templates: &Templates,
    today: NaiveDate,
    people: Vec<PersonDue>,
) -> Result<Vec<Planned>, StoreError> {
    people
        .into_iter()
        .map(|p| render_for(settings, templates, today, p))
        .collect()
}

fn render_one(templates: &Templates, r: &Recipient, s: &Shown) -> Result<Rendered, StoreError> {
    let context: serde_json::Value = serde_json::from_str(&s.context)
        .map_err(|e| StoreError::Internal(format!("reminder {}: {e}", s.item.kind)))?;
    templates
        .render(s.item.kind, r.language, &context)
        .map_err(|e| StoreError::Internal(format!("template {}: {e}", s.item.kind)))
}

/// Reminders written out in one digest; the rest are counted (a director
/// with hundreds of requests waiting gets a readable email, and the list
/// is in the service).
const DIGEST_ITEMS: usize = 50;

/// The one email of the day for one person.
fn render_for(
    settings: &Settings,
    templates: &Templates,
    today: NaiveDate,
    p: PersonDue,
) -> Result<Planned, StoreError> {
    let recipient = p.recipient;
    let first = &p.shown[0];
    let count = p.shown.len() + p.rest.len();
    let (key, kind, secondment_id, reference_date, rendered) = if count == 1 {
        (
            first.item.key.clone(),
            first.item.kind,
            first.item.secondment_id.clone(),
            first.item.reference_date,
            render_one(templates, &recipient, first)?,
        )
    } else {
        let keys: Vec<&str> = p
            .shown
            .iter()
            .map(|s| &s.item)
            .chain(&p.rest)
            .map(|i| i.key.as_str())
            .collect();
        let digest: String = Sha256::digest(keys.join("\n").as_bytes())
            .iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect();
        let mut items = Vec::with_capacity(p.shown.len());
        for s in &p.shown {
            items.push(DigestItem::of(&render_one(templates, &recipient, s)?));
        }
        let context = DigestContext {
            recipient_name: recipient.name.as_deref(),
            date: format_date(today, recipient.language),
            count,
            items,
            more: p.rest.len(),
        };
        let rendered = templates
            .render("digest", recipient.language, &context)
            .map_err(|e| StoreError::Internal(format!("template digest: {e}")))?;
        // A digest about one secondment (its end and a milestone) is filed
        // under it.
        let one = p
            .shown
            .iter()
            .map(|s| &s.item)
            .chain(&p.rest)
            .all(|i| i.secondment_id == first.item.secondment_id);
        let secondment = one.then(|| first.item.secondment_id.clone()).flatten();
        (
            format!("digest:{today}:{}:{digest}", p.who),
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
            recipient_email: recipient.email,
            recipient_name: recipient.name,
            language: recipient.language.as_str().to_string(),
            subject: rendered.subject,
            text_body: rendered.text,
            html_body: rendered.html,
        },
        reminders: count,
        items: p
            .shown
            .into_iter()
            .map(|s| s.item)
            .chain(p.rest)
            .chain(p.covered)
            .collect(),
    })
}

/// Writes rendered emails to the outbox; returns how many reminders they
/// carry. All in one transaction and a few statements; when one of the
/// reminders was planned meanwhile (another instance), the batch is
/// written email by email instead and an email with such a reminder is
/// left out whole (the reminders' unique keys settle the race).
pub fn store(conn: &mut DbConnection, planned: &[Planned]) -> Result<usize, StoreError> {
    let batch: Vec<(&NewEmail, &[Item])> = planned
        .iter()
        .map(|p| (&p.email, p.items.as_slice()))
        .collect();
    match outbox::plan_batch(conn, &batch) {
        Ok(true) => return Ok(planned.iter().map(|p| p.reminders).sum()),
        Ok(false) => {}
        // A deadlock with another instance writing the same reminders, or
        // any other failure of the batch: email by email says which.
        Err(e) => tracing::warn!(error = %e, "reminder batch not written at once"),
    }
    let mut reminders = 0;
    for p in planned {
        if outbox::plan_items(conn, &p.email, &p.items)? {
            reminders += p.reminders;
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
    /// Reminders counted but not written out.
    more: usize,
}

/// The console's page of a secondment (after sign-in when needed), absolute
/// whoever plans the email (the server or the `tick` command).
fn link(settings: &Settings, secondment_id: &str) -> String {
    crate::domain::links::secondment_page(&settings.server.base_url(), secondment_id)
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
/// included) for approved and active secondments: to the official and to
/// the HR officers and the directors of both sides (home and host). Returns how
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
    let dir = Directory::load(conn)?;
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
        // SPEC: the HR officers and the directors of both sides.
        for unit in [&home, &host] {
            recipients.extend(dir.covering("hr_officer", unit));
            recipients.extend(dir.covering("director", unit));
        }
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
    let dir = Directory::load(conn)?;
    type Row = (
        String,
        String,
        NaiveDate,
        String,
        (String, String, String),
        String,
        String,
    );
    let due: Vec<Row> = milestones::table
        .inner_join(secondments::table.on(secondments::id.eq(milestones::secondment_id)))
        .inner_join(officials::table.on(officials::id.eq(secondments::official_id)))
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
            (officials::full_name, officials::email, officials::language),
            secondments::home_unit_id,
            secondments::host_unit_id,
        ))
        .load(conn)?;
    let mut names = HashMap::new();
    let mut planned = 0;
    for (mid, title, due_date, sid, (official_name, email, language), home, host) in due {
        let offsets = due_offsets(
            due_date,
            &settings.reminders.milestone_offsets_days,
            today,
            &holidays,
        );
        if offsets.is_empty() {
            continue;
        }
        let mut recipients = vec![Recipient {
            email,
            name: Some(official_name.clone()),
            language: stored_language(&language)?,
        }];
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

/// A request waiting for decisions.
struct Waiting {
    request_id: String,
    secondment_id: String,
    kind: &'static str,
    since: NaiveDate,
    official_name: String,
    home: String,
    host: String,
}

/// Proposals and extensions pending a decision, with what a nudge names:
/// two statements whatever their number.
fn waiting_requests(
    conn: &mut DbConnection,
    settings: &Settings,
) -> Result<Vec<Waiting>, StoreError> {
    use crate::store::schema::extensions;
    let tz = settings.tz();
    let local_day = |t| crate::domain::dates::local_date(t, tz);
    type Row = (
        String,
        String,
        Option<chrono::NaiveDateTime>,
        chrono::NaiveDateTime,
        String,
        String,
        String,
    );
    let proposals: Vec<Row> = secondments::table
        .inner_join(officials::table.on(officials::id.eq(secondments::official_id)))
        .filter(secondments::status.eq("pending_approval"))
        .select((
            secondments::id,
            secondments::id,
            secondments::submitted_at,
            secondments::updated_at,
            officials::full_name,
            secondments::home_unit_id,
            secondments::host_unit_id,
        ))
        .load(conn)?;
    let pending_extensions: Vec<Row> = extensions::table
        .inner_join(secondments::table.on(secondments::id.eq(extensions::secondment_id)))
        .inner_join(officials::table.on(officials::id.eq(secondments::official_id)))
        .filter(extensions::status.eq("pending"))
        .select((
            extensions::id,
            secondments::id,
            extensions::created_at.nullable(),
            extensions::created_at,
            officials::full_name,
            secondments::home_unit_id,
            secondments::host_unit_id,
        ))
        .load(conn)?;
    let tagged = proposals
        .into_iter()
        .map(|r| ("proposal", r))
        .chain(pending_extensions.into_iter().map(|r| ("extension", r)));
    Ok(tagged
        .map(
            |(kind, (request_id, sid, submitted, updated, name, home, host))| Waiting {
                request_id,
                secondment_id: sid,
                kind,
                since: local_day(submitted.unwrap_or(updated)),
                official_name: name,
                home,
                host,
            },
        )
        .collect())
}

/// The sides that decided each of `requests`, whatever their status now
/// (a request decided since it was read must not look undecided): one
/// statement per 5,000 requests.
fn decided_sides(
    conn: &mut DbConnection,
    requests: &[&Waiting],
) -> Result<HashMap<String, Vec<String>>, StoreError> {
    use crate::store::schema::approvals;
    let mut by_request: HashMap<String, Vec<String>> = HashMap::new();
    for chunk in requests.chunks(5000) {
        let ids: Vec<&str> = chunk.iter().map(|w| w.request_id.as_str()).collect();
        let rows: Vec<(String, String)> = approvals::table
            .filter(approvals::request_id.eq_any(ids))
            .select((approvals::request_id, approvals::side))
            .load(conn)?;
        for (request, side) in rows {
            by_request.entry(request).or_default().push(side);
        }
    }
    Ok(by_request)
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

/// Fingerprints of who is due a nudge about a request ([`nudge_checks`]),
/// from the directory once per unit.
struct Fingerprints<'a> {
    dir: &'a Directory,
    /// The targets' lowercased emails per (unit, escalated).
    emails: HashMap<(&'a str, bool), String>,
}

impl<'a> Fingerprints<'a> {
    fn of(
        &mut self,
        w: &'a Waiting,
        sides: &[crate::domain::approval::Side],
        escalate: bool,
    ) -> String {
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
        nudge_checks::fingerprint(&parts)
    }
}

impl Waiting {
    fn unit(&self, side: crate::domain::approval::Side) -> &str {
        match side {
            crate::domain::approval::Side::Home => &self.home,
            crate::domain::approval::Side::Host => &self.host,
        }
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
    let waiting = waiting_requests(conn, settings)?;
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

fn side_words(side: crate::domain::approval::Side, language: Language) -> &'static str {
    use crate::domain::approval::Side;
    match (side, language) {
        (Side::Home, Language::Vi) => "đơn vị cử",
        (Side::Host, Language::Vi) => "đơn vị tiếp nhận",
        (Side::Home, Language::En) => "home",
        (Side::Host, Language::En) => "host",
    }
}

#[cfg(test)]
mod tests {
    use crate::config::{Environment, Settings};

    #[test]
    fn an_email_links_to_the_console_page_of_its_secondment() {
        let mut settings =
            Settings::load_from(Environment::Test, std::path::Path::new("config")).unwrap();
        settings.server.public_url = "https://biet-phai.example.gov.vn/".into();
        assert_eq!(
            super::link(&settings, "abc"),
            "https://biet-phai.example.gov.vn/secondments/abc"
        );
    }
}
