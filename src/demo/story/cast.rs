//! The cast of the story: units, officials and demo users as they were
//! before 2021, and users moving with their units' mergers.

use anyhow::{anyhow, Context as _};

use super::{accounts, all_emails, Login, Story};
use crate::demo::data::{self, day, Parent, Person, Unit};
use crate::domain::actor::Actor;
use crate::store::org_units::{self, NewOrgUnit};
use crate::store::users::{self, NewUser, UserChanges};
use crate::store::{officials, reference, DbConnection};

impl Story {
    /// The administrator first, then the units, officials and other users.
    pub fn set_up(&mut self, conn: &mut DbConnection, logins: &[Login]) -> anyhow::Result<()> {
        let admin = logins
            .iter()
            .find(|l| l.role == "admin")
            .ok_or_else(|| anyhow!("no demo administrator"))?;
        self.add_user(conn, &Actor::system(), admin, None, None)?;
        let actor = self.admin()?;
        for name in data::FORMER_PROVINCES {
            let (unit, _) = reference::former_province(name)?
                .ok_or_else(|| anyhow!("{name} is not in the reference data"))?;
            let row = org_units::insert(conn, &actor, &unit)?;
            self.units.insert(name, row.id);
        }
        for u in data::UNITS {
            self.add_unit(conn, &actor, u, None)?;
        }
        for p in [&data::HIEU, &data::HA, &data::NHUNG, &data::DUC] {
            self.add_official(conn, &actor, p)?;
        }
        for login in logins.iter().filter(|l| l.role != "admin") {
            let unit = accounts()
                .iter()
                .find(|a| a.email == login.email)
                .and_then(|a| a.unit)
                .map(|key| self.unit(key))
                .transpose()?;
            let official = self.officials.get(login.email.as_str()).cloned();
            self.add_user(conn, &actor, login, unit, official)?;
        }
        Ok(())
    }

    fn add_user(
        &mut self,
        conn: &mut DbConnection,
        actor: &Actor,
        login: &Login,
        org_unit_id: Option<String>,
        official_id: Option<String>,
    ) -> anyhow::Result<()> {
        let new = NewUser {
            email: login.email.clone(),
            email_normalized: login.email.to_lowercase(),
            password_hash: login.password_hash.clone(),
            role: login.role.to_string(),
            org_unit_id,
            official_id,
            language: login.language.to_string(),
            full_name: Some(login.full_name.clone()),
            // Demo passwords are printed for people trying the console.
            must_change_password: false,
        };
        let row = users::create(conn, actor, &new).with_context(|| login.email.clone())?;
        let key = all_emails()
            .into_iter()
            .find(|e| *e == login.email)
            .ok_or_else(|| anyhow!("{} is not a demo account", login.email))?;
        self.users.insert(key, row.id);
        Ok(())
    }

    pub(super) fn add_unit(
        &mut self,
        conn: &mut DbConnection,
        actor: &Actor,
        u: &Unit,
        parent_id: Option<String>,
    ) -> anyhow::Result<String> {
        let parent_id = match (u.parent, parent_id) {
            (_, Some(id)) => Some(id),
            (Parent::Root, None) => None,
            (Parent::Unit(code) | Parent::FormerProvince(code), None) => Some(self.unit(code)?),
        };
        let (y, m, d) = u.valid_from;
        let new = NewOrgUnit {
            code: u.code.into(),
            name: u.name.into(),
            name_en: Some(u.name_en.into()),
            kind: u.kind.into(),
            parent_id,
            valid_from: day(y, m, d),
        };
        let row = org_units::insert(conn, actor, &new).with_context(|| u.code)?;
        self.units.insert(u.code, row.id.clone());
        Ok(row.id)
    }

    fn add_official(
        &mut self,
        conn: &mut DbConnection,
        actor: &Actor,
        p: &Person,
    ) -> anyhow::Result<()> {
        let (y, m, d) = p.born;
        let fields = officials::OfficialFields {
            staff_code: p.staff_code.into(),
            full_name: p.full_name.into(),
            email: p.email.into(),
            email_normalized: p.email.to_lowercase(),
            home_unit_id: self.unit(p.home)?,
            position: Some(p.position.into()),
            rank: Some(p.rank.into()),
            date_of_birth: Some(day(y, m, d)),
            language: "vi".into(),
            protected_until: None,
            in_succession_plan: p.in_succession_plan,
            retirement_date: p.retires.map(|(y, m, d)| day(y, m, d)),
            active: true,
        };
        let row = officials::insert(conn, actor, &fields).with_context(|| p.staff_code)?;
        self.officials.insert(p.email, row.id);
        Ok(())
    }

    /// Moves a demo user to the unit that took over their old one.
    pub(super) fn move_user(
        &self,
        conn: &mut DbConnection,
        email: &str,
        unit_id: String,
    ) -> anyhow::Result<()> {
        let changes = UserChanges {
            org_unit_id: Some(Some(unit_id)),
            ..Default::default()
        };
        users::update(conn, &self.admin()?, &self.user(email)?, None, &changes)?;
        Ok(())
    }
}
