//! The guard run before serde_yaml reads a YAML text of the user's (front matter, comments
//! files, site.yaml, the front matter `ilji import` reads): collections nested more than
//! [`MAX_DEPTH`] deep are refused, with the line and column where the limit is passed.
//!
//! libyaml, under serde_yaml, takes time quadratic in the depth of `[`/`{` nesting (each token
//! looks at every open level) before serde_yaml's own limit (128 levels) stops it: 100,000 `[`
//! took 13 s, 100,000 `{a: ` 34 s. Nested block collections (`- - - … a`) take it linear time
//! but 260 bytes a byte (2.6 GB for 10 MB). Real front matter nests two or three levels.
//!
//! To know which brackets open a collection (not those in quoted, plain or block scalars,
//! comments or tags), this follows libyaml's scanner: its tokens and indentation, not the
//! grammar. Where libyaml would stop at a syntax error it goes on, so a broken text may be
//! refused for its depth rather than for its syntax; a deep one is never let through.
//!
//! A bottom layer: it knows nothing of front matter or configuration.

use std::path::Path;

use crate::error::{Diagnostic, Result};

/// The deepest nesting of lists and maps (block and flow together) a YAML text may have.
pub(crate) const MAX_DEPTH: usize = 64;

/// Refuses `yaml` (from `path`, where it starts after `line_offset` lines) if it nests lists
/// and maps more than [`MAX_DEPTH`] deep.
pub(crate) fn check(path: &Path, yaml: &str, line_offset: usize) -> Result<()> {
    let Some((line, column)) = too_deep(yaml, MAX_DEPTH) else {
        return Ok(());
    };
    Err(Diagnostic::new(
        path,
        format!("lists and maps are nested more than {MAX_DEPTH} deep here"),
    )
    .at(line + line_offset, column)
    .help(format!(
        "ilji reads YAML nested at most {MAX_DEPTH} levels deep (deeper takes the YAML \
         reader minutes); flatten it, or quote the value if its brackets are text"
    ))
    .into())
}

/// Where (1-based line and column, in characters) a list or map opens `limit + 1` levels
/// deep in `yaml`, if one does.
pub(crate) fn too_deep(yaml: &str, limit: usize) -> Option<(usize, usize)> {
    Scanner {
        text: yaml.as_bytes(),
        // libyaml's reader takes a byte-order mark at the start away before any column.
        at: if yaml.starts_with('\u{feff}') { 3 } else { 0 },
        line: 0,
        column: 0,
        flow_level: 0,
        indents: Vec::new(),
        indent: -1,
        simple_key_allowed: true,
        block_key: None,
        limit,
    }
    .run()
}

/// libyaml's scanner state, as far as it decides where tokens start and end.
struct Scanner<'a> {
    text: &'a [u8],
    /// Byte offset of the next character.
    at: usize,
    line: usize,
    /// Characters since the line began.
    column: usize,
    flow_level: usize,
    /// The enclosing block indentations (libyaml's `indents`); one per open block collection.
    indents: Vec<isize>,
    /// The current block indentation; -1 outside any block collection.
    indent: isize,
    simple_key_allowed: bool,
    /// Where a key of a block mapping may start (libyaml's simple key at flow level 0):
    /// `:` after it on the same line opens a mapping at its column.
    block_key: Option<Mark>,
    limit: usize,
}

#[derive(Clone, Copy)]
struct Mark {
    at: usize,
    line: usize,
    column: usize,
}

