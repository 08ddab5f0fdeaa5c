//! The "other posts in this category" list under a post, and its previous/next links
//! (SPEC.md): on the fixture site `sites/twelve-posts` (`글 01` … `글 12` in one category,
//! a draft among them and a post of another category on the same day).

use crate::support::{category_others, others_titles, rel_link, OtherPost, Site};

/// `글 01` … `글 12` in category 일지, one a day in January 2025 (file `pNN.md`, URL
/// `/posts/pNN/`), plus a draft of the same category between 06 and 07 and a post of
/// another category on the same day.
pub(crate) fn twelve_posts() -> Site {
    Site::fixture("sites/twelve-posts")
}

/// `글 NN` for each number.
pub(crate) fn titles(numbers: &[u32]) -> Vec<String> {
    numbers.iter().map(|n| format!("글 {n:02}")).collect()
}

#[test]
fn others_list_takes_half_newer_and_half_older_newest_first() {
    let site = twelve_posts();
    site.build().run();

    let middle = site.page("/posts/p06/");
    assert_eq!(others_titles(&middle), titles(&[10, 9, 8, 7, 5, 4, 3, 2]));

    let newest = site.page("/posts/p12/");
    assert_eq!(others_titles(&newest), titles(&[11, 10, 9, 8, 7, 6, 5, 4]));

    let oldest = site.page("/posts/p01/");
    assert_eq!(others_titles(&oldest), titles(&[9, 8, 7, 6, 5, 4, 3, 2]));

    let second = site.page("/posts/p11/");
    assert_eq!(others_titles(&second), titles(&[12, 10, 9, 8, 7, 6, 5, 4]));
}

#[test]
fn others_list_entries_link_and_show_count_and_date() {
    let site = twelve_posts();
    site.build().run();
    let entries = category_others(&site.page("/posts/p06/"));
    assert_eq!(
        entries[0],
        OtherPost {
            title: "글 10".into(),
            url: "/posts/p10/".into(),
            comments: "(0)".into(),
            datetime: "2025-01-10T09:00:00+09:00".into(),
            date: "2025.01.10".into(),
        }
    );
}

#[test]
fn others_list_never_shows_drafts_even_when_they_are_published() {
    let site = twelve_posts();
    site.build().arg("--drafts").run();

    assert!(
        site.has_page("/posts/draft/"),
        "--drafts publishes the draft"
    );
    for n in 1..=12 {
        let list = others_titles(&site.page(&format!("/posts/p{n:02}/")));
        assert_eq!(list.len(), 8, "p{n:02}: {list:?}");
        assert!(!list.contains(&"초안 글".to_owned()), "p{n:02}: {list:?}");
    }
    assert_eq!(
        others_titles(&site.page("/posts/p06/")),
        titles(&[10, 9, 8, 7, 5, 4, 3, 2])
    );
    // The draft's own page lists the category around its date.
    assert_eq!(
        others_titles(&site.page("/posts/draft/")),
        titles(&[10, 9, 8, 7, 6, 5, 4, 3])
    );
}

#[test]
fn others_list_never_shows_other_categories() {
    let site = twelve_posts();
    site.build().run();
    for n in 1..=12 {
        let list = others_titles(&site.page(&format!("/posts/p{n:02}/")));
        assert!(
            !list.contains(&"다른 카테고리 글".to_owned()),
            "p{n:02}: {list:?}"
        );
    }
    // Alone in its category, the other post has nothing to list.
    assert_eq!(
        others_titles(&site.page("/posts/other/")),
        Vec::<String>::new()
    );
}

#[test]
fn others_list_length_follows_other_posts() {
    let site = twelve_posts().append("site.yaml", "other_posts: 4\n");
    site.build().run();
    assert_eq!(
        others_titles(&site.page("/posts/p06/")),
        titles(&[8, 7, 5, 4])
    );
    assert_eq!(
        others_titles(&site.page("/posts/p12/")),
        titles(&[11, 10, 9, 8])
    );
    assert_eq!(
        others_titles(&site.page("/posts/p01/")),
        titles(&[5, 4, 3, 2])
    );
}

#[test]
fn prev_and_next_link_the_adjacent_posts_of_the_category() {
    let site = twelve_posts();
    site.build().arg("--drafts").run();

    let middle = site.page("/posts/p06/");
    assert_eq!(rel_link(&middle, "prev").as_deref(), Some("/posts/p05/"));
    assert_eq!(rel_link(&middle, "next").as_deref(), Some("/posts/p07/"));

    let newest = site.page("/posts/p12/");
    assert_eq!(rel_link(&newest, "prev").as_deref(), Some("/posts/p11/"));
    assert_eq!(rel_link(&newest, "next"), None);

    let oldest = site.page("/posts/p01/");
    assert_eq!(rel_link(&oldest, "prev"), None);
    assert_eq!(rel_link(&oldest, "next").as_deref(), Some("/posts/p02/"));
}
