//! Sends due emails from the outbox with retries and exponential backoff.

use chrono::Duration;

use super::transport::{Mailer, OutgoingEmail};
use crate::config::MailSettings;
use crate::store::{outbox, Access, Database, StoreError};

/// What one round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct DispatchSummary {
    /// Accepted by the transport.
    pub sent: usize,
    /// Failed, to be retried.
    pub failed: usize,
    /// Failed for good (permanent error or attempts exhausted).
    pub dead: usize,
}

/// The delay before retry number `attempt` (1-based): base × 2^(attempt-1),
/// at most a day.
pub fn backoff(base_secs: u64, attempt: u32) -> Duration {
    let factor = 1u64 << attempt.saturating_sub(1).min(20);
    Duration::seconds(i64::try_from(base_secs.saturating_mul(factor).min(86_400)).unwrap_or(86_400))
}

/// Claims due emails and sends them, one round. Blocking: run it on the
/// blocking pool or a worker thread.
///
/// No connection is held while mail is sent: the batch is claimed (leased)
/// in one short write, the connection goes back to the pool, the messages
/// are sent on a few threads, and each result is recorded in its own short
/// write as soon as it is known.
///
/// A crash between the server accepting a message and the row being marked
/// sent leaves the row `sending`; after its lease it is sent again. That is
/// the one window for a duplicate (docs/operations.md).
pub fn dispatch_once(
    db: &Database,
    mailer: &Mailer,
    settings: &MailSettings,
) -> Result<DispatchSummary, StoreError> {
    let lease = Duration::seconds(i64::try_from(settings.lease_secs).unwrap_or(120));
    let batch = db.blocking(Access::Write, |c| {
        outbox::claim(c, i64::from(settings.batch_size), lease)
    })?;
    if batch.is_empty() {
        return Ok(DispatchSummary::default());
    }
    // Each SMTP transaction waits on round trips; sending a batch on a few
    // threads (the pooled transport is shared) keeps the relay busy.
    let threads = settings.send_concurrency.clamp(1, 64) as usize;
    let chunk = batch.len().div_ceil(threads).max(1);
    let outcomes: Vec<Result<Sent, StoreError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = batch
            .chunks(chunk)
            .map(|emails| {
                scope.spawn(move || {
                    emails
                        .iter()
                        .map(|email| send_and_record(db, mailer, settings, email))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut summary = DispatchSummary::default();
    for outcome in outcomes {
        match outcome? {
            Sent::Yes => summary.sent += 1,
            Sent::Retry => summary.failed += 1,
            Sent::Dead => summary.dead += 1,
        }
    }
    Ok(summary)
}

enum Sent {
    Yes,
    Retry,
    Dead,
}

/// Sends one claimed email, then records the result.
fn send_and_record(
    db: &Database,
    mailer: &Mailer,
    settings: &MailSettings,
    email: &outbox::EmailRow,
) -> Result<Sent, StoreError> {
    let outgoing = OutgoingEmail {
        to: email.recipient_email.clone(),
        to_name: email.recipient_name.clone(),
        subject: email.subject.clone(),
        text: email.text_body.clone(),
        html: email.html_body.clone(),
        message_id: email.message_id.clone(),
    };
    match mailer.send(&settings.from, &outgoing) {
        Ok(()) => {
            db.blocking(Access::Write, |c| outbox::mark_sent(c, &email.id))?;
            Ok(Sent::Yes)
        }
        Err(e) => {
            let attempt = u32::try_from(email.attempts).unwrap_or(0) + 1;
            let dead = e.permanent || attempt >= settings.max_attempts;
            tracing::warn!(email_id = %email.id, attempt, dead, error = %e.message, "email not sent");
            let retry_in = backoff(settings.retry_base_secs, attempt);
            db.blocking(Access::Write, |c| {
                outbox::mark_failed(c, &email.id, &e.message, dead, retry_in)
            })?;
            Ok(if dead { Sent::Dead } else { Sent::Retry })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(60, 1), Duration::seconds(60));
        assert_eq!(backoff(60, 2), Duration::seconds(120));
        assert_eq!(backoff(60, 5), Duration::seconds(960));
        assert_eq!(backoff(60, 40), Duration::seconds(86_400));
        assert_eq!(backoff(0, 3), Duration::zero());
    }
}
