//! Trace readers: each on a fixture whose energy is computed by hand, to 1e-9 relative; bad
//! files; windows, gaps and idle power; the `trace summary` JSON.

use crate::common::*;
use serde_json::Value;

const REL: f64 = 1e-9;
const J: f64 = 1.0 / 3.6e6; // kWh per J

fn summary(args: &[&str]) -> Value {
    let mut a = vec!["trace", "summary"];
    a.extend_from_slice(args);
    a.extend_from_slice(&["--format", "json"]);
    json(&a)
}

fn device<'a>(s: &'a Value, name: &str) -> &'a Value {
    s["devices"]
        .as_array()
        .and_then(|d| d.iter().find(|x| x["device"] == name))
        .unwrap_or_else(|| panic!("no device {name} in {s}"))
}

fn kwh(v: &Value) -> f64 {
    num(&v["value"])
}

#[test]
fn nvidia_smi_two_gpus_interleaved_with_missing_cells() {
    let s = summary(&["tests/fixtures/traces/nvidia-smi.csv"]);
    assert_eq!(s["format"], "nvidia-smi");
    // GPU 0: 300 W constant for 100 s (a [Not Supported] cell at 30 s is skipped: still 300 W)
    close(
        kwh(&device(&s, "0")["energy_kwh"]),
        300.0 * 100.0 * J,
        REL,
        "gpu 0",
    );
    // GPU 1: ramp 100 -> 300 W over 100 s = 20000 J ([N/A] at 50 s skipped: the ramp is linear)
    close(
        kwh(&device(&s, "1")["energy_kwh"]),
        20000.0 * J,
        REL,
        "gpu 1",
    );
    close(kwh(&s["energy_kwh"]), 50000.0 * J, REL, "total");
    let d0 = device(&s, "0");
    assert_eq!(d0["samples"], 100);
    close(num(&d0["duration_s"]), 100.0, REL, "duration");
    close(num(&d0["mean_power_w"]), 300.0, REL, "mean");
    close(num(&device(&s, "1")["max_power_w"]), 300.0, REL, "max");
    assert_eq!(d0["name"], "NVIDIA A100-SXM4-80GB");
    assert_eq!(d0["component"], "gpu");
    let w = s["warnings"].to_string();
    assert!(
        w.contains("2 row(s) with a missing value") && w.contains("rows 62, 103"),
        "{w}"
    );
}

#[test]
fn nvidia_smi_nounits_and_noheader() {
    for f in ["nvidia-smi-nounits.csv", "nvidia-smi-noheader.csv"] {
        let s = summary(&[&format!("tests/fixtures/traces/{f}")]);
        close(kwh(&s["energy_kwh"]), 250.5 * 60.0 * J, REL, f);
    }
    let s = summary(&["tests/fixtures/traces/nvidia-smi-noheader.csv"]);
    assert!(s["assumptions"].to_string().contains("without header"));
}

#[test]
fn rapl_counter_wraps_and_zones_stay_apart() {
    let s = summary(&["tests/fixtures/traces/rapl.csv"]);
    // package 100 W for 60 s across the wrap = 6000 J; dram 10 W = 600 J; core sub-zone not added
    close(
        kwh(&device(&s, "package-0")["energy_kwh"]),
        6000.0 * J,
        REL,
        "package",
    );
    close(
        kwh(&device(&s, "dram")["energy_kwh"]),
        600.0 * J,
        REL,
        "dram",
    );
    close(kwh(&s["by_component"]["cpu"]), 6000.0 * J, REL, "cpu");
    close(
        kwh(&s["by_component"]["dram"]),
        600.0 * J,
        REL,
        "dram component",
    );
    close(kwh(&s["energy_kwh"]), 6600.0 * J, REL, "total");
    assert_eq!(device(&s, "core")["included"], false);
    assert!(s["assumptions"]
        .to_string()
        .contains("counter wrapped at its range and was unwrapped: 1 (rows"));
    // the range given on the command line instead of a column
    let s = summary(&[
        "tests/fixtures/traces/rapl-no-range.csv",
        "--rapl-max-energy-range-uj",
        "262143328850",
    ]);
    close(kwh(&s["energy_kwh"]), 6600.0 * J, REL, "range option");
    let o = run(&[
        "trace",
        "summary",
        "tests/fixtures/traces/rapl-no-range.csv",
    ]);
    snap("traces__rapl_counter_without_its_range", &o, &[]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("rapl-no-range.csv:11") && o.stderr.contains("max_energy_range_uj"),
        "{}",
        o.stderr
    );
}

