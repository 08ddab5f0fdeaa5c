//! The address Hugo published a page at, worked out as Hugo (v0.168) does: its section's
//! permalink pattern (Hugo's placeholders and Go date layouts such as `:2006/:01/:02`), else
//! its folder and slug or file name; Hugo's own `urlize` (punctuation dropped, not folded),
//! lower-cased unless `disablePathToLower`, `.html` with `uglyURLs`, and the language's
//! folder on a multilingual site. It reads nothing: the page's facts come in [`Facts`].

use chrono::{Datelike, NaiveDateTime, Timelike};

/// What Hugo knows of a page that its address can be made of.
pub(super) struct Facts<'a> {
    pub title: &'a str,
    pub slug: Option<&'a str>,
    /// The date as written in the front matter (its wall-clock time is what Hugo uses).
    pub date: Option<&'a str>,
    /// The bundle's folder name, or the file's name.
    pub base_name: &'a str,
    /// The folders from `content/` to the page (the bundle's parent for a bundle).
    pub folders: &'a [String],
    /// How many of `folders` are sections (the first always is; a folder below it is one
    /// when it has an `_index.md`).
    pub section_depth: usize,
}

/// How the site's config shapes addresses.
#[derive(Debug, Default, Clone)]
pub(super) struct Shape {
    pub lower_case: bool,
    pub ugly: bool,
}

/// Hugo's `urlize` of a title or name, before lower-casing (as Hugo v0.168 gives it):
/// letters, digits, marks and `. _ # ~ - @` kept, a run of spaces (or `+`, `/`, `\`)
/// becomes one `-`, every other character dropped (`C++ 입문: 첫걸음!` → `C-입문-첫걸음`).
pub(super) fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let (mut hyphen_pending, mut was_hyphen) = (false, false);
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let percent = c == '%'
            && chars.get(i + 1).is_some_and(char::is_ascii_hexdigit)
            && chars.get(i + 2).is_some_and(char::is_ascii_hexdigit);
        let allowed = matches!(c, '.' | '_' | '#' | '~' | '-' | '@')
            || is_letter_or_digit(c)
            || is_mark(c)
            || percent;
        if allowed {
            was_hyphen = c == '-';
            if hyphen_pending && !was_hyphen {
                out.push('-');
            }
            hyphen_pending = false;
            out.push(c);
        } else if !out.is_empty()
            && !was_hyphen
            && (c.is_whitespace() || matches!(c, '+' | '/' | '\\'))
        {
            hyphen_pending = true;
        }
    }
    out
}

/// Go's `unicode.IsLetter || IsDigit`: not numbers written as letters or signs (`Ⅻ`,
/// `①`, `²`), which Hugo drops.
fn is_letter_or_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    let number_sign = matches!(c, '\u{00B2}' | '\u{00B3}' | '\u{00B9}' | '\u{00BC}'..='\u{00BE}'
        | '\u{2070}'..='\u{209F}' | '\u{2150}'..='\u{218F}' | '\u{2460}'..='\u{24FF}'
        | '\u{2776}'..='\u{2793}' | '\u{3007}' | '\u{3021}'..='\u{3029}' | '\u{3220}'..='\u{3229}'
        | '\u{3248}'..='\u{324F}' | '\u{3251}'..='\u{325F}' | '\u{3280}'..='\u{3289}'
        | '\u{32B1}'..='\u{32BF}');
    c.is_alphanumeric() && !number_sign
}

/// Combining marks (Hangul Jamo composed in NFD, accents): kept by Hugo as letters are.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1160}'..='\u{11FF}' | '\u{302A}'..='\u{302F}'
        | '\u{3099}'..='\u{309A}' | '\u{FE20}'..='\u{FE2F}')
}

/// A permalink pattern filled in for one page (lower-casing and the rest are the caller's);
/// `None` when it uses a placeholder Hugo does not know either.
pub(super) fn expand(pattern: &str, page: &Facts) -> Option<String> {
    let date = page.date.and_then(wall_clock);
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(at) = rest.find(':') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let len = after
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .unwrap_or(after.len());
        let mut token_len = len;
        let mut cut = "";
        if after[len..].starts_with('[') {
            if let Some(end) = after[len..].find(']') {
                cut = &after[len..=len + end];
                token_len = len + end + 1;
            }
        }
        if len == 0 {
            out.push(':');
            rest = after;
            continue;
        }
        out.push_str(&placeholder(&after[..len], cut, page, date)?);
        rest = &after[token_len..];
    }
    out.push_str(rest);
    Some(out)
}

