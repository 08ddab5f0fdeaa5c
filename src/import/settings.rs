//! The old blog's name, description, language and address, carried into `site.yaml`: from
//! Jekyll's `_config.yml` (`title`, `description`, `lang` or `locale`, `url` + `baseurl`)
//! or Hugo's config (`title`, `params.description` or `description`, `languageCode`,
//! `baseURL`), or a Tistory RSS file's channel (see `tistory::settings`). Only a setting `ilji init` left as it wrote it (or that is not there) is
//! replaced: what the writer set stays. The rest of `site.yaml`, comments too, is kept.

use std::path::{Path, PathBuf};

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

/// Writes the old blog's settings into the site's `site.yaml` (not with `--dry-run`); the
/// notes say what changed.
pub(super) fn carry_over(
    opts: &ImportOptions,
    dialect: Dialect,
) -> crate::error::Result<Vec<Diagnostic>> {
    let Some((from, settings)) = of_old_blog(&opts.source, dialect) else {
        return Ok(Vec::new());
    };
    let path = opts.root.join(CONFIG_FILE);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| crate::error::Error::io(Path::new(CONFIG_FILE), &e))?;
    let shown = from.file_name().map_or(from.clone(), PathBuf::from);
    let (changed, notes) = carried_over(&text, &settings, &shown);
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
