//! The conversion of Liquid and kramdown, line by line.

use super::*;

fn posts(target: &str) -> Option<String> {
    let name = target.trim_start_matches('/').rsplit('/').next()?;
    let name = name.trim_end_matches(".md");
    (name == "2010-07-21-hello").then(|| "/posts/hello/".to_owned())
}

fn no_file(_: &Path, _: &str) -> Included {
    Err("names no file".to_owned())
}

fn conv(body: &str) -> Liquid {
    let sources = Sources {
        address: &posts,
        include: &no_file,
        include_file: &|_| Err("names no file".to_owned()),
        site: None,
    };
    convert(body, Path::new("_posts"), &Default::default(), &sources)
}

#[test]
fn highlight_becomes_a_fence_with_lines_and_indentation_intact() {
    let body = "a\n\n{% highlight ruby linenos %}\ndef f\n  ``` x\nend\n{% endhighlight %}\nb\n";
    let got = conv(body);
    assert_eq!(got.body, "a\n\n````ruby\ndef f\n  ``` x\nend\n````\nb\n");
    assert!(got.left.is_empty());
    let trimmed = conv("{%- highlight python -%}\nx = 1\n{%- endhighlight -%}\n");
    assert_eq!(trimmed.body, "```python\nx = 1\n```\n");
}

#[test]
fn raw_markers_go_and_their_inside_stays() {
    let got = conv("a {% raw %}{{ x }}{% endraw %} b\n{% raw %}\n{% if %}\n{% endraw %}\n");
    assert_eq!(got.body, "a {{ x }} b\n\n{% if %}\n\n");
    assert!(got.left.is_empty());
}

#[test]
fn post_links_become_new_addresses_or_stay_with_a_note() {
    let got = conv("[a]({% post_url 2010-07-21-hello %}) [b]({% link _posts/2010-07-21-hello.md %}) [c]({% post_url 2000-01-01-gone %})\n");
    assert_eq!(
        got.body,
        "[a](/posts/hello/) [b](/posts/hello/) [c]({% post_url 2000-01-01-gone %})\n"
    );
    assert_eq!(got.left, ["post_url"]);
    assert_eq!(got.notes.len(), 1);
}

#[test]
fn site_addresses_are_removed() {
    let got = conv("![x]({{ site.baseurl }}/a.png) {{site.url}}{{site.baseurl}}/b {{ \"/c.png\" | relative_url }} {{ '/d' | prepend: site.baseurl }}\n");
    assert_eq!(got.body, "![x](/a.png) /b /c.png /d\n");
    assert!(got.left.is_empty());
}

#[test]
fn other_tags_are_left_and_named() {
    let got = conv("{% include note.html %}\n{{ page.title | upcase }}\n");
    assert_eq!(
        got.body,
        "{% include note.html %}\n{{ page.title | upcase }}\n"
    );
    assert_eq!(got.left, ["include", "page.title"]);
}

#[test]
fn attribute_lists_and_toc_are_removed() {
    let got = conv("* TOC\n{:toc}\n\n![a](b.png){: width=\"150\"}\n\npara\n{: .note}\n");
    assert_eq!(
        got.body,
        "\n<img src=\"b.png\" alt=\"a\" width=\"150\">\n\npara\n"
    );
    assert_eq!(got.notes.len(), 1);
}

#[test]
fn code_is_never_touched() {
    let body = "```\n{% include x %}\n{{ site.url }}\n```\n\n    {% raw %}\n\n`{{ site.url }}` and ``{% link a %}``\n";
    let got = conv(body);
    assert_eq!(got.body, body);
    assert!(got.left.is_empty());
}

#[test]
fn inline_math_is_escaped_and_kept_apart_from_display_math() {
    let got = conv("$$P(x_1)$$를 보면 $$a*b_c \\{y\\}$$ 입니다.\n");
    assert_eq!(
        got.body,
        "$$P(x\\_1)$$를 보면 $$a\\*b\\_c \\\\{y\\\\}$$ 입니다.\n"
    );
}

#[test]
fn display_math_is_wrapped_byte_for_byte() {
    let got = conv("a\n\n$$\nx_1 * y_2 * \\{z\\}\n$$\n\n$$a_b*c_d$$\n");
    assert_eq!(
        got.body,
        "a\n\n<div class=\"math\">\n$$\nx_1 * y_2 * \\{z\\}\n$$\n</div>\n\n<div class=\"math\">\n$$a_b*c_d$$\n</div>\n"
    );
}

