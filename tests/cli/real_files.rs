//! The files real trackers wrote (`tests/fixtures/real/`, copied from the tools' own runs; their
//! README names each one's origin): each read by `mlca trace summary` and in a scenario, with the
//! energy equal to the tool's own figure, per run and in total.
//!
//! Tolerance: the tools' figures are quoted in the fixtures' README to 5 significant digits, so a
//! figure agrees when it is within 5e-5 of it, relative (`TOOL`); a hand computation from the
//! file's own digits agrees to 1e-9 (`HAND`).

use crate::common::*;
use serde_json::Value;

/// Relative agreement with a tool's figure as quoted to 5 significant digits.
const TOOL: f64 = 5e-5;
/// Relative agreement with a hand computation from the file's digits.
const HAND: f64 = 1e-9;

const CC3: &str = "tests/fixtures/real/codecarbon-3.3.2-three-runs/emissions.csv";
const CC_FLUSH: &str = "tests/fixtures/real/codecarbon-3.3.2-flush/emissions.csv";
const CC_SEED: &str = "tests/fixtures/real/codecarbon-seed-000/emissions.csv";

fn summary(args: &[&str]) -> Value {
    let mut a = vec!["trace", "summary"];
    a.extend_from_slice(args);
    a.extend(["--format", "json"]);
    json(&a)
}

fn kwh(v: &Value) -> f64 {
    num(&v["value"])
}

/// Assess a scenario: its energy is `want` kWh (to `HAND`); the report.
fn assessed(scenario: &str, want: f64) -> Value {
    let r = assess_json(scenario);
    close(num(&r["energy_kwh"]["value"]), want, HAND, scenario);
    r
}

/// The IT energy of each run of a summary, kWh.
fn run_energies(s: &Value) -> Vec<f64> {
    s["runs"]
        .as_array()
        .expect("runs")
        .iter()
        .map(|r| num(&r["energy_kwh"]))
        .collect()
}

