//! A Jekyll 4 post's address, as `Jekyll::URL` fills the template with `Drops::UrlDrop`:
//! the template (the post's `permalink:`, else `collections.posts.permalink`, else the
//! site's `permalink`, a style name or a pattern), every placeholder, and the clean-up of
//! the result. The address is given unescaped, as Jekyll names the file it writes. Pure;
//! the caller reads the files.

use chrono::DateTime;
use chrono_tz::Tz;

use super::slugify::{slugify, Mode};
use crate::yaml::{Mapping, Value};

/// What of a post its address is made from.
pub(super) struct Post<'a> {
    /// From the site's root, `/`-separated: `a/b/_posts/2018-02-03-x.md`.
    pub relative_path: &'a str,
    /// The front matter's `slug:`, else the file name's part after the date.
    pub slug: &'a str,
    /// Jekyll's categories of the post, see [`categories`].
    pub categories: &'a [String],
    pub date: DateTime<Tz>,
}

/// The template of the site's posts (Jekyll's `Configuration#add_default_collections`):
/// `collections.posts.permalink` as written, else the `permalink` style (`date` when none).
pub(super) fn posts_template(config: Option<&Value>) -> String {
    let posts = config
        .and_then(|c| c.get("collections"))
        .and_then(|c| c.get("posts"))
        .and_then(|p| p.get("permalink"))
        .and_then(Value::as_str);
    if let Some(p) = posts {
        return p.to_owned();
    }
    let style = config
        .and_then(|c| c.get("permalink"))
        .and_then(Value::as_str)
        .unwrap_or("date");
    match style {
        "date" => "/:categories/:year/:month/:day/:title:output_ext",
        "pretty" => "/:categories/:year/:month/:day/:title/",
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext",
        "none" => "/:categories/:title:output_ext",
        custom => custom,
    }
    .to_owned()
}

/// A post's categories as Jekyll gathers them (`Document#categories_from_path`,
/// `#merge_categories!`, `#populate_categories`): the folders above `_posts/`, joined by
/// `categories:` (a string is split at spaces), then `category:` (or else `categories:`)
/// once more; duplicates dropped.
pub(super) fn categories(folders: &[String], front: &Mapping) -> Vec<String> {
    let strings = |v: &Value, split: bool| -> Vec<String> {
        match v {
            Value::Sequence(items) => items.iter().filter_map(scalar).collect(),
            Value::String(s) if split => s.split_whitespace().map(str::to_owned).collect(),
            v => scalar(v).into_iter().collect(),
        }
    };
    let mut out: Vec<String> = folders.to_vec();
    let plural = front.get("categories").filter(|v| !v.is_null());
    if let Some(v) = plural {
        out.extend(strings(v, true));
    }
    match front.get("category").filter(|v| !v.is_null()) {
        Some(v) => out.extend(strings(v, false)),
        None => out.extend(plural.map(|v| strings(v, true)).unwrap_or_default()),
    }
    let mut seen = Vec::with_capacity(out.len());
    for c in out {
        if !seen.contains(&c) {
            seen.push(c);
        }
    }
    seen
}

/// Ruby's `to_s` of a YAML scalar.
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `Jekyll::URL#to_s`: every `:placeholder` filled, then `..` and `./` taken out and
/// repeated `/` folded. `Err` names a placeholder Jekyll does not know (its build fails).
pub(super) fn url(template: &str, post: &Post) -> Result<String, String> {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(i) = rest.find(':') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let len = after
            .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
            .unwrap_or(after.len());
        let name = &after[..len];
        if name.is_empty() {
            out.push(':');
        } else {
            // `:year_` is `:year` then `_` when no placeholder has the longer name.
            let short = name.strip_suffix('_');
            let (winner, value) = placeholder(name, post)
                .map(|v| (name, v))
                .or_else(|| short.and_then(|s| placeholder(s, post).map(|v| (s, v))))
                .ok_or_else(|| name.to_owned())?;
            out.push_str(&value);
            out.push_str(&name[winner.len()..]);
        }
        rest = &after[len..];
    }
    out.push_str(rest);
    Ok(sanitize(&out))
}

/// `URL#sanitize_url`: a leading `/`, `..` → `/`, `./` removed, runs of `/` folded.
fn sanitize(url: &str) -> String {
    let url = format!("/{url}").replace("..", "/").replace("./", "");
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    out
}

