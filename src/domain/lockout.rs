//! The per-account login lockout rule.

use chrono::{Duration, NaiveDateTime};

/// When an account is locked, the time the lock ends.
///
/// `recent_failures` are failure times inside the window, newest first. The
/// account is locked once `max_failures` of them fall inside the window,
/// until the oldest of those leaves it.
pub fn locked_until(
    recent_failures: &[NaiveDateTime],
    max_failures: u32,
    window: Duration,
    now: NaiveDateTime,
) -> Option<NaiveDateTime> {
    let max = usize::try_from(max_failures).ok()?.max(1);
    let counted: Vec<_> = recent_failures
        .iter()
        .filter(|t| **t > now - window)
        .take(max)
        .collect();
    if counted.len() < max {
        return None;
    }
    let oldest = counted.iter().min()?;
    Some(**oldest + window)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(secs: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_700_000_000 + secs, 0)
            .unwrap()
            .naive_utc()
    }

    #[test]
    fn four_failures_do_not_lock_five_do() {
        let w = Duration::minutes(15);
        let four = [t(40), t(30), t(20), t(10)];
        assert_eq!(locked_until(&four, 5, w, t(50)), None);
        let five = [t(50), t(40), t(30), t(20), t(10)];
        assert_eq!(locked_until(&five, 5, w, t(60)), Some(t(10) + w));
    }

    #[test]
    fn lock_ends_when_the_oldest_failure_leaves_the_window() {
        let w = Duration::seconds(100);
        let five = [t(50), t(40), t(30), t(20), t(10)];
        assert!(locked_until(&five, 5, w, t(109)).is_some());
        assert_eq!(locked_until(&five, 5, w, t(111)), None);
    }
}
