//! Connections for both backends: the connection enum, the database URL
//! and how a connection is opened, and migrations. The pools are in
//! `pool`, the units of work in `units`.

mod pool;
mod units;

use std::path::PathBuf;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, ConnectionError};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

pub use pool::{Access, Database};
pub use units::{all_or_nothing, UnitError};

use super::StoreError;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// One connection to either backend; store code is written once against it.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    /// PostgreSQL (production).
    Pg(PgConnection),
    /// SQLite (zero-configuration default).
    Sqlite(SqliteConnection),
}

/// Which database engine a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// `postgres://` or `postgresql://`.
    Postgres,
    /// `sqlite://path` or a plain file path.
    Sqlite,
}

/// A parsed database URL: the backend and what to hand its driver.
#[derive(Clone)]
pub struct DbTarget {
    /// The engine.
    pub backend: Backend,
    /// The connection string for PostgreSQL, the file path for SQLite.
    location: String,
    busy_timeout_ms: u64,
}

impl std::fmt::Debug for DbTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}({})", self.backend, redact_url(&self.location))
    }
}

/// Hides the password of a URL (`postgres://user:***@host/db`) for logs.
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => {
            let userinfo = &rest[..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}://{}:***@{}", &url[..scheme_end], user, &rest[at + 1..])
        }
        None => url.to_string(),
    }
}

impl DbTarget {
    /// Parses `postgres://...`, `sqlite://path`, `sqlite:path` or a path.
    pub fn parse(url: &str, busy_timeout_ms: u64) -> Result<Self, StoreError> {
        let url = url.trim();
        let (backend, location) =
            if url.starts_with("postgres://") || url.starts_with("postgresql://") {
                (Backend::Postgres, url.to_string())
            } else if let Some(path) = url.strip_prefix("sqlite://") {
                (Backend::Sqlite, path.to_string())
            } else if let Some(path) = url.strip_prefix("sqlite:") {
                (Backend::Sqlite, path.to_string())
            } else if url.contains("://") {
                return Err(StoreError::Unavailable(format!(
                    "database.url scheme of {} is neither sqlite:// nor postgres://",
                    redact_url(url)
                )));
            } else {
                (Backend::Sqlite, url.to_string())
            };
        if location.is_empty() || location == ":memory:" {
            return Err(StoreError::Unavailable(
                "database.url must name a SQLite file (a pool cannot share :memory:)".into(),
            ));
        }
        Ok(DbTarget {
            backend,
            location,
            busy_timeout_ms,
        })
    }

    /// The SQLite file, if this is SQLite.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        (self.backend == Backend::Sqlite).then(|| PathBuf::from(&self.location))
    }

    /// Opens one connection of the right variant, so the driver's own error
    /// ("Connection refused" with host and port) reaches the caller.
    pub fn connect(&self) -> Result<DbConnection, ConnectionError> {
        match self.backend {
            Backend::Postgres => {
                let conn = PgConnection::establish(&self.location)?;
                Ok(DbConnection::Pg(conn))
            }
            Backend::Sqlite => {
                if let Some(parent) = PathBuf::from(&self.location).parent() {
                    if !parent.as_os_str().is_empty() {
                        std::fs::create_dir_all(parent).map_err(|e| {
                            ConnectionError::BadConnection(format!(
                                "cannot create directory {}: {e}",
                                parent.display()
                            ))
                        })?;
                    }
                }
                let mut conn = SqliteConnection::establish(&self.location)?;
                // WAL lets readers work while one writer commits; foreign keys
                // are off by default in SQLite; the busy timeout makes writers
                // wait for the lock instead of failing at once.
                conn.batch_execute(&format!(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {};",
                    self.busy_timeout_ms
                ))
                .map_err(|e| ConnectionError::BadConnection(e.to_string()))?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

/// Runs `f` with a query plan made for each execution's values, where the
/// values decide the best plan: searches by name words are very skewed
/// (`nguyen` matches a third of officials, `vy` a few), and the generic
/// plan PostgreSQL settles on after five executions of a prepared statement
/// ignores that. Everything else keeps PostgreSQL's default: planning an
/// eight-table lookup by primary key took 2 ms a time, executing it 0.06 ms
/// (docs/performance.md). On PostgreSQL this is one short transaction with
/// `SET LOCAL`; on SQLite it is `f` itself.
pub fn planned_per_value<T>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    match conn {
        DbConnection::Pg(_) => conn.transaction(|conn| {
            conn.batch_execute("SET LOCAL plan_cache_mode = force_custom_plan")?;
            f(conn)
        }),
        DbConnection::Sqlite(_) => f(conn),
    }
}

/// Applies pending migrations of the connection's backend; returns how many.
///
/// On PostgreSQL a transaction-scoped advisory lock serialises instances
/// starting together; it ends with its transaction, so it is safe behind
/// PgBouncer in transaction mode (a session lock and its unlock could land
/// on two server connections there).
pub fn run_migrations(conn: &mut DbConnection) -> Result<usize, StoreError> {
    let migration_error = |e: Box<dyn std::error::Error + Send + Sync>| {
        StoreError::Internal(format!("migration failed: {e}"))
    };
    match conn {
        DbConnection::Pg(pg) => pg.transaction(|pg| {
            pg.batch_execute("SELECT pg_advisory_xact_lock(727274)")?;
            pg.run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|v| v.len())
                .map_err(migration_error)
        }),
        DbConnection::Sqlite(sqlite) => sqlite
            .run_pending_migrations(SQLITE_MIGRATIONS)
            .map(|v| v.len())
            .map_err(migration_error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_the_backend() {
        let pg = DbTarget::parse("postgres://u:p@localhost/db", 1).unwrap();
        assert_eq!(pg.backend, Backend::Postgres);
        let sq = DbTarget::parse("sqlite://data/x.db", 1).unwrap();
        assert_eq!(sq.sqlite_path().unwrap(), PathBuf::from("data/x.db"));
        let plain = DbTarget::parse("/tmp/x.db", 1).unwrap();
        assert_eq!(plain.backend, Backend::Sqlite);
        assert!(DbTarget::parse("mysql://x", 1).is_err());
        assert!(DbTarget::parse("sqlite://:memory:", 1).is_err());
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://app:secret@db:5432/x"),
            "postgres://app:***@db:5432/x"
        );
        assert_eq!(redact_url("postgres://db/x"), "postgres://db/x");
        assert_eq!(redact_url("data/x.db"), "data/x.db");
    }
}
