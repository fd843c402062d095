//! Writing reminders into the outbox: once per idempotency key, in the
//! unit of work of the change or the tick that causes them, and
//! cancelling the unsent ones when their reason goes away.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::{Item, NewEmail};
use crate::store::schema::{email_items, emails};
use crate::store::{new_id, now_utc, DbConnection, StoreError};

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
/// Of `keys`, those planned already (in any email, any status).
pub fn existing(conn: &mut DbConnection, keys: &[String]) -> Result<Vec<String>, StoreError> {
    Ok(email_items::table
        .filter(email_items::idempotency_key.eq_any(keys))
        .select(email_items::idempotency_key)
        .load(conn)?)
}

/// The keys of the reminders of one kind already planned for reference
/// dates in a range: one query instead of one per email.
pub fn keys_between(
    conn: &mut DbConnection,
    kind: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashSet<String>, StoreError> {
    Ok(email_items::table
        .filter(email_items::kind.eq(kind))
        .filter(email_items::reference_date.ge(from))
        .filter(email_items::reference_date.le(to))
        .select(email_items::idempotency_key)
        .load::<String>(conn)?
        .into_iter()
        .collect())
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
    crate::store::nudge_checks::released(conn, &released)?;
    Ok(cancelled.len())
}
