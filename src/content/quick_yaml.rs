//! A fast reader for the plain front matter nearly every post has: `key: value` lines whose
//! values are one-line scalars (plain, "double" or 'single' quoted), `[flow, lists]` or
//! block lists of `- items`; and for plain comment files, lists of such maps.
//!
//! serde_yaml (libyaml underneath) spends most of a post's reading time on its few lines of
//! front matter. This reader takes only what it can read exactly as serde_yaml does and
//! answers `None` for anything else (nested maps, block scalars, anchors, comments after a
//! value, escapes other than `\"` and `\\`, plain values that could be numbers, duplicate
//! keys, ...), which serde_yaml then reads, with its error messages. Debug builds check every
//! answer against serde_yaml.
//!
//! It reads no nesting (a `[` inside a list, a map under a key: `None`) and goes through a
//! text once, so deep YAML costs it nothing; `yaml_nesting` guards serde_yaml from it.

use crate::yaml::{Mapping, Value};

/// Whether every character of `text` is one YAML allows in a document and reads as itself:
/// not a tab, a control character or a line break other than `\n` (`\r`, U+0085, U+2028,
/// U+2029, which fold inside a quoted value). A pass over the bytes with no early exit (which
/// the compiler makes a vector loop) rules out all but printable ASCII and most other
/// characters: the few lead bytes of what YAML refuses beyond ASCII (0xC2 for U+0080–U+009F,
/// 0xEF for U+FFFE and U+FFFF) send the text to the exact check, and memchr looks for the
/// two separators (lead byte 0xE2, which Korean punctuation shares).
fn plain_text(text: &str) -> bool {
    let bytes = text.as_bytes();
    let suspect = bytes.iter().fold(false, |seen, &b| {
        seen | ((b < 0x20) & (b != b'\n')) | (b == 0x7f) | (b == 0xc2) | (b == 0xef)
    });
    let separators = ["\u{2028}", "\u{2029}"]
        .iter()
        .any(|s| memchr::memmem::find(bytes, s.as_bytes()).is_some());
    !separators && (!suspect || text.chars().all(plain_char))
}

/// Whether YAML allows `c` in a document (its `c-printable`) and reads it as itself: tabs,
/// and line breaks but `\n`, left out.
fn plain_char(c: char) -> bool {
    matches!(c, '\n' | ' '..='~' | '\u{a0}'..='\u{2027}' | '\u{202a}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        || c >= '\u{10000}'
}

/// The front matter `yaml` as serde_yaml would read it, if it is plain enough; else `None`.
pub fn mapping(yaml: &str) -> Option<Mapping> {
    // Tabs, and characters YAML does not allow in a document (control characters), which
    // serde_yaml refuses with its own message.
    if !plain_text(yaml) {
        return None;
    }
    let mut map = Mapping::new();
    let mut lines = yaml.lines().peekable();
    while let Some(line) = lines.next() {
        if skipped(line) {
            continue;
        }
        let (key, rest) = key_of(line)?;
        let value = if rest.is_empty() {
            // `key:` alone: null, or a block list on the lines below.
            let mut items = Vec::new();
            let mut indent = None;
            while let Some(&next) = lines.peek() {
                if skipped(next) {
                    lines.next();
                    continue;
                }
                let item = next.trim_start();
                let Some(text) = item.strip_prefix("- ") else {
                    break;
                };
                let at = next.len() - item.len();
                if *indent.get_or_insert(at) != at {
                    return None;
                }
                items.push(scalar(text.trim())?);
                lines.next();
            }
            if items.is_empty() {
                Value::Null
            } else {
                Value::Sequence(items)
            }
        } else if rest.starts_with('[') {
            flow_list(rest)?
        } else {
            scalar(rest)?
        };
        if map.insert(Value::String(key.to_owned()), value).is_some() {
            return None; // serde_yaml refuses duplicate keys, with its own message
        }
    }
    // Without a key serde_yaml reads null, not a map: left to it.
    (!map.is_empty()).then_some(map)
}

/// A comments file as serde_yaml would read it, if it is plain enough: a list of maps of
/// one-line scalars, each item a `- key: value` line followed by `  key: value` lines.
pub fn list_of_maps(yaml: &str) -> Option<Vec<Value>> {
    if !plain_text(yaml) {
        return None;
    }
    let mut items = Vec::new();
    let mut current: Option<Mapping> = None;
    for line in yaml.lines() {
        if skipped(line) {
            continue;
        }
        let entry = if let Some(rest) = line.strip_prefix("- ") {
            items.extend(current.take().map(Value::Mapping));
            current = Some(Mapping::new());
            rest
        } else {
            line.strip_prefix("  ")?
        };
        let (key, text) = key_of(entry)?;
        if text.is_empty() || text.starts_with('[') {
            return None;
        }
        let value = scalar(text)?;
        if current
            .as_mut()?
            .insert(Value::String(key.to_owned()), value)
            .is_some()
        {
            return None;
        }
    }
    items.extend(current.map(Value::Mapping));
    (!items.is_empty()).then_some(items)
}

/// Blank and comment lines.
fn skipped(line: &str) -> bool {
    let t = line.trim_start();
    t.is_empty() || t.starts_with('#')
}

/// `key: rest` at the start of a line: (key, rest trimmed). Keys are ASCII words.
fn key_of(line: &str) -> Option<(&str, &str)> {
    let bytes = line.as_bytes();
    if !bytes.first()?.is_ascii_alphabetic() && bytes[0] != b'_' {
        return None;
    }
    let end = bytes
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))?;
    let key = &line[..end];
    let rest = line[end..].strip_prefix(':')?;
    if !(rest.is_empty() || rest.starts_with(' ')) || special_word(key).is_some() {
        return None;
    }
    Some((key, rest.trim()))
}

