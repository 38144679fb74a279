//! The traces of tools without a file in `shared/real-files` (Scaphandre, PowerJoular, perf,
//! DCGM dmon, BoAmps) through the binary: each fixture in a scenario, its energy the trace's
//! (hand-computed in the fixture's README and in `src/energy/trace/tool_tests.rs`); and format
//! detection over every trace fixture of the repository.

use crate::common::*;
use mlca::scenario::InputFormat;
use std::path::{Path, PathBuf};

/// J in a kWh.
const J_PER_KWH: f64 = 3.6e6;

/// A scenario measuring `trace` (with the entry's extra `keys`), on one 8-GPU node for 1 h in
/// France at PUE 1.2.
fn scenario(dir: &Path, trace: &str, keys: &str) -> PathBuf {
    let text = format!(
        "functional_unit:\n  name: fixture\n\
         infrastructure:\n  - name: node\n    nodes: 1\n    bom:\n      gpus:\n        - model: NVIDIA A100-SXM4-80GB\n          units: 8\n\
         run:\n  duration_h: 1\n\
         energy:\n  traces:\n    - file: {}\n{keys}\
         electricity:\n  country: FRA\n  pue: 1.2\n\
         allocation:\n  lifetime_years: 4\n  active_utilization_rate: 0.5\n",
        root().join(trace).display()
    );
    write(dir, "s.yaml", &text)
}

fn assess(trace: &str, keys: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().expect("temp dir");
    let s = scenario(dir.path(), trace, keys);
    json(&[
        "assess",
        s.to_str().expect("UTF-8 path"),
        "--format",
        "json",
    ])
}

#[test]
fn each_new_format_in_a_scenario() {
    // (fixture, entry keys, format, energy used, kWh)
    let cases: [(&str, &str, &str, f64); 6] = [
        (
            "tests/fixtures/scaphandre/report.json",
            "",
            "scaphandre",
            623.0 / J_PER_KWH,
        ),
        (
            "tests/fixtures/perf/energy-pkg-ram.csv",
            "",
            "perf",
            97.84 / J_PER_KWH,
        ),
        (
            "tests/fixtures/powerjoular/power.csv",
            "",
            "powerjoular",
            952.5 / J_PER_KWH,
        ),
        (
            "tests/fixtures/dcgm/dmon-power-totec.txt",
            "      sample_interval_s: 1\n",
            "dcgm-dmon",
            7065.8 / J_PER_KWH,
        ),
        (
            "tests/fixtures/boamps/boavizta-example-llm-inference.json",
            "",
            "boamps",
            0.00267074,
        ),
        // the calibration measures give the idle power: dynamic energy 0.99 (0.9 - 1.08) kWh
        (
            "tests/fixtures/boamps/two-measures.json",
            "      energy_basis: dynamic\n",
            "boamps",
            0.99,
        ),
    ];
    for (trace, keys, format, kwh) in cases {
        let r = assess(trace, keys);
        assert_eq!(r["energy"]["method"], "measured", "{trace}");
        assert_eq!(r["energy"]["traces"][0]["format"], format, "{trace}");
        close(num(&r["energy_kwh"]["value"]), kwh, 1e-9, trace);
        // use GWP = E x PUE x the French factor (0.098 kgCO2eq/kWh)
        close(
            num(&r["impacts"]["use"]["gwp"]["value"]),
            kwh * 1.2 * 0.098,
            1e-9,
            trace,
        );
    }
    let r = assess(
        "tests/fixtures/boamps/two-measures.json",
        "      energy_basis: dynamic\n",
    );
    close(num(&r["energy_kwh"]["min"]), 0.9, 1e-9, "dynamic min");
    close(num(&r["energy_kwh"]["max"]), 1.08, 1e-9, "dynamic max");
}

#[test]
fn a_dcgm_trace_needs_its_period_in_the_scenario() {
    let dir = tempfile::tempdir().expect("temp dir");
    let s = scenario(dir.path(), "tests/fixtures/dcgm/dmon-power-only.txt", "");
    let o = run(&["assess", s.to_str().expect("UTF-8 path")]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("sample_interval_s"), "{}", o.stderr);
}

