//! One paragraph's inline content (or a heading's, or a table cell's) gathered as
//! [`Piece`]s and written as Markdown: white space folded as a browser folds it (`&nbsp;`
//! padding too), emphasis that would not parse written as HTML instead, and only the
//! characters escaped that would otherwise become markup, so that Korean text reads as a
//! person would type it.
//!
//! It knows nothing of the HTML tree: `blocks` walks it and calls the `push_*` methods.

/// A kind of emphasis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mark {
    Strong,
    Emphasis,
    Strike,
}

impl Mark {
    fn delimiter(self) -> &'static str {
        match self {
            Mark::Strong => "**",
            Mark::Emphasis => "*",
            Mark::Strike => "~~",
        }
    }

    fn tag(self) -> &'static str {
        match self {
            Mark::Strong => "strong",
            Mark::Emphasis => "em",
            Mark::Strike => "del",
        }
    }
}

/// Where the inline content goes: the line breaks and the escapes differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Paragraph,
    /// One line: a `<br>` is a space.
    Heading,
    /// One line: a `<br>` is `<br>`, and `|` is escaped.
    Cell,
}

#[derive(Debug, Clone, PartialEq)]
enum Piece {
    /// Text as the reader sees it: entities decoded, white space folded; never empty.
    Text(String),
    Open(Mark),
    Close(Mark),
    LinkOpen,
    /// The end of a link, with its Markdown destination (and title) already written.
    LinkClose(String),
    Code(String),
    Break,
    /// Markdown or HTML written as it is (an image, `<u>`).
    Verbatim(String),
}

/// A character's kind, as CommonMark's emphasis rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Space,
    Punctuation,
    /// Hangul, Han and kana: the CJK-friendly rules let emphasis end next to them.
    Cjk,
    Other,
}

fn class(c: Option<char>) -> Class {
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

fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11FF}' | '\u{3040}'..='\u{30FF}' | '\u{3130}'..='\u{318F}'
        | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}'
        | '\u{F900}'..='\u{FAFF}')
}

/// A paragraph's inline content while the tree is walked.
#[derive(Debug)]
pub(super) struct Inline {
    mode: Mode,
    pieces: Vec<Piece>,
    /// Open emphasis of each kind (an inner `<b>` inside a `<b>` adds nothing).
    open: [usize; 3],
    links: usize,
}

impl Inline {
    pub(super) fn new(mode: Mode) -> Inline {
        Inline {
            mode,
            pieces: Vec::new(),
            open: [0; 3],
            links: 0,
        }
    }

    fn at_line_start(&self) -> bool {
        matches!(self.pieces.last(), None | Some(Piece::Break))
    }

    /// Whether the text so far ends with white space (or nothing), looking through the
    /// openings of emphasis and links.
    fn ends_in_space(&self) -> bool {
        for piece in self.pieces.iter().rev() {
            match piece {
                Piece::Open(_) | Piece::LinkOpen => continue,
                Piece::Text(t) => return t.ends_with(' '),
                Piece::Break => return true,
                _ => return false,
            }
        }
        true
    }

    /// Text of the HTML: runs of white space and `&nbsp;` become one space.
    pub(super) fn push_text(&mut self, text: &str) {
        let mut folded = String::with_capacity(text.len());
        let mut space = self.ends_in_space();
        for c in text.chars() {
            if c.is_ascii_whitespace() || c == '\u{a0}' {
                if !space {
                    folded.push(' ');
                    space = true;
                }
            } else {
                folded.push(c);
                space = false;
            }
        }
        if folded.is_empty() {
            return;
        }
        if let Some(rest) = folded.strip_prefix(' ') {
            self.push_space();
            if rest.is_empty() {
                return;
            }
            folded = rest.to_owned();
        }
        match self.pieces.last_mut() {
            Some(Piece::Text(t)) => t.push_str(&folded),
            _ => self.pieces.push(Piece::Text(folded)),
        }
    }

    /// A space, written before the emphasis or link just opened (`** 굵게**` does not parse).
    fn push_space(&mut self) {
        if self.ends_in_space() {
            return;
        }
        let at = self
            .pieces
            .iter()
            .rposition(|p| !matches!(p, Piece::Open(_) | Piece::LinkOpen))
            .map_or(0, |i| i + 1);
        if at > 0 {
            if let Piece::Text(t) = &mut self.pieces[at - 1] {
                t.push(' ');
                return;
            }
        }
        self.pieces.insert(at, Piece::Text(" ".to_owned()));
    }

