//! Helpers shared by resource handlers: keyset pages, ETags, `If-Match`,
//! and PATCH fields that distinguish "absent" from "null".

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use serde::{Deserialize, Deserializer, Serialize};

use super::problem::ApiError;
pub use crate::app::page::{
    decode_cursor, encode_cursor, Page, PageQuery, PageWindow, DEFAULT_LIMIT, MAX_LIMIT,
};

/// The ETag of a record at a version.
pub fn etag(version: i32) -> String {
    format!("\"{version}\"")
}

/// 200 with the body and its `ETag`.
pub fn ok_with_etag<T: Serialize>(version: i32, body: &T) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, etag(version)))
        .json(body)
}

/// 201 with the body, its `ETag` and its `Location`.
pub fn created<T: Serialize>(location: String, version: i32, body: &T) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((header::ETAG, etag(version)))
        .insert_header((header::LOCATION, location))
        .json(body)
}

/// What a PATCH's `If-Match` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// Change only this version (an ETag from a GET).
    Version(i32),
    /// `If-Match: *`: whatever the current version is (RFC 9110 13.1.1).
    Any,
}

impl Expected {
    /// The version to compare with; `None` for any.
    pub fn version(self) -> Option<i32> {
        match self {
            Expected::Version(v) => Some(v),
            Expected::Any => None,
        }
    }
}

/// The pattern of the `If-Match` header the service understands.
pub const IF_MATCH_PATTERN: &str = r#"^(\*|(W/)?"[0-9]{1,9}")$"#;

/// The version a PATCH expects: 428 without `If-Match`, 400 when it is
/// not of this service's form (`"3"` or `*`); a stale one is 412 later.
pub fn expected(req: &HttpRequest) -> Result<Expected, ApiError> {
    let value = req
        .headers()
        .get(header::IF_MATCH)
        .ok_or_else(|| {
            ApiError::PreconditionRequired(
                "Send If-Match with the ETag from your last GET of this resource.".into(),
            )
        })?
        .to_str()
        .unwrap_or("")
        .trim();
    if value == "*" {
        return Ok(Expected::Any);
    }
    let tag = value.strip_prefix("W/").unwrap_or(value);
    tag.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .filter(|t| !t.is_empty() && t.len() <= 9 && t.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|t| t.parse::<i32>().ok())
        .map(Expected::Version)
        .ok_or_else(|| {
            ApiError::BadRequest(
                "If-Match must be an ETag from a GET of this resource (such as \"3\") or *.".into(),
            )
        })
}

/// The 412 for a stale `If-Match`.
pub fn stale() -> ApiError {
    ApiError::PreconditionFailed(
        "The resource was changed since you read it; GET it again and retry.".into(),
    )
}

/// Deserialises a PATCH field so that an absent field is `None` and an
/// explicit `null` is `Some(None)`.
pub fn double_option<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// Turns a path id into a store id; a malformed id names nothing: 404.
pub fn parse_id(raw: &str) -> Result<String, ApiError> {
    Ok(crate::app::fields::parse_id(raw)?)
}
