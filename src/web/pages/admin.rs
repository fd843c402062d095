//! The administrator's pages: users, org units, holidays, the outbox.

use actix_web::web;

/// The words of these pages: (key, Vietnamese, English).
pub const WORDS: &[(&str, &str, &str)] = &[];

/// Registers the administrator's pages.
pub fn configure(_cfg: &mut web::ServiceConfig) {}
