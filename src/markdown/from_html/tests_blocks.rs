//! Unit tests of the HTML to Markdown conversion: Tistory's blocks (headings, lists,
//! quotes, code blocks, rules, figures, link cards, videos, tables), the notes, the
//! detection of pasted Tistory HTML and its conversion inside a Markdown body.

use super::tests::md;
use super::*;

#[test]
fn headings_keep_their_level() {
    let html = "<h2 data-ke-size=\"size26\">큰 제목</h2><h3 data-ke-size=\"size23\"><b>중간</b> 제목</h3><h4 data-ke-size=\"size20\">작은<br>제목 #</h4><h2>&nbsp;</h2>";
    assert_eq!(
        md(html),
        "## 큰 제목\n\n### **중간** 제목\n\n#### 작은 제목 \\#\n"
    );
}

#[test]
fn lists_nest_and_keep_their_numbers() {
    let html = "<ul style=\"list-style-type: disc;\" data-ke-list-type=\"disc\"><li>하나</li><li>둘<ol style=\"list-style-type: decimal;\" data-ke-list-type=\"decimal\"><li>둘-하나</li><li><p>둘-둘</p></li></ol></li><li>&nbsp;</li></ul>";
    assert_eq!(md(html), "- 하나\n- 둘\n  1. 둘-하나\n  2. 둘-둘\n");
    assert_eq!(
        md("<ol start=\"9\"><li>아홉</li><li>열</li></ol>"),
        "9. 아홉\n10. 열\n"
    );
    // A list put straight inside a list (as old editors did) belongs to the item before.
    assert_eq!(md("<ul><li>a</li><ul><li>b</li></ul></ul>"), "- a\n  - b\n");
    // Two lists in a row stay two.
    assert_eq!(
        md("<ul><li>a</li></ul><p>&nbsp;</p><ul><li>b</li></ul>"),
        "- a\n\n<!-- -->\n\n- b\n"
    );
    // An item of paragraphs.
    assert_eq!(
        md("<ol><li><p>첫</p><p>둘</p></li></ol>"),
        "1. 첫\n\n   둘\n"
    );
}

#[test]
fn quotes_of_every_tistory_style_are_markdown_quotes() {
    for style in ["style1", "style2", "style3"] {
        let html = format!(
            "<blockquote data-ke-style=\"{style}\"><br /><b>2. 인용</b><br>둘째 줄</blockquote>"
        );
        assert_eq!(md(&html), "> **2. 인용**\\\n> 둘째 줄\n");
    }
    assert_eq!(
        md("<blockquote><p>하나</p><p>둘</p></blockquote>"),
        "> 하나\n>\n> 둘\n"
    );
}

#[test]
fn code_blocks_keep_the_code_exact_and_its_language() {
    let html = "<pre id=\"code_1\" class=\"html xml\" data-ke-language=\"html\" data-ke-type=\"codeblock\"><code>&lt;div class=\"a\"&gt;\n    &lt;p&gt;안녕 &amp; ```&lt;/p&gt;\n&nbsp;\n\n&lt;/div&gt;</code></pre>";
    assert_eq!(
        md(html),
        "````html\n<div class=\"a\">\n    <p>안녕 & ```</p>\n\n\n</div>\n````\n"
    );
    let classed = "<pre class=\"java\" data-ke-type=\"codeblock\"><code>int a;</code></pre>";
    assert_eq!(md(classed), "```java\nint a;\n```\n");
    let highlighted = "<pre><code class=\"language-rust hljs\">fn main() {}<br>// 끝</code></pre>";
    assert_eq!(md(highlighted), "```rust\nfn main() {}\n// 끝\n```\n");
    assert_eq!(md("<pre>plain</pre>"), "```\nplain\n```\n");
    let hostile = "<pre data-ke-language=\"py\nthon`x\" data-ke-type=\"codeblock\">a</pre>";
    assert_eq!(md(hostile), "```pythonx\na\n```\n");
}

#[test]
fn the_summary_marker_stays_and_other_comments_go() {
    let html = "<p>요약</p><!--more--><p>본문<!-- 메모 --></p><!-- 끝 -->";
    assert_eq!(md(html), "요약\n\n<!-- more -->\n\n본문\n");
}

#[test]
fn rules_are_three_dashes() {
    let html = "<p>위</p><hr contenteditable=\"false\" data-ke-type=\"horizontalRule\" data-ke-style=\"style6\" /><p>아래</p>";
    assert_eq!(md(html), "위\n\n---\n\n아래\n");
}

