//! The steps of the demo story, told in date order through the store
//! functions the HTTP handlers call, each as the user who would act
//! (decision 0027).

use std::collections::HashMap;

use anyhow::{anyhow, Context as _};
use chrono::NaiveDate;

use super::data::{self, Account, Person};
use crate::api::caller::decider;
use crate::app::secondments::{create, decide, flow};
use crate::auth::AuthUser;
use crate::config::Settings;
use crate::domain::actor::Actor;
use crate::domain::approval::Side;
use crate::domain::milestone::{MilestoneStatus, Template};
use crate::domain::secondment::{Kind, Policy, Status};
use crate::store::milestones::{self, MilestoneChanges};
use crate::store::secondment_flow::{self, Decision};
use crate::store::secondments::{self, SecondmentFields, Viewer};
use crate::store::users;
use crate::store::DbConnection;

/// A demo account about to be created, with its password hash.
#[derive(Debug, Clone)]
pub struct Login {
    /// Email.
    pub email: String,
    /// Name.
    pub full_name: String,
    /// Stored role.
    pub role: &'static str,
    /// `vi` or `en`.
    pub language: &'static str,
    /// Argon2id PHC string.
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

/// The story's state: ids by code, and who acts.
pub struct Story {
    policy: Policy,
    sides: Vec<Side>,
    templates: Vec<Template>,
    tz: chrono_tz::Tz,
    today: NaiveDate,
    units: HashMap<&'static str, String>,
    users: HashMap<&'static str, String>,
    officials: HashMap<&'static str, String>,
    /// Secondments with the login of their cadre.
    postings: Vec<(String, &'static str)>,
}

impl Story {
    /// A story told on `today`.
    pub fn new(settings: &Settings, today: NaiveDate) -> Self {
        Story {
            policy: settings.policy.rules(),
            sides: settings.policy.approval_sides.clone(),
            templates: settings.milestones.templates.clone(),
            tz: settings.tz(),
            today,
            units: HashMap::new(),
            users: HashMap::new(),
            officials: HashMap::new(),
            postings: Vec::new(),
        }
    }

    /// From now on the story's events are recorded on `day` (at 09:00 in
    /// Vietnam), never later than today: the history tells when each step
    /// happened.
    fn at(&self, day: NaiveDate) {
        let day = day.min(self.today);
        let nine_in_hanoi = day.and_hms_opt(2, 0, 0).unwrap_or_default();
        crate::store::story_clock(Some(nine_in_hanoi.min(chrono::Utc::now().naive_utc())));
    }

    fn unit(&self, code: &str) -> anyhow::Result<String> {
        self.units
            .get(code)
            .cloned()
            .ok_or_else(|| anyhow!("demo unit {code} missing"))
    }

    fn user(&self, email: &str) -> anyhow::Result<String> {
        self.users
            .get(email)
            .cloned()
            .ok_or_else(|| anyhow!("demo user {email} missing"))
    }

    /// The user as the HTTP layer sees them: current role, unit and scope.
    fn caller(&self, conn: &mut DbConnection, email: &str) -> anyhow::Result<(Actor, Viewer)> {
        let row = users::find(conn, &self.user(email)?)?;
        let user = AuthUser {
            role: row.role,
            id: row.id,
            unit: row.org_unit_id,
            official_id: row.official_id,
            request_id: None,
            session_id: None,
            must_change_password: false,
        };
        Ok((user.actor(), decider(conn, &user, self.today)?))
    }

    fn admin(&self) -> anyhow::Result<Actor> {
        Ok(Actor {
            user_id: Some(self.user(data::ADMIN.email)?),
            request_id: None,
        })
    }

