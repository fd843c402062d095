//! A personal calendar feed (RFC 5545) from the dated things a user can
//! see: one all-day event per secondment end and per milestone, with a
//! `UID` that stays the same from one download to the next, so calendar
//! programs update events instead of duplicating them.

use chrono::{DateTime, Days, NaiveDate, Utc};
use icalendar::{Calendar, Component, Event, EventLike, Property};

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
    let (uid, summary, secondment_id, on) = match item {
        Dated::Ends {
            secondment_id,
            kind,
            official,
            host,
            on,
        } => (
            format!("secondment-{secondment_id}-end@secondments"),
            ends_summary(*kind, official, host, language),
            secondment_id,
            *on,
        ),
        Dated::Milestone {
            milestone_id,
            secondment_id,
            title,
            official,
            on,
        } => (
            format!("milestone-{milestone_id}@secondments"),
            match language {
                Language::Vi => format!("Mốc: {title} ({official})"),
                Language::En => format!("Milestone: {title} ({official})"),
            },
            secondment_id,
            *on,
        ),
    };
    let mut event = Event::new();
    event
        .uid(&uid)
        .timestamp(stamp)
        .summary(&summary)
        .starts(on)
        .url(&link(secondment_id));
    // All day: DTEND is the next day (RFC 5545 3.6.1, exclusive end).
    if let Some(next) = on.checked_add_days(Days::new(1)) {
        event.ends(next);
    }
    event.done()
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
        assert!(en.contains("Milestone: Báo cáo giữa kỳ"));
    }

    #[test]
    fn an_empty_feed_is_a_valid_calendar() {
        let text = feed(&[], Language::En, &|id| id.to_string(), Utc::now());
        assert!(text.contains("VERSION:2.0"));
        assert!(!text.contains("BEGIN:VEVENT"));
        assert!(text.trim_end().ends_with("END:VCALENDAR"));
    }
}
