//! The application layer: one function per use case, the same for every
//! door (the JSON API, the console, the demo, the CLI and the tick).
//!
//! Each function is plain synchronous Rust,
//! `(caller, unit of work, command) -> Result<view, AppError>`: it checks
//! permission (through `domain::actions` and `auth`), applies the
//! domain's rules, calls store queries, records audit and outbox rows,
//! and returns a view with names. It knows no HTTP: the doors extract,
//! run it in a unit of work (`units::write` / `read` / `lagging`) and
//! answer, each mapping [`AppError`] once.

pub(crate) mod allowed;
pub mod approvals;
pub mod audit;
pub mod calendar;
pub mod caller;
pub mod clock;
pub mod delegations;
pub mod emails;
pub mod error;
pub mod exports;
pub mod extensions;
pub mod field_error;
pub mod fields;
pub mod holidays;
pub mod input_errors;
pub mod milestones;
pub mod official_import;
pub mod officials;
pub mod operations;
pub mod org_units;
pub mod outcomes;
pub mod page;
pub mod password_work;
pub mod passwords;
pub mod patch;
pub mod population;
pub(crate) mod posting;
pub mod reference;
pub mod refs;
pub mod reports;
pub mod secondments;
pub mod sign_in;
pub mod tick;
pub mod units;
pub mod users;
pub mod validate;

pub use error::{AppError, Clash, FieldError, FieldProblem, Refusal};

use std::sync::Arc;

use chrono::NaiveDate;

use crate::config::Settings;

/// What an application function reads besides the caller, the unit of
/// work and the command: the settings (policy, approval sides, milestone
/// templates) and the day it runs on, in the configured time zone.
#[derive(Clone)]
pub struct Context {
    /// The loaded settings.
    pub settings: Arc<Settings>,
    /// Today in the configured time zone (the demo and the tick may set
    /// another day).
    pub today: NaiveDate,
}

impl Context {
    /// The context of a request made now.
    pub fn now(settings: Arc<Settings>) -> Context {
        let today = chrono::Utc::now()
            .with_timezone(&settings.tz())
            .date_naive();
        Context { settings, today }
    }

    /// The same settings on another day.
    pub fn on(self, today: NaiveDate) -> Context {
        Context { today, ..self }
    }
}
