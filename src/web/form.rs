//! Forms into the API's request types. A form's fields carry the API's
//! field names (`consultation.held_on`, `metrics[0].value`); they are put
//! together into the JSON object the API would have received and read by
//! the API's own input discipline, so a form is refused for the same
//! reasons and with the same field names as the JSON request.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::api::input::parse_json;
use crate::api::ApiError;
use crate::app::FieldProblem;

/// The most fields a form may send.
const MAX_FIELDS: usize = 1_000;
/// The longest field name read.
const MAX_NAME: usize = 100;
/// The deepest nesting of a field name (`a.b[0].c` is 3).
const MAX_DEPTH: usize = 4;

/// A submitted form: its fields in order, the CSRF field apart.
#[derive(Debug, Default, Clone)]
pub struct Form {
    /// `(name, value)` as sent, `csrf` left out.
    pub fields: Vec<(String, String)>,
    /// The `csrf` field.
    pub csrf: Option<String>,
    /// The fields that are checkboxes (`true` or `false`).
    checkboxes: Vec<String>,
}

impl Form {
    /// Reads an `application/x-www-form-urlencoded` body.
    pub fn parse(body: &[u8]) -> Form {
        let mut form = Form::default();
        for (k, v) in form_urlencoded::parse(body) {
            if k == "csrf" {
                form.csrf = Some(v.into_owned());
            } else {
                form.fields.push((k.into_owned(), v.into_owned()));
            }
        }
        form
    }

    /// A checkbox is sent only when ticked: the named ones that were not
    /// sent are `false`, the ticked ones `true`.
    pub fn with_checkboxes(mut self, names: &[&str]) -> Form {
        for name in names {
            let ticked = self.get(name).is_some();
            self.fields.retain(|(k, _)| k != name);
            self.fields.push(((*name).to_string(), ticked.to_string()));
            self.checkboxes.push((*name).to_string());
        }
        self
    }

    /// The `version` the form's record was read at, as `If-Match` carries
    /// it in the API: a form without it is refused (428) as a `PATCH`
    /// without `If-Match` is.
    pub fn version(&self) -> Result<i32, ApiError> {
        self.get("version")
            .and_then(|v| v.trim().parse::<i32>().ok())
            .ok_or_else(|| {
                ApiError::PreconditionRequired(
                    "The form lacks the version it was read at; open the page again.".into(),
                )
            })
    }

    /// The value of a field, when sent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The fields as the page shows them again after an error.
    pub fn values(&self) -> std::collections::BTreeMap<String, String> {
        self.fields.iter().cloned().collect()
    }

    /// The form as the API request `T`, leaving out the fields in `skip`
    /// (the page's own controls). Empty fields are absent; the fields
    /// named in `numbers` are sent as numbers when they read as one.
    pub fn body<T: DeserializeOwned>(
        &self,
        skip: &[&str],
        numbers: &[&str],
    ) -> Result<T, ApiError> {
        if self.fields.len() > MAX_FIELDS {
            return Err(ApiError::invalid_field(
                "body",
                format!("has more than {MAX_FIELDS} fields"),
            ));
        }
        let mut root = Map::new();
        for (name, value) in &self.fields {
            // No API request nests deeper than a few levels: a longer name
            // is no field of it (and is not followed down).
            let depth = name.matches(['.', '[']).count();
            if name.len() > MAX_NAME || depth > MAX_DEPTH {
                let shown: String = name.chars().take(40).collect();
                return Err(ApiError::invalid_field(&shown, FieldProblem::UnknownField));
            }
            let value = value.trim();
            if value.is_empty() || skip.contains(&name.as_str()) {
                continue;
            }
            let generic = generic_name(name);
            // A decimal comma, as Vietnamese writes it, reads as a point.
            let json = match value.replace(',', ".").parse::<f64>() {
                Ok(n) if numbers.contains(&generic.as_str()) => serde_json::json!(n),
                _ if self.checkboxes.contains(name) => Value::Bool(value == "true"),
                _ => Value::String(value.to_string()),
            };
            insert(&mut root, name, json);
        }
        let bytes = serde_json::to_vec(&Value::Object(root))
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        parse_json(&bytes)
    }
}

/// `metrics[3].value` as `metrics[0].value`: the name of its label.
pub fn generic_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_index = false;
    for c in name.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push_str("[0");
            }
            ']' => {
                in_index = false;
                out.push(']');
            }
            _ if in_index => {}
            _ => out.push(c),
        }
    }
    out
}

/// Puts `value` at the path `name` (`a.b`, `a[0].b`) of `root`.
fn insert(root: &mut Map<String, Value>, name: &str, value: Value) {
    let mut parts = name.splitn(2, '.');
    let head = parts.next().unwrap_or_default();
    let rest = parts.next();
    let (key, index) = match head.split_once('[') {
        Some((k, i)) => (k, i.trim_end_matches(']').parse::<usize>().ok()),
        None => (head, None),
    };
    let slot = match index {
        None => root.entry(key.to_string()).or_insert(Value::Null),
        Some(i) => {
            let list = root
                .entry(key.to_string())
                .or_insert_with(|| Value::Array(Vec::new()));
            let Value::Array(items) = list else { return };
            if items.len() <= i.min(49) {
                items.resize(i.min(49) + 1, Value::Null);
            }
            &mut items[i.min(49)]
        }
    };
    match rest {
        None => *slot = value,
        Some(rest) => {
            if !slot.is_object() {
                *slot = Value::Object(Map::new());
            }
            if let Value::Object(inner) = slot {
                insert(inner, rest, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_and_indexed_names_become_the_json_the_api_reads() {
        let form = Form::parse(
            b"csrf=x&title=A&consultation.held_on=2025-01-02&metrics[0].name=m&metrics[0].value=12.5&empty=",
        );
        assert_eq!(form.csrf.as_deref(), Some("x"));
        let v: Value = form.body(&[], &["metrics[0].value"]).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"title": "A", "consultation": {"held_on": "2025-01-02"},
                "metrics": [{"name": "m", "value": 12.5}]})
        );
    }

    #[test]
    fn a_deeply_nested_or_huge_name_is_refused_not_followed() {
        let deep = format!("csrf=x&{}b=1", "a.".repeat(400_000));
        let err = Form::parse(deep.as_bytes())
            .body::<Value>(&[], &[])
            .unwrap_err();
        assert_eq!(err.problem().status, 422);
        let deep = format!("{}=1", "a[0]".repeat(10));
        assert!(Form::parse(deep.as_bytes())
            .body::<Value>(&[], &[])
            .is_err());
        let many: String = (0..1_001).map(|i| format!("f{i}=1&")).collect();
        assert!(Form::parse(many.as_bytes())
            .body::<Value>(&[], &[])
            .is_err());
    }

    #[test]
    fn a_wrong_field_is_named_as_the_api_names_it() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Body {
            day: crate::api::fields::Day,
        }
        let err = Form::parse(b"day=12/03/2021")
            .body::<Body>(&[], &[])
            .unwrap_err();
        let problem = err.problem();
        assert_eq!(problem.errors[0].field, "day");
        let err = Form::parse(b"day=2021-03-12&extra=1")
            .body::<Body>(&[], &[])
            .unwrap_err();
        assert_eq!(err.problem().errors[0].field, "extra");
    }
}
