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

// ---- 2. bounded memory on a file without line ends ----

const HEADER: &str = "timestamp, index, power.draw [W]\n";

/// A sparse file of 2 GiB of zero bytes after `head`: no line end, nothing on disk.
fn sparse(dir: &Path, name: &str, head: &str) -> PathBuf {
    let p = write(dir, name, head);
    let f = std::fs::OpenOptions::new().write(true).open(&p).unwrap();
    f.set_len(2 << 30).unwrap();
    p
}

#[test]
fn files_without_line_ends() {
    let d = tempfile::tempdir().unwrap();
    let row = "2025/03/02 14:00:00.000, 0, 100 W\n";
    let cases: Vec<(&str, PathBuf, Vec<&str>)> = vec![
        ("sparse_trace", sparse(d.path(), "zeros.csv", ""), vec![]),
        (
            "sparse_after_rows",
            sparse(d.path(), "rows.csv", &format!("{HEADER}{row}")),
            vec![],
        ),
    ];
    for (name, file, extra) in cases {
        let o = summary(&file, &extra);
        assert_eq!(o.code, 2, "{name}: {}", o.stderr);
        snap(&format!("bad_traces__{name}"), &o, &[d.path()]);
    }
    let pts = sparse(d.path(), "points.csv", "steps,energy_kwh\n");
    let o = run(&["extrapolate", pts.to_str().unwrap(), "--to", "1000"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    snap("bad_traces__sparse_points", &o, &[d.path()]);
    let log = sparse(d.path(), "log.csv", "step,timestamp\n0,100\n");
    let o = run(&[
        "extrapolate",
        "--trace",
        "tests/fixtures/traces/nvidia-smi.csv",
        "--training-log",
        log.to_str().unwrap(),
        "--to",
        "1000",
    ]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    snap("bad_traces__sparse_log", &o, &[d.path()]);
    let cc = sparse(d.path(), "emissions.csv", "");
    let o = summary(&cc, &["--input-format", "codecarbon"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    snap("bad_traces__sparse_codecarbon", &o, &[d.path()]);
}

#[test]
fn dev_zero_is_not_empty() {
    if !Path::new("/dev/zero").exists() {
        return;
    }
    let o = summary(Path::new("/dev/zero"), &[]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    snap("bad_traces__dev_zero", &o, &[]);
}

// ---- 6. true line numbers: CRLF, and across pieces ----

#[test]
fn crlf_lines_are_numbered_as_lf_ones() {
    let d = tempfile::tempdir().unwrap();
    let text = "timestamp, index, power.draw [W]\r\n2025/03/02 14:00:00.000, 0, 100 W\r\n2025/03/02 14:00:01.000, 0, abc W\r\n";
    let f = write(d.path(), "crlf.csv", text);
    let o = summary(&f, &[]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    snap("bad_traces__crlf_line", &o, &[d.path()]);
}

/// An nvidia-smi trace of `n` rows at 1 Hz, 2 GPUs, CRLF or LF; over 8 MiB from ~250,000 rows.
fn big_trace(n: usize, crlf: bool) -> String {
    let end = if crlf { "\r\n" } else { "\n" };
    let mut s = format!("timestamp, index, power.draw [W]{end}");
    for i in 0..n {
        let (h, m, sec) = (i / 3600, (i / 60) % 60, i % 60);
        for g in 0..2 {
            let w = 100.0 + ((i * 7 + g * 13) % 200) as f64 * 0.37;
            s.push_str(&format!(
                "2025/03/{:02} {:02}:{m:02}:{sec:02}.000, {g}, {w:.2} W{end}",
                2 + h / 24,
                h % 24
            ));
        }
    }
    s
}

#[test]
fn errors_far_in_a_large_file_carry_the_file_line() {
    let d = tempfile::tempdir().unwrap();
    for crlf in [false, true] {
        let mut text = big_trace(200_000, crlf);
        // a bad cell on line 350,001 (the third piece of 8 MiB)
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let mut out = String::with_capacity(text.len());
        for (i, l) in lines.iter().enumerate() {
            if i + 1 == 350_001 {
                out.push_str(&l.replacen(" W", " W, 5", 1));
            } else {
                out.push_str(l);
            }
        }
        text = out;
        let name = if crlf { "big-crlf.csv" } else { "big.csv" };
        let f = write(d.path(), name, &text);
        for threads in ["1", "3"] {
            let o = summary(&f, &["--threads", threads]);
            assert_eq!(o.code, 2, "{}", o.stderr);
            assert!(
                o.stderr.contains(&format!("{name}:350001")),
                "{crlf} {threads}: {}",
                o.stderr
            );
            snap(
                &format!("bad_traces__far_line_{}", if crlf { "crlf" } else { "lf" }),
                &o,
                &[d.path()],
            );
        }
    }
}

// ---- 7. the same figures whatever the number of threads ----

#[test]
fn figures_do_not_depend_on_threads() {
    let d = tempfile::tempdir().unwrap();
    let f = write(d.path(), "big.csv", &big_trace(450_000, false));
    assert!(std::fs::metadata(&f).unwrap().len() > 3 * (8 << 20));
    let first = summary(&f, &["--format", "json", "--threads", "1"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    for t in [&["--threads", "2"][..], &["--threads", "4"], &[]] {
        let mut a = vec!["--format", "json"];
        a.extend_from_slice(t);
        let o = summary(&f, &a);
        assert_eq!(o.stdout, first.stdout, "{t:?}");
    }
}

// ---- 3. numbers that are not numbers, impossible values ----

#[test]
fn impossible_values_at_their_line() {
    let d = tempfile::tempdir().unwrap();
    let nv = |cell: &str| {
        format!("{HEADER}2025/03/02 14:00:00.000, 0, 100 W\n2025/03/02 14:00:01.000, 0, {cell}\n2025/03/02 14:00:02.000, 0, 100 W\n")
    };
    let cc = std::fs::read_to_string(root().join("tests/fixtures/traces/codecarbon.csv")).unwrap();
    // a negative gpu_energy on the first row (not the run's last, longest one)
    let mut cc_lines: Vec<String> = cc.lines().map(str::to_string).collect();
    cc_lines[1] = cc_lines[1].replace(",0.1026666,", ",-0.1026666,");
    let cc_neg = cc_lines.join("\n") + "\n";
    let cases: Vec<(&str, String, Vec<&str>)> = vec![
        ("nan_watts", nv("nan W"), vec![]),
        ("inf_watts", nv("inf W"), vec![]),
        ("codecarbon_negative_first_row", cc_neg, vec![]),
        (
            "rapl_above_range",
            "timestamp_s,zone,energy_uj,max_energy_range_uj\n1740924000,package-0,1000,262143328850\n1740924001,package-0,1000000000000000000,262143328850\n".into(),
            vec![],
        ),
        (
            "all_missing",
            format!("{HEADER}2025/03/02 14:00:00.000, 0, [N/A]\n2025/03/02 14:00:01.000, 0, [N/A]\n2025/03/02 14:00:02.000, 0, [N/A]\n"),
            vec![],
        ),
    ];
    for (name, text, extra) in cases {
        let f = write(d.path(), &format!("{name}.csv"), &text);
        let o = summary(&f, &extra);
        assert_eq!(o.code, 2, "{name}: {}", o.stderr);
        snap(&format!("bad_traces__{name}"), &o, &[d.path()]);
    }
}

#[test]
fn rapl_range_zero_in_a_scenario() {
    let d = tempfile::tempdir().unwrap();
    let fixture = root().join("tests/fixtures/traces/rapl-no-range.csv");
    for (name, v) in [("zero", "0"), ("negative", "-5")] {
        let s = scenario(
            d.path(),
            &fixture,
            &format!("      rapl_max_energy_range_uj: {v}\n"),
        );
        let o = run(&["assess", s.to_str().unwrap()]);
        assert_eq!(o.code, 2, "{}", o.stderr);
        snap(&format!("bad_traces__rapl_range_{name}"), &o, &[d.path()]);
    }
}

#[test]
fn bad_points_and_logs() {
    let d = tempfile::tempdir().unwrap();
    let cases = [
        (
            "points_negative",
            "steps,energy_kwh\n0,0\n100,-1\n200,2\n300,3\n",
        ),
        (
            "points_nan",
            "steps,energy_kwh\n0,0\n100,NaN\n200,2\n300,3\n",
        ),
        (
            "points_inf",
            "steps,energy_kwh\n0,0\n100,1\n200,inf\n300,3\n",
        ),
    ];
    for (name, text) in cases {
        let f = write(d.path(), &format!("{name}.csv"), text);
        let o = run(&["extrapolate", f.to_str().unwrap(), "--to", "1000"]);
        assert_eq!(o.code, 2, "{name}: {}", o.stderr);
        snap(&format!("bad_traces__{name}"), &o, &[d.path()]);
    }
    let logs = [
        (
            "log_negative_step",
            "step,timestamp\n-5,1740924000\n10,1740924010\n20,1740924020\n",
        ),
        (
            "log_nan_step",
            "step,timestamp\n0,1740924000\nnan,1740924010\n20,1740924020\n",
        ),
    ];
    for (name, text) in logs {
        let f = write(d.path(), &format!("{name}.csv"), text);
        let o = run(&[
            "extrapolate",
            "--trace",
            "tests/fixtures/traces/nvidia-smi.csv",
            "--training-log",
            f.to_str().unwrap(),
            "--to",
            "1000",
        ]);
        assert_eq!(o.code, 2, "{name}: {}", o.stderr);
        snap(&format!("bad_traces__{name}"), &o, &[d.path()]);
    }
}

// ---- 5. the true reason for missing data ----

#[test]
fn header_only_training_log_with_codecarbon_points() {
    let d = tempfile::tempdir().unwrap();
    let log = write(d.path(), "log.csv", "step,timestamp\n");
    let o = run(&[
        "extrapolate",
        "--codecarbon",
        "tests/fixtures/traces/codecarbon.csv",
        "--training-log",
        log.to_str().unwrap(),
        "--to",
        "1000",
    ]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    snap("bad_traces__codecarbon_header_only_log", &o, &[d.path()]);
}

// ---- 4. a quote left open ----

#[test]
fn kwollect_unclosed_quote() {
    let d = tempfile::tempdir().unwrap();
    let fixture =
        std::fs::read_to_string(root().join("tests/fixtures/traces/kwollect.csv")).unwrap();
    let mut lines: Vec<String> = fixture.lines().map(str::to_string).collect();
    lines[3] = lines[3].replace(",{}", ",\"{}");
    let small = write(d.path(), "kwollect.csv", &(lines.join("\n") + "\n"));
    let o = summary(&small, &["--metric", "wattmetre_power_watt"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    snap("bad_traces__kwollect_unclosed_quote", &o, &[d.path()]);
    // the same quote before 2 MiB of rows: stopped at 1 MiB, reported at the quote's line
    let mut big = lines[..4].join("\n") + "\n";
    let mut k = 0;
    while big.len() < 2 << 20 {
        big.push_str(&format!(
            "2025-03-02T15:{:02}:{:02}+00:00,gros-1,wattmetre_power_watt,130,{{}}\n",
            (k / 60) % 60,
            k % 60
        ));
        k += 1;
    }
    let big = write(d.path(), "kwollect-big.csv", &big);
    let o = summary(&big, &["--metric", "wattmetre_power_watt"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    snap("bad_traces__kwollect_unclosed_quote_big", &o, &[d.path()]);
}
