//! The direction of dependencies, read from the source: each layer of the core may use the layers
//! before it and never those after it (`text` ← `corpus` ← `note` ← `checks` ← `ide`); the core
//! does no I/O and knows nothing of the protocol; and no two modules import each other, directly
//! or through others. A violation names the file and the offending path.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const LAYERS: &[&str] = &["text", "corpus", "note", "checks", "ide"];
/// What the pure core must never name: the protocol stack, the runtime, ropes, the file system,
/// and the parts of the crate outside the core.
const FORBIDDEN_IN_CORE: &[&str] =
    &["tower_lsp_server", "tokio", "ropey", "std::fs", "notify", "crate::lsp", "crate::workspace", "crate::cli", "crate::report"];

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The module a file defines, as a path below the crate: `src/analysis/checks/quotes/mod.rs` →
/// `analysis::checks::quotes`.
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts.join("::")
}

/// The source without comments and `#[cfg(test)]` items (tests may reach anywhere to set up).
fn code_of(text: &str) -> String {
    let mut code: String = text.lines().map(|line| line.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n");
    while let Some(at) = code.find("#[cfg(test)]") {
        // The item runs to the end of its braces (`mod tests { … }`) or to its `;` (`mod tests;`).
        let rest = &code[at..];
        let end = match (rest.find('{'), rest.find(';')) {
            (Some(open), semicolon) if semicolon.is_none_or(|s| open < s) => {
                let mut depth = 0usize;
                let mut close = rest.len();
                for (i, c) in rest[open..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                close = open + i + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                close
            }
            (_, Some(semicolon)) => semicolon + 1,
            _ => rest.len(),
        };
        code.replace_range(at..at + end, "");
    }
    code
}

/// Every `crate::…` path named in `code`, with `use crate::a::{b, c::d}` groups expanded to their
/// module prefixes (`crate::a::b`, `crate::a::c`).
fn crate_paths(code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let bytes = code.as_bytes();
    let mut at = 0;
    while let Some(found) = code[at..].find("crate::") {
        let start = at + found;
        at = start + "crate::".len();
        if start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_') {
            continue; // `noteproof_crate::`, not ours
        }
        let mut end = at;
        while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_' || bytes[end] == b':') {
            end += 1;
        }
        let prefix = code[start..end].trim_end_matches(':').to_string();
        if end < bytes.len() && bytes[end] == b'{' {
            let close = code[end..].find('}').map_or(code.len(), |c| end + c);
            for item in code[end + 1..close].split(',') {
                let item = item.trim();
                if !item.is_empty() && item != "self" {
                    paths.push(format!("{prefix}::{item}"));
                }
            }
        }
        paths.push(prefix);
    }
    paths
}

/// `code` with `super::` and `self::` paths spelled from the crate root (`crate::…`), so that
/// they are read like any other path.
fn relative_to_crate(code: &str, module: &str) -> String {
    let parent = module.rsplit_once("::").map_or("", |(parent, _)| parent);
    let spelled = |base: &str| if base.is_empty() { "crate::".to_string() } else { format!("crate::{base}::") };
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find('s') {
        let (before, candidate) = rest.split_at(at);
        out.push_str(before);
        let boundary = !out.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == ':');
        if boundary && candidate.starts_with("super::") {
            out.push_str(&spelled(parent));
            rest = &candidate["super::".len()..];
        } else if boundary && candidate.starts_with("self::") {
            out.push_str(&spelled(module));
            rest = &candidate["self::".len()..];
        } else {
            out.push('s');
            rest = &candidate[1..];
        }
    }
    out.push_str(rest);
    out
}

fn layer_of(module: &str) -> Option<usize> {
    let rest = module.strip_prefix("analysis::")?;
    let first = rest.split("::").next()?;
    LAYERS.iter().position(|layer| *layer == first)
}

/// The longest known module that `path` (`crate::a::b::Item`) lies in.
fn module_named(path: &str, modules: &BTreeSet<String>) -> Option<String> {
    let mut candidate = path.strip_prefix("crate::")?.to_string();
    loop {
        if modules.contains(&candidate) {
            return Some(candidate);
        }
        let cut = candidate.rfind("::")?;
        candidate.truncate(cut);
    }
}

struct Source {
    modules: BTreeSet<String>,
    /// module → (modules it names, with the path that names them, and the file)
    edges: BTreeMap<String, Vec<(String, String, PathBuf)>>,
    code: BTreeMap<String, (PathBuf, String)>,
}

