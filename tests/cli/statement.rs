//! The statement names the embodied method the assessment used, with its reference: the
//! Apollo 6500 bill of materials assessed by MLCA (Morand et al. 2024) and by EcoLogits
//! (tests/fixtures/apollo-embodied-*.yaml) is never said to be computed with BoaviztAPI 2.5.0.

use crate::common::*;

/// (fixture, method key, how the statement names it, its BibTeX key, the title of its
/// reference, whether BoaviztAPI is cited too for the components the method takes from it).
const METHODS: [(&str, &str, &str, &str, &str, bool); 2] = [
    (
        "tests/fixtures/apollo-embodied-mlca-2024.yaml",
        "mlca-2024",
        "with the MLCA method of Morand et al. (2024)",
        "morand2024mlca",
        "*MLCA: a tool for Machine Learning Life Cycle Assessment*",
        true,
    ),
    (
        "tests/fixtures/apollo-embodied-ecologits.yaml",
        "ecologits",
        "estimated with the EcoLogits method",
        "ecologits",
        "*EcoLogits: methodology*",
        false,
    ),
];

const BOAVIZTA_METHOD: &str = "with the BoaviztAPI 2.5.0 method";

fn statement(file: &str, format: &str) -> String {
    let o = run(&["statement", file, "--format", format]);
    assert_eq!(o.code, 0, "statement {file} {format}: {}", o.stderr);
    o.stdout
}

/// The statement and its BibTeX file.
fn with_bib(file: &str, format: &str) -> (String, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let bib = dir.path().join("refs.bib");
    let o = run(&[
        "statement",
        file,
        "--format",
        format,
        "--bib",
        bib.to_str().expect("path"),
    ]);
    assert_eq!(o.code, 0, "statement {file} {format}: {}", o.stderr);
    (
        o.stdout,
        std::fs::read_to_string(&bib).expect("the bib file"),
    )
}

/// The number of the Markdown reference whose line holds `title`.
fn reference_number(md: &str, title: &str) -> usize {
    md.lines()
        .filter_map(|l| l.split_once(". "))
        .find(|(n, rest)| n.parse::<usize>().is_ok() && rest.contains(title))
        .and_then(|(n, _)| n.parse().ok())
        .unwrap_or_else(|| panic!("no reference {title:?} in\n{md}"))
}