const IMAGE: &str = "<figure class=\"imageblock alignCenter\" data-ke-mobileStyle=\"widthOrigin\" data-filename=\"가게.png\" data-origin-width=\"800\" data-origin-height=\"600\"><span data-url=\"https://blog.kakaocdn.net/dn/abc/img.png\" data-phocus=\"https://blog.kakaocdn.net/dn/abc/img.png\"><img src=\"https://blog.kakaocdn.net/dn/abc/img.png\" srcset=\"https://img1.daumcdn.net/thumb/R1280x0/?fname=x\" onerror=\"this.onerror=null; this.src='//t1.daumcdn.net/tistory_admin/static/images/no-image-v1.png';\" loading=\"lazy\" width=\"800\" height=\"600\" data-filename=\"가게.png\"/></span><figcaption>가게 \"앞\" [사진]</figcaption></figure>";

#[test]
fn an_image_block_is_an_image_with_its_caption() {
    assert_eq!(
        md(IMAGE),
        "![가게 \"앞\" \\[사진\\]](https://blog.kakaocdn.net/dn/abc/img.png \"가게 \\\"앞\\\" [사진]\")\n"
    );
    let mut asked = Vec::new();
    let out = to_markdown(IMAGE, &mut |src| {
        asked.push(src.to_owned());
        Some("images/가게 사진.png".to_owned())
    });
    assert_eq!(asked, ["https://blog.kakaocdn.net/dn/abc/img.png"]);
    assert!(out
        .markdown
        .starts_with("![가게 \"앞\" \\[사진\\]](images/가게%20사진.png \""));
    let alt = "<figure class=\"imageblock\"><span data-url=\"a.png\"><img src=\"a.png\" alt=\"대체 글\"></span></figure><figure class=\"imageblock\"><span data-url=\"b.png\"><img data-src=\"\"></span></figure>";
    assert_eq!(md(alt), "![대체 글](a.png)\n\n![](b.png)\n");
    let linked = "<figure class=\"imageblock\"><a href=\"https://example.com/\" target=\"_blank\"><img src=\"a.png\"></a></figure>";
    assert_eq!(md(linked), "[![](a.png)](https://example.com/)\n");
    // The old editor's image in a paragraph.
    let old = "<p><span class=\"imageblock\" style=\"display:inline-block;width:700px;\"><img src=\"c.jpg\" width=\"700\" /></span></p>";
    assert_eq!(md(old), "![](c.jpg)\n");
    let captioned = "<p style=\"text-align: center;\"><span class=\"imageblock\" style=\"display:inline-block;width:700px;height:auto;max-width:100%\"><img src=\"d.jpg\" style=\"cursor: pointer;max-width:100%;height:auto\" width=\"700\" filename=\"d.jpg\" filemime=\"image/jpeg\"/><span class=\"cap1\" style=\"display:block;width:700px;\">옛 캡션</span></span></p>";
    assert_eq!(md(captioned), "![옛 캡션](d.jpg \"옛 캡션\")\n");
}

#[test]
fn grid_and_slide_blocks_are_one_image_line_each() {
    let grid = "<figure class=\"imagegridblock\"><div class=\"image-container\"><span data-url=\"1.png\" style=\"width: 49%;\"><img src=\"1.png\"></span><span data-url=\"2.png\" style=\"width: 49%;\"><img src=\"2.png\"></span></div><figcaption>두 장</figcaption></figure>";
    assert_eq!(
        md(grid),
        "![두 장](1.png \"두 장\")\n\n![두 장](2.png \"두 장\")\n"
    );
    let slide = "<figure class=\"imageslideblock alignCenter\" data-ke-type=\"imageSlide\" data-ke-style=\"alignCenter\"><div class=\"image-container\"><span data-url=\"a.jpg\" data-phocus=\"a.jpg\"><img src=\"a.jpg\"></span><span data-url=\"b.jpg\"><img src=\"b.jpg\"></span></div><figcaption></figcaption></figure>";
    assert_eq!(md(slide), "![](a.jpg)\n\n![](b.jpg)\n");
}

