//! The OpenAPI 3.1 document: collected from the registered handlers, then
//! completed in one place with what every operation shares (the statuses
//! the common extractors and middleware can answer) and with the input
//! value types inlined, so the document says what the server does.

use actix_web::App;
use serde_json::{json, Map, Value};
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;

use super::common::IF_MATCH_PATTERN;
use super::fields::scalar_schema;
use super::{configure, FieldError, Problem};

/// The document-level part of the OpenAPI description; paths are collected
/// from the registered handlers.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "secondments",
        description = "Secondment of officials between ministries and provinces: postings, \
            approvals, extensions, milestones, outcomes and reminders. Errors are \
            application/problem+json (RFC 9457).",
        license(name = "MIT")
    ),
    // Enums used only by query parameters, which register no components.
    components(schemas(
        Problem,
        FieldError,
        crate::domain::secondment::Status,
        crate::domain::org_unit::UnitKind,
        crate::domain::user::Role,
        super::emails::EmailStatus
    )),
    modifiers(&BearerAuth),
    tags(
        (name = "operations", description = "Probes and metrics"),
        (name = "auth", description = "Sign-in, token refresh and the current user"),
        (name = "users", description = "Accounts (administrators)"),
        (name = "org-units", description = "The organisation tree"),
        (name = "officials", description = "The registry of officials"),
        (name = "secondments", description = "Secondments and rotations: the lifecycle"),
        (name = "approvals", description = "Directors' decisions"),
        (name = "extensions", description = "Requests to extend a secondment"),
        (name = "milestones", description = "Planned steps of a secondment"),
        (name = "outcomes", description = "Results, acknowledgements and the final evaluation"),
        (name = "holidays", description = "Public holidays (reminder days move off them)"),
        (name = "admin", description = "Operations for administrators"),
        (name = "reports", description = "Counts for HR offices and directors"),
        (name = "audit", description = "The append-only audit log"),
    )
)]
struct ApiDoc;

/// Declares the `bearer` security scheme the operations refer to.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// The OpenAPI 3.1 document of every route.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_app, api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(configure)
        .split_for_parts();
    complete(api)
}

/// Applies the shared statuses and inlines scalar schemas; the document is
/// edited as JSON, which is what clients read.
fn complete(api: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let Ok(mut doc) = serde_json::to_value(&api) else {
        return api;
    };
    inline_scalar_schemas(&mut doc);
    add_shared_responses(&mut doc);
    serde_json::from_value(doc).unwrap_or(api)
}

/// Component schemas that are a plain string (dates, ids, texts with
/// limits) are written in place at every use, so generated clients see a
/// string with its constraints rather than a named type.
fn inline_scalar_schemas(doc: &mut Value) {
    let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let scalars: Map<String, Value> = schemas
        .iter()
        .filter(|(_, s)| s.get("type") == Some(&json!("string")) && s.get("enum").is_none())
        .map(|(k, v)| (format!("#/components/schemas/{k}"), v.clone()))
        .collect();
    for name in scalars.keys() {
        if let Some(short) = name.rsplit('/').next() {
            schemas.remove(short);
        }
    }
    replace_refs(doc, &scalars);
}

fn replace_refs(value: &mut Value, scalars: &Map<String, Value>) {
    match value {
        Value::Object(map) => {
            if let Some(target) = map.get("$ref").and_then(Value::as_str) {
                // Query parameters refer to input types that no component
                // registered; those are known by name.
                let known = scalars.get(target).cloned().or_else(|| {
                    let name = target.strip_prefix("#/components/schemas/")?;
                    serde_json::to_value(scalar_schema(name)?).ok()
                });
                if let Some(schema) = known {
                    let mut inline = schema;
                    if let (Some(obj), Some(desc)) =
                        (inline.as_object_mut(), map.get("description"))
                    {
                        obj.insert("description".into(), desc.clone());
                    }
                    *value = inline;
                    return;
                }
            }
            for v in map.values_mut() {
                replace_refs(v, scalars);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| replace_refs(v, scalars)),
        _ => {}
    }
}

/// The routes a caller who must change their password may still use
/// (those taking `caller::OwnAccount`).
const OWN_ACCOUNT: &[&str] = &["/api/v1/me", "/api/v1/me/password", "/api/v1/auth/logout"];

fn problem(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    })
}

/// Every status the shared extractors, middleware and store can answer,
/// added to each operation that can meet it.
fn add_shared_responses(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        let public = matches!(path.as_str(), "/health" | "/ready" | "/metrics");
        for (_method, op) in item.iter_mut() {
            let Some(op) = op.as_object_mut() else {
                continue;
            };
            let secured = op.get("security").is_some();
            let has_body = op.get("requestBody").is_some();
            let has_query = op
                .get("parameters")
                .and_then(Value::as_array)
                .is_some_and(|ps| ps.iter().any(|p| p.get("in") == Some(&json!("query"))));
            let has_path = path.contains('{');
            let mut conditional = false;
            if let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) {
                for p in params.iter_mut() {
                    if p.get("name") == Some(&json!("If-Match")) {
                        conditional = true;
                        p["required"] = json!(true);
                        p["schema"] = json!({"type": "string", "pattern": IF_MATCH_PATTERN});
                        p["description"] = json!(
                            "The ETag from the last GET of the resource (such as \"3\"), or * for any version"
                        );
                    }
                }
            }
            let responses = op
                .entry("responses")
                .or_insert_with(|| json!({}))
                .as_object_mut();
            let Some(responses) = responses else {
                continue;
            };
            let mut add = |status: &str, description: &str| {
                responses
                    .entry(status.to_string())
                    .or_insert_with(|| problem(description));
            };
            if secured {
                add("401", "No valid access token, or the account is disabled");
                // The caller's own account stays usable while a new
                // password is due (decision 0039); everything else waits.
                if !OWN_ACCOUNT.contains(&path.as_str()) {
                    add(
                        "403",
                        "Not allowed to the caller, or the caller must first change their password (password-change-required)",
                    );
                }
            }
            if has_body {
                add("400", "The body is not well-formed JSON");
                add("413", "The body is larger than the limit");
                add("415", "The body is not of the documented media type");
                add(
                    "422",
                    "A field is missing, unknown or invalid (errors name it)",
                );
                add(
                    "404",
                    "A field refers to a record that does not exist (errors name it)",
                );
            }
            if has_query {
                add("422", "A query parameter is invalid (errors name it)");
            }
            if has_path {
                add("404", "No such resource, or not visible to the caller");
            }
            if conditional {
                add("400", "If-Match is not an ETag of this service");
                add("412", "If-Match names a version that is no longer current");
                add("428", "If-Match is missing");
            }
            if !public {
                add("503", "The database is unreachable or busy; retry");
            }
        }
    }
}
