//! One paragraph's inline content (or a heading's, or a table cell's) gathered as
//! [`Piece`]s and written as Markdown: white space folded as a browser folds it (`&nbsp;`
//! padding too), emphasis that would not parse written as HTML instead, and only the
//! characters escaped that would otherwise become markup, so that Korean text reads as a
//! person would type it.
//!
//! It knows nothing of the HTML tree: `blocks` walks it and calls the `push_*` methods.

use super::escape::{class, code_span, escape_line_starts, escape_text, Class, Context};

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

    /// Takes the space or line break that ends the text so far, to be put after a closing
    /// (`**굵게 **` and a break right before `**` or `]` do not parse).
    fn take_trailing_gap(&mut self) -> Option<Piece> {
        if self.pieces.last() == Some(&Piece::Break) {
            return self.pieces.pop();
        }
        self.take_trailing_space()
            .then(|| Piece::Text(" ".to_owned()))
    }

    fn put_back(&mut self, gap: Option<Piece>) {
        match gap {
            Some(Piece::Break) => self.pieces.push(Piece::Break),
            Some(_) => self.push_text(" "),
            None => {}
        }
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
        let gap = self.take_trailing_gap();
        if self.pieces.last() == Some(&Piece::Open(mark)) {
            self.pieces.pop();
        } else {
            self.pieces.push(Piece::Close(mark));
        }
        self.put_back(gap);
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
        let gap = self.take_trailing_gap();
        if self.pieces.last() == Some(&Piece::LinkOpen) {
            self.pieces.pop();
        } else {
            self.pieces.push(Piece::LinkClose(destination));
        }
        self.put_back(gap);
    }

    pub(super) fn push_code(&mut self, code: &str) {
        let folded: Vec<&str> = code
            .split(|c: char| c.is_ascii_whitespace() || c == '\u{a0}')
            .filter(|w| !w.is_empty())
            .collect();
        if folded.is_empty() {
            return;
        }
        // Two code spans side by side would make one run of backticks: they are one span.
        match self.pieces.last_mut() {
            Some(Piece::Code(code)) => code.push_str(&folded.join(" ")),
            _ => self.pieces.push(Piece::Code(folded.join(" "))),
        }
    }

    /// A `<br>`: a hard break in a paragraph, a space in a heading, `<br>` in a table cell.
    pub(super) fn push_break(&mut self) {
        match self.mode {
            Mode::Heading => self.push_text(" "),
            Mode::Cell | Mode::Paragraph => {
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
        let written = |all_html: bool| {
            let text = write(&pieces, self.mode, all_html);
            match self.mode {
                Mode::Paragraph => escape_line_starts(&text),
                _ => text,
            }
        };
        let markdown = written(false);
        if renders_as_meant(&markdown, &pieces) {
            Some(markdown)
        } else {
            Some(written(true))
        }
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
        Piece::Break => Some('\\'),
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

/// Whether ilji's renderer makes of `markdown` the emphasis of `pieces` and shows their
/// `*`, `_`, `~`, `` ` `` and `\\` as text: delimiters next to delimiters and escapes can
/// pair in ways the flanking rules above do not foresee, and then every emphasis is
/// written as an HTML tag.
fn renders_as_meant(markdown: &str, pieces: &[Piece]) -> bool {
    let html = crate::markdown::render_fragment(markdown);
    let text = crate::html::plain_text(&html, usize::MAX);
    let marks = |m: Mark| pieces.iter().filter(|p| **p == Piece::Open(m)).count();
    let tags = |m: Mark| html.matches(&format!("<{}>", m.tag())).count();
    let in_pieces = |c: char| -> usize {
        pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) | Piece::Code(t) => t.matches(c).count(),
                _ => 0,
            })
            .sum()
    };
    [Mark::Strong, Mark::Emphasis, Mark::Strike]
        .into_iter()
        .all(|m| tags(m) == marks(m))
        && ['*', '_', '~', '`', '\\']
            .into_iter()
            .all(|c| text.matches(c).count() == in_pieces(c))
}

fn write(pieces: &[Piece], mode: Mode, all_html: bool) -> String {
    let tildes = pieces
        .iter()
        .map(|p| match p {
            Piece::Text(t) => t.matches('~').count(),
            _ => 0,
        })
        .sum::<usize>()
        > 1
        || pieces.contains(&Piece::Open(Mark::Strike));
    let as_markdown = match all_html {
        true => vec![false; pieces.len()],
        false => markdown_pairs(pieces),
    };
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
                    all: all_html,
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
            Piece::Break if mode == Mode::Cell => out.push_str("<br>"),
            Piece::Break => out.push_str("\\\n"),
            Piece::Verbatim(v) => out.push_str(v),
        }
    }
    out
}
