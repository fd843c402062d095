//! `secondments demo`: the story of SPEC 1 loaded into an empty database,
//! with a login for every role (decision 0027).

mod data;
mod story;

use anyhow::bail;
use diesel::Connection;

use crate::auth::password;
use crate::config::Settings;
use crate::mail::templates::Templates;
use crate::scheduler::{self, TickRun};
use crate::store::population::{self, Population};
use crate::store::{Access, Database, StoreError};
use story::{Login, Story};

/// A demo account and its one-time password.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    /// Login email.
    pub email: String,
    /// Stored role.
    pub role: &'static str,
    /// The person's name.
    pub full_name: String,
    /// The generated password, shown once and stored only as a hash.
    pub password: String,
}

/// What `demo` loaded.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The accounts, in the order of the story.
    pub logins: Vec<DemoLogin>,
    /// Reminders the daily tick planned for today.
    pub reminders_planned: usize,
}

/// Why `demo` refuses a database.
fn refusal(p: &Population) -> String {
    format!(
        "demo loads only into an empty database, and this one holds {} users, {} units, \
         {} officials and {} secondments; nothing was changed. Point it at a new database, \
         for example SECONDMENTS__DATABASE__URL=sqlite://data/demo.db secondments demo",
        p.users, p.org_units, p.officials, p.secondments
    )
}

/// Loads the story into the empty database of `settings`, then runs the
/// daily tick for today so that its reminders are planned. A database
/// with any user, unit, official or secondment is refused, unchanged.
pub fn load(settings: &Settings) -> anyhow::Result<Loaded> {
    let db = Database::connect_and_migrate(&settings.database)?;
    let before = db.blocking(Access::Read, population::count)?;
    if !before.is_empty() {
        bail!(refusal(&before));
    }
    let mut logins = Vec::new();
    let mut accounts = Vec::new();
    let people = story::cadres().map(|p| (p.email, p.full_name, "cadre", "vi"));
    let others = story::accounts().map(|a| (a.email, a.full_name, a.role, a.language));
    for (email, full_name, role, language) in others.into_iter().chain(people) {
        let secret = password::generate_password();
        accounts.push(Login {
            email: email.into(),
            full_name: full_name.into(),
            role,
            language,
            password_hash: password::hash_password(&secret).map_err(anyhow::Error::msg)?,
        });
        logins.push(DemoLogin {
            email: email.into(),
            role,
            full_name: full_name.into(),
            password: secret,
        });
    }
    let today = scheduler::today(settings);
    let told = db.blocking(Access::Write, |conn| {
        conn.transaction(|conn| {
            // Checked again inside the transaction: another process may
            // have written since.
            let now = population::count(conn)?;
            if !now.is_empty() {
                return Ok(Err(refusal(&now)));
            }
            let mut story = Story::new(settings, today);
            let told = story
                .set_up(conn, &accounts)
                .and_then(|()| story.tell(conn));
            // The story's clock stops with the story, told or not.
            crate::store::story_clock(None);
            told.map_err(|e| StoreError::Internal(format!("{e:#}")))?;
            Ok(Ok(()))
        })
    })?;
    if let Err(why) = told {
        bail!(why);
    }
    let templates = Templates::new()?;
    let reminders_planned = match scheduler::daily_tick(&db, settings, &templates, today, false)? {
        TickRun::Ran(summary) => summary.reminders_planned,
        TickRun::Skipped => 0,
    };
    Ok(Loaded {
        logins,
        reminders_planned,
    })
}
