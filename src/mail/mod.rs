//! Email: the outbox (rows written with the change that causes them), the
//! dispatcher that sends them, transports, and bilingual templates.

mod directory;
pub mod dispatcher;
pub mod holiday_notice;
pub mod nudge_checks;
pub mod outbox;
pub mod planner;
pub mod templates;
pub mod transport;
