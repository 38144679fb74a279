//! Figures for papers: every plot kind at both sizes (one column, 3.5 in; two columns, 7 in)
//! in every format: a 300 dpi PNG (its pixels and its pHYs chunk), an SVG sized in inches whose
//! text is at least 8 pt, a PDF of the same size with its font embedded. And `--plot DIR`:
//! every plot that applies, the others named as skipped, never failing an assessment.

use crate::common::*;
use std::path::Path;

const SEED_COMPARISON: [&str; 3] = [
    "scenarios/compare-apollo-jetson/1-jetson-resnet50star.yaml",
    "scenarios/compare-apollo-jetson/2-apollo-resnet50.yaml",
    "scenarios/compare-apollo-jetson/3-apollo-resnet50star.yaml",
];
const TRACE: &str = "scenarios/trace-nvidia-smi-example.yaml";

/// (size, width in inches, PNG width in pixels).
const SIZES: [(&str, f64, u32); 2] = [("one-column", 3.5, 1050), ("two-column", 7.0, 2100)];

/// The PNG's width, height and pixels per metre (x, y) from its IHDR and pHYs chunks.
fn png_facts(path: &Path) -> (u32, u32, u32, u32) {
    let b = std::fs::read(path).unwrap_or_else(|_| panic!("no {}", path.display()));
    assert_eq!(&b[..8], b"\x89PNG\r\n\x1a\n", "{}", path.display());
    let be = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    let (w, h) = (be(16), be(20));
    let mut i = 8;
    while i + 8 <= b.len() {
        let len = be(i) as usize;
        if &b[i + 4..i + 8] == b"pHYs" {
            assert_eq!(
                b[i + 16],
                1,
                "{}: pHYs unit is not the metre",
                path.display()
            );
            return (w, h, be(i + 8), be(i + 12));
        }
        i += 12 + len;
    }
    panic!("{}: no pHYs chunk", path.display());
}

/// The SVG's texts, after checking its size in inches and that every text is at least 8 pt.
fn svg_texts(path: &Path, width_in: f64) -> Vec<String> {
    let s = std::fs::read_to_string(path).unwrap_or_else(|_| panic!("no {}", path.display()));
    let doc = roxmltree::Document::parse(&s)
        .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.attribute("width"),
        Some(format!("{width_in}in").as_str()),
        "{}",
        path.display()
    );
    let vb: Vec<f64> = root
        .attribute("viewBox")
        .expect("a viewBox")
        .split_whitespace()
        .map(|v| v.parse().expect("a number"))
        .collect();
    // the user unit is the point: text sizes are print sizes
    close(vb[2], width_in * 72.0, 0.01, "viewBox width in points");
    let mut texts = Vec::new();
    for t in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let size: f64 = t
            .attribute("font-size")
            .or_else(|| t.ancestors().find_map(|a| a.attribute("font-size")))
            .unwrap_or_else(|| panic!("{}: a text without a size", path.display()))
            .trim_end_matches("px")
            .parse()
            .expect("a font size");
        let text: String = t
            .descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect::<String>()
            .trim()
            .to_string();
        assert!(size >= 8.0, "{}: {text:?} at {size} pt", path.display());
        texts.push(text);
    }
    assert!(!texts.is_empty(), "{}: no text", path.display());
    texts
}

/// The PDF's page width in points, after checking it is a PDF with an embedded font.
fn pdf_width_pt(path: &Path) -> f64 {
    let b = std::fs::read(path).unwrap_or_else(|_| panic!("no {}", path.display()));
    assert!(b.starts_with(b"%PDF-"), "{}", path.display());
    let s = String::from_utf8_lossy(&b);
    assert!(
        s.contains("/FontFile2"),
        "{}: no embedded font",
        path.display()
    );
    let at = s.find("/MediaBox [").expect("a media box") + "/MediaBox [".len();
    let nums: Vec<f64> = s[at..]
        .split(']')
        .next()
        .expect("numbers")
        .split_whitespace()
        .map(|v| v.parse().expect("a number"))
        .collect();
    nums[2] - nums[0]
}

/// Check the plot `name` in DIR in the three formats at a size; its SVG's texts.
fn check_plot(dir: &Path, name: &str, width_in: f64, png_px: u32) -> Vec<String> {
    let (w, _, xppm, yppm) = png_facts(&dir.join(format!("{name}.png")));
    assert_eq!(w, png_px, "{name}.png width");
    // 300 dpi = 11811 pixels per metre
    assert_eq!((xppm, yppm), (11811, 11811), "{name}.png resolution");
    close(
        pdf_width_pt(&dir.join(format!("{name}.pdf"))),
        width_in * 72.0,
        0.01,
        "PDF page width",
    );
    svg_texts(&dir.join(format!("{name}.svg")), width_in)
}

