//! Every field error of a body at once (decision 0041). serde stops at the
//! first error, and a derived struct cannot go on past a field it could
//! not read. So when a body is refused, it is read again, as a JSON value,
//! round after round: each round's error is recorded and then taken out of
//! the way (an unknown field removed; a bad or missing field given a
//! stand-in value of the shape its type asks for), until a round reads
//! through. The stand-ins are only ever read in these rounds, whose result
//! is thrown away: they never reach a handler.

use std::cell::RefCell;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use serde_path_to_error::Segment;

use super::FieldError;

mod serde_words;

pub use serde_words::{describe, refuse, strip_position};

/// serde's names of the number types.
const NUMBERS: [&str; 12] = [
    "u8", "u16", "u32", "u64", "usize", "i8", "i16", "i32", "i64", "isize", "f32", "f64",
];

/// Enough rounds for every field of the largest request body; a body with
/// more problems than that gets the ones found so far.
const MAX_ROUNDS: usize = 300;

/// The bytes of body all rounds together may read again: a large body
/// gets fewer rounds, so that a refusal costs no more than a few reads.
const WORK_BUDGET: usize = 4 << 20;

thread_local! {
    /// The text of this thread's stand-in strings while errors are being
    /// collected: new each time, so a client cannot send one.
    static STAND_IN: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// True when `text` is a stand-in put in by the rounds: the value types
/// then accept it, so that the fields after it are checked too.
pub fn standing_in(text: &str) -> bool {
    STAND_IN.with(|s| s.borrow().as_deref() == Some(text))
}

/// The stand-in text of the rounds under way, set and cleared however the
/// rounds end.
struct Collecting(String);

impl Collecting {
    fn start() -> Collecting {
        let text = format!("\u{0}stand-in {}", uuid::Uuid::new_v4());
        STAND_IN.with(|s| *s.borrow_mut() = Some(text.clone()));
        Collecting(text)
    }
}

impl Drop for Collecting {
    fn drop(&mut self) {
        STAND_IN.with(|s| *s.borrow_mut() = None);
    }
}

/// Every field error of `value` read as `T`, each as [`describe`] words
/// it; empty when the rounds find none (the caller then reports the
/// first). `size` is the body's length in bytes.
pub fn collect<T: DeserializeOwned>(mut value: Value, size: usize) -> Vec<FieldError> {
    let collecting = Collecting::start();
    let mut errors: Vec<FieldError> = Vec::new();
    let mut stand_ins: Vec<Vec<Step>> = Vec::new();
    let rounds = (WORK_BUDGET / size.max(1)).clamp(1, MAX_ROUNDS);
    for _ in 0..rounds {
        let e = match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(_) => break,
            Err(e) => e,
        };
        let Some(path) = steps(e.path()) else { break };
        let message = e.inner().to_string();
        if stand_ins.iter().any(|s| path.starts_with(s)) {
            // A stand-in of the wrong shape: the error says what it needs.
            if !reshape(&mut value, &path, &message, &collecting.0, &mut stand_ins) {
                break;
            }
            continue;
        }
        let complaint = describe(&e.path().to_string(), &message);
        if !errors.iter().any(|f| f.field == complaint.field) {
            errors.push(complaint);
        }
        let moved_on = if message.starts_with("unknown field") {
            remove_unknown(&mut value, &path, &quoted(&message))
        } else if message.starts_with("missing field") {
            let mut at = path.clone();
            at.push(Step::Key(quoted(&message)));
            stand_in(&mut value, at, &mut stand_ins)
        } else {
            stand_in(&mut value, path, &mut stand_ins)
        };
        if !moved_on {
            break;
        }
    }
    errors
}

/// One step down a JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// The error's path as steps, `None` when serde could not say.
fn steps(path: &serde_path_to_error::Path) -> Option<Vec<Step>> {
    path.iter()
        .map(|s| match s {
            Segment::Seq { index } => Some(Step::Index(*index)),
            Segment::Map { key } => Some(Step::Key(key.clone())),
            Segment::Enum { variant } => Some(Step::Key(variant.clone())),
            _ => None,
        })
        .collect()
}

/// The first `quoted` word of serde's message (`unknown field `x``).
fn quoted(message: &str) -> String {
    message.split('`').nth(1).unwrap_or("").to_string()
}

/// Puts a stand-in at `path` (first `null`: an optional field is then
/// simply absent, a required one says what it expects).
fn stand_in(value: &mut Value, path: Vec<Step>, stand_ins: &mut Vec<Vec<Step>>) -> bool {
    if path.is_empty() || !set(value, &path, Value::Null) {
        return false;
    }
    stand_ins.push(path);
    true
}

