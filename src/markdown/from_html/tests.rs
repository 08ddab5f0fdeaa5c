//! Unit tests of the HTML to Markdown conversion: inline content (text, emphasis, links,
//! code, breaks, escapes) and the round trip through ilji's own renderer. The markup is
//! written the way Tistory's editor writes it.

use super::*;

/// The Markdown of `html`, images kept where they are.
pub(super) fn md(html: &str) -> String {
    to_markdown(html, &mut |_| None).markdown
}

/// A paragraph as Tistory writes one.
fn p(inner: &str) -> String {
    md(&format!("<p data-ke-size=\"size16\">{inner}</p>"))
}

#[test]
fn paragraphs_lose_their_attributes_and_nbsp_padding() {
    let html = "<p data-ke-size=\"size16\">&nbsp;</p>\n<p data-ke-size=\"size16\" style=\"text-align: center;\">첫 문단.&nbsp;</p>\n<p data-ke-size=\"size16\"><br></p><p data-ke-size=\"size16\">&nbsp;둘째&nbsp;&nbsp; 문단</p><p></p>";
    assert_eq!(md(html), "첫 문단.\n\n둘째 문단\n");
}

#[test]
fn font_style_spans_are_unwrapped() {
    assert_eq!(
        p("<span style=\"color: #333333; font-family: 'Noto Sans';\">가게 <span style=\"font-size: 1.2em;\">이야기</span></span>"),
        "가게 이야기\n"
    );
    let wrapped = "<div class=\"tt_article_useless_p_margin contents_style\"><p data-ke-size=\"size16\">안</p><div class=\"contents_style\"><p>밖</p></div></div>";
    assert_eq!(md(wrapped), "안\n\n밖\n");
    // A span around paragraphs goes; the paragraphs stay.
    assert_eq!(
        md("<span style=\"font-family: serif;\"><p>하나</p><p>둘</p></span>"),
        "하나\n\n둘\n"
    );
}

#[test]
fn emphasis_next_to_korean_particles_is_markdown() {
    assert_eq!(p("고객 <b>불만</b>은 기회다"), "고객 **불만**은 기회다\n");
    assert_eq!(p("<b>“괜찮아요”</b>라고"), "**“괜찮아요”**라고\n");
    assert_eq!(
        p("<strong>마크다운(Markdown)</strong>을"),
        "**마크다운(Markdown)**을\n"
    );
    assert_eq!(p("<i>기울임</i>과 <em>강조</em>"), "*기울임*과 *강조*\n");
    assert_eq!(
        p("<s>취소</s>와 <strike>옛날</strike>, <del>삭제</del>"),
        "~~취소~~와 ~~옛날~~, ~~삭제~~\n"
    );
    assert_eq!(p("<u>밑줄</u>도"), "<u>밑줄</u>도\n");
    assert_eq!(p("<b><i>둘 다</i></b>"), "***둘 다***\n");
}

#[test]
fn emphasis_spaces_move_outside_and_runs_merge() {
    assert_eq!(p("가게<b> 이름 </b>입니다"), "가게 **이름** 입니다\n");
    assert_eq!(p("<b>하나</b><b>둘</b>"), "**하나둘**\n");
    assert_eq!(p("<b>굵게 <b>안쪽</b></b>"), "**굵게 안쪽**\n");
    assert_eq!(p("빈 <b> </b>강조"), "빈 강조\n");
    assert_eq!(p("<b>&nbsp;</b>"), "");
}

#[test]
fn emphasis_that_would_not_parse_is_written_as_html() {
    // `*x**y*` is one run of asterisks: the second pair is written as a tag.
    assert_eq!(p("<b>x</b><i>y</i>"), "**x**<em>y</em>\n");
    // Punctuation inside, a Latin letter outside: CommonMark would not close it.
    assert_eq!(p("a<b>(b)</b>c"), "a<strong>(b)</strong>c\n");
}

#[test]
fn links_keep_their_address_and_lose_target_and_rel() {
    assert_eq!(
        p("<a href=\"https://smartstore.example.com/shop/1\" target=\"_blank\" rel=\"noopener\">스토어</a>에서"),
        "[스토어](https://smartstore.example.com/shop/1)에서\n"
    );
    assert_eq!(
        p("<a href=\"https://example.com/a b(1)\" title=\"제목 &quot;따옴&quot;\">[공지]</a>"),
        "[\\[공지\\]](https://example.com/a%20b%281%29 \"제목 \\\"따옴\\\"\")\n"
    );
    // A link whose text is its address is written bare, as a writer types it.
    assert_eq!(
        p("<a href=\"https://example.com/x_y\">https://example.com/x_y</a>"),
        "<https://example.com/x_y>\n"
    );
    assert_eq!(p("<a href=\"javascript:alert(1)\">누르기</a>"), "누르기\n");
    assert_eq!(p("<a name=\"top\">맨 위</a>"), "맨 위\n");
    assert_eq!(p("<a href=\"https://example.com/\"> </a>"), "");
}