/// What each trace fixture of the repository is; every other file under `tests/fixtures` and
/// `scenarios/traces` (scenarios, READMEs, training logs, points) must not be taken for a
/// trace. Generic CSVs are never detected (their columns are named).
const EXPECTED: &[(&str, Option<InputFormat>)] = &[
    (
        "tests/fixtures/intensity/gpu-late.csv",
        Some(InputFormat::NvidiaSmi),
    ),
    (
        "tests/fixtures/intensity/gpu-step.csv",
        Some(InputFormat::NvidiaSmi),
    ),
    (
        "tests/fixtures/real/alumet-0.9.5-procfs-tdp-estimation/alumet-output.csv",
        Some(InputFormat::Alumet),
    ),
    (
        "tests/fixtures/real/carbontracker-2.4.7/carbontracker.log",
        Some(InputFormat::Carbontracker),
    ),
    (
        "tests/fixtures/real/carbontracker-2.4.7/carbontracker_output.log",
        Some(InputFormat::Carbontracker),
    ),
    (
        "tests/fixtures/real/codecarbon-3.3.2-flush/emissions.csv",
        Some(InputFormat::Codecarbon),
    ),
    (
        "tests/fixtures/real/codecarbon-3.3.2-three-runs/emissions.csv",
        Some(InputFormat::Codecarbon),
    ),
    (
        "tests/fixtures/real/codecarbon-seed-000/emissions.csv",
        Some(InputFormat::Codecarbon),
    ),
    (
        "tests/fixtures/real/eco2ai-0.3.12/emission.csv",
        Some(InputFormat::Eco2ai),
    ),
    (
        "scenarios/traces/nvidia-smi-resnet50.csv",
        Some(InputFormat::NvidiaSmi),
    ),
    (
        "tests/fixtures/traces/nvidia-smi.csv",
        Some(InputFormat::NvidiaSmi),
    ),
    (
        "tests/fixtures/traces/nvidia-smi-nounits.csv",
        Some(InputFormat::NvidiaSmi),
    ),
    (
        "tests/fixtures/traces/nvidia-smi-noheader.csv",
        Some(InputFormat::NvidiaSmi),
    ),
    ("tests/fixtures/traces/rapl.csv", Some(InputFormat::Rapl)),
    (
        "tests/fixtures/traces/rapl-no-range.csv",
        Some(InputFormat::Rapl),
    ),
    (
        "tests/fixtures/traces/alumet.csv",
        Some(InputFormat::Alumet),
    ),
    (
        "tests/fixtures/traces/codecarbon.csv",
        Some(InputFormat::Codecarbon),
    ),
    (
        "tests/fixtures/traces/codecarbon-old.csv",
        Some(InputFormat::Codecarbon),
    ),
    (
        "tests/fixtures/extrapolate/codecarbon-flush.csv",
        Some(InputFormat::Codecarbon),
    ),
    (
        "tests/fixtures/traces/jetson-stats.csv",
        Some(InputFormat::JetsonStats),
    ),
    (
        "tests/fixtures/traces/kwollect.csv",
        Some(InputFormat::Kwollect),
    ),
    ("tests/fixtures/traces/generic-power.csv", None),
    ("tests/fixtures/traces/generic-cumulative.csv", None),
    ("tests/fixtures/traces/generic-interval.csv", None),
    (
        "tests/fixtures/scaphandre/report.json",
        Some(InputFormat::Scaphandre),
    ),
    (
        "tests/fixtures/perf/energy-pkg-ram.csv",
        Some(InputFormat::Perf),
    ),
    (
        "tests/fixtures/perf/per-socket.csv",
        Some(InputFormat::Perf),
    ),
    (
        "tests/fixtures/perf/real-no-rapl.csv",
        Some(InputFormat::Perf),
    ),
    (
        "tests/fixtures/powerjoular/power.csv",
        Some(InputFormat::PowerJoular),
    ),
    (
        "tests/fixtures/powerjoular/power.csv-4242.csv",
        Some(InputFormat::PowerJoular),
    ),
    (
        "tests/fixtures/dcgm/dmon-power-totec.txt",
        Some(InputFormat::DcgmDmon),
    ),
    (
        "tests/fixtures/dcgm/dmon-power-only.txt",
        Some(InputFormat::DcgmDmon),
    ),
    (
        "tests/fixtures/boamps/boavizta-example-llm-inference.json",
        Some(InputFormat::Boamps),
    ),
    (
        "tests/fixtures/boamps/two-measures.json",
        Some(InputFormat::Boamps),
    ),
    (
        "tests/fixtures/boamps/boamps-1.0-unit-wh.json",
        Some(InputFormat::Boamps),
    ),
];

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("readable fixture dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn detection_tells_every_fixture_its_own_format() {
    let mut all = Vec::new();
    files(&root().join("tests/fixtures"), &mut all);
    files(&root().join("scenarios/traces"), &mut all);
    all.sort();
    let mut wrong = Vec::new();
    for p in &all {
        let rel = p
            .strip_prefix(root())
            .expect("under the repository")
            .to_string_lossy()
            .replace('\\', "/");
        let want = EXPECTED
            .iter()
            .find(|(f, _)| *f == rel)
            .and_then(|(_, f)| *f);
        let got = mlca::energy::trace::detect_file(p).unwrap_or_else(|e| panic!("{rel}: {e}"));
        if got != want {
            wrong.push(format!(
                "{rel}: detected {}, expected {} (a new trace fixture goes in EXPECTED)",
                got.map_or("nothing", |f| f.key()),
                want.map_or("nothing", |f| f.key())
            ));
        }
    }
    for (f, _) in EXPECTED {
        assert!(
            all.iter().any(|p| p.ends_with(f)),
            "{f} is listed but absent"
        );
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // each format a tool writes is among the fixtures
    for f in <InputFormat as mlca::choice::Choice>::ALL {
        assert!(
            *f == InputFormat::Generic || EXPECTED.iter().any(|(_, g)| *g == Some(*f)),
            "no fixture detected as {}",
            f.key()
        );
    }
}

#[test]
fn a_boamps_report_gives_a_bill_of_materials() {
    let o = run(&[
        "trace",
        "summary",
        "tests/fixtures/boamps/two-measures.json",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    for line in [
        "  cpus: [{model: \"AMD EPYC 7763\", units: 2}]",
        "  gpus: [{model: \"NVIDIA A100 SXM4 80GB\", units: 8}]",
        "  ram: [{capacity_gb: 32, units: 32}]",
        "  ssd: [{capacity_gb: 1920, units: 2}]",
        "  - 4 x network \"Mellanox ConnectX-6\": the component type \"network\" is not a part",
    ] {
        assert!(o.stdout.contains(line), "{line:?} not in\n{}", o.stdout);
    }
    let j = json(&[
        "trace",
        "summary",
        "tests/fixtures/boamps/two-measures.json",
        "--format",
        "json",
    ]);
    assert_eq!(j["hardware"][0]["model"], "NVIDIA A100 SXM4 80GB");
    assert_eq!(j["hardware"][4]["match"], "ignored");
    close(
        num(&j["energy_kwh"]["value"]),
        1.35,
        1e-12,
        "mean of the measures",
    );
}
