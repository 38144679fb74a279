//! Bad scenarios at the edges: files too large or not text, values located at their own key,
//! physical domains, overflowing results and plots. Each an input error (exit code 2) naming the
//! file and the place, pinned as an exact snapshot `bad_scenarios__NAME`, and no output written.

use crate::common::*;
use std::path::Path;

/// Run `assess --output` on the scenario `bytes` (and `extra` arguments); snapshot it, check the
/// exit code 2, that no output file was written and that stderr has each of `words`. Returns
/// stderr.
fn fails(name: &str, bytes: &[u8], extra: &[&str], words: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("bad.yaml");
    std::fs::write(&file, bytes).expect("write");
    fails_at(name, &file, dir.path(), extra, words)
}

fn fails_at(name: &str, file: &Path, dir: &Path, extra: &[&str], words: &[&str]) -> String {
    let out = dir.join("report.json");
    let mut args = vec![
        "assess",
        file.to_str().expect("path"),
        "--format",
        "json",
        "--output",
        out.to_str().expect("path"),
    ];
    args.extend_from_slice(extra);
    let o = run(&args);
    snap(&format!("bad_scenarios__{name}"), &o, &[dir]);
    assert_eq!(o.code, 2, "exit code; stderr:\n{}", o.stderr);
    assert!(!out.exists(), "an output file was written");
    assert!(o.stdout.is_empty());
    for w in words {
        assert!(o.stderr.contains(w), "missing {w:?}:\n{}", o.stderr);
    }
    o.stderr
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("bom.yaml");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(GOOD.as_bytes());
    std::fs::write(&file, bytes).expect("write");
    let o = run(&["validate", file.to_str().expect("path")]);
    assert_eq!(o.code, 0, "{}", o.stderr);
}

#[test]
fn not_utf8_is_located_by_line_and_byte() {
    let mut bytes = GOOD.replace("name: fixture", "name: fix?ture").into_bytes();
    let q = bytes.iter().position(|&b| b == b'?').expect("marker");
    bytes[q] = 0xFF;
    fails(
        "not_utf8",
        &bytes,
        &[],
        &["line 2, byte 12: not UTF-8", "bad.yaml:2:12"],
    );
}

#[test]
fn a_scenario_larger_than_the_cap_is_refused_from_its_size() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("bad.yaml");
    // sparse: 2 GiB that take no disk and must not be read
    let f = std::fs::File::create(&file).expect("create");
    f.set_len(2 << 30).expect("set_len");
    fails_at(
        "too_large",
        &file,
        dir.path(),
        &[],
        &["larger than 4 MiB (2147483648 bytes)"],
    );
}

#[test]
fn an_endless_device_is_bounded() {
    if !Path::new("/dev/zero").exists() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    fails_at(
        "dev_zero",
        Path::new("/dev/zero"),
        dir.path(),
        &[],
        &["larger than 4 MiB, the most"],
    );
}

#[test]
fn a_line_too_long_is_refused() {
    let t = GOOD.replace("name: fixture", &format!("name: {}", "x".repeat(70_000)));
    fails(
        "line_too_long",
        t.as_bytes(),
        &[],
        &["line 2 of the scenario is longer than 65536 bytes"],
    );
}

#[test]
fn a_zero_count_is_located_at_its_key() {
    let t = GOOD.replace("units: 8", "units: 0");
    fails(
        "zero_units",
        t.as_bytes(),
        &[],
        &[
            "bad.yaml:9:11",
            "field: infrastructure[0].bom.gpus[0].units",
        ],
    );
    let t = GOOD.replace("nodes: 1", "nodes: 0");
    fails(
        "zero_nodes",
        t.as_bytes(),
        &[],
        &["bad.yaml:5:5", "field: infrastructure[0].nodes"],
    );
}

#[test]
fn a_duplicate_key_is_located_at_its_second_occurrence() {
    let t = GOOD.replace("  pue: 1.2", "  pue: 1.2\n  pue: 1.3");
    fails(
        "duplicate_key",
        t.as_bytes(),
        &[],
        &[
            "duplicate key `pue` (first given at line 16)",
            "bad.yaml:17:3",
            "field: electricity.pue",
        ],
    );
}

/// `--data DIR` holding `files` (name, bytes): assess GOOD against it.
fn fails_with_data(name: &str, files: &[(&str, &[u8])], words: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    std::fs::create_dir(&data).expect("mkdir");
    for (n, b) in files {
        std::fs::write(data.join(n), b).expect("write");
    }
    let file = write(dir.path(), "good.yaml", GOOD);
    fails_at(
        name,
        &file,
        dir.path(),
        &["--data", data.to_str().expect("path")],
        words,
    )
}

