//! Outcomes and evaluations.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::stored::stored_enum;

/// The pillars results are tracked on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Pillar {
    /// Digital government.
    DigitalGovernment,
    /// Digital economy.
    DigitalEconomy,
    /// Digital society.
    DigitalSociety,
    /// Anything else.
    Other,
}

stored_enum!(Pillar, "pillar");
stored_enum!(Rating, "rating");

impl Pillar {
    /// Every pillar, in the order of the SPEC.
    pub const ALL: [Pillar; 4] = [
        Pillar::DigitalGovernment,
        Pillar::DigitalEconomy,
        Pillar::DigitalSociety,
        Pillar::Other,
    ];

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Pillar::DigitalGovernment => "digital_government",
            Pillar::DigitalEconomy => "digital_economy",
            Pillar::DigitalSociety => "digital_society",
            Pillar::Other => "other",
        }
    }
}

/// One measured result of an outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    /// What was measured, e.g. "dịch vụ công trực tuyến toàn trình".
    pub name: String,
    /// The value.
    pub value: f64,
    /// The unit, e.g. "%" or "dịch vụ".
    #[serde(default)]
    pub unit: Option<String>,
}

/// The final evaluation by the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    /// Excellent.
    Excellent,
    /// Good.
    Good,
    /// Satisfactory.
    Satisfactory,
    /// Unsatisfactory.
    Unsatisfactory,
}

impl Rating {
    /// Every rating, best first.
    pub const ALL: [Rating; 4] = [
        Rating::Excellent,
        Rating::Good,
        Rating::Satisfactory,
        Rating::Unsatisfactory,
    ];

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Excellent => "excellent",
            Rating::Good => "good",
            Rating::Satisfactory => "satisfactory",
            Rating::Unsatisfactory => "unsatisfactory",
        }
    }
}
