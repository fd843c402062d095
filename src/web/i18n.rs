//! The console's languages: their words (kept in `locales/<lang>/console.ftl`,
//! see `words.rs`), dates and numbers as each language writes them.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::words;

/// The console's languages; Vietnamese first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Tiếng Việt.
    Vi,
    /// English.
    En,
}

impl Lang {
    /// `vi` or `en`; anything else is Vietnamese.
    pub fn parse(s: &str) -> Lang {
        if s.eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Vi
        }
    }

    /// The code, as in `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// A day as this language writes it: `dd/mm/yyyy` or `YYYY-MM-DD`.
    pub fn day(self, date: NaiveDate) -> String {
        match self {
            Lang::Vi => date.format("%d/%m/%Y").to_string(),
            Lang::En => date.format("%Y-%m-%d").to_string(),
        }
    }

    /// A number as this language writes it: `12,5` or `12.5`, whole
    /// numbers without decimals.
    pub fn number(self, n: f64) -> String {
        let text = if n.fract() == 0.0 && n.abs() < 1e15 {
            format!("{}", n as i64)
        } else {
            format!("{n}")
        };
        match self {
            Lang::Vi => text.replace('.', ","),
            Lang::En => text,
        }
    }

    /// The word for `key`; the key itself when there is none.
    pub fn word(self, key: &str) -> String {
        self.words()
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// The word for `key` with its variables (`{ $max }`) filled from
    /// `args`; `None` when there is no such word or it names a variable
    /// not given.
    pub fn word_with(self, key: &str, args: &[(&str, &str)]) -> Option<String> {
        words::of(self).with(key, args)
    }

    /// Every word by key, for templates (`t.key`, `t["status." ~ s]`);
    /// formatted once per language (`locales/<lang>/console.ftl`).
    pub fn words(self) -> &'static BTreeMap<String, String> {
        words::of(self).all()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_written_as_each_language_writes_them() {
        let d = NaiveDate::from_ymd_opt(2021, 3, 12).unwrap();
        assert_eq!(Lang::Vi.day(d), "12/03/2021");
        assert_eq!(Lang::En.day(d), "2021-03-12");
        assert_eq!(Lang::Vi.number(85.0), "85");
        assert_eq!(Lang::Vi.number(12.5), "12,5");
        assert_eq!(Lang::En.number(12.5), "12.5");
    }

    /// Every `t["key"]` and `t.key` a template names has words (a missing
    /// one would show as nothing).
    #[test]
    fn every_word_a_template_uses_exists() {
        let keys: std::collections::HashSet<&str> = Lang::Vi
            .words()
            .keys()
            .chain(Lang::En.words().keys())
            .map(String::as_str)
            .collect();
        for (name, source) in super::super::templates::TEMPLATES {
            for part in source.split("t[\"").skip(1) {
                let key = part.split('"').next().unwrap_or_default();
                let rest = &part[key.len()..];
                // `t["status." ~ s.status]` is built at run time.
                if !rest.starts_with("\" ~") {
                    assert!(keys.contains(key), "{name}: no words for {key}");
                }
            }
            for (at, _) in source.match_indices("t.") {
                // `t.` standing alone: not the end of `s.start.` or a word.
                let standalone = at == 0 || {
                    let b = source.as_bytes()[at - 1];
                    b.is_ascii() && !(b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
                };
                let key: String = source[at + 2..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                    .collect();
                if standalone && !key.is_empty() {
                    assert!(keys.contains(key.as_str()), "{name}: no words for t.{key}");
                }
            }
        }
    }
}
