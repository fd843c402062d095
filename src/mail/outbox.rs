//! The outbox table: planning (once per idempotency key), claiming for
//! sending, and recording the result.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::store::schema::{email_items, emails};
use crate::store::{new_id, now_utc, DbConnection, StoreError};

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
    pub language: String,
    /// Subject.
    pub subject: String,
    /// Plain text.
    pub text_body: String,
    /// HTML.
    pub html_body: String,
    /// `pending`, `sending`, `sent`, `failed`, `dead`, `cancelled`.
    pub status: String,
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

/// Plans an email that carries one reminder, under the email's own key.
pub fn plan(conn: &mut DbConnection, e: &NewEmail) -> Result<bool, StoreError> {
    let item = Item {
        key: e.idempotency_key.clone(),
        kind: e.kind,
        secondment_id: e.secondment_id.clone(),
        reference_date: e.reference_date,
    };
    plan_items(conn, e, &[item])
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

/// Of `keys`, those planned already (in any email, any status).
pub fn existing(conn: &mut DbConnection, keys: &[String]) -> Result<Vec<String>, StoreError> {
    Ok(email_items::table
        .filter(email_items::idempotency_key.eq_any(keys))
        .select(email_items::idempotency_key)
        .load(conn)?)
}

/// The keys of the reminders of one kind planned about these secondments.
pub fn keys_about(
    conn: &mut DbConnection,
    kind: &str,
    secondment_ids: &[&str],
) -> Result<Vec<String>, StoreError> {
    Ok(email_items::table
        .filter(email_items::secondment_id.eq_any(secondment_ids))
        .filter(email_items::kind.eq(kind))
        .select(email_items::idempotency_key)
        .load(conn)?)
}

/// Inserts the email with its reminders unless one of them was planned
/// already; `true` when inserted. The unique keys settle races between
/// instances: a clash rolls the whole email back.
pub fn plan_items(
    conn: &mut DbConnection,
    e: &NewEmail,
    items: &[Item],
) -> Result<bool, StoreError> {
    if !existing(
        conn,
        &items.iter().map(|i| i.key.clone()).collect::<Vec<_>>(),
    )?
    .is_empty()
    {
        return Ok(false);
    }
    plan_batch(conn, &[(e, items)])
}

#[derive(Insertable)]
#[diesel(table_name = emails, treat_none_as_default_value = false)]
struct NewEmailRow<'a> {
    id: &'a str,
    idempotency_key: &'a str,
    kind: &'a str,
    secondment_id: Option<&'a str>,
    reference_date: Option<NaiveDate>,
    recipient_email: &'a str,
    recipient_name: Option<&'a str>,
    language: &'a str,
    subject: &'a str,
    text_body: &'a str,
    html_body: &'a str,
    status: &'a str,
    attempts: i32,
    next_attempt_at: NaiveDateTime,
    message_id: &'a str,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = email_items, treat_none_as_default_value = false)]
struct NewItemRow<'a> {
    idempotency_key: &'a str,
    email_id: &'a str,
    kind: &'a str,
    secondment_id: Option<&'a str>,
    reference_date: Option<NaiveDate>,
    created_at: NaiveDateTime,
}

