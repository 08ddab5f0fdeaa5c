//! Markdown as a post's page shows it: summaries (front matter, the `<!-- more -->`
//! marker, else the first paragraph), Hangul heading ids and the table of contents,
//! reading time counted in Hangul characters, and GitHub's extensions (tables, footnotes,
//! strikethrough, task lists).

use crate::support::{percent, Site};

#[test]
fn summaries_come_from_front_matter_more_marker_or_first_paragraph() {
    let site = Site::fixture("markdown/summaries");
    site.build().run();
    let home = site.page("/");
    assert!(home.contains("손으로 쓴 요약입니다"));
    assert!(!home.contains("본문의 첫 문단입니다"));
    assert!(home.contains("앞부분 하나.") && home.contains("앞부분 둘."));
    assert!(!home.contains("뒷부분은 요약이 아닙니다"));
    assert!(home.contains("첫 문단만 요약입니다."));
    assert!(!home.contains("둘째 문단은 아닙니다"));
}

/// A post as a Korean writer moving from Hugo wrote it: bold next to particles, Hugo's
/// `<!--more-->`, pasted addresses. (Issue 25, items 1 and 2.)
#[test]
fn korean_emphasis_bare_addresses_and_hugos_more_marker() {
    let site = Site::fixture("markdown/korean-writing");
    site.build().run();
    let html = site.page("/posts/moved/");
    for bold in ["마크다운(Markdown)", "“괜찮아요”", "30%"] {
        assert!(
            html.contains(&format!("<strong>{bold}</strong>")),
            "{bold}: {html}"
        );
    }
    assert!(!html.contains("**"), "{html}");
    for (href, text) in [
        (
            "https://smartstore.example.com/shop/123",
            "https://smartstore.example.com/shop/123",
        ),
        (
            "https://smartstore.example.com/order/7",
            "https://smartstore.example.com/order/7",
        ),
        ("mailto:shop@example.co.kr", "shop@example.co.kr"),
    ] {
        let link = format!("<a href=\"{href}\">{text}</a>");
        assert!(html.contains(&link), "{link}: {html}");
    }
    assert!(
        html.contains("</a>에서 하세요") && html.contains("</a>으로."),
        "{html}"
    );
    assert!(
        html.contains("<code>https://code.example.com</code>"),
        "{html}"
    );
    let home = site.page("/");
    assert!(home.contains("<strong>30%</strong>나 됩니다"), "{home}");
    assert!(
        !home.contains("자세한 안내는"),
        "the summary ends at <!--more-->: {home}"
    );
}

#[test]
fn headings_get_hangul_ids_and_a_table_of_contents() {
    let site = Site::fixture("markdown/headings");
    site.build().run();
    let html = site.page("/posts/toc/");
    assert!(html.contains(r#"id="1-고객-불만""#), "{html}");
    assert!(html.contains(r#"id="세부-사항""#));
    assert!(
        html.contains(r##"href="#1-고객-불만""##) || html.contains(&percent("#1-고객-불만")),
        "the table of contents links the heading"
    );
}

/// The default theme's `partials/toc.html` as it was before ilji made `page.toc_html`: three
/// nested loops over `page.toc`.
const TOC_BY_LOOPS: &str = r##"{#- Table of contents: `page.toc`, three levels deep. -#}
<ol>
{%- for a in page.toc %}
  <li><a href="#{{ a.id }}">{{ a.title }}</a>
  {%- if a.children %}
    <ol>
    {%- for b in a.children %}
      <li><a href="#{{ b.id }}">{{ b.title }}</a>
      {%- if b.children %}
        <ol>
        {%- for c in b.children %}
          <li><a href="#{{ c.id }}">{{ c.title }}</a></li>
        {%- endfor %}
        </ol>
      {%- endif %}
      </li>
    {%- endfor %}
    </ol>
  {%- endif %}
  </li>
{%- endfor %}
</ol>
"##;

#[test]
fn the_table_of_contents_html_is_what_the_loops_over_toc_print() {
    let site = Site::fixture("markdown/toc-levels");
    site.build().run();
    let made = site.page("/posts/toc/");
    assert!(
        made.contains(
            "<li><a href=\"#1-고객-불만-답\">1. 고객 &lt;불만&gt; &amp; &quot;답&quot;</a>"
        ),
        "{made}"
    );
    assert!(
        made.contains("\n          <li><a href=\"#넷째-단계\">넷째 단계</a></li>"),
        "{made}"
    );
    assert!(
        !made.contains("href=\"#다섯째는-목록에-없음\""),
        "three levels deep"
    );

    site.write("templates/partials/toc.html", TOC_BY_LOOPS);
    site.build().run();
    assert_eq!(site.page("/posts/toc/"), made);
}

#[test]
fn reading_time_counts_hangul_characters() {
    let site = Site::fixture("markdown/reading-time");
    site.build().run();
    let long = site.page("/posts/long/");
    assert!(
        long.contains("3분"),
        "1500 Hangul characters read in 3 minutes"
    );
    assert!(!long.contains("1분"));
    assert!(site.page("/posts/short/").contains("1분"));
}

#[test]
fn tables_footnotes_strikethrough_and_task_lists_render() {
    let site = Site::fixture("markdown/gfm");
    site.build().run();
    let html = site.page("/posts/gfm/");
    assert!(
        html.contains("<table>") && html.contains("<td>비누</td>"),
        "table"
    );
    assert!(html.contains("footnote-reference"), "footnote reference");
    assert!(
        html.contains("footnote-definition") && html.contains("각주 내용."),
        "footnote"
    );
    assert!(html.contains("<del>취소된 계획</del>"), "strikethrough");
    assert!(
        html.contains(r#"type="checkbox""#) && html.contains("checked"),
        "task list"
    );
}
