//! The console's page handlers, one file per area.

pub mod account;
pub mod admin;
pub mod approvals;
pub mod auth;
pub mod choices;
pub mod officials;
pub mod password;
pub mod reports;
pub mod secondment_forms;
pub mod secondments;
