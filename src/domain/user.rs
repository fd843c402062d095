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

/// Why a new password is refused; its words are the API's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordRefusal {
    /// Fewer than [`PasswordRefusal::MIN`] characters.
    #[error("must be at least 12 characters")]
    TooShort,
    /// More than [`PasswordRefusal::MAX`] characters.
    #[error("must be at most 1024 characters")]
    TooLong,
    /// The account's email address.
    #[error("must not be the email address")]
    IsEmail,
}

impl PasswordRefusal {
    /// The fewest characters a password may have.
    pub const MIN: usize = 12;
    /// The most characters a password may have.
    pub const MAX: usize = 1024;
}

impl From<PasswordRefusal> for String {
    fn from(r: PasswordRefusal) -> String {
        r.to_string()
    }
}

/// Checks a new password: at least 12 characters, not the email address.
pub fn check_password_policy(password: &str, email: &str) -> Result<(), PasswordRefusal> {
    if password.chars().count() < PasswordRefusal::MIN {
        return Err(PasswordRefusal::TooShort);
    }
    if password.chars().count() > PasswordRefusal::MAX {
        return Err(PasswordRefusal::TooLong);
    }
    if password.trim().eq_ignore_ascii_case(email.trim()) {
        return Err(PasswordRefusal::IsEmail);
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
