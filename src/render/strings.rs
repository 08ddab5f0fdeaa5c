//! The theme's own words in the site's language (README "Templates"): the files
//! `themes/<theme>/strings/<language>.yaml`, read with the templates; the words of the
//! site's `language:` made into the template variable `t` once per build; and the `fill`
//! filter that puts a number or a name into a word (`{{ t.posts | fill(n=tag.count) }}`).
//!
//! Korean (`ko.yaml`) is the theme's first language: a site in any language gets its words,
//! with those of its own language's file over them, key by key. A theme without a
//! `strings/` folder gives its templates no `t`. It renders nothing itself.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;
use tera::{Kwargs, State, TeraResult, Value};

use crate::error::{Error, Result};

/// The language whose words every other language falls back to.
const FIRST_LANGUAGE: &str = "ko";

/// One word of the theme: text, or forms chosen by a number.
#[derive(Debug, Clone)]
pub(crate) enum Word {
    Text(String),
    /// `one`, `other`, or a number itself (`1: January`) → the text for it.
    Forms(BTreeMap<String, String>),
}

// By hand, not `#[serde(untagged)]`: an untagged enum's error points at the top of the
// file; this one at the value that is neither.
impl<'de> Deserialize<'de> for Word {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Word, D::Error> {
        d.deserialize_any(WordVisitor)
    }
}

struct WordVisitor;

impl<'de> serde::de::Visitor<'de> for WordVisitor {
    type Value = Word;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a word: text, or a map of its forms by number")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> std::result::Result<Word, E> {
        Ok(Word::Text(text.to_owned()))
    }

    fn visit_u64<E: serde::de::Error>(self, n: u64) -> std::result::Result<Word, E> {
        Ok(Word::Text(n.to_string()))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Word, A::Error> {
        let mut forms = BTreeMap::new();
        while let Some((FormKey(key), text)) = map.next_entry::<FormKey, String>()? {
            forms.insert(key, text);
        }
        Ok(Word::Forms(forms))
    }
}

/// The key of a form: `one`, `other`, or a number (`1:` in YAML is a number, not text).
struct FormKey(String);

impl<'de> Deserialize<'de> for FormKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<FormKey, D::Error> {
        d.deserialize_any(FormKeyVisitor)
    }
}

struct FormKeyVisitor;

impl serde::de::Visitor<'_> for FormKeyVisitor {
    type Value = FormKey;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("`one`, `other` or a number")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> std::result::Result<FormKey, E> {
        Ok(FormKey(key.to_owned()))
    }

    fn visit_u64<E: serde::de::Error>(self, n: u64) -> std::result::Result<FormKey, E> {
        Ok(FormKey(n.to_string()))
    }
}

/// Key → word, as one file holds them.
pub(crate) type Words = BTreeMap<String, Word>;

/// The words of every language a theme has a file for.
#[derive(Debug, Default)]
pub(crate) struct ThemeStrings {
    /// Language (the file's name without `.yaml`) → its words. Languages are looked up
    /// here, never made into paths: a `language:` of `../x` reads nothing.
    by_language: HashMap<String, Words>,
}

impl ThemeStrings {
    /// Reads every `themes/<theme>/strings/*.yaml` of the site at `root`; none when the
    /// folder is absent. (`inputs::check_all_inside` refuses a folder that leads outside
    /// the site.)
    pub(crate) fn load(root: &Path, theme: &str) -> Result<ThemeStrings> {
        let dir = Path::new("themes").join(theme).join("strings");
        let Ok(entries) = std::fs::read_dir(root.join(&dir)) else {
            return Ok(ThemeStrings::default());
        };
        let mut by_language = HashMap::new();
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(&dir, &e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(language) = name.strip_suffix(".yaml") else {
                continue;
            };
            // Not through a link, as the templates are read: a link may lead outside the site.
            let is_file = entry.file_type().is_ok_and(|t| t.is_file());
            if crate::fsutil::is_ignored_name(&name) || !is_file {
                continue;
            }
            let file = dir.join(&name);
            let bytes = std::fs::read(entry.path()).map_err(|e| Error::io(&file, &e))?;
            let text = crate::text::decode_utf8(&file, &bytes)?;
            by_language.insert(language.to_ascii_lowercase(), parse(&file, &text)?);
        }
        Ok(ThemeStrings { by_language })
    }

    /// The words a site in `language` (`en`, `en-US`, `ko`…) sees as `t`: Korean, with the
    /// words of the language's own file (the part before `-` or `_`) over them; `None` when
    /// the theme has neither.
    pub(crate) fn for_language(&self, language: &str) -> Option<Words> {
        let primary = language
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let first = self.by_language.get(FIRST_LANGUAGE);
        let own = self
            .by_language
            .get(&primary)
            .filter(|_| primary != FIRST_LANGUAGE);
        let mut words = first.or(own)?.clone();
        if let (Some(_), Some(own)) = (first, own) {
            words.extend(own.iter().map(|(k, w)| (k.clone(), w.clone())));
        }
        Some(words)
    }
}

/// A strings file's text as words; an error names the file, line and column.
pub(super) fn parse(file: &Path, text: &str) -> Result<Words> {
    if text.trim().is_empty() {
        return Ok(Words::new());
    }
    crate::yaml::from_str::<Option<Words>>(text)
        .map(Option::unwrap_or_default)
        .map_err(|e| {
            let mut err = crate::yaml::error_at(file, &e, 0);
            for d in &mut err.diagnostics {
                d.help = Some(
                    "each key of a strings file is a word: text, or a map of the forms by \
                     number (`one:`, `other:`, `1:`); see README \"Templates\""
                        .to_owned(),
                );
            }
            err
        })
}

