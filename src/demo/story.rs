//! The steps of the demo story, told in date order through the application
//! functions the API and the console call, each as the user who would act
//! and on the day they would have acted, so that every rule users obey
//! holds for the story too (decision 0027).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde_json::json;

use super::data::{self, Account, Person};
use crate::app::secondments::{create, decide, flow};
use crate::app::units::DbConnection;
use crate::app::{caller, clock, milestones, tick, AppError, Context};
use crate::auth::AuthUser;
use crate::domain::milestone::MilestoneStatus;
use crate::domain::secondment::{Kind, Status};

/// A demo account about to be created: its password, checked as a door
/// checks it, and the password's hash.
#[derive(Debug, Clone)]
pub struct Login {
    /// Email.
    pub email: &'static str,
    /// Name.
    pub full_name: &'static str,
    /// Stored role.
    pub role: &'static str,
    /// `vi` or `en`.
    pub language: &'static str,
    /// The generated password.
    pub password: String,
    /// Its Argon2id PHC string.
    pub password_hash: String,
}

/// A posting of the story before it is proposed.
struct Proposal<'a> {
    kind: Kind,
    person: &'a Person,
    host: &'a str,
    title: &'a str,
    mandate: &'a str,
    start: NaiveDate,
    end: NaiveDate,
    agreement: &'a str,
    consulted: NaiveDate,
    decision_ref: &'a str,
}

/// The story's state: ids by code, who acts, and the step being told.
pub struct Story {
    /// The settings, and today (the day the story is loaded).
    cx: Context,
    units: HashMap<&'static str, String>,
    users: HashMap<&'static str, String>,
    officials: HashMap<&'static str, String>,
    /// Secondments with the login of their cadre.
    postings: Vec<(String, &'static str)>,
    /// The chapter being told.
    chapter: Cell<&'static str>,
    /// The step being told: what a refusal names.
    step: RefCell<String>,
}

/// A command read from JSON, as a door reads a request body: the same
/// field types and the same checks apply.
fn command<T: DeserializeOwned>(body: serde_json::Value) -> Result<T, AppError> {
    serde_json::from_value(body).map_err(|e| AppError::invalid("body", e.to_string()))
}

/// A record of the story that an earlier step should have made.
fn missing(what: &str, key: &str) -> AppError {
    AppError::Internal(format!("demo {what} {key} missing"))
}

impl Story {
    /// A story told in the context `cx` (its day is today).
    pub fn new(cx: Context) -> Self {
        Story {
            cx,
            units: HashMap::new(),
            users: HashMap::new(),
            officials: HashMap::new(),
            postings: Vec::new(),
            chapter: Cell::new(""),
            step: RefCell::new(String::new()),
        }
    }

    /// The day the story is loaded.
    fn today(&self) -> NaiveDate {
        self.cx.today
    }

    /// From now on the story's events are recorded on `day` (at 09:00 in
    /// Vietnam), never later than today: the history tells when each step
    /// happened. Returns the context of a user acting on that day.
    fn at(&self, day: NaiveDate) -> Context {
        let day = day.min(self.today());
        let nine_in_hanoi = day.and_hms_opt(2, 0, 0).unwrap_or_default();
        clock::story_clock(Some(nine_in_hanoi.min(chrono::Utc::now().naive_utc())));
        self.cx.clone().on(day)
    }

    /// The chapter about to be told.
    fn begin(&self, chapter: &'static str) {
        self.chapter.set(chapter);
    }

    /// The step about to be told.
    fn doing(&self, step: impl Into<String>) {
        *self.step.borrow_mut() = step.into();
    }

    /// The application's refusal `cause`, naming the step it refused (or
    /// as it is, when no step had begun).
    pub fn refused(&self, cause: AppError) -> anyhow::Error {
        let step = self.step.borrow();
        if step.is_empty() {
            return cause.into();
        }
        let chapter = self.chapter.get();
        anyhow::Error::new(cause).context(format!(
            "the demo story was refused at {chapter}, {step}; nothing was loaded"
        ))
    }

    fn unit(&self, code: &str) -> Result<String, AppError> {
        self.units
            .get(code)
            .cloned()
            .ok_or_else(|| missing("unit", code))
    }

    fn user(&self, email: &str) -> Result<String, AppError> {
        self.users
            .get(email)
            .cloned()
            .ok_or_else(|| missing("user", email))
    }

