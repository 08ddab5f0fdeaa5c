//! A post's JSON-LD `BlogPosting` (schema.org), which themes print inside a `<script>` for
//! search engines (`page.json_ld`).

use serde::Serialize;

use super::post_meta::PostMeta;
use crate::config::Config;
use crate::content::Page;

/// The fields of a `BlogPosting`, in the alphabetical order they have always been printed in;
/// a missing date is `null`, a missing image left out.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BlogPosting<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    author: Person<'a>,
    date_modified: Option<&'a str>,
    date_published: Option<&'a str>,
    description: &'a str,
    headline: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    main_entity_of_page: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct Person<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

/// JSON-LD `BlogPosting` of post `p` (whose meta is `meta`), safe to put inside `<script>`.
pub fn json_ld(config: &Config, meta: &PostMeta, p: &Page) -> String {
    let author = if config.author.is_empty() {
        &config.title
    } else {
        &config.author
    };
    let posting = BlogPosting {
        context: "https://schema.org",
        kind: "BlogPosting",
        author: Person {
            kind: "Person",
            name: author,
        },
        date_modified: meta.updated.as_deref().or(meta.date.as_deref()),
        date_published: meta.date.as_deref(),
        description: &meta.description,
        headline: &p.title,
        image: meta.image.as_deref(),
        main_entity_of_page: &meta.permalink,
        url: &meta.permalink,
    };
    // Strings and options of strings always serialise.
    let json = serde_json::to_string(&posting).unwrap_or_default();
    // "</" would end the script element early.
    if json.contains("</") {
        json.replace("</", "<\\/")
    } else {
        json
    }
}
