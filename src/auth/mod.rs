//! Authentication: password hashing, tokens, the authenticated-user
//! extractor and permission checks.

pub mod password;
