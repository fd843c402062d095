//! Who is looking, as plain data: the caller's role, the units in their
//! scope, the official they are and the scopes they stand in for. `auth`
//! builds it from the signed-in caller; the store's queries take it as
//! data; the rules below say what it sees of a posting (SPEC 3).

use super::actions::Caller;
pub use super::actions::Posting;
use super::scope::Scope;
use super::user::Role;

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

    /// The caller as the rules of `domain::actions` take them: one set
    /// of rules for what is shown and what is allowed.
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

    fn viewer(role: Role, official: Option<&str>, scope: Scope, delegated: Vec<Scope>) -> Viewer {
        Viewer {
            user_id: "u".into(),
            role,
            scope,
            official_id: official.map(str::to_string),
            delegated,
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
        assert!(viewer(Role::Admin, None, Scope::All, vec![]).can_see(P));
        assert!(viewer(Role::HrOfficer, None, units(&["host"]), vec![]).can_see(P));
        assert!(!viewer(Role::Director, None, units(&["elsewhere"]), vec![]).can_see(P));
        let standing_in = viewer(Role::Director, None, units(&["x"]), vec![units(&["home"])]);
        assert!(standing_in.can_see(P));
        assert!(
            !standing_in.directs_host(P),
            "a delegation does not make a host director"
        );
        assert!(viewer(Role::Cadre, Some("o1"), Scope::Nothing, vec![]).can_see(P));
        assert!(!viewer(Role::Cadre, Some("o2"), Scope::Nothing, vec![]).can_see(P));
    }
}