#[test]
fn an_empty_sources_file_in_data_is_named() {
    let e = fails_with_data(
        "data_empty_sources",
        &[("sources.csv", b"")],
        &["sources.csv", "data/sources.csv", "no sources"],
    );
    assert!(!e.contains("(embedded)"), "{e}");
    let e = fails_with_data(
        "data_sources_missing_a_row",
        &[(
            "sources.csv",
            b"source_id,citation,url,year,bibtex_key\nx,c,u,2020,\n",
        )],
        &["data/sources.csv", "is missing; the embedded"],
    );
    assert!(!e.contains("(embedded)"), "{e}");
}

#[test]
fn a_data_file_larger_than_the_cap_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    std::fs::create_dir(&data).expect("mkdir");
    let f = std::fs::File::create(data.join("cpus.csv")).expect("create");
    f.set_len(2 << 30).expect("set_len");
    let file = write(dir.path(), "good.yaml", GOOD);
    fails_at(
        "data_too_large",
        &file,
        dir.path(),
        &["--data", data.to_str().expect("path")],
        &["impact data file is larger than 16 MiB", "cpus.csv"],
    );
}

#[test]
fn an_unknown_ram_maker_is_named_in_user_terms() {
    let t = GOOD.replace(
        "          units: 8\n",
        "          units: 8\n      ram:\n        - capacity_gb: 64\n          units: 8\n          manufacturer: Samsong\n",
    );
    let e = fails(
        "unknown_ram_maker",
        t.as_bytes(),
        &[],
        &["manufacturer \"Samsong\" and any process_nm"],
    );
    assert!(!e.contains("Some("), "{e}");
    assert!(!e.contains("None"), "{e}");
}

#[test]
fn a_time_of_the_wrong_type_is_named_in_user_terms() {
    let t = GOOD.replace(
        "  declared_kwh: 100\n",
        "  traces:\n    - file: t.csv\n      start: true\n",
    );
    let e = fails(
        "time_of_wrong_type",
        t.as_bytes(),
        &[],
        &["found true", "field: energy.traces[0].start"],
    );
    assert!(!e.contains("Bool("), "{e}");
}

/// GOOD with `line` added to its GPU part.
fn gpu_with(line: &str) -> String {
    GOOD.replace(
        "          units: 8\n",
        &format!("          units: 8\n          {line}\n"),
    )
}

#[test]
fn a_die_larger_than_the_wafer_holds_is_refused() {
    // it made the dies per wafer negative: -61,661 kgCO2eq of embodied GWP
    fails(
        "die_too_large",
        gpu_with("die_area_mm2: 40000").as_bytes(),
        &[],
        &[
            "bad.yaml:10:11",
            "field: infrastructure[0].bom.gpus[0].die_area_mm2",
            "holds at most 8625 mm2",
        ],
    );
    let t = format!(
        "{}embodied_method: mlca-2024\n",
        gpu_with("die_area_mm2: 40000")
    );
    fails(
        "die_too_large__mlca_2024",
        t.as_bytes(),
        &[],
        &["field: infrastructure[0].bom.gpus[0].die_area_mm2"],
    );
    fails(
        "effective_die_too_large",
        gpu_with("die_area_effective_mm2: 1e9").as_bytes(),
        &[],
        &["field: infrastructure[0].bom.gpus[0].die_area_effective_mm2"],
    );
    fails(
        "vram_die_too_large",
        gpu_with("vram_gb: 100000").as_bytes(),
        &[],
        &["field: infrastructure[0].bom.gpus[0].vram_gb", "a VRAM die"],
    );
}

#[test]
fn units_adding_up_past_a_count_are_refused() {
    let t = GOOD.replace(
        "          units: 8\n",
        "          units: 4294967295\n        - model: NVIDIA A100-SXM4-80GB\n          units: 2\n",
    );
    let t = format!("{t}embodied_method: ecologits\n");
    fails(
        "units_sum_overflow",
        t.as_bytes(),
        &[],
        &[
            "bad.yaml:11:11",
            "field: infrastructure[0].bom.gpus[1].units",
        ],
    );
}