#[test]
fn fixtures_assess_with_their_method() {
    for (file, key, ..) in METHODS {
        let r = assess_json(file);
        let said = format!("embodied method: {key}");
        assert!(
            r["assumptions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a.as_str() == Some(said.as_str())),
            "{file}: no assumption {said:?}"
        );
        assert!(num(&r["impacts"]["embodied"]["gwp"]["value"]) > 0.0);
    }
}

#[test]
fn latex_statement_names_the_method_used_and_cites_it() {
    for (file, _, named, bibkey, _, with_boavizta) in METHODS {
        let (tex, bib) = with_bib(file, "latex");
        assert!(tex.contains(named), "{file}: no {named:?} in\n{tex}");
        assert!(
            !tex.contains(BOAVIZTA_METHOD),
            "{file}: the statement says BoaviztAPI 2.5.0 computed the embodied impacts:\n{tex}"
        );
        let cite = if with_boavizta {
            format!("~\\cite{{{bibkey},boaviztapi}}")
        } else {
            format!("~\\cite{{{bibkey}}}")
        };
        assert!(tex.contains(&cite), "{file}: no {cite:?} in\n{tex}");
        assert!(
            bib.lines()
                .any(|l| l.starts_with('@') && l.ends_with(&format!("{{{bibkey},"))),
            "{file}: no BibTeX entry {bibkey} in\n{bib}"
        );
    }
}

#[test]
fn markdown_statement_names_the_method_used_and_cites_it() {
    for (file, _, named, _, title, with_boavizta) in METHODS {
        let md = statement(file, "markdown");
        assert!(md.contains(named), "{file}: no {named:?} in\n{md}");
        assert!(
            !md.contains(BOAVIZTA_METHOD),
            "{file}: the statement says BoaviztAPI 2.5.0 computed the embodied impacts:\n{md}"
        );
        // the method is cited by the number of its reference, written out in full
        let n = reference_number(&md, title);
        let cited = if with_boavizta {
            format!(
                "{named}, GPUs by their physical die area and VRAM as memory, the other components as in BoaviztAPI 2.5.0 [{n}, {}]",
                reference_number(&md, "*BoaviztAPI")
            )
        } else {
            format!(" [{n}]")
        };
        let after = &md[md.find(named).expect("the method named")..];
        let origin: String = after.chars().take(300).collect();
        assert!(
            origin.contains(&cited),
            "{file}: the method is not cited as {cited:?}: {origin}"
        );
    }
}

#[test]
fn default_method_statement_still_names_boavizta() {
    let md = statement("scenarios/apollo-6500-bom.yaml", "markdown");
    assert!(md.contains(BOAVIZTA_METHOD), "{md}");
    reference_number(&md, "*BoaviztAPI: an open-source API");
    for (_, _, named, _, title, _) in METHODS {
        assert!(!md.contains(named), "{md}");
        assert!(!md.contains(title), "{md}");
    }
}

/// A run over 100 kgCO2eq: the model card's `emissions` must be a number for YAML 1.1 readers
/// (PyYAML, as the Hugging Face hub uses), which read `5.868e5` as a string.
#[test]
fn model_card_emissions_parse_back_as_numbers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(root().join("scenarios/apollo-6500-bom.yaml"))
        .expect("shipped scenario");
    let big = text.replace("declared_kwh: 1.605368", "declared_kwh: 5000");
    assert_ne!(big, text, "the scenario declares 1.605 kWh");
    let p = write(dir.path(), "big.yaml", &big);
    let card = statement(p.to_str().expect("path"), "model-card");
    let line = card
        .lines()
        .find(|l| l.trim_start().starts_with("emissions:"))
        .expect("an emissions line");
    let value = line.split(':').nth(1).expect("a value").trim();
    assert!(!value.contains('e'), "exponent in {value}");
    let grams: f64 = value.parse().expect("a plain decimal");
    assert!(grams > 100_000.0, "{grams} g");
    // YAML: a number, not a string
    let v: yaml_serde::Value = yaml_serde::from_str(&card).expect("YAML");
    assert!(
        v["co2_eq_emissions"]["emissions"].is_f64() || v["co2_eq_emissions"]["emissions"].is_u64()
    );
    // and PyYAML, the YAML 1.1 reader of the Hugging Face hub, where Python has it
    let py = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys, yaml; v = yaml.safe_load(sys.stdin)['co2_eq_emissions']['emissions']; print(type(v).__name__)",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    match py {
        Ok(mut child) => {
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(card.as_bytes())
                .expect("written");
            let o = child.wait_with_output().expect("python ends");
            if o.status.success() {
                let t = String::from_utf8_lossy(&o.stdout);
                assert!(t.trim() == "float" || t.trim() == "int", "PyYAML reads {t}");
            } else {
                eprintln!(
                    "SKIPPED PyYAML check: {}",
                    String::from_utf8_lossy(&o.stderr)
                        .lines()
                        .last()
                        .unwrap_or("")
                );
            }
        }
        Err(e) => eprintln!("SKIPPED PyYAML check: no python3 ({e})"),
    }
}

