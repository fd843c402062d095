//! The pools: PostgreSQL one; SQLite one writer connection and read-only
//! readers; a PostgreSQL replica for reads that may lag. Which pool a
//! unit of work takes is its [`Access`].

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, ManageConnection, Pool, PooledConnection, R2D2Connection};

use super::{run_migrations, Backend, DbConnection, DbTarget};
use crate::config::DatabaseSettings;
use crate::store::StoreError;

/// Which connections a unit of work needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Only reads: on SQLite a read-only connection, which never waits for
    /// the writer.
    Read,
    /// Writes: one transaction around the whole unit of work on both
    /// backends; on SQLite on the one writer connection, begun `IMMEDIATE`.
    Write,
    /// Reads that may lag behind the last write by a moment (lists,
    /// reports, exports): the replica of `database.read_url` when there is
    /// one and it answers, otherwise as `Read`.
    Lagging,
}

/// r2d2 manager that builds the variant from the URL scheme.
#[derive(Debug)]
pub struct Manager {
    target: DbTarget,
    read_only: bool,
}

/// A pooled connection and whether it must be thrown away.
pub struct Slot {
    pub(super) conn: DbConnection,
    pub(super) broken: bool,
}

impl ManageConnection for Manager {
    type Connection = Slot;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<Slot, r2d2::Error> {
        let mut conn = self
            .target
            .connect()
            .map_err(r2d2::Error::ConnectionError)?;
        if self.read_only {
            conn.batch_execute("PRAGMA query_only = ON")
                .map_err(r2d2::Error::QueryError)?;
        }
        Ok(Slot {
            conn,
            broken: false,
        })
    }

    fn is_valid(&self, slot: &mut Slot) -> Result<(), r2d2::Error> {
        slot.conn.ping().map_err(r2d2::Error::QueryError)
    }

    /// A connection is not reused when a query on it failed and it no
    /// longer answers, when a transaction was left open or broken on it,
    /// or when it was in use while a panic unwound.
    fn has_broken(&self, slot: &mut Slot) -> bool {
        slot.broken || std::thread::panicking() || slot.conn.is_broken()
    }
}

/// Logs pool errors (failed connects) through `tracing` with the real cause.
#[derive(Debug)]
struct TracingErrorHandler;

impl r2d2::HandleError<r2d2::Error> for TracingErrorHandler {
    fn handle_error(&self, error: r2d2::Error) {
        tracing::error!(error = %error, "database connection failed");
    }
}

/// A pooled connection.
pub type PooledConn = PooledConnection<Manager>;

/// The database handle shared by the whole application.
///
/// Every unit of work says what it does at the call site:
/// [`Database::write`] is one transaction around the whole closure on both
/// backends, so what it writes is kept or undone together;
/// [`Database::read`] and [`Database::lagging`] only read, without a write
/// transaction (decision 0046).
///
/// PostgreSQL: one pool. SQLite (WAL): one writer connection, on which the
/// transaction begins `IMMEDIATE` (it takes the write lock first, so it
/// waits its turn instead of failing when another process wrote in
/// between), and a pool of read-only connections that never wait for it
/// (docs/database.md).
#[derive(Clone)]
pub struct Database {
    writer: Pool<Manager>,
    readers: Option<Pool<Manager>>,
    replica: Option<Pool<Manager>>,
    target: DbTarget,
}

