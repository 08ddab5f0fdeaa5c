//! Rendering: which pages a site publishes, and each of them as bytes, through the theme's
//! Tera templates or written directly. It writes nothing; `build` hands the bytes to
//! `output`.
//!
//! In the order a page is made:
//! - `jobs.rs`: every page of a site (a [`Job`]) and where it goes;
//! - `templates.rs`: the theme's templates, loaded ([`Templates`]); `template_error.rs`:
//!   Tera's errors as diagnostics that point at the template's line; `strings.rs`: the
//!   theme's words in the site's language (`t`) and the `fill` filter; `inline_words.rs`:
//!   the words written into the templates as they load;
//! - `renderer.rs`: a job to bytes ([`Renderer`]); `partials.rs`: the optional partials,
//!   each rendered once;
//! - `views.rs`: the template contract, the views templates see; made from `linker.rs`
//!   (links and dates as text), `post_meta.rs` (what every view of a post shows, made
//!   once), `terms.rs` (category and tag links, shared), `json_ld.rs` and `toc.rs`;
//! - `list_views.rs`: a post as the lists show it, compared by `serve` after a save;
//! - written directly: `feeds.rs` (Atom, sitemap, robots.txt), `search.rs` (the search
//!   index, with `json.rs`'s fast JSON strings), `redirect.rs` (pages at old addresses).

pub mod feeds;
mod inline_words;
mod jobs;
pub(crate) mod json;
mod json_ld;
mod linker;
mod list_views;
mod partials;
mod post_meta;
mod redirect;
mod renderer;
pub mod search;
mod strings;
mod template_error;
mod templates;
mod terms;
mod toc;
pub mod views;

pub use jobs::{copied_feed, job_file, job_path, jobs, pager_count, Job};
pub use list_views::ListViews;
pub use renderer::Renderer;
pub use templates::{
    Templates, CATEGORY_NAV_TEMPLATE, ENTRY_TEMPLATE, OTHER_POST_TEMPLATE, REQUIRED_TEMPLATES,
    SEARCH_TEMPLATE, SITE_NAV_TEMPLATE,
};
