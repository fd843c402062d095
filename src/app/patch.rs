//! Commands that change a record name only what changes: a field left out
//! stays, a field sent as `null` is cleared.

use serde::{Deserialize, Deserializer};

/// Deserialises a change's field so that an absent field is `None` and an
/// explicit `null` is `Some(None)` (with `#[serde(default)]`).
pub fn double_option<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}
