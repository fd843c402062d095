//! The one input discipline for bodies and query strings: every error
//! names the field by its JSON path (`consultation.held_on`,
//! `metrics[0].value`) and says what is wrong in the user's terms, never a
//! Rust type. Unknown fields are refused by `deny_unknown_fields` on the
//! types and reported here like any other field error.

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use super::input_errors::{self, strip_position};
use super::problem::ApiError;
use super::validate;
use crate::state::AppState;

/// A JSON request body, deserialised with field paths in its errors.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T> std::ops::Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> Json<T> {
    /// The body.
    pub fn into_inner(self) -> T {
        self.0
    }
}

/// A JSON body that may be absent (no body at all); a body that is there
/// must be valid, it is never silently ignored.
#[derive(Debug)]
pub struct OptionalJson<T>(pub Option<T>);

impl<T: Default> OptionalJson<T> {
    /// The body, or the default when none was sent.
    pub fn or_default(self) -> T {
        self.0.unwrap_or_default()
    }
}

fn read_body(
    req: &HttpRequest,
    payload: &mut Payload,
) -> LocalBoxFuture<'static, Result<Option<web::Bytes>, ApiError>> {
    let is_json = req
        .mime_type()
        .ok()
        .flatten()
        .is_some_and(|m| m.subtype() == "json" || m.suffix().is_some_and(|s| s == "json"));
    let has_type = req.headers().contains_key(header::CONTENT_TYPE);
    let limit = req
        .app_data::<web::Data<AppState>>()
        .map(|s| s.settings.server.body_limit_bytes);
    let bytes = web::Bytes::from_request(req, payload);
    Box::pin(async move {
        let body = bytes.await.map_err(|e| {
            if e.as_response_error().status_code().as_u16() == 413 {
                ApiError::PayloadTooLarge(match limit {
                    Some(n) => format!("The body is larger than the limit of {n} bytes."),
                    None => "The body is larger than the limit.".into(),
                })
            } else {
                ApiError::BadRequest("The body could not be read.".into())
            }
        })?;
        if body.is_empty() && !is_json {
            return Ok(None);
        }
        if !is_json {
            let why = if has_type {
                "The body must be JSON with Content-Type: application/json."
            } else {
                "Send Content-Type: application/json with a JSON body."
            };
            return Err(ApiError::UnsupportedMediaType(why.into()));
        }
        Ok(Some(body))
    })
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = read_body(req, payload);
        Box::pin(async move {
            match body.await? {
                Some(bytes) => parse_body(&bytes).map(Json),
                None => Err(ApiError::UnsupportedMediaType(
                    "Send Content-Type: application/json with a JSON body.".into(),
                )),
            }
        })
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for OptionalJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = read_body(req, payload);
        Box::pin(async move {
            match body.await? {
                // No body, or the JSON `null` (what a client sends for
                // "nothing"), means the defaults.
                Some(bytes)
                    if bytes.iter().all(u8::is_ascii_whitespace)
                        || bytes.trim_ascii() == b"null" =>
                {
                    Ok(OptionalJson(None))
                }
                Some(bytes) => parse_body(&bytes).map(|v| OptionalJson(Some(v))),
                None => Ok(OptionalJson(None)),
            }
        })
    }
}

/// Deserialises a JSON request body, which is always an object (serde
/// would otherwise also read a struct from an array of its values).
fn parse_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') | None => parse_json(bytes),
        Some(_) => match serde_json::from_slice::<serde_json::Value>(bytes) {
            Ok(_) => Err(ApiError::invalid_field("body", "must be a JSON object")),
            Err(e) => Err(ApiError::BadRequest(format!(
                "The body is not valid JSON: {}.",
                strip_position(&e.to_string())
            ))),
        },
    }
}

/// Deserialises a JSON document: malformed JSON is 400, a document of the
/// wrong shape 422 naming the field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_data() {
            every_field_error::<T>(bytes).unwrap_or_else(|| field_error(&path, &inner.to_string()))
        } else {
            ApiError::BadRequest(format!(
                "The body is not valid JSON: {}.",
                strip_position(&inner.to_string())
            ))
        }
    })?;
    de.end()
        .map_err(|_| ApiError::BadRequest("The body has text after the JSON document.".into()))?;
    Ok(value)
}

/// Query parameters, deserialised with the parameter named in errors.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T> std::ops::Deref for Query<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> Query<T> {
    /// The parameters.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        std::future::ready(parse_query(req.query_string()).map(Query))
    }
}

/// Deserialises a query string.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        field_error(&path, &e.into_inner().to_string())
    })
}

/// A 422 naming every bad field of a well-formed body, `None` when only
/// the first error could be found (a field given twice, say).
fn every_field_error<T: DeserializeOwned>(bytes: &[u8]) -> Option<ApiError> {
    let value = serde_json::from_slice::<serde_json::Value>(bytes).ok()?;
    let errors = input_errors::collect::<T>(value, bytes.len());
    validate::finish(errors).err().map(ApiError::from)
}

/// A 422 for a serde data error at `path`.
fn field_error(path: &str, message: &str) -> ApiError {
    let complaint = input_errors::describe(path, message);
    ApiError::Validation {
        detail: format!("{}: {}", complaint.field, complaint.message),
        errors: vec![complaint],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[allow(dead_code)]
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Metric {
        value: f64,
    }

    #[allow(dead_code)]
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Body {
        metrics: Vec<Metric>,
        #[serde(default)]
        kind: Option<Kind>,
        #[serde(default)]
        limit: Option<u32>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Secondment,
        Rotation,
    }

    fn first(e: ApiError) -> (String, String) {
        match e {
            ApiError::Validation { errors, .. } => {
                (errors[0].field.clone(), errors[0].message.clone())
            }
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn errors_name_the_json_path_in_plain_words() {
        let e = parse_json::<Body>(br#"{"metrics":[{"value":"x"}]}"#).unwrap_err();
        assert_eq!(
            first(e),
            ("metrics[0].value".into(), "must be a number".into())
        );
        let e = parse_json::<Body>(br#"{"metrics":[],"kind":"swap"}"#).unwrap_err();
        assert_eq!(
            first(e),
            ("kind".into(), "must be one of: secondment, rotation".into())
        );
        let e = parse_json::<Body>(br#"{"metrics":[{"value":1,"unit":"%"}]}"#).unwrap_err();
        assert_eq!(
            first(e),
            ("metrics[0].unit".into(), "is not a known field".into())
        );
        let e = parse_json::<Body>(b"{}").unwrap_err();
        assert_eq!(first(e), ("metrics".into(), "is required".into()));
        assert!(matches!(
            parse_json::<Body>(b"{\"metrics\":"),
            Err(ApiError::BadRequest(_))
        ));
    }

    #[test]
    fn query_errors_name_the_parameter() {
        let e = parse_query::<Body>("metrics=1&limit=abc").unwrap_err();
        assert_eq!(first(e).0, "metrics");
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Q {
            limit: Option<u32>,
        }
        let e = parse_query::<Q>("limit=-1").unwrap_err();
        assert_eq!(first(e).0, "limit");
    }
}
