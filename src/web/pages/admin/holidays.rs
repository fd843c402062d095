//! The public holidays of a year, the form that adds one and the button
//! that removes one.

use actix_web::{web, HttpResponse};
use chrono::Datelike;
use minijinja::{context, Value};

use super::query_of;
use crate::app::holidays::{self, HolidayQuery, NewHoliday};
use crate::app::units;
use crate::web::render::{see_other, Console, PageError};

/// The holidays of `year` and the years around it, as the page shows them.
async fn year_view(c: &Console, mut q: HolidayQuery, year: i32) -> Result<Value, PageError> {
    q.year = Some(year);
    q.limit = Some(q.limit.unwrap_or(500));
    let user = c.user();
    let page = units::read(&c.state.db, move |tx| holidays::list(&user, tx, q))
        .await
        .map_err(|e| c.fail(e))?;
    let years: Vec<i32> = (year - 2..=year + 2).collect();
    Ok(context! { year => year, years => years, holidays => page.items })
}

/// The public holidays of `?year=` (this year by default), with links to
/// the years around it.
pub async fn holidays_page(c: Console) -> Result<HttpResponse, PageError> {
    let (_, q) = query_of::<HolidayQuery>(&c)?;
    let year = q.year.unwrap_or_else(|| c.state.today().year());
    let view = year_view(&c, q, year).await?;
    c.render("admin_holidays.html", view)
}

/// Adds a holiday from the form, back to its year's page; a refused one
/// is shown at its field.
pub async fn add_holiday(c: Console, body: web::Bytes) -> Result<HttpResponse, PageError> {
    let form = c.form(&body)?;
    let added = match form.body::<NewHoliday>(&[], &[]) {
        Ok(b) => {
            let user = c.user();
            units::write(&c.state.db, move |tx| holidays::add(&user, tx, b))
                .await
                .map_err(Into::into)
        }
        Err(e) => Err(e),
    };
    match added {
        Ok(h) => Ok(see_other(&format!(
            "/admin/holidays?year={}",
            h.date.year()
        ))),
        Err(e) => {
            let year = form
                .get("date")
                .and_then(|d| d.get(..4))
                .and_then(|y| y.parse::<i32>().ok())
                .unwrap_or_else(|| c.state.today().year());
            let view = year_view(&c, HolidayQuery::default(), year).await?;
            c.refused("admin_holidays.html", &form, e, &[], view)
        }
    }
}

/// Removes a holiday, back to its year's page.
pub async fn remove_holiday(
    c: Console,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    c.form(&body)?;
    let (user, day) = (c.user(), path.clone());
    units::write(&c.state.db, move |tx| holidays::remove(&user, tx, &day))
        .await
        .map_err(|e| c.fail(e))?;
    let year = path.get(..4).unwrap_or_default();
    Ok(see_other(&format!("/admin/holidays?year={year}")))
}
