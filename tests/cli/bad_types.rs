//! Values of the wrong type in a scenario, through the binary: what was found and what is
//! expected there are said in the scenario's terms (a whole number, a number, a list, a mapping
//! with its keys, an empty section), never with serde's Rust names, and located at the field.

use crate::common::*;

/// `mlca validate` of `text`: exit code 2, and stderr has every one of `want`.
fn refused(text: &str, want: &[&str]) {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "s.yaml", text);
    let o = run(&["validate", file.to_str().expect("path")]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    for w in want {
        assert!(o.stderr.contains(w), "want {w:?} in:\n{}", o.stderr);
    }
    for rust in [" i64", " u32", " f64", "struct ", "unit value", "sequence"] {
        assert!(!o.stderr.contains(rust), "{rust:?} in:\n{}", o.stderr);
    }
}

#[test]
fn counts_say_a_whole_number() {
    refused(
        &GOOD.replace("nodes: 1", "nodes: two"),
        &["expected a whole number of at least 1", "s.yaml:5:12"],
    );
    refused(
        &GOOD.replace("units: 8", "units: 7.5"),
        &["7.5: a count must be a whole number", "s.yaml:9:"],
    );
}

#[test]
fn sections_say_their_keys() {
    refused(
        &GOOD.replace("energy:\n  declared_kwh: 100\n", "energy: 100\n"),
        &[
            "expected a mapping (declared_kwh, tdp, traces, extrapolated, devices, at or overhead)",
            "s.yaml:12:",
        ],
    );
    refused(
        "- functional_unit\n",
        &[
            "expected a mapping of sections (functional_unit, infrastructure",
            "s.yaml:1:1",
        ],
    );
    refused(
        &GOOD.replace(
            "electricity:\n  country: FRA\n  pue: 1.2\n",
            "electricity:\n",
        ),
        &["the section is empty", "s.yaml:15:1", "(line 14)"],
    );
}

#[test]
fn plain_numbers_say_a_number() {
    refused(
        &GOOD.replace("declared_kwh: 100", "declared_kwh: {value: abc}"),
        &["string \"abc\", expected a number", "s.yaml:13:"],
    );
}

#[test]
fn a_second_document_is_located_at_its_marker() {
    refused(
        &format!("{GOOD}---\n{GOOD}"),
        &["a second YAML document", "s.yaml:20:1"],
    );
}
