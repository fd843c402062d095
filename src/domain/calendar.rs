//! A personal calendar feed (RFC 5545) from the dated things a user can
//! see: one all-day event per secondment end and per milestone, with a
//! `UID` that stays the same from one download to the next, so calendar
//! programs update events instead of duplicating them. A milestone's
//! event says where it stands (done on which day, missed) in its title,
//! which every calendar program shows (decision 0038).

use chrono::{DateTime, Days, NaiveDate, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};

use super::milestone::MilestoneStatus;
use super::secondment::Kind;
use super::user::Language;

/// Something dated the feed shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dated {
    /// The last day of a secondment or rotation.
    Ends {
        /// The secondment's id.
        secondment_id: String,
        /// Secondment or rotation.
        kind: Kind,
        /// The official's full name.
        official: String,
        /// The host unit's name.
        host: String,
        /// The last day (served, or planned).
        on: NaiveDate,
    },
    /// A milestone's due date.
    Milestone {
        /// The milestone's id.
        milestone_id: String,
        /// The secondment's id.
        secondment_id: String,
        /// What the milestone is.
        title: String,
        /// The official's full name.
        official: String,
        /// Due date.
        on: NaiveDate,
        /// Planned, done or missed (cancelled ones are left out).
        status: MilestoneStatus,
        /// The day it was done, in the configured time zone.
        done_on: Option<NaiveDate>,
    },
}

/// The feed's text. `link` turns a secondment id into the address of its
/// page; `stamp` is the time of this download (`DTSTAMP`).
pub fn feed(
    items: &[Dated],
    language: Language,
    link: &dyn Fn(&str) -> String,
    stamp: DateTime<Utc>,
) -> String {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", "-//secondments//calendar feed//EN"))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", "PUBLISH"))
        .name(match language {
            Language::Vi => "Biệt phái và luân chuyển",
            Language::En => "Secondments",
        });
    for item in items {
        calendar.push(event(item, language, link, stamp));
    }
    calendar.to_string()
}

fn event(
    item: &Dated,
    language: Language,
    link: &dyn Fn(&str) -> String,
    stamp: DateTime<Utc>,
) -> Event {
    let (uid, summary, description, secondment_id, on) = match item {
        Dated::Ends {
            secondment_id,
            kind,
            official,
            host,
            on,
        } => (
            format!("secondment-{secondment_id}-end@secondments"),
            ends_summary(*kind, official, host, language),
            None,
            secondment_id,
            *on,
        ),
        Dated::Milestone {
            milestone_id,
            secondment_id,
            title,
            official,
            on,
            status,
            done_on,
        } => {
            let state = milestone_state(*status, *done_on, language);
            (
                format!("milestone-{milestone_id}@secondments"),
                match (language, &state) {
                    (Language::Vi, Some(s)) => format!("Mốc ({s}): {title} ({official})"),
                    (Language::En, Some(s)) => format!("Milestone ({s}): {title} ({official})"),
                    (Language::Vi, None) => format!("Mốc: {title} ({official})"),
                    (Language::En, None) => format!("Milestone: {title} ({official})"),
                },
                state,
                secondment_id,
                *on,
            )
        }
    };
    let page = link(secondment_id);
    let mut event = Event::new();
    event
        .uid(&uid)
        .timestamp(stamp)
        .summary(&summary)
        .starts(on)
        .status(EventStatus::Confirmed)
        .url(&page);
    // Programs that do not show URL still show the description.
    event.description(&match description {
        Some(state) => format!("{state}\n{page}"),
        None => page.clone(),
    });
    // All day: DTEND is the next day (RFC 5545 3.6.1, exclusive end).
    if let Some(next) = on.checked_add_days(Days::new(1)) {
        event.ends(next);
    }
    event.done()
}

/// Where a milestone stands, in words; `None` while planned.
fn milestone_state(
    status: MilestoneStatus,
    done_on: Option<NaiveDate>,
    language: Language,
) -> Option<String> {
    let day = |d: NaiveDate| match language {
        Language::Vi => d.format("%d/%m/%Y").to_string(),
        Language::En => d.format("%-d %B %Y").to_string(),
    };
    match (status, done_on, language) {
        (MilestoneStatus::Planned | MilestoneStatus::Cancelled, _, _) => None,
        (MilestoneStatus::Done, Some(d), Language::Vi) => {
            Some(format!("đã hoàn thành ngày {}", day(d)))
        }
        (MilestoneStatus::Done, Some(d), Language::En) => Some(format!("done on {}", day(d))),
        (MilestoneStatus::Done, None, Language::Vi) => Some("đã hoàn thành".into()),
        (MilestoneStatus::Done, None, Language::En) => Some("done".into()),
        (MilestoneStatus::Missed, _, Language::Vi) => Some("quá hạn, chưa hoàn thành".into()),
        (MilestoneStatus::Missed, _, Language::En) => Some("missed".into()),
    }
}

fn ends_summary(kind: Kind, official: &str, host: &str, language: Language) -> String {
    match (language, kind) {
        (Language::Vi, Kind::Secondment) => format!("Kết thúc biệt phái: {official} tại {host}"),
        (Language::Vi, Kind::Rotation) => format!("Kết thúc luân chuyển: {official} tại {host}"),
        (Language::En, Kind::Secondment) => format!("Secondment ends: {official} at {host}"),
        (Language::En, Kind::Rotation) => format!("Rotation ends: {official} at {host}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn items() -> Vec<Dated> {
        vec![
            Dated::Ends {
                secondment_id: "s1".into(),
                kind: Kind::Secondment,
                official: "Phạm Quang Hiếu".into(),
                host: "Sở Khoa học và Công nghệ Thái Nguyên".into(),
                on: day("2023-03-31"),
            },
            Dated::Milestone {
                milestone_id: "m1".into(),
                secondment_id: "s1".into(),
                title: "Báo cáo giữa kỳ".into(),
                official: "Phạm Quang Hiếu".into(),
                on: day("2022-03-31"),
                status: MilestoneStatus::Done,
                done_on: Some(day("2022-04-02")),
            },
        ]
    }

    #[test]
    fn events_are_all_day_with_stable_uids_in_the_users_language() {
        let stamp = Utc::now();
        let link = |id: &str| format!("https://example.test/api/v1/secondments/{id}");
        let vi = feed(&items(), Language::Vi, &link, stamp);
        assert!(vi.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(vi.contains("UID:secondment-s1-end@secondments\r\n"));
        assert!(vi.contains("UID:milestone-m1@secondments\r\n"));
        assert!(vi.contains("DTSTART;VALUE=DATE:20230331\r\n"));
        assert!(vi.contains("DTEND;VALUE=DATE:20230401\r\n"));
        assert!(vi.contains("Kết thúc biệt phái: Phạm Quang Hiếu"));
        let en = feed(&items(), Language::En, &link, stamp);
        assert!(en.contains("Secondment ends: Phạm Quang Hiếu"));
        assert!(en.contains("Milestone (done on 2 April 2022): Báo cáo giữa kỳ"));
        assert!(vi.contains("Mốc (đã hoàn thành ngày 02/04/2022): Báo cáo giữa kỳ"));
        assert!(vi.contains("URL:https://example.test/api/v1/secondments/s1\r\n"));
    }

    #[test]
    fn an_empty_feed_is_a_valid_calendar() {
        let text = feed(&[], Language::En, &|id| id.to_string(), Utc::now());
        assert!(text.contains("VERSION:2.0"));
        assert!(!text.contains("BEGIN:VEVENT"));
        assert!(text.trim_end().ends_with("END:VCALENDAR"));
    }
}
