//! Comparison, plots and statements: the seed's summary table, golden files of every format,
//! every plot kind, the LaTeX statement compiled where a LaTeX engine is present, bad input.

use crate::common::*;
use serde_json::Value;
use std::path::Path;

const SCENARIOS: [&str; 3] = [
    "scenarios/compare-apollo-jetson/1-jetson-resnet50star.yaml",
    "scenarios/compare-apollo-jetson/2-apollo-resnet50.yaml",
    "scenarios/compare-apollo-jetson/3-apollo-resnet50star.yaml",
];

/// Compare `actual` with tests/golden/NAME; `MLCA_BLESS=1` rewrites the golden file.
fn golden(name: &str, actual: &str) {
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("MLCA_BLESS").is_some() {
        std::fs::write(&path, actual).expect("write golden");
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("no golden file {name}: run the tests with MLCA_BLESS=1"));
    if want != actual {
        let first = want
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{name} differs from its golden file at line {}:\n  golden: {:?}\n  actual: {:?}\n(run with MLCA_BLESS=1 after checking the change)",
            first + 1,
            want.lines().nth(first).unwrap_or(""),
            actual.lines().nth(first).unwrap_or("")
        );
    }
}

fn row<'a>(c: &'a Value, key: &str) -> &'a Value {
    c["rows"]
        .as_array()
        .and_then(|r| r.iter().find(|x| x["key"] == key))
        .unwrap_or_else(|| panic!("no row {key}"))
}

#[test]
fn seed_summary_table() {
    let mut args = vec!["compare"];
    args.extend(SCENARIOS);
    args.extend(["--format", "json"]);
    let c = json(&args);
    // Summary of ResNet-50 and ResNet-50* FU performances (Jay 2024): Jetson (ResNet-50*),
    // Apollo (ResNet-50), Apollo (ResNet-50*)
    let table: [(&str, [f64; 3]); 10] = [
        ("energy_kwh", [1.974036108, 1.605368, 0.5723368444]),
        ("duration_h", [88.86541726, 0.4903240667, 0.1876559211]),
        ("quality", [0.55, 0.759, 0.55]),
        ("gwp_total", [5.03e-1, 2.14e-1, 7.83e-2]),
        ("adp_total", [1.07e-4, 6.08e-6, 2.33e-6]),
        ("pe_total", [2.90e1, 2.07e1, 7.39]),
        ("criterion:Personalisation", [0.9, 0.3, 0.3]),
        ("criterion:Latency", [0.9, 0.0, 0.0]),
        ("criterion:Price", [1.0, 0.001, 0.001]),
        ("criterion:Accessibility", [0.7, 0.1, 0.1]),
    ];
    for (key, want) in table {
        let r = row(&c, key);
        for (i, w) in want.iter().enumerate() {
            close(
                num(&r["values"][i]["value"]),
                *w,
                0.015,
                &format!("{key} column {i}"),
            );
        }
    }
    // the seed's bounds (Min = worst end, Max = best end)
    for (key, lo, hi) in [
        ("energy_kwh", 0.0, 3.0),
        ("duration_h", 0.0, 100.0),
        ("gwp_total", 0.0, 0.7),
        ("pe_total", 0.0, 50.0),
        ("quality", 0.0, 1.0),
    ] {
        let b = &row(&c, key)["bounds"];
        assert_eq!((num(&b["min"]), num(&b["max"])), (lo, hi), "{key}");
    }
    // Apollo outperforms Jetson on the performance and environmental criteria; Jetson wins the
    // qualitative ones
    assert_eq!(row(&c, "gwp_total")["best"][0], "Apollo (ResNet-50*)");
    assert_eq!(row(&c, "quality")["best"][0], "Apollo (ResNet-50)");
    assert_eq!(
        row(&c, "criterion:Latency")["best"][0],
        "Jetson (ResNet-50*)"
    );
    close(
        num(&row(&c, "gwp_total")["values"][1]["ratio_to_first"]),
        2.14e-1 / 5.03e-1,
        0.015,
        "ratio",
    );
    assert!(c["warnings"]
        .to_string()
        .contains("functional units differ"));
}