#[test]
fn a_link_card_is_a_link_with_its_title() {
    let card = "<figure id=\"og_1\" contenteditable=\"false\" data-ke-type=\"opengraph\" data-ke-align=\"alignCenter\" data-og-type=\"website\" data-og-title=\"스마트스토어 &middot; 가게\" data-og-description=\"설명\" data-og-host=\"smartstore.example.com\" data-og-source-url=\"https://smartstore.example.com/shop/123\" data-og-url=\"https://smartstore.example.com/\" data-og-image=\"https://scrap.kakaocdn.net/x.jpg\"><a href=\"https://smartstore.example.com/shop/123\" target=\"_blank\" rel=\"noopener\" data-source-url=\"https://smartstore.example.com/shop/123\"><div class=\"og-image\" style=\"background-image: url('x');\">&nbsp;</div><div class=\"og-text\"><p class=\"og-title\" data-ke-size=\"size16\">스마트스토어 &middot; 가게</p><p class=\"og-desc\" data-ke-size=\"size16\">설명</p><p class=\"og-host\" data-ke-size=\"size16\">smartstore.example.com</p></div></a></figure>";
    assert_eq!(
        md(card),
        "[스마트스토어 · 가게](https://smartstore.example.com/shop/123)\n"
    );
    let bare = "<figure data-ke-type=\"opengraph\"><a href=\"https://example.com/\"><div class=\"og-text\"><p class=\"og-title\">제목만</p></div></a></figure>";
    assert_eq!(md(bare), "[제목만](https://example.com/)\n");
}

#[test]
fn videos_are_their_address_and_other_frames_stay_html_with_a_note() {
    let video = "<figure data-ke-type=\"video\" data-ke-style=\"alignCenter\" data-video-host=\"youtube\" data-video-url=\"https://www.youtube.com/embed/dQw4w9WgXcQ\" data-video-width=\"860\" data-video-height=\"484\"><iframe src=\"https://www.youtube.com/embed/dQw4w9WgXcQ\" width=\"860\" height=\"484\" frameborder=\"\" allowfullscreen=\"true\"></iframe><figcaption style=\"display: none;\"></figcaption></figure>";
    assert_eq!(md(video), "https://www.youtube.com/watch?v=dQw4w9WgXcQ\n");
    let frame = "<p><iframe src=\"//www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=30\"></iframe></p><iframe src=\"https://player.vimeo.com/video/76979871?h=8272103f6e\"></iframe>";
    assert_eq!(
        md(frame),
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=30s\n\nhttps://vimeo.com/76979871\n"
    );
    let map = "<iframe src=\"https://map.example.com/embed?q=가게\" width=\"600\" height=\"450\" style=\"border:0;\" onload=\"x()\"></iframe>";
    let out = to_markdown(map, &mut |_| None);
    assert_eq!(
        out.markdown,
        "<iframe src=\"https://map.example.com/embed?q=%EA%B0%80%EA%B2%8C\" width=\"600\" height=\"450\" allowfullscreen></iframe>\n"
    );
    assert_eq!(
        out.notes,
        ["kept an embedded iframe from map.example.com as HTML"]
    );
    let script = to_markdown("<iframe src=\"javascript:alert(1)\"></iframe>", &mut |_| {
        None
    });
    assert_eq!(script.markdown, "");
}

#[test]
fn scripts_are_dropped_and_said_so() {
    let out = to_markdown(
        "<p>글</p><script>alert(1)</script><style>p{}</style>",
        &mut |_| None,
    );
    assert_eq!(out.markdown, "글\n");
    assert_eq!(
        out.notes,
        ["dropped a <script> (ilji publishes no script from a post)"]
    );
}

#[test]
fn the_more_box_is_its_content() {
    let html = "<div data-ke-type=\"moreLess\" data-text-more=\"더보기\" data-text-less=\"닫기\"><a class=\"btn-toggle-moreless\">더보기</a><div class=\"moreless-content\"><p data-ke-size=\"size16\">숨은 글</p></div></div>";
    assert_eq!(md(html), "숨은 글\n");
}

#[test]
fn an_attachment_is_a_link_to_its_file() {
    let html = "<figure class=\"fileblock\" data-ke-align=\"alignCenter\"><a href=\"https://blog.kakaocdn.net/dn/x/menu.pdf?attach=1\" class=\"\"><div class=\"image\"></div><div class=\"desc\"><div class=\"filename\"><span class=\"name\">메뉴판.pdf</span></div><div class=\"size\">1.2MB</div></div></a></figure>";
    let out = to_markdown(html, &mut |_| Some("menu.pdf".to_owned()));
    assert_eq!(out.markdown, "[메뉴판.pdf](menu.pdf)\n");
}

#[test]
fn simple_tables_are_gfm_tables() {
    let html = "<table style=\"border-collapse: collapse; width: 100%;\" border=\"1\" data-ke-align=\"alignLeft\"><tbody><tr><td style=\"width: 50%;\">이름</td><td>값</td></tr><tr><td>a | b</td><td><p>둘</p><p>줄</p></td></tr><tr><td>하나뿐</td></tr></tbody></table>";
    assert_eq!(
        md(html),
        "| 이름 | 값 |\n| --- | --- |\n| a \\| b | 둘<br>줄 |\n| 하나뿐 | |\n"
    );
}