impl Scanner<'_> {
    /// Goes through the tokens; where the nesting first passes the limit, if it does.
    fn run(&mut self) -> Option<(usize, usize)> {
        loop {
            self.skip_to_next_token();
            self.forget_a_stale_key();
            self.unroll(self.column as isize);
            if self.at >= self.text.len() {
                return None;
            }
            if self.column == 0 && (self.byte(0) == b'%' || self.document_marker()) {
                self.directive_or_document_marker();
                continue;
            }
            let opened_at = self.token();
            if self.depth() > self.limit {
                return Some(position(opened_at));
            }
        }
    }

    /// A key must be on one line and within 1024 bytes of its `:`.
    fn forget_a_stale_key(&mut self) {
        if self
            .block_key
            .is_some_and(|k| k.line < self.line || k.at + 1024 < self.at)
        {
            self.block_key = None;
        }
    }

    /// A directive (its line is all its own) or `---` / `...`: the end of every block
    /// collection.
    fn directive_or_document_marker(&mut self) {
        self.unroll(-1);
        self.block_key = None;
        self.simple_key_allowed = false;
        if self.byte(0) == b'%' {
            while !self.break_or_end_at(0) {
                self.skip();
            }
        } else {
            self.skip_n(3);
        }
    }

    /// Steps over the token at the next character; where a collection it opens starts.
    fn token(&mut self) -> Mark {
        let here = self.mark();
        let (c, next_blank) = (self.byte(0), self.blank_or_end_at(1));
        let flow = self.flow_level > 0;
        match c {
            b'[' | b'{' => {
                self.save_key();
                self.flow_level += 1;
                self.simple_key_allowed = true;
                self.skip();
            }
            b']' | b'}' => {
                self.remove_key();
                self.flow_level = self.flow_level.saturating_sub(1);
                self.simple_key_allowed = false;
                self.skip();
            }
            b',' => {
                self.remove_key();
                self.simple_key_allowed = true;
                self.skip();
            }
            b'-' if next_blank => {
                self.roll(here.column);
                self.remove_key();
                self.simple_key_allowed = true;
                self.skip();
            }
            b'?' if flow || next_blank => {
                self.roll(here.column);
                self.remove_key();
                self.simple_key_allowed = !flow;
                self.skip();
            }
            b':' if flow || next_blank => return self.value(),
            b'*' | b'&' => {
                self.save_key();
                self.simple_key_allowed = false;
                self.skip();
                self.skip_while(is_alpha);
            }
            b'!' => {
                self.save_key();
                self.simple_key_allowed = false;
                self.tag();
            }
            b'|' | b'>' if !flow => {
                self.remove_key();
                self.simple_key_allowed = true;
                self.block_scalar();
            }
            b'\'' | b'"' => {
                self.save_key();
                self.simple_key_allowed = false;
                self.quoted(c);
            }
            _ if self.plain_starts() => {
                self.save_key();
                self.simple_key_allowed = false;
                self.plain();
            }
            // A character that starts no token: libyaml stops here, this goes on.
            _ => self.skip(),
        }
        here
    }

    /// The `:` of a value; where the mapping it opens starts: at its key if a block mapping's
    /// key is pending, else at the `:`.
    fn value(&mut self) -> Mark {
        let here = self.mark();
        let flow = self.flow_level > 0;
        let key = if flow { None } else { self.block_key.take() };
        let opened_at = match key {
            Some(key) => {
                self.roll(key.column);
                self.simple_key_allowed = false;
                key
            }
            None => {
                self.roll(here.column);
                self.simple_key_allowed = !flow;
                here
            }
        };
        self.skip();
        opened_at
    }

    fn depth(&self) -> usize {
        self.indents.len() + self.flow_level
    }

    fn mark(&self) -> Mark {
        Mark {
            at: self.at,
            line: self.line,
            column: self.column,
        }
    }

    /// A new block collection at `column`, if it is deeper than the current one.
    fn roll(&mut self, column: usize) {
        let column = column as isize;
        if self.flow_level == 0 && self.indent < column {
            self.indents.push(self.indent);
            self.indent = column;
        }
    }

    /// Closes the block collections deeper than `column`.
    fn unroll(&mut self, column: isize) {
        if self.flow_level > 0 {
            return;
        }
        while self.indent > column {
            match self.indents.pop() {
                Some(outer) => self.indent = outer,
                None => break,
            }
        }
    }

    fn save_key(&mut self) {
        if self.flow_level == 0 && self.simple_key_allowed {
            self.block_key = Some(self.mark());
        }
    }

    fn remove_key(&mut self) {
        if self.flow_level == 0 {
            self.block_key = None;
        }
    }

    /// Spaces, tabs, comments and line breaks up to the next token.
    fn skip_to_next_token(&mut self) {
        loop {
            if self.column == 0 && self.text[self.at..].starts_with("\u{feff}".as_bytes()) {
                self.skip();
            }
            // (libyaml stops at a tab where indentation may start a key, with an error.)
            self.skip_blanks_and_comment();
            if !self.skip_line_break() {
                return;
            }
            if self.flow_level == 0 {
                self.simple_key_allowed = true;
            }
        }
    }

    /// libyaml's test for a plain scalar at the next character.
    fn plain_starts(&self) -> bool {
        let c = self.byte(0);
        !(self.blank_or_end_at(0) || b"-?:,[]{}#&*!|>'\"%@`".contains(&c))
            || c == b'-' && !matches!(self.byte(1), b' ' | b'\t')
            || self.flow_level == 0 && matches!(c, b'?' | b':') && !self.blank_or_end_at(1)
    }

    /// A plain scalar: up to `: `, ` #`, a flow indicator inside a flow collection, or a
    /// line less indented than the block it is in.
    fn plain(&mut self) {
        let indent = self.indent + 1;
        let mut crossed_a_line = false;
        loop {
            if self.column == 0 && self.document_marker() || self.byte(0) == b'#' {
                break;
            }
            while !self.blank_or_end_at(0) {
                let flow = self.flow_level > 0;
                let ends = match self.byte(0) {
                    // (`:` before a flow indicator is an error in libyaml; it stops.)
                    b':' => self.blank_or_end_at(1) || flow && b",?[]{}".contains(&self.byte(1)),
                    c => flow && b",[]{}".contains(&c),
                };
                if ends {
                    break;
                }
                self.skip();
            }
            if !(matches!(self.byte(0), b' ' | b'\t') || self.line_break_len(0) > 0) {
                break;
            }
            loop {
                if matches!(self.byte(0), b' ' | b'\t') {
                    self.skip();
                } else if self.skip_line_break() {
                    crossed_a_line = true;
                } else {
                    break;
                }
            }
            if self.flow_level == 0 && (self.column as isize) < indent {
                break;
            }
        }
        if crossed_a_line {
            self.simple_key_allowed = true;
        }
    }

    /// A single- or double-quoted scalar, its quotes included.
    fn quoted(&mut self, quote: u8) {
        self.skip();
        while self.at < self.text.len() {
            let c = self.byte(0);
            if quote == b'\'' && c == b'\'' && self.byte(1) == b'\'' {
                self.skip_n(2);
            } else if c == quote {
                self.skip();
                return;
            } else if quote == b'"' && c == b'\\' {
                self.skip();
                if !self.skip_line_break() {
                    self.skip();
                }
            } else if !self.skip_line_break() {
                self.skip();
            }
        }
    }

    /// A tag: `!<verbatim>`, or `!`, `!handle!` and a suffix.
    fn tag(&mut self) {
        if self.byte(1) == b'<' {
            self.skip_n(2);
            self.skip_while(|b| is_uri(b) || b",[]".contains(&b));
            if self.byte(0) == b'>' {
                self.skip();
            }
        } else {
            self.skip();
            self.skip_while(is_uri);
        }
    }

    /// A literal (`|`) or folded (`>`) scalar: its header line and the lines indented
    /// under it.
    fn block_scalar(&mut self) {
        self.skip();
        let mut increment = 0;
        for _ in 0..2 {
            match self.byte(0) {
                b'+' | b'-' => self.skip(),
                // (An indicator of 0 is an error in libyaml; it stops.)
                d @ b'1'..=b'9' if increment == 0 => {
                    increment = isize::from(d - b'0');
                    self.skip();
                }
                _ => break,
            }
        }
        self.skip_blanks_and_comment();
        if !self.skip_line_break() {
            // Anything else on the header line is an error in libyaml; it stops.
            return;
        }
        let mut indent = match increment {
            0 => 0,
            n if self.indent >= 0 => self.indent + n,
            n => n,
        };
        self.block_scalar_breaks(&mut indent);
        while self.column as isize == indent && self.at < self.text.len() {
            while !self.break_or_end_at(0) {
                self.skip();
            }
            if !self.skip_line_break() {
                break;
            }
            self.block_scalar_breaks(&mut indent);
        }
    }

    /// The indentation and empty lines before a block scalar's next line; sets `indent`
    /// from the first line when the header did not give it.
    fn block_scalar_breaks(&mut self, indent: &mut isize) {
        let mut max_indent = 0;
        loop {
            while (*indent == 0 || (self.column as isize) < *indent) && self.byte(0) == b' ' {
                self.skip();
            }
            max_indent = max_indent.max(self.column as isize);
            // (A tab in the indentation is an error in libyaml; it stops.)
            if !self.skip_line_break() {
                break;
            }
        }
        if *indent == 0 {
            *indent = max_indent.max(self.indent + 1).max(1);
        }
    }

    /// `---` or `...` followed by a blank, a line break or the end.
    fn document_marker(&self) -> bool {
        let rest = &self.text[self.at..];
        (rest.starts_with(b"---") || rest.starts_with(b"...")) && self.blank_or_end_at(3)
    }

    /// The byte `ahead` bytes on (0 past the end, which libyaml also reads as the end).
    fn byte(&self, ahead: usize) -> u8 {
        self.text.get(self.at + ahead).copied().unwrap_or(0)
    }

    /// The length of the line break `ahead` bytes on (libyaml's: CR, LF, CRLF, NEL, LS, PS),
    /// or 0.
    fn line_break_len(&self, ahead: usize) -> usize {
        let rest = self.text.get(self.at + ahead..).unwrap_or_default();
        match rest {
            [b'\r', b'\n', ..] => 2,
            [b'\r' | b'\n', ..] => 1,
            [0xC2, 0x85, ..] => 2,
            [0xE2, 0x80, 0xA8 | 0xA9, ..] => 3,
            _ => 0,
        }
    }

    fn break_or_end_at(&self, ahead: usize) -> bool {
        self.at + ahead >= self.text.len()
            || self.byte(ahead) == 0
            || self.line_break_len(ahead) > 0
    }

    fn blank_or_end_at(&self, ahead: usize) -> bool {
        matches!(self.byte(ahead), b' ' | b'\t') || self.break_or_end_at(ahead)
    }

    /// Steps over a line break, if one is next.
    fn skip_line_break(&mut self) -> bool {
        let len = self.line_break_len(0);
        if len > 0 {
            self.at += len;
            self.line += 1;
            self.column = 0;
        }
        len > 0
    }

    /// Steps over one character.
    fn skip(&mut self) {
        if let Some(&lead) = self.text.get(self.at) {
            self.at += match lead {
                0xF0.. => 4,
                0xE0.. => 3,
                0xC0.. => 2,
                _ => 1,
            };
            self.at = self.at.min(self.text.len());
            self.column += 1;
        }
    }

    fn skip_n(&mut self, n: usize) {
        for _ in 0..n {
            self.skip();
        }
    }

    /// Steps over spaces and tabs, and a comment after them, up to the line's end.
    fn skip_blanks_and_comment(&mut self) {
        self.skip_while(|b| b == b' ' || b == b'\t');
        if self.byte(0) == b'#' {
            while !self.break_or_end_at(0) {
                self.skip();
            }
        }
    }

    fn skip_while(&mut self, keep: impl Fn(u8) -> bool) {
        while self.at < self.text.len() && keep(self.byte(0)) {
            self.skip();
        }
    }
}