fn joined(texts: &[String]) -> String {
    texts.join(" ")
}

#[test]
fn every_plot_kind_at_both_sizes_and_in_every_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (size, width_in, png_px) in SIZES {
        let c = dir.path().join(format!("compare-{size}"));
        let mut args = vec!["compare"];
        args.extend(SEED_COMPARISON);
        args.extend(["--plot", c.to_str().expect("path"), "--plot-size", size]);
        let o = run(&args);
        assert_eq!(o.code, 0, "{}", o.stderr);
        // the bars are named by scenario, no key of numbers below
        let t = joined(&check_plot(&c, "impacts", width_in, png_px));
        for label in [
            "Jetson (ResNet-50*)",
            "Apollo (ResNet-50)",
            "Apollo (ResNet-50*)",
        ] {
            assert!(t.contains(label), "{size}: no {label:?} in {t}");
        }
        assert!(!t.contains("1: "), "{size}: a numbered key in {t}");
        assert!(
            t.contains("GWP [kgCO₂eq]") && t.contains("ADP [10⁻⁶ kgSbeq]"),
            "{t}"
        );
        // the radar's rings carry their values
        let t = check_plot(&c, "radar", width_in, png_px);
        for ring in ["0.25", "0.5", "0.75", "1"] {
            assert!(
                t.iter().any(|x| x == ring),
                "{size}: no ring {ring} in {t:?}"
            );
        }
        assert!(joined(&t).contains("Personalisation"), "{t:?}");
        let a = dir.path().join(format!("assess-{size}"));
        let o = run(&[
            "assess",
            TRACE,
            "--samples",
            "300",
            "--plot",
            a.to_str().expect("path"),
            "--plot-size",
            size,
        ]);
        assert_eq!(o.code, 0, "{}", o.stderr);
        for (name, words) in [
            ("impacts", &["PE [MJ]", "use", "embodied"][..]),
            ("embodied", &["NVIDIA A100", "AMD EPYC 7763", "%"][..]),
            ("power", &["Power [W]", "gpu"][..]),
            ("quality", &["Quality reached (top1)"][..]),
            (
                "tornado",
                &["input at its min", "ram.density", "GWP total [kgCO₂eq]"][..],
            ),
        ] {
            let t = joined(&check_plot(&a, name, width_in, png_px));
            for w in words {
                assert!(t.contains(w), "{size} {name}: no {w:?} in {t}");
            }
        }
        let x = dir.path().join(format!("fit-{size}"));
        let o = run(&[
            "extrapolate",
            "tests/fixtures/extrapolate/hand.csv",
            "--to",
            "100",
            "--plot",
            x.with_extension("png").to_str().expect("path"),
            "--plot",
            x.with_extension("svg").to_str().expect("path"),
            "--plot",
            x.with_extension("pdf").to_str().expect("path"),
            "--plot-size",
            size,
        ]);
        assert_eq!(o.code, 0, "{}", o.stderr);
        let t = joined(&check_plot(
            dir.path(),
            &format!("fit-{size}"),
            width_in,
            png_px,
        ));
        assert!(t.contains("Cumulative energy [kWh]"), "{t}");
    }
    // `mlca plot` draws one, deterministic in every format (the radar's tinted fills too)
    for (kind, files) in [
        ("embodied", &["scenarios/apollo-6500-bom.yaml"][..]),
        ("radar", &SEED_COMPARISON[..]),
    ] {
        for ext in ["png", "svg", "pdf"] {
            let draw = |name: &str| {
                let p = dir.path().join(format!("{kind}-{name}.{ext}"));
                let mut args = vec!["plot", kind];
                args.extend(files);
                args.extend(["-o", p.to_str().expect("path"), "--size", "one-column"]);
                let o = run(&args);
                assert_eq!(o.code, 0, "{}", o.stderr);
                std::fs::read(p).expect("plot")
            };
            assert_eq!(
                draw("one"),
                draw("two"),
                "{kind}.{ext} differs from run to run"
            );
        }
    }
}

