//! Plans reminder emails into the outbox during the daily tick: the
//! planners read through `store` what is due and gather it per person
//! ([`Outgoing`]); [`render`] writes the emails with no connection held;
//! [`store`] puts them in the outbox.

use std::collections::HashSet;

use crate::config::Settings;
use crate::domain::reminders::Recipient;

mod ends;
mod milestones;
mod nudges;
mod outgoing;
mod render;

pub use ends::plan_end_reminders;
pub use milestones::plan_milestone_reminders;
pub use nudges::plan_approval_nudges;
pub use outgoing::{Outgoing, PersonDue};
pub use render::{message_id, render, store, Planned};

/// The console's page of a secondment (after sign-in when needed), absolute
/// whoever plans the email (the server or the `tick` command).
fn link(settings: &Settings, secondment_id: &str) -> String {
    crate::domain::links::secondment_page(&settings.server.base_url(), secondment_id)
}

fn dedupe(recipients: &mut Vec<Recipient>) {
    let mut seen = HashSet::new();
    recipients.retain(|r| seen.insert(r.email.to_lowercase()));
}

#[cfg(test)]
mod tests {
    use crate::config::{Environment, Settings};

    #[test]
    fn an_email_links_to_the_console_page_of_its_secondment() {
        let mut settings =
            Settings::load_from(Environment::Test, std::path::Path::new("config")).unwrap();
        settings.server.public_url = "https://biet-phai.example.gov.vn/".into();
        assert_eq!(
            super::link(&settings, "abc"),
            "https://biet-phai.example.gov.vn/secondments/abc"
        );
    }
}