    /// The user as a door sees them once signed in: their account as it is
    /// now (role, unit, linked official).
    fn caller(&self, tx: &mut DbConnection, email: &str) -> Result<AuthUser, AppError> {
        caller::signed_in(tx, &self.user(email)?)
    }

    /// The administrator, signed in.
    fn admin(&self, tx: &mut DbConnection) -> Result<AuthUser, AppError> {
        self.caller(tx, data::ADMIN.email)
    }

    /// HR proposes (a draft with the agreement and the consultation, then
    /// submit); the directors decide; the last approval carries the
    /// decision number. Returns the secondment id.
    fn post(
        &mut self,
        tx: &mut DbConnection,
        p: &Proposal<'_>,
        directors: &[&str],
    ) -> Result<String, AppError> {
        let name = p.person.full_name;
        let official_id = self
            .officials
            .get(p.person.email)
            .cloned()
            .ok_or_else(|| missing("official", p.person.staff_code))?;
        // Proposed the day after the consultation, decided on the days after.
        let proposed = p.consulted + chrono::Days::new(1);
        let cx = self.at(proposed);
        self.doing(format!("HR proposing {name} on {}", cx.today));
        let hr = self.caller(tx, data::HR.email)?;
        let draft = command(json!({
            "kind": p.kind,
            "official_id": official_id,
            "home_unit_id": self.unit(p.person.home)?,
            "host_unit_id": self.unit(p.host)?,
            "ground": "fixed_term_task",
            "position_title": p.title,
            "mandate": p.mandate,
            "start_date": p.start,
            "end_date": p.end,
            "agreement_ref": p.agreement,
            "consultation": {
                "held_on": p.consulted,
                "note": format!("{name} đồng ý với đề xuất và nguyện vọng được ghi nhận."),
            },
        }))?;
        let id = create::create(&hr, tx, &cx, draft)?.id;
        self.doing(format!(
            "HR submitting the proposal of {name} on {}",
            cx.today
        ));
        flow::submit(&hr, tx, &cx, &id)?;
        for (n, email) in directors.iter().enumerate() {
            let decided = proposed + chrono::Days::new(n as u64 + 1);
            let cx = self.at(decided.min(p.start.pred_opt().unwrap_or(p.start)));
            self.doing(format!("{email} approving {name} on {}", cx.today));
            let director = self.caller(tx, email)?;
            let decision = command(json!({
                "comment": "Đồng ý.",
                "decision_ref": p.decision_ref,
            }))?;
            let after = decide::decide_proposal(&director, tx, &cx, &id, true, decision)?;
            if after.status != Status::PendingApproval {
                // Every configured side has approved.
                break;
            }
        }
        self.postings.push((id.clone(), p.person.email));
        Ok(id)
    }

    /// The daily tick's state changes for a past day `on`, after each
    /// cadre marked the milestones due before it as done.
    fn tick(&self, tx: &mut DbConnection, on: NaiveDate) -> Result<(), AppError> {
        self.complete_due(tx, on)?;
        self.at(on);
        self.doing(format!("the daily tick of {on}"));
        tick::transitions(tx, on)?;
        Ok(())
    }

    /// Each cadre marks their planned milestones due before `on` as done
    /// on their due date, so that no tick finds them missed.
    fn complete_due(&self, tx: &mut DbConnection, on: NaiveDate) -> Result<(), AppError> {
        for (id, email) in &self.postings {
            let cadre = self.caller(tx, email)?;
            for m in milestones::of_secondment(&cadre, tx, id)? {
                if m.status != MilestoneStatus::Planned || m.due_date >= on {
                    continue;
                }
                let cx = self.at(m.due_date);
                self.doing(format!(
                    "{email} completing \"{}\" on {}",
                    m.title, cx.today
                ));
                let done = command(json!({
                    "note": "Đã hoàn thành đúng hạn.",
                    "completed_on": m.due_date,
                }))?;
                milestones::complete(&cadre, tx, &cx, &m.id, done)?;
            }
        }
        Ok(())
    }
}

/// The demo accounts other than cadres.
pub fn accounts() -> [Account; 5] {
    [
        data::ADMIN,
        data::HR,
        data::MINISTRY_DIRECTOR,
        data::THAI_NGUYEN_DIRECTOR,
        data::QUANG_TRI_DIRECTOR,
    ]
}

/// The officials who sign in as cadres.
pub fn cadres() -> [Person; 4] {
    [data::HIEU, data::HA, data::NHUNG, data::DUC]
}

mod cast;
mod chapters;
#[cfg(test)]
mod tests;
