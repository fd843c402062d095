//! Subcommands other than `serve`. Each applies the migrations first, so
//! any of them works on a new, empty database.

use std::io::IsTerminal;

use anyhow::{anyhow, bail, Context};

use crate::auth::password;
use crate::config::Settings;
use crate::domain::email::EmailAddress;
use crate::domain::user::check_password_policy;
use crate::store::audit::Actor;
use crate::store::{users, Database};

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
    let mut conn = db.get()?;
    if users::find_by_email(&mut conn, &email.normalized())?.is_some() {
        bail!("a user with email {} already exists", email.as_str());
    }
    let hash = password::hash_password(&password).map_err(anyhow::Error::msg)?;
    let user = users::insert(
        &mut conn,
        &Actor::system(),
        &users::NewUser {
            email: email.as_str().to_string(),
            email_normalized: email.normalized(),
            password_hash: hash,
            role: "admin".into(),
            org_unit_id: None,
            official_id: None,
            language: "vi".into(),
        },
    )
    .context("creating the administrator")?;
    println!("created administrator {} ({})", user.email, user.id);
    Ok(())
}
