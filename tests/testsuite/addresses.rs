//! Addresses (SPEC.md "Addresses"): Hangul slugs kept as Hangul on disk and
//! percent-encoded in links, and aliases, the old addresses that keep working as redirects
//! — and an alias on another page's address, an error naming both files.

use crate::support::{assert_output_kept, built_good_site, percent, Site};

#[test]
fn hangul_slugs_keep_hangul_on_disk_and_are_encoded_in_links() {
    let site = Site::fixture("addresses/hangul-slugs");
    site.build().run();

    assert!(site.has("posts/고객-불만-사례/index.html"));
    assert!(site.has("category/퇴사-후-일지/index.html"));
    assert!(site.has("tags/신뢰-회복/index.html"));

    let post_url = percent("/posts/고객-불만-사례/");
    assert!(post_url.starts_with("/posts/%EA%B3%A0"), "{post_url}");
    let home = site.page("/");
    assert!(
        home.contains(&format!(r#"href="{post_url}""#)),
        "the home page links {post_url}"
    );
    assert!(
        home.contains(&format!(r#"href="{}""#, percent("/category/퇴사-후-일지/"))),
        "the home page links the category, encoded"
    );
    let page = site.page("/posts/고객-불만-사례/");
    assert!(
        page.contains(&format!(r#"href="{}""#, percent("/tags/신뢰-회복/"))),
        "the post links its tag, encoded"
    );
    for html in [&home, &page] {
        for raw in ["href=\"/posts/고", "href=\"/category/퇴", "href=\"/tags/신"] {
            assert!(!html.contains(raw), "a link is not encoded: {raw}");
        }
    }
}

#[test]
fn aliases_publish_redirects_at_the_old_addresses() {
    let site = Site::fixture("addresses/aliases");
    site.build().run();
    let target = "https://example.org/posts/new/";
    for old in ["/entry/옛-주소/", "/123/"] {
        let html = site.page(old);
        assert!(
            html.contains(&format!("<link rel=\"canonical\" href=\"{target}\">")),
            "{old}: {html}"
        );
        assert!(
            html.contains(&format!("content=\"0; url={target}\"")),
            "{old}: meta refresh"
        );
    }
    assert!(site.read("old.html").contains(target));
    assert!(
        !site.read("sitemap.xml").contains("123"),
        "redirects are not in the sitemap"
    );
}

#[test]
fn an_alias_that_collides_with_a_page_names_both_files() {
    let (site, before) = built_good_site();
    site.overlay("addresses/alias-collision");
    site.build()
        .failure()
        .stderr_golden("addresses/alias-collision.stderr")
        .run();
    assert_output_kept(&site, &before);
}