/// `words` as the template variable `t`: every word and form a safe string, printed as it
/// is written (like template text), made anew for each context that holds it.
pub(crate) fn to_value(words: &Words) -> Value {
    let map: BTreeMap<String, Value> = words
        .iter()
        .map(|(key, word)| {
            let value = match word {
                Word::Text(text) => Value::safe_string(text),
                Word::Forms(forms) => Value::from(
                    forms
                        .iter()
                        .map(|(k, text)| (k.clone(), Value::safe_string(text)))
                        .collect::<BTreeMap<String, Value>>(),
                ),
            };
            (key.clone(), value)
        })
        .collect();
    Value::from(map)
}

/// The filter `fill`: `word` (text, or forms by number) with each `{key}` replaced by the
/// argument `key`. The forms are chosen by the argument `n`: the form keyed by `n` itself,
/// else `one` when `n` is 1, else `other`. A word of `t` is safe HTML, so what is put into
/// it is escaped (unless safe itself) and the result is safe; any other text is filled as
/// it is and escaped when printed, as usual.
pub(crate) fn fill(word: &Value, kwargs: Kwargs, state: &State) -> TeraResult<Value> {
    let chosen;
    let word = if let Some(forms) = word.as_map() {
        chosen = form(forms, &kwargs)?;
        &chosen
    } else {
        word
    };
    let Some(text) = word.as_str() else {
        return Err(tera::Error::message(format!(
            "`fill` fills a word of `t` (text, or forms by number), not {}",
            word.name()
        )));
    };
    let safe = word.is_safe();
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        rest = &rest[open + 1..];
        let value = match rest.find('}') {
            Some(close) => kwargs.get::<&Value>(&rest[..close])?.map(|v| (v, close)),
            None => None,
        };
        let Some((value, close)) = value else {
            // Not a placeholder of this call: a brace of the text.
            out.push('{');
            continue;
        };
        if safe {
            out.push_str(&state.escape_if_needed(value)?);
        } else {
            out.push_str(&value.to_string());
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Ok(if safe {
        Value::safe_string(&out)
    } else {
        Value::from(out)
    })
}

/// The form of `forms` for the argument `n`.
fn form(forms: &tera::Map, kwargs: &Kwargs) -> TeraResult<Value> {
    let n = kwargs
        .get::<&Value>("n")?
        .and_then(Value::as_i128)
        .ok_or_else(|| {
            tera::Error::message(
                "`fill` chooses this word's form by a number: give it one, as `fill(n=3)`",
            )
        })?;
    let pick = |key: &str| {
        forms
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v.clone())
    };
    pick(&n.to_string())
        .or_else(|| (n == 1).then(|| pick("one")).flatten())
        .or_else(|| pick("other"))
        .ok_or_else(|| {
            tera::Error::message(format!(
                "this word has no form for {n}: give it an `other:` (or a `{n}:`) in the \
                 theme's strings file"
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `template` rendered with `t` made of the words of `yaml`, and `name` as "<b>".
    fn render(yaml: &str, template: &str) -> String {
        let words = parse(Path::new("ko.yaml"), yaml).unwrap();
        let mut tera = tera::Tera::new();
        tera.set_escape_fn(crate::html::escape_html_to);
        tera.register_filter("fill", fill);
        let mut ctx = tera::Context::new();
        ctx.insert_value("t", to_value(&words));
        ctx.insert("name", "<b>");
        tera.render_str(template, &ctx, true).unwrap()
    }

    #[test]
    fn a_word_is_printed_as_written_and_what_fills_it_is_escaped() {
        let yaml = "w: \"'{name}' & {n}개 {x} {n\"\n";
        assert_eq!(
            render(yaml, "{{ t.w | fill(name=name, n=3) }}"),
            "'&lt;b&gt;' & 3개 {x} {n"
        );
        assert_eq!(render(yaml, "{{ t.w }}"), "'{name}' & {n}개 {x} {n");
        // Text that is not a word of `t` is escaped when printed, once.
        assert_eq!(
            render(yaml, "{{ \"<{n}>\" | fill(n=name) }}"),
            "&lt;&lt;b&gt;&gt;"
        );
    }

    #[test]
    fn the_form_is_chosen_by_the_number() {
        let yaml = "p:\n  one: \"{n} post\"\n  other: \"{n} posts\"\n  0: none\n";
        let t = "{{ t.p | fill(n=0) }}/{{ t.p | fill(n=1) }}/{{ t.p | fill(n=12) }}";
        assert_eq!(render(yaml, t), "none/1 post/12 posts");
    }

    #[test]
    fn a_language_gets_its_words_over_the_korean_ones() {
        let mut strings = ThemeStrings::default();
        let file = Path::new("x.yaml");
        let ko = parse(file, "a: 가\nb: 나\n").unwrap();
        strings.by_language.insert("ko".into(), ko);
        strings
            .by_language
            .insert("en".into(), parse(file, "a: A\n").unwrap());
        let text = |language: &str, key: &str| match &strings.for_language(language).unwrap()[key] {
            Word::Text(t) => t.clone(),
            Word::Forms(_) => unreachable!(),
        };
        assert_eq!(text("en-US", "a"), "A");
        assert_eq!(text("EN", "b"), "나");
        assert_eq!(text("ja", "a"), "가");
        assert_eq!(text("../en", "a"), "가");
        assert!(ThemeStrings::default().for_language("ko").is_none());
    }
}
