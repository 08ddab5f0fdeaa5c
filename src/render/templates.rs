//! The theme's Tera templates, overridden file by file by the site's `templates/`: their
//! names (the required ones and the optional partials, README "Templates"), and loading
//! them into a [`Templates`] ready to render, with the theme's words (`strings.rs`).
//!
//! It renders nothing; [`super::Renderer`] does.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use tera::Tera;
use walkdir::WalkDir;

use super::inline_words::inline_words;
use super::strings::{self, ThemeStrings};
use super::template_error::template_error;
use crate::config::Config;
use crate::error::{Diagnostic, Error, Result};

/// Templates every theme must provide.
pub const REQUIRED_TEMPLATES: [&str; 8] = [
    "base.html",
    "index.html",
    "post.html",
    "page.html",
    "category.html",
    "tag.html",
    "archive.html",
    "404.html",
];

/// The optional template of the `/search/` page.
pub const SEARCH_TEMPLATE: &str = "search.html";

/// The optional partial of the category navigation, rendered once per category (README
/// "Templates") and handed to every page as `category_nav`.
pub const CATEGORY_NAV_TEMPLATE: &str = "partials/category_nav.html";

/// The optional partial of the site menu, rendered once per page it can mark as current
/// (README "Templates") and handed to every page as `site_nav`.
pub const SITE_NAV_TEMPLATE: &str = "partials/site_nav.html";

/// The optional partial of one entry of a list page, rendered once per post and kind of list
/// (README "Templates") and handed to list pages as each entry's `html`.
pub const ENTRY_TEMPLATE: &str = "partials/entry.html";

/// The optional partial of one item of a post's "other posts in this category" list, rendered
/// once per post (README "Templates") and handed to post pages as each link's `html`.
pub const OTHER_POST_TEMPLATE: &str = "partials/other_post.html";

/// Template name → (file, text): the text to render, and where to point an error.
pub(crate) type Sources = HashMap<String, (PathBuf, String)>;

/// The theme's templates with the site's over them, read and parsed; they do not depend on
/// the content, so a build makes them while it reads the content.
pub struct Templates {
    tera: Tera,
    /// Template name → (file, text), to locate runtime errors.
    sources: Sources,
    /// The theme's words in the site's language, as `t`, if it has any.
    words: Option<tera::Value>,
}

impl Templates {
    /// Whether the theme (or the site) has a search page template: then the site gets one,
    /// and the search index beside it.
    pub fn has_search_page(&self) -> bool {
        self.has(SEARCH_TEMPLATE)
    }

    /// The theme's words in the site's language, as `t`, if it has any (see
    /// [`ThemeStrings::for_language`]).
    pub(super) fn words(&self) -> Option<&tera::Value> {
        self.words.as_ref()
    }

    /// Whether the theme (or the site) has the template `name`.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// Renders template `name` in `ctx` to the end of `out`; an error names the template's
    /// file, line and column.
    pub(crate) fn render_to(
        &self,
        name: &str,
        ctx: &tera::Context,
        out: &mut Vec<u8>,
    ) -> Result<()> {
        self.tera
            .render_to(name, ctx, out)
            .map_err(|e| template_error(&e, &self.sources))
    }

    /// Reads and parses the templates of the site's theme and the site's own (at `root`),
    /// with the theme's words in the site's language written in (`inline_words.rs`).
    pub fn load(root: &Path, config: &Config) -> Result<Templates> {
        let mut sources = load_templates(root, &config.theme)?;
        let words = ThemeStrings::load(root, &config.theme)?.for_language(&config.language);
        if let Some(words) = &words {
            for (_, text) in sources.values_mut() {
                if let Some(written) = inline_words(text, words) {
                    // Errors point into the text Tera parses: it is what they show.
                    *text = written;
                }
            }
        }
        let mut tera = Tera::new();
        tera.set_escape_fn(crate::html::escape_html_to);
        tera.register_filter("fill", strings::fill);
        tera.add_raw_templates(
            sources
                .iter()
                .map(|(name, (_, text))| (name.as_str(), text.as_str())),
        )
        .map_err(|e| template_error(&e, &sources))?;
        Ok(Templates {
            tera,
            sources,
            words: words.as_ref().map(strings::to_value),
        })
    }
}

/// Reads `themes/<theme>/templates/**` then the site's `templates/**` over it.
fn load_templates(root: &Path, theme: &str) -> Result<Sources> {
    let theme_dir = Path::new("themes").join(theme).join("templates");
    if !root.join(&theme_dir).is_dir() {
        return Err(Diagnostic::new(
            crate::config::CONFIG_FILE,
            format!("the theme `{theme}` has no folder {}", theme_dir.display()),
        )
        .help(
            "set `theme:` in site.yaml to a folder under themes/, or copy the default theme there",
        )
        .into());
    }
    let mut sources = HashMap::new();
    for dir in [theme_dir, PathBuf::from("templates")] {
        let abs = root.join(&dir);
        if !abs.is_dir() {
            continue;
        }
        for entry in WalkDir::new(&abs).sort_by_file_name() {
            let entry = entry.map_err(|e| {
                Error::io(
                    &dir,
                    &e.into_io_error()
                        .unwrap_or_else(|| std::io::Error::other("a link loops")),
                )
            })?;
            let name = entry.file_name().to_string_lossy();
            if !entry.file_type().is_file() || crate::fsutil::is_ignored_name(&name) {
                continue;
            }
            let rel = entry.path().strip_prefix(&abs).unwrap_or(entry.path());
            let tname = rel.to_string_lossy().replace('\\', "/");
            let file = dir.join(rel);
            let bytes = std::fs::read(entry.path()).map_err(|e| Error::io(&file, &e))?;
            let text = crate::text::decode_utf8(&file, &bytes)?;
            sources.insert(tname, (file, text));
        }
    }
    let missing: Vec<Diagnostic> = REQUIRED_TEMPLATES
        .iter()
        .filter(|t| !sources.contains_key(**t))
        .map(|t| {
            Diagnostic::new(
                Path::new("themes").join(theme).join("templates"),
                format!("the template {t} is missing"),
            )
            .help(format!("add templates/{t} to the site or to the theme"))
        })
        .collect();
    if !missing.is_empty() {
        return Err(Error::many(missing));
    }
    Ok(sources)
}
