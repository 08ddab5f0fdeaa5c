//! The theme's words written into its templates as they are loaded, so that a word costs a
//! page nothing: `{{ t.archive }}` becomes `아카이브`, `{{ t.posts | fill(n=tag.count) }}`
//! becomes `{{ tag.count }}개의 글`, and a word with forms becomes an `{% if %}` over them.
//! The page is the same as if `t` and `fill` had printed it at render time (`strings.rs`),
//! which they still do for every other use of `t`; a lookup of `t` and a filter call for
//! each word made a big blog's build about 9% slower.
//!
//! Only the plain forms above are written in, and only where the result cannot mean
//! anything else: a word with a brace or a line break of its own, a word no file has, a
//! template that could bind a `t` of its own (`{% for t in … %}`, `{% set t = … %}`, a
//! component) or that has a `{% raw %}` block, are left to render time.

use std::collections::HashMap;

use super::strings::{Word, Words};

/// `text` (a template) with its words written in, or `None` if it has none to write.
pub(crate) fn inline_words(text: &str, words: &Words) -> Option<String> {
    if !text.contains("t.") || may_bind_t(text) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut changed = false;
    while let Some(open) = rest.find("{{") {
        let (before, from) = rest.split_at(open);
        out.push_str(before);
        let tag = if before.ends_with('{') {
            None
        } else {
            word_tag(from)
        };
        let written = tag.and_then(|(tag, len)| {
            if from[len..].starts_with('}') {
                return None;
            }
            let word = words.get(tag.key)?;
            Some((written_word(word, &tag.args, &from[..len])?, len))
        });
        match written {
            Some((word, len)) => {
                out.push_str(&word);
                rest = &from[len..];
                changed = true;
            }
            None => {
                out.push_str("{{");
                rest = &from[2..];
            }
        }
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// Whether a template could give `t` a meaning of its own, or print `{{ t.x }}` as text.
fn may_bind_t(text: &str) -> bool {
    [
        " t in ",
        "for t,",
        "set t ",
        "set t=",
        "set_global t",
        "component",
        "raw %}",
        "raw -%}",
    ]
    .iter()
    .any(|s| text.contains(s))
}

/// `{{ t.KEY }}` or `{{ t.KEY | fill(NAME=EXPR, …) }}` at the start of `text`.
struct WordTag<'a> {
    key: &'a str,
    /// NAME → EXPR, as written.
    args: HashMap<&'a str, &'a str>,
}

/// The word tag at the start of `text` (which starts with `{{`) and its length.
fn word_tag(text: &str) -> Option<(WordTag<'_>, usize)> {
    let inner = text.strip_prefix("{{")?;
    let close = inner.find("}}")?;
    let body = &inner[..close];
    let key_start = body.trim_start().strip_prefix("t.")?;
    let key_len = key_start
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(key_start.len());
    let (key, after) = key_start.split_at(key_len);
    if key.is_empty() || body.starts_with('-') || body.ends_with('-') {
        return None;
    }
    let after = after.trim();
    let args = if after.is_empty() {
        HashMap::new()
    } else {
        let call = after
            .strip_prefix('|')?
            .trim_start()
            .strip_prefix("fill(")?;
        fill_args(call.strip_suffix(')')?)?
    };
    Some((WordTag { key, args }, 2 + close + 2))
}

/// `NAME=EXPR, …` split at the commas outside quotes and brackets.
fn fill_args(text: &str) -> Option<HashMap<&str, &str>> {
    let mut parts = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None, 0);
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => depth -= 1,
            (None, ',') if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        if depth < 0 {
            return None;
        }
    }
    if quote.is_some() || depth != 0 {
        return None;
    }
    parts.push(&text[start..]);
    parts
        .into_iter()
        .filter(|part| !part.trim().is_empty())
        .map(|part| {
            let (name, expr) = part.split_once('=')?;
            let (name, expr) = (name.trim(), expr.trim());
            let is_name =
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            (is_name && !expr.is_empty() && !expr.starts_with('=')).then_some((name, expr))
        })
        .collect()
}

/// `word` as template text with `args` put in, if that is sure to print what `fill` would;
/// `tag` is the word's tag as written, left for a number no form is for (months have no
/// `other`: `fill` says so if it is ever asked).
fn written_word(word: &Word, args: &HashMap<&str, &str>, tag: &str) -> Option<String> {
    match word {
        Word::Text(text) => written_text(text, args),
        Word::Forms(forms) => {
            let n = args.get("n")?;
            let other = match forms.get("other") {
                Some(text) => written_text(text, args)?,
                None => tag.to_owned(),
            };
            let mut numbers: Vec<(u64, &String)> = forms
                .iter()
                .filter_map(|(k, text)| Some((k.parse().ok()?, text)))
                .collect();
            numbers.sort_unstable_by_key(|(k, _)| *k);
            let one = forms.get("one").filter(|_| !forms.contains_key("1"));
            let mut out = String::new();
            let branches = numbers.into_iter().chain(one.map(|text| (1, text)));
            for (i, (k, text)) in branches.enumerate() {
                let keyword = if i == 0 { "if" } else { "elif" };
                out.push_str(&format!(
                    "{{% {keyword} {n} == {k} %}}{}",
                    written_text(text, args)?
                ));
            }
            if out.is_empty() {
                return Some(other);
            }
            out.push_str(&format!("{{% else %}}{other}{{% endif %}}"));
            Some(out)
        }
    }
}

