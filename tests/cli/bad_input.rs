//! Bad input: each a one-screen error naming the file, the field path and the line, exit code
//! 2, and no output file written.

use crate::common::*;
use std::path::Path;

/// Run `assess --output` on a broken scenario and check the error; its exact stderr and exit
/// code (and `validate`'s) are the snapshots `bad_input__NAME` and `bad_input__NAME__validate`.
fn fails(name: &str, text: &str, field: &str, line: usize, words: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "bad.yaml", text);
    let out = dir.path().join("report.json");
    let o = run(&[
        "assess",
        file.to_str().expect("path"),
        "--format",
        "json",
        "--output",
        out.to_str().expect("path"),
    ]);
    snap(&format!("bad_input__{name}"), &o, &[dir.path()]);
    assert_eq!(o.code, 2, "exit code; stderr:\n{}", o.stderr);
    assert!(!Path::new(&out).exists(), "an output file was written");
    assert!(o.stdout.is_empty());
    let e = o.stderr;
    assert!(
        e.contains(&format!("bad.yaml:{line}:")),
        "no line {line}:\n{e}"
    );
    assert!(
        e.contains(&format!("field: {field}")),
        "no field {field}:\n{e}"
    );
    for w in words {
        assert!(e.contains(w), "missing {w:?}:\n{e}");
    }
    assert!(e.lines().count() <= 24, "more than one screen:\n{e}");
    // validate says the same
    let v = run(&["validate", file.to_str().expect("path")]);
    snap(&format!("bad_input__{name}__validate"), &v, &[dir.path()]);
    assert_eq!(v.code, 2);
    e
}

#[test]
fn good_fixture_is_valid() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "good.yaml", GOOD);
    let o = run(&["validate", file.to_str().expect("path")]);
    snap("bad_input__good_fixture_is_valid", &o, &[dir.path()]);
    assert_eq!(o.code, 0, "{}", o.stderr);
}

#[test]
fn malformed_yaml() {
    // a second colon in a plain value
    let t = GOOD.replace("  country: FRA", "  country: FRA: France");
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "bad.yaml", &t);
    let out = dir.path().join("r.json");
    let o = run(&[
        "assess",
        file.to_str().expect("path"),
        "-o",
        out.to_str().expect("path"),
    ]);
    snap("bad_input__malformed_yaml", &o, &[dir.path()]);
    assert_eq!(o.code, 2);
    assert!(!out.exists());
    assert!(o.stderr.contains("bad.yaml:15:"), "{}", o.stderr);
    assert!(o.stderr.contains("YAML syntax"), "{}", o.stderr);
    // a value of the wrong type is located by field
    let t = GOOD.replace("  declared_kwh: 100", "  declared_kwh: [100, 200]");
    fails(
        "malformed_yaml__wrong_type",
        &t,
        "energy.declared_kwh",
        13,
        &["expected a number or {value, min, max"],
    );
}

#[test]
fn unknown_key() {
    let t = GOOD.replace("  pue: 1.2", "  peu: 1.2");
    fails(
        "unknown_key",
        &t,
        "electricity.peu",
        16,
        &["unknown field `peu`", "did you mean `pue`"],
    );
}

#[test]
fn negative_wue() {
    let t = GOOD.replace(
        "  pue: 1.2",
        "  pue: 1.2\n  wue_l_per_kwh: -1\n  wue_source: an operator's report",
    );
    fails(
        "negative_wue",
        &t,
        "electricity.wue_l_per_kwh",
        17,
        &["must be zero or more"],
    );
}

#[test]
fn wue_in_an_unknown_unit() {
    let t = GOOD.replace("  pue: 1.2", "  pue: 1.2\n  wue_gal_per_kwh: 0.5");
    fails(
        "wue_in_an_unknown_unit",
        &t,
        "electricity.wue_gal_per_kwh",
        17,
        &[
            "unknown field `wue_gal_per_kwh`",
            "did you mean `wue_l_per_kwh`",
        ],
    );
}

