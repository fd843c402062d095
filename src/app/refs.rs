//! How responses name what they refer to (SPEC 4): a unit as
//! `{id, code, name, name_en}`, an official as `{id, full_name,
//! staff_code}`, a user as `{id, full_name, email}`.

use serde::Serialize;
use utoipa::ToSchema;

use crate::store::names::{Names, OfficialName, UnitName, UserName};

/// An organisation unit, named.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitRef {
    /// Id.
    pub id: String,
    /// Code.
    pub code: String,
    /// Vietnamese name.
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
}

/// An official, named.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OfficialRef {
    /// Id.
    pub id: String,
    /// Full name.
    pub full_name: String,
    /// Staff code.
    pub staff_code: String,
}

/// A user, named.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserRef {
    /// Id.
    pub id: String,
    /// Name, when recorded.
    pub full_name: Option<String>,
    /// Email.
    pub email: String,
}

impl From<UnitName> for UnitRef {
    fn from(u: UnitName) -> Self {
        UnitRef {
            id: u.id,
            code: u.code,
            name: u.name,
            name_en: u.name_en,
        }
    }
}

impl From<OfficialName> for OfficialRef {
    fn from(o: OfficialName) -> Self {
        OfficialRef {
            id: o.id,
            full_name: o.full_name,
            staff_code: o.staff_code,
        }
    }
}

impl From<UserName> for UserRef {
    fn from(u: UserName) -> Self {
        UserRef {
            id: u.id,
            full_name: u.full_name,
            email: u.email,
        }
    }
}

/// Shorthands over [`Names`] that answer the API's reference types.
pub trait Refs {
    /// The unit.
    fn unit_ref(&self, id: &str) -> UnitRef;
    /// The official.
    fn official_ref(&self, id: &str) -> OfficialRef;
    /// The user.
    fn user_ref(&self, id: &str) -> UserRef;
}

impl Refs for Names {
    fn unit_ref(&self, id: &str) -> UnitRef {
        self.unit(id).into()
    }
    fn official_ref(&self, id: &str) -> OfficialRef {
        self.official(id).into()
    }
    fn user_ref(&self, id: &str) -> UserRef {
        self.user(id).into()
    }
}
