//! Units of work: one transaction around a whole write on both backends
//! (`BEGIN IMMEDIATE` on SQLite), reads without one, run on the blocking
//! pool; a unit that failed on a lost connection is unavailable
//! (decision 0046).

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::r2d2::R2D2Connection;
use diesel::sqlite::SqliteConnection;
use diesel::Connection;

use super::{Access, Database, DbConnection};
use crate::store::StoreError;

impl Database {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::DatabaseSettings;
    use diesel::RunQueryDsl;

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
}
