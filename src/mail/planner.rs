//! Plans reminder emails into the outbox during the daily tick.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::outbox::{self, NewEmail};
use super::templates::{format_date, Templates};
use crate::config::Settings;
use crate::domain::reminders::due_offsets;
use crate::domain::user::Language;
use crate::store::schema::{holidays, officials, org_units, secondments, users};
use crate::store::{DbConnection, StoreError};

/// A person an email goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Recipient {
    email: String,
    name: Option<String>,
    language: Language,
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

/// Active users of a role whose scope covers the unit.
fn staff_covering(
    conn: &mut DbConnection,
    role: &str,
    unit_id: &str,
) -> Result<Vec<Recipient>, StoreError> {
    let units = unit_and_ancestors(conn, unit_id)?;
    let rows: Vec<(String, String, Option<String>)> = users::table
        .filter(users::role.eq(role))
        .filter(users::disabled.eq(false))
        .filter(users::org_unit_id.eq_any(units))
        .select((users::email, users::language, users::official_id))
        .load(conn)?;
    let mut out = Vec::new();
    for (email, language, official) in rows {
        let name = match official {
            Some(o) => officials::table
                .find(o)
                .select(officials::full_name)
                .first::<String>(conn)
                .optional()?,
            None => None,
        };
        out.push(Recipient {
            name,
            email,
            language: Language::parse(&language).unwrap_or_default(),
        });
    }
    Ok(out)
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
    templates: &Templates,
    today: NaiveDate,
) -> Result<usize, StoreError> {
    let holidays = holiday_set(conn)?;
    let running: Vec<(String, String, String, String, NaiveDate)> = secondments::table
        .filter(secondments::status.eq_any(["approved", "active"]))
        .filter(secondments::end_date.ge(today))
        .select((
            secondments::id,
            secondments::official_id,
            secondments::home_unit_id,
            secondments::host_unit_id,
            secondments::end_date,
        ))
        .load(conn)?;
    let mut unit_names: HashMap<String, String> = HashMap::new();
    let mut planned = 0;
    for (id, official_id, home, host, end_date) in running {
        let offsets = due_offsets(
            end_date,
            &settings.reminders.end_offsets_days,
            today,
            &holidays,
        );
        if offsets.is_empty() {
            continue;
        }
        let (official_name, official_email, official_language): (String, String, String) =
            officials::table
                .find(&official_id)
                .select((officials::full_name, officials::email, officials::language))
                .first(conn)?;
        let mut recipients = vec![Recipient {
            email: official_email,
            name: Some(official_name.clone()),
            language: Language::parse(&official_language).unwrap_or_default(),
        }];
        recipients.extend(staff_covering(conn, "hr_officer", &home)?);
        recipients.extend(staff_covering(conn, "director", &home)?);
        recipients.extend(staff_covering(conn, "director", &host)?);
        let mut seen = HashSet::new();
        recipients.retain(|r| seen.insert(r.email.to_lowercase()));
        for unit in [&home, &host] {
            if !unit_names.contains_key(unit) {
                let name: String = org_units::table
                    .find(unit)
                    .select(org_units::name)
                    .first(conn)?;
                unit_names.insert(unit.clone(), name);
            }
        }
        let days_left = (end_date - today).num_days();
        for offset in offsets {
            for r in &recipients {
                let key = format!("end:{id}:{end_date}:{offset}:{}", r.email.to_lowercase());
                if outbox::exists(conn, &key)? {
                    continue;
                }
                let context = EndContext {
                    recipient_name: r.name.as_deref(),
                    official_name: &official_name,
                    home_unit: unit_names.get(&home).map_or("", String::as_str),
                    host_unit: unit_names.get(&host).map_or("", String::as_str),
                    end_date: format_date(end_date, r.language),
                    days_left,
                    link: format!(
                        "{}/api/v1/secondments/{id}",
                        settings.server.public_url.trim_end_matches('/')
                    ),
                    subject: "",
                };
                let rendered = templates
                    .render("end_reminder", r.language, &context)
                    .map_err(|e| StoreError::Internal(format!("template end_reminder: {e}")))?;
                let added = outbox::plan(
                    conn,
                    &NewEmail {
                        message_id: message_id(&key, &settings.mail.from),
                        idempotency_key: key,
                        kind: "end_reminder",
                        secondment_id: Some(id.clone()),
                        reference_date: Some(end_date),
                        recipient_email: r.email.clone(),
                        recipient_name: r.name.clone(),
                        language: r.language.as_str().to_string(),
                        subject: rendered.subject,
                        text_body: rendered.text,
                        html_body: rendered.html,
                    },
                )?;
                if added {
                    planned += 1;
                }
            }
        }
    }
    Ok(planned)
}
