//! Jekyll's front matter defaults (`defaults:` of `_config.yml`, `FrontmatterDefaults`):
//! the values a post gets from the sets whose scope (`path`, `type`) covers it, the more
//! specific winning, under its own front matter. Only what addresses need: a post's
//! `permalink`, `categories`, `category`, `slug` and `date` may come from there. Scopes
//! with a glob (`*`) are not matched.

use crate::yaml::{Mapping, Value};

/// One set of `defaults:`: its scope's path (empty: every file), whether the scope names a
/// type (only `posts` is kept), and its values.
struct Set {
    path: String,
    typed: bool,
    values: Mapping,
}

pub(super) struct Defaults(Vec<Set>);

impl Defaults {
    pub(super) fn from_config(config: Option<&Value>) -> Defaults {
        let sets = config
            .and_then(|c| c.get("defaults"))
            .and_then(Value::as_sequence)
            .map(|s| s.iter().filter_map(set).collect())
            .unwrap_or_default();
        Defaults(sets)
    }

    /// The front matter of the post at `relative_path` with the defaults under it
    /// (`FrontmatterDefaults#all`, then `Document#merge_data!`: `categories` add up).
    pub(super) fn apply(&self, relative_path: &str, front: &Mapping) -> Mapping {
        let mut merged = Mapping::new();
        let mut winner: Option<&Set> = None;
        for set in self.0.iter().filter(|s| covers(&s.path, relative_path)) {
            let wins = winner.is_none_or(|old| precedes(old, set));
            for (k, v) in &set.values {
                if wins || !merged.contains_key(k) {
                    merged.insert(k.clone(), v.clone());
                }
            }
            if wins {
                winner = Some(set);
            }
        }
        for (k, v) in front {
            let both = merged.get(k).filter(|_| k.as_str() == Some("categories"));
            let value = match both {
                Some(old) => Value::Sequence(words(old).into_iter().chain(words(v)).collect()),
                None => v.clone(),
            };
            merged.insert(k.clone(), value);
        }
        merged
    }
}

fn set(v: &Value) -> Option<Set> {
    let values = v.get("values")?.as_mapping()?.clone();
    let scope = v.get("scope");
    let path = scope
        .and_then(|s| s.get("path"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let kind = scope.and_then(|s| s.get("type"));
    if path.contains('*') || kind.is_some_and(|t| t.as_str() != Some("posts")) {
        return None;
    }
    Some(Set {
        path: path.trim_matches('/').to_owned(),
        typed: kind.is_some(),
        values,
    })
}

/// Whether a scope's path is the file or one of its folders.
fn covers(scope: &str, relative_path: &str) -> bool {
    scope.is_empty()
        || relative_path == scope
        || relative_path
            .strip_prefix(scope)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// `FrontmatterDefaults#has_precedence?`: a longer path wins; at equal length a typed
/// scope, or a later one when the earlier is not typed.
fn precedes(old: &Set, new: &Set) -> bool {
    if new.path.len() != old.path.len() {
        new.path.len() >= old.path.len()
    } else {
        new.typed || !old.typed
    }
}

/// `categories:` as Jekyll merges it: a string is its words.
fn words(v: &Value) -> Vec<Value> {
    match v {
        Value::String(s) => s
            .split_whitespace()
            .map(|w| Value::String(w.to_owned()))
            .collect(),
        Value::Sequence(items) => items.clone(),
        Value::Null => Vec::new(),
        other => vec![other.clone()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_specific_scope_wins_and_the_front_matter_over_all() {
        let config: Value = crate::yaml::from_str(
            "defaults:\n\
             - scope: {path: ''}\n  values: {permalink: /all/:title/, categories: [a]}\n\
             - scope: {path: _posts, type: posts}\n  values: {permalink: /posts/:title/}\n\
             - scope: {path: '_posts/*'}\n  values: {permalink: /glob/}\n\
             - scope: {type: pages}\n  values: {permalink: /page/}\n",
        )
        .unwrap();
        let d = Defaults::from_config(Some(&config));
        let front: Mapping = crate::yaml::from_str("categories: b c").unwrap();
        let m = d.apply("_posts/2020-01-01-x.md", &front);
        assert_eq!(
            m.get("permalink").and_then(Value::as_str),
            Some("/posts/:title/")
        );
        let cats: Vec<_> = words(&m["categories"])
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        assert_eq!(cats, ["a", "b", "c"]);
        let m = d.apply("blog/_posts/2020-01-01-x.md", &Mapping::new());
        assert_eq!(
            m.get("permalink").and_then(Value::as_str),
            Some("/all/:title/")
        );
    }
}
