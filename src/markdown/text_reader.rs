//! The plain-text reader of pulldown-cmark's events: the words a reader sees, one at a time
//! (for the search index), and their [`Counts`] (for the word count and reading time).
//!
//! It reads events as they go by and keeps none but a word cut across two of them.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::counting::{count_chars, Counts};
use crate::html::decode_entity;

/// Reads the text a reader sees in events, one at a time: calls `f` with each of its words,
/// in order, and counts it ([`Counts`], from [`TextReader::finish`]).
///
/// A word is the text between white space. Inline markup does not end a word (`**고객**을` is
/// one word, as is `<b>고객</b>을` in raw HTML); blocks, line breaks and table cells do. An
/// image's alt text, footnote markers and task-list boxes are not words; raw HTML gives words
/// by the text between its tags, entities decoded.
///
/// The counts are those of the text and code of the events, alt text included and raw HTML
/// not, each event's text on its own.
pub(super) struct TextReader<F> {
    words: TextWords<F>,
    in_image: usize,
}

impl<F: FnMut(&str)> TextReader<F> {
    pub(super) fn new(f: F) -> Self {
        TextReader {
            words: TextWords {
                pending: String::new(),
                in_tag: false,
                f,
                counts: Counts::default(),
            },
            in_image: 0,
        }
    }

    pub(super) fn read(&mut self, event: &Event) {
        let words = &mut self.words;
        match event {
            Event::Text(t) | Event::Code(t) if self.in_image == 0 => words.text(t, true),
            Event::Text(t) | Event::Code(t) => {
                let c = count_chars(t);
                words.counts.cjk += c.cjk;
                words.counts.words += c.words;
            }
            Event::Html(raw) | Event::InlineHtml(raw) => words.html(raw),
            Event::Start(Tag::Image { .. }) => self.in_image += 1,
            Event::End(TagEnd::Image) => self.in_image = self.in_image.saturating_sub(1),
            Event::Start(
                Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. },
            )
            | Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link,
            )
            | Event::FootnoteReference(_)
            | Event::TaskListMarker(_) => {}
            Event::Start(_) | Event::End(_) | Event::SoftBreak | Event::HardBreak | Event::Rule => {
                words.end()
            }
            _ => {}
        }
    }

    /// Ends the last word; the counts of all that was read.
    pub(super) fn finish(mut self) -> Counts {
        self.words.end();
        self.words.counts
    }
}

/// The state of [`TextReader`]: a word that may go on in the next event, and the counts.
struct TextWords<F> {
    pending: String,
    /// Inside a raw HTML tag that an event break cut (`<div` then `class="x">`).
    in_tag: bool,
    f: F,
    counts: Counts,
}

impl<F: FnMut(&str)> TextWords<F> {
    /// Ends the word being read, if any.
    fn end(&mut self) {
        if !self.pending.is_empty() {
            (self.f)(&self.pending);
            self.pending.clear();
        }
    }

    /// Reads plain text, counting it when `count`. A word that ends inside it is given
    /// straight from it, unless an earlier event began the word.
    fn text(&mut self, t: &str, count: bool) {
        let mut i = 0;
        while i < t.len() {
            let stretch = next_space(t, i);
            let end = stretch.end;
            if count {
                // Only a stretch with letters or digits outside Hangul needs a second look.
                if stretch.hangul_only {
                    self.counts.cjk += stretch.hangul;
                } else {
                    let c = count_chars(&t[i..end]);
                    self.counts.cjk += c.cjk;
                    self.counts.words += c.words;
                }
            }
            if end == t.len() {
                self.pending.push_str(&t[i..]);
                return;
            }
            if self.pending.is_empty() {
                if end > i {
                    (self.f)(&t[i..end]);
                }
            } else {
                self.pending.push_str(&t[i..end]);
                self.end();
            }
            i = end + stretch.space;
        }
    }

    /// Reads raw HTML: the text between its tags, entities decoded (not counted).
    fn html(&mut self, raw: &str) {
        let mut rest = raw;
        while !rest.is_empty() {
            if self.in_tag {
                match rest.find('>') {
                    Some(k) => {
                        self.in_tag = false;
                        rest = &rest[k + 1..];
                    }
                    None => return,
                }
                continue;
            }
            let stop = rest.find(['<', '&']).unwrap_or(rest.len());
            self.text(&rest[..stop], false);
            rest = &rest[stop..];
            if let Some(after) = rest.strip_prefix('&') {
                let (c, skip) = decode_entity(after);
                self.text(c.encode_utf8(&mut [0; 4]), false);
                rest = &after[skip..];
            } else if !rest.is_empty() {
                self.in_tag = true;
                rest = &rest[1..];
            }
        }
    }
}

/// A stretch of text up to white space, as [`next_space`] finds it.
struct Stretch {
    /// Where the white space after it starts (the text's length if none).
    end: usize,
    /// The length of that white space in bytes (0 at the end).
    space: usize,
    /// Its Hangul syllables.
    hangul: usize,
    /// It has nothing but Hangul syllables and ASCII marks (no letters or digits otherwise):
    /// its [`Counts`] are `hangul` CJK characters and no words.
    hangul_only: bool,
}