#[test]
fn alumet_deltas_without_totals_or_power_twice() {
    let s = summary(&["tests/fixtures/traces/alumet.csv"]);
    // 10 rows 1 s apart: 10 deltas, the first one over the second before it (the series' period)
    close(
        kwh(&s["by_component"]["cpu"]),
        10.0 * 61.8 * J,
        REL,
        "package",
    );
    close(kwh(&s["by_component"]["dram"]), 10.0 * 4.2 * J, REL, "dram");
    close(
        kwh(&s["by_component"]["gpu"]),
        10.0 * 250.0 * J,
        REL,
        "gpu (mJ deltas)",
    );
    close(
        kwh(&s["energy_kwh"]),
        10.0 * (61.8 + 4.2 + 250.0) * J,
        REL,
        "total",
    );
    close(num(&s["duration_s"]), 10.0, REL, "10 intervals of 1 s");
    assert_eq!(
        device(&s, "rapl_consumed_energy_J local_machine package_total")["included"],
        false
    );
    assert_eq!(
        device(&s, "nvml_instant_power_mW gpu 00000000:01:00.0")["included"],
        false
    );
    let a = s["assumptions"].to_string();
    assert!(
        a.contains("neither power nor energy") && a.contains("per-process"),
        "{a}"
    );
}

#[test]
fn codecarbon_runs_are_cumulative_and_pue_is_removed() {
    let s = summary(&["tests/fixtures/traces/codecarbon.csv"]);
    // last row of the run: cpu 0.066, gpu 0.308, ram 0.022 kWh, written with PUE 1.2
    close(kwh(&s["by_component"]["cpu"]), 0.066 / 1.2, REL, "cpu");
    close(kwh(&s["by_component"]["gpu"]), 0.308 / 1.2, REL, "gpu");
    close(kwh(&s["by_component"]["dram"]), 0.022 / 1.2, REL, "ram");
    close(
        kwh(&s["energy_kwh"]),
        0.396 / 1.2,
        REL,
        "total (never the sum of flush rows)",
    );
    close(num(&s["duration_s"]), 3600.0, REL, "duration");
    let old = summary(&["tests/fixtures/traces/codecarbon-old.csv"]);
    close(
        kwh(&old["energy_kwh"]),
        1.5,
        REL,
        "older file: energy_consumed of the longest row",
    );
    assert!(old["assumptions"].to_string().contains("no pue column"));
}

#[test]
fn jetson_stats_total_never_added_to_rails() {
    let s = summary(&["tests/fixtures/traces/jetson-stats.csv"]);
    // Power TOT 9800 mW for 9 s
    close(kwh(&s["energy_kwh"]), 9.8 * 9.0 * J, REL, "board");
    assert_eq!(device(&s, "Power TOT")["component"], "node");
    assert_eq!(device(&s, "Power VDD_SOC")["included"], false);
}

#[test]
fn kwollect_one_metric_per_node() {
    let o = run(&["trace", "summary", "tests/fixtures/traces/kwollect.csv"]);
    snap("traces__kwollect_two_metrics", &o, &[]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("2 power metrics") && o.stderr.contains("metric"),
        "{}",
        o.stderr
    );
    let s = summary(&[
        "tests/fixtures/traces/kwollect.csv",
        "--metric",
        "wattmetre_power_watt",
    ]);
    close(kwh(&s["energy_kwh"]), 130.0 * 20.0 * J, REL, "wattmeter");
    let s = summary(&[
        "tests/fixtures/traces/kwollect.csv",
        "--metric",
        "bmc_node_power_watt",
    ]);
    close(kwh(&s["energy_kwh"]), 140.0 * 20.0 * J, REL, "bmc");
}

