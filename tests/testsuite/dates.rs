//! Dates and time zones: a post's date shown in the site's zone (Asia/Seoul unless
//! `timezone:` says otherwise), a date without offset read in that zone, and `date_format`.
//! The sites are two posts written here, the first at the date each test gives.

use crate::support::{category_others, post, Site};

/// A post at `date` and a later one of the same category, whose list shows the first.
fn dated_pair(site_yaml: &str, date: &str) -> Site {
    Site::new()
        .file("site.yaml", site_yaml)
        .file(
            "content/posts/late.md",
            post("늦은 밤 글", date, "일지", "", "본문."),
        )
        .file(
            "content/posts/later.md",
            post("다음 글", "2025-09-20T09:00:00+09:00", "일지", "", "본문."),
        )
}

/// (datetime, shown date) of the first post as listed on the second's page.
fn listed_date(site: &Site) -> (String, String) {
    let entries = category_others(&site.page("/posts/later/"));
    assert_eq!(entries.len(), 1, "{entries:?}");
    (entries[0].datetime.clone(), entries[0].date.clone())
}

#[test]
fn dates_are_shown_in_asia_seoul_by_default() {
    let site = dated_pair("title: 시간\n", "2025-09-08T23:30:00Z");
    site.build().run();
    assert_eq!(
        listed_date(&site),
        (
            "2025-09-09T08:30:00+09:00".to_owned(),
            "2025.09.09".to_owned()
        )
    );
    let html = site.page("/posts/late/");
    assert!(html.contains(r#"datetime="2025-09-09T08:30:00+09:00""#));
    assert!(html.contains(">2025.09.09<"));
    assert!(!html.contains("2025.09.08"));
}

#[test]
fn dates_follow_the_timezone_setting() {
    let site = dated_pair("title: 시간\ntimezone: UTC\n", "2025-09-08T23:30:00Z");
    site.build().run();
    let (datetime, shown) = listed_date(&site);
    assert_eq!(shown, "2025.09.08");
    assert!(
        matches!(
            datetime.as_str(),
            "2025-09-08T23:30:00+00:00" | "2025-09-08T23:30:00Z"
        ),
        "{datetime}"
    );
    assert!(site.page("/posts/late/").contains(">2025.09.08<"));
}

#[test]
fn a_date_without_offset_is_read_in_the_site_zone() {
    let seoul = dated_pair("title: 시간\n", "2025-09-08 23:30");
    seoul.build().run();
    assert_eq!(
        listed_date(&seoul),
        (
            "2025-09-08T23:30:00+09:00".to_owned(),
            "2025.09.08".to_owned()
        )
    );

    let new_york = dated_pair(
        "title: 시간\ntimezone: America/New_York\n",
        "2025-09-08 23:30",
    );
    new_york.build().run();
    assert_eq!(
        listed_date(&new_york),
        (
            "2025-09-08T23:30:00-04:00".to_owned(),
            "2025.09.08".to_owned()
        )
    );
}

#[test]
fn date_format_is_honoured() {
    let site = dated_pair(
        "title: 시간\ndate_format: \"%Y년 %m월 %d일\"\n",
        "2025-09-08T23:30:00Z",
    );
    site.build().run();
    assert_eq!(listed_date(&site).1, "2025년 09월 09일");
    assert!(site.page("/posts/late/").contains("2025년 09월 09일"));
}
