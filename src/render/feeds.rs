//! The machine-read files: Atom feeds (the site's and each category's), `sitemap.xml` and
//! `robots.txt`. Written directly, not through the theme: their format is fixed by their
//! standards (RFC 4287, sitemaps.org), not by taste.

use std::fmt::Write as _;

use chrono::DateTime;
use chrono_tz::Tz;

use super::jobs::{job_path, jobs, Job};
use super::linker::{rfc3339_z_for_utc, Linker};
use super::post_meta::PostMeta;
use crate::content::Page;
// `esc`: every value of these files is escaped, most lines twice.
use crate::html::escape_xml as esc;
use crate::site::Site;
use crate::site_path::layout;

/// An Atom feed of the newest `feed_limit` published posts among `posts` (indices into
/// `site.posts`, newest first). `path` is the feed's own site-relative path; `title` and
/// `home` (site-relative) describe what it follows.
pub fn atom<'a>(
    site: &Site,
    meta: &dyn Fn(usize) -> &'a PostMeta,
    posts: &[usize],
    path: &str,
    title: &str,
    home: &str,
) -> Vec<u8> {
    let config = &site.config;
    let linker = Linker::new(config);
    let entries: Vec<usize> = entries(site, posts).collect();
    let updated = entries
        .iter()
        .map(|&i| last_change(&site.posts[i]))
        .max()
        .map_or_else(
            || "1970-01-01T00:00:00Z".to_owned(),
            |d| rfc3339_z_for_utc(&d),
        );
    let author = if config.author.is_empty() {
        &config.title
    } else {
        &config.author
    };

    let mut x = String::with_capacity(4096 + entries.len() * 8192);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        x,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        esc(&config.language)
    );
    let _ = writeln!(x, "  <title>{}</title>", esc(title));
    if !config.description.is_empty() {
        let _ = writeln!(x, "  <subtitle>{}</subtitle>", esc(&config.description));
    }
    let _ = writeln!(
        x,
        "  <link href=\"{}\" rel=\"self\" type=\"application/atom+xml\"/>",
        esc(&linker.permalink(path))
    );
    let _ = writeln!(
        x,
        "  <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>",
        esc(&linker.permalink(home))
    );
    let _ = writeln!(x, "  <id>{}</id>", esc(&linker.permalink(home)));
    let _ = writeln!(x, "  <updated>{updated}</updated>");
    let _ = writeln!(x, "  <author><name>{}</name></author>", esc(author));
    x.push_str("  <generator>ilji</generator>\n");
    for i in entries {
        let post = &site.posts[i];
        let m = meta(i);
        x.push_str("  <entry>\n");
        let _ = writeln!(x, "    <title>{}</title>", esc(&post.title));
        let _ = writeln!(
            x,
            "    <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>",
            esc(&m.permalink)
        );
        let _ = writeln!(x, "    <id>{}</id>", esc(&m.permalink));
        if let Some(date) = &post.date {
            let _ = writeln!(x, "    <published>{}</published>", rfc3339_z_for_utc(date));
        }
        let _ = writeln!(
            x,
            "    <updated>{}</updated>",
            rfc3339_z_for_utc(&last_change(post))
        );
        if let Some(c) = &m.category {
            let _ = writeln!(
                x,
                "    <category term=\"{}\" label=\"{}\"/>",
                esc(&c.slug),
                esc(&c.name)
            );
        }
        // xml:base makes the post's relative links (bundle images) resolve against it.
        let _ = writeln!(
            x,
            "    <summary type=\"html\" xml:base=\"{}\">{}</summary>",
            esc(&m.permalink),
            esc(&post.summary_html)
        );
        let _ = writeln!(
            x,
            "    <content type=\"html\" xml:base=\"{}\">{}</content>",
            esc(&m.permalink),
            esc(post.body.html.get().as_str().unwrap_or_default())
        );
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x.into_bytes()
}

/// The posts a feed of `posts` carries: the newest `feed_limit` that are not drafts.
fn entries<'s>(site: &'s Site, posts: &'s [usize]) -> impl Iterator<Item = usize> + 's {
    posts
        .iter()
        .copied()
        .filter(|&i| !site.posts[i].draft)
        .take(site.config.feed_limit)
}

/// Whether each post of `site` is in one of its feeds (the site's or its category's), which
/// print its whole body.
pub fn fed(site: &Site) -> Vec<bool> {
    let mut fed = vec![false; site.posts.len()];
    let all: Vec<usize> = (0..site.posts.len()).collect();
    for list in std::iter::once(&all).chain(site.categories.iter().map(|c| &c.posts)) {
        for i in entries(site, list) {
            fed[i] = true;
        }
    }
    fed
}

/// Every published HTML page, absolute and percent-encoded, with the date it last changed
/// where it has one.
pub fn sitemap(site: &Site, search_page: bool) -> Vec<u8> {
    let linker = Linker::new(&site.config);
    let newest = site
        .posts
        .iter()
        .filter(|p| !p.draft)
        .map(|p| last_change(p))
        .max();
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for job in jobs(site, search_page) {
        let lastmod = match job {
            Job::Post(i) if site.posts[i].draft => continue,
            Job::Page(i) if site.pages[i].draft => continue,
            Job::Post(i) => Some(last_change(&site.posts[i])),
            Job::Page(i) => site.pages[i].updated.or(site.pages[i].date),
            Job::Home(1) => newest,
            Job::Home(_) | Job::Category(..) | Job::Tag(..) | Job::Archive | Job::Search => None,
            Job::NotFound
            | Job::Feed
            | Job::CategoryFeed(_)
            | Job::Sitemap
            | Job::Robots
            | Job::SearchIndex
            | Job::Alias(_)
            | Job::Redirect(_) => continue,
        };
        let _ = write!(
            x,
            "  <url><loc>{}</loc>",
            esc(&linker.permalink(&job_path(site, job)))
        );
        if let Some(d) = lastmod {
            let _ = write!(x, "<lastmod>{}</lastmod>", rfc3339_z_for_utc(&d));
        }
        x.push_str("</url>\n");
    }
    x.push_str("</urlset>\n");
    x.into_bytes()
}

/// Allows everything and names the sitemap.
pub fn robots(site: &Site) -> Vec<u8> {
    let linker = Linker::new(&site.config);
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        linker.permalink(layout::SITEMAP)
    )
    .into_bytes()
}

fn last_change(p: &Page) -> DateTime<Tz> {
    p.updated.or(p.date).unwrap_or_else(|| {
        // Posts always have a date; this keeps the function total.
        DateTime::<chrono::Utc>::UNIX_EPOCH.with_timezone(&chrono_tz::UTC)
    })
}
