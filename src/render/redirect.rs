//! The page at an old address (`aliases:`), which sends browsers and search engines on to
//! the new one. Written directly, not themed: it is seen for an instant, if at all.

use super::linker::Linker;
use crate::html::escape_html;

/// The redirect page to `target` (a site-relative path).
pub fn page(linker: &Linker, target: &str) -> Vec<u8> {
    let url = escape_html(&linker.url(target));
    let permalink = escape_html(&linker.permalink(target));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>옮긴 글</title>\n<link rel=\"canonical\" href=\"{permalink}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={permalink}\">\n</head>\n<body>\n<p>이 글은 <a href=\"{url}\">새 주소</a>로 옮겼습니다.</p>\n</body>\n</html>\n",
        lang = escape_html(&linker.config.language),
    )
    .into_bytes()
}
