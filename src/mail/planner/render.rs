//! Rendering the gathered reminders (one email per person, a digest when
//! several are due) and writing them to the outbox.

use chrono::NaiveDate;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::outgoing::{PersonDue, Shown};
use crate::config::Settings;
use crate::domain::reminders::Recipient;
use crate::mail::templates::{format_date, Rendered, Templates};
use crate::store::outbox::{self, Item, NewEmail};
use crate::store::{DbConnection, StoreError};

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

/// A rendered email and the reminders it carries.
pub struct Planned {
    email: NewEmail,
    items: Vec<Item>,
    /// The reminders written out or counted in it (not the covered ones).
    reminders: usize,
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