    /// HR proposes (a draft with the agreement and the consultation, then
    /// submit); the directors decide; the last approval carries the
    /// decision number. Returns the secondment id.
    fn post(
        &mut self,
        conn: &mut DbConnection,
        p: &Proposal<'_>,
        directors: &[&str],
    ) -> anyhow::Result<String> {
        let official_id = self
            .officials
            .get(p.person.email)
            .cloned()
            .ok_or_else(|| anyhow!("demo official {} missing", p.person.staff_code))?;
        let fields = SecondmentFields {
            kind: p.kind,
            home_unit_id: self.unit(p.person.home)?,
            host_unit_id: self.unit(p.host)?,
            ground: "fixed_term_task".into(),
            position_title: p.title.into(),
            mandate: p.mandate.into(),
            start_date: p.start,
            end_date: p.end,
            agreement_ref: Some(p.agreement.into()),
            consultation_held_on: Some(p.consulted),
            consultation_note: Some(format!(
                "{} đồng ý với đề xuất và nguyện vọng được ghi nhận.",
                p.person.full_name
            )),
            exception_ref: None,
        };
        // Proposed the day after the consultation, decided on the days after.
        let proposed = p.consulted + chrono::Days::new(1);
        self.at(proposed);
        let (actor, hr) = self.caller(conn, data::HR.email)?;
        let row = create::propose(conn, &actor, &self.policy, &official_id, &fields)
            .with_context(|| format!("proposing {}", p.person.full_name))?;
        flow::submit_draft(conn, &actor, &hr, &self.policy, &row.id)?;
        for (n, email) in directors.iter().enumerate() {
            let decided = proposed + chrono::Days::new(n as u64 + 1);
            self.at(decided.min(p.start.pred_opt().unwrap_or(p.start)));
            let (actor, viewer) = self.caller(conn, email)?;
            let decision = Decision {
                approve: true,
                comment: Some("Đồng ý.".into()),
                decision_ref: Some(p.decision_ref.into()),
                today: self.today,
                decided_on: None,
            };
            let rules = decide::Rules {
                required: &self.sides,
                templates: &self.templates,
                policy: &self.policy,
                tz: self.tz,
            };
            let after = decide::decide(conn, &actor, &viewer, &rules, &row.id, &decision)
                .with_context(|| format!("{email} approving {}", p.person.full_name))?;
            if after.status() != Status::PendingApproval {
                // Every configured side has approved.
                break;
            }
        }
        self.postings.push((row.id.clone(), p.person.email));
        Ok(row.id)
    }

    /// The daily tick's state changes for a past day `on`, after each
    /// cadre marked the milestones due before it as done.
    fn tick(&self, conn: &mut DbConnection, on: NaiveDate) -> anyhow::Result<()> {
        self.complete_due(conn, on)?;
        self.at(on);
        secondment_flow::tick(conn, on).with_context(|| format!("the tick of {on}"))?;
        Ok(())
    }

    /// Each cadre marks their planned milestones due before `on` as done
    /// on their due date, so that no tick finds them missed.
    fn complete_due(&self, conn: &mut DbConnection, on: NaiveDate) -> anyhow::Result<()> {
        for (id, email) in &self.postings {
            let (actor, viewer) = self.caller(conn, email)?;
            let s = secondments::find_visible(conn, &viewer, id)?;
            for m in milestones::for_secondment(conn, id)? {
                if m.status != MilestoneStatus::Planned || m.due_date >= on {
                    continue;
                }
                crate::domain::milestone::check_business_date(
                    "completed_on",
                    m.due_date,
                    crate::app::posting::term(&s),
                    self.today,
                )
                .map_err(|broken| anyhow!(broken.message))?;
                self.at(m.due_date);
                let changes = MilestoneChanges {
                    status: Some(MilestoneStatus::Done),
                    note: Some(Some("Đã hoàn thành đúng hạn.".into())),
                    completed_on: Some(m.due_date),
                    ..Default::default()
                };
                milestones::update(conn, &actor, &m.id, Some(m.version), &changes)?;
            }
        }
        Ok(())
    }
}

/// Every demo login: the accounts and the cadres.
pub fn all_emails() -> Vec<&'static str> {
    let mut emails: Vec<&'static str> = accounts().iter().map(|a| a.email).collect();
    emails.extend(cadres().iter().map(|p| p.email));
    emails
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