/// YAML's null and booleans, as serde_yaml spells them.
fn special_word(s: &str) -> Option<Value> {
    match s {
        "null" | "Null" | "NULL" | "~" => Some(Value::Null),
        "true" | "True" | "TRUE" => Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => Some(Value::Bool(false)),
        _ => None,
    }
}

/// One non-empty scalar, trimmed, in block context.
fn scalar(s: &str) -> Option<Value> {
    match s.as_bytes().first()? {
        b'"' | b'\'' => {
            let (text, len) = quoted(s)?;
            (len == s.len()).then_some(Value::String(text))
        }
        _ => {
            if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
                return None;
            }
            plain(s)
        }
    }
}

/// A plain (unquoted) scalar: null, a boolean or a string; `None` when it could be a number,
/// starts with an indicator, or is otherwise not plainly a string.
fn plain(s: &str) -> Option<Value> {
    if let Some(v) = special_word(s) {
        return Some(v);
    }
    let first = *s.as_bytes().first()?;
    if b"-?:,[]{}#&*!|>'\"%@`.~".contains(&first) {
        return None;
    }
    let unsigned = s.strip_prefix('+').unwrap_or(s);
    if unsigned.starts_with('.') {
        return None;
    }
    if unsigned.starts_with(|c: char| c.is_ascii_digit()) {
        // Every number serde_yaml reads (decimal, 0x, 0o, 0b, floats) uses only these.
        let numeric = |b: u8| b.is_ascii_hexdigit() || b"xXoO+-.".contains(&b);
        if s.bytes().all(numeric) && !is_date(s) {
            return None;
        }
    }
    Some(Value::String(s.to_owned()))
}

/// `YYYY-MM-DD`: digits and dashes, yet never a number.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// A quoted string at the start of `s`, `"…"` (escapes `\"` and `\\` only) or `'…'` (`''`
/// is a quote): its text and its length in `s`, quotes included.
fn quoted(s: &str) -> Option<(String, usize)> {
    let bytes = s.as_bytes();
    let quote = *bytes.first()?;
    let mut out = String::new();
    let mut start = 1;
    let mut i = 1;
    while i < bytes.len() {
        let escaped = match (quote, bytes[i]) {
            (b'"', b'\\') => match bytes.get(i + 1)? {
                &e @ (b'"' | b'\\') => e,
                _ => return None,
            },
            (b'\'', b'\'') if bytes.get(i + 1) == Some(&b'\'') => b'\'',
            (_, b) if b == quote => {
                out.push_str(&s[start..i]);
                return Some((out, i + 1));
            }
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&s[start..i]);
        out.push(char::from(escaped));
        i += 2;
        start = i;
    }
    None
}

