//! Unit tests of the Hugo shortcode conversion (`shortcodes.rs`).

use super::*;

fn run(body: &str) -> Converted {
    let mut refs = RefTable::default();
    refs.insert(Path::new("posts/hello.md"), "/posts/hello/".to_owned());
    refs.insert(Path::new("posts/trip/index.md"), "/posts/trip/".to_owned());
    let mut images = ThemeImages::new();
    images.insert(
        "img".to_owned(),
        image_shortcode(r#"<figure><img src="{{ .Get "src" }}" alt="{{ .Get "alt" }}"><figcaption>{{ .Get "caption" }}</figcaption></figure>"#).unwrap(),
    );
    convert(
        body,
        "posts",
        &Site {
            refs: &refs,
            images: &images,
        },
    )
}

#[test]
fn figure_becomes_an_image_with_its_caption() {
    let c = run("{{< figure src=\"a.jpg\" alt=\"고양이\" caption=\"우리 \\\"집\\\" 고양이\" >}}\n");
    assert_eq!(c.body, "![고양이](a.jpg \"우리 \\\"집\\\" 고양이\")\n");
    let c = run("{{% figure src=`b c.png` link=\"https://e.com\" %}}");
    assert_eq!(c.body, "[![](<b c.png>)](https://e.com)");
}

#[test]
fn videos_become_bare_address_lines() {
    assert_eq!(
        run("{{< youtube w7Ft2ymGmfc >}}").body,
        "https://www.youtube.com/watch?v=w7Ft2ymGmfc"
    );
    assert_eq!(
        run("보세요 {{< youtube id=\"abc\" >}} 끝").body,
        "보세요 \n\nhttps://www.youtube.com/watch?v=abc\n\n 끝"
    );
    assert_eq!(
        run("{{< vimeo 146022717 >}}").body,
        "https://vimeo.com/146022717"
    );
}

#[test]
fn embeds_become_links() {
    assert_eq!(
        run("{{< gist spf13 7896402 >}}").body,
        "<https://gist.github.com/spf13/7896402>"
    );
    assert_eq!(
        run("{{< x user=\"SanDiegoZoo\" id=\"1453110110599868418\" >}}").body,
        "<https://x.com/SanDiegoZoo/status/1453110110599868418>"
    );
    assert_eq!(
        run("{{< tweet 123 >}}").body,
        "<https://x.com/i/status/123>"
    );
    assert_eq!(
        run("{{< instagram BWNjjyYFxVx >}}").body,
        "<https://www.instagram.com/p/BWNjjyYFxVx/>"
    );
}

#[test]
fn highlight_becomes_a_fenced_block_with_lines_intact() {
    let body = "앞\n{{< highlight go \"linenos=table\" >}}\nfunc main() {\n\n    fmt.Println(\"{{< x >}}\")\n}\n{{< /highlight >}}\n뒤\n";
    assert_eq!(
        run(body).body,
        "앞\n```go\nfunc main() {\n\n    fmt.Println(\"{{< x >}}\")\n}\n```\n뒤\n"
    );
}

#[test]
fn refs_lead_to_the_new_address() {
    let c = run("[a]({{< ref \"hello.md\" >}}) [b]({{< relref \"/posts/trip\" >}}) [c]({{< ref \"hello#part-2\" >}}) [d]({{< ref \"nope\" >}})");
    assert_eq!(
        c.body,
        "[a](/posts/hello/) [b](/posts/trip/) [c](/posts/hello/#part-2) [d]({{< ref \"nope\" >}})"
    );
    assert_eq!(c.unresolved, vec!["nope".to_owned()]);
}

#[test]
fn theme_image_shortcodes_become_images_and_others_are_listed() {
    let c = run("{{< img src=\"/x.png\" caption=\"설명\" >}}\n{{< notice warning >}}조심{{< /notice >}} {{< notice >}}");
    assert!(
        c.body.starts_with("![설명](/x.png \"설명\")\n"),
        "{}",
        c.body
    );
    assert_eq!(c.left.get("notice"), Some(&2));
    assert_eq!(c.left.len(), 1);
    assert!(c.note().unwrap().contains("notice ×2"));
}

#[test]
fn an_image_template_is_recognised_across_lines() {
    let zimg = "{{ if .Get \"src\" }}<figure><img\n\t\tsrc=\"{{ .Get \"src\" }}\"\n\t\t{{ if .Get \"alt\" }}\n\t\talt=\"{{ .Get \"alt\" }}\"{{ end }}>\n<h4>{{ .Get \"title\" }}</h4></figure>{{ end }}";
    let shape = image_shortcode(zimg).unwrap();
    assert_eq!(shape.src, Param::Named("src".to_owned()));
    assert_eq!(shape.alt, Some(Param::Named("alt".to_owned())));
    assert_eq!(shape.caption, Some(Param::Named("title".to_owned())));
    assert_eq!(
        image_shortcode("<div class=\"notice\">{{ .Inner }}</div>"),
        None
    );
    assert_eq!(image_shortcode("<img src=\"/fixed.png\">"), None);
}

#[test]
fn code_is_left_alone_and_escapes_are_undone() {
    let body = "`{{< youtube a >}}` and ```{{< youtube b >}}```\n\n```\n{{< youtube c >}}\n{{</* youtube d */>}}\n```\n\n    {{< youtube e >}}\n\n{{</* figure src=\"x\" */>}}\n";
    let c = run(body);
    assert_eq!(c.body, body.replace("{{</*", "{{<").replace("*/>}}", ">}}"));
    assert!(c.left.is_empty());
}

#[test]
fn broken_calls_stay_as_text() {
    for body in [
        "{{< youtube",
        "{{<>}}",
        "{{< figure src=\"x >}}",
        "{{< highlight go >}}\nx\n",
        "{ {{ {{<",
        "{{< gist >}}",
    ] {
        let c = run(body);
        assert_eq!(c.body, body);
    }
}

#[test]
fn hostile_bodies_are_read_in_linear_time() {
    let started = std::time::Instant::now();
    for unit in [
        "{{< highlight go >}}",
        "{{< \"",
        "`` {{< youtube a >}} ",
        "{{<",
        "{{< x \"",
        "{{< x a",
        "{{< x a=`",
        "{{< x \"{{< x \"{{< x \"{{< x \">}}",
    ] {
        let body = unit.repeat(200_000 / unit.len()) + ">}}";
        let c = run(&body);
        assert!(!c.body.is_empty());
    }
    assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
}
