//! The old blog's name, description, language and address, carried into `site.yaml`: from
//! Jekyll's `_config.yml` (`title`, `description`, `lang` or `locale`, `url` + `baseurl`)
//! or Hugo's config (`title`, `params.description` or `description`, `languageCode`,
//! `baseURL`), or a Tistory RSS file's channel (see `tistory::settings`). Only a setting `ilji init` left as it wrote it (or that is not there) is
//! replaced: what the writer set stays. The rest of `site.yaml`, comments too, is kept.

use std::path::{Path, PathBuf};

use super::redirects::Entries;
use super::{Dialect, ImportOptions};
use crate::config::{Config, CONFIG_FILE};
use crate::error::Diagnostic;
use crate::text::key_value;
use crate::yaml::{Mapping, Value};

/// The settings of the old blog, by `site.yaml` key, and the file they come from.
pub(super) fn of_old_blog(
    source: &Path,
    dialect: Dialect,
) -> Option<(PathBuf, Vec<(&'static str, String)>)> {
    let (file, config) = match dialect {
        Dialect::Jekyll => {
            let root = super::jekyll::site_root(source);
            match super::jekyll::read_config(&root)? {
                Value::Mapping(m) => (root.join("_config.yml"), m),
                _ => return None,
            }
        }
        Dialect::Hugo => super::hugo::config_file(&super::hugo::site_and_content(source).0)?,
        Dialect::Tistory => return super::tistory::settings(source),
    };
    let get = |m: &Mapping, key: &str| -> Option<String> {
        crate::yaml::get_any_case(m, key)
            .and_then(crate::yaml::scalar_text)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let params = crate::yaml::get_any_case(&config, "params")
        .and_then(Value::as_mapping)
        .cloned()
        .unwrap_or_default();
    let mut settings = Vec::new();
    settings.extend(get(&config, "title").map(|v| ("title", v)));
    let description = get(&config, "description").or_else(|| get(&params, "description"));
    settings.extend(description.map(|v| ("description", v)));
    let language = match dialect {
        Dialect::Jekyll => get(&config, "lang").or_else(|| get(&config, "locale")),
        Dialect::Hugo => {
            get(&config, "languageCode").or_else(|| get(&config, "defaultContentLanguage"))
        }
        Dialect::Tistory => None,
    };
    settings.extend(language.map(|v| ("language", v.replace('_', "-"))));
    let address = match dialect {
        Dialect::Jekyll => get(&config, "url").map(|url| {
            let base = get(&config, "baseurl").unwrap_or_default();
            format!("{}/{}", url.trim_end_matches('/'), base.trim_matches('/'))
        }),
        Dialect::Hugo => get(&config, "baseURL"),
        Dialect::Tistory => None,
    };
    settings.extend(address.map(|v| ("base_url", v)));
    Some((file, settings))
}

/// `site_yaml` with each of `settings` written in, where `init`'s value (or nothing) is
/// there; with the notes that say what changed. A value `site.yaml` would refuse (an
/// address that is not http(s)) is left out, with a note.
pub(super) fn carried_over(
    site_yaml: &str,
    settings: &[(&'static str, String)],
    from: &Path,
) -> (String, Vec<Diagnostic>) {
    let mut text = site_yaml.to_owned();
    let mut notes = Vec::new();
    for (key, value) in settings {
        let Some(changed) = with_setting(&text, key, value) else {
            continue;
        };
        if Config::parse(Path::new(CONFIG_FILE), &changed).is_ok() {
            text = changed;
            notes.push(Diagnostic::new(
                CONFIG_FILE,
                format!("`{key}` set to `{value}` from {}", from.display()),
            ));
        } else {
            notes.push(
                Diagnostic::new(
                    CONFIG_FILE,
                    format!(
                        "`{key}: {value}` of {} is not one ilji reads; not carried over",
                        from.display()
                    ),
                )
                .help(format!("set `{key}:` in site.yaml yourself")),
            );
        }
    }
    (text, notes)
}

/// `text` with the top-level `key:` line set to `value`, when it holds `init`'s value or is
/// missing (then added at the end); `None` when the writer set it, or it already is `value`.
fn with_setting(text: &str, key: &str, value: &str) -> Option<String> {
    let quoted = serde_json::to_string(value).ok()?;
    fn written<'t>(yaml: &'t str, key: &str) -> Option<(usize, &'t str)> {
        key_value(yaml, key).map(|(i, _, v)| (i, v.trim().trim_matches(['"', '\''])))
    }
    let Some((at, current)) = written(text, key) else {
        let sep = if text.is_empty() || text.ends_with('\n') {
            ""
        } else {
            "\n"
        };
        return Some(format!("{text}{sep}{key}: {quoted}\n"));
    };
    let init = written(crate::init::SITE_YAML, key).map(|(_, v)| v);
    if current == value || init != Some(current) {
        return None;
    }
    let lines: Vec<String> = text
        .split_inclusive('\n')
        .enumerate()
        .map(|(i, l)| {
            if i == at {
                format!("{key}: {quoted}\n")
            } else {
                l.to_owned()
            }
        })
        .collect();
    Some(lines.concat())
}

/// `site_yaml` with the `entries` (old address → new) added to its `redirects:` (made at the
/// end when it has none), except those whose old address it already redirects; its other
/// lines, comments too, are kept. With how many were added.
pub(super) fn with_redirects(site_yaml: &str, entries: &Entries) -> (String, usize) {
    let Ok(config) = Config::parse(Path::new(CONFIG_FILE), site_yaml) else {
        return (site_yaml.to_owned(), 0);
    };
    let known: Vec<&str> = config.redirects.iter().map(|r| r.from.as_str()).collect();
    let added: Vec<String> = entries
        .iter()
        .filter(|(from, _)| {
            crate::site_path::SitePath::from_alias(from).is_ok_and(|f| !known.contains(&f.as_str()))
        })
        .map(|(from, to)| format!("{}: {}\n", yaml_text(from), yaml_text(to)))
        .collect();
    if added.is_empty() {
        return (site_yaml.to_owned(), 0);
    }
    let lines: Vec<&str> = site_yaml.split_inclusive('\n').collect();
    let Some((at, _, value)) = key_value(site_yaml, "redirects") else {
        let sep = if site_yaml.is_empty() || site_yaml.ends_with('\n') {
            ""
        } else {
            "\n"
        };
        let block: String = added.iter().map(|e| format!("  {e}")).collect();
        return (format!("{site_yaml}{sep}redirects:\n{block}"), added.len());
    };
    // The entries written inline (`redirects: {…}`) are written out below the key.
    let mut block: Vec<String> = Vec::new();
    let inline = !value.is_empty() && !value.starts_with('#');
    if inline {
        let old: crate::yaml::Mapping = crate::yaml::from_str(site_yaml).unwrap_or_default();
        if let Some(Value::Mapping(m)) = old.get("redirects") {
            for (from, to) in m {
                let (from, to) = (crate::yaml::scalar_text(from), crate::yaml::scalar_text(to));
                if let (Some(from), Some(to)) = (from, to) {
                    block.push(format!("{}: {}\n", yaml_text(&from), yaml_text(&to)));
                }
            }
        }
    }
    block.extend(added.iter().cloned());
    // Below the last indented line of the block, with that line's indent.
    let mut end = at + 1;
    let mut indent = "  ".to_owned();
    for (i, line) in lines.iter().enumerate().skip(at + 1) {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if !line.starts_with([' ', '\t']) {
            break;
        }
        indent = line[..line.len() - line.trim_start().len()].to_owned();
        end = i + 1;
    }
    let mut out: String = lines[..at].concat();
    out.push_str(if inline { "redirects:\n" } else { lines[at] });
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&lines[at + 1..end].concat());
    out.extend(block.iter().map(|e| format!("{indent}{e}")));
    out.push_str(&lines[end..].concat());
    (out, added.len())
}

/// A site path as a YAML scalar: plain when it plainly is one (`/categories/맛집/`), else
/// quoted.
fn yaml_text(path: &str) -> String {
    let plain = path.starts_with('/')
        && path
            .chars()
            .all(|c| c.is_alphanumeric() || "/-_.~+".contains(c));
    if plain {
        path.to_owned()
    } else {
        serde_json::to_string(path).unwrap_or_default()
    }
}

/// Writes the old blog's settings into the site's `site.yaml` (not with `--dry-run`), and
/// the old blog's list and feed addresses (`redirects`) into its `redirects:`; the notes say
/// what changed.
pub(super) fn carry_over(
    opts: &ImportOptions,
    dialect: Dialect,
    redirects: &Entries,
) -> crate::error::Result<Vec<Diagnostic>> {
    let path = opts.root.join(CONFIG_FILE);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| crate::error::Error::io(Path::new(CONFIG_FILE), &e))?;
    let (mut changed, mut notes) = match of_old_blog(&opts.source, dialect) {
        Some((from, settings)) => {
            let shown = from.file_name().map_or(from.clone(), PathBuf::from);
            carried_over(&text, &settings, &shown)
        }
        None => (text.clone(), Vec::new()),
    };
    let (with, added) = with_redirects(&changed, redirects);
    if added > 0 {
        changed = with;
        notes.push(Diagnostic::new(
            CONFIG_FILE,
            format!(
                "{} of the old blog's list and feed pages added to `redirects:`, each leading to its new address",
                crate::text::plural(added, "address", "addresses")
            ),
        ));
    }
    if changed != text && !opts.dry_run {
        // Written beside it and renamed over it: site.yaml is whole at every moment.
        let fresh = opts.root.join(".site.yaml.ilji-import");
        std::fs::write(&fresh, changed.as_bytes())
            .and_then(|()| std::fs::rename(&fresh, &path))
            .map_err(|e| crate::error::Error::io(Path::new(CONFIG_FILE), &e))?;
    }
    Ok(notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const INIT: &str = "# 블로그 이름\ntitle: \"나의 운영 일지\"\n# 주소\nbase_url: \"http://127.0.0.1:4000\"\nlanguage: ko\ntimezone: Asia/Seoul\n";

    #[test]
    fn the_old_settings_replace_inits_and_keep_the_comments() {
        let settings = [
            ("title", "데이터 일기".to_owned()),
            ("description", "공부한 것".to_owned()),
            ("language", "ko-KR".to_owned()),
            ("base_url", "https://ratsgo.github.io/".to_owned()),
        ];
        let (text, notes) = carried_over(INIT, &settings, Path::new("_config.yml"));
        assert_eq!(
            text,
            "# 블로그 이름\ntitle: \"데이터 일기\"\n# 주소\nbase_url: \"https://ratsgo.github.io/\"\nlanguage: \"ko-KR\"\ntimezone: Asia/Seoul\ndescription: \"공부한 것\"\n"
        );
        assert_eq!(notes.len(), 4);
        assert!(
            notes[0].message.contains("from _config.yml"),
            "{}",
            notes[0]
        );
    }

    #[test]
    fn redirects_are_added_to_the_writers_and_comments_kept() {
        let entries: Entries = [
            ("/feed.xml", "/atom.xml"),
            ("/tags/a b/", "/tags/a-b/"),
            ("/old", "/x/"),
        ]
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
        let (text, added) = with_redirects(INIT, &entries);
        assert_eq!(added, 3);
        assert!(text.starts_with(INIT), "{text}");
        assert!(
            text.ends_with(
                "redirects:\n  /feed.xml: /atom.xml\n  /old: /x/\n  \"/tags/a b/\": /tags/a-b/\n"
            ),
            "{text}"
        );
        // The writer's `/old/` is `/old`: kept as written, not added again.
        let mine = "title: a\nredirects:\n    # mine\n    /old/: /y/\n\ntimezone: Asia/Seoul\n";
        let (text, added) = with_redirects(mine, &entries);
        assert_eq!(added, 2);
        assert_eq!(
            text,
            "title: a\nredirects:\n    # mine\n    /old/: /y/\n    /feed.xml: /atom.xml\n    \"/tags/a b/\": /tags/a-b/\n\ntimezone: Asia/Seoul\n"
        );
        let inline = "redirects: {/old/: /y/} # mine\ntitle: a\n";
        let (text, _) = with_redirects(inline, &entries);
        assert_eq!(
            text,
            "redirects:\n  /old/: /y/\n  /feed.xml: /atom.xml\n  \"/tags/a b/\": /tags/a-b/\ntitle: a\n"
        );
        assert_eq!(with_redirects(&text, &entries), (text.clone(), 0));
    }

    #[test]
    fn what_the_writer_set_stays_and_a_bad_address_is_not_carried() {
        let mine = "title: 내 블로그\nbase_url: \"http://127.0.0.1:4000\"\n";
        let settings = [
            ("title", "옛 이름".to_owned()),
            ("base_url", "example.org".to_owned()),
        ];
        let (text, notes) = carried_over(mine, &settings, Path::new("config.toml"));
        assert_eq!(text, mine);
        assert_eq!(notes.len(), 1);
        assert!(
            notes[0].message.contains("not one ilji reads"),
            "{}",
            notes[0]
        );
    }
}