/// A name without spaces longer than a label line is broken after its parts, and a single
/// word longer than a line is kept whole: no label is cut. (A name of 40 two-byte characters
/// once made the shortening of labels panic inside a character.)
#[test]
fn tornado_labels_are_never_cut() {
    let name = "é".repeat(40);
    let t = GOOD.replace(
        "          units: 8\n",
        &format!(
            "          units: 8\n      other:\n        - name: {name} part\n          units: 1\n          gwp_kgco2eq: {{value: 10, min: 5, max: 20}}\n          adp_kgsbeq: 0.001\n          pe_mj: 100\n          source: test\n"
        ),
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "s.yaml", &t);
    for size in ["one-column", "two-column"] {
        let plots = dir.path().join(size);
        let o = run(&[
            "assess",
            file.to_str().expect("path"),
            "--samples",
            "200",
            "--plot",
            plots.to_str().expect("path"),
            "--plot-size",
            size,
            "--plot-format",
            "svg",
        ]);
        assert_eq!(o.code, 0, "{}", o.stderr);
        let texts = svg_texts(
            &plots.join("tornado.svg"),
            if size == "one-column" { 3.5 } else { 7.0 },
        );
        assert!(texts.iter().any(|t| t.contains(&name)), "{size}: {texts:?}");
        assert!(
            !texts.iter().any(|t| t.contains("...")),
            "{size}: {texts:?}"
        );
        // every input's name is there in full, in order (lines break only between words
        // or after the parts of a name)
        let all: String = texts.concat().split_whitespace().collect();
        let json = run(&[
            "assess",
            file.to_str().expect("path"),
            "--samples",
            "200",
            "--format",
            "json",
        ]);
        let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
        let names = v["monte_carlo"]["sensitivity"]
            .as_array()
            .expect("sensitivity");
        assert!(!names.is_empty());
        for n in names.iter().take(12) {
            let n: String = n["parameter"]
                .as_str()
                .expect("a name")
                .split_whitespace()
                .collect();
            assert!(all.contains(&n), "{size}: {n:?} is cut in {texts:?}");
        }
        // only SVG was asked for
        assert!(!plots.join("tornado.png").exists() && !plots.join("tornado.pdf").exists());
    }
}

/// A CodeCarbon scenario has no power series: `assess --plot` draws the others, says so, and
/// prints its report.
#[test]
fn assess_plot_of_a_codecarbon_scenario_prints_the_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(
        root().join("tests/fixtures/traces/codecarbon.csv"),
        dir.path().join("codecarbon.csv"),
    )
    .expect("copied");
    let text = GOOD
        .replace(
            "  declared_kwh: 100\n",
            "  traces:\n    - file: codecarbon.csv\n",
        )
        .replace("  duration_h: 10\n", "  duration_h: 1\n");
    let file = write(dir.path(), "cc.yaml", &text);
    let plots = dir.path().join("plots");
    let o = run(&[
        "assess",
        file.to_str().expect("path"),
        "--plot",
        plots.to_str().expect("path"),
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("Energy per FU: "), "{}", o.stdout);
    assert!(
        o.stderr
            .contains("note: power profile skipped: the traces give no power over time"),
        "{}",
        o.stderr
    );
    for f in ["impacts.png", "impacts.svg", "impacts.pdf", "embodied.pdf"] {
        assert!(plots.join(f).exists(), "no {f}");
    }
    assert!(!plots.join("power.png").exists());
}

/// `assess --plot` names each plot it skips and why.
#[test]
fn assess_plot_names_what_it_skips() {
    let dir = tempfile::tempdir().expect("temp dir");
    let o = run(&[
        "assess",
        "scenarios/apollo-6500-bom.yaml",
        "--plot",
        dir.path().to_str().expect("path"),
        "--plot-format",
        "png",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    for note in [
        "note: power profile skipped: the scenario has no measured traces (energy.traces)",
        "note: quality plot skipped: it needs measured traces and functional_unit.quality_log",
        "note: tornado plot skipped: it needs a Monte Carlo run with uncertain inputs (--samples N)",
    ] {
        assert!(o.stderr.contains(note), "no {note:?} in\n{}", o.stderr);
    }
    let mut files: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["embodied.png", "impacts.png"]);
}

/// `compare --plot` with bounds draws the radar; without, the bars and a note on the radar.
#[test]
fn compare_plot_with_and_without_radar_bounds() {
    let dir = tempfile::tempdir().expect("temp dir");
    let a = write(dir.path(), "a.yaml", GOOD);
    let b = write(dir.path(), "b.yaml", &GOOD.replace("pue: 1.2", "pue: 1.5"));
    let plots = dir.path().join("without");
    let o = run(&[
        "compare",
        a.to_str().expect("path"),
        b.to_str().expect("path"),
        "--plot",
        plots.to_str().expect("path"),
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stderr
            .contains("note: radar chart skipped: it needs at least 3 criteria with bounds"),
        "{}",
        o.stderr
    );
    assert!(plots.join("impacts.pdf").exists() && !plots.join("radar.pdf").exists());
    let plots = dir.path().join("with");
    let mut args = vec!["compare"];
    args.extend(SEED_COMPARISON);
    args.extend(["--plot", plots.to_str().expect("path")]);
    let o = run(&args);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(!o.stderr.contains("radar chart skipped"), "{}", o.stderr);
    for f in ["radar.png", "radar.svg", "radar.pdf", "impacts.pdf"] {
        assert!(plots.join(f).exists(), "no {f}");
    }
}
