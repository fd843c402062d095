//! Database errors translated once, so the API layer maps a small enum.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// What a store function can fail with.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A unique constraint refused the write; holds the constraint name.
    #[error("unique constraint violated: {0}")]
    UniqueViolation(String),
    /// A foreign key refused the write.
    #[error("foreign key violated: {0}")]
    ForeignKeyViolation(String),
    /// Text the database cannot store (a NUL character).
    #[error("invalid text: {0}")]
    InvalidText(String),
    /// The database cannot be reached (pool timeout, closed connection).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Anything else; logged, never shown to clients.
    #[error("{0}")]
    Internal(String),
}

impl StoreError {
    /// Whether the connection may be gone (worth a ping before reuse).
    pub fn may_be_connection_loss(&self) -> bool {
        matches!(self, StoreError::Unavailable(_) | StoreError::Internal(_))
    }
}

impl From<DieselError> for StoreError {
    fn from(e: DieselError) -> Self {
        match e {
            DieselError::NotFound => StoreError::NotFound,
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                StoreError::UniqueViolation(
                    info.constraint_name()
                        .map(str::to_string)
                        .unwrap_or_else(|| info.message().to_string()),
                )
            }
            DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, info) => {
                StoreError::ForeignKeyViolation(info.message().to_string())
            }
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                StoreError::Unavailable(info.message().to_string())
            }
            // The server ended the session (restart, pg_terminate_backend,
            // a lost network): the connection is gone, the database may
            // be back for the next one.
            DieselError::DatabaseError(_, info)
                if info.message().contains("terminating connection")
                    || info.message().contains("server closed the connection")
                    || info.message().contains("connection to server")
                    || info.message().contains("no connection to the server") =>
            {
                StoreError::Unavailable(info.message().to_string())
            }
            // SQLite's lock stayed taken past the busy timeout (another
            // process writing): busy, not broken.
            DieselError::DatabaseError(_, info)
                if info.message().contains("database is locked")
                    || info.message().contains("database table is locked") =>
            {
                StoreError::Unavailable(info.message().to_string())
            }
            DieselError::DatabaseError(_, info)
                if info.message().contains("0x00")
                    || info.message().contains("invalid byte sequence") =>
            {
                StoreError::InvalidText(info.message().to_string())
            }
            DieselError::SerializationError(e) if e.to_string().contains("nul byte") => {
                StoreError::InvalidText(e.to_string())
            }
            other => StoreError::Internal(other.to_string()),
        }
    }
}
