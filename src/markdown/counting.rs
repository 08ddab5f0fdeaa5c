//! Counting a text as a reader reads it: Hangul and other CJK characters one by one, other
//! scripts by words; and the reading time those counts make.

/// Korean is read at about 500 characters a minute; Latin-script text at about 230 words.
const HANGUL_CHARS_PER_MINUTE: usize = 500;
const WORDS_PER_MINUTE: usize = 230;

/// What the reading time counts: Hangul and other CJK characters, and words (runs of
/// letters or digits) of other scripts.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Counts {
    pub(super) cjk: usize,
    pub(super) words: usize,
}

/// [`Counts`] of one text on its own (a word does not go on from the text before it).
pub(super) fn count_chars(t: &str) -> Counts {
    let mut cjk = 0;
    let mut words = 0;
    let bytes = t.as_bytes();
    let mut in_word = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        // (CJK, letter or digit, length) of the character at `i`. Most of a Korean text
        // is Hangul syllables (U+AC00..U+D7A3), three bytes long in UTF-8; those led by
        // 0xEB or 0xEC (U+B000..U+CFFF) and ASCII need no decoding, and the other
        // three-byte characters (the rest of CJK among them) are decoded here directly.
        let (cjk_char, alnum, len) = if (0xEB..=0xEC).contains(&b) {
            (true, false, 3)
        } else if b < 0x80 {
            (false, b.is_ascii_alphanumeric(), 1)
        } else if (0xE0..0xF0).contains(&b) {
            let c = (u32::from(b & 0x0F) << 12)
                | (u32::from(bytes[i + 1] & 0x3F) << 6)
                | u32::from(bytes[i + 2] & 0x3F);
            let cjk_char = is_cjk(c);
            let alnum = !cjk_char && char::from_u32(c).is_some_and(char::is_alphanumeric);
            (cjk_char, alnum, 3)
        } else {
            let c = t[i..].chars().next().unwrap_or('\0');
            (is_cjk(u32::from(c)), c.is_alphanumeric(), c.len_utf8())
        };
        i += len;
        if cjk_char {
            cjk += 1;
            in_word = false;
        } else if alnum {
            words += usize::from(!in_word);
            in_word = true;
        } else {
            in_word = false;
        }
    }
    Counts { cjk, words }
}

fn is_cjk(c: u32) -> bool {
    matches!(c,
        0xAC00..=0xD7A3 // Hangul syllables
        | 0x1100..=0x11FF | 0x3130..=0x318F // Hangul jamo
        | 0x4E00..=0x9FFF | 0x3400..=0x4DBF // CJK ideographs (hanja)
        | 0x3040..=0x30FF) // kana
}

/// Minutes to read, rounded up, at least one.
pub(super) fn reading_minutes(cjk: usize, words: usize) -> usize {
    let seconds = cjk * 60 / HANGUL_CHARS_PER_MINUTE + words * 60 / WORDS_PER_MINUTE;
    seconds.div_ceil(60).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::tests::render_to_string as render;

    #[test]
    fn counts_korean_by_characters_and_latin_by_words() {
        let r = render("가나다 라마 hello world");
        assert_eq!(r.word_count, 5 + 2);
        assert_eq!(r.reading_time, 1);
        let long = "가".repeat(1500);
        assert_eq!(render(&long).reading_time, 3);
    }

    #[test]
    fn counting_by_bytes_matches_counting_by_characters() {
        // The plain definition: each CJK character counts; a run of other letters or
        // digits is one word.
        fn by_chars(text: &str) -> (usize, usize) {
            let (mut cjk, mut words, mut in_word) = (0, 0, false);
            for c in text.chars() {
                if is_cjk(u32::from(c)) {
                    cjk += 1;
                    in_word = false;
                } else if c.is_alphanumeric() {
                    words += usize::from(!in_word);
                    in_word = true;
                } else {
                    in_word = false;
                }
            }
            (cjk, words)
        }
        for text in [
            "고객 불만을 처리한 날, 3번째 ㄱㄴ ᄀᄁ 漢字 かな カナ",
            "café naïve Привет мир 123abc é",
            "emoji 🙂 between 가🙂나 and ①② ½ …— “quoted” 힣",
            "\u{3000}가\u{a0}나\u{2003}x",
        ] {
            let c = count_chars(text);
            assert_eq!((c.cjk, c.words), by_chars(text), "{text}");
        }
    }
}
