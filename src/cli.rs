//! Subcommands other than `serve`. Each applies the migrations first, so
//! any of them works on a new, empty database.

use std::io::IsTerminal;

use anyhow::{anyhow, bail, Context};

use crate::auth::password;
use crate::config::Settings;
use crate::domain::email::EmailAddress;
use crate::domain::user::check_password_policy;
use crate::store::audit::Actor;
use crate::store::{users, Access, Database};

mod seed;
pub use seed::{seed, SeedArgs};

/// `migrate`: applies pending migrations and reports the outcome.
pub fn migrate(settings: &Settings) -> anyhow::Result<()> {
    Database::connect_and_migrate(&settings.database)?;
    println!("database is up to date");
    Ok(())
}

/// `create-admin`: creates an administrator. The password comes from
/// `--password`, else `SECONDMENTS_ADMIN_PASSWORD`, else a prompt.
pub fn create_admin(
    settings: &Settings,
    email: &str,
    password: Option<String>,
) -> anyhow::Result<()> {
    let email = EmailAddress::parse(email).map_err(|e| anyhow!("--email {e}"))?;
    let password = match password.or_else(|| std::env::var("SECONDMENTS_ADMIN_PASSWORD").ok()) {
        Some(p) => p,
        None if std::io::stdin().is_terminal() => {
            let first = rpassword::prompt_password("Password: ")?;
            let second = rpassword::prompt_password("Repeat password: ")?;
            if first != second {
                bail!("the passwords differ");
            }
            first
        }
        None => bail!("give --password, set SECONDMENTS_ADMIN_PASSWORD, or run in a terminal"),
    };
    check_password_policy(&password, email.as_str()).map_err(|e| anyhow!("password {e}"))?;
    let db = Database::connect_and_migrate(&settings.database)?;
    let normalized = email.normalized();
    if db
        .blocking(Access::Read, |c| users::find_by_email(c, &normalized))?
        .is_some()
    {
        bail!("a user with email {} already exists", email.as_str());
    }
    let hash = password::hash_password(&password).map_err(anyhow::Error::msg)?;
    let new = users::NewUser::admin(&email, hash);
    let user = db
        .blocking(Access::Write, |c| users::insert(c, &Actor::system(), &new))
        .context("creating the administrator")?;
    println!("created administrator {} ({})", user.email, user.id);
    Ok(())
}

