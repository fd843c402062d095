//! Email templates (minijinja): subject, plain text and HTML per kind and
//! language, compiled into the binary. HTML output escapes every value.

use chrono::NaiveDate;
use minijinja::Environment;
use serde::Serialize;

use crate::domain::user::Language;

/// A rendered email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Subject line (one line).
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// HTML body.
    pub html: String,
}

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        [$(($name, include_str!(concat!("../../templates/email/", $name)))),*]
    };
}

const TEMPLATES: [(&str, &str); 30] = templates!(
    "digest.vi.subject",
    "digest.vi.txt",
    "digest.vi.html",
    "digest.en.subject",
    "digest.en.txt",
    "digest.en.html",
    "end_reminder.vi.subject",
    "end_reminder.vi.txt",
    "end_reminder.vi.html",
    "end_reminder.en.subject",
    "end_reminder.en.txt",
    "end_reminder.en.html",
    "milestone_reminder.vi.subject",
    "milestone_reminder.vi.txt",
    "milestone_reminder.vi.html",
    "milestone_reminder.en.subject",
    "milestone_reminder.en.txt",
    "milestone_reminder.en.html",
    "approval_nudge.vi.subject",
    "approval_nudge.vi.txt",
    "approval_nudge.vi.html",
    "approval_nudge.en.subject",
    "approval_nudge.en.txt",
    "approval_nudge.en.html",
    "holidays_missing.vi.subject",
    "holidays_missing.vi.txt",
    "holidays_missing.vi.html",
    "holidays_missing.en.subject",
    "holidays_missing.en.txt",
    "holidays_missing.en.html",
);

/// The compiled templates.
pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    /// Compiles every template; a syntax error is a build defect reported
    /// at start-up.
    pub fn new() -> Result<Self, minijinja::Error> {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            env.add_template(name, source)?;
        }
        Ok(Templates { env })
    }

    /// Renders `kind` in `language` with `context`.
    pub fn render<C: Serialize>(
        &self,
        kind: &str,
        language: Language,
        context: &C,
    ) -> Result<Rendered, minijinja::Error> {
        let lang = language.as_str();
        let part = |ext: &str| -> Result<String, minijinja::Error> {
            self.env
                .get_template(&format!("{kind}.{lang}.{ext}"))?
                .render(context)
        };
        let subject = part("subject")?
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        Ok(Rendered {
            text: part("txt")?,
            html: part("html")?,
            subject,
        })
    }
}

/// A date as the recipient reads it: `dd/mm/yyyy` in Vietnamese,
/// `31 March 2024` in English.
pub fn format_date(date: NaiveDate, language: Language) -> String {
    match language {
        Language::Vi => date.format("%d/%m/%Y").to_string(),
        Language::En => date.format("%-d %B %Y").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn context(name: &str) -> serde_json::Value {
        json!({
            "recipient_name": "Nguyễn Thị Hoa",
            "official_name": name,
            "home_unit": "Cục Chuyển đổi số quốc gia",
            "host_unit": "Sở Thông tin và Truyền thông Thái Nguyên",
            "end_date": format_date(NaiveDate::from_ymd_opt(2024, 3, 31).unwrap(), Language::Vi),
            "days_left": 30,
            "link": "http://127.0.0.1:8080/api/v1/secondments/x",
            "subject": "s",
        })
    }

    #[test]
    fn vietnamese_is_the_default_and_keeps_its_diacritics() {
        let t = Templates::new().unwrap();
        let r = t
            .render("end_reminder", Language::Vi, &context("Phạm Quang Hiếu"))
            .unwrap();
        assert!(r.subject.contains("Còn 30 ngày"), "{}", r.subject);
        assert!(r.subject.contains("Phạm Quang Hiếu"));
        assert!(r.subject.contains("31/03/2024"));
        assert!(!r.subject.contains('\n'));
        assert!(r.text.contains("Sở Thông tin và Truyền thông Thái Nguyên"));
        // minijinja's HTML escaping also encodes "/" (harmless in HTML).
        assert!(
            r.html.contains("<strong>31&#x2f;03&#x2f;2024</strong>"),
            "{}",
            r.html
        );
        assert!(r.text.contains("31/03/2024"));
    }

    #[test]
    fn english_on_request_and_html_escapes_user_text() {
        let t = Templates::new().unwrap();
        let mut c = context("<script>alert(1)</script> & Co");
        c["end_date"] = json!(format_date(
            NaiveDate::from_ymd_opt(2024, 3, 31).unwrap(),
            Language::En
        ));
        let r = t.render("end_reminder", Language::En, &c).unwrap();
        assert!(
            r.subject.starts_with("[Secondment] 30 days left"),
            "{}",
            r.subject
        );
        assert!(r.text.contains("31 March 2024"));
        assert!(!r.html.contains("<script>"), "{}", r.html);
        assert!(r.html.contains("&lt;script&gt;"));
        assert!(r.html.contains("&amp; Co"));
    }
}
