//! Email: the planning of reminders (what is due, to whom, rendered in
//! bilingual templates), the dispatcher that sends the outbox after commit,
//! and the transports. The outbox rows themselves are written and read by
//! `store::outbox`, in the unit of work of the change that causes them.

pub mod dispatcher;
pub mod holiday_notice;
pub mod planner;
pub mod templates;
pub mod transport;