#[test]
fn generic_power_counter_and_interval() {
    let s = summary(&[
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
        "--device-column",
        "dev",
        "--component",
        "node",
        "--delimiter",
        ";",
    ]);
    // a: ramp 0 -> 100 W over 10 s = 500 J; b: 50 W x 10 s = 500 J
    close(kwh(&device(&s, "a")["energy_kwh"]), 500.0 * J, REL, "ramp");
    close(
        kwh(&device(&s, "b")["energy_kwh"]),
        500.0 * J,
        REL,
        "constant",
    );
    let s = summary(&[
        "tests/fixtures/traces/generic-cumulative.csv",
        "--time-column",
        "elapsed",
        "--time-format",
        "elapsed-s",
        "--value-column",
        "kwh",
        "--unit",
        "kWh",
        "--value-kind",
        "cumulative",
        "--component",
        "node",
    ]);
    // 30 steps of 0.002 kWh
    close(kwh(&s["energy_kwh"]), 0.06, 1e-9, "meter");
    close(num(&s["duration_s"]), 1800.0, REL, "duration");
    let s = summary(&[
        "tests/fixtures/traces/generic-interval.csv",
        "--time-column",
        "time",
        "--time-format",
        "iso8601",
        "--value-column",
        "wh",
        "--unit",
        "Wh",
        "--value-kind",
        "interval",
        "--component",
        "node",
    ]);
    // 15 intervals of 0.5 Wh; the first row (9.9 Wh) covers time before the trace
    close(kwh(&s["energy_kwh"]), 15.0 * 0.5e-3, REL, "intervals");
    let o = run(&[
        "trace",
        "summary",
        "tests/fixtures/traces/generic-interval.csv",
        "--time-column",
        "time",
        "--time-format",
        "iso8601",
        "--value-column",
        "wh",
        "--unit",
        "kWatt",
        "--value-kind",
        "power",
        "--component",
        "node",
    ]);
    snap("traces__generic_unknown_unit", &o, &[]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("unknown unit \"kWatt\""), "{}", o.stderr);
}

#[test]
fn window_idle_power_and_gaps() {
    // GPU 1 ramps 100 + 2 t W: over [20 s, 60 s] it draws 40 x (100 + 80) = 7200 J
    let s = summary(&[
        "tests/fixtures/traces/nvidia-smi.csv",
        "--start",
        "2025-03-02T14:00:20",
        "--end",
        "2025-03-02T14:01:00",
    ]);
    close(
        kwh(&device(&s, "1")["energy_kwh"]),
        7200.0 * J,
        REL,
        "window",
    );
    close(
        num(&device(&s, "1")["duration_s"]),
        40.0,
        REL,
        "window duration",
    );
    // a window edge between samples interpolates: [20.5 s, 21.5 s] on the ramp = 142 J
    let s = summary(&[
        "tests/fixtures/traces/nvidia-smi.csv",
        "--start",
        "2025-03-02T14:00:20.5",
        "--end",
        "2025-03-02T14:00:21.5",
    ]);
    close(
        kwh(&device(&s, "1")["energy_kwh"]),
        142.0 * J,
        REL,
        "interpolated edges",
    );
    // idle power given: dynamic = total - idle x duration
    let s = summary(&[
        "tests/fixtures/traces/nvidia-smi.csv",
        "--idle-power-w",
        "50",
    ]);
    close(
        kwh(&device(&s, "0")["dynamic_energy_kwh"]),
        250.0 * 100.0 * J,
        REL,
        "dynamic",
    );
    close(
        kwh(&s["dynamic_energy_kwh"]),
        (50000.0 - 2.0 * 5000.0) * J,
        REL,
        "dynamic total",
    );
    // idle power measured from a segment of the trace: GPU 1 over [0, 10 s] averages 110 W
    let s = summary(&[
        "tests/fixtures/traces/nvidia-smi.csv",
        "--idle-start",
        "2025-03-02T14:00:00",
        "--idle-end",
        "2025-03-02T14:00:10",
    ]);
    close(
        num(&device(&s, "1")["idle_power_w"]),
        110.0,
        REL,
        "measured idle",
    );
    close(
        kwh(&device(&s, "1")["dynamic_energy_kwh"]),
        (20000.0 - 11000.0) * J,
        REL,
        "dynamic from idle segment",
    );
}

