//! Roles and languages of user accounts.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::stored::stored_enum;

/// What a user may do (SPEC 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything: users, units, policy.
    Admin,
    /// Manages officials and postings in their unit's scope.
    HrOfficer,
    /// Decides approvals for the sides in their unit's scope.
    Director,
    /// A seconded official: sees their own secondments.
    Cadre,
}

stored_enum!(Role, "role");
stored_enum!(Language, "language");

impl Role {
    /// Every role.
    pub const ALL: [Role; 4] = [Role::Admin, Role::HrOfficer, Role::Director, Role::Cadre];

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::HrOfficer => "hr_officer",
            Role::Director => "director",
            Role::Cadre => "cadre",
        }
    }
}

/// Language of emails and messages for a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Vietnamese (the default).
    #[default]
    Vi,
    /// English.
    En,
}

impl Language {
    /// Every language.
    pub const ALL: [Language; 2] = [Language::Vi, Language::En];

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Vi => "vi",
            Language::En => "en",
        }
    }
}

/// Checks a new password: at least 12 characters, not the email address.
pub fn check_password_policy(password: &str, email: &str) -> Result<(), String> {
    if password.chars().count() < 12 {
        return Err("must be at least 12 characters".into());
    }
    if password.chars().count() > 1024 {
        return Err("must be at most 1024 characters".into());
    }
    if password.trim().eq_ignore_ascii_case(email.trim()) {
        return Err("must not be the email address".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip() {
        for r in [Role::Admin, Role::HrOfficer, Role::Director, Role::Cadre] {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn password_policy() {
        assert!(check_password_policy("short", "a@b.vn").is_err());
        assert!(check_password_policy("Admin@Mic.Gov.Vn", "admin@mic.gov.vn").is_err());
        assert!(check_password_policy("correct horse battery", "a@b.vn").is_ok());
    }
}