/// Every shipped scenario: a paragraph of at most 150 words, a table row per criterion with
/// the use, embodied and total impacts, and the assumptions a reviewer checks.
#[test]
fn statement_paragraph_table_and_assumptions() {
    for sc in [
        "scenarios/apollo-6500-bom.yaml",
        "scenarios/jay2024-apollo-resnet50.yaml",
        "scenarios/jay2024-stable-diffusion/v1-4.yaml",
        "scenarios/trace-nvidia-smi-example.yaml",
        "scenarios/extrapolate-example.yaml",
        "scenarios/uncertainty/jetson-resnet50star.yaml",
    ] {
        let md = statement(sc, "markdown");
        let paragraph = md.split("\n\n").next().expect("a paragraph");
        let words = paragraph.split_whitespace().count();
        assert!(words <= 150, "{sc}: {words} words:\n{paragraph}");
        for row in ["| GWP [", "| ADP [", "| PE ["] {
            let line = md
                .lines()
                .find(|l| l.starts_with(row))
                .unwrap_or_else(|| panic!("{sc}: no row {row} in\n{md}"));
            assert_eq!(line.matches(" | ").count(), 3, "{sc}: {line}");
        }
        for topic in [
            "- *Energy:* IT energy ",
            "- *Facility energy:* IT energy ",
            "- *Electricity:* ",
            "- *Hardware:* ",
            "- *Embodied:* manufacture of the hardware",
            "- *Allocation:* run time / (active utilization rate × lifetime) = ",
            "- *Defaults applied:* ",
            "- *Left out:* ",
            "- *Figures:* ranges are the bounds",
        ] {
            assert!(md.contains(topic), "{sc}: no {topic:?} in\n{md}");
        }
        // the LaTeX twin: typeset units, proper quotes, a booktabs table
        let tex = statement(sc, "latex");
        for piece in [
            "kgCO$_2$eq",
            "``",
            "''",
            "\\toprule",
            "\\midrule",
            "\\bottomrule",
            "\\label{tab:mlca-impacts}",
            "Table~\\ref{tab:mlca-impacts}",
        ] {
            assert!(tex.contains(piece), "{sc}: no {piece:?} in\n{tex}");
        }
        assert!(
            !tex.contains('"'),
            "{sc}: a straight double quote in\n{tex}"
        );
        assert!(
            !computer_exponent(&tex),
            "{sc}: a computer exponent in\n{tex}"
        );
    }
}

/// Electricity factors with their years and references; the facility energy as IT energy x
/// PUE; defaults with their values and sources.
#[test]
fn statement_states_factors_facility_energy_and_defaults() {
    let md = statement("scenarios/apollo-6500-bom.yaml", "markdown");
    for piece in [
        "GWP 0.098\u{a0}kgCO₂eq/kWh (2019 [",
        "ADP 4.858 × 10⁻⁸\u{a0}kgSbeq/kWh (2011 [",
        "- *Facility energy:* IT energy 1.605\u{a0}kWh × PUE 1 = 1.605\u{a0}kWh",
        "RAM density 1.2 (0.6–2.4)\u{a0}GB/cm² (undated [",
        "ram density not given (infrastructure[0].bom.ram[0])",
        "embodied method boavizta-2.5 (none named in the scenario)",
    ] {
        assert!(md.contains(piece), "no {piece:?} in\n{md}");
    }
    // a node of the catalog says what it leaves out
    let md = statement("scenarios/trace-nvidia-smi-example.yaml", "markdown");
    assert!(md.contains("HPE Apollo 6500 Gen10: SSD and HDD"), "{md}");
    assert!(
        md.contains("nvidia-smi trace “nvidia-smi-resnet50.csv”, 8 device(s)"),
        "{md}"
    );
}

/// A TDP scenario: the TDPs and usages, and the memory's default power per GB, named.
#[test]
fn statement_of_a_tdp_scenario_names_tdps_usages_and_the_memory_default() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = GOOD.replace(
        "  declared_kwh: 100\n",
        "  tdp:\n    - {component: gpu, tdp_w: 400, usage: 0.95, units: 8}\n    - {component: cpu, tdp_w: {value: 280, min: 250, max: 300}, usage: 0.3, units: 2}\n    - {component: memory, capacity_gb: 1024}\n",
    );
    assert_ne!(text, GOOD);
    let p = write(dir.path(), "tdp.yaml", &text);
    let md = statement(p.to_str().expect("path"), "markdown");
    for piece in [
        "from thermal design power (TDP) × usage × run time (10\u{a0}h): ",
        "8 × gpu at 400\u{a0}W × usage 0.95",
        "2 × cpu at 280 (250–300)\u{a0}W × usage 0.3",
        "memory 1024\u{a0}GB × the default W/GB (below)",
        "memory power 0.3725\u{a0}W/GB (2021 [",
        "where energy.tdp[2]: memory power not given",
        "(estimated from TDP)",
    ] {
        assert!(md.contains(piece), "no {piece:?} in\n{md}");
    }
    let (_, bib) = with_bib(p.to_str().expect("path"), "markdown");
    assert!(bib.contains("@article{lannelongue2021,"), "{bib}");
}