/// Inserts the emails with their reminders in one transaction (a bulk
/// insert per table); `false`, and nothing written, when one of the
/// reminders was planned already.
pub fn plan_batch(
    conn: &mut DbConnection,
    batch: &[(&NewEmail, &[Item])],
) -> Result<bool, StoreError> {
    let now = now_utc();
    let ids: Vec<String> = batch.iter().map(|_| new_id()).collect();
    let emails: Vec<NewEmailRow> = batch
        .iter()
        .zip(&ids)
        .map(|((e, _), id)| NewEmailRow {
            id,
            idempotency_key: &e.idempotency_key,
            kind: e.kind,
            secondment_id: e.secondment_id.as_deref(),
            reference_date: e.reference_date,
            recipient_email: &e.recipient_email,
            recipient_name: e.recipient_name.as_deref(),
            language: &e.language,
            subject: &e.subject,
            text_body: &e.text_body,
            html_body: &e.html_body,
            status: "pending",
            attempts: 0,
            next_attempt_at: now,
            message_id: &e.message_id,
            created_at: now,
            updated_at: now,
        })
        .collect();
    let items: Vec<NewItemRow> = batch
        .iter()
        .zip(&ids)
        .flat_map(|((_, items), id)| {
            items.iter().map(move |item| NewItemRow {
                idempotency_key: &item.key,
                email_id: id,
                kind: item.kind,
                secondment_id: item.secondment_id.as_deref(),
                reference_date: item.reference_date,
                created_at: now,
            })
        })
        .collect();
    let inserted = conn.transaction::<_, diesel::result::Error, _>(|conn| {
        crate::store::bulk_insert!(&mut *conn, emails::table, &emails, 1000)?;
        // After the emails: the items refer to them.
        crate::store::bulk_insert!(&mut *conn, email_items::table, &items, 2000)?;
        Ok(())
    });
    match inserted.map_err(StoreError::from) {
        Ok(_) => Ok(true),
        Err(StoreError::UniqueViolation(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Cancels the unsent reminders of a secondment, of one kind and reference
/// date when given; returns how many emails were cancelled. An email that
/// also carried other reminders is cancelled whole, and those others are
/// released (their keys removed) so the next tick plans them again.
pub fn cancel_unsent(
    conn: &mut DbConnection,
    secondment_id: &str,
    kind: Option<&str>,
    reference_date: Option<NaiveDate>,
) -> Result<usize, StoreError> {
    let mut q = email_items::table
        .inner_join(emails::table.on(emails::id.eq(email_items::email_id)))
        .filter(email_items::secondment_id.eq(secondment_id))
        .filter(emails::status.eq_any(["pending", "failed"]))
        .select((email_items::email_id, email_items::idempotency_key))
        .into_boxed();
    if let Some(k) = kind {
        q = q.filter(email_items::kind.eq(k.to_string()));
    }
    if let Some(d) = reference_date {
        q = q.filter(email_items::reference_date.eq(d));
    }
    let hits: Vec<(String, String)> = q.load(conn)?;
    let mut ids: Vec<String> = hits.iter().map(|(id, _)| id.clone()).collect();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Ok(0);
    }
    let cancelled_keys: Vec<String> = hits.into_iter().map(|(_, k)| k).collect();
    // Only emails still unsent: a dispatcher may have claimed one since.
    let cancelled: Vec<String> = diesel::update(
        emails::table
            .filter(emails::id.eq_any(&ids))
            .filter(emails::status.eq_any(["pending", "failed"])),
    )
    .set((
        emails::status.eq("cancelled"),
        emails::updated_at.eq(now_utc()),
    ))
    .returning(emails::id)
    .get_results(conn)?;
    let released: Vec<String> = diesel::delete(
        email_items::table
            .filter(email_items::email_id.eq_any(&cancelled))
            .filter(diesel::dsl::not(
                email_items::idempotency_key.eq_any(&cancelled_keys),
            )),
    )
    .returning(email_items::idempotency_key)
    .get_results(conn)?;
    super::nudge_checks::released(conn, &released)?;
    Ok(cancelled.len())
}

/// Reserves up to `batch` due emails for this dispatcher for `lease`.
/// PostgreSQL: `FOR UPDATE SKIP LOCKED`, so concurrent dispatchers take
/// disjoint rows. SQLite (one writer): a conditional update per row.
pub fn claim(
    conn: &mut DbConnection,
    batch: i64,
    lease: Duration,
) -> Result<Vec<EmailRow>, StoreError> {
    let now = now_utc();
    let due = emails::status
        .eq_any(["pending", "failed"])
        .and(emails::next_attempt_at.le(now))
        .or(emails::status
            .eq("sending")
            .and(emails::lease_until.lt(now)));
    conn.transaction(|conn| {
        // On SQLite this runs in the writer's IMMEDIATE transaction, which
        // holds the write lock already.
        let ids: Vec<String> = match conn {
            DbConnection::Pg(pg) => emails::table
                .filter(due.clone())
                .order(emails::next_attempt_at.asc())
                .limit(batch)
                .select(emails::id)
                .for_update()
                .skip_locked()
                .load(pg)?,
            DbConnection::Sqlite(_) => emails::table
                .filter(due.clone())
                .order(emails::next_attempt_at.asc())
                .limit(batch)
                .select(emails::id)
                .load(conn)?,
        };
        let mut claimed = Vec::new();
        for id in ids {
            let n = diesel::update(emails::table.find(&id).filter(due.clone()))
                .set((
                    emails::status.eq("sending"),
                    emails::lease_until.eq(Some(now + lease)),
                    emails::updated_at.eq(now),
                ))
                .execute(conn)?;
            if n == 1 {
                claimed.push(
                    emails::table
                        .find(&id)
                        .select(EmailRow::as_select())
                        .first(conn)?,
                );
            }
        }
        Ok(claimed)
    })
}

/// Records a successful send.
pub fn mark_sent(conn: &mut DbConnection, id: &str) -> Result<(), StoreError> {
    let now = now_utc();
    diesel::update(emails::table.find(id))
        .set((
            emails::status.eq("sent"),
            emails::attempts.eq(emails::attempts + 1),
            emails::sent_at.eq(Some(now)),
            emails::lease_until.eq(None::<NaiveDateTime>),
            emails::last_error.eq(None::<String>),
            emails::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records a failure: retried after `retry_in`, or dead.
pub fn mark_failed(
    conn: &mut DbConnection,
    id: &str,
    error: &str,
    dead: bool,
    retry_in: Duration,
) -> Result<(), StoreError> {
    let now = now_utc();
    diesel::update(emails::table.find(id))
        .set((
            emails::status.eq(if dead { "dead" } else { "failed" }),
            emails::attempts.eq(emails::attempts + 1),
            emails::next_attempt_at.eq(now + retry_in),
            emails::lease_until.eq(None::<NaiveDateTime>),
            emails::last_error.eq(Some(error.chars().take(1000).collect::<String>())),
            emails::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
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
