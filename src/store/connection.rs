//! Connections, the pool and migrations for both backends.

use std::path::PathBuf;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::pg::PgConnection;
use diesel::r2d2::{self, ManageConnection, Pool, PooledConnection, R2D2Connection};
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, ConnectionError};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use super::StoreError;
use crate::config::DatabaseSettings;

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
    conn: DbConnection,
    broken: bool,
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
    fn checkout(&self, access: Access) -> Result<PooledConn, StoreError> {
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

    /// Runs `f` on a writer connection outside any transaction, for the
    /// statements that refuse to run inside one (PostgreSQL's `VACUUM`
    /// after `seed`). Nothing else should need it: changes go through a
    /// unit of work.
    pub fn maintenance<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut slot = self.checkout(Access::Write)?;
        f(&mut slot.conn)
    }

    /// Runs one unit of work on the calling thread (blocking): reads on a
    /// read connection; writes on the writer as one transaction (on SQLite
    /// begun `IMMEDIATE`) committed when `f` succeeds and rolled back when
    /// it returns an error; transactions that `f` opens become savepoints.
    /// Keep non-database work (mail, password hashing, rendering) out of `f`.
    pub fn blocking<T>(
        &self,
        access: Access,
        f: impl FnOnce(&mut DbConnection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.blocking_of(access, f)
    }

    /// [`Database::blocking`] for a unit whose error is not the store's
    /// (the application's `AppError`): the CLI's and the demo's units.
    pub fn blocking_of<T, E: UnitError>(
        &self,
        access: Access,
        f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut slot = self.checkout(access)?;
        let result = match access {
            Access::Write => one_transaction(&mut slot.conn, f),
            Access::Read | Access::Lagging => f(&mut slot.conn),
        };
        match result {
            // Whatever the driver called it (a failed commit or rollback
            // inside the unit's transaction reports its own error), a unit
            // that failed on a connection that no longer answers is the
            // database being unavailable: 503, retried by the client.
            Err(e) if e.may_be_connection_loss() && slot.conn.ping().is_err() => {
                slot.broken = true;
                Err(e.connection_lost())
            }
            other => other,
        }
    }

    /// [`Database::blocking`] on the blocking thread pool, inside the
    /// caller's tracing span: the unit of work of every door, whatever
    /// its error type.
    pub async fn unit_of<T, E, F>(&self, access: Access, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: UnitError + Send + 'static,
    {
        let db = self.clone();
        let span = tracing::Span::current();
        actix_web::web::block(move || {
            let _entered = span.enter();
            db.blocking_of(access, f)
        })
        .await
        .map_err(|e| E::from(StoreError::Internal(format!("blocking task failed: {e}"))))?
    }

    async fn unit<T, F>(&self, access: Access, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        self.unit_of(access, f).await
    }

    /// One unit of work that writes: the whole of `f` is one transaction,
    /// committed when it returns `Ok` and rolled back when it returns
    /// `Err`, on both backends. A failure that `f` turns into an `Ok`
    /// answer (`Ok(Err(refusal))`) commits what came before it: return it
    /// as the error when earlier writes must go with it.
    pub async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        self.unit(Access::Write, f).await
    }

    /// Reads that may lag behind the last write by a moment (lists,
    /// reports, exports): on the replica when one is configured.
    pub async fn lagging<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        self.unit(Access::Lagging, f).await
    }

    /// One unit of work that only reads, up to date: on SQLite a read-only
    /// connection that never waits for the writer; never the replica.
    pub async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        self.unit(Access::Read, f).await
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

