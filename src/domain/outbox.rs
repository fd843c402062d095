//! The outbox of emails.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::stored::stored_enum;

/// Where an email is in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EmailStatus {
    /// Waiting to be sent.
    Pending,
    /// Claimed by a dispatcher.
    Sending,
    /// Accepted by the relay.
    Sent,
    /// Failed; will be retried.
    Failed,
    /// Failed for good.
    Dead,
    /// No longer to be sent.
    Cancelled,
}

stored_enum!(EmailStatus, "email status");

impl EmailStatus {
    /// Every state.
    pub const ALL: [EmailStatus; 6] = [
        EmailStatus::Pending,
        EmailStatus::Sending,
        EmailStatus::Sent,
        EmailStatus::Failed,
        EmailStatus::Dead,
        EmailStatus::Cancelled,
    ];

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            EmailStatus::Pending => "pending",
            EmailStatus::Sending => "sending",
            EmailStatus::Sent => "sent",
            EmailStatus::Failed => "failed",
            EmailStatus::Dead => "dead",
            EmailStatus::Cancelled => "cancelled",
        }
    }
}
