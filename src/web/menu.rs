//! The console's menu and account sections by role, decided here once so
//! the templates test flags, never a role (decision 0042).

use serde::Serialize;

use crate::domain::user::Role;

/// Which entries of the menu (and role-bound page sections) a user sees.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Menu {
    /// Requests waiting for a decision: directors, and HR officers who
    /// may stand in for one.
    pub approvals: bool,
    /// The list of secondments: staff.
    pub secondments: bool,
    /// Officials: HR and administrators.
    pub officials: bool,
    /// A new proposal: HR and administrators.
    pub new_secondment: bool,
    /// Users, units, holidays and the outbox: administrators.
    pub admin: bool,
    /// Reports: staff.
    pub reports: bool,
    /// Own secondments: a user linked to an official.
    pub mine: bool,
    /// Delegations on the account page: directors.
    pub delegations: bool,
}

impl Menu {
    /// The menu of a user with `role`, linked to an official or not.
    pub fn of(role: Role, linked: bool) -> Menu {
        let hr = matches!(role, Role::Admin | Role::HrOfficer);
        let staff = role != Role::Cadre;
        Menu {
            approvals: matches!(role, Role::Director | Role::HrOfficer),
            secondments: staff,
            officials: hr,
            new_secondment: hr,
            admin: role == Role::Admin,
            reports: staff,
            mine: linked,
            delegations: role == Role::Director,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_has_its_menu() {
        let cadre = Menu::of(Role::Cadre, true);
        assert_eq!(
            cadre,
            Menu {
                mine: true,
                ..Menu::default()
            }
        );
        let director = Menu::of(Role::Director, false);
        assert!(director.approvals && director.delegations && !director.officials);
        let admin = Menu::of(Role::Admin, false);
        assert!(admin.admin && admin.officials && !admin.approvals);
    }
}