impl Database {
    /// Connects once (to surface the real error), applies pending
    /// migrations, then builds the pools.
    pub fn connect_and_migrate(settings: &DatabaseSettings) -> Result<Self, StoreError> {
        let target = DbTarget::parse(settings.url.expose(), settings.sqlite_busy_timeout_ms)?;
        let mut conn = target
            .connect()
            .map_err(|e| StoreError::Unavailable(format!("{target:?}: {e}")))?;
        let applied = run_migrations(&mut conn)?;
        if applied > 0 {
            tracing::info!(applied, "applied database migrations");
        }
        let pool = |size: u32, target: &DbTarget, read_only: bool| {
            Pool::builder()
                .max_size(size)
                .min_idle(Some(0))
                // No `SELECT 1` per checkout: a connection that fails a
                // query and no longer answers is marked broken and dropped
                // (`has_broken`), and the failed request gets a 503.
                .test_on_check_out(false)
                .connection_timeout(Duration::from_secs(settings.connect_timeout_secs.max(1)))
                .error_handler(Box::new(TracingErrorHandler))
                .build_unchecked(Manager {
                    target: target.clone(),
                    read_only,
                })
        };
        let (writer, readers) = match target.backend {
            Backend::Sqlite => (
                pool(1, &target, false),
                Some(pool(settings.pool_size, &target, true)),
            ),
            Backend::Postgres => (pool(settings.pool_size, &target, false), None),
        };
        let replica = match settings.read_url.expose() {
            "" => None,
            url => {
                let replica = DbTarget::parse(url, settings.sqlite_busy_timeout_ms)?;
                if replica.backend != Backend::Postgres || target.backend != Backend::Postgres {
                    return Err(StoreError::Internal(
                        "database.read_url must name a PostgreSQL replica of a PostgreSQL database.url"
                            .into(),
                    ));
                }
                // A standby is read-only by itself; nothing to set.
                Some(pool(settings.pool_size, &replica, false))
            }
        };
        Ok(Database {
            writer,
            readers,
            replica,
            target,
        })
    }

    /// Which engine this is.
    pub fn backend(&self) -> Backend {
        self.target.backend
    }

    fn pool(&self, access: Access) -> &Pool<Manager> {
        match (access, &self.readers, &self.replica) {
            (Access::Lagging, _, Some(replica)) => replica,
            (Access::Read | Access::Lagging, Some(readers), _) => readers,
            _ => &self.writer,
        }
    }

    /// A connection from the pool, or `Unavailable` after the timeout. A
    /// replica that gives none within a second is passed over for the
    /// primary: lists get slower, not unavailable.
    pub(super) fn checkout(&self, access: Access) -> Result<PooledConn, StoreError> {
        if access == Access::Lagging {
            if let Some(replica) = &self.replica {
                match replica.get_timeout(Duration::from_secs(1)) {
                    Ok(conn) => return Ok(conn),
                    Err(e) => {
                        tracing::warn!(error = %e, "replica unavailable; reading the primary")
                    }
                }
                return self.checkout(Access::Read);
            }
        }
        self.pool(access)
            .get()
            .map_err(|e| StoreError::Unavailable(format!("no database connection: {e}")))
    }

    /// True when a query succeeds within `timeout` and, for SQLite, the
    /// database file is still where it was opened (a moved or deleted file
    /// would silently swallow every write). On SQLite it asks a read
    /// connection: a long write is not unreadiness.
    pub async fn is_ready(&self, timeout: Duration) -> bool {
        let db = self.clone();
        let result = actix_web::web::block(move || {
            if let Some(path) = db.target.sqlite_path() {
                if !path.is_file() {
                    return Err(format!("SQLite file {} is missing", path.display()));
                }
            }
            let mut slot = db
                .pool(Access::Read)
                .get_timeout(timeout)
                .map_err(|e| e.to_string())?;
            slot.conn.ping().map_err(|e| e.to_string())
        })
        .await;
        match result {
            Ok(Ok(_)) => true,
            Ok(Err(cause)) => {
                tracing::warn!(%cause, "database not ready");
                false
            }
            Err(_) => false,
        }
    }

    /// `(open connections, idle connections, maximum)` for metrics, over
    /// both pools.
    pub fn pool_state(&self) -> (u32, u32, u32) {
        let mut total = (0, 0, 0);
        let pools = std::iter::once(&self.writer)
            .chain(self.readers.as_ref())
            .chain(self.replica.as_ref());
        for pool in pools {
            let state = pool.state();
            total.0 += state.connections;
            total.1 += state.idle_connections;
            total.2 += pool.max_size();
        }
        total
    }
}
