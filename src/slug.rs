//! Slugs and URL paths: Hangul kept, lower-case, spaces and punctuation folded into `-`;
//! and the percent-encoding used for every link ilji writes into HTML.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

/// A URL-safe name that keeps Korean readable: `고객 불만, 기회!` → `고객-불만-기회`.
///
/// Letters and digits of any script are kept (lower-cased); everything else becomes `-`,
/// runs of `-` fold into one and none lead or trail.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        if is_word_char(c) {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            // Hangul has no case, ASCII lower-cases by itself; the rest asks Unicode.
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else if ('\u{AC00}'..='\u{D7A3}').contains(&c) {
                out.push(c);
            } else {
                out.extend(c.to_lowercase());
            }
        } else {
            pending_dash = true;
        }
    }
    out
}

/// Letters and digits of any script, and `_`; Hangul syllables checked first because they are
/// most of what we see and the general Unicode lookup is slow for them.
fn is_word_char(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}' | 'a'..='z' | 'A'..='Z' | '0'..='9' | '_')
        || (!c.is_ascii() && c.is_alphanumeric())
}

/// Characters escaped in a URL path (besides everything non-ASCII, which is always escaped).
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']');

/// Percent-encodes a root-relative path for use in `href`: `/posts/고객/` → `/posts/%EA%B3%A0%EA%B0%9D/`.
pub fn encode_path(path: &str) -> String {
    // Pieces pushed straight into the string: through `Display` every `%XX` of a Korean
    // path would be a formatter call of its own.
    let mut out = String::with_capacity(path.len() * 3);
    for piece in utf8_percent_encode(path, PATH) {
        out.push_str(piece);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_hangul_and_folds_punctuation() {
        assert_eq!(
            slugify("퇴사 후 마이크로 비즈니스 운영 일지"),
            "퇴사-후-마이크로-비즈니스-운영-일지"
        );
        assert_eq!(slugify("  Hello, World!! "), "hello-world");
        assert_eq!(
            slugify("퇴사 후 얻은 ‘관계’ 였다"),
            "퇴사-후-얻은-관계-였다"
        );
        assert_eq!(slugify("1년 운영"), "1년-운영");
        assert_eq!(slugify("ÉCOLE Straße ΣΟΦΊΑ 가Ⅻ"), "école-straße-σοφία-가ⅻ");
    }

    #[test]
    fn encodes_paths() {
        assert_eq!(encode_path("/posts/가/"), "/posts/%EA%B0%80/");
        assert_eq!(encode_path("/a b?/"), "/a%20b%3F/");
    }
}
