//! The units whose records a caller may see.

use std::collections::HashSet;

/// The units whose records a caller may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Administrators: everything.
    All,
    /// HR officers and directors: their unit and its descendants.
    Units(HashSet<String>),
    /// Cadres, or staff without a unit: no unit-based visibility.
    Nothing,
}

impl Scope {
    /// True when records of `unit_id` are visible.
    pub fn contains(&self, unit_id: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Units(units) => units.contains(unit_id),
            Scope::Nothing => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_contain_what_they_should() {
        let units = Scope::Units(HashSet::from(["a".to_string(), "b".to_string()]));
        assert!(units.contains("a"));
        assert!(!units.contains("c"));
        assert!(Scope::All.contains("anything"));
        assert!(!Scope::Nothing.contains("a"));
    }
}
