//! What an audit event changed: only the fields whose values differ.

use serde_json::{Map, Value};

/// The fields of `before` and `after` that differ, each side holding only
/// those fields. A creation (no `before`) or a removal (no `after`) keeps
/// the one record whole; non-object snapshots are kept as they are.
pub fn changed_fields(
    before: Option<Value>,
    after: Option<Value>,
) -> (Option<Value>, Option<Value>) {
    match (before, after) {
        (Some(Value::Object(b)), Some(Value::Object(a))) => {
            let mut old = Map::new();
            let mut new = Map::new();
            for (k, v) in &a {
                if b.get(k) != Some(v) {
                    new.insert(k.clone(), v.clone());
                    old.insert(k.clone(), b.get(k).cloned().unwrap_or(Value::Null));
                }
            }
            for (k, v) in &b {
                if !a.contains_key(k) {
                    old.insert(k.clone(), v.clone());
                    new.insert(k.clone(), Value::Null);
                }
            }
            (Some(Value::Object(old)), Some(Value::Object(new)))
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_changed_fields_remain() {
        let (b, a) = changed_fields(
            Some(json!({"status": "draft", "version": 1, "title": "x"})),
            Some(
                json!({"status": "pending_approval", "version": 2, "title": "x", "detail": {"k": 1}}),
            ),
        );
        assert_eq!(
            b,
            Some(json!({"status": "draft", "version": 1, "detail": null}))
        );
        assert_eq!(
            a,
            Some(json!({"status": "pending_approval", "version": 2, "detail": {"k": 1}}))
        );
        let (b, a) = changed_fields(None, Some(json!({"status": "draft"})));
        assert_eq!((b, a), (None, Some(json!({"status": "draft"}))));
    }
}
