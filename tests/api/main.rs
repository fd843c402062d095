//! The one integration-test binary: every capability's tests go through
//! HTTP against the real application and a real database (a SQLite file per
//! test, or a fresh PostgreSQL database when TEST_DATABASE_URL is set).

mod helpers;

mod lifecycle;

mod actions;
mod actions_performed;
mod actions_requests;
mod admin;
mod auth;
mod binary;
mod calendar;
mod concurrency;
mod console;
mod console_admin;
mod console_pages;
mod console_password;
mod contract;
mod demo;
mod email;
mod errors;
mod exports;
mod extension_lapse;
mod lists;
mod openapi_enums;
mod operations;
mod passwords;
mod registry;
mod reminders;
mod replica;
mod reports;
mod seed;
mod units_of_work;
mod validation;
