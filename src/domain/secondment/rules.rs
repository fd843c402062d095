//! The policy rules of SPEC 2: the cap on a secondment's length, the
//! order of its dates, protected officials, and a rotation's minimum
//! length, succession plan and working time left; each broken rule is a
//! [`Violation`] naming the rule and the field it is about.

use chrono::NaiveDate;

use super::Kind;
use crate::domain::dates::{add_years, last_day_of_months};

/// Policy values from configuration.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Longest secondment in calendar months, extensions included.
    pub max_months: u32,
    /// Shortest rotation in calendar months without an exception.
    pub rotation_min_months: u32,
    /// Years of working time a rotated official must have left.
    pub rotation_min_years_left: u32,
}

/// What the rules need to know about a proposed posting.
#[derive(Debug, Clone)]
pub struct Proposal {
    /// Kind.
    pub kind: Kind,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day (planned, possibly extended).
    pub end_date: NaiveDate,
    /// The competent authority's decision allowing a shorter rotation.
    pub exception_ref: Option<String>,
    /// The official's succession-plan flag.
    pub in_succession_plan: bool,
    /// The official's retirement date, when known.
    pub retirement_date: Option<NaiveDate>,
    /// The official is protected (pregnancy, child under 36 months) until.
    pub protected_until: Option<NaiveDate>,
}

/// A date a user states for something that happened during a secondment
/// (a milestone done, an outcome, a decision): not before the start, not
/// after the (actual or planned) end, and not in the future.
pub fn check_happened_within(
    field: &'static str,
    date: NaiveDate,
    start: NaiveDate,
    end: NaiveDate,
    today: NaiveDate,
) -> Result<(), Violation> {
    let last = end.min(today);
    if date < start || date > last {
        return Err(Violation::new(
            "date_within_secondment",
            format!("{field} must lie between {start} and {last} (the secondment's period, not after today)"),
        ).at(field));
    }
    Ok(())
}

/// A broken rule: a stable name and a sentence, and the request field it
/// is about when there is one (decision 0041).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Violation {
    /// The rule's name, e.g. `max_duration`.
    pub rule: &'static str,
    /// What is wrong, in words a user understands.
    pub message: String,
    /// The field of the request to change, e.g. `end_date`.
    pub field: Option<&'static str>,
    /// For `max_duration`: the latest end date the cap allows.
    pub latest_end_date: Option<NaiveDate>,
}

impl Violation {
    fn new(rule: &'static str, message: String) -> Self {
        Violation {
            rule,
            message,
            ..Violation::default()
        }
    }

    fn at(mut self, field: &'static str) -> Self {
        self.field = Some(field);
        self
    }
}

/// The longest a secondment may last breached: `field` ends after the
/// latest date the cap allows from `start_date` (SPEC 2: start_date + max
/// months - 1 day), which the violation carries.
fn over_the_cap(
    field: &'static str,
    start_date: NaiveDate,
    end_date: NaiveDate,
    policy: &Policy,
    counting: &str,
) -> Option<Violation> {
    let latest = last_day_of_months(start_date, policy.max_months);
    (end_date > latest).then(|| Violation {
        latest_end_date: Some(latest),
        ..Violation::new(
            "max_duration",
            format!(
                "a secondment lasts at most {} months{counting}: from {} the end date may be {} at the latest",
                policy.max_months, start_date, latest
            ),
        )
        .at(field)
    })
}

/// Checks the date rules of a proposal (SPEC 2 "Rules"): the first broken.
pub fn check_dates(p: &Proposal, policy: &Policy) -> Result<(), Violation> {
    match date_violations(p, policy).into_iter().next() {
        Some(v) => Err(v),
        None => Ok(()),
    }
}

/// Every date rule of a proposal it breaks, in the order of SPEC 2: the
/// rules are independent of each other, so a user corrects them at once.
pub fn date_violations(p: &Proposal, policy: &Policy) -> Vec<Violation> {
    let mut broken = Vec::new();
    let ordered = p.end_date > p.start_date;
    if !ordered {
        broken.push(
            Violation::new(
                "end_after_start",
                "end_date must be after start_date".into(),
            )
            .at("end_date"),
        );
    }
    if let Some(until) = p.protected_until {
        if p.start_date < until {
            broken.push(Violation::new(
                "protected_official",
                format!(
                    "the official is protected (pregnancy or a child under 36 months) until {until}; \
                     a secondment may not start before that date"
                ),
            ).at("start_date"));
        }
    }
    match p.kind {
        Kind::Secondment => {
            broken.extend(
                over_the_cap("end_date", p.start_date, p.end_date, policy, "").filter(|_| ordered),
            );
        }
        Kind::Rotation => {
            if !p.in_succession_plan {
                broken.push(
                    Violation::new(
                        "rotation_succession_plan",
                        "only an official in the succession plan may be rotated".into(),
                    )
                    .at("official_id"),
                );
            }
            let shortest = last_day_of_months(p.start_date, policy.rotation_min_months);
            let has_exception = p
                .exception_ref
                .as_deref()
                .is_some_and(|r| !r.trim().is_empty());
            if ordered && p.end_date < shortest && !has_exception {
                broken.push(Violation::new(
                    "rotation_min_duration",
                    format!(
                        "a rotation lasts at least {} months (until {} or later) unless exception_ref \
                         names the competent authority's decision",
                        policy.rotation_min_months, shortest
                    ),
                ).at("end_date"));
            }
            if let Some(retirement) = p.retirement_date {
                let needed = add_years(p.start_date, policy.rotation_min_years_left);
                if retirement < needed {
                    broken.push(Violation::new(
                        "rotation_working_time",
                        format!(
                            "a rotated official needs {} years of working time left at the start date; \
                             retirement on {retirement} is too soon",
                            policy.rotation_min_years_left
                        ),
                    ).at("start_date"));
                }
            }
        }
    }
    broken
}

