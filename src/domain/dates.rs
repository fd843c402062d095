//! Calendar arithmetic for durations counted in calendar months.

use chrono::{Datelike, Days, Months, NaiveDate};

/// `date` plus `months` calendar months; a day that does not exist in the
/// target month is clamped to its last day (31 Jan + 1 month = 28/29 Feb).
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// The last day of a period of `months` calendar months starting on `start`,
/// end date inclusive: `start + months - 1 day`. 2021-04-01 for 36 months
/// ends on 2024-03-31.
pub fn last_day_of_months(start: NaiveDate, months: u32) -> NaiveDate {
    add_months(start, months)
        .checked_sub_days(Days::new(1))
        .unwrap_or(NaiveDate::MIN)
}

/// `date` plus `years` calendar years (29 Feb clamps to 28 Feb).
pub fn add_years(date: NaiveDate, years: u32) -> NaiveDate {
    add_months(date, years.saturating_mul(12))
}

/// Whole calendar months from `start` to `end` inclusive, rounded down:
/// 2021-04-01..2024-03-31 is 36.
pub fn whole_months(start: NaiveDate, end: NaiveDate) -> u32 {
    if end < start {
        return 0;
    }
    let mut months = (end.year() - start.year()) * 12 + end.month() as i32 - start.month() as i32;
    while months > 0 && last_day_of_months(start, months as u32) > end {
        months -= 1;
    }
    while last_day_of_months(start, months as u32 + 1) <= end {
        months += 1;
    }
    months.max(0) as u32
}

/// The UTC instant at which `day` begins in the time zone `tz` (the first
/// moment of the day when a transition skips midnight).
pub fn day_start_utc(day: NaiveDate, tz: chrono_tz::Tz) -> chrono::NaiveDateTime {
    use chrono::TimeZone;
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    match tz.from_local_datetime(&midnight) {
        chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => t.naive_utc(),
        chrono::LocalResult::None => tz
            .from_local_datetime(&(midnight + chrono::Duration::hours(1)))
            .earliest()
            .map(|t| t.naive_utc())
            .unwrap_or(midnight),
    }
}

/// The calendar day a stored UTC timestamp falls on in the configured time
/// zone: what every date shown from a timestamp (approved, decided,
/// completed, created...) says. 19:25 UTC on 7 December is 02:25 on
/// 8 December in Vietnam (UTC+7), so the day is 8 December.
pub fn local_date(at_utc: chrono::NaiveDateTime, tz: chrono_tz::Tz) -> NaiveDate {
    at_utc.and_utc().with_timezone(&tz).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_day_in_hanoi_starts_at_17_utc_the_day_before() {
        let t = day_start_utc(d("2026-12-02"), chrono_tz::Asia::Ho_Chi_Minh);
        assert_eq!(t.to_string(), "2026-12-01 17:00:00");
    }

    #[test]
    fn thirty_six_months_from_april_2021_end_on_31_march_2024() {
        assert_eq!(last_day_of_months(d("2021-04-01"), 36), d("2024-03-31"));
        assert_eq!(whole_months(d("2021-04-01"), d("2024-03-31")), 36);
        assert_eq!(whole_months(d("2021-04-01"), d("2024-03-30")), 35);
    }

    #[test]
    fn month_ends_and_leap_years_clamp() {
        assert_eq!(add_months(d("2021-01-31"), 1), d("2021-02-28"));
        assert_eq!(add_months(d("2024-01-31"), 1), d("2024-02-29"));
        assert_eq!(last_day_of_months(d("2021-01-31"), 1), d("2021-02-27"));
        assert_eq!(add_months(d("2023-08-31"), 6), d("2024-02-29"));
        assert_eq!(add_years(d("2024-02-29"), 1), d("2025-02-28"));
        assert_eq!(add_years(d("2024-02-29"), 4), d("2028-02-29"));
    }

    proptest! {
        #[test]
        fn the_last_day_is_the_longest_period_of_whole_months(
            days in 0u64..20_000, months in 1u32..120
        ) {
            let start = d("2000-01-01") + Days::new(days);
            let end = last_day_of_months(start, months);
            prop_assert!(end > start);
            prop_assert_eq!(whole_months(start, end), months);
            prop_assert!(whole_months(start, end + Days::new(1)) <= months + 1);
            prop_assert!(whole_months(start, end - Days::new(1)) < months);
        }
    }

    #[test]
    fn a_timestamp_shows_the_day_it_is_in_vietnam() {
        let at = "2025-12-07T19:25:00".parse().unwrap();
        assert_eq!(
            local_date(at, chrono_tz::Asia::Ho_Chi_Minh),
            d("2025-12-08")
        );
        assert_eq!(local_date(at, chrono_tz::UTC), d("2025-12-07"));
    }
}
