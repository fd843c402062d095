//! Who may see and do what (SPEC 3): role checks plus unit scopes, decided
//! from the caller and the records handed in (no IO here: `api::caller`
//! reads the unit tree and delegations). The viewer itself is plain data
//! (`domain::viewer`), so that the store's queries take it without
//! knowing the signed-in caller. A record outside the caller's
//! scope is answered 404 (its existence is not revealed); an action the
//! caller may not take on a visible record is 403.

use super::caller::{AuthUser, Denied};
use crate::domain::user::Role;

pub use crate::domain::scope::Scope;
pub use crate::domain::viewer::{Posting, Viewer};

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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_viewer_is_the_caller_with_their_scopes() {
        let user = AuthUser {
            id: "u".into(),
            role: Role::Cadre,
            unit: None,
            official_id: Some("o1".into()),
            request_id: None,
            session_id: None,
            must_change_password: false,
        };
        let v = Viewer::new(&user, Scope::Nothing, vec![Scope::All]);
        assert_eq!(
            (v.user_id.as_str(), v.role, v.official_id.as_deref()),
            ("u", Role::Cadre, Some("o1"))
        );
        assert_eq!((v.scope, v.delegated), (Scope::Nothing, vec![Scope::All]));
        // What it sees is domain::viewer's to say (tested there).
    }
}
