//! The console's templates, built into the binary, and the filters they
//! use: days in the user's language and time zone, numbers with the
//! language's decimal mark, and `urlencode` (minijinja's own) for links.

use std::sync::OnceLock;

use minijinja::Environment;

use super::i18n::Lang;

/// The console's templates, built into the binary.
pub(crate) const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/web/base.html")),
    ("error.html", include_str!("../../templates/web/error.html")),
    ("login.html", include_str!("../../templates/web/login.html")),
    (
        "approvals.html",
        include_str!("../../templates/web/approvals.html"),
    ),
    (
        "secondments.html",
        include_str!("../../templates/web/secondments.html"),
    ),
    ("new.html", include_str!("../../templates/web/new.html")),
    (
        "secondment.html",
        include_str!("../../templates/web/secondment.html"),
    ),
    ("mine.html", include_str!("../../templates/web/mine.html")),
    (
        "officials.html",
        include_str!("../../templates/web/officials.html"),
    ),
    (
        "official.html",
        include_str!("../../templates/web/official.html"),
    ),
    (
        "import.html",
        include_str!("../../templates/web/import.html"),
    ),
    (
        "reports.html",
        include_str!("../../templates/web/reports.html"),
    ),
    (
        "account.html",
        include_str!("../../templates/web/account.html"),
    ),
    (
        "password.html",
        include_str!("../../templates/web/password.html"),
    ),
    (
        "password_form.html",
        include_str!("../../templates/web/password_form.html"),
    ),
    (
        "password_reset.html",
        include_str!("../../templates/web/password_reset.html"),
    ),
    (
        "outcome.html",
        include_str!("../../templates/web/outcome.html"),
    ),
    (
        "macros.html",
        include_str!("../../templates/web/macros.html"),
    ),
    (
        "admin_macros.html",
        include_str!("../../templates/web/admin_macros.html"),
    ),
    (
        "admin_users.html",
        include_str!("../../templates/web/admin_users.html"),
    ),
    (
        "admin_units.html",
        include_str!("../../templates/web/admin_units.html"),
    ),
    (
        "admin_merge.html",
        include_str!("../../templates/web/admin_merge.html"),
    ),
    (
        "admin_holidays.html",
        include_str!("../../templates/web/admin_holidays.html"),
    ),
    (
        "admin_outbox.html",
        include_str!("../../templates/web/admin_outbox.html"),
    ),
];

pub(super) fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        // A page reads what its context has: a missing value (a form shown
        // for the first time has no `errors`) is empty, never an error.
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .unwrap_or_else(|e| panic!("template {name}: {e}"));
        }
        env.add_filter("day", |state: &minijinja::State, value: String| {
            let lang = Lang::parse(
                &state
                    .lookup("lang")
                    .map(|v| v.to_string())
                    .unwrap_or_default(),
            );
            let tz = state
                .lookup("tz")
                .and_then(|v| v.as_str().and_then(|s| s.parse().ok()))
                .unwrap_or(chrono_tz::Asia::Ho_Chi_Minh);
            match local_day(&value, tz) {
                Some(d) => lang.day(d),
                None => value,
            }
        });
        env.add_filter("num", |state: &minijinja::State, value: f64| {
            let lang = Lang::parse(
                &state
                    .lookup("lang")
                    .map(|v| v.to_string())
                    .unwrap_or_default(),
            );
            lang.number(value)
        });
        env
    })
}

/// The day a date or a UTC timestamp falls on in `tz`: an approval at
/// 19:25 UTC on 07/12 was made on 08/12 in Vietnam, and the console says so.
pub(super) fn local_day(value: &str, tz: chrono_tz::Tz) -> Option<chrono::NaiveDate> {
    if let Ok(d) = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return Some(d);
    }
    let utc = match chrono::DateTime::parse_from_rfc3339(value) {
        Ok(t) => t.naive_utc(),
        Err(_) => chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S%.f")
            .or_else(|_| chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%d %H:%M:%S%.f"))
            .ok()?,
    };
    Some(crate::domain::dates::local_date(utc, tz))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timestamp_is_shown_on_its_day_in_vietnam() {
        let tz = chrono_tz::Asia::Ho_Chi_Minh;
        let day = |s: &str| local_day(s, tz).map(|d| d.to_string());
        assert_eq!(day("2026-12-07T19:25:00Z").as_deref(), Some("2026-12-08"));
        assert_eq!(day("2026-12-07T16:59:59Z").as_deref(), Some("2026-12-07"));
        assert_eq!(
            day("2026-12-07T19:25:00.123456").as_deref(),
            Some("2026-12-08")
        );
        assert_eq!(day("2026-12-07").as_deref(), Some("2026-12-07"));
        assert_eq!(day("not a day"), None);
    }

    #[test]
    fn every_template_compiles_and_links_encode_their_values() {
        let env = environment();
        for (name, _) in TEMPLATES {
            assert!(env.get_template(name).is_ok(), "{name}");
        }
        let out = env
            .render_str(
                "{{ v | urlencode }}",
                minijinja::context! { v => "a b&c=d/é" },
            )
            .unwrap();
        assert_eq!(out, "a%20b%26c%3Dd/%C3%A9");
    }
}