/// One placeholder's value (`cut`: the `[1:]` after `:sections`, or empty).
fn placeholder(name: &str, cut: &str, page: &Facts, date: Option<NaiveDateTime>) -> Option<String> {
    let title = || sanitize(page.title);
    let slug_or = |other: String| page.slug.map_or(other, sanitize);
    let d = date.unwrap_or_default();
    let sections = &page.folders[..page.section_depth.min(page.folders.len())];
    Some(match name {
        "year" => d.year().to_string(),
        "month" => format!("{:02}", d.month()),
        "monthname" => go_layout(d, "January"),
        "day" => format!("{:02}", d.day()),
        "weekday" => d.weekday().num_days_from_sunday().to_string(),
        "weekdayname" => go_layout(d, "Monday"),
        "yearday" => d.ordinal().to_string(),
        "section" | "sectionslug" => page
            .folders
            .first()
            .map_or_else(String::new, |f| sanitize(f)),
        "sections" | "sectionslugs" => {
            let parts: Vec<String> = cut_sections(sections, cut)
                .iter()
                .map(|f| sanitize(f))
                .collect();
            parts.join("/")
        }
        "title" => title(),
        "slug" => slug_or(title()),
        "filename" => sanitize(page.base_name),
        "slugorfilename" => slug_or(sanitize(page.base_name)),
        "contentbasename" => sanitize(page.base_name),
        "slugorcontentbasename" => slug_or(sanitize(page.base_name)),
        layout if go_layout(reference(), layout) != layout => go_layout(d, layout),
        _ => return None,
    })
}

/// `:sections[1:]`, `[last]`, `[0]`… as Hugo slices them (leniently).
fn cut_sections<'s>(sections: &'s [String], cut: &str) -> &'s [String] {
    let Some(inner) = cut.strip_prefix('[').and_then(|c| c.strip_suffix(']')) else {
        return sections;
    };
    let n = sections.len();
    let index = |s: &str, low: bool| match s.trim() {
        "" => Some(if low { 0 } else { n }),
        "last" => Some(n.saturating_sub(1)),
        s => s.parse::<usize>().ok().map(|i| i.min(n)),
    };
    match inner.split_once(':') {
        None => match index(inner, true) {
            Some(i) if i < n => &sections[i..=i],
            _ => &[],
        },
        Some((a, b)) => match (index(a, true), index(b, false)) {
            (Some(a), Some(b)) if a <= b => &sections[a..b],
            _ => &[],
        },
    }
}

/// Hugo's check that a placeholder is a date layout: the time whose every field differs
/// from Go's reference time.
fn reference() -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2019, 11, 9)
        .and_then(|d| d.and_hms_opt(23, 1, 42))
        .unwrap_or_default()
}

/// The date and time a front-matter date shows, as written (Hugo keeps its offset, so
/// `2018-05-11 01:34:00 +0900` is the 11th).
fn wall_clock(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    if let Some(d) = crate::content::dates::parse_with_offset(text) {
        return Some(d.naive_local());
    }
    crate::content::dates::parse_date(text, chrono_tz::UTC).map(|d| d.naive_local())
}

