//! What a Hugo site's config file (`hugo.toml`, `config.yaml`…) says about its pages'
//! addresses, languages and taxonomies. Read leniently: a key ilji does not understand is
//! left alone, and a config ilji cannot read at all gives Hugo's defaults.

use std::path::{Path, PathBuf};

use crate::yaml::{get_any_case, Mapping, Value};

use super::address::Shape;

/// Where a Hugo site keeps its configuration, in the order Hugo looks (`hugo.*` before
/// the older `config.*`).
pub(super) const CONFIG_FILES: [&str; 6] = [
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "config.toml",
    "config.yaml",
    "config.yml",
];

/// One language of a multilingual site.
#[derive(Debug, Clone)]
pub(super) struct Language {
    pub key: String,
    /// Its own content folder (`contentDir`), relative to the site, if it has one.
    pub content_dir: Option<PathBuf>,
}

/// The parts of the config that decide where pages were published.
pub(super) struct HugoConfig {
    /// `permalinks` for regular pages: (section path, pattern), the longest section first.
    pub permalinks: Vec<(String, String)>,
    /// The front-matter keys of its taxonomies: those of `[taxonomies]` (`topic = "topics"`
    /// gives `topics`; then only those), else Hugo's two, `categories` and `tags`.
    pub taxonomies: Vec<String>,
    /// The languages, by weight; empty for a site of one language.
    pub languages: Vec<Language>,
    /// `defaultContentLanguage` (Hugo's default: `en`).
    pub default_language: String,
    /// `defaultContentLanguageInSubdir`.
    pub default_in_subdir: bool,
    pub shape: Shape,
    /// `contentDir`, relative to the site.
    pub content_dir: PathBuf,
    /// `buildFuture`: pages dated (or to be published) later were published all the same.
    pub build_future: bool,
    /// Whether `[frontmatter] date` lists `:filename`, and before the front matter's own
    /// date (`Some(true)`) or after it.
    pub date_from_file_name: Option<bool>,
}

impl HugoConfig {
    pub fn read(site: &Path) -> HugoConfig {
        HugoConfig::from_map(&config_file(site).map(|(_, m)| m).unwrap_or_default())
    }

    pub fn from_map(config: &Mapping) -> HugoConfig {
        let table = |name: &str| {
            get_any_case(config, name)
                .and_then(|v| v.as_mapping().cloned())
                .unwrap_or_default()
        };
        let flag = |name: &str| get_any_case(config, name).and_then(Value::as_bool) == Some(true);
        let text = |name: &str| get_any_case(config, name).and_then(Value::as_str);
        let taxonomies = match get_any_case(config, "taxonomies") {
            Some(Value::Mapping(m)) => m
                .values()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            _ => vec!["categories".to_owned(), "tags".to_owned()],
        };
        HugoConfig {
            permalinks: page_permalinks(&table("permalinks")),
            taxonomies,
            languages: languages(&table("languages")),
            default_language: text("defaultContentLanguage")
                .unwrap_or("en")
                .to_lowercase(),
            default_in_subdir: flag("defaultContentLanguageInSubdir"),
            shape: Shape {
                lower_case: !flag("disablePathToLower"),
                ugly: flag("uglyURLs"),
            },
            content_dir: PathBuf::from(text("contentDir").unwrap_or("content")),
            build_future: flag("buildFuture"),
            date_from_file_name: file_name_date_rule(&table("frontmatter")),
        }
    }

    /// The pattern for a page in `folders` (`posts/go`): the rule of the longest section
    /// path it is in (`posts` covers `posts/go/x.md` too), or the root's (`/`).
    pub fn permalink_for(&self, folders: &[String]) -> Option<&str> {
        // Hugo matches the page's path as it normalises it: lower-cased, spaces to `-`.
        let path = folders
            .join("/")
            .to_lowercase()
            .replace(char::is_whitespace, "-");
        self.permalinks
            .iter()
            .find(|(section, _)| {
                if section.is_empty() {
                    folders.is_empty()
                } else {
                    path == *section || path.starts_with(&format!("{section}/"))
                }
            })
            .map(|(_, p)| p.as_str())
    }

    /// The folder a page of `lang` is published under (`en`), or empty.
    pub fn language_folder<'a>(&self, lang: &'a str) -> &'a str {
        if self.languages.is_empty() || lang == self.default_language && !self.default_in_subdir {
            ""
        } else {
            lang
        }
    }

    /// Whether `key` names one of the site's languages (the `en` of `index.en.md`).
    pub fn is_language(&self, key: &str) -> bool {
        self.languages.iter().any(|l| l.key == key)
    }
}

/// The `permalinks` table's patterns for regular pages: `section = "pattern"` and the
/// `[permalinks.page]` table, keys trimmed of `/` and lower-cased, the longest first.
fn page_permalinks(table: &Mapping) -> Vec<(String, String)> {
    let mut rules: Vec<(String, String)> = Vec::new();
    let mut add = |k: &Value, v: &Value| {
        if let (Some(k), Some(v)) = (k.as_str(), v.as_str()) {
            let section = k.trim_matches(|c| c == '/' || c == ' ').to_lowercase();
            rules.retain(|(s, _)| *s != section);
            rules.push((section, v.to_owned()));
        }
    };
    for (k, v) in table {
        if v.is_string() {
            add(k, v);
        }
    }
    if let Some(page) = get_any_case(table, "page").and_then(Value::as_mapping) {
        for (k, v) in page {
            add(k, v);
        }
    }
    rules.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
    rules
}

