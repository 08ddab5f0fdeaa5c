//! Which pages a site publishes ([`Job`]s, [`jobs`]) and where each one goes ([`job_path`],
//! [`job_file`]), as the URL layout ([`crate::site_path::layout`]) places them.

use crate::site::{Destination, Site};
use crate::site_path::layout::{self, Taxonomy};
use crate::site_path::{Refusal, SitePath};

/// One page of output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Job {
    /// Home, 1-based page number.
    Home(usize),
    Post(usize),
    Page(usize),
    Category(usize, usize),
    Tag(usize, usize),
    Archive,
    NotFound,
    /// `/atom.xml`
    Feed,
    /// `/category/<slug>/atom.xml`
    CategoryFeed(usize),
    Sitemap,
    Robots,
    /// `/search/index.json`
    SearchIndex,
    /// `/search/`, when the theme has a `search.html`
    Search,
    /// A redirect page at an old address (index into `site.aliases`).
    Alias(usize),
    /// What is published at an old address of site.yaml's `redirects:` (index into
    /// `site.redirects`): a redirect page, or a copy of a feed.
    Redirect(usize),
}

/// Every page the site publishes; `search_page` when the theme has `search.html`.
pub fn jobs(site: &Site, search_page: bool) -> Vec<Job> {
    let per = site.config.paginate;
    // The few pages that each cover the whole site come first, so that in a parallel
    // build they start at once instead of finishing last on one core.
    let mut jobs = vec![Job::SearchIndex, Job::Archive, Job::Sitemap, Job::Feed];
    jobs.extend((0..site.categories.len()).map(Job::CategoryFeed));
    jobs.extend((1..=pager_count(site.posts.len(), per)).map(Job::Home));
    jobs.extend((0..site.posts.len()).map(Job::Post));
    jobs.extend((0..site.pages.len()).map(Job::Page));
    for (c, cat) in site.categories.iter().enumerate() {
        jobs.extend((1..=pager_count(cat.posts.len(), per)).map(|n| Job::Category(c, n)));
    }
    for (t, tag) in site.tags.iter().enumerate() {
        jobs.extend((1..=pager_count(tag.posts.len(), per)).map(|n| Job::Tag(t, n)));
    }
    jobs.extend((0..site.aliases.len()).map(Job::Alias));
    jobs.push(Job::NotFound);
    jobs.push(Job::Robots);
    if search_page {
        jobs.push(Job::Search);
    }
    // Last, so that where one clashes with a page, the redirect is the one named.
    jobs.extend((0..site.redirects.len()).map(Job::Redirect));
    jobs
}

/// The feed that redirect `r` writes again at its old address, if it copies one.
pub fn copied_feed(site: &Site, r: usize) -> Option<Job> {
    match site.redirects[r].to {
        Destination::Page(_) => None,
        Destination::Feed => Some(Job::Feed),
        Destination::CategoryFeed(c) => Some(Job::CategoryFeed(c)),
    }
}

/// The old address of redirect `r`.
fn redirect_from(site: &Site, r: usize) -> &SitePath {
    &site.config.redirects[site.redirects[r].entry].from
}

/// How many pages a list of `items` takes (at least one, even when empty).
pub fn pager_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page).max(1)
}

/// The first list page of category `c` of `site`.
pub(crate) fn category_path(site: &Site, c: usize) -> String {
    layout::term(Taxonomy::Category, &site.categories[c].slug)
}

/// Where a job's page is published, relative to the site root and not encoded
/// (`posts/가/`, or `404.html` for a file).
pub fn job_path(site: &Site, job: Job) -> String {
    match job {
        Job::Home(n) => layout::pager(layout::HOME, n),
        Job::Post(i) => site.posts[i].path.to_string(),
        Job::Page(i) => site.pages[i].path.to_string(),
        Job::Category(c, n) => layout::pager(&category_path(site, c), n),
        Job::Tag(t, n) => layout::pager(&layout::term(Taxonomy::Tag, &site.tags[t].slug), n),
        Job::Archive => layout::ARCHIVE.to_owned(),
        Job::NotFound => layout::NOT_FOUND.to_owned(),
        Job::Feed => layout::feed(layout::HOME),
        Job::CategoryFeed(c) => layout::feed(&category_path(site, c)),
        Job::Sitemap => layout::SITEMAP.to_owned(),
        Job::Robots => layout::ROBOTS.to_owned(),
        Job::SearchIndex => layout::SEARCH_INDEX.to_owned(),
        Job::Search => layout::SEARCH_PAGE.to_owned(),
        Job::Alias(a) => site.aliases[a].0.to_string(),
        Job::Redirect(r) => redirect_from(site, r).to_string(),
    }
}

/// The file a job's page is written to: `posts/가/` → `posts/가/index.html`. Refused only
/// for a category or tag whose name gives a part no file system holds (posts, pages and
/// aliases were checked when their files were read).
pub fn job_file(site: &Site, job: Job) -> Result<SitePath, Refusal> {
    match job {
        Job::Post(i) => Ok(site.posts[i].path.file()),
        Job::Page(i) => Ok(site.pages[i].path.file()),
        Job::Alias(a) => Ok(site.aliases[a].0.file()),
        Job::Redirect(r) => Ok(redirect_from(site, r).file()),
        _ => SitePath::new(&job_path(site, job)).map(|p| p.file()),
    }
}