/// Gives the stand-in at `path` the shape the error asks for.
fn reshape(
    value: &mut Value,
    path: &[Step],
    message: &str,
    text: &str,
    stand_ins: &mut Vec<Vec<Step>>,
) -> bool {
    if message.starts_with("missing field") {
        let mut at = path.to_vec();
        at.push(Step::Key(quoted(message)));
        return stand_in(value, at, stand_ins);
    }
    let expected = message
        .rsplit_once("expected ")
        .map_or("", |(_, e)| e.trim());
    let shape = if message.starts_with("unknown variant") {
        // "expected `a` or `b`", "expected one of `a`, `b`".
        Value::String(quoted(expected))
    } else if !message.starts_with("invalid type") {
        return false;
    } else if expected == "string or map" {
        // An enum: its variants are named by the next round's error.
        Value::String(text.into())
    } else if NUMBERS.contains(&expected) {
        Value::from(0)
    } else if expected.contains("bool") {
        Value::Bool(false)
    } else if expected.contains("sequence") || expected.contains("array") {
        Value::Array(Vec::new())
    } else if expected.starts_with("struct") || expected.contains("map") {
        Value::Object(Map::new())
    } else if message.starts_with("invalid type: string") {
        return false;
    } else {
        Value::String(text.into())
    };
    set(value, path, shape)
}

/// Replaces (or adds, for the last key) the value at `path`.
fn set(value: &mut Value, path: &[Step], new: Value) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let Some(parent) = walk(value, parents) else {
        return false;
    };
    match (parent, last) {
        (Value::Object(map), Step::Key(k)) => {
            map.insert(k.clone(), new);
            true
        }
        (Value::Array(items), Step::Index(i)) if *i < items.len() => {
            items[*i] = new;
            true
        }
        _ => false,
    }
}

/// Removes an unknown field: the path ends with it, or names its object.
fn remove_unknown(value: &mut Value, path: &[Step], name: &str) -> bool {
    let object = match path.split_last() {
        Some((Step::Key(k), parents)) if k == name => parents,
        _ => path,
    };
    match walk(value, object) {
        Some(Value::Object(map)) => map.remove(name).is_some(),
        _ => false,
    }
}

fn walk<'a>(value: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(value, |v, step| match (v, step) {
        (Value::Object(map), Step::Key(k)) => map.get_mut(k),
        (Value::Array(items), Step::Index(i)) => items.get_mut(*i),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use crate::api::fields::{Day, Id};
    use crate::api::input::parse_json;
    use crate::api::ApiError;

    #[allow(dead_code)]
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Metric {
        name: String,
        value: f64,
    }

    #[allow(dead_code)]
    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Ground {
        Training,
        Support,
    }

    #[allow(dead_code)]
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Body {
        official_id: Id,
        ground: Ground,
        start_date: Day,
        end_date: Day,
        #[serde(default)]
        note: Option<String>,
        #[serde(default)]
        metrics: Vec<Metric>,
        count: u32,
        flag: bool,
    }

    fn fields(body: &str) -> Vec<(String, String)> {
        match parse_json::<Body>(body.as_bytes()) {
            Err(ApiError::Validation { errors, .. }) => {
                let mut all: Vec<_> = errors.into_iter().map(|e| (e.field, e.message)).collect();
                all.sort();
                all
            }
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn every_bad_missing_and_unknown_field_is_named() {
        let all = fields(
            r#"{"ground":"holiday","start_date":"2024-13-01","end_date":"soon",
                "count":-1,"flag":true,"extra":1,"other":2,
                "metrics":[{"name":"a","value":1},{"name":"b","value":"x","unit":"%"}]}"#,
        );
        let named: Vec<&str> = all.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            named,
            [
                "count",
                "end_date",
                "extra",
                "ground",
                "metrics[1].unit",
                "metrics[1].value",
                "official_id",
                "other",
                "start_date",
            ],
            "{all:?}"
        );
        assert!(all.contains(&("official_id".into(), "is required".into())));
        assert!(all.contains(&("other".into(), "is not a known field".into())));
    }

    #[test]
    fn every_missing_field_is_named_even_of_types_checked_while_read() {
        let named: Vec<String> = fields("{}").into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            named,
            [
                "count",
                "end_date",
                "flag",
                "ground",
                "official_id",
                "start_date"
            ]
        );
    }

    #[test]
    fn a_stand_in_is_no_valid_value_outside_the_rounds() {
        let body = format!(
            r#"{{"official_id":"{0}","ground":"support","start_date":"{0}","end_date":"{0}","count":1,"flag":true}}"#,
            "\\u0000stand-in"
        );
        let named: Vec<String> = fields(&body).into_iter().map(|(f, _)| f).collect();
        assert!(named.contains(&"start_date".to_string()), "{named:?}");
    }
}
