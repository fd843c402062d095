//! A refused form's messages: each beside its field, all at once
//! (decision 0041), in the user's language.

use std::collections::BTreeMap;

use super::form::generic_name;
use super::i18n::Lang;
use crate::api::problem::Problem;
use crate::domain::secondment::Policy;

/// The messages of a refusal: by field (the API's field names, indices
/// left out), and the list shown above the form.
pub struct Messages {
    /// The message shown beside each field.
    pub by_field: BTreeMap<String, String>,
    /// Every message, for the summary above the form.
    pub general: Vec<String>,
}

/// Words `problem` for a form: each field error beside its field, a
/// broken rule told in the user's language beside the field it is about
/// (`rule_fields` names the page's field for a rule where it differs).
pub fn messages(
    lang: Lang,
    policy: &Policy,
    problem: &Problem,
    rule_fields: &[(&str, &str)],
) -> Messages {
    let mut by_field = BTreeMap::new();
    let mut general = Vec::new();
    let field_of = |rule: &str| {
        rule_fields
            .iter()
            .find(|(r, _)| *r == rule)
            .map(|(_, f)| (*f).to_string())
    };
    for fe in &problem.errors {
        let (field, message) = match fe.rule.as_deref() {
            Some(rule) => {
                let told = rule_message(lang, policy, rule, &fe.message, fe.latest_end_date);
                general.push(told.clone());
                (
                    field_of(rule).unwrap_or_else(|| generic_name(&fe.field)),
                    told,
                )
            }
            None => {
                let field = generic_name(&fe.field);
                let message = lang.message(&fe.message);
                let label = lang.word(&format!("field.{field}"));
                general.push(format!("{}: {message}", label.trim_start_matches("field.")));
                (field, message)
            }
        };
        // The first complaint about a field is the one shown beside it.
        by_field.entry(field).or_insert(message);
    }
    if problem.errors.is_empty() {
        match problem.rule.as_deref() {
            Some(rule) => {
                let told = rule_message(lang, policy, rule, &problem.detail, None);
                if let Some(field) = field_of(rule) {
                    by_field.insert(field, told.clone());
                }
                general.push(told);
            }
            None => general.push(problem.detail.clone()),
        }
    }
    Messages { by_field, general }
}

/// A broken rule in the user's language: told in Vietnamese with the
/// policy's figures and the date it points to, or the API's own words
/// (which carry the date as `YYYY-MM-DD`).
fn rule_message(
    lang: Lang,
    policy: &Policy,
    rule: &str,
    detail: &str,
    latest_end_date: Option<chrono::NaiveDate>,
) -> String {
    let key = format!("rule.{rule}");
    let told = lang.word(&key);
    if told == key || lang != Lang::Vi {
        return detail.to_string();
    }
    let told = told
        .replace("{max}", &policy.max_months.to_string())
        .replace("{min}", &policy.rotation_min_months.to_string())
        .replace("{years}", &policy.rotation_min_years_left.to_string());
    match latest_end_date {
        Some(day) => told.replace("{latest}", &lang.day(day)),
        // A rule worded with a date it was not given: the API's words.
        None if told.contains("{latest}") => detail.to_string(),
        None => told,
    }
}