#[test]
fn breaks_are_hard_line_breaks() {
    assert_eq!(
        p("첫 줄<br>둘째 줄<br /><br />셋째 줄<br>"),
        "첫 줄\\\n둘째 줄\\\n셋째 줄\n"
    );
    assert_eq!(p("<br>앞의 줄바꿈"), "앞의 줄바꿈\n");
}

#[test]
fn inline_code_gets_a_fence_longer_than_its_backticks() {
    assert_eq!(p("<code>cargo build</code>로"), "`cargo build`로\n");
    assert_eq!(p("<code>a `b` c</code>"), "``a `b` c``\n");
    assert_eq!(p("<code>`</code>"), "`` ` ``\n");
}

#[test]
fn markdown_characters_in_text_are_escaped_where_they_would_be_markup() {
    assert_eq!(p("2 * 3 = 6, a*b*c"), "2 * 3 = 6, a\\*b\\*c\n");
    assert_eq!(p("snake_case 와 _밑줄_"), "snake_case 와 \\_밑줄\\_\n");
    assert_eq!(p("`코드 아님`"), "\\`코드 아님\\`\n");
    assert_eq!(p("&lt;div&gt; 와 a &lt; b"), "\\<div> 와 a < b\n");
    assert_eq!(p("&amp;amp; 와 R&amp;D"), "\\&amp; 와 R&D\n");
    assert_eq!(p("[공지] 와 [링크](아님)"), "[공지] 와 [링크\\](아님)\n");
    assert_eq!(p("안녕하세요~"), "안녕하세요~\n");
    assert_eq!(p("10~20명과 30~40명"), "10\\~20명과 30\\~40명\n");
    assert_eq!(p("C:\\Users 와 \\*"), "C:\\Users 와 \\\\\\*\n");
}

#[test]
fn what_would_start_a_block_is_escaped_at_a_line_start_only() {
    assert_eq!(p("# 해시태그 아님"), "\\# 해시태그 아님\n");
    assert_eq!(p("#태그"), "#태그\n");
    assert_eq!(
        p("- 목록 아님<br>+ 이것도<br>&gt; 인용 아님"),
        "\\- 목록 아님\\\n\\+ 이것도\\\n\\> 인용 아님\n"
    );
    assert_eq!(
        p("1. 번호 아님<br>2) 이것도"),
        "1\\. 번호 아님\\\n2\\) 이것도\n"
    );
    assert_eq!(p("2024. 12. 7. 토요일"), "2024\\. 12. 7. 토요일\n");
    assert_eq!(p("2024년 12. 7."), "2024년 12. 7.\n");
    assert_eq!(p("제목<br>==="), "제목\\\n\\===\n");
    assert_eq!(p("가운데 1. 은 그대로"), "가운데 1. 은 그대로\n");
}

#[test]
fn hangul_text_comes_out_as_written() {
    let text = "퇴사 후 마이크로 비즈니스를 운영하며 겪었던 고객 불만 사례와 그 대응 과정을 솔직하게 담았습니다. 배송 지연, 상품 설명 부족, 포장 불편 등 (다양한) 불만이 있었지만, “진심”이 통했다!";
    assert_eq!(p(text), format!("{text}\n"));
}

