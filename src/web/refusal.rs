//! A refused form's messages: each beside its field, all at once
//! (decision 0041), in the user's language.

use std::collections::BTreeMap;

use super::form::generic_name;
use super::i18n::Lang;
use crate::api::problem::Problem;
use crate::app::FieldError;
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
                let message = field_message(lang, fe);
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

/// A field's complaint in the user's language: the words of its code
/// (`problem.<code>`, with its figures), or the API's own words when it
/// has none.
pub fn field_message(lang: Lang, fe: &FieldError) -> String {
    let Some(code) = fe.problem.code() else {
        return fe.message.clone();
    };
    let args = fe.problem.args();
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    lang.word_with(&format!("problem.{code}"), &args)
        .unwrap_or_else(|| fe.message.clone())
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
    if lang != Lang::Vi {
        return detail.to_string();
    }
    let max = policy.max_months.to_string();
    let min = policy.rotation_min_months.to_string();
    let years = policy.rotation_min_years_left.to_string();
    let latest = latest_end_date.map(|day| lang.day(day));
    let mut args = vec![
        ("max", max.as_str()),
        ("min", min.as_str()),
        ("years", years.as_str()),
    ];
    if let Some(latest) = &latest {
        args.push(("latest", latest.as_str()));
    }
    // No word for the rule, or a rule worded with a date it was not
    // given: the API's words.
    lang.word_with(&format!("rule.{rule}"), &args)
        .unwrap_or_else(|| detail.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::FieldProblem;

    /// Every code has words in both languages, figures filled in; a
    /// complaint without a code keeps the API's words.
    #[test]
    fn a_field_complaint_is_worded_from_its_code() {
        let codes = [
            FieldProblem::Required,
            FieldProblem::Empty,
            FieldProblem::NotADate,
            FieldProblem::DateOutOfRange,
            FieldProblem::NotANumber,
            FieldProblem::NotAWholeNumber,
            FieldProblem::NotOneOf,
            FieldProblem::NotAnId,
            FieldProblem::NotAnEmail,
            FieldProblem::UnknownField,
            FieldProblem::TooShort { min: 3 },
            FieldProblem::TooLong { max: 300 },
            FieldProblem::HasSpaces,
            FieldProblem::ControlCharacters,
            FieldProblem::NamesNothing,
            FieldProblem::PasswordTooShort,
            FieldProblem::PasswordIsEmail,
            FieldProblem::PasswordUnchanged,
            FieldProblem::PasswordMismatch,
        ];
        for lang in [Lang::Vi, Lang::En] {
            for problem in codes {
                let fe = FieldError::new("name", problem.told("the API's words"));
                let told = field_message(lang, &fe);
                assert_ne!(
                    told, "the API's words",
                    "{lang:?}: no words for {problem:?}"
                );
            }
        }
        let fe = FieldError::new("name", FieldProblem::TooLong { max: 300 });
        assert_eq!(field_message(Lang::Vi, &fe), "không được dài quá 300 ký tự");
        assert_eq!(
            field_message(Lang::En, &fe),
            "must be at most 300 characters"
        );
        let plain = FieldError::new("name", "is odd");
        assert_eq!(field_message(Lang::Vi, &plain), "is odd");
    }

    /// A broken rule is told in Vietnamese with the policy's figures and
    /// the date it points to, word for word as the browser story reads it.
    #[test]
    fn a_rule_is_told_with_its_figures_and_date() {
        let policy = Policy {
            max_months: 36,
            rotation_min_months: 24,
            rotation_min_years_left: 5,
        };
        let day = chrono::NaiveDate::from_ymd_opt(2028, 1, 31);
        assert_eq!(
            rule_message(Lang::Vi, &policy, "max_duration", "detail", day),
            "Thời gian biệt phái tối đa là 36 tháng, kể cả gia hạn: ngày kết thúc muộn nhất là 31/01/2028."
        );
        assert_eq!(
            rule_message(Lang::Vi, &policy, "rotation_min_duration", "detail", None),
            "Luân chuyển tối thiểu 24 tháng, trừ khi có quyết định ngoại lệ."
        );
        // Worded with a date it was not given, unknown, or in English: the
        // API's own words.
        assert_eq!(
            rule_message(Lang::Vi, &policy, "max_duration", "detail", None),
            "detail"
        );
        assert_eq!(
            rule_message(Lang::Vi, &policy, "no_such_rule", "detail", day),
            "detail"
        );
        assert_eq!(
            rule_message(Lang::En, &policy, "max_duration", "detail", day),
            "detail"
        );
    }
}
