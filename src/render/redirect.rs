//! The page at an old address (`aliases:`), which sends browsers and search engines on to
//! the new one. Written directly, not themed: it is seen for an instant, if at all.

use super::linker::Linker;
use crate::html::escape_html;

/// What a redirect page stands for, to say in Korean: a post's old address (`aliases:`) or
/// any page's (`redirects:` of site.yaml: a category, a list, a post).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moved {
    Post,
    Page,
}

/// The redirect page to `target` (a site-relative path), in the site's language: English
/// for `en` (`en-GB`…), else Korean.
pub fn page(linker: &Linker, target: &str, what: Moved) -> Vec<u8> {
    let url = escape_html(&linker.url(target));
    let permalink = escape_html(&linker.permalink(target));
    let language = &linker.config.language;
    let english = language
        .get(..2)
        .is_some_and(|l| l.eq_ignore_ascii_case("en"))
        && matches!(language.as_bytes().get(2), None | Some(b'-' | b'_'));
    let (title, moved) = if english {
        (
            "Moved",
            format!("This page has moved to <a href=\"{url}\">its new address</a>."),
        )
    } else if what == Moved::Post {
        (
            "옮긴 글",
            format!("이 글은 <a href=\"{url}\">새 주소</a>로 옮겼습니다."),
        )
    } else {
        (
            "옮긴 페이지",
            format!("이 페이지는 <a href=\"{url}\">새 주소</a>로 옮겼습니다."),
        )
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<link rel=\"canonical\" href=\"{permalink}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={permalink}\">\n</head>\n<body>\n<p>{moved}</p>\n</body>\n</html>\n",
        lang = escape_html(language),
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page_in(language: &str) -> String {
        page_of(language, Moved::Post)
    }

    fn page_of(language: &str, what: Moved) -> String {
        let config = crate::config::Config::parse(
            std::path::Path::new("site.yaml"),
            &format!("language: {language}\nbase_url: https://example.org/\n"),
        )
        .expect("config");
        String::from_utf8(page(&Linker::new(&config), "posts/새-글/", what)).expect("utf-8")
    }

    #[test]
    fn the_page_speaks_the_sites_language() {
        for english in ["en", "en-GB", "EN_us"] {
            let html = page_in(english);
            assert!(html.contains("<title>Moved</title>"), "{english}: {html}");
            assert!(
                html.contains("This page has moved to <a href=\"/posts/"),
                "{html}"
            );
        }
        for korean in ["ko", "ko-KR", "ja", "eng"] {
            let html = page_in(korean);
            assert!(html.contains("<title>옮긴 글</title>"), "{korean}: {html}");
        }
        assert!(page_in("en").contains("url=https://example.org/posts/"));
    }

    #[test]
    fn an_old_list_address_is_a_page_not_a_post_in_korean() {
        let html = page_of("ko", Moved::Page);
        assert!(html.contains("<title>옮긴 페이지</title>"), "{html}");
        assert!(html.contains("이 페이지는 <a href=\"/posts/"), "{html}");
        assert!(page_of("en", Moved::Page).contains("This page has moved"));
    }
}
