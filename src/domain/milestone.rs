//! Milestones: default plans from templates, and their states.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dates::add_months;
use super::secondment::{check_happened_within, Violation};
use super::stored::stored_enum;

/// Where a template's due date is counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Anchor {
    /// The start date.
    Start,
    /// The day halfway between start and end.
    Midpoint,
    /// The (current) end date.
    End,
}

/// A configured milestone template.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// Stable key, e.g. `onboarding`.
    pub key: String,
    /// Title (Vietnamese).
    pub title: String,
    /// What it is about.
    #[serde(default)]
    pub description: Option<String>,
    /// Counted from.
    pub anchor: Anchor,
    /// Calendar months after the anchor.
    #[serde(default)]
    pub months: u32,
    /// Days after (positive) or before (negative) the anchor.
    #[serde(default)]
    pub days: i64,
}

/// A milestone's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneStatus {
    /// Not yet due or not yet done.
    Planned,
    /// Completed.
    Done,
    /// Its due date passed while planned.
    Missed,
    /// No longer relevant.
    Cancelled,
}

stored_enum!(MilestoneStatus, "milestone status");

impl MilestoneStatus {
    /// Every state.
    pub const ALL: [MilestoneStatus; 4] = [
        MilestoneStatus::Planned,
        MilestoneStatus::Done,
        MilestoneStatus::Missed,
        MilestoneStatus::Cancelled,
    ];

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            MilestoneStatus::Planned => "planned",
            MilestoneStatus::Done => "done",
            MilestoneStatus::Missed => "missed",
            MilestoneStatus::Cancelled => "cancelled",
        }
    }
}

/// The due date of a template for a secondment, kept within its dates.
pub fn due_date(t: &Template, start: NaiveDate, end: NaiveDate) -> NaiveDate {
    let anchor = match t.anchor {
        Anchor::Start => start,
        Anchor::End => end,
        Anchor::Midpoint => {
            let half = (end - start).num_days() / 2;
            start + Days::new(u64::try_from(half).unwrap_or(0))
        }
    };
    let shifted = add_months(anchor, t.months);
    let day = if t.days >= 0 {
        shifted.checked_add_days(Days::new(t.days.unsigned_abs()))
    } else {
        shifted.checked_sub_days(Days::new(t.days.unsigned_abs()))
    }
    .unwrap_or(shifted);
    day.clamp(start, end)
}

/// The days a posting runs: from its start to its planned (possibly
/// extended) end, or to the day it actually ended when it ended early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    /// First day.
    pub start: NaiveDate,
    /// Last day as planned, extensions included.
    pub end: NaiveDate,
    /// Last day actually served, once it ended.
    pub actual_end: Option<NaiveDate>,
}

impl Term {
    /// The last day served or to be served.
    pub fn last_day(&self) -> NaiveDate {
        self.actual_end.unwrap_or(self.end)
    }
}

/// A day a user states for something done during the posting (a
/// milestone completed) lies within the days it ran and not after today.
pub fn check_business_date(
    field: &'static str,
    date: NaiveDate,
    term: Term,
    today: NaiveDate,
) -> Result<(), Violation> {
    check_happened_within(field, date, term.start, term.last_day(), today)
}

/// A milestone is due within the posting's planned dates: the plan is
/// made for the term as it stands, not for the days after an early end.
pub fn check_due(due: NaiveDate, term: Term) -> Result<(), Violation> {
    if due < term.start || due > term.end {
        return Err(Violation {
            rule: "milestone_within_secondment",
            message: format!(
                "due_date must lie between {} and {}, the secondment's dates",
                term.start, term.end
            ),
            field: Some("due_date"),
            latest_end_date: None,
        });
    }
    Ok(())
}

/// The default templates of SPEC 2.
pub fn default_templates() -> Vec<Template> {
    let t = |key: &str, title: &str, anchor, months, days| Template {
        key: key.into(),
        title: title.into(),
        description: None,
        anchor,
        months,
        days,
    };
    vec![
        t(
            "onboarding",
            "Tiếp nhận, bắt đầu công việc",
            Anchor::Start,
            1,
            0,
        ),
        t(
            "mid_term_review",
            "Đánh giá giữa kỳ",
            Anchor::Midpoint,
            0,
            0,
        ),
        t(
            "final_report",
            "Báo cáo kết quả cuối kỳ",
            Anchor::End,
            0,
            -30,
        ),
        t("return", "Trở về đơn vị cũ", Anchor::End, 0, 0),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_default_plan_of_the_thai_nguyen_secondment() {
        let (start, end) = (d("2021-04-01"), d("2023-03-31"));
        let dues: Vec<NaiveDate> = default_templates()
            .iter()
            .map(|t| due_date(t, start, end))
            .collect();
        assert_eq!(
            dues,
            [
                d("2021-05-01"),
                d("2022-03-31"),
                d("2023-03-01"),
                d("2023-03-31")
            ]
        );
    }

    #[test]
    fn dues_stay_inside_short_secondments() {
        let (start, end) = (d("2024-01-10"), d("2024-01-20"));
        for t in default_templates() {
            let due = due_date(&t, start, end);
            assert!(due >= start && due <= end, "{} {due}", t.key);
        }
    }

    fn term(actual_end: Option<&str>) -> Term {
        Term {
            start: d("2024-01-01"),
            end: d("2024-12-31"),
            actual_end: actual_end.map(d),
        }
    }

    #[test]
    fn a_business_date_lies_within_the_days_served_and_not_after_today() {
        let today = d("2024-06-30");
        let ok = |day, t| check_business_date("completed_on", d(day), t, today);
        assert!(ok("2024-01-01", term(None)).is_ok());
        assert!(ok("2024-06-30", term(None)).is_ok());
        let future = ok("2024-07-01", term(None)).unwrap_err();
        assert_eq!(future.rule, "date_within_secondment");
        assert_eq!(future.field, Some("completed_on"));
        assert!(ok("2023-12-31", term(None)).is_err(), "before the start");
        // Ended early: the days after the actual end were not served.
        assert!(ok("2024-03-31", term(Some("2024-03-31"))).is_ok());
        assert!(ok("2024-04-01", term(Some("2024-03-31"))).is_err());
    }

    #[test]
    fn a_milestone_is_due_within_the_planned_dates() {
        assert!(check_due(d("2024-01-01"), term(None)).is_ok());
        assert!(check_due(d("2024-12-31"), term(None)).is_ok());
        // The plan follows the planned end, even after an early one.
        assert!(check_due(d("2024-12-31"), term(Some("2024-03-31"))).is_ok());
        let late = check_due(d("2025-01-01"), term(None)).unwrap_err();
        assert_eq!(late.rule, "milestone_within_secondment");
        assert_eq!(late.field, Some("due_date"));
        assert_eq!(
            late.message,
            "due_date must lie between 2024-01-01 and 2024-12-31, the secondment's dates"
        );
        assert!(check_due(d("2023-12-31"), term(None)).is_err());
    }
}
