//! Extension requests.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::stored::stored_enum;

/// Where an extension request is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExtensionStatus {
    /// Waiting for the directors.
    Pending,
    /// Every side approved; the end date moved.
    Approved,
    /// A side refused.
    Rejected,
    /// HR took it back, or the posting ended first.
    Withdrawn,
}

stored_enum!(ExtensionStatus, "extension status");

impl ExtensionStatus {
    /// Every state.
    pub const ALL: [ExtensionStatus; 4] = [
        ExtensionStatus::Pending,
        ExtensionStatus::Approved,
        ExtensionStatus::Rejected,
        ExtensionStatus::Withdrawn,
    ];

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            ExtensionStatus::Pending => "pending",
            ExtensionStatus::Approved => "approved",
            ExtensionStatus::Rejected => "rejected",
            ExtensionStatus::Withdrawn => "withdrawn",
        }
    }
}
