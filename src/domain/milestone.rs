//! Milestones: default plans from templates, and their states.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::stored::stored_enum;

use super::dates::add_months;

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
}
