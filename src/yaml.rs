//! The one door to the YAML library. serde_yaml is deprecated upstream but is the named
//! stack; every module reads YAML through here, so that a maintained fork would replace it in
//! this file alone. Also: a YAML value as text, and a YAML error as a diagnostic in the
//! user's file.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Serialize;
pub use serde_yaml::{Error, Mapping, Value};

use crate::error::Diagnostic;

/// A YAML text as `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    serde_yaml::from_str(text)
}

/// A YAML value as `T`.
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, Error> {
    serde_yaml::from_value(value)
}

/// A config file's YAML text as a value; `None` when it is broken or nested too deep for
/// serde_yaml to read in time (read as a broken one).
pub fn config_value(text: &str) -> Option<Value> {
    crate::yaml_nesting::too_deep(text, crate::yaml_nesting::MAX_DEPTH)
        .is_none()
        .then(|| from_str(text).ok())
        .flatten()
}

/// The value of `key` in `map`, the key's case ignored (`baseURL`, `baseurl`).
pub fn get_any_case<'m>(map: &'m Mapping, key: &str) -> Option<&'m Value> {
    map.iter()
        .find(|(k, _)| k.as_str().is_some_and(|k| k.eq_ignore_ascii_case(key)))
        .map(|(_, v)| v)
}

/// `value` written as YAML.
pub fn to_string<T: Serialize>(value: &T) -> Result<String, Error> {
    serde_yaml::to_string(value)
}

/// A YAML scalar as text (`2025` → "2025"); `None` for lists and maps.
pub fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(t) => scalar_text(&t.value),
        _ => None,
    }
}

/// A serde_yaml error as a diagnostic, its line shifted by `line_offset` (the lines of the
/// user's file that come before the YAML text).
pub(crate) fn error_at(path: &Path, err: &Error, line_offset: usize) -> crate::error::Error {
    let mut message = err.to_string();
    // serde_yaml appends " at line L column C"; we print the location ourselves.
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    let mut d = Diagnostic::new(path, message);
    if let Some(loc) = err.location() {
        d = d.at(loc.line() + line_offset, loc.column());
    }
    let help = if d.message.starts_with("unknown field") {
        "remove or correct this key; a theme's own settings go under `extra:`"
    } else {
        "fix the YAML here; quote values that contain `: ` or start with a quote or [ {"
    };
    d.help(help).into()
}
