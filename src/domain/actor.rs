//! Who did something, for the audit log.

/// Who did something, and in which request.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    /// The user, or `None` for the system (start-up, the daily tick).
    pub user_id: Option<String>,
    /// The `X-Request-Id` of the HTTP request, when there was one.
    pub request_id: Option<String>,
}

impl Actor {
    /// The service itself (bootstrap, CLI, scheduler).
    pub fn system() -> Self {
        Actor::default()
    }
}