#[test]
fn a_width_after_an_image_makes_it_an_img_and_target_after_a_link_goes() {
    let got = conv(
        "![a \"b\"](/x.png \"t\"){: width=\"150\"} ![c](y.png){:height=40px} ![d](z.png){: width=\"50%\" .big}\n[l](https://e.org){:target=\"_blank\"} [m](n){: .note}\n",
    );
    assert_eq!(
        got.body,
        "<img src=\"/x.png\" alt=\"a &quot;b&quot;\" title=\"t\" width=\"150\"> \
         <img src=\"y.png\" alt=\"c\" height=\"40\"> \
         <img src=\"z.png\" alt=\"d\" style=\"width: 50%\">\n[l](https://e.org) [m](n)\n"
    );
    // `.big` and `.note` are dropped with the note; `target` without one.
    assert_eq!(got.notes, [kramdown::ial_note()]);
    let quiet = conv("[l](https://e.org){:target=\"_blank\" rel=\"noopener\"}\n");
    assert_eq!(quiet.body, "[l](https://e.org)\n");
    assert!(quiet.notes.is_empty());
    // A size after anything but an image, or one ilji cannot write, is dropped with the note.
    let odd = conv("text{: width=\"150\"} ![a](b.png){: width=\"calc(1px)\"}\n");
    assert_eq!(odd.body, "text ![a](b.png)\n");
    assert_eq!(odd.notes.len(), 1);
}

#[test]
fn single_dollar_math_is_kept_intact_and_prices_are_not_math() {
    let got = conv("식 $a_1 * b_2 \\{x\\}$ 와 $x$.\n값은 $5 and $10.\n$ a$ 와 $b $\n");
    assert_eq!(
        got.body,
        "식 $a\\_1 \\* b\\_2 \\\\{x\\\\}$ 와 $x$.\n값은 $5 and $10.\n$ a$ 와 $b $\n"
    );
    // No digit right after the closing `$`; an escaped `\$` opens nothing.
    let prices = conv("from $3 to $4.50 for *you*\n\\$a_b$ stays\n");
    assert_eq!(prices.body, "from $3 to $4.50 for *you*\n\\$a_b$ stays\n");
    let display = conv("$$a_b$$ and $c_d$\n");
    assert_eq!(display.body, "$$a\\_b$$ and $c\\_d$\n");
}

#[test]
fn include_relative_inlines_the_file_converted_in_its_own_folder() {
    let files = |dir: &Path, target: &str| -> Included {
        let path = dir.join(target);
        match path.to_str() {
            Some("_posts/part.md") => Ok((path, "Part {% include_relative sub/x.md %}!\n".into())),
            Some("_posts/sub/x.md") => Ok((path, "x $a_1$ {% include_relative x.md %}\n".into())),
            _ => Err("names a file that does not exist".into()),
        }
    };
    let sources = Sources {
        address: &posts,
        include: &files,
        include_file: &|_| Err("names no file".to_owned()),
        site: None,
    };
    let got = convert(
        "a {% include_relative part.md %} b\n{% include_relative gone.md %}\n",
        Path::new("_posts"),
        &Default::default(),
        &sources,
    );
    // x.md includes itself: followed MAX_INCLUDE_DEPTH levels down, then left as text.
    let nested = "x $a\\_1$ ".repeat(MAX_INCLUDE_DEPTH - 1);
    assert_eq!(
        got.body,
        format!(
            "a Part {nested}{{% include_relative x.md %}}! b\n{{% include_relative gone.md %}}\n"
        )
    );
    assert_eq!(got.left, ["include_relative"]);
    assert_eq!(
        got.notes,
        [
            "{% include_relative x.md %} is nested more than 4 includes deep; left as text",
            "{% include_relative gone.md %} names a file that does not exist; left as text",
        ]
    );
}

fn includes(name: &str) -> Included {
    let text = match name {
        "static.html" => "<html>\n  <body>\n    <hr>\n\n    <span>hi</span>\n  </body>\n</html>\n",
        "pen.html" => concat!(
            "{% assign user = include.user %}{% unless user %}{% assign user = site.pen %}",
            "{% endunless %}\n<p data-hash=\"{{ include.hash }}\">{{ include.title | upcase }} ",
            "by {{ user }} on {{ page.title }}</p>\n<script src=\"//x/ei.js\"></script>\n"
        ),
        "outer.html" => "<div>\n{% include inner.html who=include.who %}\n</div>\n",
        "inner.html" => "<b>{{ include.who }}</b> {{ '{{' }}\n",
        "self.html" => "<i>{% include self.html %}</i>",
        "img.html" => "<img src=\"{{ include.src | relative_url }}\">{{ 'a' | markdownify }}",
        _ => return Err("names a file that does not exist".to_owned()),
    };
    Ok((Path::new("_includes").join(name), text.to_owned()))
}