#[test]
fn gaps_are_reported_with_their_rows_and_policy() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut text = String::from("timestamp, index, power.draw [W]\n");
    for i in 0..20 {
        text.push_str(&format!("2025/03/02 14:00:{i:02}.000, 0, 100.00 W\n"));
    }
    for i in 50..60 {
        text.push_str(&format!("2025/03/02 14:00:{i:02}.000, 0, 200.00 W\n"));
    }
    let p = write(dir.path(), "gap.csv", &text);
    let f = p.to_str().expect("path");
    let base = 19.0 * 100.0 + 31.0 * 150.0 + 9.0 * 200.0;
    let s = summary(&[f]);
    close(kwh(&s["energy_kwh"]), base * J, REL, "interpolate");
    assert_eq!(s["gaps"], 1);
    let g = &device(&s, "0")["gaps"][0];
    assert_eq!(g["row"], 22);
    close(num(&g["duration_s"]), 31.0, REL, "gap length");
    assert!(s["warnings"].to_string().contains("1 gap(s)"));
    let s = summary(&[f, "--gap-policy", "hold"]);
    close(kwh(&s["energy_kwh"]), (base - 31.0 * 50.0) * J, REL, "hold");
    let s = summary(&[f, "--gap-policy", "missing"]);
    close(
        num(&s["energy_kwh"]["min"]),
        (base - 31.0 * 50.0) * J,
        REL,
        "missing min",
    );
    close(
        num(&s["energy_kwh"]["max"]),
        (base + 31.0 * 50.0) * J,
        REL,
        "missing max",
    );
    let s = summary(&[f, "--gap-threshold-s", "60"]);
    assert_eq!(s["gaps"], 0);
}

#[test]
fn bad_files_are_clear_errors_with_rows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let header = "timestamp, index, power.draw [W]\n";
    let ok = "2025/03/02 14:00:00.000, 0, 100.00 W\n2025/03/02 14:00:01.000, 0, 100.00 W\n";
    let cases: Vec<(&str, String, &[&str])> = vec![
        ("empty.csv", String::new(), &["empty"]),
        ("header-only.csv", header.to_string(), &["no data row"]),
        (
            "truncated.csv",
            format!("{header}{ok}2025/03/02 14:00:0"),
            &[":4", "1 fields, the header has 3", "truncated"],
        ),
        (
            "semicolon.csv",
            "timestamp; index; power.draw [W]\n2025/03/02 14:00:00.000; 0; 100.00 W\n".into(),
            &["single column", "delimiter"],
        ),
        (
            "unit.csv",
            format!("{header}{ok}2025/03/02 14:00:02.000, 0, 100.00 kWatt\n"),
            &[":4", "unknown power unit \"kWatt\""],
        ),
        (
            "text.csv",
            format!("{header}{ok}2025/03/02 14:00:02.000, 0, lots W\n"),
            &[":4", "cannot read \"lots\" as a number"],
        ),
        (
            "order.csv",
            format!("{header}{ok}2025/03/02 14:00:00.500, 0, 100.00 W\n"),
            &[":4", "out of order"],
        ),
        (
            "negative.csv",
            format!("{header}{ok}2025/03/02 14:00:02.000, 0, -5.00 W\n"),
            &[":4", "negative power"],
        ),
        (
            "badtime.csv",
            format!("{header}{ok}tomorrow, 0, 5.00 W\n"),
            &[":4", "as a time"],
        ),
    ];
    for (name, text, words) in cases {
        let p = write(dir.path(), name, &text);
        let o = run(&["trace", "summary", p.to_str().expect("path")]);
        snap(&format!("traces__bad_file__{name}"), &o, &[dir.path()]);
        assert_eq!(o.code, 2, "{name}: {}", o.stderr);
        assert!(o.stderr.contains(name), "{name}: {}", o.stderr);
        for w in words {
            assert!(
                o.stderr.contains(w),
                "{name}: missing {w:?} in\n{}",
                o.stderr
            );
        }
    }
    // duplicates are a warning with their rows, not an error
    let p = write(
        dir.path(),
        "dup.csv",
        &format!("{header}{ok}2025/03/02 14:00:01.000, 0, 100.00 W\n"),
    );
    let s = summary(&[p.to_str().expect("path")]);
    assert!(
        s["warnings"]
            .to_string()
            .contains("duplicate timestamp(s) skipped: 1 (rows 4)"),
        "{}",
        s["warnings"]
    );
}