/// The stretch from `i` in `t` up to the first white space. Hangul syllables (three bytes led
/// by 0xEA..=0xED) are stepped over whole, and counted.
// Inlined however the compiler weighs it: without the hint it once came out of `text` with a
// bounds test of its own, 1.3 million instructions more in a 1,000-post build.
#[inline(always)]
fn next_space(t: &str, mut i: usize) -> Stretch {
    let bytes = t.as_bytes();
    let mut hangul = 0;
    let mut hangul_only = true;
    while i < bytes.len() {
        let b = bytes[i];
        // Most of a Korean text: syllables led by 0xEB or 0xEC (U+B000..U+CFFF, all Hangul),
        // tested before the general match (a jump through a table on every character).
        if b.wrapping_sub(0xEB) < 2 {
            hangul += 1;
            i += 3;
            continue;
        }
        match b {
            // U+A000..U+AFFF and U+D000..U+DFFF: Hangul from U+AC00 (0xEA 0xB0 ..) and up to
            // U+D7A3 (0xED 0x9E 0xA3).
            0xEA | 0xED => {
                let (b1, b2) = (bytes[i + 1], bytes[i + 2]);
                let syllable = if b == 0xEA {
                    b1 >= 0xB0
                } else {
                    b1 < 0x9E || (b1 == 0x9E && b2 <= 0xA3)
                };
                hangul += usize::from(syllable);
                hangul_only &= syllable;
                i += 3;
            }
            b' ' | b'\n' | b'\t' | b'\r' | 0x0B | 0x0C => {
                return Stretch {
                    end: i,
                    space: 1,
                    hangul,
                    hangul_only,
                }
            }
            // The lead bytes of the other white space: U+0085, U+00A0, U+1680, U+2000..U+205F
            // and U+3000.
            0xC2 | 0xE1 | 0xE2 | 0xE3 => {
                let c = t[i..].chars().next().unwrap_or('x');
                if c.is_whitespace() {
                    return Stretch {
                        end: i,
                        space: c.len_utf8(),
                        hangul,
                        hangul_only,
                    };
                }
                hangul_only = false;
                i += c.len_utf8();
            }
            0..0x80 => {
                hangul_only &= !b.is_ascii_alphanumeric();
                i += 1;
            }
            _ => {
                hangul_only = false;
                i += 1;
            }
        }
    }
    Stretch {
        end: bytes.len(),
        space: 0,
        hangul,
        hangul_only,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::options;
    use pulldown_cmark::Parser;

    /// [`TextReader`] over a list of events.
    fn read_text(events: &[Event], f: impl FnMut(&str)) -> Counts {
        let mut reader = TextReader::new(f);
        for event in events {
            reader.read(event);
        }
        reader.finish()
    }

    fn text_words(markdown: &str) -> Vec<String> {
        let events: Vec<Event> = Parser::new_ext(markdown, options()).collect();
        let mut out = Vec::new();
        read_text(&events, |w| out.push(w.to_owned()));
        out
    }

    #[test]
    fn words_are_the_text_a_reader_sees() {
        // Inline markup goes on with the word; white space of every kind ends it.
        assert_eq!(
            text_words("**고객**을 _천천히_,\u{a0}꾸준히\u{3000}[만나](/x)고 `code span`"),
            ["고객을", "천천히,", "꾸준히", "만나고", "code", "span"]
        );
        // Blocks, line breaks and table cells end a word.
        assert_eq!(
            text_words("## 제목 {#own}\n\n첫째\n둘째  \n셋째\n\n| 항목 | 이전 |\n|---|---|\n| 배송 | 2 |\n\n- 하나\n- 둘"),
            ["제목", "첫째", "둘째", "셋째", "항목", "이전", "배송", "2", "하나", "둘"]
        );
        // Entities are decoded; alt text, footnote markers and task boxes are not text.
        assert_eq!(
            text_words("R&amp;D ![대체 글](a.png) 말[^1]이다\n\n- [x] 끝\n\n[^1]: 주석"),
            ["R&D", "말이다", "끝", "주석"]
        );
        // Raw HTML counts by the text between its tags, even a tag cut across lines.
        assert_eq!(
            text_words("<b>고객</b>을 만나 &lt;3\n\n<div\nclass=\"x\">\n가 &amp; 나\n</div>"),
            ["고객을", "만나", "<3", "가", "&", "나"]
        );
        assert!(text_words("").is_empty());
        assert!(text_words("  \n\n ").is_empty());
    }

    #[test]
    fn counts_are_those_of_each_text_event_on_its_own() {
        // The old definition: every Text and Code event (alt text included, raw HTML not),
        // counted by characters, each on its own.
        for markdown in [
            "고객 **응대**를 hello**world** 3번째, R&amp;D 가나다라 힣 깋 가 퓨",
            "![대체 글 alt](a.png) 말[^1]이다\n\n[^1]: note 주석\n\n- [x] task 끝",
            "<b>raw 고객</b>을 `code 코드` 漢字 かな\u{a0}é\u{3000}x ꀀ 힤",
            "| a | 1 |\n|---|---|\n| 콘텐츠 | 43 |\n\n```\nfn 함수() {}\n```\n",
            "",
        ] {
            let events: Vec<Event> = Parser::new_ext(markdown, options()).collect();
            let mut expected = Counts::default();
            for e in &events {
                if let Event::Text(t) | Event::Code(t) = e {
                    let c = count_chars(t);
                    expected.cjk += c.cjk;
                    expected.words += c.words;
                }
            }
            assert_eq!(read_text(&events, |_| {}), expected, "{markdown}");
        }
    }
}