fn conv_includes(body: &str) -> Liquid {
    let site: serde_yaml::Mapping = serde_yaml::from_str("pen: kim").unwrap();
    let page: serde_yaml::Mapping = serde_yaml::from_str("title: Hello").unwrap();
    let sources = Sources {
        address: &posts,
        include: &no_file,
        include_file: &includes,
        site: Some(&site),
    };
    convert(body, Path::new("_posts"), &page, &sources)
}

#[test]
fn a_static_include_becomes_an_html_block_without_wrappers() {
    let got = conv_includes("a\n{% include static.html %}\nb\n");
    assert_eq!(got.body, "a\n\n<hr>\n<span>hi</span>\n\nb\n");
    let spaced = conv_includes("a\n\n{% include static.html %}\n\nb\n");
    assert_eq!(spaced.body, "a\n\n<hr>\n<span>hi</span>\n\nb\n");
    let listed = conv_includes("- a\n  {% include static.html %}\n");
    assert_eq!(listed.body, "- a\n  <hr> <span>hi</span>\n");
    assert!(got.left.is_empty() && got.notes.is_empty(), "{got:?}");
}

#[test]
fn an_include_sees_its_parameters_site_and_page() {
    let got = conv_includes("{% include pen.html hash=\"AbC\" title='my pen' %}\n");
    assert!(got.left.is_empty(), "{:?}", got.notes);
    assert_eq!(
        got.body,
        "<p data-hash=\"AbC\">MY PEN by kim on Hello</p>\n<script src=\"//x/ei.js\"></script>\n\n"
    );
    assert_eq!(
        got.notes,
        ["{% include pen.html %} brings a <script> into the post, kept as Jekyll published it"]
    );
    let user = conv_includes("x {% include pen.html user=page.title hash=1 %} y\n");
    assert!(user
        .body
        .starts_with("x <p data-hash=\"1\"> by Hello on Hello</p> <script"));
}

#[test]
fn nested_includes_render_and_a_loop_stops_four_deep() {
    let got = conv_includes("{% include outer.html who=\"Lee\" %}\n");
    assert_eq!(got.body, "<div>\n<b>Lee</b> {{\n</div>\n\n");
    let looped = conv_includes("{% include self.html %}\n");
    assert_eq!(looped.body, "{% include self.html %}\n");
    assert_eq!(looped.left, ["include"]);
    assert!(looped.notes[0].contains("is nested more than 4 includes deep"));
}

#[test]
fn url_filters_go_and_an_unknown_filter_is_named() {
    let got = conv_includes("{% include img.html src=\"/a.png\" %}\n");
    assert_eq!(got.body, "{% include img.html src=\"/a.png\" %}\n");
    assert_eq!(
        got.notes,
        [
            "{% include img.html src=\"/a.png\" %} could not be rendered (Unknown filter, \
          requested filter=markdownify); left as text"
        ]
    );
}

#[test]
fn an_include_that_cannot_be_rendered_stays_as_text_with_a_note() {
    let got =
        conv_includes("{% include figure image_path=\"/a.png\" %}\n{% include {{ page.x }} %}\n");
    assert_eq!(
        got.body,
        "{% include figure image_path=\"/a.png\" %}\n{% include {{ page.x }} %}\n"
    );
    assert_eq!(got.left, ["include"]);
    assert_eq!(
        got.notes,
        [
            "{% include figure image_path=\"/a.png\" %} names a file that does not exist; left as text",
            "{% include {{ page.x }} %} names its file through a variable, which ilji cannot follow; left as text",
        ]
    );
}

#[test]
fn a_site_value_from_the_config_is_written_in() {
    let got = conv_includes("![a]({{ site.pen }}/a.png) {{ site.gone }} {{ site.pen | upcase }}\n");
    assert_eq!(
        got.body,
        "![a](kim/a.png) {{ site.gone }} {{ site.pen | upcase }}\n"
    );
    assert_eq!(got.left, ["site.gone", "site.pen"]);
}