#[test]
fn trace_summary_json_contract() {
    let s = summary(&["tests/fixtures/traces/nvidia-smi.csv"]);
    for k in [
        "device",
        "component",
        "energy_kwh",
        "duration_s",
        "mean_power_w",
        "max_power_w",
        "samples",
    ] {
        assert!(!s["devices"][0][k].is_null(), "{k}");
    }
    for k in ["value", "min", "max"] {
        assert!(s["energy_kwh"][k].is_number());
        assert!(s["devices"][0]["energy_kwh"][k].is_number());
    }
    let t = run(&["trace", "summary", "tests/fixtures/traces/nvidia-smi.csv"]);
    assert!(
        t.stdout.contains("Mean power [W]") && t.stdout.contains("total:"),
        "{}",
        t.stdout
    );
}

#[test]
fn a_file_read_in_pieces_gives_the_whole() {
    // one thread and four threads over a file large enough to be cut (> 8 MiB)
    let dir = tempfile::tempdir().expect("temp dir");
    let mut text = String::from("timestamp, index, power.draw [W]\n");
    let mut want = [0.0f64; 4];
    let mut prev = [None::<(f64, f64)>; 4];
    for i in 0..80_000u64 {
        for g in 0..4u64 {
            let t = i as f64 * 0.5;
            let p = 100.0 + ((i * 7 + g * 13) % 50) as f64;
            if let Some((t0, p0)) = prev[g as usize] {
                want[g as usize] += (p0 + p) / 2.0 * (t - t0);
            }
            prev[g as usize] = Some((t, p));
            let s = 1_740_924_000 + i / 2;
            let ms = (i % 2) * 500;
            text.push_str(&format!("{s}.{ms:03}, {g}, {p:.2} W\n"));
        }
    }
    let p = write(dir.path(), "big.csv", &text);
    assert!(text.len() > 8 << 20, "{}", text.len());
    let f = p.to_str().expect("path");
    let one = summary(&[f, "--input-format", "nvidia-smi", "--threads", "1"]);
    let four = summary(&[f, "--input-format", "nvidia-smi", "--threads", "4"]);
    for (g, want_j) in want.iter().enumerate() {
        let name = g.to_string();
        close(
            kwh(&device(&one, &name)["energy_kwh"]),
            want_j * J,
            1e-9,
            "one thread",
        );
        close(
            kwh(&device(&four, &name)["energy_kwh"]),
            want_j * J,
            1e-9,
            "four threads",
        );
        assert_eq!(
            device(&one, &name)["samples"],
            device(&four, &name)["samples"]
        );
    }
}

