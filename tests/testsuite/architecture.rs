//! The shape of the source tree that the README's "Architecture" promises: the top-level
//! modules of `src/` import one another without a cycle, and no source file is over 600
//! lines. (Read from the files, as a reviewer would.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 600;

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("src/ is readable").path();
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module of a file of `src/` (`src/render/views.rs` → `render`).
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).expect("a file of src/");
    let first = rel.components().next().expect("a file of src/");
    let name = first.as_os_str().to_string_lossy();
    name.trim_end_matches(".rs").to_owned()
}

/// The top-level modules a text names as `crate::x` or in `use crate::{x, …}`.
fn named_modules(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // The items at the group's own depth: `{a::b, c::{d, e}}` names `a` and `c`.
            let (mut depth, mut item) = (0, String::new());
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        names.insert(item.trim().split("::").next().unwrap_or("").to_owned());
                        item.clear();
                    }
                    c if depth == 0 => item.push(c),
                    _ => {}
                }
            }
            names.insert(item.trim().split("::").next().unwrap_or("").to_owned());
        } else {
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            names.insert(rest[..end].to_owned());
        }
    }
    names.retain(|n| !n.is_empty() && n != "self");
    names
}

/// A cycle of `graph`, if it has one, as the modules along it.
fn a_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_modules_of_src_form_no_cycle_and_no_file_is_too_long() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut too_long = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        if text.lines().count() > MAX_LINES {
            too_long.push(file.strip_prefix(&src).unwrap().display().to_string());
        }
        let module = module_of(&src, file);
        let uses = named_modules(&text);
        let edges = graph.entry(module.clone()).or_default();
        edges.extend(uses.into_iter().filter(|m| *m != module));
    }
    assert!(graph.len() > 10, "read the modules of {}", src.display());
    assert_eq!(
        a_cycle(&graph),
        None,
        "an import cycle between the modules of src/"
    );
    assert!(too_long.is_empty(), "over {MAX_LINES} lines: {too_long:?}");
}

#[test]
fn a_cycle_is_found_and_named() {
    let graph = |edges: &[(&str, &str)]| {
        let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (a, b) in edges {
            g.entry((*a).to_owned())
                .or_default()
                .insert((*b).to_owned());
        }
        g
    };
    let names = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let layered = graph(&[
        ("render", "site"),
        ("site", "content"),
        ("render", "content"),
    ]);
    assert_eq!(a_cycle(&layered), None);
    let cyclic = graph(&[
        ("config", "content"),
        ("content", "text"),
        ("text", "config"),
    ]);
    assert_eq!(
        a_cycle(&cyclic),
        Some(names(&["config", "content", "text", "config"]))
    );
    let uses = named_modules(
        "use crate::{config::Config, text::{a, b}};\nlet x = crate::html::escape(y);",
    );
    assert_eq!(
        uses.into_iter().collect::<Vec<_>>(),
        names(&["config", "html", "text"])
    );
}