/// Where `:filename` stands in `[frontmatter] date = [":filename", ":default"]`: first
/// (`Some(true)`: the name's date wins), after another (`Some(false)`), or absent.
fn file_name_date_rule(table: &Mapping) -> Option<bool> {
    let handlers: Vec<String> = match get_any_case(table, "date")? {
        Value::Sequence(list) => list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_lowercase)
            .collect(),
        Value::String(one) => vec![one.to_lowercase()],
        _ => return None,
    };
    let at = handlers.iter().position(|h| h == ":filename")?;
    Some(at == 0)
}

/// The languages of `[languages]`, by weight then name, without disabled ones.
fn languages(table: &Mapping) -> Vec<Language> {
    let mut out: Vec<(i64, Language)> = table
        .iter()
        .filter_map(|(k, v)| {
            let key = k.as_str()?.to_lowercase();
            // A language's key becomes a folder of addresses (`/en/…`): only a plain name.
            let plain = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
            if key.is_empty() || !key.chars().all(plain) {
                return None;
            }
            let v = v.as_mapping();
            let get = |name: &str| v.and_then(|m| get_any_case(m, name));
            if get("disabled").and_then(Value::as_bool) == Some(true) {
                return None;
            }
            let weight = get("weight").and_then(Value::as_i64).unwrap_or(0);
            let content_dir = get("contentDir").and_then(Value::as_str).map(PathBuf::from);
            Some((weight, Language { key, content_dir }))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.key.cmp(&b.1.key)));
    out.into_iter().map(|(_, l)| l).collect()
}

/// The Hugo site's config file and what it holds, when it has one ilji can read: the
/// site's own (`hugo.toml`…) and the folder `config/_default/`, whose `hugo.toml` holds
/// the top and each other file one key (`permalinks.toml`, `languages.yaml`), merged as
/// Hugo merges them (a key of the site's own file wins).
pub(in crate::import) fn config_file(site: &Path) -> Option<(PathBuf, Mapping)> {
    let own = CONFIG_FILES.iter().find_map(|name| read_one(site, name));
    match (own, config_folder(site)) {
        (Some((path, mut map)), Some((_, folder))) => {
            for (k, v) in folder {
                if !map.contains_key(&k) {
                    map.insert(k, v);
                }
            }
            Some((path, map))
        }
        (own, folder) => own.or(folder),
    }
}

/// What `config/_default/` holds, as one map.
fn config_folder(site: &Path) -> Option<(PathBuf, Mapping)> {
    let dir = site.join("config/_default");
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .flatten()
        // A link could lead outside the old site; ilji reads only what is inside it.
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .collect();
    entries.sort();
    let (mut path, mut map) = CONFIG_FILES
        .iter()
        .filter(|name| entries.iter().any(|e| e.ends_with(name)))
        .find_map(|name| read_one(&dir, name))
        .unwrap_or_else(|| (dir.clone(), Mapping::new()));
    for file in entries {
        let Some(name) = file.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some(key) = name
            .strip_suffix(".toml")
            .or_else(|| name.strip_suffix(".yaml"))
        else {
            continue;
        };
        if matches!(key, "hugo" | "config") || map.contains_key(key) || key.contains('.') {
            continue;
        }
        if let Some((_, value)) = read_one(&dir, name) {
            map.insert(Value::String(key.to_owned()), Value::Mapping(value));
            if path == dir {
                path = dir.join(name);
            }
        }
    }
    (!map.is_empty()).then_some((path, map))
}

/// One config file of `dir`, TOML or YAML, when it holds a map.
fn read_one(dir: &Path, name: &str) -> Option<(PathBuf, Mapping)> {
    let text = std::fs::read_to_string(dir.join(name)).ok()?;
    let value: Option<Value> = if name.ends_with(".toml") {
        text.parse::<toml::Table>()
            .ok()
            .map(|t| super::super::front_matter::toml_to_yaml(toml::Value::Table(t)))
    } else {
        crate::yaml::config_value(&text)
    };
    match value {
        Some(Value::Mapping(m)) => Some((dir.join(name), m)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(yaml: &str) -> HugoConfig {
        let map: Mapping = crate::yaml::from_str(yaml).unwrap_or_default();
        HugoConfig::from_map(&map)
    }

    #[test]
    fn languages_by_weight_and_only_plain_keys() {
        let c = config(
            "defaultContentLanguage: KO\nlanguages:\n  en: {weight: 2}\n  ko: {weight: 1, contentDir: content/ko}\n  '../x': {weight: 0}\n  off: {disabled: true}\n",
        );
        let keys: Vec<&str> = c.languages.iter().map(|l| l.key.as_str()).collect();
        assert_eq!(keys, ["ko", "en"]);
        assert_eq!(c.default_language, "ko");
        assert_eq!(c.language_folder("ko"), "");
        assert_eq!(c.language_folder("en"), "en");
    }

    #[test]
    fn the_longest_section_rule_wins_and_page_tables_count() {
        let c = config(
            "permalinks:\n  posts: /p/:slug/\n  posts/go: /go/:slug/\n  page:\n    notes: /n/:slug/\n",
        );
        let folders = |f: &[&str]| f.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            c.permalink_for(&folders(&["posts", "go", "x"])),
            Some("/go/:slug/")
        );
        assert_eq!(c.permalink_for(&folders(&["Posts"])), Some("/p/:slug/"));
        assert_eq!(c.permalink_for(&folders(&["notes"])), Some("/n/:slug/"));
        assert_eq!(c.permalink_for(&folders(&[])), None);
    }
}