/// `text` with each `{NAME}` of `args` as `{{ EXPR }}`; `None` if a brace or a line break
/// of its own would be left.
fn written_text(text: &str, args: &HashMap<&str, &str>) -> Option<String> {
    let plain = |s: &str| !s.contains(['{', '}', '\n', '\r']);
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let (literal, from) = rest.split_at(open);
        plain(literal).then_some(())?;
        out.push_str(literal);
        let close = from.find('}')?;
        let expr = args.get(&from[1..close])?;
        out.push_str("{{ ");
        out.push_str(expr);
        out.push_str(" }}");
        rest = &from[close + 1..];
    }
    plain(rest).then_some(())?;
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn words(yaml: &str) -> Words {
        super::super::strings::parse(Path::new("ko.yaml"), yaml).unwrap()
    }

    #[test]
    fn plain_words_and_filled_ones_are_written_in() {
        let w = words("a: 아카이브\np: \"{n}개의 글\"\no: \"'{name}' 글\"\n");
        let got = inline_words(
            "<h1>{{ t.a }}</h1>{{t.p | fill(n=x.count)}} {{ t.o | fill(name=f(a=1, b=\"),\")) }}",
            &w,
        );
        assert_eq!(
            got.as_deref(),
            Some("<h1>아카이브</h1>{{ x.count }}개의 글 '{{ f(a=1, b=\"),\") }}' 글")
        );
    }

    #[test]
    fn a_number_no_form_is_for_is_left_to_fill() {
        let w = words("m:\n  1: January\n  2: February\n");
        assert_eq!(
            inline_words("{{ t.m | fill(n=x) }}", &w).as_deref(),
            Some("{% if x == 1 %}January{% elif x == 2 %}February{% else %}{{ t.m | fill(n=x) }}{% endif %}")
        );
    }

    #[test]
    fn forms_become_an_if_over_them() {
        let w = words("p:\n  one: \"{n} post\"\n  other: \"{n} posts\"\n  0: none\n");
        assert_eq!(
            inline_words("{{ t.p | fill(n=c) }}", &w).as_deref(),
            Some("{% if c == 0 %}none{% elif c == 1 %}{{ c }} post{% else %}{{ c }} posts{% endif %}")
        );
    }

    #[test]
    fn what_could_mean_something_else_is_left_to_render_time() {
        let w = words(
            "a: A\nb: \"{x}\"\nc: \"x\\ny\"\nd: \"}}\"\nm:\n  1: January\np:\n  other: \"{n}\"\n",
        );
        for template in [
            "{{ t.nope }}",
            "{{ t.b | fill(n=1) }}",
            "{{ t.c }}",
            "{{ t.d }}",
            "{{ t.p }}",
            "{{- t.a }}",
            "{{ t.a -}}",
            "{{ t.a | upper }}",
            "{{{ t.a }}",
            "{{ t.a }}}",
            "{% for t in tags %}{{ t.a }}{% endfor %}",
            "{% set t = 1 %}{{ t.a }}",
            "{% raw %}{{ t.a }}{% endraw %}",
        ] {
            assert_eq!(inline_words(template, &w), None, "{template}");
        }
    }

    #[test]
    fn every_word_of_the_default_theme_is_written_in() {
        // A word left to render time costs every page that shows it (README "Templates").
        let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let read = |rel: &str| std::fs::read_to_string(theme.join(rel)).unwrap();
        let ko = words(&read("strings/ko.yaml"));
        let mut en = ko.clone();
        en.extend(words(&read("strings/en.yaml")));
        for (language, words) in [("ko", &ko), ("en", &en)] {
            for (_, rel) in crate::fsutil::files_below(&theme.join("templates")).unwrap() {
                let text = read(&format!("templates/{rel}"));
                let written = inline_words(&text, words).unwrap_or(text);
                let left: Vec<&str> = written
                    .match_indices("{{ t.")
                    .map(|(i, _)| &written[i..written[i..].find("}}").map_or(i, |e| i + e + 2)])
                    // English months have no `other`: the tag stays in the `{% else %}`.
                    .filter(|w| !(language == "en" && w.starts_with("{{ t.month ")))
                    // A tag of a post's `page.tags`, which tags.html calls `t`.
                    .filter(|w| !matches!(*w, "{{ t.url }}" | "{{ t.name }}"))
                    .collect();
                assert!(left.is_empty(), "{language} {rel}: {left:?}");
            }
        }
    }
}
