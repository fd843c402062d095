//! Argon2 work (checking and hashing passwords) off the request workers
//! and outside every unit of work, at most one per core at a time: each
//! takes 19 MiB and a core for tens of milliseconds, so running more at
//! once only adds memory and makes every one of them slower. Sign-ins
//! beyond that wait their turn here.

use std::sync::OnceLock;

use tokio::sync::Semaphore;

use super::AppError;
use crate::auth::password;

fn gate() -> &'static Semaphore {
    static GATE: OnceLock<Semaphore> = OnceLock::new();
    GATE.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Semaphore::new(cores)
    })
}

/// Runs `f` (password work) on the blocking pool once a core is free.
pub async fn run<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    let _permit = gate()
        .acquire()
        .await
        .map_err(|e| AppError::Internal(format!("password gate closed: {e}")))?;
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| AppError::Internal(format!("password work did not finish: {e}")))
}

/// The Argon2id hash of a new password, computed through [`run`]: before
/// the unit of work that stores it, never inside one.
pub async fn hash(new_password: String) -> Result<String, AppError> {
    run(move || password::hash_password(&new_password))
        .await?
        .map_err(AppError::Internal)
}
