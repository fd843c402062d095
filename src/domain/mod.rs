//! Rules without IO: values, states and policies. Imports neither actix
//! nor diesel, so every rule here can be tested in isolation.

pub mod actions;
pub mod actor;
pub mod approval;
pub mod calendar;
pub mod dates;
pub mod email;
pub mod extension;
pub mod history;
pub mod holiday_csv;
pub mod links;
pub mod lockout;
pub mod milestone;
pub mod official;
pub mod official_csv;
pub mod org_unit;
pub mod outbox;
pub mod outcome;
pub mod placement;
pub mod reminders;
pub mod report;
pub mod scope;
pub mod secondment;
pub mod secondment_steps;
pub mod seed;
pub mod stored;
pub mod text;
pub mod tick;
pub mod user;
pub mod viewer;