/// `import-officials FILE`: the CSV import of `POST /officials/import`,
/// with a progress bar; all or nothing.
pub fn import_officials(settings: &Settings, file: &std::path::Path) -> anyhow::Result<()> {
    use crate::app::official_import::{self, CsvFile, MAX_BYTES, MAX_ROWS};
    use crate::app::AppError;

    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    if bytes.len() > MAX_BYTES {
        bail!(
            "{} is larger than the limit of {} MiB",
            file.display(),
            MAX_BYTES / 1024 / 1024
        );
    }
    let told = |errors: &[crate::app::FieldError]| {
        for e in errors {
            eprintln!("line {}: {}: {}", e.line.unwrap_or(0), e.field, e.message);
        }
        anyhow::anyhow!("nothing imported: {} problem(s)", errors.len())
    };
    let records = match official_import::read(&bytes) {
        Ok(CsvFile::Rows(r)) => r,
        Ok(CsvFile::TooManyRows) => bail!("the file has more than {MAX_ROWS} rows"),
        Err(AppError::Invalid(errors)) => return Err(told(&errors)),
        Err(e) => return Err(e.into()),
    };
    let db = Database::connect_and_migrate(&settings.database)?;
    let bar = indicatif::ProgressBar::new(records.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {bar:40} {pos}/{len} officials ({per_sec})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let result = db.blocking_of(Access::Write, |tx| {
        official_import::import_as_system(tx, &records, &mut |n| bar.set_position(n as u64))
    });
    bar.finish_and_clear();
    match result {
        Ok(s) => {
            println!(
                "imported {}: {} created, {} updated, {} unchanged",
                file.display(),
                s.created,
                s.updated,
                s.unchanged
            );
            Ok(())
        }
        Err(AppError::Invalid(errors)) => Err(told(&errors)),
        Err(e) => Err(e.into()),
    }
}

/// `demo`: the story of SPEC 1 in an empty database; each demo account's
/// generated password is printed here once (only its hash is stored).
pub fn demo(settings: &Settings) -> anyhow::Result<()> {
    let loaded = crate::demo::load(settings)?;
    println!(
        "demo story loaded; {} reminders planned for today",
        loaded.reminders_planned
    );
    println!();
    let width = |f: fn(&crate::demo::DemoLogin) -> usize, title: &str| {
        loaded
            .logins
            .iter()
            .map(f)
            .chain([title.len()])
            .max()
            .unwrap_or(0)
    };
    let (we, wr) = (
        width(|l| l.email.len(), "email"),
        width(|l| l.role.len(), "role"),
    );
    println!("{:we$}  {:wr$}  password", "email", "role");
    for l in &loaded.logins {
        println!("{:we$}  {:wr$}  {}", l.email, l.role, l.password);
    }
    println!();
    println!("These passwords are shown only now; they are stored only as hashes.");
    println!("Start the service with `secondments serve` and sign in with any of them.");
    Ok(())
}

/// `load-reference-data`: the 63 former and 34 current provinces and the
/// merges of 1 July 2025. Running it twice changes nothing.
pub fn load_reference_data(settings: &Settings) -> anyhow::Result<()> {
    let db = Database::connect_and_migrate(&settings.database)?;
    let summary = db.blocking(Access::Write, |c| {
        Ok(crate::store::reference::load_provinces(c, &Actor::system()))
    })??;
    println!(
        "provinces loaded: {} units created, {} former provinces merged",
        summary.created, summary.merged
    );
    Ok(())
}

/// `load-holidays FILE`: the holidays of a CSV file added or renamed in one
/// transaction; a file with any bad row changes nothing and every problem
/// is printed with its line.
pub fn load_holidays(settings: &Settings, file: &std::path::Path) -> anyhow::Result<()> {
    let bytes =
        std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let records = crate::domain::holiday_csv::parse(&bytes).map_err(|errors| {
        let lines: Vec<String> = errors
            .iter()
            .map(|e| format!("line {}, {}: {}", e.line, e.field, e.message))
            .collect();
        anyhow::anyhow!(
            "{} is refused, nothing was loaded:\n{}",
            file.display(),
            lines.join("\n")
        )
    })?;
    let db = Database::connect_and_migrate(&settings.database)?;
    let s = db.blocking(Access::Write, |c| {
        crate::store::holidays::load(c, &Actor::system(), &records)
    })?;
    println!(
        "holidays loaded: {} added, {} renamed, {} unchanged",
        s.added, s.renamed, s.unchanged
    );
    Ok(())
}

/// `tick [--date D] [--dry-run]`: the daily tick once (transitions,
/// missed milestones, reminder planning), then one dispatcher round, for
/// today in the configured time zone or for `date`.
pub fn tick(
    settings: &Settings,
    date: Option<chrono::NaiveDate>,
    dry_run: bool,
) -> anyhow::Result<()> {
    let settings = std::sync::Arc::new(settings.clone());
    let worker = crate::scheduler::Worker {
        db: Database::connect_and_migrate(&settings.database)?,
        mailer: crate::mail::transport::Mailer::from_settings(&settings.mail)?,
        templates: std::sync::Arc::new(crate::mail::templates::Templates::new()?),
        settings: settings.clone(),
    };
    let day = date.unwrap_or_else(|| crate::scheduler::today(&settings));
    let (run, emails) = worker.run_once(Some(day), dry_run)?;
    let crate::scheduler::TickRun::Ran(summary) = run else {
        println!("tick {day}: skipped, another process is running the tick");
        return Ok(());
    };
    println!(
        "tick {day}{}: {} activated, {} completed, {} milestones missed, {} reminders planned; {} emails sent, {} to retry, {} dead",
        if dry_run { " (dry run, nothing written)" } else { "" },
        summary.activated,
        summary.completed,
        summary.milestones_missed,
        summary.reminders_planned,
        emails.sent,
        emails.failed,
        emails.dead,
    );
    Ok(())
}
