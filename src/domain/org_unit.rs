//! Organisation unit kinds.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::stored::stored_enum;

/// The kind of an organisation unit (SPEC 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// A ministry.
    Ministry,
    /// A department of a ministry.
    MinistryDepartment,
    /// A province or centrally run city.
    Province,
    /// A department of a province.
    ProvincialDepartment,
    /// A commune, ward or special zone.
    Commune,
    /// Anything else.
    Other,
}

stored_enum!(UnitKind, "unit kind");

impl UnitKind {
    /// Every kind.
    pub const ALL: [UnitKind; 6] = [
        UnitKind::Ministry,
        UnitKind::MinistryDepartment,
        UnitKind::Province,
        UnitKind::ProvincialDepartment,
        UnitKind::Commune,
        UnitKind::Other,
    ];

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Ministry => "ministry",
            UnitKind::MinistryDepartment => "ministry_department",
            UnitKind::Province => "province",
            UnitKind::ProvincialDepartment => "provincial_department",
            UnitKind::Commune => "commune",
            UnitKind::Other => "other",
        }
    }
}