#[test]
fn codecarbon_three_runs_per_run_and_in_total() {
    let s = summary(&[CC3]);
    let runs = s["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 3);
    // the tool's energy_consumed per run, and run2's IT energy (PUE 1.5 divided out)
    let tool = [9.2232e-5, 1.21522e-4, 2.23027e-4];
    for (r, want) in runs.iter().zip(tool) {
        close(num(&r["tool_energy_kwh"]), want, TOOL, "energy_consumed");
    }
    let it = [9.2232e-5, 1.21522e-4, 1.4868e-4];
    for (got, want) in run_energies(&s).into_iter().zip(it) {
        close(got, want, TOOL, "IT energy per run");
    }
    close(num(&runs[2]["tool_pue"]), 1.5, HAND, "run2's PUE");
    close(kwh(&s["energy_kwh"]), it.iter().sum(), TOOL, "total");
    // the runs ran one after the other: 12.01 + 16.01 + 20.01 s
    for (r, want) in runs.iter().zip([12.01, 16.01, 20.01]) {
        close(num(&r["duration_s"]), want, 1e-3, "duration per run");
    }
    close(num(&s["duration_s"]), 48.03, 1e-3, "total duration");
    close(num(&s["water_l"]), 0.0, HAND, "water as written");
}

#[test]
fn codecarbon_three_runs_in_a_scenario_without_a_duration_warning() {
    let r = assess_json("tests/fixtures/real/codecarbon-3.3.2-three-runs/scenario.yaml");
    close(
        num(&r["energy_kwh"]["value"]),
        9.2232e-5 + 1.21522e-4 + 1.4868e-4,
        TOOL,
        "assessed energy",
    );
    let t = &r["energy"]["traces"][0];
    close(num(&t["duration_s"]), 48.03, 1e-3, "the trace's duration");
    let w = r["warnings"].to_string();
    assert!(!w.contains("run.duration_h"), "{w}");
}

#[test]
fn codecarbon_runs_chosen_by_id_name_and_number() {
    let run1 = 1.2152178460485668e-4;
    for sel in [
        "17b3e22b-eb36-4c54-928f-54e0c12baa2c",
        "17b3e22b",
        "run1",
        "2",
    ] {
        let s = summary(&[CC3, "--run", sel]);
        close(kwh(&s["energy_kwh"]), run1, HAND, sel);
        close(num(&s["duration_s"]), 16.008407046000002, HAND, sel);
        let counted: Vec<bool> = s["runs"]
            .as_array()
            .expect("runs")
            .iter()
            .map(|r| r["counted"].as_bool().expect("bool"))
            .collect();
        assert_eq!(counted, [false, true, false], "{sel}");
    }
    // in a scenario: run_id, project_name, run_index beside the file
    let dir = tempfile::tempdir().expect("tmp");
    let base = std::fs::read_to_string(
        root().join("tests/fixtures/real/codecarbon-3.3.2-three-runs/scenario.yaml"),
    )
    .expect("scenario");
    let file = root().join(CC3);
    for key in ["run_id: bbc9c1be", "project_name: run2", "run_index: 3"] {
        let text = base
            .replace(
                "    - file: emissions.csv",
                &format!("    - file: {}\n      {key}", file.display()),
            )
            .replace("duration_h: 0.013342", "duration_h: 0.0055572");
        let sc = write(dir.path(), "run.yaml", &text);
        let r = assess_json(sc.to_str().expect("utf-8"));
        // run2: 2.23027e-4 kWh written at PUE 1.5
        close(
            num(&r["energy_kwh"]["value"]),
            2.2302717710385997e-4 / 1.5,
            HAND,
            key,
        );
        let notes = r["assumptions"].to_string();
        assert!(notes.contains("1 of the 3 in the file"), "{key}: {notes}");
        assert!(
            !r["warnings"].to_string().contains("run.duration_h"),
            "{key}"
        );
    }
}

#[test]
fn an_unknown_run_is_an_error_listing_the_runs() {
    let o = run(&["trace", "summary", CC3, "--run", "0f0f0f0f"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    for id in [
        "cbd949f8-9295-47e2-9181-0492db0735d0",
        "17b3e22b-eb36-4c54-928f-54e0c12baa2c",
        "bbc9c1be-0eda-4349-ae87-9c253032e670",
    ] {
        assert!(o.stderr.contains(id), "{}", o.stderr);
    }
    assert!(o.stderr.contains("from 1 to 3") && o.stderr.contains("emissions.csv"));
    snap("real__codecarbon_unknown_run", &o, &[]);
    let o = run(&["trace", "summary", CC3, "--run", "4"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("numbered from 1 to 3"), "{}", o.stderr);
}

#[test]
fn codecarbon_flush_file_total_and_its_points() {
    let s = summary(&[CC_FLUSH]);
    close(
        kwh(&s["energy_kwh"]),
        1.79470e-4,
        TOOL,
        "final energy_consumed",
    );
    assert_eq!(s["runs"][0]["rows"], 7);
    assert!(s["assumptions"].to_string().contains("row 8 repeats"));
    let r = assess_json("tests/fixtures/real/codecarbon-3.3.2-flush/scenario.yaml");
    close(num(&r["energy_kwh"]["value"]), 1.79470e-4, TOOL, "assessed");
    // the repeated flush()/stop() row is one point, not "steps do not increase"
    let o = run(&[
        "extrapolate",
        "--codecarbon",
        CC_FLUSH,
        "--training-log",
        "tests/fixtures/extrapolate/codecarbon-3.3.2-flush-steps.csv",
        "--to",
        "10000",
        "--format",
        "json",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let x: Value = serde_json::from_str(&o.stdout).expect("json");
    assert_eq!(x["points"].as_array().expect("points").len(), 6);
    assert!(x["assumptions"].to_string().contains("row 8 repeats"));
    // the same points in a scenario's phase, its run named by run_id
    let r = assess_json("tests/fixtures/real/codecarbon-3.3.2-flush/extrapolated.yaml");
    close(
        num(&r["energy_kwh"]["value"]),
        num(&x["prediction"]["energy_kwh"]["value"]),
        HAND,
        "the scenario's phase predicts what extrapolate does",
    );
    let notes = r["assumptions"].to_string();
    assert!(
        notes.contains("row 8 repeats") && notes.contains("run_id 3c02e4ab"),
        "{notes}"
    );
    // several runs: the one whose rows are the points is chosen
    let o = run(&[
        "extrapolate",
        "--codecarbon",
        CC3,
        "--training-log",
        "tests/fixtures/extrapolate/codecarbon-3.3.2-flush-steps.csv",
        "--to",
        "10000",
    ]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("3 runs") && o.stderr.contains("--run"),
        "{}",
        o.stderr
    );
}

#[test]
fn codecarbon_seed_table_without_run_id_or_energy_consumed() {
    let s = summary(&[CC_SEED]);
    // each row: cpu_energy + gpu_energy + ram_energy (kWh), as the seed prints them
    let rows = [
        (0.0037253742855748, 0.0066481503185159, 0.0020721558207669),
        (0.0037714373015918, 0.0066792383989419, 0.0020746201668334),
        (0.0019755201029148, 0.003177307264066, 0.0010786369291597),
        (0.0015804946885614, 0.002454840297204, 0.0008670635010256),
        (0.0011355796492963, 0.001659526605398, 0.0006246173345041),
        (0.0007707252501908, 0.0009537413185479, 0.0004219494212768),
        (0.0006441511219871, 0.0006809019336099, 0.0003522838105645),
    ];
    let want: Vec<f64> = rows.iter().map(|(c, g, r)| c + g + r).collect();
    for (got, w) in run_energies(&s).into_iter().zip(&want) {
        close(got, *w, HAND, "row energy");
    }
    close(kwh(&s["energy_kwh"]), want.iter().sum(), HAND, "total");
    close(
        num(&s["duration_s"]),
        106.18328142166138
            + 106.30764317512512
            + 55.26943397521973
            + 44.43157124519348
            + 32.01623201370239
            + 21.63544464111328
            + 18.05564785003662,
        HAND,
        "durations added",
    );
    assessed(
        "tests/fixtures/real/codecarbon-seed-000/scenario.yaml",
        want.iter().sum(),
    );
}

const ALUMET: &str = "tests/fixtures/real/alumet-0.9.5-procfs-tdp-estimation/alumet-output.csv";

/// Alumet's own estimate of the machine, from the file's digits: the `local_machine` rows of
/// `estimated_consumed_energy_J`, every `cpu_state` but idle (J).
fn alumet_estimate_j() -> f64 {
    let text = std::fs::read_to_string(root().join(ALUMET)).expect("the file");
    text.lines()
        .map(|l| l.split(';').collect::<Vec<_>>())
        .filter(|f| {
            f[0] == "estimated_consumed_energy_J"
                && f[3] == "local_machine"
                && f[7] != "cpu_state=idle"
        })
        .map(|f| f[2].parse::<f64>().expect("a number"))
        .sum()
}

#[test]
fn alumet_tdp_estimation_read_as_estimated_energy() {
    let want_j = alumet_estimate_j();
    // 16 points of 9 states but idle; 2593.5 J as the rows add up
    close(want_j, 2593.5, HAND, "the rows' sum");
    let s = summary(&[ALUMET]);
    close(kwh(&s["energy_kwh"]), want_j / 3.6e6, HAND, "total");
    close(
        kwh(&s["estimated_energy_kwh"]),
        want_j / 3.6e6,
        HAND,
        "estimated",
    );
    // 15 intervals of 2 s and the first point's 2 s before it
    close(num(&s["duration_s"]), 32.0, 1e-3, "duration");
    let devices = s["devices"].as_array().expect("devices");
    let counted: Vec<&Value> = devices.iter().filter(|d| d["included"] == true).collect();
    assert_eq!(counted.len(), 8, "9 states of local_machine but idle");
    assert!(counted.iter().all(|d| d["estimated"] == true));
    let notes = s["assumptions"].to_string();
    assert!(
        notes.contains("resource local_machine")
            && notes.contains("idle left out")
            && notes.contains("cpu_core rows left out"),
        "{notes}"
    );
    let r = assessed(
        "tests/fixtures/real/alumet-0.9.5-procfs-tdp-estimation/scenario.yaml",
        want_j / 3.6e6,
    );
    close(
        num(&r["energy"]["traces"][0]["estimated_energy_kwh"]["value"]),
        want_j / 3.6e6,
        HAND,
        "the report's estimated part",
    );
}

#[test]
fn alumet_six_hundred_deltas_of_60_j_are_0_01_kwh() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut text = String::from("metric;timestamp;value;resource_kind;resource_id;consumer_kind;consumer_id;domain;__late_attributes\n");
    for k in 0..600 {
        text.push_str(&format!(
            "rapl_consumed_energy_J;2025-03-02T14:{:02}:{:02}.000000000Z;60;cpu_package;0;local_machine;;package;\n",
            k / 60,
            k % 60
        ));
    }
    let f = write(dir.path(), "alumet-600.csv", &text);
    let s = summary(&[f.to_str().expect("utf-8")]);
    assert_eq!(num(&s["energy_kwh"]["value"]), 0.01);
    close(num(&s["duration_s"]), 600.0, HAND, "600 intervals of 1 s");
}

const CT_MAIN: &str = "tests/fixtures/real/carbontracker-2.4.7/carbontracker.log";
const CT_OUT: &str = "tests/fixtures/real/carbontracker-2.4.7/carbontracker_output.log";
/// Carbontracker's actual consumption as its output log writes it (its PUE 1.58 included), kWh.
const CT_ACTUAL: f64 = 0.000474070412;

#[test]
fn carbontracker_both_logs_actual_over_its_pue() {
    // either log given, the other read beside it
    for f in [CT_MAIN, CT_OUT] {
        let s = summary(&[f]);
        close(kwh(&s["energy_kwh"]), CT_ACTUAL / 1.58, HAND, f);
        let runs = s["runs"].as_array().expect("runs");
        let kinds: Vec<&str> = runs
            .iter()
            .map(|r| r["kind"].as_str().expect("kind"))
            .collect();
        assert_eq!(
            kinds,
            ["epoch", "epoch", "epoch", "actual", "predicted"],
            "{f}"
        );
        // each epoch: 60.0 W x 6.00 s = 360 J, as the log writes them
        for r in &runs[..3] {
            close(num(&r["energy_kwh"]), 360.0 / 3.6e6, HAND, "epoch");
            close(num(&r["duration_s"]), 6.0, HAND, "epoch duration");
        }
        close(
            num(&runs[3]["tool_energy_kwh"]),
            CT_ACTUAL,
            HAND,
            "actual as written",
        );
        close(num(&runs[3]["tool_pue"]), 1.58, HAND, "Carbontracker's PUE");
        close(
            num(&runs[4]["tool_energy_kwh"]),
            0.000474075660,
            HAND,
            "predicted as written",
        );
        close(num(&s["duration_s"]), 18.0, HAND, "three epochs of 6.00 s");
        assert!(s["assumptions"].to_string().contains("PUE 1.58"), "{f}");
    }
    // the epochs' sum agrees with the actual consumption within the log's rounding (1e-3)
    close(
        3.0 * 360.0 / 3.6e6,
        CT_ACTUAL / 1.58,
        1e-3,
        "epochs against actual",
    );
    // the prediction or one epoch, chosen
    let s = summary(&[CT_MAIN, "--run", "predicted"]);
    close(
        kwh(&s["energy_kwh"]),
        0.000474075660 / 1.58,
        HAND,
        "predicted",
    );
    let s = summary(&[CT_MAIN, "--run", "2"]);
    close(kwh(&s["energy_kwh"]), 360.0 / 3.6e6, HAND, "epoch 2");
    let r = assessed(
        "tests/fixtures/real/carbontracker-2.4.7/scenario.yaml",
        CT_ACTUAL / 1.58,
    );
    assert!(r["assumptions"].to_string().contains("PUE 1.58"));
}

#[test]
fn carbontracker_detected_from_the_file_and_forced() {
    let dir = tempfile::tempdir().expect("tmp");
    let text = std::fs::read_to_string(root().join(CT_MAIN)).expect("log");
    let f = write(dir.path(), "renamed.txt", &text);
    let p = f.to_str().expect("utf-8");
    // alone (no output log named alike): the epochs' sum, 3 x 360 J
    let s = summary(&[p]);
    assert_eq!(s["format"], "carbontracker");
    close(kwh(&s["energy_kwh"]), 1080.0 / 3.6e6, HAND, "epochs");
    let s = summary(&[p, "--input-format", "carbontracker"]);
    close(kwh(&s["energy_kwh"]), 1080.0 / 3.6e6, HAND, "forced");
}

const ECO2AI: &str = "tests/fixtures/real/eco2ai-0.3.12/emission.csv";

#[test]
fn eco2ai_runs_per_row_none_dropped() {
    let s = summary(&[ECO2AI]);
    // power_consumption(kWh) of each row, as eco2ai wrote it (PUE 1)
    let want = [5.216448038467e-4, 4.742650160157154e-4];
    let got = run_energies(&s);
    assert_eq!(
        got.len(),
        2,
        "the first run (an empty epoch cell) is not dropped"
    );
    for (g, w) in got.into_iter().zip(want) {
        close(g, w, HAND, "run");
    }
    // the README's figures, to 7 digits
    close(want[0], 5.216448e-4, TOOL, "run0");
    close(want[1], 4.742650e-4, TOOL, "run1");
    close(kwh(&s["energy_kwh"]), want.iter().sum(), HAND, "total");
    close(
        num(&s["duration_s"]),
        10.212470769882202 + 10.173887729644775,
        HAND,
        "durations added",
    );
    let s = summary(&[ECO2AI, "--run", "run1"]);
    close(
        kwh(&s["energy_kwh"]),
        want[1],
        HAND,
        "by experiment description",
    );
    let s = summary(&[ECO2AI, "--run", "65de996e"]);
    close(kwh(&s["energy_kwh"]), want[0], HAND, "by id");
    assessed(
        "tests/fixtures/real/eco2ai-0.3.12/scenario.yaml",
        want.iter().sum(),
    );
    // forced, under another name
    let dir = tempfile::tempdir().expect("tmp");
    let text = std::fs::read_to_string(root().join(ECO2AI)).expect("csv");
    let f = write(dir.path(), "runs.txt", &text);
    let s = summary(&[f.to_str().expect("utf-8"), "--input-format", "eco2ai"]);
    close(kwh(&s["energy_kwh"]), want.iter().sum(), HAND, "forced");
}

#[test]
fn real_files_summaries_every_format() {
    let mut cases = Vec::new();
    let files: [(&str, &[&str]); 9] = [
        ("eco2ai", &[ECO2AI]),
        ("carbontracker", &[CT_MAIN]),
        (
            "carbontracker__run-predicted",
            &[CT_OUT, "--run", "predicted"],
        ),
        ("alumet-tdp-estimation", &[ALUMET]),
        ("codecarbon-three-runs", &[CC3]),
        ("codecarbon-three-runs__run-run1", &[CC3, "--run", "run1"]),
        ("codecarbon-flush", &[CC_FLUSH]),
        ("codecarbon-seed-000", &[CC_SEED]),
        ("codecarbon-seed-000__run-3", &[CC_SEED, "--run", "3"]),
    ];
    for (name, args) in files {
        for f in ["table", "json"] {
            let mut a: Vec<String> = vec!["trace".into(), "summary".into()];
            a.extend(args.iter().map(|s| s.to_string()));
            a.extend(["--format".into(), f.into()]);
            cases.push((format!("real__{name}__{f}"), a));
        }
    }
    snap_runs(cases);
}