    /// Takes the space that ends the text so far, if any.
    fn take_trailing_space(&mut self) -> bool {
        if let Some(Piece::Text(t)) = self.pieces.last_mut() {
            if t.ends_with(' ') {
                t.pop();
                if t.is_empty() {
                    self.pieces.pop();
                }
                return true;
            }
        }
        false
    }

    /// Opens emphasis; returns whether it did (inside the same kind it does not).
    pub(super) fn open(&mut self, mark: Mark) -> bool {
        self.open[mark as usize] += 1;
        if self.open[mark as usize] > 1 {
            return false;
        }
        // `<b>a</b><b>b</b>` is one run of bold: `**ab**`.
        if self.pieces.last() == Some(&Piece::Close(mark)) {
            self.pieces.pop();
        } else {
            self.pieces.push(Piece::Open(mark));
        }
        true
    }

    /// Closes what [`Inline::open`] opened when it returned `true`.
    pub(super) fn close(&mut self, mark: Mark, opened: bool) {
        self.open[mark as usize] -= 1;
        if !opened {
            return;
        }
        let space = self.take_trailing_space();
        if self.pieces.last() == Some(&Piece::Open(mark)) {
            self.pieces.pop();
        } else {
            self.pieces.push(Piece::Close(mark));
        }
        if space {
            self.push_text(" ");
        }
    }

    pub(super) fn in_link(&self) -> bool {
        self.links > 0
    }

    pub(super) fn open_link(&mut self) {
        self.links += 1;
        self.pieces.push(Piece::LinkOpen);
    }

    /// Closes a link to `destination` (written as Markdown: `(url "title")`); a link with
    /// nothing in it goes.
    pub(super) fn close_link(&mut self, destination: String) {
        self.links -= 1;
        let space = self.take_trailing_space();
        if self.pieces.last() == Some(&Piece::LinkOpen) {
            self.pieces.pop();
        } else {
            self.pieces.push(Piece::LinkClose(destination));
        }
        if space {
            self.push_text(" ");
        }
    }

    pub(super) fn push_code(&mut self, code: &str) {
        let folded: Vec<&str> = code
            .split(|c: char| c.is_ascii_whitespace() || c == '\u{a0}')
            .filter(|w| !w.is_empty())
            .collect();
        if !folded.is_empty() {
            self.pieces.push(Piece::Code(folded.join(" ")));
        }
    }

    /// A `<br>`: a hard break in a paragraph, a space in a heading, `<br>` in a table cell.
    pub(super) fn push_break(&mut self) {
        match self.mode {
            Mode::Heading => self.push_text(" "),
            Mode::Cell => self.push_verbatim("<br>"),
            Mode::Paragraph => {
                self.take_trailing_space();
                if !self.at_line_start() {
                    self.pieces.push(Piece::Break);
                }
            }
        }
    }

    pub(super) fn push_verbatim(&mut self, text: &str) {
        self.pieces.push(Piece::Verbatim(text.to_owned()));
    }

    /// The Markdown of what was pushed, `None` when it holds nothing to see; the pieces are
    /// taken, so that the same `Inline` gathers the next paragraph.
    pub(super) fn finish(&mut self) -> Option<String> {
        let mut pieces = std::mem::take(&mut self.pieces);
        self.open = [0; 3];
        self.links = 0;
        while matches!(pieces.last(), Some(Piece::Break)) {
            pieces.pop();
        }
        if let Some(Piece::Text(t)) = pieces.last_mut() {
            let len = t.trim_end().len();
            t.truncate(len);
        }
        pieces.retain(|p| !matches!(p, Piece::Text(t) if t.is_empty()));
        if pieces.iter().all(|p| match p {
            Piece::Text(t) => t.trim().is_empty(),
            Piece::Break | Piece::Open(_) | Piece::Close(_) => true,
            _ => false,
        }) {
            return None;
        }
        let text = write(&pieces, self.mode);
        Some(match self.mode {
            Mode::Paragraph => escape_line_starts(&text),
            _ => text,
        })
    }
}

/// The first character a piece is written with.
fn first_char(piece: Option<&Piece>) -> Option<char> {
    match piece? {
        Piece::Text(t) | Piece::Verbatim(t) => t.chars().next(),
        Piece::Open(m) | Piece::Close(m) => m.delimiter().chars().next(),
        Piece::LinkOpen => Some('['),
        Piece::LinkClose(_) => Some(']'),
        Piece::Code(_) => Some('`'),
        Piece::Break => Some('\n'),
    }
}