#[test]
fn golden_tables_in_every_format() {
    for (fmt, ext) in [
        ("table", "txt"),
        ("json", "json"),
        ("csv", "csv"),
        ("markdown", "md"),
        ("latex", "tex"),
    ] {
        let mut args = vec!["compare"];
        args.extend(SCENARIOS);
        args.extend(["--format", fmt]);
        let o = run(&args);
        assert_eq!(o.code, 0, "{fmt}: {}", o.stderr);
        golden(&format!("compare-apollo-jetson.{ext}"), &o.stdout);
    }
}

fn check_png(path: &Path) {
    let b = std::fs::read(path).unwrap_or_else(|_| panic!("no {}", path.display()));
    assert_eq!(&b[..8], b"\x89PNG\r\n\x1a\n", "{}", path.display());
    assert_eq!(&b[12..16], b"IHDR");
    // two columns of a paper (7 in) at 300 dpi; sizes and resolution in plots.rs
    assert_eq!(
        u32::from_be_bytes([b[16], b[17], b[18], b[19]]),
        2100,
        "{}",
        path.display()
    );
    assert!(b.len() > 10_000, "{} looks empty", path.display());
}

fn check_svg(path: &Path, words: &[&str]) {
    let s = std::fs::read_to_string(path).unwrap_or_else(|_| panic!("no {}", path.display()));
    let doc = roxmltree::Document::parse(&s)
        .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    for w in words {
        assert!(s.contains(w), "{}: no {w:?}", path.display());
    }
}

