//! A post's JSON-LD `BlogPosting` (schema.org), which themes print inside a `<script>` for
//! search engines (`page.json_ld`).

use serde::Serialize;

use super::json::to_string;
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
    // Strings, options of strings and structs of them always serialise.
    let json = to_string(&posting, 512 + 2 * meta.description.len()).unwrap_or_default();
    // "</" would end the script element early.
    if json.contains("</") {
        json.replace("</", "<\\/")
    } else {
        json
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posting<'a>(texts: &'a [&'a str; 7], dates: bool, image: bool) -> BlogPosting<'a> {
        BlogPosting {
            context: "https://schema.org",
            kind: "BlogPosting",
            author: Person {
                kind: "Person",
                name: texts[0],
            },
            date_modified: dates.then_some(texts[1]),
            date_published: dates.then_some(texts[2]),
            description: texts[3],
            headline: texts[4],
            image: image.then_some(texts[5]),
            main_entity_of_page: texts[6],
            url: texts[6],
        }
    }

    #[test]
    fn prints_as_serde_json_in_the_order_it_always_had() {
        let texts = [
            "작은 \"가게\" 사장",
            "2025-09-10T09:00:00+09:00",
            "2025-09-08T07:00:00+09:00",
            "줄\n바꿈\t탭 \u{1} </script> \\ 끝",
            "고객 불만이 기회가 된 순간들",
            "http://127.0.0.1:4000/posts/a/photo.jpg",
            "http://127.0.0.1:4000/posts/%EA%B0%80/",
        ];
        for (dates, image) in [(true, true), (false, false), (true, false)] {
            let view = posting(&texts, dates, image);
            let ours = to_string(&view, 0).unwrap();
            assert_eq!(ours, serde_json::to_string(&view).unwrap());
            let image_field = if image {
                format!(",\"image\":{}", serde_json::to_string(texts[5]).unwrap())
            } else {
                String::new()
            };
            let date = |d: &str| match dates {
                true => serde_json::to_string(d).unwrap(),
                false => "null".to_owned(),
            };
            let json = |s: &str| serde_json::to_string(s).unwrap();
            assert_eq!(
                ours,
                format!(
                    "{{\"@context\":\"https://schema.org\",\"@type\":\"BlogPosting\",\"author\":{{\"@type\":\"Person\",\"name\":{}}},\"dateModified\":{},\"datePublished\":{},\"description\":{},\"headline\":{}{image_field},\"mainEntityOfPage\":{},\"url\":{}}}",
                    json(texts[0]),
                    date(texts[1]),
                    date(texts[2]),
                    json(texts[3]),
                    json(texts[4]),
                    json(texts[6]),
                    json(texts[6]),
                )
            );
        }
    }

    #[test]
    fn writes_nothing_but_strings_options_and_structs() {
        assert!(to_string(&3, 0).is_err());
        assert!(to_string(&vec!["a"], 0).is_err());
        assert_eq!(to_string(&Some("a"), 0).unwrap(), "\"a\"");
    }
}
