//! The reminders a tick found due, gathered per person.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::reminders::Recipient;
use crate::store::nudge_checks;
use crate::store::outbox::Item;
use crate::store::StoreError;

/// A reminder written out in its email, with what its template is
/// rendered with as JSON text (text is a third of the memory of a
/// `serde_json::Value` tree).
pub(super) struct Shown {
    pub(super) item: Item,
    pub(super) context: String,
}

/// The reminders due to one person today: one email (a digest when there
/// are several). Only the first [`DIGEST_ITEMS`] are written out, so only
/// theirs are kept whole; the rest are counted and their keys recorded.
pub struct PersonDue {
    pub(super) who: String,
    pub(super) recipient: Recipient,
    pub(super) shown: Vec<Shown>,
    pub(super) rest: Vec<Item>,
    /// Reminders another item of the same email already says (the same
    /// request for a weaker reason): recorded as sent, not written out.
    pub(super) covered: Vec<Item>,
}

/// The reminders a tick found due, gathered per person as they are found,
/// so that each person gets at most one email a day and memory grows with
/// the people reminded rather than the reminders (a catch-up tick finds
/// hundreds of thousands, most of them nudges to a few hundred directors).
/// Gathering reads the database; [`render`](super::render) needs none;
/// [`store`](super::store) writes
/// what was rendered. The planners leave out what is planned already.
#[derive(Default)]
pub struct Outgoing {
    people: Vec<PersonDue>,
    index: HashMap<String, usize>,
    count: usize,
    pub(super) nudges: nudge_checks::Settled,
}

impl Outgoing {
    /// Keeps one reminder for its recipient; `secondment_id` files it
    /// under the secondment it is about, if any.
    pub(in crate::mail) fn add<C: Serialize>(
        &mut self,
        key: String,
        kind: &'static str,
        secondment_id: Option<&str>,
        reference_date: Option<NaiveDate>,
        r: &Recipient,
        context: &C,
    ) -> Result<(), StoreError> {
        let person = self.person(r);
        let item = Item {
            key,
            kind,
            secondment_id: secondment_id.map(str::to_string),
            reference_date,
        };
        if person.shown.len() < DIGEST_ITEMS {
            let context = serde_json::to_string(context)
                .map_err(|e| StoreError::Internal(format!("reminder {kind}: {e}")))?;
            person.shown.push(Shown { item, context });
        } else {
            person.rest.push(item);
        }
        self.count += 1;
        Ok(())
    }

    /// Records a reminder its recipient is told by another item of the
    /// same email (added before): planned once like the others, but
    /// neither written out nor counted.
    pub(in crate::mail) fn cover(
        &mut self,
        key: String,
        kind: &'static str,
        secondment_id: Option<&str>,
        r: &Recipient,
    ) {
        self.person(r).covered.push(Item {
            key,
            kind,
            secondment_id: secondment_id.map(str::to_string),
            reference_date: None,
        });
    }

    fn person(&mut self, r: &Recipient) -> &mut PersonDue {
        let who = r.email.to_lowercase();
        let i = match self.index.get(&who) {
            Some(&i) => i,
            None => {
                self.index.insert(who.clone(), self.people.len());
                self.people.push(PersonDue {
                    who,
                    recipient: r.clone(),
                    shown: Vec::new(),
                    rest: Vec::new(),
                    covered: Vec::new(),
                });
                self.people.len() - 1
            }
        };
        &mut self.people[i]
    }

    /// How many reminders are gathered.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether none are.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The reminders per recipient, in the order the recipients were
    /// found, and what the nudge planner settled (written after the
    /// emails, [`nudge_checks::write`]).
    pub fn into_parts(self) -> (Vec<PersonDue>, nudge_checks::Settled) {
        (self.people, self.nudges)
    }
}

/// Reminders written out in one digest; the rest are counted (a director
/// with hundreds of requests waiting gets a readable email, and the list
/// is in the service).
const DIGEST_ITEMS: usize = 50;