/// The BibTeX file: complete entries (author, title, year, URL), mlca's own with its version
/// and repository; the Markdown references in full.
#[test]
fn bib_entries_are_complete_and_markdown_references_full() {
    let (md, bib) = with_bib("scenarios/trace-nvidia-smi-example.yaml", "markdown");
    let entries: Vec<&str> = bib.split("\n\n").filter(|e| e.starts_with('@')).collect();
    assert!(entries.len() >= 5, "{bib}");
    for e in &entries {
        for field in ["author = ", "title = ", "year = ", "url = "] {
            assert!(e.contains(field), "no {field} in\n{e}");
        }
    }
    let mlca = entries
        .iter()
        .find(|e| e.starts_with("@misc{mlca,"))
        .expect("mlca's entry");
    for piece in [
        "author = {{The mlca developers}}",
        "version 0.1.0",
        &format!("url = {{{}}}", env!("CARGO_PKG_REPOSITORY")),
    ] {
        assert!(mlca.contains(piece), "no {piece:?} in\n{mlca}");
    }
    let refs = md.split("**References**").nth(1).expect("references");
    let lines: Vec<&str> = refs.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), entries.len(), "{refs}");
    for l in lines {
        assert!(
            l.contains(" (20") && l.contains("*") && l.contains("<http"),
            "not a full reference: {l}"
        );
    }
    assert!(
        md.contains("The mlca developers (2026). *mlca: life-cycle assessment of machine-learning compute, version 0.1.0*."),
        "{md}"
    );
    // the repository of the entry is the one README.md gives
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    assert!(readme.contains(env!("CARGO_PKG_REPOSITORY")));
}

/// `--bib`: written with the statement or not at all, never over an input or the statement.
#[test]
fn bib_option_is_checked_and_written_with_the_statement() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sc = write(dir.path(), "s.yaml", GOOD);
    let sc = sc.to_str().expect("path");
    let out = dir.path().join("s.tex");
    let bib = dir.path().join("s.bib");
    let o = run(&[
        "statement",
        sc,
        "--format",
        "latex",
        "-o",
        out.to_str().expect("path"),
        "--bib",
        bib.to_str().expect("path"),
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.is_empty());
    let tex = std::fs::read_to_string(&out).expect("statement");
    let b = std::fs::read_to_string(&bib).expect("bib");
    assert!(tex.contains("\\cite{mlca}") && b.contains("@misc{mlca,"));
    for (args, says) in [
        (
            vec!["--format", "model-card", "--bib", "x.bib"],
            "--bib goes with --format latex or markdown",
        ),
        (vec!["--format", "latex", "--bib", sc], "--bib"),
        (
            vec!["--format", "latex", "-o", "same.tex", "--bib", "same.tex"],
            "is the file of --output",
        ),
    ] {
        let mut a = vec!["statement", sc];
        a.extend(args);
        let o = run(&a);
        assert_eq!(o.code, 2, "{a:?}: {}", o.stderr);
        assert!(o.stderr.contains(says), "{a:?}: {}", o.stderr);
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("s.yaml")).expect("input"),
        GOOD
    );
    // a bad scenario: neither file is written
    let bad = write(
        dir.path(),
        "bad.yaml",
        &GOOD.replace("pue: 1.2", "pue: 0.5"),
    );
    let (o2, b2) = (dir.path().join("n.tex"), dir.path().join("n.bib"));
    let o = run(&[
        "statement",
        bad.to_str().expect("path"),
        "--format",
        "latex",
        "-o",
        o2.to_str().expect("path"),
        "--bib",
        b2.to_str().expect("path"),
    ]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(!o2.exists() && !b2.exists());
}

/// Whether `s` writes a number as a computer does (`6.1e-6`, `5e5`).
fn computer_exponent(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == b'e' && (w[2].is_ascii_digit() || w[2] == b'-'))
}

#[test]
fn computer_exponents_are_seen() {
    assert!(computer_exponent("8.787e-8"));
    assert!(computer_exponent("5.868e5"));
    assert!(!computer_exponent(
        "life-cycle 6.11 $\\times 10^{-6}$ ResNet-50"
    ));
}
