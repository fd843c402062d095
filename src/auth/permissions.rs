//! Who may see and do what (SPEC 3): role checks plus unit scopes, decided
//! from the caller and the records handed in (no IO here: `api::caller`
//! reads the unit tree and delegations). A record outside the caller's
//! scope is answered 404 (its existence is not revealed); an action the
//! caller may not take on a visible record is 403.

use super::caller::{AuthUser, Denied};
use crate::domain::user::Role;

pub use crate::domain::scope::Scope;

impl Scope {
    /// The scope of a role before the unit tree is read: everything for
    /// administrators, nothing for the others.
    pub fn for_role(role: Role) -> Scope {
        match role {
            Role::Admin => Scope::All,
            _ => Scope::Nothing,
        }
    }
}

/// Refused unless the caller is an administrator.
pub fn require_admin(user: &AuthUser) -> Result<(), Denied> {
    user.require_role(&[Role::Admin])
}

use crate::domain::actions::Caller;
pub use crate::domain::actions::Posting;

/// Who is looking: role, scope, and the official a cadre is.
#[derive(Debug, Clone)]
pub struct Viewer {
    /// User id.
    pub user_id: String,
    /// Role.
    pub role: Role,
    /// Units in scope.
    pub scope: Scope,
    /// The official linked to the user.
    pub official_id: Option<String>,
    /// Scopes of the directors the user stands in for today (decisions).
    pub delegated: Vec<Scope>,
}

impl Viewer {
    /// The caller with their scope and the scopes they stand in for.
    pub fn new(user: &AuthUser, scope: Scope, delegated: Vec<Scope>) -> Viewer {
        Viewer {
            user_id: user.id.clone(),
            role: user.role,
            scope,
            official_id: user.official_id.clone(),
            delegated,
        }
    }

    /// SPEC 3 visibility of one posting: administrators everything, HR and
    /// directors either side within their scope (or a delegator's), a
    /// cadre their own.
    pub fn can_see(&self, p: Posting<'_>) -> bool {
        match self.role {
            Role::Admin => true,
            Role::HrOfficer | Role::Director => {
                let sees = |scope: &Scope| {
                    scope.contains(p.home_unit_id) || scope.contains(p.host_unit_id)
                };
                sees(&self.scope) || self.delegated.iter().any(sees)
            }
            Role::Cadre => self.is_the_official(p),
        }
    }

    /// The caller as the rules of `domain::actions` take them.
    pub fn caller(&self) -> Caller<'_> {
        Caller {
            role: self.role,
            user_id: &self.user_id,
            official_id: self.official_id.as_deref(),
            scope: &self.scope,
            delegated: &self.delegated,
        }
    }

    /// HR (and administrators): they manage postings and milestones.
    pub fn is_hr(&self) -> bool {
        self.caller().is_hr()
    }

    /// The seconded official themself.
    pub fn is_the_official(&self, p: Posting<'_>) -> bool {
        self.caller().is_the_official(p)
    }

    /// The cadre of the posting, signed in as themself.
    pub fn is_own_cadre(&self, p: Posting<'_>) -> bool {
        self.caller().is_own_cadre(p)
    }

    /// Outcomes are logged and edited by the posting's cadre or HR.
    pub fn may_write_outcomes(&self, p: Posting<'_>) -> bool {
        self.caller().may_write_outcomes(p)
    }

    /// A director of the receiving side (directly, not by delegation).
    pub fn directs_host(&self, p: Posting<'_>) -> bool {
        self.caller().directs_host(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn user(role: Role, official: Option<&str>) -> AuthUser {
        AuthUser {
            id: "u".into(),
            role,
            unit: None,
            official_id: official.map(str::to_string),
            request_id: None,
            session_id: None,
            must_change_password: false,
        }
    }

    const P: Posting<'static> = Posting {
        official_id: "o1",
        home_unit_id: "home",
        host_unit_id: "host",
    };

    #[test]
    fn each_role_sees_what_spec_3_says() {
        let units =
            |u: &[&str]| Scope::Units(u.iter().map(|s| s.to_string()).collect::<HashSet<_>>());
        assert!(Viewer::new(&user(Role::Admin, None), Scope::All, vec![]).can_see(P));
        let hr = Viewer::new(&user(Role::HrOfficer, None), units(&["host"]), vec![]);
        assert!(hr.can_see(P));
        let other = Viewer::new(&user(Role::Director, None), units(&["elsewhere"]), vec![]);
        assert!(!other.can_see(P));
        let standing_in = Viewer::new(
            &user(Role::Director, None),
            units(&["x"]),
            vec![units(&["home"])],
        );
        assert!(standing_in.can_see(P));
        assert!(
            !standing_in.directs_host(P),
            "a delegation does not make a host director"
        );
        assert!(Viewer::new(&user(Role::Cadre, Some("o1")), Scope::Nothing, vec![]).can_see(P));
        assert!(!Viewer::new(&user(Role::Cadre, Some("o2")), Scope::Nothing, vec![]).can_see(P));
    }
}