/// 1-based (line, column) of a mark.
fn position(mark: Mark) -> (usize, usize) {
    (mark.line + 1, mark.column + 1)
}

/// libyaml's letters of anchors and tag handles.
fn is_alpha(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// libyaml's characters of a tag (`,`, `[` and `]` only in a verbatim `!<…>` one).
fn is_uri(b: u8) -> bool {
    is_alpha(b) || b";/?:@&=+$.%!~*'()".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_the_first_bracket_past_the_limit() {
        // `x:` opens a block mapping (level 1); the 64th `[` is level 65.
        let yaml = format!("title: 글\nx: {}\n", "[".repeat(100_000));
        assert_eq!(too_deep(&yaml, MAX_DEPTH), Some((2, 4 + 63)));
        let fits = format!("x: {}1{}\n", "[".repeat(63), "]".repeat(63));
        assert_eq!(too_deep(&fits, MAX_DEPTH), None);
        let maps = format!("x: {}\n", "{a: ".repeat(100_000));
        assert_eq!(too_deep(&maps, MAX_DEPTH), Some((1, 4 + 63 * 4)));
        let e = check(Path::new("content/posts/a.md"), &yaml, 1).unwrap_err();
        let d = &e.diagnostics[0];
        assert_eq!((d.line, d.column), (Some(3), Some(67)), "{e}");
        assert!(d.message.contains("nested more than 64 deep"), "{e}");
    }

    #[test]
    fn refuses_deep_block_nesting() {
        // The first `-` is the value of `x:` at its own indentation, not a level deeper.
        let compact = format!("x:\n{}a\n", "- ".repeat(100_000));
        assert_eq!(too_deep(&compact, MAX_DEPTH), Some((2, 1 + 64 * 2)));
        let indented: String = (0..100)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect();
        assert_eq!(too_deep(&indented, MAX_DEPTH), Some((65, 65)));
    }

    /// Brackets that open nothing: in quoted, plain and block scalars, comments and tags.
    #[test]
    fn brackets_in_text_are_not_nesting() {
        let deep = "[".repeat(200);
        for yaml in [
            format!("title: \"{deep}\"\n"),
            format!("title: '{deep}'\ntags: ['{deep}', \"{deep}\"]\n"),
            format!("title: 공지 {deep}\n"),
            format!("title: a\n  {deep} continued\n"),
            format!("# {deep}\ntitle: a # {deep}\n"),
            format!("summary: |\n  {deep}\n  more\ntitle: b\n"),
            format!("summary: >-\n    {deep}\n\n    {deep}\n"),
            format!("x: !<tag:{deep}> a\n"),
            format!("- author: a\n  body: \"{deep}\\\n    {deep}\"\n"),
        ] {
            assert_eq!(too_deep(&yaml, MAX_DEPTH), None, "{yaml}");
        }
    }

    /// A quote inside a plain scalar starts no string: the brackets after it still count.
    #[test]
    fn a_quote_inside_plain_text_hides_nothing() {
        let deep = "[".repeat(100);
        let yaml = format!("title: it's\nx: {deep}\ny: '\n");
        assert_eq!(too_deep(&yaml, MAX_DEPTH), Some((2, 4 + 63)));
        let continued = format!("title: a\n  'b\nx: {deep}\ny: '\n");
        assert_eq!(too_deep(&continued, MAX_DEPTH), Some((3, 4 + 63)));
    }

    #[test]
    fn real_front_matter_passes() {
        for yaml in [
            "title: 고객 불만이 기회가 된 순간들\ndate: 2025-09-08\ntags: [고객, 불만]\n",
            "extra:\n  menu:\n    - {name: 홈, url: /}\n    - {name: 소개, url: /about/}\n",
            "- author: 손님\n  date: 2025-09-09\n  body: |\n    좋은 글 [링크](https://a.b)\n",
        ] {
            assert_eq!(too_deep(yaml, MAX_DEPTH), None, "{yaml}");
        }
    }
}
