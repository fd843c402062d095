//! Leases on jobs that must run on one process at a time (the daily tick),
//! on both backends: a row per job, taken when missing or expired.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::schema::job_leases;
use super::{DbConnection, StoreError};

/// Takes the lease on `name` for `holder` until `now + lease`, unless a
/// live lease is held by someone else. `true` when taken.
///
/// Concurrent takers settle on the primary key (PostgreSQL makes the second
/// insert wait for the first) and on the row lock of the update, so exactly
/// one wins.
pub fn take(
    conn: &mut DbConnection,
    name: &str,
    holder: &str,
    now: NaiveDateTime,
    lease: Duration,
) -> Result<bool, StoreError> {
    let until = now + lease;
    // In its own (nested) transaction: on PostgreSQL a clash on the key
    // aborts only that, not the unit of work it runs in.
    let inserted = conn
        .transaction(|conn| {
            diesel::insert_into(job_leases::table)
                .values((
                    job_leases::name.eq(name),
                    job_leases::holder.eq(holder),
                    job_leases::lease_until.eq(until),
                ))
                .execute(conn)
        })
        .map_err(StoreError::from);
    match inserted {
        Ok(_) => return Ok(true),
        Err(StoreError::UniqueViolation(_)) => {}
        Err(e) => return Err(e),
    }
    let renewed = diesel::update(
        job_leases::table
            .filter(job_leases::name.eq(name))
            .filter(job_leases::lease_until.lt(now)),
    )
    .set((
        job_leases::holder.eq(holder),
        job_leases::lease_until.eq(until),
    ))
    .execute(conn)?;
    Ok(renewed == 1)
}

/// Gives the lease back, if `holder` still has it.
pub fn release(conn: &mut DbConnection, name: &str, holder: &str) -> Result<(), StoreError> {
    diesel::delete(
        job_leases::table
            .filter(job_leases::name.eq(name))
            .filter(job_leases::holder.eq(holder)),
    )
    .execute(conn)?;
    Ok(())
}
