//! `ilji import` turns Hugo's shortcodes into Markdown (issue 25, item 3): `figure` and a
//! theme's image shortcodes into images, `youtube`/`vimeo` into a bare video address on its
//! own line, `gist`, `x`, `instagram` into links, `highlight` into a fenced block with its
//! lines intact, `ref`/`relref` into the imported post's new address (which the build
//! publishes, also when import had to give the post another one); code is left alone, and the shortcodes left as text are named in the notes.
//!
//! The old blog is `tests/fixtures/import_shortcodes/hugo/`, its notes golden beside it.

use crate::support::{fixture, Site};

fn imported() -> Site {
    let site = Site::new().file(
        "site.yaml",
        "title: 새 블로그\nbase_url: https://example.org/\n",
    );
    let old = fixture("import_shortcodes/hugo").display().to_string();
    site.ilji(["import", &old])
        .stderr_golden("import_shortcodes/hugo.stderr")
        .run();
    site
}

#[test]
fn hugo_shortcodes_become_markdown() {
    let site = imported();
    let body = std::fs::read_to_string(site.root().join("content/posts/2021-06-01-guide.md"))
        .expect("the imported post");
    for want in [
        "![고양이](/images/cat.jpg \"우리 집 고양이\")\n",
        "[![지도](/images/map.png \"지도\")](https://map.example.com/)\n",
        "![바다](/images/sea.jpg \"협재 해변\")\n",
        "![하늘](/images/sky.jpg)\n",
        "영상: \n\nhttps://www.youtube.com/watch?v=w7Ft2ymGmfc\n",
        "\nhttps://vimeo.com/146022717\n",
        "<https://gist.github.com/spf13/7896402>",
        "<https://x.com/SanDiegoZoo/status/1453110110599868418>",
        "<https://www.instagram.com/p/BWNjjyYFxVx/>",
        "[여행기](/posts/trip/), [준비물](/posts/trip-notes/), [둘째 날](/posts/trip/#day-2), [없는 글]({{< ref \"gone.md\" >}})",
        "```python\ndef hello():\n\n    print(\"{{< youtube x >}}\")\n```\n",
        "{{< notice warning >}}뜨거운 물 조심{{< /notice >}}",
        "`{{< youtube inline >}}`",
        "```\n{{< youtube fenced >}}\n{{< figure src=\"/escaped.jpg\" >}}\n```",
    ] {
        assert!(body.contains(want), "{want:?} not in:\n{body}");
    }
}

#[test]
fn refs_lead_to_published_pages() {
    let site = imported();
    site.build().run();
    let html = site.page("posts/guide/");
    assert!(html.contains("href=\"/posts/trip/\""), "{html}");
    assert!(html.contains("href=\"/posts/trip/#day-2\""), "{html}");
    // Given another address on import (another post had its slug): the ref follows it.
    assert!(html.contains("href=\"/posts/trip-notes/\""), "{html}");
    assert!(site.page("posts/trip/").contains("제주 여행"));
}
