//! `ilji import` converts a Jekyll post's Liquid and kramdown extras (issue 25, item 3):
//! `{% highlight %}` becomes a fenced block, `{% raw %}` markers go, `{% post_url %}` and
//! `{% link %}` lead to the imported post's new address (so `check` sees them),
//! `{{ site.baseurl }}` and `relative_url` go, a width after an image makes it an `<img>`,
//! other attribute lists and `{:toc}` go, math (`$$…$$`, `$…$`) comes out intact, code is
//! untouched, `{% include_relative %}` brings in files of the old blog and nothing outside
//! it, `{% include %}` becomes the HTML Jekyll renders from `_includes/` (and reads nothing
//! outside the old blog), and the note names only the tags left as text.
//!
//! The old blogs are `tests/fixtures/import_liquid/jekyll/`, `…/includes/blog/` and
//! `…/underscore/blog/`.

use crate::support::{fixture, Site};

/// The text of a file the import wrote.
fn written(site: &Site, rel: &str) -> String {
    std::fs::read_to_string(site.root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn imported() -> (Site, crate::support::Output) {
    let site = Site::new().file(
        "site.yaml",
        "title: 새 블로그\nbase_url: https://example.org/\n",
    );
    let old = fixture("import_liquid/jekyll").display().to_string();
    let run = site.ilji(["import", &old]).run();
    (site, run)
}

#[test]
fn liquid_tags_become_markdown_and_the_site_builds() {
    let (site, run) = imported();
    let hello = written(&site, "content/posts/2010-07-21-hello.md");
    assert!(
        hello.contains("````ruby\ndef hello\n    puts \"``` 안녕\"\nend\n````\n"),
        "{hello}"
    );
    assert!(
        hello.contains("<img src=\"/assets/logo.png\" alt=\"로고\" width=\"150\">\n"),
        "{hello}"
    );
    assert!(hello.contains("![사진](/assets/photo.png)\n"), "{hello}");
    assert!(hello.contains("[둘째](/posts/second/), [파일로](/posts/second/)"));
    assert!(hello.contains("[없는 글]({% post_url 2000-01-01-gone %})"));
    assert!(hello.contains("\n{{ 이대로 }}\n"), "{hello}");
    assert!(hello.contains("`{{ site.url }}` 는 코드입니다."));
    assert!(!hello.contains("TOC") && !hello.contains("{:"), "{hello}");
    let second = written(&site, "content/posts/2016-07-26-second.md");
    assert!(second.contains("[안녕](/posts/hello/)\n"), "{second}");
    assert!(second.contains("[소개](/about/)\n"), "{second}");
    assert!(!second.contains("{:"), "{second}");
    // `LDA` and `lda` share /posts/lda/ until import tells them apart: the link goes to
    // the old address, which redirects to the right one.
    assert!(
        second.contains("[작은 lda](/2013/01/01/lda.html)"),
        "{second}"
    );

    // The note names what is left, and only that.
    let stderr = &run.stderr;
    assert!(
        stderr.contains("uses Liquid (post_url, include), which ilji shows as text"),
        "{stderr}"
    );
    assert!(stderr.contains("{% post_url 2000-01-01-gone %} names no imported post"));
    assert_eq!(stderr.matches("uses Liquid").count(), 1, "{stderr}");

    site.build().run();
    let page = site.page("/posts/hello/");
    assert!(
        page.contains(
            "<code class=\"language-ruby\">def hello\n    puts \"``` 안녕\"\nend\n</code>"
        ),
        "{page}"
    );
    assert!(page.contains("href=\"/posts/second/\""), "{page}");
    assert!(
        page.contains("<a href=\"/assets/data.txt\">자료</a>"),
        "{page}"
    );
    assert!(page.contains("$$a*b_1$$ 과 $$c*d_1$$ 를"), "{page}");
    assert!(site.page("/about/").contains("가게 소개."));
    let old = site.read("2013/01/01/lda.html");
    let second_page = site.page("/posts/second/");
    assert!(
        second_page.contains("href=\"/2013/01/01/lda.html\""),
        "{second_page}"
    );
    let lda = old
        .split("url=https://example.org/")
        .nth(1)
        .and_then(|r| r.split('"').next());
    let lda = lda.unwrap_or_else(|| panic!("{old}"));
    assert!(site.page(&format!("/{lda}")).contains("작은 lda."), "{lda}");
    // Display math, byte for byte: no emphasis, no escape eaten.
    assert!(page.contains("$$\na_1 * b_2 * c_3 = \\{x\\}\n$$"), "{page}");
}

#[test]
fn include_relative_brings_in_files_of_the_old_blog_and_nothing_outside_it() {
    // `includes/` holds the old blog and, beside it, a file it must not read.
    let outer = Site::new();
    outer.overlay("import_liquid/includes");
    let blog = outer.root().join("blog");
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        outer.root().join("secret.md"),
        blog.join("snippets/leak.md"),
    )
    .expect("a link inside the old blog to a file outside it");
    let site = Site::new().file(
        "site.yaml",
        "title: 새 블로그\nbase_url: https://example.org/\n",
    );
    let run = site.ilji(["import", &blog.display().to_string()]).run();
    let post = written(&site, "content/posts/2017-01-01-parts.md");
    // Nested two deep, each converted in turn.
    assert!(
        post.contains(
            "머리말 $a\\_1 \\* b\\_2$ 입니다. <img src=\"/assets/x.png\" alt=\"그림\" width=\"120\">\n"
        ),
        "{post}"
    );
    assert!(!post.contains("비밀"), "{post}");
    for left in [
        "../../secret.md",
        "../snippets/leak.md",
        "../snippets/gone.md",
    ] {
        assert!(
            post.contains(&format!("{{% include_relative {left} %}}")),
            "{left}: {post}"
        );
    }
    assert!(post.contains("가격은 $5 and $10 이고, [링크](https://example.org/) 입니다."));
    let stderr = &run.stderr;
    assert!(
        stderr.contains(
            "{% include_relative ../../secret.md %} names a file outside the old blog's folder"
        ),
        "{stderr}"
    );
    #[cfg(unix)]
    assert!(
        stderr.contains(
            "{% include_relative ../snippets/leak.md %} names a file outside the old blog's folder"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "{% include_relative ../snippets/gone.md %} names a file that does not exist"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("uses Liquid (include_relative)"),
        "{stderr}"
    );
    assert!(!stderr.contains("attribute lists"), "{stderr}");

    site.build().run();
    let page = site.page("/posts/parts/");
    assert!(page.contains("머리말 $a_1 * b_2$ 입니다."), "{page}");
    assert!(
        page.contains("<img src=\"/assets/x.png\" alt=\"그림\" width=\"120\">"),
        "{page}"
    );
}

#[test]
fn include_renders_the_old_blogs_includes_and_nothing_outside_it() {
    // `underscore/` holds the old blog and, beside it, a file it must not read.
    let outer = Site::new();
    outer.overlay("import_liquid/underscore");
    let blog = outer.root().join("blog");
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        outer.root().join("secret.html"),
        blog.join("_includes/leak.html"),
    )
    .expect("a link inside the old blog to a file outside it");
    let site = Site::new().file(
        "site.yaml",
        "title: 새 블로그\nbase_url: https://example.org/\n",
    );
    let run = site.ilji(["import", &blog.display().to_string()]).run();
    let post = written(&site, "content/posts/2018-05-01-embeds.md");
    // Parameters, `site.` from _config.yml, `page.` from the front matter; an HTML block.
    assert!(
        post.contains(concat!(
            "머리말입니다.\n\n<p data-slug-hash=\"LYwEXbO\" data-default-tab=\"html,result\" ",
            "data-user=\"kimpen\" class='codepen'>\nSee the Pen <a href='https://codepen.io/",
            "kimpen/pen/LYwEXbO/'>슬라이더</a> on 끼워 넣기.</p>\n<script async ",
            "src=\"//assets.codepen.io/assets/embed/ei.js\"></script>\n\n본문입니다. ",
            "<img src=\"https://raw.example.org/blog/main/a.png\" alt=\"그림\">\n"
        )),
        "{post}"
    );
    // Nested, with a filter.
    assert!(
        post.contains("<div class=\"card\">\n<b class=\"badge\">NEW</b>\n</div>\n"),
        "{post}"
    );
    // Static, its wrappers, indentation and blank line gone; untouched inside code.
    assert!(
        post.contains(concat!(
            "<div>\n<br><br>\n<hr style=\"border: dashed 5px #83dcb7;\">\n<span style=",
            "\"font-style:italic\">배우는 중이니 지적은 하되, 비난은 하지 말아주세요!!</span>\n</div>\n"
        )),
        "{post}"
    );
    assert!(
        post.contains("```\n{% include notice.html %}\n```\n"),
        "{post}"
    );
    assert!(!post.contains("비밀"), "{post}");
    let left = [
        (
            "figure image_path=\"/assets/a.png\"",
            "names a file that does not exist",
        ),
        (
            "../secret.html",
            "names a file outside the old blog's _includes/ folder",
        ),
        ("leak.html", "names a file outside the old blog's folder"),
        ("{{ page.widget }}", "names its file through a variable"),
    ];
    let stderr = &run.stderr;
    for (tag, why) in left {
        let tag = format!("{{% include {tag} %}}");
        assert!(post.contains(&format!("\n{tag}\n")), "{tag}: {post}");
        if cfg!(unix) || !tag.contains("leak") {
            assert!(stderr.contains(&format!("{tag} {why}")), "{tag}: {stderr}");
        }
    }
    assert!(
        stderr.contains("{% include codepen.html %} brings a <script> into the post"),
        "{stderr}"
    );
    assert!(stderr.contains("uses Liquid (include)"), "{stderr}");

    site.build().run();
    let page = site.page("/posts/embeds/");
    for html in [
        "<p data-slug-hash=\"LYwEXbO\"",
        "<script async src=\"//assets.codepen.io/assets/embed/ei.js\"></script>",
        "<b class=\"badge\">NEW</b>",
        "<hr style=\"border: dashed 5px #83dcb7;\">",
    ] {
        assert!(page.contains(html), "{html}: {page}");
    }
    assert!(!page.contains("<pre><code>&lt;br"), "{page}");
}