/// The text a reader sees, without any white space.
fn seen(html: &str) -> String {
    crate::html::plain_text(html, usize::MAX)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The text of the HTML a reader of the Tistory post saw, without any white space (and
/// without the "more" button, which the Markdown has no use for).
fn seen_in_tistory(html: &str) -> String {
    let document = scraper::Html::parse_fragment(html);
    let mut text = String::new();
    for node in document.root_element().descendants() {
        let hidden = node
            .ancestors()
            .filter_map(scraper::ElementRef::wrap)
            .any(|a| a.value().classes().any(|c| c == "btn-toggle-moreless"));
        if let (Some(t), false) = (node.value().as_text(), hidden) {
            text.push_str(t);
        }
    }
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn the_markdown_renders_back_to_the_same_text() {
    let html = include_str!("../../../tests/fixtures/import_html/roundtrip.html");
    let converted = md(html);
    let rendered = crate::markdown::render(&converted, &|_| None, str::to_owned).html;
    let back = seen(&rendered);
    assert_eq!(back, seen_in_tistory(html), "{converted}\n{rendered}");
    // And it is markup, not text: nothing of the Markdown shows.
    for literal in ["**", "\\", "](", "<b>", "data-ke"] {
        assert!(!back.contains(literal), "{literal} in {back}");
    }
    for tag in [
        "<strong>불만</strong>은",
        "<strong>“배송 지연”</strong>이었다",
        "<h2",
        "<ol>",
        "<blockquote>",
        "<hr />",
        "<table>",
        "<br />",
        "<img src=\"https://blog.kakaocdn.net/dn/bAbCd/btsXyZ/AbCdEf/img.png\"",
        "<code class=\"language-python\">",
    ] {
        assert!(rendered.contains(tag), "{tag} in {rendered}");
    }
}

#[test]
fn deep_nesting_does_not_exhaust_the_stack() {
    for (open, close) in [("<div><span>", "</span></div>"), ("<ul><li>", "</li></ul>")] {
        let html = format!("{}깊다{}", open.repeat(3_000), close.repeat(3_000));
        assert!(md(&html).contains("깊다"));
    }
}

#[test]
fn emphasis_always_renders_as_emphasis_whatever_is_around_it() {
    let sides = ["", "가", "a", "1", "(", ")", " ", "。", "“", "*", "_"];
    let insides = ["굵게", "(괄호)", "“따옴”", "a", "30%", "!", "가 나", "*별*"];
    for (tag, html_tag) in [("b", "strong"), ("i", "em"), ("s", "del")] {
        for before in sides {
            for inner in insides {
                for after in sides {
                    let html = format!("<p>앞{before}<{tag}>{inner}</{tag}>{after}뒤</p>");
                    let markdown = md(&html);
                    let rendered = crate::markdown::render_fragment(&markdown);
                    let want = format!("<{html_tag}>{inner}</{html_tag}>");
                    assert!(rendered.contains(&want), "{html}\n→ {markdown}→ {rendered}");
                    let text: String = seen(&rendered);
                    let original: String = format!("앞{before}{inner}{after}뒤")
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .collect();
                    assert_eq!(text, original, "{html}\n→ {markdown}→ {rendered}");
                }
            }
        }
    }
}

proptest::proptest! {
    /// Any text, with any of Markdown's special characters anywhere, renders back as itself.
    #[test]
    fn any_text_renders_back_as_itself(
        chars in proptest::collection::vec(proptest::sample::select(vec![
            '가', '나', ' ', 'a', '1', '9', '*', '_', '`', '[', ']', '(', ')', '<', '>', '!',
            '#', '-', '+', '=', '.', '|', '~', '&', ';', '\\', ':', '^', '\n', '\u{a0}', '“',
        ]), 0..40)
    ) {
        let text: String = chars.into_iter().collect();
        let html = format!("<p>{}</p><p>{}<br>{}</p>", crate::html::escape_html(&text),
            crate::html::escape_html(&text), crate::html::escape_html(&text));
        let markdown = md(&html);
        let rendered = crate::markdown::render_fragment(&markdown);
        let want: String = text.repeat(3).chars().filter(|c| !c.is_whitespace()).collect();
        proptest::prop_assert_eq!(seen(&rendered), want, "{:?} → {:?} → {:?}", html, markdown, rendered);
    }
}

proptest::proptest! {
    /// Any mix of emphasis, links, code and breaks around such text renders back as the
    /// same text.
    #[test]
    fn any_inline_markup_renders_back_as_its_text(
        tokens in proptest::collection::vec(proptest::sample::select(vec![
            "가", "a", " ", "*", "_", "~", "`", "[", "]", "(", ")", "!", "#", "-", "1.", "&lt;",
            "&nbsp;", "“", ".", "<b>", "</b>", "<i>", "</i>", "<s>", "</s>", "<u>", "</u>",
            "<a href=\"https://e.com/a\">", "</a>", "<code>", "</code>", "<br>",
            "<span style=\"color:red\">", "</span>",
        ]), 0..30)
    ) {
        let html = format!("<p>{}</p>", tokens.concat());
        let markdown = md(&html);
        let rendered = crate::markdown::render_fragment(&markdown);
        let document = scraper::Html::parse_fragment(&html);
        let want: String = document.root_element().text().collect::<String>()
            .chars().filter(|c| !c.is_whitespace()).collect();
        proptest::prop_assert_eq!(seen(&rendered), want, "{:?} → {:?} → {:?}", html, markdown, rendered);
    }
}

#[test]
fn what_the_property_tests_found_renders_back_as_its_text() {
    for html in [
        "<p>*\n</p>",
        "<p>* 별표 목록 아님</p>",
        "<p><a href=\"https://e.com/a\"><b>*</b><br></p>",
        "<p> <s>~</p>",
        "<p><span style=\"color:red\"><code>가</span>*</p>",
        "<p><b><i>*</i>*<i>*</p>",
        "<p>!<a href=\"https://e.com/a\">가</p>",
        "<p>*<br>가<i>*</p>",
        "<h2><hr>",
        "<ul><ul><li><hr>*",
        "<h2>~*<p>*~",
        "-- -",
        "_ _ _",
        "<ul>---+",
        "<ul>*|<ul>|<p>",
        "<ul><table><td><ul></table><ul>가가",
        "<figure class=\"imageblock\"><img src=\"a b.png\" alt=\"[*]\">*",
    ] {
        let markdown = md(html);
        let rendered = crate::markdown::render_fragment(&markdown);
        let document = scraper::Html::parse_fragment(html);
        let want: String = document
            .root_element()
            .text()
            .collect::<String>()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        assert_eq!(seen(&rendered), want, "{html} → {markdown} → {rendered}");
    }
}
