//! The time the application records its changes at: the real clock, or on
//! the demo's thread, while it tells its story, the story's day.

/// Sets, on this thread only, the time changes are recorded at (`None`:
/// the real clock again). The demo's history must say when each step of a
/// story that began in 2021 happened, not the day it was loaded.
pub use crate::store::story_clock;
