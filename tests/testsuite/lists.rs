//! The lists of posts: the home page and the category pages, paginated (`paginate:`), on
//! the fixture site `sites/twenty-three-posts` (p01–p12 in 장사, p13–p23 in 기록, ten a
//! page), and the archive, every post by year and month.

use crate::support::{links_to, Site};

/// 23 posts `p01`…`p23` a day apart: p01–p12 in 장사, p13–p23 in 기록; ten a page.
pub(crate) fn twenty_three_posts() -> Site {
    Site::fixture("sites/twenty-three-posts")
}

fn post_urls(numbers: impl IntoIterator<Item = u32>) -> Vec<String> {
    numbers
        .into_iter()
        .map(|n| format!("/posts/p{n:02}/"))
        .collect()
}

#[test]
fn home_is_paginated() {
    let site = twenty_three_posts();
    site.build().run();
    assert!(site.has_page("/"));
    assert!(site.has_page("/page/2/"));
    assert!(site.has_page("/page/3/"));
    assert!(!site.has_page("/page/4/"));

    let first = site.page("/");
    assert_eq!(links_to(&first, "/posts/"), post_urls((14..=23).rev()));
    assert!(first.contains(r#"href="/page/2/""#));
    assert_eq!(
        links_to(&site.page("/page/2/"), "/posts/"),
        post_urls((4..=13).rev())
    );
    assert_eq!(
        links_to(&site.page("/page/3/"), "/posts/"),
        post_urls([3, 2, 1])
    );
}

#[test]
fn categories_are_paginated() {
    let site = twenty_three_posts();
    site.build().run();
    assert!(site.has_page("/category/장사/"));
    assert!(site.has_page("/category/장사/page/2/"));
    assert!(!site.has_page("/category/장사/page/3/"));
    assert_eq!(
        links_to(&site.page("/category/장사/"), "/posts/"),
        post_urls((3..=12).rev())
    );
    assert_eq!(
        links_to(&site.page("/category/장사/page/2/"), "/posts/"),
        post_urls([2, 1])
    );
    assert_eq!(
        links_to(&site.page("/category/기록/page/2/"), "/posts/"),
        post_urls([13])
    );
}

#[test]
fn the_archive_groups_every_post_by_year_and_month_newest_first() {
    let site = Site::fixture("lists/archive");
    site.build().run();
    let html = site.page("/archive/");
    let order: Vec<usize> = [
        "heading\">2025년",
        "id=\"y2025m3\">3월",
        ">3월 둘째 글</a>",
        ">3월 첫 글</a>",
        "id=\"y2025m1\">1월",
        ">1월 글</a>",
        "heading\">2024년",
        "id=\"y2024m12\">12월",
        ">2024년 글</a>",
    ]
    .iter()
    .map(|t| {
        html.find(t)
            .unwrap_or_else(|| panic!("{t} not in the archive"))
    })
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "order in the page: {order:?}"
    );
}