fn read_source() -> Source {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = rust_files(&src);
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut edges: BTreeMap<String, Vec<(String, String, PathBuf)>> = BTreeMap::new();
    let mut code = BTreeMap::new();
    for file in &files {
        let module = module_of(&src, file);
        let text = code_of(&std::fs::read_to_string(file).unwrap());
        for path in crate_paths(&relative_to_crate(&text, &module)) {
            if let Some(target) = module_named(&path, &modules) {
                // A module may name its own children and itself; neither is a dependency.
                if target != module && !target.starts_with(&format!("{module}::")) && !module.is_empty() {
                    edges.entry(module.clone()).or_default().push((target, path, file.clone()));
                }
            }
        }
        code.insert(module, (file.clone(), text));
    }
    Source { modules, edges, code }
}

#[test]
fn paths_are_read_from_use_lines_groups_and_relative_paths() {
    let code = "use crate::analysis::{text::words, corpus::Corpus};\nuse super::quotes::memo;\nlet x = crate::workspace::normalize(p);";
    let paths = crate_paths(&relative_to_crate(code, "analysis::checks::figures"));
    for expected in [
        "crate::analysis::text::words",
        "crate::analysis::corpus::Corpus",
        "crate::analysis::checks::quotes::memo",
        "crate::workspace::normalize",
    ] {
        assert!(paths.iter().any(|p| p == expected), "{expected} not in {paths:?}");
    }
}

#[test]
fn layers_of_the_core_depend_only_on_earlier_layers() {
    let source = read_source();
    let mut violations = Vec::new();
    for (module, targets) in &source.edges {
        let Some(from) = layer_of(module) else { continue };
        for (target, path, file) in targets {
            if let Some(to) = layer_of(target) {
                if to > from {
                    violations.push(format!(
                        "{}: `{path}` — the {} layer may not use the later {} layer",
                        file.display(),
                        LAYERS[from],
                        LAYERS[to]
                    ));
                }
            }
        }
    }
    assert!(violations.is_empty(), "layer violations:\n{}", violations.join("\n"));
}

#[test]
fn the_cancellation_token_is_a_leaf_that_every_layer_may_use() {
    let source = read_source();
    assert!(source.modules.contains("analysis::cancel"), "src/analysis/cancel.rs exists");
    let used: Vec<&String> = source.edges.get("analysis::cancel").into_iter().flatten().map(|(_, path, _)| path).collect();
    assert!(used.is_empty(), "analysis::cancel uses nothing of the crate, so that `text` may use it too: {used:?}");
}

#[test]
fn the_core_does_no_io_and_knows_no_protocol() {
    let source = read_source();
    let mut violations = Vec::new();
    for (module, (file, code)) in &source.code {
        if !module.starts_with("analysis") {
            continue;
        }
        for forbidden in FORBIDDEN_IN_CORE {
            if code.contains(forbidden) {
                violations.push(format!("{}: names `{forbidden}`", file.display()));
            }
        }
    }
    assert!(violations.is_empty(), "the pure core reaches outside itself:\n{}", violations.join("\n"));
}

#[test]
fn no_modules_import_each_other_directly_or_through_others() {
    let source = read_source();
    // Depth-first search for a cycle; report the first one found with its files.
    let graph: BTreeMap<&str, BTreeSet<&str>> =
        source.edges.iter().map(|(module, targets)| (module.as_str(), targets.iter().map(|(t, _, _)| t.as_str()).collect())).collect();
    fn visit<'a>(
        module: &'a str,
        graph: &BTreeMap<&'a str, BTreeSet<&'a str>>,
        state: &mut BTreeMap<&'a str, u8>,
        stack: &mut Vec<&'a str>,
    ) -> Option<Vec<&'a str>> {
        state.insert(module, 1);
        stack.push(module);
        for &next in graph.get(module).into_iter().flatten() {
            match state.get(next).copied().unwrap_or(0) {
                1 => {
                    let from = stack.iter().position(|m| *m == next).unwrap();
                    let mut cycle = stack[from..].to_vec();
                    cycle.push(next);
                    return Some(cycle);
                }
                0 => {
                    if let Some(cycle) = visit(next, graph, state, stack) {
                        return Some(cycle);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(module, 2);
        None
    }
    let mut state = BTreeMap::new();
    for module in &source.modules {
        if state.get(module.as_str()).copied().unwrap_or(0) == 0 {
            if let Some(cycle) = visit(module, &graph, &mut state, &mut Vec::new()) {
                let named: Vec<String> = cycle
                    .windows(2)
                    .map(|pair| {
                        let (_, path, file) = source.edges[pair[0]].iter().find(|(t, _, _)| t == pair[1]).unwrap();
                        format!("{} → {} (`{path}` in {})", pair[0], pair[1], file.display())
                    })
                    .collect();
                panic!("an import cycle:\n{}", named.join("\n"));
            }
        }
    }
}
