//! The OpenAPI document lists the values of every enumerated field of the
//! responses (statuses, kinds, roles, sides, pillars, ratings), so clients
//! and schemathesis see the closed sets the API sends.

use serde_json::Value;

use crate::helpers::spawn_app;

/// The enum values a property schema allows, following `$ref`s and
/// `oneOf`/`allOf`/`anyOf` (utoipa wraps optional references) and arrays.
fn enum_values(doc: &Value, schema: &Value) -> Option<Vec<String>> {
    if let Some(values) = schema["enum"].as_array() {
        let words: Vec<String> = values
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        return Some(words);
    }
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.trim_start_matches("#/components/schemas/");
        return enum_values(doc, &doc["components"]["schemas"][name]);
    }
    if schema["items"].is_object() {
        return enum_values(doc, &schema["items"]);
    }
    for key in ["oneOf", "allOf", "anyOf"] {
        if let Some(parts) = schema[key].as_array() {
            if let Some(found) = parts.iter().find_map(|p| enum_values(doc, p)) {
                return Some(found);
            }
        }
    }
    None
}

#[actix_web::test]
async fn openapi_lists_the_values_of_enumerated_fields() {
    let app = spawn_app().await;
    let doc: Value = app.get("/openapi.json").await.json().await.unwrap();
    let schemas = &doc["components"]["schemas"];
    for (schema, field, expected) in [
        (
            "Secondment",
            "status",
            &[
                "draft",
                "pending_approval",
                "approved",
                "active",
                "completed",
                "rejected",
                "cancelled",
                "terminated",
            ][..],
        ),
        ("Secondment", "kind", &["secondment", "rotation"]),
        (
            "Secondment",
            "direction",
            &["central_to_local", "local_to_central", "lateral"],
        ),
        ("Secondment", "ground", &["urgent_task", "fixed_term_task"]),
        ("Approval", "side", &["home", "host"]),
        ("Approval", "decision", &["approved", "rejected"]),
        ("Approval", "request_kind", &["proposal", "extension"]),
        ("PendingRequest", "request_kind", &["proposal", "extension"]),
        ("PendingRequest", "sides", &["home", "host"]),
        (
            "Extension",
            "status",
            &["pending", "approved", "rejected", "withdrawn"],
        ),
        (
            "Milestone",
            "status",
            &["planned", "done", "missed", "cancelled"],
        ),
        (
            "Outcome",
            "pillar",
            &[
                "digital_government",
                "digital_economy",
                "digital_society",
                "other",
            ],
        ),
        (
            "Evaluation",
            "rating",
            &["excellent", "good", "satisfactory", "unsatisfactory"],
        ),
        (
            "OrgUnit",
            "kind",
            &[
                "ministry",
                "ministry_department",
                "province",
                "provincial_department",
                "commune",
                "other",
            ],
        ),
        (
            "User",
            "role",
            &["admin", "hr_officer", "director", "cadre"],
        ),
        ("User", "language", &["vi", "en"]),
        (
            "MeResponse",
            "role",
            &["admin", "hr_officer", "director", "cadre"],
        ),
        ("Official", "language", &["vi", "en"]),
        (
            "Email",
            "status",
            &["pending", "sending", "sent", "failed", "dead", "cancelled"],
        ),
    ] {
        let property = &schemas[schema]["properties"][field];
        assert!(property.is_object(), "{schema}.{field} is not documented");
        let values = enum_values(&doc, property)
            .unwrap_or_else(|| panic!("{schema}.{field} lists no values: {property}"));
        assert_eq!(values, expected, "{schema}.{field}");
    }
}