/// Runs `f` as one transaction, committed when it succeeds and rolled back
/// otherwise; transactions that `f` opens become savepoints inside it. On
/// SQLite it begins `IMMEDIATE`, taking the write lock before the first
/// read, so two writers never both read and then fail to upgrade.
fn one_transaction<T, E: UnitError>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E> {
    type Tm = AnsiTransactionManager;
    let DbConnection::Sqlite(sq) = conn else {
        return conn.transaction(f);
    };
    Tm::begin_transaction_sql(sq, "BEGIN IMMEDIATE").map_err(|e| E::from(StoreError::from(e)))?;
    let result = f(conn);
    if let DbConnection::Sqlite(sq) = conn {
        match &result {
            Ok(_) => <Tm as TransactionManager<SqliteConnection>>::commit_transaction(sq)
                .map_err(|e| E::from(StoreError::from(e)))?,
            Err(_) => {
                let _ = <Tm as TransactionManager<SqliteConnection>>::rollback_transaction(sq);
            }
        }
    }
    result
}

/// The error of a unit of work: a store error, or an error a store error
/// converts into (the application's), which says when the connection
/// may be gone.
pub trait UnitError: From<StoreError> + From<diesel::result::Error> {
    /// Whether the connection may be gone (worth a ping before reuse).
    fn may_be_connection_loss(&self) -> bool;
    /// This error once a ping showed the connection gone: unavailable.
    fn connection_lost(self) -> Self;
}

impl UnitError for StoreError {
    fn may_be_connection_loss(&self) -> bool {
        StoreError::may_be_connection_loss(self)
    }

    fn connection_lost(self) -> Self {
        match self {
            StoreError::Internal(cause) => {
                StoreError::Unavailable(format!("the database connection was lost: {cause}"))
            }
            other => other,
        }
    }
}

/// Runs `f` inside the unit of work so that a refusal undoes everything
/// `f` wrote before it: a handler answers a refusal (`Ok(Err(refusal))`)
/// rather than failing the unit, and the unit commits what it holds; this
/// savepoint keeps the half-done part out of it. On PostgreSQL it also
/// clears a failed statement, so the unit can go on to answer.
pub fn all_or_nothing<T, E>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<Result<T, E>, StoreError> {
    let mut refusal = None;
    let done = conn.transaction::<_, diesel::result::Error, _>(|conn| match f(conn) {
        Ok(value) => Ok(value),
        Err(e) => {
            refusal = Some(e);
            Err(diesel::result::Error::RollbackTransaction)
        }
    });
    match (done, refusal) {
        (Ok(value), _) => Ok(Ok(value)),
        (Err(diesel::result::Error::RollbackTransaction), Some(e)) => Ok(Err(e)),
        (Err(e), _) => Err(e.into()),
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
    use diesel::RunQueryDsl;

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

    #[derive(diesel::QueryableByName)]
    struct CacheSize {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        cache_size: i64,
    }

    fn cache_size(conn: &mut DbConnection) -> Result<i64, StoreError> {
        let rows: Vec<CacheSize> = diesel::sql_query("PRAGMA cache_size").load(conn)?;
        Ok(rows.first().map_or(0, |r| r.cache_size))
    }

    #[test]
    fn a_connection_in_use_when_a_panic_unwound_is_not_reused() {
        let dir = tempfile::tempdir().unwrap();
        let settings = DatabaseSettings {
            url: crate::config::Secret::new(format!(
                "sqlite://{}",
                dir.path().join("panic.db").display()
            )),
            pool_size: 1,
            read_url: crate::config::Secret::default(),
            connect_timeout_secs: 5,
            sqlite_busy_timeout_ms: 1000,
        };
        let db = Database::connect_and_migrate(&settings).unwrap();
        // A per-connection setting marks the one reader connection; a read
        // holds no transaction, so only the unwinding shows it is unsafe.
        let marked = db.clone();
        let panicked = std::thread::spawn(move || {
            let _ = marked.blocking(Access::Read, |conn| {
                diesel::sql_query("PRAGMA cache_size = -4321").execute(conn)?;
                assert_eq!(cache_size(conn)?, -4321);
                panic!("a handler bug while the connection is out");
                #[allow(unreachable_code)]
                Ok(())
            });
        })
        .join();
        assert!(panicked.is_err(), "the closure panicked");
        // Reads work, on a new connection: the mark is gone.
        let size = db.blocking(Access::Read, cache_size).unwrap();
        assert_ne!(size, -4321, "the panicked connection went back to the pool");
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