#[test]
fn tables_with_merged_cells_stay_html_without_styles() {
    let html = "<table style=\"width: 100%;\" data-ke-style=\"style12\"><tbody><tr><td colspan=\"2\" style=\"width: 100%;\"><span style=\"color: red;\">합친</span> 칸</td></tr><tr><td class=\"x\">a&lt;b</td><td><a href=\"https://example.com/\" target=\"_blank\">링크</a><script>x()</script></td></tr></tbody></table>";
    let out = to_markdown(html, &mut |_| None);
    assert_eq!(
        out.markdown,
        "<table><tbody><tr><td colspan=\"2\">합친 칸</td></tr><tr><td>a&lt;b</td><td><a href=\"https://example.com/\">링크</a></td></tr></tbody></table>\n"
    );
    assert_eq!(out.notes.len(), 1, "{:?}", out.notes);
}

#[test]
fn tistory_html_is_recognised_cheaply() {
    assert!(looks_like_tistory("<p data-ke-size=\"size16\">글</p>"));
    assert!(looks_like_tistory(
        "<div class=\"tt_article_useless_p_margin\">"
    ));
    assert!(looks_like_tistory(
        "<p><span class=\"imageblock\" style=\"x\"><img src=a></span></p>"
    ));
    assert!(!looks_like_tistory(
        "# 제목\n\n<div class=\"note\">그냥 HTML</div>\n"
    ));
    assert!(!looks_like_tistory("**굵게** 쓴 마크다운"));
}

#[test]
fn pasted_tistory_html_becomes_markdown_and_the_markdown_around_stays() {
    let body = "앞의 *마크다운* 문단.\n<p data-ke-size=\"size16\">티스토리 <b>문단</b></p>\n<p data-ke-size=\"size16\">&nbsp;</p>\n\n<h2 data-ke-size=\"size26\">제목</h2>\n\n## 마크다운 제목\n\n```html\n<p data-ke-size=\"size16\">코드 안은 그대로</p>\n```\n\n<div class=\"note\">다른 HTML</div>\n\n- <p data-ke-size=\"size16\">목록 안</p>\n";
    let out = convert_pasted(body, &mut |_| None);
    assert_eq!(
        out.markdown,
        "앞의 *마크다운* 문단.\n\n티스토리 **문단**\n\n## 제목\n\n## 마크다운 제목\n\n```html\n<p data-ke-size=\"size16\">코드 안은 그대로</p>\n```\n\n<div class=\"note\">다른 HTML</div>\n\n- <p data-ke-size=\"size16\">목록 안</p>\n"
    );
    let only = "<p data-ke-size=\"size16\">전부 HTML</p>";
    assert_eq!(convert_pasted(only, &mut |_| None).markdown, "전부 HTML\n");
}

proptest::proptest! {
    /// Any nesting of paragraphs, headings, lists, quotes, code, rules, tables, images and
    /// links around text with Markdown's special characters renders back as the same text.
    #[test]
    fn any_block_markup_renders_back_as_its_text(
        tokens in proptest::collection::vec(proptest::sample::select(vec![
            "가", "a", " ", "\n", "    ", "*", "-", "+", "#", ">", "1.", "2)", "`", "~", "=",
            "<p>", "</p>", "<h2>", "</h2>", "<ul>", "</ul>", "<ol>", "</ol>", "<li>", "</li>",
            "<blockquote>", "</blockquote>", "<pre>", "</pre>", "<hr>", "<div>", "</div>",
            "<br>", "<b>", "</b>", "&nbsp;", "|", "<table>", "<tr>", "<td>", "</td>", "</tr>",
            "</table>", "<td colspan=\"2\">", "<th>", "<img src=\"a b.png\" alt=\"[*]\">",
            "<figure class=\"imageblock\">", "</figure>", "<a href=\"https://e.com/(x)\">", "</a>",
        ]), 0..40)
    ) {
        let html = tokens.concat();
        let markdown = md(&html);
        let rendered = crate::markdown::render_fragment(&markdown);
        let document = scraper::Html::parse_fragment(&html);
        let want: String = document.root_element().text().collect::<String>()
            .chars().filter(|c| !c.is_whitespace()).collect();
        let got: String = crate::html::plain_text(&rendered, usize::MAX)
            .chars().filter(|c| !c.is_whitespace()).collect();
        proptest::prop_assert_eq!(got, want, "{:?} → {:?} → {:?}", html, markdown, rendered);
    }
}
