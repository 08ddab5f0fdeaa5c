//! Old addresses of a moved blog as a whole (README "Addresses": `redirects:` in
//! site.yaml): a redirect page at each, except at an old feed address, where the feed itself
//! is written again; refused entries, clashes and targets that lead nowhere named at their
//! line of site.yaml; and `ilji import` writing them for a Hugo and a Jekyll blog.

use crate::support::serve::Serve;
use crate::support::{assert_output_kept, built_good_site, percent, Site};

/// The redirect page at `old` (a decoded URL path) leads to `new` (decoded, site-relative).
fn assert_redirects(site: &Site, old: &str, new: &str) {
    let html = site.page(old);
    let target = format!("https://example.org{}", percent(new));
    assert!(
        html.contains(&format!("<link rel=\"canonical\" href=\"{target}\">")),
        "{old} → {new}: {html}"
    );
    assert!(
        html.contains(&format!("content=\"0; url={target}\"")),
        "{old}"
    );
    assert!(
        html.contains("<meta name=\"robots\" content=\"noindex\">"),
        "{old}"
    );
}

#[test]
fn redirects_publish_pages_and_feeds_at_the_old_addresses() {
    let site = Site::fixture("redirects/site");
    site.build().run();
    assert_redirects(&site, "/categories/맛집/", "/category/맛집/");
    // Written with a space, and percent-encoded: published where a web server looks.
    assert_redirects(&site, "/tags/단골 손님/", "/tags/단골-손님/");
    assert_redirects(&site, "/tag/빵/", "/tags/빵/");
    assert_redirects(&site, "/posts/", "/");
    assert!(site
        .read("about.html")
        .contains("url=https://example.org/about/\""));
    // Feed readers do not follow a redirect page: the feed itself, byte for byte.
    let feed = site.read("atom.xml");
    assert!(feed.contains("<feed"), "{feed}");
    assert_eq!(site.read("feed.xml"), feed);
    assert_eq!(site.read("index.xml"), feed);
    assert_eq!(
        site.read("categories/맛집/index.xml"),
        site.read("category/맛집/atom.xml")
    );
    let sitemap = site.read("sitemap.xml");
    for old in ["categories", "feed.xml", "index.xml", "about.html"] {
        assert!(!sitemap.contains(old), "{old} is not in the sitemap");
    }
    // The post's link to its category's old address leads through a redirect, not nowhere:
    // a warning that names the address to write.
    site.ilji(["check"])
        .stdout_has("1 warning")
        .stderr_golden("redirects/site-check.stderr")
        .run();
}

#[test]
fn an_english_site_says_moved_in_english() {
    let site = Site::fixture("redirects/site").append("site.yaml", "language: en\n");
    site.build().run();
    let html = site.page("/categories/맛집/");
    assert!(html.contains("<title>Moved</title>"), "{html}");
    assert!(html.contains("<html lang=\"en\">"), "{html}");
}

#[test]
fn refused_redirects_are_named_at_their_line() {
    let (site, before) = built_good_site();
    site.overlay("redirects/refused");
    site.build()
        .failure()
        .stderr_golden("redirects/refused.stderr")
        .run();
    assert_output_kept(&site, &before);
}

#[test]
fn a_redirect_on_a_published_address_names_both() {
    let (site, before) = built_good_site();
    site.overlay("redirects/clash");
    site.build()
        .failure()
        .stderr_golden("redirects/clash.stderr")
        .run();
    assert_output_kept(&site, &before);
}

#[test]
fn check_warns_of_a_redirect_that_leads_nowhere() {
    let site = Site::fixture("sites/good");
    site.overlay("redirects/nowhere");
    site.ilji(["check"])
        .stderr_golden("redirects/nowhere.stderr")
        .run();
    // The build publishes the redirect pages it can and no feed of a missing category.
    site.build().run();
    assert!(site.has_page("/categories/없는-분류/"));
    assert!(!site.has("categories/없는-분류/index.xml"));
}

#[test]
fn serve_answers_at_the_old_feed_address_and_keeps_it_current() {
    let site = Site::fixture("redirects/site");
    let mut serve = Serve::start(&site);
    let old = serve.get("/feed.xml");
    assert_eq!(old.status, 200);
    assert_eq!(old.body, serve.get("/atom.xml").body);
    let post = "content/posts/2025-09-02-coffee.md";
    site.write(
        post,
        "---\ntitle: 새로 고친 커피\ndate: 2025-09-02\ncategory: 일지\n---\n커피.\n",
    );
    serve.rebuilt(post);
    let feed = serve.get("/feed.xml").text();
    assert!(feed.contains("새로 고친 커피"), "{feed}");
    assert_eq!(serve.get("/index.xml").text(), feed);
    assert_eq!(serve.page("/categories/맛집/").status, 200);
}

/// A new ilji site with nothing in it yet, at example.org.
fn empty_site() -> Site {
    Site::new().file(
        "site.yaml",
        "# 블로그 이름\ntitle: 새 블로그\nbase_url: https://example.org/\n",
    )
}

