//! Authentication: password hashing, tokens, the authenticated-user
//! extractor and permission checks.

mod extractor;
pub mod jwt;
pub mod password;
pub mod permissions;
pub mod session;
pub mod tokens;

pub use extractor::AuthUser;
