//! The one integration-test binary: every capability's tests go through
//! HTTP against the real application and a real database (a SQLite file per
//! test, or a fresh PostgreSQL database when TEST_DATABASE_URL is set).

mod helpers;

mod lifecycle;

mod admin;
mod auth;
mod binary;
mod calendar;
mod concurrency;
mod console;
mod console_admin;
mod contract;
mod demo;
mod email;
mod errors;
mod exports;
mod lists;
mod operations;
mod registry;
mod replica;
mod reports;
mod seed;
mod validation;
