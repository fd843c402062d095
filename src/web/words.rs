//! The console's words, kept per language in Project Fluent files
//! (`locales/<lang>/console.ftl`) that are built into the binary: nothing
//! is read from disk at run time. Each language's words are formatted
//! once, on first use, and shared by every page after (decision 0043).
//!
//! Keys keep the shape the code and templates use (`status.active`,
//! `field.metrics[0].name`); Fluent ids cannot hold `.` or `[`, so a key
//! is written in the files with each `.` as `-` and each index `[0]` as
//! `--0` (`status-active`, `field-metrics--0-name`). [`id_of`]
//! and [`key_of`] are that mapping, in this one place.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use unic_langid::LanguageIdentifier;

use super::i18n::Lang;

/// The Vietnamese words.
pub(super) const VI: &str = include_str!("../../locales/vi/console.ftl");
/// The English words.
pub(super) const EN: &str = include_str!("../../locales/en/console.ftl");

/// One language's words: the bundle, for words with variables, and every
/// word formatted once, by key, for the templates' `t`.
pub(super) struct Words {
    bundle: FluentBundle<FluentResource>,
    all: BTreeMap<String, String>,
}

impl Words {
    /// The words of `source`. A file that does not parse is logged and
    /// what could be read of it is kept: a missing word shows as its key,
    /// the server still starts (the unit tests refuse a broken file).
    pub(super) fn load(lang: &str, source: &str) -> Words {
        let resource = match FluentResource::try_new(source.to_string()) {
            Ok(resource) => resource,
            Err((resource, errors)) => {
                tracing::error!(lang, ?errors, "the console's words do not parse");
                resource
            }
        };
        let locale = lang.parse::<LanguageIdentifier>().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![locale]);
        // Unicode isolation marks around variables would end up in HTML.
        bundle.set_use_isolating(false);
        let ids: Vec<String> = resource
            .entries()
            .filter_map(|entry| match entry {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect();
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::error!(lang, ?errors, "the console's words clash");
        }
        let mut all = BTreeMap::new();
        for id in ids {
            let Some(pattern) = bundle.get_message(&id).and_then(|m| m.value()) else {
                continue;
            };
            // A word with variables is kept as its pattern (`{$max}`):
            // pages fill it through `word_with`, not through `t`.
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, None, &mut errors);
            all.insert(key_of(&id), text.into_owned());
        }
        Words { bundle, all }
    }

    /// Every word by key.
    pub(super) fn all(&self) -> &BTreeMap<String, String> {
        &self.all
    }

    /// The word for `key` with its variables filled; `None` when there is
    /// no such word or it names a variable it was not given.
    pub(super) fn with(&self, key: &str, args: &[(&str, &str)]) -> Option<String> {
        let pattern = self.bundle.get_message(&id_of(key))?.value()?;
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, *value);
        }
        let mut errors = Vec::new();
        let text = self
            .bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors);
        errors.is_empty().then(|| text.into_owned())
    }
}

/// The words of `lang`, loaded on first use.
pub(super) fn of(lang: Lang) -> &'static Words {
    static VI_WORDS: OnceLock<Words> = OnceLock::new();
    static EN_WORDS: OnceLock<Words> = OnceLock::new();
    match lang {
        Lang::Vi => VI_WORDS.get_or_init(|| Words::load("vi", VI)),
        Lang::En => EN_WORDS.get_or_init(|| Words::load("en", EN)),
    }
}

/// The Fluent id of a key: `field.metrics[0].name` -> `field-metrics--0-name`.
pub(super) fn id_of(key: &str) -> String {
    key.replace('[', "--").replace(']', "").replace('.', "-")
}

/// The key of a Fluent id: `field-metrics--0-name` -> `field.metrics[0].name`.
pub(super) fn key_of(id: &str) -> String {
    let mut parts = id.split("--");
    let mut key = parts.next().unwrap_or_default().replace('-', ".");
    for part in parts {
        let digits = part.bytes().take_while(u8::is_ascii_digit).count();
        key.push('[');
        key.push_str(&part[..digits]);
        key.push(']');
        key.push_str(&part[digits..].replace('-', "."));
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The message ids of a file, and the file's parse errors.
    fn ids(source: &str) -> Vec<String> {
        let resource = FluentResource::try_new(source.to_string())
            .unwrap_or_else(|(_, errors)| panic!("the words do not parse: {errors:?}"));
        resource
            .entries()
            .filter_map(|entry| match entry {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn both_languages_parse_and_define_the_same_words() {
        let vi = ids(VI);
        let en = ids(EN);
        let mut vi_sorted = vi.clone();
        vi_sorted.sort();
        vi_sorted.dedup();
        assert_eq!(vi_sorted.len(), vi.len(), "an id twice in vi");
        let mut en_sorted = en.clone();
        en_sorted.sort();
        en_sorted.dedup();
        assert_eq!(en_sorted.len(), en.len(), "an id twice in en");
        let only_vi: Vec<_> = vi_sorted
            .iter()
            .filter(|id| !en_sorted.contains(id))
            .collect();
        let only_en: Vec<_> = en_sorted
            .iter()
            .filter(|id| !vi_sorted.contains(id))
            .collect();
        assert!(only_vi.is_empty(), "only in Vietnamese: {only_vi:?}");
        assert!(only_en.is_empty(), "only in English: {only_en:?}");
    }

    /// Every word formats without error (those with variables once given
    /// them) and says something.
    #[test]
    fn every_word_formats() {
        for (lang, source) in [("vi", VI), ("en", EN)] {
            let words = Words::load(lang, source);
            assert_eq!(words.all().len(), ids(source).len(), "{lang}");
            for (key, text) in words.all() {
                assert!(!text.trim().is_empty(), "{lang}: {key} says nothing");
                let vars = [
                    ("max", "36"),
                    ("min", "24"),
                    ("years", "5"),
                    ("latest", "x"),
                ];
                assert!(words.with(key, &vars).is_some(), "{lang}: {key} fails");
            }
        }
    }

    #[test]
    fn keys_and_ids_map_both_ways() {
        assert_eq!(id_of("status.active"), "status-active");
        assert_eq!(id_of("field.metrics[0].name"), "field-metrics--0-name");
        assert_eq!(key_of("field-metrics--0-name"), "field.metrics[0].name");
        assert_eq!(key_of("error-403"), "error.403");
        assert_eq!(key_of("role-hr_officer"), "role.hr_officer");
        for id in ids(VI) {
            assert_eq!(id_of(&key_of(&id)), id);
        }
    }

    #[test]
    fn variables_are_filled_and_a_missing_one_is_told() {
        let words = of(Lang::Vi);
        let told = words.with("rule.rotation_working_time", &[("years", "5")]);
        assert_eq!(
            told.as_deref(),
            Some("Cán bộ luân chuyển phải còn ít nhất 5 năm công tác.")
        );
        assert_eq!(words.with("rule.max_duration", &[("max", "36")]), None);
        assert_eq!(words.with("no.such.word", &[]), None);
    }

    /// A broken file does not stop the server: what parses is kept, the
    /// rest shows as its key.
    #[test]
    fn a_broken_file_keeps_what_it_can() {
        let words = Words::load("vi", "good = Tốt\nbroken {\nalso-good = Cũng tốt\n");
        assert_eq!(words.all().get("good").map(String::as_str), Some("Tốt"));
        assert_eq!(
            words.all().get("also.good").map(String::as_str),
            Some("Cũng tốt")
        );
        assert!(!words.all().contains_key("broken"));
    }
}
