//! The authenticated caller: who they are, from a verified token and their
//! current record (`api::caller` builds it).

use crate::domain::actor::Actor;
use crate::domain::user::Role;

/// A caller with a valid access token.
#[derive(Debug, Clone)]
pub struct AuthUser {
    /// User id.
    pub id: String,
    /// Role, from the current user record (not the token).
    pub role: Role,
    /// Scope unit, from the current user record.
    pub unit: Option<String>,
    /// The official linked to the account, from the current user record.
    pub official_id: Option<String>,
    /// The request id, for audit rows.
    pub request_id: Option<String>,
    /// The session (refresh-token family) the request came through, when
    /// known: a password change keeps it and ends the others.
    pub session_id: Option<String>,
    /// The password must be changed before anything else (decision 0039).
    pub must_change_password: bool,
}

/// An action the caller's role may not take (403).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denied(pub String);

impl AuthUser {
    /// The audit actor for changes this caller makes.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.id.clone()),
            request_id: self.request_id.clone(),
        }
    }

    /// Refused unless the caller has one of `roles`.
    pub fn require_role(&self, roles: &[Role]) -> Result<(), Denied> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(Denied(format!(
                "The role {} may not do this.",
                self.role.as_str()
            )))
        }
    }
}
