//! `secondments demo`: the story of SPEC 1 loaded into an empty database,
//! with a login for every role, told through the application functions as
//! the users who would act (decision 0027).

mod data;
mod story;

use std::sync::Arc;

use anyhow::bail;

use crate::app::population::{self, Population};
use crate::app::{clock, units, AppError, Clash, Context};
use crate::auth::password;
use crate::config::Settings;
use crate::mail::templates::Templates;
use crate::scheduler::{self, TickRun};
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

/// Every demo account with a generated password, hashed before the
/// story's unit of work (Argon2 holds no connection).
fn logins() -> anyhow::Result<(Vec<DemoLogin>, Vec<Login>)> {
    let mut logins = Vec::new();
    let mut accounts = Vec::new();
    let people = story::cadres().map(|p| (p.email, p.full_name, "cadre", "vi"));
    let others = story::accounts().map(|a| (a.email, a.full_name, a.role, a.language));
    for (email, full_name, role, language) in others.into_iter().chain(people) {
        let secret = password::generate_password();
        accounts.push(Login {
            email,
            full_name,
            role,
            language,
            password: secret.clone(),
            password_hash: password::hash_password(&secret).map_err(anyhow::Error::msg)?,
        });
        logins.push(DemoLogin {
            email: email.into(),
            role,
            full_name: full_name.into(),
            password: secret,
        });
    }
    Ok((logins, accounts))
}

/// Loads the story into the empty database of `settings`, then runs the
/// daily tick for today so that its reminders are planned. A database
/// with any user, unit, official or secondment is refused, unchanged; so
/// is the whole story when the application refuses any of its steps.
pub fn load(settings: &Settings) -> anyhow::Result<Loaded> {
    let db = units::open(settings)?;
    let before = units::read_now(&db, population::count)?;
    if !before.is_empty() {
        bail!(refusal(&before));
    }
    let (logins, accounts) = logins()?;
    let today = scheduler::today(settings);
    let cx = Context {
        settings: Arc::new(settings.clone()),
        today,
    };
    let mut story = Story::new(cx);
    let told = units::write_now(&db, |tx| {
        // Checked again inside the unit: another process may have
        // written since.
        let now = population::count(tx)?;
        if !now.is_empty() {
            return Err(AppError::conflict(Clash::AlreadyDone, refusal(&now)));
        }
        story.set_up(tx, &accounts)?;
        story.tell(tx)
    });
    // The story's clock stops with the story, told or not.
    clock::story_clock(None);
    told.map_err(|e| story.refused(e))?;
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
