//! The statement names the embodied method the assessment used, with its reference: the
//! Apollo 6500 bill of materials assessed by MLCA (Morand et al. 2024) and by EcoLogits
//! (tests/fixtures/apollo-embodied-*.yaml) is never said to be computed with BoaviztAPI 2.5.0.

use crate::common::*;

/// (fixture, method key, how the statement names it, its BibTeX key, whether BoaviztAPI is
/// cited too for the components the method takes from it).
const METHODS: [(&str, &str, &str, &str, bool); 2] = [
    (
        "tests/fixtures/apollo-embodied-mlca-2024.yaml",
        "mlca-2024",
        "with the MLCA method of Morand et al. (2024)",
        "morand2024mlca",
        true,
    ),
    (
        "tests/fixtures/apollo-embodied-ecologits.yaml",
        "ecologits",
        "estimated with the EcoLogits method",
        "ecologits",
        false,
    ),
];

const BOAVIZTA_METHOD: &str = "with the BoaviztAPI 2.5.0 method";

fn statement(file: &str, format: &str) -> String {
    let o = run(&["statement", file, "--format", format]);
    assert_eq!(o.code, 0, "statement {file} {format}: {}", o.stderr);
    o.stdout
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
    for (file, _, named, bibkey, with_boavizta) in METHODS {
        let tex = statement(file, "latex");
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
            tex.lines()
                .any(|l| l.starts_with("% @") && l.ends_with(&format!("{{{bibkey},"))),
            "{file}: no BibTeX entry {bibkey} in\n{tex}"
        );
    }
}

#[test]
fn markdown_statement_names_the_method_used_and_cites_it() {
    for (file, _, named, bibkey, _) in METHODS {
        let md = statement(file, "markdown");
        assert!(md.contains(named), "{file}: no {named:?} in\n{md}");
        assert!(
            !md.contains(BOAVIZTA_METHOD),
            "{file}: the statement says BoaviztAPI 2.5.0 computed the embodied impacts:\n{md}"
        );
        // The reference list numbers the method third, after mlca and jay2024, and the
        // paragraph cites that number right after the method.
        assert!(
            md.contains(&format!("\n3. [{bibkey}] ")),
            "{file}: {bibkey} is not reference 3 in\n{md}"
        );
        let after = &md[md.find(named).expect("the method named")..];
        let origin = after
            .split(", allocated by")
            .next()
            .expect("the allocation follows");
        assert!(
            origin.ends_with(" [3]") || origin.ends_with(" [3, 4]"),
            "{file}: the method is not cited: {origin}"
        );
        assert!(
            md.lines()
                .any(|l| l.starts_with('@') && l.ends_with(&format!("{{{bibkey},"))),
            "{file}: no BibTeX entry {bibkey} in\n{md}"
        );
    }
}

#[test]
fn default_method_statement_still_names_boavizta() {
    let md = statement("scenarios/apollo-6500-bom.yaml", "markdown");
    assert!(md.contains(BOAVIZTA_METHOD), "{md}");
    assert!(md.contains("\n3. [boaviztapi] "), "{md}");
    for (_, _, named, bibkey, _) in METHODS {
        assert!(!md.contains(named), "{md}");
        assert!(!md.contains(&format!("[{bibkey}]")), "{md}");
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
