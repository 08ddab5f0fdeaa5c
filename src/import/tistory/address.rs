//! A Tistory post's addresses: the number in `https://<blog>.tistory.com/123`, the title
//! address `/entry/<title>` (read from the post's link when its source has it, else made
//! from the title as Tistory makes it), and the name of the ilji file it becomes.

use crate::slug::slugify;

/// The longest file name (in bytes, before the date) given to an imported post: file
/// systems stop at 255 bytes, and a Hangul title of 90 syllables is 270.
const MAX_NAME: usize = 120;

/// The path of a Tistory address (`https://x.tistory.com/entry/a?b#c` → `/entry/a`), or
/// `None` when it is not one (another scheme, no path).
pub(super) fn path_of(link: &str) -> Option<String> {
    let link = link.trim();
    let rest = link
        .strip_prefix("https://")
        .or_else(|| link.strip_prefix("http://"))?;
    let path = &rest[rest.find('/')?..];
    let path = path.split(['?', '#']).next().unwrap_or(path);
    (path.len() > 1).then(|| path.to_owned())
}

/// The blog's origin in a post's link (`https://x.tistory.com/123` → `https://x.tistory.com`):
/// images written from the blog's root (`/attachment/…`) are there.
pub(super) fn origin_of(link: &str) -> Option<String> {
    let link = link.trim();
    let scheme_end = link.find("://")? + 3;
    let host_end = link[scheme_end..]
        .find('/')
        .map_or(link.len(), |i| scheme_end + i);
    let host = &link[scheme_end..host_end];
    let is_web = link.starts_with("https://") || link.starts_with("http://");
    let plain = host
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || ".-:".contains(c));
    (is_web && plain && !host.is_empty()).then(|| link[..host_end].to_owned())
}

/// The post number of an address path (`/123`, `/m/123`), if it is the number form.
pub(super) fn number_of(path: &str) -> Option<u64> {
    let last = path.trim_end_matches('/').rsplit('/').next()?;
    let number_form = path.trim_start_matches("/m/").trim_matches('/') == last;
    (number_form && !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()))
        .then(|| last.parse().ok())
        .flatten()
}

/// The `/entry/<title>` alias of a post: from its address when that is the title form,
/// else the title as Tistory turns it into one. Percent-decoded, as `aliases:` are written.
pub(super) fn entry_alias(address: Option<&str>, title: &str) -> String {
    let from_address = address
        .and_then(|a| {
            let a = a.strip_prefix("/m").unwrap_or(a);
            a.strip_prefix("/entry/")
        })
        .map(|t| {
            percent_encoding::percent_decode_str(t.trim_end_matches('/'))
                .decode_utf8_lossy()
                .into_owned()
        })
        .filter(|t| !t.is_empty());
    let title = from_address.unwrap_or_else(|| title_address(title));
    format!("/entry/{title}")
}

/// The title address Tistory gives a post: spaces become `-`, letters, digits, `-` and
/// `_` stay, the other punctuation (`[ ] ( ) ? ! . , : ' "` …) is dropped. (Tistory keeps
/// runs of `-`; ilji's slug folds them, so the two differ and both are kept.)
pub(super) fn title_address(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    for c in title.trim().chars() {
        if c.is_whitespace() {
            out.push('-');
        } else if c.is_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
        }
    }
    out
}

/// The name of the ilji file (or bundle) of a post: its title slugified (Hangul kept),
/// shortened to a length every file system takes, or `post-<number>` for a title with no
/// letter or digit.
pub(super) fn file_name(title: &str, number: Option<u64>) -> String {
    let slug = slugify(title);
    if slug.is_empty() {
        return number.map_or_else(|| "post".to_owned(), |n| format!("post-{n}"));
    }
    let mut end = slug.len().min(MAX_NAME);
    while !slug.is_char_boundary(end) {
        end -= 1;
    }
    slug[..end].trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tistory_links_give_their_path_and_number() {
        assert_eq!(
            path_of("https://a.tistory.com/123").as_deref(),
            Some("/123")
        );
        assert_eq!(number_of("/123"), Some(123));
        assert_eq!(number_of("/m/45"), Some(45));
        assert_eq!(number_of("/entry/123"), None);
        let p = path_of("https://a.tistory.com/entry/%EC%95%88%EB%85%95-x?category=1#c").unwrap();
        assert_eq!(p, "/entry/%EC%95%88%EB%85%95-x");
        assert_eq!(entry_alias(Some(&p), "무시"), "/entry/안녕-x");
        assert_eq!(path_of("https://a.tistory.com/"), None);
        assert_eq!(
            origin_of("https://a.tistory.com/12").as_deref(),
            Some("https://a.tistory.com")
        );
        assert_eq!(origin_of("https://a@b.c/"), None);
        assert_eq!(path_of("javascript:alert(1)"), None);
    }

    #[test]
    fn the_title_address_drops_punctuation_and_joins_words() {
        assert_eq!(
            title_address("[Rust] 고객 불만, 기회가 된 순간들?!"),
            "Rust-고객-불만-기회가-된-순간들"
        );
        assert_eq!(entry_alias(Some("/123"), "a b"), "/entry/a-b");
    }

    #[test]
    fn file_names_are_slugs_of_a_length_file_systems_take() {
        assert_eq!(file_name("고객 불만, 기회!", Some(3)), "고객-불만-기회");
        assert_eq!(file_name("?!", Some(7)), "post-7");
        let long = "가".repeat(200);
        assert!(file_name(&long, None).len() <= MAX_NAME);
    }
}
