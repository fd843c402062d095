//! Reminder planning: which reminders are due on a day, moved off weekends
//! and public holidays, with catch-up after downtime.

use std::collections::HashSet;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use sha2::{Digest, Sha256};

use super::user::Language;

/// A person a reminder goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    /// Address.
    pub email: String,
    /// Name, when known.
    pub name: Option<String>,
    /// The language they read.
    pub language: Language,
}

/// True on Saturdays, Sundays and public holidays.
pub fn is_day_off(day: NaiveDate, holidays: &HashSet<NaiveDate>) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun) || holidays.contains(&day)
}

/// The working day on or before `day`.
pub fn working_day_on_or_before(day: NaiveDate, holidays: &HashSet<NaiveDate>) -> NaiveDate {
    let mut d = day;
    // A year of consecutive days off does not exist; the bound keeps a
    // malformed holiday table from looping forever.
    for _ in 0..366 {
        if !is_day_off(d, holidays) {
            return d;
        }
        match d.checked_sub_days(Days::new(1)) {
            Some(prev) => d = prev,
            None => return d,
        }
    }
    day
}

/// The day a reminder `offset_days` before `target` goes out: that day, or
/// the working day before it.
pub fn send_day(target: NaiveDate, offset_days: u32, holidays: &HashSet<NaiveDate>) -> NaiveDate {
    let nominal = target
        .checked_sub_days(Days::new(u64::from(offset_days)))
        .unwrap_or(target);
    working_day_on_or_before(nominal, holidays)
}

/// Offsets whose reminder is due on `today` for something happening on
/// `target`: its send day has come (catch-up included) and the target is
/// not past. The outbox's idempotency key makes repeated ticks harmless,
/// so "due" means "should exist by now".
pub fn due_offsets(
    target: NaiveDate,
    offsets: &[u32],
    today: NaiveDate,
    holidays: &HashSet<NaiveDate>,
) -> Vec<u32> {
    if target < today {
        return Vec::new();
    }
    // Only the nearest reminder whose day has come is sent after a gap: a
    // server down for two months does not send the 90-day and the 30-day
    // reminder on the same morning.
    let mut due: Vec<u32> = offsets
        .iter()
        .copied()
        .filter(|o| send_day(target, *o, holidays) <= today)
        .collect();
    due.sort_unstable();
    due.truncate(1);
    due
}

/// The year whose public holidays must be loaded by `today`: from
/// 1 November, the next one (the Government's notice comes late in the
/// year, and reminders for January are planned in December).
pub fn holidays_due_year(today: NaiveDate) -> Option<i32> {
    (today.month() >= 11).then(|| today.year() + 1)
}

/// The last target date whose reminders can be due today: the largest
/// offset plus a month of slack for weekends and holidays.
pub fn horizon(today: NaiveDate, offsets: &[u32]) -> NaiveDate {
    let max = offsets.iter().copied().max().unwrap_or(0);
    today + Days::new(u64::from(max) + 31)
}

/// A fingerprint of who is due a nudge about a request: `parts` are each
/// the undecided side and the lowercased emails of its directors, and of
/// the parent unit's when escalated. The same people due the next day give
/// the same fingerprint.
pub fn fingerprint(parts: &[String]) -> String {
    Sha256::digest(parts.join("\n").as_bytes())
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn tet() -> HashSet<NaiveDate> {
        [
            "2026-02-16",
            "2026-02-17",
            "2026-02-18",
            "2026-02-19",
            "2026-02-20",
        ]
        .into_iter()
        .map(d)
        .collect()
    }

    #[test]
    fn weekends_and_holidays_move_to_the_working_day_before() {
        let none = HashSet::new();
        // 2026-03-01 is a Sunday: 7 days before 2026-03-08 (Sunday) too.
        assert_eq!(send_day(d("2026-03-08"), 7, &none), d("2026-02-27"));
        // Tết 2026: a reminder falling on 2026-02-18 goes out on Friday 13th.
        assert_eq!(send_day(d("2026-02-25"), 7, &tet()), d("2026-02-13"));
        assert_eq!(send_day(d("2026-03-04"), 0, &none), d("2026-03-04"));
    }

    #[test]
    fn a_missed_day_is_caught_up_while_the_target_is_not_past() {
        let none = HashSet::new();
        let end = d("2026-06-30"); // Tuesday
        let offsets = [90, 30, 7];
        assert!(due_offsets(end, &offsets, d("2026-03-31"), &none).is_empty());
        assert_eq!(due_offsets(end, &offsets, d("2026-04-01"), &none), [90]);
        assert_eq!(due_offsets(end, &offsets, d("2026-05-20"), &none), [90]);
        assert_eq!(due_offsets(end, &offsets, d("2026-06-01"), &none), [30]);
        assert_eq!(due_offsets(end, &offsets, d("2026-06-29"), &none), [7]);
        assert_eq!(due_offsets(end, &offsets, d("2026-06-30"), &none), [7]);
        assert!(due_offsets(end, &offsets, d("2026-07-01"), &none).is_empty());
    }

    proptest! {
        /// A send day is never after the nominal day and never a day off.
        #[test]
        fn send_days_are_working_days_before(days in 0u64..4000, offset in 0u32..200) {
            let target = d("2025-01-01") + Days::new(days);
            let day = send_day(target, offset, &tet());
            prop_assert!(day <= target - Days::new(u64::from(offset)));
            prop_assert!(!is_day_off(day, &tet()));
        }
    }

    #[test]
    fn the_fingerprint_changes_with_who_is_due() {
        let a = fingerprint(&["home=a@b.vn".into()]);
        assert_eq!(a, fingerprint(&["home=a@b.vn".into()]));
        assert_ne!(a, fingerprint(&["home=a@b.vn,c@d.vn".into()]));
        assert_eq!(a.len(), 32);
    }

    #[test]
    fn the_next_years_holidays_are_due_from_november() {
        assert_eq!(holidays_due_year(d("2026-10-31")), None);
        assert_eq!(holidays_due_year(d("2026-11-01")), Some(2027));
        assert_eq!(holidays_due_year(d("2026-12-31")), Some(2027));
        assert_eq!(holidays_due_year(d("2027-01-01")), None);
    }
}