/// `[a, "b", 'c']` on one line: a list of scalars.
fn flow_list(s: &str) -> Option<Value> {
    let inner = s.strip_prefix('[')?.strip_suffix(']')?;
    let mut items = Vec::new();
    let mut rest = inner.trim_start();
    if rest.is_empty() {
        return Some(Value::Sequence(items));
    }
    loop {
        let (item, after) = match rest.as_bytes().first()? {
            b'"' | b'\'' => {
                let (text, len) = quoted(rest)?;
                (Value::String(text), &rest[len..])
            }
            _ => {
                let end = rest.find(',').unwrap_or(rest.len());
                let text = rest[..end].trim_end();
                if text.contains(|c| "[]{}:#\"'".contains(c)) {
                    return None;
                }
                (plain(text)?, &rest[end..])
            }
        };
        items.push(item);
        let after = after.trim_start();
        if after.is_empty() {
            return Some(Value::Sequence(items));
        }
        rest = after.strip_prefix(',')?.trim_start();
        if rest.is_empty() {
            return None; // a trailing comma: left to serde_yaml
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serde(yaml: &str) -> Option<Value> {
        crate::yaml::from_str(yaml).ok()
    }

    /// Front matters the quick reader takes, each read exactly as serde_yaml reads it.
    #[test]
    fn control_characters_are_left_to_serde_yaml() {
        for yaml in [
            "title: \"\u{7f}\"\n",
            "title: a\u{1b}b\n",
            "title: \"\u{9c}\"\n",
        ] {
            assert_eq!(mapping(yaml), None, "{yaml:?}");
            assert!(crate::yaml::from_str::<Value>(yaml).is_err(), "{yaml:?}");
        }
        // Line breaks other than `\n` fold to a space inside a quoted value (found by the
        // property test below).
        for yaml in [
            "- title: '\r'\n  body: 가\n",
            "title: \"\u{85}\"\n",
            "title: \"a\u{2028}b\"\n",
        ] {
            assert_eq!(mapping(yaml), None, "{yaml:?}");
            assert_eq!(list_of_maps(yaml), None, "{yaml:?}");
        }
        assert!(mapping("title: \"‘관계’…\"\n").is_some());
        let comments = "- author: a\n  body: \"\u{7f}\"\n";
        assert_eq!(list_of_maps(comments), None);
        assert!(mapping("title: \"가\u{202e}\"\n").is_some());
    }

    #[test]
    fn reads_plain_front_matter_as_serde_yaml_does() {
        for yaml in [
            "title: \"빠른 가격이 창고을 바꾼 순간 0\"\ndate: 2019-01-01T09:20:00+09:00\ncategory: \"브랜드와 홍보\"\ntags: [\"상품\", \"리뷰\"]\nsummary: \"하지만, 뜻밖의 광고를.\"\n",
            "title: 고객 불만이 기회가 된 순간들\ndate: 2025-09-08\ncategory: 퇴사 후 마이크로 비즈니스 운영 일지\ntags: [고객, 불만]\n",
            "title: 'It''s ok'\ndraft: true\nslug: my-post\n",
            "tags:\n  - 하나\n  - \"둘\"\n  - '셋'\ncategories:\n- 일지\n",
            "title: a\n\n# a comment\ndate: 2025-09-08 07:00\naliases: []\n",
            "title: \"quote \\\" and backslash \\\\ kept\"\n",
            "draft: False\nempty:\nnothing: ~\nflag: TRUE\n",
            "title: C# and F#\nurl: https://example.org/a?b=c\n",
            "title: +plus\nweight_x: 12:30\nversion: 1.2.3z\n",
            "title: [a, b ,c]\n",
            "tags: ['it''s', \"say \\\"hi\\\"\", 'a\\b', \"it's\"]\n",
            "title: 2025-09-08\n",
        ] {
            let quick = mapping(yaml).unwrap_or_else(|| panic!("not taken: {yaml:?}"));
            assert_eq!(Some(Value::Mapping(quick)), serde(yaml), "{yaml:?}");
        }
    }

    #[test]
    fn reads_plain_comment_files_as_serde_yaml_does() {
        for yaml in [
            "- author: \"키워드님\"\n  date: 2019-01-01T10:20:00+09:00\n  body: \"불안한 추천.\"\n- author: 손님\n  date: 2025-09-09\n  body: 좋은 글 감사합니다\n",
            "# comments\n\n- author: a\n  body: b\n",
        ] {
            let quick = list_of_maps(yaml).unwrap_or_else(|| panic!("not taken: {yaml:?}"));
            assert_eq!(Some(Value::Sequence(quick)), serde(yaml), "{yaml:?}");
        }
        for yaml in [
            "",
            "author: a\n",
            "- author: a\n   body: b\n",
            "-  author: a\n",
            "  body: b\n- author: a\n",
            "- author: a\n  author: b\n",
            "- author: a\n  body: |\n    text\n",
            "- author: a\n  body:\n",
            "- author: a\n  tags: [x]\n",
            "- author: a # who\n",
            "- - nested\n",
        ] {
            assert!(list_of_maps(yaml).is_none(), "taken: {yaml:?}");
        }
    }

    /// Anything the quick reader could get wrong is left to serde_yaml.
    #[test]
    fn leaves_the_rest_to_serde_yaml() {
        for yaml in [
            "",
            "# only a comment\n",
            "weight: 3\n",
            "price: 1.5\n",
            "hex: 0x1F\n",
            "n: 1e5\n",
            "version: 007\n",
            "x: .inf\n",
            "x: -1\n",
            "title: a # comment\n",
            "title: \"a\" # comment\n",
            "title: \"tab \\t escape\"\n",
            "title: \"never closed\n",
            "title: a: b\n",
            "title: a:\n",
            "map:\n  key: value\n",
            "text: |\n  block\n",
            "title: &anchor a\nother: *anchor\n",
            "title: !tag a\n",
            "title: a\ntitle: b\n",
            "\"quoted\": key\n",
            "true: key\n",
            "key : spaced\n",
            "title: a\n  continued\n",
            "tags:\n  - a\n    - b\n",
            "tags:\n  - [nested]\n",
            "tags: [a, [b]]\n",
            "tags: [a, b,]\n",
            "tags: [a: b]\n",
            "title:\ttab\n",
            "- a list\n",
            "title: a\n- b\n",
        ] {
            assert!(mapping(yaml).is_none(), "taken: {yaml:?}");
        }
    }

    /// Pieces of values: plain words, numbers and words YAML reads as other types, quotes and
    /// escapes, flow and comment marks, anchors, tags and characters YAML refuses.
    fn piece() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop_oneof![
            3 => prop::sample::select(vec![
                ": ", ":", " ", "[", "]", ", ", "\"", "'", "''", "\\", "\\\"", "#", " # c",
                "&a ", "*a", "!!str ", "~", "null", "true", "no", "1", "1.5", "0x1F", "1e3",
                "2025-09-08", "07:00", "-", "{", "}", "?", "|", ">", "%", "@", "`", "\t", "\r",
                "\u{7f}", "\u{85}", "\u{feff}", "\u{ffff}", "\u{9c}", "\u{2028}", "\u{2029}", "\u{2026}", "=", "\\u0041", "\\n",
                "\\x41", "...", "---",
            ])
            .prop_map(str::to_owned),
            4 => "[a-z가-힣]{1,8}( [a-z가-힣]{1,6})?",
        ]
    }

    /// A few pieces, one after the other.
    fn pieces() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop::collection::vec(piece(), 0..5).prop_map(|p| p.concat())
    }

    /// A value as a front matter writes it: plain, double- or single-quoted, or a flow list.
    fn value() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop_oneof![
            2 => pieces(),
            2 => pieces().prop_map(|v| format!("\"{v}\"")),
            1 => pieces().prop_map(|v| format!("'{v}'")),
            2 => prop::collection::vec(pieces(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
        ]
    }

    fn key() -> impl proptest::strategy::Strategy<Value = &'static str> {
        proptest::sample::select(vec!["title", "date", "tags", "a", "가", "author", "body"])
    }

    /// Front matter (or a comments file) line by line: `key: value`, `key:` with `- item`
    /// lines, comments, blank lines, and now and then a line of loose pieces.
    fn front_matter() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let line = prop_oneof![
            6 => (key(), value()).prop_map(|(k, v)| format!("{k}: {v}\n")),
            2 => (key(), prop::collection::vec(value(), 1..4)).prop_map(|(k, items)| {
                let items: String = items.iter().map(|i| format!("  - {i}\n")).collect();
                format!("{k}:\n{items}")
            }),
            2 => (key(), value(), value()).prop_map(|(k, a, b)| format!("- {k}: {a}\n  body: {b}\n")),
            1 => Just("# 주석\n".to_owned()),
            1 => Just("\n".to_owned()),
            1 => prop::collection::vec(piece(), 1..6).prop_map(|p| p.concat() + "\n"),
        ];
        prop::collection::vec(line, 0..8).prop_map(|l| l.concat())
    }

    /// On any text, the quick reader either declines or reads what serde_yaml reads (checked
    /// in debug builds on every post too; this tries the texts no fixture has).
    #[test]
    fn reads_as_serde_yaml_does_or_declines() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        // `bench/fuzz.sh` asks for more.
        let cases = std::env::var("ILJI_FUZZ_CASES")
            .ok()
            .and_then(|n| n.parse::<u32>().ok())
            .map_or(3000, |n| n.max(3000) * 10);
        let mut runner = TestRunner::new(Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        });
        runner
            .run(&front_matter(), |yaml| {
                if let Some(map) = mapping(&yaml) {
                    prop_assert_eq!(serde(&yaml), Some(Value::Mapping(map)), "{:?}", yaml);
                }
                if let Some(items) = list_of_maps(&yaml) {
                    prop_assert_eq!(serde(&yaml), Some(Value::Sequence(items)), "{:?}", yaml);
                }
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{e}"));
    }
}
