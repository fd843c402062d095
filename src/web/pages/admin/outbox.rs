//! The outbox: emails that failed for good first, then every email (or
//! those of one status), a page at a time.

use actix_web::HttpResponse;
use minijinja::context;

use super::{next_page_query, pairs, query_of};
use crate::app::emails::{self, EmailQuery, EmailStatus};
use crate::app::page::Page;
use crate::app::units;
use crate::web::render::{Console, PageError};

/// The outbox statuses, in the order the filter offers them.
const EMAIL_STATUSES: &[&str] = &["dead", "failed", "pending", "sending", "sent", "cancelled"];

/// One page of the outbox as asked.
async fn list(c: &Console, q: EmailQuery) -> Result<Page<emails::Email>, PageError> {
    let user = c.user();
    units::read(&c.state.db, move |tx| emails::list(&user, tx, q))
        .await
        .map_err(|e| c.fail(e))
}

/// The outbox: emails that failed for good first, then every email (or
/// those of the `?status=` asked for), newest planned last, a page at a time.
pub async fn outbox_page(c: Console) -> Result<HttpResponse, PageError> {
    let (query, mut q) = query_of::<EmailQuery>(&c)?;
    q.limit = Some(q.limit.unwrap_or(100));
    let dead = match q.status {
        None if q.cursor.is_none() => {
            let only_dead = EmailQuery {
                status: Some(EmailStatus::Dead),
                secondment_id: None,
                limit: Some(100),
                cursor: None,
            };
            Some(list(&c, only_dead).await?)
        }
        _ => None,
    };
    let page = list(&c, q).await?;
    let filters = pairs(&query);
    let next = page
        .next_cursor
        .as_deref()
        .map(|cursor| next_page_query(&filters, cursor));
    c.render(
        "admin_outbox.html",
        context! {
            dead => dead,
            page => page,
            next => next,
            filters => filters,
            statuses => EMAIL_STATUSES,
        },
    )
}
