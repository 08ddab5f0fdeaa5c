//! Jekyll 4's `Utils.slugify` in the two modes its addresses use: `default` (`:slug`,
//! `:name`, `:slugified_categories`) and `pretty` (`:title`). Not ilji's own slug rule
//! (`crate::slug`): this one copies Jekyll's, so that old addresses come out the same.

/// Which characters survive; the others, in runs, become one `-`.
#[derive(Clone, Copy)]
pub(super) enum Mode {
    /// Letters, marks and decimal digits (`[^\p{M}\p{L}\p{Nd}]+` is replaced).
    Default,
    /// Also `._~!$&'()+,;=@`, which read well in a URL.
    Pretty,
}

/// `Utils.slugify(text, mode:, cased:)`: runs of other characters become `-`, one `-` is
/// taken off each end, and the result is lower-cased unless `cased`.
pub(super) fn slugify(text: &str, mode: Mode, cased: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_run = false;
    for c in text.chars() {
        if kept(c, mode) {
            out.push(c);
            in_run = false;
        } else if !in_run {
            out.push('-');
            in_run = true;
        }
    }
    // Ruby's `gsub!(/^-|-$/, "")`: one hyphen at each end (a run is already one hyphen).
    let out = out.strip_prefix('-').unwrap_or(&out);
    let out = out.strip_suffix('-').unwrap_or(out);
    if cased {
        out.to_owned()
    } else {
        out.to_lowercase()
    }
}

fn kept(c: char, mode: Mode) -> bool {
    let word = c.is_alphabetic() || is_decimal_digit(c) || is_mark(c);
    match mode {
        Mode::Default => word,
        Mode::Pretty => word || "._~!$&'()+,;=@".contains(c),
    }
}

/// `\p{Nd}`: `char::is_numeric` less the other numbers (`²`, `½`, `①`), which Jekyll
/// replaces. (Letter numbers such as `Ⅻ` pass as letters: rare enough in a file name.)
fn is_decimal_digit(c: char) -> bool {
    c.is_numeric()
        && !matches!(c,
            '\u{00B2}' | '\u{00B3}' | '\u{00B9}'
            | '\u{00BC}'..='\u{00BE}'
            | '\u{2070}'..='\u{218F}'
            | '\u{2460}'..='\u{24FF}'
            | '\u{2776}'..='\u{2793}'
            | '\u{3192}'..='\u{3195}'
            | '\u{3220}'..='\u{3229}'
            | '\u{3248}'..='\u{324F}'
            | '\u{3251}'..='\u{325F}'
            | '\u{3280}'..='\u{3289}'
            | '\u{32B1}'..='\u{32BF}')
}

/// `\p{M}` for the marks text actually carries: combining accents and Hangul tone marks
/// (the letters of every script are `char::is_alphabetic`).
fn is_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{302A}'..='\u{302F}'
        | '\u{3099}'..='\u{309A}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FE20}'..='\u{FE2F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Examples of Jekyll's own documentation and test suite (`test/test_utils.rb`).
    #[test]
    fn slugifies_as_jekyll_does() {
        for (text, mode, cased, slug) in [
            (
                "The _config.yml file",
                Mode::Default,
                false,
                "the-config-yml-file",
            ),
            (
                "The _config.yml file",
                Mode::Pretty,
                false,
                "the-_config.yml-file",
            ),
            (
                "The _config.yml file?",
                Mode::Pretty,
                true,
                "The-_config.yml-file",
            ),
            ("blog[1]", Mode::Pretty, true, "blog-1"),
            ("Upper Case Name", Mode::Pretty, true, "Upper-Case-Name"),
            (
                "  Working with drafts   ",
                Mode::Default,
                false,
                "working-with-drafts",
            ),
            ("--- Keep -- inner ---", Mode::Default, false, "keep-inner"),
            (
                "symbols & (parens) #hash",
                Mode::Pretty,
                true,
                "symbols-&-(parens)-hash",
            ),
            (
                "한글 띄어쓰기 제목",
                Mode::Default,
                false,
                "한글-띄어쓰기-제목",
            ),
            ("머신 러닝", Mode::Default, false, "머신-러닝"),
            ("x²½", Mode::Default, false, "x"),
            ("café", Mode::Default, false, "café"),
            ("cafe\u{301}", Mode::Default, false, "cafe\u{301}"),
            ("٣ digits", Mode::Default, false, "٣-digits"),
            ("", Mode::Pretty, true, ""),
        ] {
            assert_eq!(slugify(text, mode, cased), slug, "{text:?}");
        }
    }
}