#[test]
fn wue_without_its_source() {
    let t = GOOD.replace("  pue: 1.2", "  pue: 1.2\n  wue_l_per_kwh: 1.8");
    fails(
        "wue_without_its_source",
        &t,
        "electricity.wue_l_per_kwh",
        17,
        &["a WUE is given without its source", "wue_source"],
    );
}

#[test]
fn wue_source_without_a_wue() {
    let t = GOOD.replace(
        "  pue: 1.2",
        "  pue: 1.2\n  wue_source: an operator's report",
    );
    fails(
        "wue_source_without_a_wue",
        &t,
        "electricity.wue_source",
        17,
        &["wue_source is given without wue_l_per_kwh"],
    );
}

#[test]
fn misspelt_gpu() {
    let t = GOOD.replace("NVIDIA A100-SXM4-80GB", "NVIDIA A100-SXM5-80GB");
    fails(
        "misspelt_gpu",
        &t,
        "infrastructure[0].bom.gpus[0].model",
        8,
        &["unknown GPU", "did you mean \"NVIDIA A100 SXM4 80GB\""],
    );
}

#[test]
fn ambiguous_gpu() {
    let t = GOOD.replace("NVIDIA A100-SXM4-80GB", "A100 80GB");
    fails(
        "ambiguous_gpu",
        &t,
        "infrastructure[0].bom.gpus[0].model",
        8,
        &["ambiguous GPU", "NVIDIA A100 PCIe 80GB"],
    );
}

#[test]
fn negative_or_zero_lifetime() {
    for v in ["-4", "0"] {
        let t = GOOD.replace("lifetime_years: 4", &format!("lifetime_years: {v}"));
        fails(
            &format!("negative_or_zero_lifetime__{v}"),
            &t,
            "allocation.lifetime_years",
            18,
            &["must be greater than zero"],
        );
    }
}

#[test]
fn aur_outside_zero_one() {
    for v in ["0", "1.5", "-0.2"] {
        let t = GOOD.replace(
            "active_utilization_rate: 0.5",
            &format!("active_utilization_rate: {v}"),
        );
        fails(
            &format!("aur_outside_zero_one__{v}"),
            &t,
            "allocation.active_utilization_rate",
            19,
            &["must be in (0, 1]"],
        );
    }
}

#[test]
fn missing_energy() {
    let t = GOOD.replace("energy:\n  declared_kwh: 100\n", "");
    let e = fails(
        "missing_energy__no_section",
        &t,
        "energy",
        1,
        &["missing field `energy`"],
    );
    assert!(e.contains("hint"), "{e}");
    let t = GOOD.replace("  declared_kwh: 100\n", "  tdp: []\n");
    fails(
        "missing_energy__empty_tdp",
        &t,
        "energy.tdp",
        13,
        &["energy.tdp is empty", "list at least one power declaration"],
    );
}

#[test]
fn unknown_country() {
    let t = GOOD.replace("country: FRA", "country: FRN");
    fails(
        "unknown_country",
        &t,
        "electricity.country",
        15,
        &["unknown country \"FRN\"", "FRA (France)"],
    );
}

#[test]
fn missing_file_and_bad_option() {
    let o = run(&["assess", "no/such/file.yaml"]);
    snap("bad_input__missing_file", &o, &[]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("no/such/file.yaml"), "{}", o.stderr);
    let o = run(&["assess", "tests/fixtures/valid.yaml", "--format", "xml"]);
    snap("bad_input__bad_format_option", &o, &[]);
    assert_eq!(o.code, 2);
    let o = run(&["hardware", "show", "Quantum GPU 9000"]);
    snap("bad_input__unknown_hardware", &o, &[]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("unknown"), "{}", o.stderr);
    let o = run(&["mix", "show", "Atlantis"]);
    snap("bad_input__unknown_country_mix", &o, &[]);
    assert_eq!(o.code, 2);
}