/// The value of one placeholder of `Drops::UrlDrop`, `None` for a name it lacks.
fn placeholder(name: &str, post: &Post) -> Option<String> {
    let file = post.relative_path.rsplit('/').next().unwrap_or("");
    let (stem, ext) = match file.rfind('.') {
        Some(i) if i > 0 => (&file[..i], &file[i..]),
        _ => (file, ""),
    };
    let date = |f: &str| post.date.format(f).to_string();
    let value = match name {
        "collection" => "posts".to_owned(),
        "name" => slugify(stem, Mode::Default, false),
        "title" => slugify(post.slug, Mode::Pretty, true),
        "slug" => slugify(post.slug, Mode::Default, false),
        "categories" => joined(post.categories.iter().map(|c| c.to_lowercase())),
        "slugified_categories" => joined(
            post.categories
                .iter()
                .map(|c| slugify(c, Mode::Default, false)),
        ),
        "output_ext" => ".html".to_owned(),
        "path" => {
            // `Document#cleaned_relative_path`: no extension, the first `_posts` taken out.
            let no_ext = &post.relative_path[..post.relative_path.len() - ext.len()];
            no_ext
                .replacen("_posts", "", 1)
                .trim_end_matches('.')
                .to_owned()
        }
        _ => date(date_format(name)?),
    };
    Some(value)
}

/// The `strftime` format of a date placeholder.
fn date_format(name: &str) -> Option<&'static str> {
    Some(match name {
        "year" => "%Y",
        "month" => "%m",
        "day" => "%d",
        "hour" => "%H",
        "minute" => "%M",
        "second" => "%S",
        "i_day" => "%-d",
        "i_month" => "%-m",
        "short_month" => "%b",
        "long_month" => "%B",
        "short_year" => "%y",
        "w_year" => "%G",
        "week" => "%V",
        "w_day" => "%u",
        "short_day" => "%a",
        "long_day" => "%A",
        "y_day" => "%j",
        _ => return None,
    })
}

/// Joined with `/`, each once (Jekyll collects them in a `Set`).
fn joined(items: impl Iterator<Item = String>) -> String {
    let mut seen: Vec<String> = Vec::new();
    for item in items {
        if !seen.contains(&item) {
            seen.push(item);
        }
    }
    seen.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn post<'a>(relative_path: &'a str, slug: &'a str, categories: &'a [String]) -> Post<'a> {
        let date = chrono_tz::Asia::Seoul
            .with_ymd_and_hms(2018, 12, 31, 8, 5, 9)
            .unwrap();
        Post {
            relative_path,
            slug,
            categories,
            date,
        }
    }

    #[test]
    fn fills_every_placeholder() {
        let cats = ["Machine Learning".to_owned(), "machine learning".to_owned()];
        let p = post("a/_posts/2018-12-31-blog[1].md", "blog[1]", &cats);
        let url = |t: &str| url(t, &p).unwrap();
        assert_eq!(
            url(posts_template(None).as_str()),
            "/machine learning/2018/12/31/blog-1.html"
        );
        assert_eq!(
            url("/:slugified_categories/:slug/:name"),
            "/machine-learning/blog-1/2018-12-31-blog-1"
        );
        assert_eq!(
            url("/:i_month/:i_day/:short_year/:hour:minute:second"),
            "/12/31/18/080509"
        );
        assert_eq!(
            url("/:w_year/W:week/:w_day/:short_day/:long_day/:y_day"),
            "/2019/W01/1/Mon/Monday/365"
        );
        assert_eq!(url("/:short_month-:long_month"), "/Dec-December");
        assert_eq!(
            url("/:collection/:path:output_ext"),
            "/posts/a/2018-12-31-blog[1].html"
        );
        assert_eq!(url("/:year_:month/../x./y"), "/2018_12/xy");
        assert_eq!(url("/:title"), "/blog-1");
        assert_eq!(super::url("/:nope/", &p), Err("nope".to_owned()));
    }

    #[test]
    fn gathers_categories_as_jekyll() {
        let front = |y: &str| crate::yaml::from_str::<Mapping>(y).unwrap();
        let folders = ["Travel".to_owned()];
        assert_eq!(
            categories(&folders, &front("categories: [travel, 여행]")),
            ["Travel", "travel", "여행"]
        );
        assert_eq!(
            categories(&[], &front("categories: Deep Learning")),
            ["Deep", "Learning"]
        );
        assert_eq!(
            categories(&[], &front("category: Machine Learning")),
            ["Machine Learning"]
        );
        assert_eq!(
            categories(&[], &front("categories: [2019, Tech, tech]")),
            ["2019", "Tech", "tech"]
        );
        assert_eq!(categories(&folders, &front("title: x")), ["Travel"]);
    }
}
