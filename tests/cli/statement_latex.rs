//! The LaTeX mlca writes, compiled as a paper would: the statement with its BibTeX file
//! (`--bib`) through pdflatex and bibtex (styles plain and plainnat), the comparison table and
//! the assessment tables, each in a plain `article` with booktabs (and tabularx for the
//! tables). The logs must hold no warning and no overfull box: the tables fit the text width,
//! every citation resolves and every entry is complete. Where no LaTeX engine is installed the
//! test says SKIPPED (`.ci/run` installs one).

use crate::common::*;
use std::path::Path;
use std::process::Command;

const STATEMENTS: [&str; 5] = [
    "scenarios/jay2024-apollo-resnet50.yaml",
    "scenarios/apollo-6500-bom.yaml",
    "scenarios/trace-nvidia-smi-example.yaml",
    "scenarios/extrapolate-example.yaml",
    "scenarios/uncertainty/jetson-resnet50star.yaml",
];

fn have(cmd: &str) -> bool {
    Command::new(cmd)
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// Run `cmd args` in `dir`; its standard output, after checking it succeeded.
fn tool(dir: &Path, cmd: &str, args: &[&str]) -> String {
    let o = Command::new(cmd)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{cmd}: {e}"));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(o.status.success(), "{cmd} {args:?} failed:\n{out}");
    out
}

/// The lines of a LaTeX or BibTeX log that report a problem.
fn problems(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|l| l.contains("Warning") || l.contains("Overfull") || l.contains("undefined"))
        .collect()
}

/// Compile `body` as `name.tex` in `dir` (with bibtex when `bib_style` is given): its log
/// must be clean; the PDF is left in `dir`.
fn compile(dir: &Path, name: &str, packages: &str, body: &str, bib_style: Option<&str>) {
    let bibliography = bib_style.map_or(String::new(), |s| {
        format!("\\bibliographystyle{{{s}}}\n\\bibliography{{refs}}\n")
    });
    let doc = format!(
        "\\documentclass{{article}}\n\\usepackage{{{packages}}}\n\\begin{{document}}\n{body}\n{bibliography}\\end{{document}}\n"
    );
    std::fs::write(dir.join(format!("{name}.tex")), doc).expect("tex written");
    let tex = format!("{name}.tex");
    let latex = || {
        tool(
            dir,
            "pdflatex",
            &["-interaction=nonstopmode", "-halt-on-error", &tex],
        )
    };
    latex();
    if bib_style.is_some() {
        let out = tool(dir, "bibtex", &[name]);
        let blg = std::fs::read_to_string(dir.join(format!("{name}.blg"))).expect("blg");
        assert!(
            problems(&out).is_empty() && problems(&blg).is_empty(),
            "{name}: bibtex warns:\n{blg}"
        );
        latex();
    }
    latex();
    let log = std::fs::read_to_string(dir.join(format!("{name}.log"))).expect("log");
    let p = problems(&log);
    assert!(
        p.is_empty(),
        "{name}: the LaTeX log reports:\n{}",
        p.join("\n")
    );
    assert!(dir.join(format!("{name}.pdf")).exists());
}

/// Whether pdflatex, bibtex and every file of `files` (packages, styles) are installed.
fn latex_ready(files: &[&str]) -> bool {
    let found = Command::new("kpsewhich")
        .args(files)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).lines().count() == files.len())
        .unwrap_or(false);
    have("pdflatex") && have("bibtex") && found
}

/// Compile a statement with its bibliography in the styles plain and plainnat (natbib).
fn compile_statement(dir: &Path, name: &str, body: &str) {
    for style in ["plain", "plainnat"] {
        let packages = if style == "plainnat" {
            "booktabs,url,natbib"
        } else {
            "booktabs,url"
        };
        compile(dir, &format!("{name}{style}"), packages, body, Some(style));
    }
}

#[test]
fn statement_comparison_and_assessment_compile_without_warning() {
    if !latex_ready(&[
        "booktabs.sty",
        "tabularx.sty",
        "url.sty",
        "natbib.sty",
        "plainnat.bst",
    ]) {
        eprintln!("statement_comparison_and_assessment_compile_without_warning: SKIPPED: no pdflatex and bibtex with booktabs, tabularx, url and natbib on this machine (apt-get install texlive-latex-base texlive-latex-recommended)");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    for (i, sc) in STATEMENTS.iter().enumerate() {
        let bib = dir.path().join("refs.bib");
        let o = run(&[
            "statement",
            sc,
            "--format",
            "latex",
            "--bib",
            bib.to_str().expect("path"),
        ]);
        assert_eq!(o.code, 0, "{sc}: {}", o.stderr);
        compile_statement(dir.path(), &format!("statement{i}"), &o.stdout);
    }
    // the comparison: the seed's three scenarios, and six (two tables)
    let mut three = vec!["compare"];
    three.extend(SEED_COMPARISON);
    three.extend(["--format", "latex"]);
    let mut six = three.clone();
    six.splice(
        4..4,
        [
            "scenarios/apollo-6500-bom.yaml",
            "scenarios/trace-nvidia-smi-example.yaml",
            "scenarios/extrapolate-example.yaml",
        ],
    );
    for (name, args) in [("compare3", three), ("compare6", six)] {
        let o = run(&args);
        assert_eq!(o.code, 0, "{}", o.stderr);
        compile(dir.path(), name, "booktabs,tabularx", &o.stdout, None);
    }
    for (i, sc) in STATEMENTS.iter().enumerate() {
        let o = run(&["assess", sc, "--format", "latex"]);
        assert_eq!(o.code, 0, "{sc}: {}", o.stderr);
        compile(
            dir.path(),
            &format!("assess{i}"),
            "booktabs,tabularx",
            &o.stdout,
            None,
        );
    }
}

const SEED_COMPARISON: [&str; 3] = [
    "scenarios/compare-apollo-jetson/1-jetson-resnet50star.yaml",
    "scenarios/compare-apollo-jetson/2-apollo-resnet50.yaml",
    "scenarios/compare-apollo-jetson/3-apollo-resnet50star.yaml",
];

#[test]
fn statement_with_equivalents_compiles_without_warning() {
    if !latex_ready(&["booktabs.sty", "url.sty", "natbib.sty", "plainnat.bst"]) {
        eprintln!("statement_with_equivalents_compiles_without_warning: SKIPPED: no pdflatex and bibtex with booktabs, url and natbib");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let bib = dir.path().join("refs.bib");
    let o = run(&[
        "statement",
        "scenarios/uncertainty/apollo-resnet50.yaml",
        "--format",
        "latex",
        "--bib",
        bib.to_str().expect("path"),
        "--equivalents",
        "--electricity-price-per-kwh",
        "0.25",
        "--currency",
        "EUR",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let refs = std::fs::read_to_string(&bib).expect("bib");
    for k in [
        "epa2020equivalencies",
        "desnz2024",
        "eia2021household",
        "epa2023scghg",
    ] {
        assert!(refs.contains(&format!("{{{k},")), "{k} not in the bib");
    }
    compile_statement(dir.path(), "equivalents", &o.stdout);
}