fn last_char(piece: Option<&Piece>) -> Option<char> {
    match piece? {
        Piece::Text(t) | Piece::Verbatim(t) => t.chars().last(),
        Piece::Open(m) | Piece::Close(m) => m.delimiter().chars().last(),
        Piece::LinkOpen => Some('['),
        Piece::LinkClose(_) => Some(')'),
        Piece::Code(_) => Some('`'),
        Piece::Break => Some('\n'),
    }
}

/// Whether a delimiter run between `before` and `after` can open (CommonMark's left-
/// flanking, with the CJK-friendly amendment: punctuation next to Hangul does not stop it).
fn can_open(before: Class, after: Class) -> bool {
    after != Class::Space
        && (after != Class::Punctuation
            || matches!(before, Class::Space | Class::Punctuation | Class::Cjk))
}

fn can_close(before: Class, after: Class) -> bool {
    before != Class::Space
        && (before != Class::Punctuation
            || matches!(after, Class::Space | Class::Punctuation | Class::Cjk))
}

/// For each opening of emphasis, whether it and its closing are written as Markdown
/// delimiters (else as HTML tags).
fn markdown_pairs(pieces: &[Piece]) -> Vec<bool> {
    let mut as_markdown = vec![true; pieces.len()];
    let mut stack: Vec<usize> = Vec::new();
    for (i, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Open(_) => stack.push(i),
            Piece::Close(_) => {
                let Some(open) = stack.pop() else { continue };
                let before = class(last_char(open.checked_sub(1).and_then(|j| pieces.get(j))));
                let first = class(first_char(pieces.get(open + 1)));
                let last = class(last_char(pieces.get(i - 1)));
                let after = class(first_char(pieces.get(i + 1)));
                // A closing right before an opening would make one run of `*`s.
                let glued = open > 0 && matches!(pieces[open - 1], Piece::Close(_));
                let ok = !glued && can_open(before, first) && can_close(last, after);
                as_markdown[open] = ok;
                as_markdown[i] = ok;
            }
            _ => {}
        }
    }
    as_markdown
}

fn write(pieces: &[Piece], mode: Mode) -> String {
    let tildes = pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t) => t.matches('~').count(),
            _ => 0,
        })
        .sum::<usize>()
        > 1;
    let as_markdown = markdown_pairs(pieces);
    let mut out = String::new();
    let mut links = 0usize;
    for (i, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Text(t) => {
                let context = Context {
                    before: out.chars().last(),
                    after: first_char(pieces.get(i + 1)),
                    in_link: links > 0,
                    tildes,
                    cell: mode == Mode::Cell,
                };
                escape_text(&mut out, t, &context);
            }
            Piece::Open(m) if as_markdown[i] => out.push_str(m.delimiter()),
            Piece::Close(m) if as_markdown[i] => out.push_str(m.delimiter()),
            Piece::Open(m) => out.push_str(&format!("<{}>", m.tag())),
            Piece::Close(m) => out.push_str(&format!("</{}>", m.tag())),
            Piece::LinkOpen => {
                links += 1;
                out.push('[');
            }
            Piece::LinkClose(destination) => {
                links = links.saturating_sub(1);
                out.push_str("](");
                out.push_str(destination);
                out.push(')');
            }
            Piece::Code(code) => out.push_str(&code_span(code, mode == Mode::Cell)),
            Piece::Break => out.push_str("\\\n"),
            Piece::Verbatim(v) => out.push_str(v),
        }
    }
    out
}

struct Context {
    before: Option<char>,
    after: Option<char>,
    in_link: bool,
    /// The paragraph has two `~` or more, which could pair into strikethrough.
    tildes: bool,
    cell: bool,
}

/// Writes text with a backslash before each character that would otherwise be markup here.
fn escape_text(out: &mut String, text: &str, cx: &Context) {
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
            '*' => !spaced,
            '_' => !(spaced || is_word(before) && is_word(after)),
            '~' => cx.tildes && !spaced,
            '`' => true,
            '[' => cx.in_link || after == Some('^'),
            ']' => cx.in_link || matches!(after, Some('(' | '[' | ':')),
            '<' => after.is_some_and(|a| a.is_ascii_alphabetic() || matches!(a, '/' | '!' | '?')),
            '&' => looks_like_entity(&chars[i + 1..]),
            '|' => cx.cell,
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
fn code_span(code: &str, cell: bool) -> String {
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
fn escape_line_starts(text: &str) -> String {
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
    let block_start = (1..=6).contains(&hashes) && spaced_after(hashes)
        || matches!(bytes.first(), Some(b'-' | b'+')) && spaced_after(1)
        || only(b'=')
        || only(b'-')
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