/// Trapezoid over [a, b] (seconds of the day) of one GPU's samples, power interpolated at the
/// edges: an implementation independent of mlca's.
fn reference_energy_j(text: &str, gpu: &str, a: f64, b: f64) -> f64 {
    let pts: Vec<(f64, f64)> = text
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split(", ").collect();
            if f[1] != gpu {
                return None;
            }
            let hms: Vec<f64> = f[0][11..]
                .split(':')
                .map(|x| x.parse().expect("time"))
                .collect();
            let t = hms[0] * 3600.0 + hms[1] * 60.0 + hms[2];
            let p: f64 = f[3].trim_end_matches(" W").parse().expect("power");
            Some((t, p))
        })
        .collect();
    let mut e = 0.0;
    for w in pts.windows(2) {
        let ((t0, p0), (t1, p1)) = (w[0], w[1]);
        let (lo, hi) = (t0.max(a), t1.min(b));
        if hi > lo {
            let at = |t: f64| p0 + (p1 - p0) * (t - t0) / (t1 - t0);
            e += (at(lo) + at(hi)) / 2.0 * (hi - lo);
        }
    }
    e
}

#[test]
fn shipped_nvidia_smi_scenario_end_to_end() {
    let text = std::fs::read_to_string(root().join("scenarios/traces/nvidia-smi-resnet50.csv"))
        .expect("log");
    // training log: 10:00:00.000 to 10:29:25.200
    let (a, b) = (10.0 * 3600.0, 10.0 * 3600.0 + 29.0 * 60.0 + 25.2);
    let want_j: f64 = (0..8)
        .map(|g| reference_energy_j(&text, &g.to_string(), a, b))
        .sum();
    let r = assess_json("scenarios/trace-nvidia-smi-example.yaml");
    assert_eq!(r["energy"]["method"], "measured");
    close(
        num(&r["energy_kwh"]["value"]),
        want_j * J,
        1e-9,
        "measured energy",
    );
    close(
        num(&r["impacts"]["use"]["gwp"]["value"]),
        want_j * J * 0.098,
        1e-9,
        "use GWP (FRA, PUE 1)",
    );
    let t = &r["energy"]["traces"][0];
    assert_eq!(t["format"], "nvidia-smi");
    assert_eq!(t["devices"], 8);
    assert_eq!(t["window_end"], "2024-06-12T10:29:25.200");
    assert_eq!(t["energy_basis"], "total");
    // idle measured over 09:59:00-09:59:59: dynamic below total
    assert!(num(&t["dynamic_energy_kwh"]["value"]) < num(&t["total_energy_kwh"]["value"]));
    let w = r["warnings"].to_string();
    assert!(w.contains("measure gpu only"), "{w}");
    let a = r["assumptions"].to_string();
    assert!(
        a.contains("energy measured") && a.contains("nvidia-smi-resnet50.csv"),
        "{a}"
    );
}

#[test]
fn trace_errors_in_a_scenario_name_the_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = std::fs::read_to_string(root().join("scenarios/trace-nvidia-smi-example.yaml"))
        .expect("scenario");
    let base = base.replace(
        "traces/",
        &format!("{}/scenarios/traces/", root().display()),
    );
    // idle given without saying which energy to use
    let p = write(dir.path(), "s.yaml", &base.replace("      energy_basis: total       # what the GPUs drew; `dynamic` would subtract idle x duration\n", ""));
    let o = run(&["assess", p.to_str().expect("path")]);
    snap(
        "traces__scenario_idle_without_energy_basis",
        &o,
        &[dir.path()],
    );
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("energy.traces[0].energy_basis") || o.stderr.contains("energy.traces[0]"),
        "{}",
        o.stderr
    );
    // a node that is not in the infrastructure
    let p = write(
        dir.path(),
        "s2.yaml",
        &base.replace("      node: Apollo 6500 Gen10", "      node: Apolo"),
    );
    let o = run(&["assess", p.to_str().expect("path")]);
    snap("traces__scenario_unknown_node", &o, &[dir.path()]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("energy.traces[0].node") && o.stderr.contains("Apollo 6500 Gen10"),
        "{}",
        o.stderr
    );
    // a missing file
    let p = write(
        dir.path(),
        "s3.yaml",
        &base.replace("nvidia-smi-resnet50.csv", "nope.csv"),
    );
    let o = run(&["assess", p.to_str().expect("path")]);
    snap("traces__scenario_missing_trace_file", &o, &[dir.path()]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("nope.csv"), "{}", o.stderr);
}
