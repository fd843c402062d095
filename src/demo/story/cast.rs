//! The cast of the story: units, officials and demo users as they were
//! before 2021, created by the administrator, and users moving with their
//! units' mergers.

use serde_json::json;

use super::{accounts, command, missing, Login, Story};
use crate::app::units::DbConnection;
use crate::app::{officials, org_units, reference, users, AppError};
use crate::auth::AuthUser;
use crate::demo::data::{self, day, Parent, Person, Unit};

impl Story {
    /// The administrator first, then the units, officials and other users.
    pub fn set_up(&mut self, tx: &mut DbConnection, logins: &[Login]) -> Result<(), AppError> {
        self.begin("the cast");
        let first = logins
            .iter()
            .find(|l| l.role == "admin")
            .ok_or_else(|| missing("administrator", "login"))?;
        // Nobody is signed in yet: the service creates the first
        // administrator itself, as `create-admin` does.
        self.doing(format!("creating the first administrator {}", first.email));
        let account = users::check_first_admin(command(account_form(first, None, None))?)?;
        let created = users::create_first_admin(tx, account, first.password_hash.clone())?;
        self.users.insert(first.email, created.id);
        let admin = self.admin(tx)?;
        for name in data::FORMER_PROVINCES {
            self.doing(format!("creating the former province {name}"));
            let province =
                reference::former_province(name)?.ok_or_else(|| missing("province", name))?;
            let unit = command(json!({
                "code": province.code,
                "name": province.name,
                "kind": province.kind,
                "valid_from": province.valid_from,
            }))?;
            let row = org_units::create(&admin, tx, &self.cx, unit)?;
            self.units.insert(name, row.id);
        }
        for u in data::UNITS {
            self.add_unit(tx, &admin, u, None)?;
        }
        for p in [&data::HIEU, &data::HA, &data::NHUNG, &data::DUC] {
            self.add_official(tx, &admin, p)?;
        }
        for login in logins.iter().filter(|l| l.role != "admin") {
            let unit = accounts()
                .iter()
                .find(|a| a.email == login.email)
                .and_then(|a| a.unit)
                .map(|key| self.unit(key))
                .transpose()?;
            let official = self.officials.get(login.email).cloned();
            self.doing(format!("creating the account of {}", login.email));
            let cmd = users::check_new(&admin, command(account_form(login, unit, official))?)?;
            let created = users::create(&admin, tx, cmd, login.password_hash.clone())?;
            self.users.insert(login.email, created.id);
        }
        Ok(())
    }

    /// Creates `u` under its parent (or under `parent_id` when given) as
    /// the administrator `admin`; returns its id.
    pub(super) fn add_unit(
        &mut self,
        tx: &mut DbConnection,
        admin: &AuthUser,
        u: &Unit,
        parent_id: Option<String>,
    ) -> Result<String, AppError> {
        let parent_id = match (u.parent, parent_id) {
            (_, Some(id)) => Some(id),
            (Parent::Root, None) => None,
            (Parent::Unit(code) | Parent::FormerProvince(code), None) => Some(self.unit(code)?),
        };
        let (y, m, d) = u.valid_from;
        self.doing(format!("creating the unit {}", u.code));
        let unit = command(json!({
            "code": u.code,
            "name": u.name,
            "name_en": u.name_en,
            "kind": u.kind,
            "parent_id": parent_id,
            "valid_from": day(y, m, d),
        }))?;
        let row = org_units::create(admin, tx, &self.cx, unit)?;
        self.units.insert(u.code, row.id.clone());
        Ok(row.id)
    }

    fn add_official(
        &mut self,
        tx: &mut DbConnection,
        admin: &AuthUser,
        p: &Person,
    ) -> Result<(), AppError> {
        let (y, m, d) = p.born;
        self.doing(format!("adding the official {}", p.full_name));
        let official = command(json!({
            "staff_code": p.staff_code,
            "full_name": p.full_name,
            "email": p.email,
            "home_unit_id": self.unit(p.home)?,
            "position": p.position,
            "rank": p.rank,
            "date_of_birth": day(y, m, d),
            "language": "vi",
            "in_succession_plan": p.in_succession_plan,
            "retirement_date": p.retires.map(|(y, m, d)| day(y, m, d)),
            "active": true,
        }))?;
        let row = officials::create(admin, tx, official)?;
        self.officials.insert(p.email, row.id);
        Ok(())
    }

    /// The administrator moves a demo user to the unit that took over
    /// their old one.
    pub(super) fn move_user(
        &self,
        tx: &mut DbConnection,
        email: &str,
        unit_id: String,
    ) -> Result<(), AppError> {
        let admin = self.admin(tx)?;
        let id = self.user(email)?;
        self.doing(format!("moving {email} to the unit that took over theirs"));
        let change = users::check_change(&admin, &id, command(json!({ "org_unit_id": unit_id }))?)?;
        users::update(&admin, tx, &id, None, change, None)?;
        Ok(())
    }
}

/// The account of `login` as an administrator's form sends it. Demo
/// passwords are printed for people trying the console, so none must be
/// changed at first sign-in.
fn account_form(
    login: &Login,
    org_unit_id: Option<String>,
    official_id: Option<String>,
) -> serde_json::Value {
    json!({
        "email": login.email,
        "password": login.password,
        "full_name": login.full_name,
        "role": login.role,
        "org_unit_id": org_unit_id,
        "official_id": official_id,
        "language": login.language,
    })
}
