//! The console's page handlers, one file per area.

pub mod admin;
pub mod approvals;
pub mod auth;
pub mod secondments;
