//! Argon2 work (checking and hashing passwords) off the request workers,
//! at most one per core at a time: each takes 19 MiB and a core for tens
//! of milliseconds, so running more at once only adds memory and makes
//! every one of them slower. Sign-ins beyond that wait their turn here.

use std::sync::OnceLock;

use actix_web::web;
use tokio::sync::Semaphore;

use super::ApiError;

fn gate() -> &'static Semaphore {
    static GATE: OnceLock<Semaphore> = OnceLock::new();
    GATE.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Semaphore::new(cores)
    })
}

/// Runs `f` (password work) on the blocking pool once a core is free.
pub async fn run<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
    let _permit = gate()
        .acquire()
        .await
        .map_err(|e| ApiError::Internal(format!("password gate closed: {e}")))?;
    web::block(f)
        .await
        .map_err(|e| ApiError::Internal(format!("password work did not finish: {e}")))
}
