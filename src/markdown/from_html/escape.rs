//! Characters and what Markdown makes of them: their kind for the emphasis rules, and the
//! escapes that keep text text (only where a character would otherwise be markup, so that
//! Korean text reads as typed), at a line's start too; code spans with a fitting fence.

/// A character's kind, as CommonMark's emphasis rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    Space,
    Punctuation,
    /// Hangul, Han and kana: the CJK-friendly rules let emphasis end next to them.
    Cjk,
    Other,
}

pub(super) fn class(c: Option<char>) -> Class {
    match c {
        None => Class::Space,
        Some(c) if c.is_whitespace() => Class::Space,
        Some(c) if c.is_ascii_punctuation() || is_unicode_punctuation(c) => Class::Punctuation,
        Some(c) if is_cjk(c) => Class::Cjk,
        Some(_) => Class::Other,
    }
}

fn is_unicode_punctuation(c: char) -> bool {
    !c.is_alphanumeric()
        && !c.is_whitespace()
        && !c.is_control()
        && (matches!(c, '\u{2000}'..='\u{2BFF}' | '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FF65}')
            || matches!(c, '¡'..='¿' | '×' | '÷'))
}

pub(super) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11FF}' | '\u{3040}'..='\u{30FF}' | '\u{3130}'..='\u{318F}'
        | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}'
        | '\u{F900}'..='\u{FAFF}')
}

pub(super) struct Context {
    pub(super) before: Option<char>,
    pub(super) after: Option<char>,
    pub(super) in_link: bool,
    /// The paragraph has two `~` or more, which could pair into strikethrough, or
    /// strikethrough that a `~` could join.
    pub(super) tildes: bool,
    pub(super) cell: bool,
    /// Escape every `*`, `_` and `~` (the careful escapes above did not render as meant).
    pub(super) all: bool,
}

/// Writes text with a backslash before each character that would otherwise be markup here.
pub(super) fn escape_text(out: &mut String, text: &str, cx: &Context) {
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let before = if i == 0 {
            cx.before
        } else {
            Some(chars[i - 1])
        };
        let after = chars.get(i + 1).copied().or(cx.after);
        let spaced = class(before) == Class::Space && class(after) == Class::Space;
        let escape = match c {
            '\\' => after.is_some_and(|a| a.is_ascii_punctuation()),
            '*' => cx.all || !spaced,
            '_' => cx.all || !(spaced || is_word(before) && is_word(after)),
            '~' => cx.all || cx.tildes && !spaced,
            '`' => true,
            '[' => cx.in_link || after == Some('^'),
            ']' => cx.in_link || matches!(after, Some('(' | '[' | ':')),
            '<' => after.is_some_and(|a| a.is_ascii_alphabetic() || matches!(a, '/' | '!' | '?')),
            '&' => looks_like_entity(&chars[i + 1..]),
            '|' => cx.cell,
            '!' => after == Some('['),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
}

/// A letter or digit that is not CJK: `snake_case` needs no escape, `한_글` may.
fn is_word(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() && !is_cjk(c))
}

/// `&amp;` written as text must not become `&` again: `&` before `name;` or `#123;`.
fn looks_like_entity(rest: &[char]) -> bool {
    let name = rest
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .count();
    name > 0 && rest.get(name) == Some(&';')
}

/// Inline code: a run of backticks longer than any inside, spaced when the code starts or
/// ends with one.
pub(super) fn code_span(code: &str, cell: bool) -> String {
    let code = if cell {
        code.replace('|', "\\|")
    } else {
        code.to_owned()
    };
    let longest = longest_run(&code, '`');
    let fence = "`".repeat(longest + 1);
    let pad = if code.starts_with('`')
        || code.ends_with('`')
        || (code.starts_with(' ') && code.ends_with(' '))
    {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{code}{pad}{fence}")
}

/// The longest run of `c` in `text`.
pub(super) fn longest_run(text: &str, c: char) -> usize {
    let (mut longest, mut run) = (0, 0);
    for d in text.chars() {
        run = if d == c { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// A backslash before what would start a block at the start of a line of a paragraph: `#`,
/// `-`, `+`, `>`, `1.`, `=` and `-` underlines, `~~~`.
pub(super) fn escape_line_starts(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        out.push_str(&escape_line_start(line));
    }
    out
}

fn escape_line_start(line: &str) -> String {
    let bytes = line.as_bytes();
    let spaced_after = |i: usize| matches!(bytes.get(i), None | Some(b' ' | b'\t'));
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    let only = |b: u8| !line.is_empty() && line.trim_end().bytes().all(|c| c == b);
    // `- - -`, `_ _ _`, `** *`: a rule.
    let rule = |b: u8| {
        let marks = line.bytes().filter(|&c| c == b).count();
        marks >= 3 && line.bytes().all(|c| c == b || c == b' ' || c == b'\t')
    };
    let block_start = (1..=6).contains(&hashes) && spaced_after(hashes)
        || matches!(bytes.first(), Some(b'-' | b'+' | b'*')) && spaced_after(1)
        || only(b'=')
        || only(b'-')
        || rule(b'-')
        || rule(b'_')
        || rule(b'*')
        || bytes.first() == Some(&b'>')
        || line.starts_with("~~~");
    let escape_at = if block_start {
        Some(0)
    } else {
        let digits = line.bytes().take_while(u8::is_ascii_digit).count();
        ((1..=9).contains(&digits)
            && matches!(bytes.get(digits), Some(b'.' | b')'))
            && spaced_after(digits + 1))
        .then_some(digits)
    };
    match escape_at {
        Some(i) => format!("{}\\{}", &line[..i], &line[i..]),
        None => line.to_owned(),
    }
}