/// Whether the site publishes something at `address` (decoded, root-relative).
fn answers(site: &Site, address: &str) -> bool {
    if address.ends_with('/') {
        site.has_page(address)
    } else {
        site.has(address.trim_start_matches('/'))
    }
}

#[test]
fn a_hugo_import_keeps_its_term_and_feed_addresses() {
    let site = empty_site();
    let old = crate::support::fixture("redirects/hugo");
    site.ilji(["import", old.to_str().expect("UTF-8")])
        .stderr_has("14 addresses of the old blog's list and feed pages added to `redirects:`")
        .run();
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).expect("site.yaml");
    assert!(yaml.starts_with("# 블로그 이름\n"), "comments kept: {yaml}");
    site.build().run();
    // Every address Hugo published (tests/fixtures/redirects/hugo.public) answers, but for
    // these, which ilji has nothing for.
    let none = [
        // The feeds of the lists of all terms of a taxonomy.
        "/categories/index.xml",
        "/tags/index.xml",
        "/topics/index.xml",
        // Feeds of tags (a category that became a tag is one): ilji has none.
        "/categories/go-lang/index.xml",
        "/tags/c++--rust/index.xml",
        "/tags/go-lang/index.xml",
        "/tags/단골-손님/index.xml",
    ];
    let published = std::fs::read_to_string(crate::support::fixture("redirects/hugo.public"))
        .expect("hugo.public");
    for address in published.lines().filter(|l| !l.starts_with('#')) {
        assert_eq!(
            answers(&site, address),
            !none.contains(&address),
            "{address}"
        );
    }
    assert_redirects(&site, "/categories/맛집-이야기/", "/category/맛집-이야기/");
    // Its second category became a tag, and so leads to the tag.
    assert_redirects(&site, "/categories/go-lang/", "/tags/go-lang/");
    // Hugo keeps `+`; ilji's slug does not.
    assert_redirects(&site, "/tags/c++--rust/", "/tags/c-rust/");
    // `topics:` gave the post its category.
    assert_redirects(&site, "/topics/big-data/", "/category/big-data/");
    assert_redirects(&site, "/posts/", "/");
    // The list of every tag: the archive lists every post.
    assert_redirects(&site, "/tags/", "/archive/");
    let feed = site.read("atom.xml");
    assert_eq!(site.read("index.xml"), feed);
    assert_eq!(site.read("posts/index.xml"), feed);
    assert_eq!(
        site.read("categories/맛집-이야기/index.xml"),
        site.read("category/맛집-이야기/atom.xml")
    );
    // The draft's category was never published, by Hugo or now.
    assert!(!yaml.contains("비밀"), "{yaml}");
    site.ilji(["check"]).stdout_has("no problems").run();
    // Importing again adds nothing and drops nothing.
    site.ilji(["import", old.to_str().expect("UTF-8")])
        .stderr_lacks("`redirects:`")
        .run();
    let again = std::fs::read_to_string(site.root().join("site.yaml")).expect("site.yaml");
    assert_eq!(again, yaml);
}

#[test]
fn a_jekyll_import_keeps_its_feed_and_archive_addresses() {
    // The writer's own redirect stays, and the import adds to it.
    let site = empty_site().append("site.yaml", "redirects:\n  /old-shop/: /about/\n");
    let old = crate::support::fixture("redirects/jekyll");
    site.ilji(["import", old.to_str().expect("UTF-8")]).run();
    let yaml = std::fs::read_to_string(site.root().join("site.yaml")).expect("site.yaml");
    assert!(
        yaml.ends_with(
            "redirects:\n  /old-shop/: /about/\n  /categories/diary/: /category/diary/\n  /categories/machine-learning/: /category/machine-learning/\n  /categories/통계/: /category/통계/\n  /feed.xml: /atom.xml\n  /feed/통계.xml: /category/통계/atom.xml\n  /tag/r/: /tags/r/\n  /tag/단골-손님/: /tags/단골-손님/\n"
        ),
        "{yaml}"
    );
    site.build().run();
    assert_eq!(site.read("feed.xml"), site.read("atom.xml"));
    // jekyll-feed's feed of a category (checked with Jekyll 4.3 and jekyll-feed 0.17).
    assert_eq!(
        site.read("feed/통계.xml"),
        site.read("category/통계/atom.xml")
    );
    // jekyll-archives' `/categories/:name/`, `:name` slugified as Jekyll does.
    assert_redirects(
        &site,
        "/categories/machine-learning/",
        "/category/machine-learning/",
    );
    // A second category in one post, and the category of another: the category wins.
    assert_redirects(&site, "/categories/통계/", "/category/통계/");
    // The folder above `_posts/` named a category.
    assert_redirects(&site, "/categories/diary/", "/category/diary/");
    assert_redirects(&site, "/tag/단골-손님/", "/tags/단골-손님/");
    // The writer's redirect leads to a page this site does not have (yet).
    site.ilji(["check"])
        .stdout_has("1 warning")
        .stderr_has("the redirect from `/old-shop/` leads to /about/")
        .run();
}
