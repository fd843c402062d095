//! Changes that tell "leave it" from "clear it": in a change command an
//! absent field is `None`, an explicit `null` is `Some(None)`.

use serde::{Deserialize, Deserializer};

/// Deserialises a change's optional field so that an absent field is
/// `None` and an explicit `null` is `Some(None)` (use with
/// `#[serde(default, deserialize_with = "double_option")]`).
pub fn double_option<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}
