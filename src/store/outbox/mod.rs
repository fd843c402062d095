//! The outbox tables (`emails` and the reminders each carries,
//! `email_items`): the store writes their rows in the unit of work of the
//! change that causes them; `mail` renders what goes in them and sends
//! them after commit.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::store::schema::{email_items, emails};
use crate::store::{DbConnection, StoreError};

mod plan;
mod send;

pub use plan::{cancel_unsent, existing, keys_about, keys_between, plan, plan_batch, plan_items};
pub use send::{claim, mark_failed, mark_sent};

/// A stored email.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = emails)]
pub struct EmailRow {
    /// Identifier.
    pub id: String,
    /// Unique key, e.g. `end:{secondment}:{end_date}:{offset}:{recipient}`.
    pub idempotency_key: String,
    /// `end_reminder`, ...
    pub kind: String,
    /// The secondment it is about.
    pub secondment_id: Option<String>,
    /// The date it refers to (the end date for end reminders).
    pub reference_date: Option<NaiveDate>,
    /// Recipient address.
    pub recipient_email: String,
    /// Recipient name.
    pub recipient_name: Option<String>,
    /// `vi` or `en`.
    #[diesel(deserialize_as = String)]
    pub language: crate::domain::user::Language,
    /// Subject.
    pub subject: String,
    /// Plain text.
    pub text_body: String,
    /// HTML.
    pub html_body: String,
    /// `pending`, `sending`, `sent`, `failed`, `dead`, `cancelled`.
    #[diesel(deserialize_as = String)]
    pub status: crate::domain::outbox::EmailStatus,
    /// Attempts so far.
    pub attempts: i32,
    /// Not before.
    pub next_attempt_at: NaiveDateTime,
    /// Reserved by a dispatcher until.
    pub lease_until: Option<NaiveDateTime>,
    /// The last failure.
    pub last_error: Option<String>,
    /// Message-ID (without brackets).
    pub message_id: String,
    /// When sent.
    pub sent_at: Option<NaiveDateTime>,
    /// Planned.
    pub created_at: NaiveDateTime,
    /// Last changed.
    pub updated_at: NaiveDateTime,
}

/// An email to plan.
#[derive(Debug, Clone)]
pub struct NewEmail {
    /// Unique key.
    pub idempotency_key: String,
    /// Kind.
    pub kind: &'static str,
    /// Secondment.
    pub secondment_id: Option<String>,
    /// Reference date.
    pub reference_date: Option<NaiveDate>,
    /// Recipient.
    pub recipient_email: String,
    /// Name.
    pub recipient_name: Option<String>,
    /// Language.
    pub language: String,
    /// Subject.
    pub subject: String,
    /// Text.
    pub text_body: String,
    /// HTML.
    pub html_body: String,
    /// Message-ID.
    pub message_id: String,
}

/// One reminder inside an email: its own idempotency key, so that an
/// email carrying several reminders still plans each exactly once.
#[derive(Debug, Clone)]
pub struct Item {
    /// Unique key of the reminder.
    pub key: String,
    /// Kind of reminder.
    pub kind: &'static str,
    /// Its secondment.
    pub secondment_id: Option<String>,
    /// Its reference date (the end or due date).
    pub reference_date: Option<NaiveDate>,
}

/// The reminders carried by each of `email_ids`: (email id, item).
pub fn items_of(
    conn: &mut DbConnection,
    email_ids: &[String],
) -> Result<Vec<(String, Item)>, StoreError> {
    type ItemRow = (String, String, String, Option<String>, Option<NaiveDate>);
    let rows: Vec<ItemRow> = email_items::table
        .filter(email_items::email_id.eq_any(email_ids))
        .order(email_items::idempotency_key.asc())
        .select((
            email_items::email_id,
            email_items::idempotency_key,
            email_items::kind,
            email_items::secondment_id,
            email_items::reference_date,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(email, key, kind, secondment_id, reference_date)| {
            (
                email,
                Item {
                    key,
                    kind: known_kind(&kind),
                    secondment_id,
                    reference_date,
                },
            )
        })
        .collect())
}

/// The reminder kinds, as stored.
fn known_kind(kind: &str) -> &'static str {
    match kind {
        "end_reminder" => "end_reminder",
        "milestone_reminder" => "milestone_reminder",
        "approval_nudge" => "approval_nudge",
        _ => "other",
    }
}

/// Admin list filters.
#[derive(Debug, Clone, Default)]
pub struct EmailFilter {
    /// Only this status.
    pub status: Option<String>,
    /// Only this secondment.
    pub secondment_id: Option<String>,
    /// Ids after this.
    pub after: Option<String>,
    /// Rows to fetch.
    pub limit: i64,
}

/// A page of the outbox in id order.
pub fn list(conn: &mut DbConnection, f: &EmailFilter) -> Result<Vec<EmailRow>, StoreError> {
    let mut q = emails::table.select(EmailRow::as_select()).into_boxed();
    if let Some(s) = &f.status {
        q = q.filter(emails::status.eq(s.clone()));
    }
    if let Some(s) = &f.secondment_id {
        // Through the items: a digest may carry reminders of several.
        q = q.filter(
            emails::id.eq_any(
                email_items::table
                    .filter(email_items::secondment_id.eq(s.clone()))
                    .select(email_items::email_id),
            ),
        );
    }
    if let Some(a) = &f.after {
        q = q.filter(emails::id.gt(a.clone()));
    }
    Ok(q.order(emails::id.asc()).limit(f.limit).load(conn)?)
}

/// Emails per status, for metrics.
pub fn count_by_status(conn: &mut DbConnection) -> Result<Vec<(String, i64)>, StoreError> {
    Ok(emails::table
        .group_by(emails::status)
        .select((emails::status, diesel::dsl::count_star()))
        .load(conn)?)
}
