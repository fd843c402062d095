//! Authentication and permission decisions from claims and records handed
//! in: password hashing, tokens, sign-in verdicts, the caller, visibility.
//! No imports from `api` or `store`.

pub mod caller;
pub mod jwt;
pub mod password;
pub mod permissions;
pub mod session;
pub mod tokens;

pub use caller::{AuthUser, Denied};
