//! The layers of `src/` point one way (README.md, "Code layout"): quantities -> data -> scenario
//! -> energy, electricity, embodied -> assessment -> uncertainty, cluster -> output -> command line.
//!
//! This test reads every source file and fails when an import goes against the layers, when two
//! files import each other through any chain, when a core module names the command-line,
//! table, plotting or progress crates or prints, or when a file grows past 700 lines.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top-level modules and their layer; a module may import only from lower layers (and from
/// itself). `error` and `choice` serve every layer.
const LAYERS: [(&str, u8); 13] = [
    ("error", 0),
    ("choice", 0),
    ("quantity", 1),
    ("data", 2),
    ("scenario", 3),
    ("energy", 4),
    ("electricity", 4),
    ("embodied", 4),
    ("assessment", 5),
    ("uncertainty", 6),
    ("cluster", 6),
    ("output", 7),
    ("cli", 8),
];

/// What the core (layers 0 to 6) never names.
const NOT_IN_CORE: [&str; 10] = [
    "clap",
    "comfy_table",
    "plotters",
    "indicatif",
    "println!",
    "eprintln!",
    "print!(",
    "eprint!(",
    "IsTerminal",
    "std::io::stdout",
];

/// What the output layer never names: it renders, the command line prints and parses.
const NOT_IN_OUTPUT: [&str; 6] = [
    "clap",
    "indicatif",
    "println!",
    "eprintln!",
    "IsTerminal",
    "std::io::stdout",
];

const MAX_LINES: usize = 700;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("src is readable") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The module path of a file: `src/energy/trace/mod.rs` -> ["energy", "trace"].
fn module_of(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src()).expect("under src");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|c| c.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts
        .last()
        .is_some_and(|l| l == "mod" || l == "lib" || l == "main")
    {
        parts.pop();
    }
    parts
}

/// The text with comments removed (line comments and doc comments), so that prose that names a
/// crate is not taken for code.
fn code(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::a::b::...` path a file names, expanded through `use crate::{a::b, c}` groups.
fn crate_paths(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while let Some(k) = code[i..].find("crate::") {
        let start = i + k;
        let before_ok = start == 0
            || !(bytes[start - 1].is_ascii_alphanumeric()
                || bytes[start - 1] == b'_'
                || bytes[start - 1] == b'$');
        i = start + "crate::".len();
        if !before_ok {
            continue;
        }
        if code[i..].starts_with('{') {
            let end = code[i..].find('}').map_or(code.len(), |e| i + e);
            for part in code[i + 1..end].split(',') {
                let p: Vec<String> = part
                    .trim()
                    .split("::")
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
                if !p.is_empty() {
                    out.push(p);
                }
            }
            continue;
        }
        let seg: String = code[i..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        let p: Vec<String> = seg
            .split("::")
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        if !p.is_empty() {
            out.push(p);
        }
    }
    out
}

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

/// The file a path resolves to: the longest prefix that is a module file.
fn resolve(path: &[String], modules: &BTreeMap<Vec<String>, PathBuf>) -> Option<PathBuf> {
    (1..=path.len())
        .rev()
        .find_map(|n| modules.get(&path[..n].to_vec()).cloned())
}

#[test]
fn imports_follow_the_layers_and_form_no_cycle() {
    let mut all = Vec::new();
    files(&src(), &mut all);
    all.sort();
    let modules: BTreeMap<Vec<String>, PathBuf> =
        all.iter().map(|f| (module_of(f), f.clone())).collect();
    let mut problems = Vec::new();
    let mut graph: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    for f in &all {
        let m = module_of(f);
        let Some(top) = m.first() else { continue };
        let Some(own) = layer(top) else {
            problems.push(format!("{}: module `{top}` has no layer", f.display()));
            continue;
        };
        let text = std::fs::read_to_string(f).expect("readable");
        let c = code(&text);
        for p in crate_paths(&c) {
            let Some(dep_layer) = layer(&p[0]) else {
                continue; // a macro or a crate-root item such as `crate::choice!`
            };
            if p[0] != *top && dep_layer >= own {
                problems.push(format!(
                    "{}: `{top}` (layer {own}) imports `crate::{}` (layer {dep_layer})",
                    f.display(),
                    p.join("::")
                ));
            }
            if let Some(target) = resolve(&p, &modules) {
                if &target != f {
                    graph.entry(f.clone()).or_default().insert(target);
                }
            }
        }
        let banned: &[&str] = if own <= 6 {
            &NOT_IN_CORE
        } else if own == 7 {
            &NOT_IN_OUTPUT
        } else {
            &[]
        };
        for b in banned {
            if c.contains(b) {
                problems.push(format!("{}: `{top}` names `{b}`", f.display()));
            }
        }
        let n = text.lines().count();
        if n > MAX_LINES {
            problems.push(format!("{}: {n} lines (at most {MAX_LINES})", f.display()));
        }
    }
    // A cycle between files: depth-first search with colours.
    fn visit(
        n: &PathBuf,
        g: &BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        state: &mut BTreeMap<PathBuf, u8>,
        stack: &mut Vec<PathBuf>,
        cycles: &mut Vec<String>,
    ) {
        state.insert(n.clone(), 1);
        stack.push(n.clone());
        for m in g.get(n).into_iter().flatten() {
            match state.get(m).copied().unwrap_or(0) {
                0 => visit(m, g, state, stack, cycles),
                1 => {
                    let i = stack.iter().position(|x| x == m).unwrap_or(0);
                    let names: Vec<String> = stack[i..]
                        .iter()
                        .chain(std::iter::once(m))
                        .map(|p| p.strip_prefix(src()).unwrap_or(p).display().to_string())
                        .collect();
                    cycles.push(format!("import cycle: {}", names.join(" -> ")));
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n.clone(), 2);
    }
    let mut state = BTreeMap::new();
    let mut cycles = Vec::new();
    for n in graph.keys() {
        if state.get(n).copied().unwrap_or(0) == 0 {
            visit(n, &graph, &mut state, &mut Vec::new(), &mut cycles);
        }
    }
    problems.extend(cycles);
    assert!(
        problems.is_empty(),
        "the layers are broken:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_checker_sees_a_wrong_import() {
    // The parser of paths must see both plain paths and `use crate::{...}` groups.
    let p = crate_paths(
        "use crate::{output::num, quantity::interval::Interval};\nlet x = crate::cli::run(c);",
    );
    assert_eq!(p[0], vec!["output", "num"]);
    assert_eq!(p[1], vec!["quantity", "interval", "Interval"]);
    assert_eq!(p[2], vec!["cli", "run"]);
    assert_eq!(layer("cli"), Some(8));
    assert!(code("x // crate::cli").find("crate::cli").is_none());
}