/// Checks a requested extension: later than the current end, and for a
/// secondment within the cap counted from the start date.
pub fn check_extension(
    kind: Kind,
    start_date: NaiveDate,
    current_end: NaiveDate,
    requested_end: NaiveDate,
    policy: &Policy,
) -> Result<(), Violation> {
    if requested_end <= current_end {
        return Err(Violation::new(
            "extension_later_end",
            format!("the requested end date must be after the current end date {current_end}"),
        )
        .at("requested_end_date"));
    }
    if kind == Kind::Secondment {
        if let Some(v) = over_the_cap(
            "requested_end_date",
            start_date,
            requested_end,
            policy,
            " including extensions",
        ) {
            return Err(v);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn policy() -> Policy {
        Policy {
            max_months: 36,
            rotation_min_months: 36,
            rotation_min_years_left: 10,
        }
    }

    fn secondment(start: &str, end: &str) -> Proposal {
        Proposal {
            kind: Kind::Secondment,
            start_date: d(start),
            end_date: d(end),
            exception_ref: None,
            in_succession_plan: false,
            retirement_date: None,
            protected_until: None,
        }
    }

    #[test]
    fn thirty_six_months_exactly_is_allowed_one_day_more_is_not() {
        assert!(check_dates(&secondment("2021-04-01", "2024-03-31"), &policy()).is_ok());
        let err = check_dates(&secondment("2021-04-01", "2024-04-01"), &policy()).unwrap_err();
        assert_eq!(err.rule, "max_duration");
        assert!(err.message.contains("2024-03-31"));
    }

    #[test]
    fn end_must_follow_start_and_protection_is_respected() {
        let err = check_dates(&secondment("2021-04-01", "2021-04-01"), &policy()).unwrap_err();
        assert_eq!(err.rule, "end_after_start");
        let mut p = secondment("2021-04-01", "2022-04-01");
        p.protected_until = Some(d("2021-05-01"));
        assert_eq!(
            check_dates(&p, &policy()).unwrap_err().rule,
            "protected_official"
        );
        p.protected_until = Some(d("2021-04-01"));
        assert!(check_dates(&p, &policy()).is_ok());
    }

    #[test]
    fn rotation_rules() {
        let mut p = secondment("2025-01-01", "2027-12-31");
        p.kind = Kind::Rotation;
        p.in_succession_plan = true;
        p.retirement_date = Some(d("2040-01-01"));
        assert!(check_dates(&p, &policy()).is_ok(), "36 months");
        p.end_date = d("2027-06-30");
        assert_eq!(
            check_dates(&p, &policy()).unwrap_err().rule,
            "rotation_min_duration"
        );
        p.exception_ref = Some("QĐ 123/QĐ-BNV".into());
        assert!(
            check_dates(&p, &policy()).is_ok(),
            "30 months with an exception"
        );
        p.in_succession_plan = false;
        assert_eq!(
            check_dates(&p, &policy()).unwrap_err().rule,
            "rotation_succession_plan"
        );
        p.in_succession_plan = true;
        p.retirement_date = Some(d("2034-12-31"));
        assert_eq!(
            check_dates(&p, &policy()).unwrap_err().rule,
            "rotation_working_time"
        );
        p.retirement_date = Some(d("2035-01-01"));
        assert!(check_dates(&p, &policy()).is_ok(), "exactly ten years left");
    }

    proptest! {
        /// However many extensions are requested, an approved end date never
        /// passes the cap.
        #[test]
        fn extensions_never_pass_the_cap(
            days in 0u64..10_000,
            first in 1u32..36,
            asks in proptest::collection::vec(1u64..800, 0..10)
        ) {
            let start = d("2000-01-01") + chrono::Days::new(days);
            let mut end = last_day_of_months(start, first);
            for extra in asks {
                let requested = end + chrono::Days::new(extra);
                if check_extension(Kind::Secondment, start, end, requested, &policy()).is_ok() {
                    end = requested;
                }
                prop_assert!(end <= last_day_of_months(start, 36));
            }
        }

        /// Whatever the start, the latest allowed end passes the cap and the
        /// next day fails it.
        #[test]
        fn the_cap_is_exact(days in 0u64..15_000, max in 1u32..60) {
            let start = d("2000-01-01") + chrono::Days::new(days);
            let policy = Policy { max_months: max, ..policy() };
            let latest = last_day_of_months(start, max);
            let mut p = secondment("2000-01-01", "2000-01-02");
            p.start_date = start;
            p.end_date = latest;
            prop_assert!(check_dates(&p, &policy).is_ok());
            p.end_date = latest + chrono::Days::new(1);
            prop_assert_eq!(check_dates(&p, &policy).unwrap_err().rule, "max_duration");
        }
    }
}
