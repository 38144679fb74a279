//! File references, windows and contradictory trace options: a scenario's missing file is
//! reported at its field, a window outside the trace is an error naming both spans (while a
//! window that only partly covers the trace stays valid), and options that contradict each
//! other or do not apply to the format are errors naming the option.

use crate::common::*;

const TRACE: &str = "tests/fixtures/traces/nvidia-smi.csv";

fn scenario(dir: &std::path::Path, trace_lines: &str) -> std::path::PathBuf {
    let trace = root().join(TRACE);
    let text = format!(
        "functional_unit:\n  name: fixture\ninfrastructure:\n  - name: node\n    nodes: 1\n    catalog: HPE Apollo 6500 Gen10\nenergy:\n  traces:\n    - file: {}\n{trace_lines}electricity:\n  country: FRA\n  pue: 1\nallocation:\n  lifetime_years: 4\n  active_utilization_rate: 0.5\n",
        trace.display()
    );
    let p = dir.join("s.yaml");
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn a_window_partly_over_the_trace_is_valid() {
    let o = run(&[
        "trace",
        "summary",
        TRACE,
        "--start",
        "2025-03-02T14:00:30",
        "--end",
        "2030-01-01T00:00:00",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
}

#[test]
fn a_window_ending_before_the_trace_is_located_at_end() {
    let d = tempfile::tempdir().unwrap();
    let s = scenario(d.path(), "      end: \"2020-01-01 00:00:00\"\n");
    let o = run(&["validate", s.to_str().unwrap()]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("s.yaml:10"), "{}", o.stderr);
    assert!(o.stderr.contains("lies outside the trace"), "{}", o.stderr);
    assert!(o.stderr.contains("2025-03-02T14:00:00"), "{}", o.stderr);
}

#[test]
fn idle_start_after_idle_end_names_the_options() {
    let o = run(&[
        "trace",
        "summary",
        TRACE,
        "--idle-start",
        "2025-03-02T14:00:05",
        "--idle-end",
        "2025-03-02T14:00:01",
    ]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("--idle-start") && o.stderr.contains("--idle-end"),
        "{}",
        o.stderr
    );
}

#[test]
fn a_scenario_metric_on_nvidia_smi_is_an_error() {
    let d = tempfile::tempdir().unwrap();
    let s = scenario(d.path(), "      metric: wattmetre_power_watt\n");
    let o = run(&["validate", s.to_str().unwrap()]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr
            .contains("metric wattmetre_power_watt applies to Kwollect"),
        "{}",
        o.stderr
    );
}

#[test]
fn a_missing_quality_log_of_a_declared_energy_is_located() {
    let d = tempfile::tempdir().unwrap();
    let text = "functional_unit:\n  name: fixture\n  quality_log: nope.csv\n  quality_column: top1\ninfrastructure:\n  - name: node\n    nodes: 1\n    catalog: HPE Apollo 6500 Gen10\nenergy:\n  declared_kwh: 10\nelectricity:\n  country: FRA\n  pue: 1\nallocation:\n  lifetime_years: 4\n  active_utilization_rate: 0.5\n";
    let s = d.path().join("q.yaml");
    std::fs::write(&s, text).unwrap();
    let o = run(&["assess", s.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("q.yaml:3"), "{}", o.stderr);
    assert!(o.stderr.contains("nope.csv"), "{}", o.stderr);
}
