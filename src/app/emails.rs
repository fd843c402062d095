//! The outbox as administrators read it: each email with the reminders it
//! carries.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::fields::{Id, Plain};
use super::page::{Page, PageWindow};
use super::AppError;
use crate::auth::{permissions, AuthUser};
pub use crate::domain::outbox::EmailStatus;
use crate::domain::user::Language;
use crate::store::outbox::{self, EmailFilter, EmailRow};
use crate::store::DbConnection;

/// One outbox email.
#[derive(Debug, Serialize, ToSchema)]
pub struct Email {
    /// Identifier.
    pub id: String,
    /// Unique key (what makes it be planned once).
    pub idempotency_key: String,
    /// Kind.
    pub kind: String,
    /// The secondment.
    pub secondment_id: Option<String>,
    /// The date it is about.
    pub reference_date: Option<NaiveDate>,
    /// Recipient.
    pub recipient_email: String,
    /// Language.
    pub language: Language,
    /// Subject.
    pub subject: String,
    /// `pending`, `sending`, `sent`, `failed`, `dead`, `cancelled`.
    pub status: EmailStatus,
    /// Attempts so far.
    pub attempts: i32,
    /// Next attempt (UTC).
    pub next_attempt_at: DateTime<Utc>,
    /// Last failure.
    pub last_error: Option<String>,
    /// Message-ID.
    pub message_id: String,
    /// Sent (UTC).
    pub sent_at: Option<DateTime<Utc>>,
    /// Planned (UTC).
    pub created_at: DateTime<Utc>,
    /// The reminders it carries (several when a person had several due
    /// on one day: `kind` is then `digest`), each with its own key.
    pub items: Vec<EmailItem>,
}

/// One reminder inside an email.
#[derive(Debug, Serialize, ToSchema)]
pub struct EmailItem {
    /// The reminder's unique key.
    pub idempotency_key: String,
    /// `end_reminder`, `milestone_reminder` or `approval_nudge`.
    pub kind: String,
    /// Its secondment.
    pub secondment_id: Option<String>,
    /// The date it is about.
    pub reference_date: Option<NaiveDate>,
}

impl From<EmailRow> for Email {
    fn from(e: EmailRow) -> Self {
        Email {
            id: e.id,
            idempotency_key: e.idempotency_key,
            kind: e.kind,
            secondment_id: e.secondment_id,
            reference_date: e.reference_date,
            recipient_email: e.recipient_email,
            language: e.language,
            subject: e.subject,
            status: e.status,
            attempts: e.attempts,
            next_attempt_at: e.next_attempt_at.and_utc(),
            last_error: e.last_error,
            message_id: e.message_id,
            sent_at: e.sent_at.map(|t| t.and_utc()),
            created_at: e.created_at.and_utc(),
            items: Vec::new(),
        }
    }
}

/// Filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EmailQuery {
    /// Only this status.
    pub status: Option<EmailStatus>,
    /// Only this secondment.
    pub secondment_id: Option<Id>,
    /// Page size (1-500, default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// One page of the outbox, filtered, each email with its reminders
/// (administrators).
pub fn list(
    caller: &AuthUser,
    tx: &mut DbConnection,
    q: EmailQuery,
) -> Result<Page<Email>, AppError> {
    permissions::require_admin(caller)?;
    let window = PageWindow::parse(q.limit, q.cursor.as_deref())?;
    let filter = EmailFilter {
        status: q.status.map(|s| s.as_str().to_string()),
        secondment_id: q.secondment_id.plain(),
        after: window.after.clone(),
        limit: window.fetch(),
    };
    let rows = outbox::list(tx, &filter)?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let items = outbox::items_of(tx, &ids)?;
    let mut page = window.page(rows, |r| r.id.clone(), Email::from);
    for (email_id, item) in items {
        if let Some(e) = page.items.iter_mut().find(|e| e.id == email_id) {
            e.items.push(EmailItem {
                idempotency_key: item.key,
                kind: item.kind.to_string(),
                secondment_id: item.secondment_id,
                reference_date: item.reference_date,
            });
        }
    }
    Ok(page)
}
