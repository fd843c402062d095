//! The lists' files, as `app::exports` reads them: re-exported for the
//! handlers that answer with them until they call the application
//! directly.

pub use crate::app::exports::{officials, secondments, OFFICIALS, SECONDMENTS};