#[test]
fn an_energy_that_overflows_is_named_with_its_product() {
    let t = GOOD.replace("declared_kwh: 100", "declared_kwh: 1e308");
    fails(
        "energy_overflow",
        t.as_bytes(),
        &[],
        &[
            "energy.declared_kwh 1e308 kWh x PUE 1.2 x 11.289 MJ/kWh is not a finite number",
            "bad.yaml:13:3",
        ],
    );
    // the model card said `emissions: inf`
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "bad.yaml", &t);
    let out = dir.path().join("card.md");
    let o = run(&[
        "statement",
        file.to_str().expect("path"),
        "--format",
        "model-card",
        "--output",
        out.to_str().expect("path"),
    ]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(!out.exists());
    assert!(o.stderr.contains("not a finite number"), "{}", o.stderr);
}

#[test]
fn a_lifetime_a_node_count_or_a_part_that_overflows_is_named() {
    fails(
        "lifetime_overflow",
        GOOD.replace("lifetime_years: 4", "lifetime_years: 1e307")
            .as_bytes(),
        &[],
        &[
            "field: allocation.lifetime_years",
            "8760 h/year is not a finite number",
        ],
    );
    let t = gpu_with("pcb_area_cm2: 1e300").replace("nodes: 1", "nodes: 4000000000");
    fails(
        "nodes_overflow",
        t.as_bytes(),
        &[],
        &["field: infrastructure[0].nodes", "x 4000000000 nodes"],
    );
    fails(
        "part_overflow",
        gpu_with("pcb_area_cm2: 1e308").as_bytes(),
        &[],
        &[
            "field: infrastructure[0].bom.gpus[0]",
            "NVIDIA A100 SXM4 80GB (8 unit(s))",
        ],
    );
}

#[test]
fn monte_carlo_statistics_of_huge_finite_results_stay_finite() {
    let t = GOOD.replace(
        "declared_kwh: 100",
        "declared_kwh: {value: 1e306, min: 1e305, max: 1.2e306}",
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "big.yaml", &t);
    let o = run(&[
        "assess",
        file.to_str().expect("path"),
        "--samples",
        "1000",
        "--format",
        "json",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).expect("JSON");
    let pe = &v["monte_carlo"]["impacts"]["total"]["pe"];
    for k in ["mean", "sd", "median", "p05", "p95"] {
        assert!(pe[k].as_f64().is_some_and(f64::is_finite), "{k}: {pe}");
    }
}

#[test]
fn plots_are_written_all_or_none() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "s.yaml", GOOD);
    let plots = dir.path().join("plots");
    // the last plot cannot be written: a directory stands where embodied.svg goes
    std::fs::create_dir_all(plots.join("embodied.svg")).expect("mkdir");
    let o = run(&[
        "assess",
        file.to_str().expect("path"),
        "--plot",
        plots.to_str().expect("path"),
    ]);
    assert_ne!(o.code, 0, "{}", o.stderr);
    assert!(o.stderr.contains("embodied.svg"), "{}", o.stderr);
    let left: Vec<String> = std::fs::read_dir(&plots)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["embodied.svg"], "plots left behind: {left:?}");
    // compare --plot alike
    std::fs::remove_dir(plots.join("embodied.svg")).expect("rmdir");
    std::fs::create_dir_all(plots.join("impacts.svg")).expect("mkdir");
    let o = run(&[
        "compare",
        file.to_str().expect("path"),
        file.to_str().expect("path"),
        "--plot",
        plots.to_str().expect("path"),
    ]);
    assert_ne!(o.code, 0, "{}", o.stderr);
    let left: Vec<String> = std::fs::read_dir(&plots)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["impacts.svg"], "plots left behind: {left:?}");
}

#[test]
fn generic_trace_errors_name_formats_in_user_terms() {
    let args = |time: &'static str, unit: &'static str| -> Vec<&'static str> {
        vec![
            "trace",
            "summary",
            "tests/fixtures/traces/generic-interval.csv",
            "--time-column",
            "time",
            "--time-format",
            time,
            "--value-column",
            "wh",
            "--unit",
            unit,
            "--value-kind",
            "interval",
            "--component",
            "node",
        ]
    };
    // were `as UnixS time` and `for a Interval value`
    let o = run(&args("unix-s", "Wh"));
    snap("bad_scenarios__generic_time_format", &o, &[]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("as unix_s time"), "{}", o.stderr);
    let o = run(&args("iso8601", "kWatt"));
    snap("bad_scenarios__generic_value_kind", &o, &[]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("for an interval value"), "{}", o.stderr);
}