/// `time.Format(layout)` of Go for the parts a permalink can use: `2006 06 01 1 Jan January
/// 02 2 _2 002 Mon Monday 15 03 3 04 4 05 5 PM pm`; anything else is copied.
pub(super) fn go_layout(d: NaiveDateTime, layout: &str) -> String {
    const CHUNKS: [&str; 22] = [
        "January", "Monday", "2006", "__2", "_2", "002", "Jan", "Mon", "01", "02", "03", "04",
        "05", "06", "15", "PM", "pm", "1", "2", "3", "4", "5",
    ];
    let mut out = String::new();
    let mut rest = layout;
    'scan: while !rest.is_empty() {
        for chunk in CHUNKS {
            if let Some(after) = rest.strip_prefix(chunk) {
                out.push_str(&format_chunk(d, chunk));
                rest = after;
                continue 'scan;
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn format_chunk(d: NaiveDateTime, chunk: &str) -> String {
    let hour12 = match d.hour() % 12 {
        0 => 12,
        h => h,
    };
    match chunk {
        "January" => d.format("%B").to_string(),
        "Jan" => d.format("%b").to_string(),
        "Monday" => d.format("%A").to_string(),
        "Mon" => d.format("%a").to_string(),
        "2006" => format!("{:04}", d.year()),
        "06" => format!("{:02}", d.year() % 100),
        "01" => format!("{:02}", d.month()),
        "1" => d.month().to_string(),
        "02" => format!("{:02}", d.day()),
        "2" => d.day().to_string(),
        "_2" => format!("{:>2}", d.day()),
        "002" => format!("{:03}", d.ordinal()),
        "__2" => format!("{:>3}", d.ordinal()),
        "15" => format!("{:02}", d.hour()),
        "03" => format!("{hour12:02}"),
        "3" => hour12.to_string(),
        "04" => format!("{:02}", d.minute()),
        "4" => d.minute().to_string(),
        "05" => format!("{:02}", d.second()),
        "5" => d.second().to_string(),
        "PM" => (if d.hour() >= 12 { "PM" } else { "AM" }).to_owned(),
        "pm" => (if d.hour() >= 12 { "pm" } else { "am" }).to_owned(),
        other => other.to_owned(),
    }
}

/// Hugo's address of a page without `url:` or a permalink pattern: its folders and its slug
/// or name (`/posts/Go/x.md` → `/posts/go/x/`).
pub(super) fn default_path(page: &Facts) -> String {
    let mut out = String::from("/");
    for folder in page.folders {
        out.push_str(&sanitize(folder));
        out.push('/');
    }
    out.push_str(&page.slug.map_or_else(|| sanitize(page.base_name), sanitize));
    out.push('/');
    out
}

/// An expanded address as Hugo publishes it: lower-cased unless `disablePathToLower`, with
/// `.html` for `uglyURLs`, under the language's folder (`lang`, or empty).
pub(super) fn finish(path: &str, shape: &Shape, lang: &str) -> String {
    let mut path = if shape.lower_case {
        path.to_lowercase()
    } else {
        path.to_owned()
    };
    if !path.starts_with('/') {
        path.insert(0, '/');
    }
    if shape.ugly && path.len() > 1 && path.ends_with('/') {
        path.pop();
        path.push_str(".html");
    } else if !shape.ugly && !path.ends_with('/') && !last_has_extension(&path) {
        path.push('/');
    }
    if lang.is_empty() {
        path
    } else {
        format!("/{lang}{path}")
    }
}

fn last_has_extension(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlize_is_hugos() {
        // Each pair: a title and the address real Hugo v0.168.0 gave it under `/:title/`
        // (lower-casing left out).
        for (title, hugo) in [
            ("C++ 입문: 첫걸음!", "C-입문-첫걸음"),
            ("배열, 슬라이스 그리고 맵", "배열-슬라이스-그리고-맵"),
            ("a.b_c#d~e@f", "a.b_c#d~e@f"),
            ("a - - b", "a--b"),
            ("trail -", "trail-"),
            ("-lead", "-lead"),
            ("a+b c", "a-b-c"),
            ("a\\b", "a-b"),
            ("a / b", "a-b"),
            ("(a)", "a"),
            ("a=b", "ab"),
            ("x ~ y", "x-~-y"),
            ("a.. b", "a..-b"),
            ("① 첫째", "첫째"),
            ("Ⅻ roman", "roman"),
            ("1² 2³", "1-2"),
            ("‘따옴표’와 “인용”", "따옴표와-인용"),
            (
                "N (괄호)  두 칸 - 대시, 쉼표 & 앰퍼샌드",
                "N-괄호-두-칸-대시-쉼표-앰퍼샌드",
            ),
        ] {
            assert_eq!(sanitize(title), hugo, "{title}");
        }
    }

    #[test]
    fn go_date_layouts_fill_in() {
        let d = chrono::NaiveDate::from_ymd_opt(2023, 2, 5)
            .and_then(|d| d.and_hms_opt(7, 4, 9))
            .unwrap_or_default();
        assert_eq!(go_layout(d, "2006"), "2023");
        assert_eq!(go_layout(d, "01"), "02");
        assert_eq!(go_layout(d, "Jan"), "Feb");
        assert_eq!(go_layout(d, "200601"), "202302");
        assert_eq!(go_layout(d, "foo"), "foo");
    }
}
