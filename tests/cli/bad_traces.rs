//! Bad trace files, logs, points and CodeCarbon files: each one an error at its place (file,
//! line or field), exit code 2, never a panic, an unbounded read or a non-finite figure.

use crate::common::*;
use std::path::{Path, PathBuf};

/// A scenario measured by one trace entry; `entry` is the rest of the entry (indented by 6).
fn scenario(dir: &Path, file: &Path, entry: &str) -> PathBuf {
    let text = format!(
        "functional_unit:\n  name: one training run\ninfrastructure:\n  - name: n\n    nodes: 1\n    catalog: HPE Apollo 6500 Gen10\nrun:\n  duration_h: 0.01\nenergy:\n  traces:\n    - file: {}\n      node: n\n{entry}electricity:\n  country: FRA\n  pue: 1\nallocation:\n  lifetime_years: 4\n  active_utilization_rate: 0.5\n",
        file.display()
    );
    write(dir, "scenario.yaml", &text)
}

fn summary(file: &Path, extra: &[&str]) -> Out {
    let f = file.display().to_string();
    let mut a = vec!["trace", "summary", f.as_str()];
    a.extend_from_slice(extra);
    run(&a)
}

// ---- 1. components are a closed set ----

#[test]
fn unknown_component_on_the_command_line() {
    let o = run(&[
        "trace",
        "summary",
        "tests/fixtures/traces/generic-power.csv",
        "--time-column",
        "t_ms",
        "--time-format",
        "unix-ms",
        "--value-column",
        "p_mw",
        "--unit",
        "mW",
        "--value-kind",
        "power",
        "--delimiter",
        ";",
        "--component",
        "rail",
    ]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    snap("bad_traces__component_cli", &o, &[]);
}

#[test]
fn unknown_component_in_a_scenario() {
    let d = tempfile::tempdir().unwrap();
    let fixture = root().join("tests/fixtures/traces/generic-power.csv");
    let s = scenario(
        d.path(),
        &fixture,
        "      generic:\n        time_column: t_ms\n        time_format: unix_ms\n        value_column: p_mw\n        unit: mW\n        value_kind: power\n        device_column: dev\n        component: gpus\n        delimiter: \";\"\n",
    );
    let o = run(&["assess", s.to_str().unwrap()]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    snap("bad_traces__component_scenario", &o, &[d.path()]);
}