#[test]
fn every_plot_kind_from_shipped_data() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path().to_str().expect("path").to_string();
    let mut args = vec!["compare"];
    args.extend(SCENARIOS);
    args.extend(["--plot", &d]);
    let o = run(&args);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let a = dir.path().join("assess");
    let o = run(&[
        "assess",
        "scenarios/trace-nvidia-smi-example.yaml",
        "--plot",
        a.to_str().expect("path"),
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    for (p, words) in [
        (
            dir.path().join("radar"),
            &["Personalisation", "Jetson (ResNet-50*)"][..],
        ),
        (
            dir.path().join("impacts"),
            &["GWP [kgCO₂eq]", "embodied"][..],
        ),
        (a.join("impacts"), &["PE [MJ]"][..]),
        (a.join("embodied"), &["NVIDIA A100 SXM4"][..]),
        (a.join("power"), &["Power [W]", "gpu"][..]),
        (a.join("quality"), &["Quality reached (top1)"][..]),
    ] {
        check_png(&p.with_extension("png"));
        check_svg(&p.with_extension("svg"), words);
    }
    // `mlca plot` draws each kind alone, and the output is deterministic
    let one = dir.path().join("one.png");
    let o = run(&[
        "plot",
        "embodied",
        "scenarios/apollo-6500-bom.yaml",
        "-o",
        one.to_str().expect("p"),
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let two = dir.path().join("two.png");
    run(&[
        "plot",
        "embodied",
        "scenarios/apollo-6500-bom.yaml",
        "-o",
        two.to_str().expect("p"),
    ]);
    assert_eq!(
        std::fs::read(&one).expect("one"),
        std::fs::read(&two).expect("two")
    );
    // a power profile needs traces
    let o = run(&[
        "plot",
        "power",
        "scenarios/apollo-6500-bom.yaml",
        "-o",
        one.to_str().expect("p"),
    ]);
    snap("compare__plot_power_without_traces", &o, &[dir.path()]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("needs measured traces"), "{}", o.stderr);
}

#[test]
fn radar_scores_between_bounds() {
    use mlca::output::plot::radar_score;
    use mlca::scenario::{Bounds, Direction};
    let b = Bounds { min: 0.0, max: 0.7 };
    assert!((radar_score(0.214, b, Direction::BetterLow) - (0.7 - 0.214) / 0.7).abs() < 1e-12);
    assert_eq!(radar_score(0.9, b, Direction::BetterLow), 0.0);
    assert_eq!(
        radar_score(0.9, Bounds { min: 0.0, max: 1.0 }, Direction::BetterHigh),
        0.9
    );
}

#[test]
fn statement_golden() {
    let tex = run(&[
        "statement",
        "scenarios/jay2024-apollo-resnet50.yaml",
        "--format",
        "latex",
    ]);
    assert_eq!(tex.code, 0, "{}", tex.stderr);
    golden("statement-apollo-resnet50.tex", &tex.stdout);
    let md = run(&[
        "statement",
        "scenarios/jay2024-apollo-resnet50.yaml",
        "--format",
        "markdown",
    ]);
    golden("statement-apollo-resnet50.md", &md.stdout);
    for words in [
        "1.605\u{a0}kWh",
        "0.2136\u{a0}kgCO₂eq",
        "6.106 × 10⁻⁶\u{a0}kgSbeq",
        "20.67\u{a0}MJ",
        "France (FRA)",
        "0.65",
        "declared",
        "mlca 0.1.0",
        "2026.11.0",
    ] {
        assert!(
            md.stdout.contains(words),
            "markdown statement: no {words:?}"
        );
    }
    assert!(
        tex.stdout.contains("75.9 \\% top-1"),
        "user text is escaped"
    );
    // the assessment tables in LaTeX (compiled in statement_latex.rs)
    let assess_tex = run(&[
        "assess",
        "scenarios/apollo-6500-bom.yaml",
        "--format",
        "latex",
    ]);
    assert_eq!(assess_tex.code, 0, "{}", assess_tex.stderr);
    golden("assess-apollo-6500-bom.tex", &assess_tex.stdout);
}

#[test]
fn model_card_block() {
    let o = run(&[
        "statement",
        "scenarios/trace-nvidia-smi-example.yaml",
        "--format",
        "model-card",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let r = assess_json("scenarios/trace-nvidia-smi-example.yaml");
    let grams = num(&r["impacts"]["total"]["gwp"]["value"]) * 1000.0;
    let line = o
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("emissions:"))
        .expect("emissions line");
    let v: f64 = line
        .split(':')
        .nth(1)
        .expect("value")
        .trim()
        .parse()
        .expect("number");
    close(v, grams, 0.001, "grams");
    for k in [
        "co2_eq_emissions:",
        "source:",
        "training_type:",
        "geographical_location: \"France (FRA)\"",
        "hardware_used: \"1 x HPE Apollo 6500 Gen10 (2 x AMD EPYC 7763, 8 x NVIDIA A100 SXM4 80GB",
    ] {
        assert!(o.stdout.contains(k), "no {k:?} in\n{}", o.stdout);
    }
}

#[test]
fn compare_bad_input() {
    let o = run(&["compare", SCENARIOS[0], SCENARIOS[0]]);
    snap("compare__bad_input__given_twice", &o, &[]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("given twice"), "{}", o.stderr);
    let o = run(&["compare"]);
    snap("compare__bad_input__no_scenario", &o, &[]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("at least two scenarios"), "{}", o.stderr);
    let o = run(&["compare", SCENARIOS[0], "no/such.yaml"]);
    snap("compare__bad_input__missing_file", &o, &[]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("no/such.yaml"), "{}", o.stderr);
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(root().join(SCENARIOS[1])).expect("scenario");
    let bad = text.replace(
        "{name: Price, unit: score, value: 0.001,",
        "{name: Price, unit: score, value: 1.5,",
    );
    assert_ne!(bad, text);
    let p = write(dir.path(), "bad.yaml", &bad);
    let o = run(&["compare", SCENARIOS[0], p.to_str().expect("path")]);
    snap(
        "compare__bad_input__criterion_outside_bounds",
        &o,
        &[dir.path()],
    );
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("outside its bounds")
            && o.stderr.contains("comparison.criteria[2].value")
            && o.stderr.contains("bad.yaml:"),
        "{}",
        o.stderr
    );
    // assess checks the criteria too
    let o = run(&["assess", p.to_str().expect("path")]);
    snap(
        "compare__bad_input__assess_criterion_outside_bounds",
        &o,
        &[dir.path()],
    );
    assert_eq!(o.code, 2);
}
