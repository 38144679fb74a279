//! `mlca cluster`: the hand-computed two-node case (README.md, "Clusters"), the same jobs from
//! OAR, the real Slurm dump of `tests/fixtures/cluster/slurm/`, an empty period, and snapshots
//! of every output (the help is in `snapshots::help_of_every_command`).

use crate::common::*;
use serde_json::Value;

const INV: &str = "tests/fixtures/cluster/two-nodes/inventory.yaml";
const SACCT: &str = "tests/fixtures/cluster/two-nodes/sacct.txt";
const OAR: &str = "tests/fixtures/cluster/oar/oarstat.json";
const REAL_INV: &str = "tests/fixtures/cluster/slurm/inventory.yaml";
const REAL: &str = "tests/fixtures/cluster/slurm/sacct.txt";

/// Floats of the report: the sums of a few terms, exact to this relative error.
const TOL: f64 = 1e-12;

fn report(args: &[&str]) -> Value {
    let mut a = vec!["cluster", "report", "--format", "json"];
    a.extend_from_slice(args);
    json(&a)
}

fn job<'a>(r: &'a Value, id: &str) -> &'a Value {
    r["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["id"] == id)
        .unwrap_or_else(|| panic!("job {id}"))
}

fn node<'a>(r: &'a Value, host: &str) -> &'a Value {
    r["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["host"] == host)
        .unwrap()
}

/// Two nodes, three jobs, two users, 00:00 to 04:00 (the inventory's period).
///
/// gpu1 (32 cores, 256 GiB, 2 GPUs; static 100 W, 50 W per idle GPU), measured: its wattmeter
/// reads 500, 800, 450 and 200 Wh in the four hours, its GPUs 250+50, 250+250, 50+250, 50+50.
/// Jobs 101 (alice, 00-02, 16 cores, 128 GiB, 1 GPU, 16 h CPU: usage 0.5) and 102 (bob, 01-03,
/// the same reservation, 8 h CPU: usage 0.25): each holds half the node (share 0.5).
/// Base power: 100 + 2 x 50 = 200 Wh per hour.
/// - 00-01 (101 alone): static 100 and its GPU's 50 to 101, the free GPU's 50 unreserved;
///   dynamic 500 - 200 = 300: GPUs 300 - 100 = 200 to 101, the rest 100 to 101.
/// - 01-02 (both): static 50 + 50, GPU idle 50 + 50; dynamic 600: GPUs 500 - 100 = 400, 200
///   each; the rest 200 by usage (16 x 0.5 = 8 against 16 x 0.25 = 4): 133.33 and 66.67.
/// - 02-03 (102 alone): static 100, GPU idle 50 (+50 unreserved); dynamic 250: GPUs 200, rest 50.
/// - 03-04: no job, 200 Wh idle.
///
/// 101: 450 + 433.33 = 883.33 Wh (static 150, GPU idle 100, dynamic 633.33);
/// 102: 366.67 + 400 = 766.67 Wh (static 150, GPU idle 100, dynamic 516.67);
/// gpu1: 1950 Wh = 883.33 + 766.67 + idle 200 + unreserved GPUs 100.
///
/// cpu1 (16 cores, 64 GiB, static 80 W), modelled: job 103 (alice, 00:30-03:30, 8 cores, 18 h
/// CPU: usage 0.75, 10,000,000 KiB = 10.24 GB used) draws 10 W x 8 x 0.75 + 0.5 W/GB x 10.24 GB
/// = 65.12 W above the static power: 103 = 80 x 3 + 65.12 x 3 = 435.36 Wh; idle 80 x 1 = 80 Wh;
/// cpu1: 80 x 4 + 195.36 = 515.36 Wh.
#[test]
fn two_nodes_three_jobs_by_hand() {
    let r = report(&["--inventory", INV, "--sacct", SACCT]);
    let kwh = |v: &Value| num(v) * 1000.0;
    let j101 = job(&r, "101");
    close(
        kwh(&j101["energy"]["total_kwh"]),
        883.0 + 1.0 / 3.0,
        TOL,
        "101 Wh",
    );
    close(kwh(&j101["energy"]["static_kwh"]), 150.0, TOL, "101 static");
    close(
        kwh(&j101["energy"]["gpu_idle_kwh"]),
        100.0,
        TOL,
        "101 GPU idle",
    );
    close(
        kwh(&j101["energy"]["dynamic_kwh"]),
        633.0 + 1.0 / 3.0,
        TOL,
        "101 dynamic",
    );
    assert_eq!(j101["energy_source"], "trace");
    let j102 = job(&r, "102");
    close(
        kwh(&j102["energy"]["total_kwh"]),
        766.0 + 2.0 / 3.0,
        TOL,
        "102 Wh",
    );
    close(
        kwh(&j102["energy"]["dynamic_kwh"]),
        516.0 + 2.0 / 3.0,
        TOL,
        "102 dynamic",
    );
    let j103 = job(&r, "103");
    close(kwh(&j103["energy"]["total_kwh"]), 435.36, TOL, "103 Wh");
    close(kwh(&j103["energy"]["static_kwh"]), 240.0, TOL, "103 static");
    assert_eq!(j103["energy_source"], "model");
    let g = node(&r, "gpu1");
    close(kwh(&g["energy_kwh"]), 1950.0, TOL, "gpu1 Wh");
    close(kwh(&g["idle_kwh"]), 200.0, TOL, "gpu1 idle");
    close(
        kwh(&g["unreserved_gpu_kwh"]),
        100.0,
        TOL,
        "gpu1 unreserved GPUs",
    );
    let c = node(&r, "cpu1");
    close(kwh(&c["energy_kwh"]), 515.36, TOL, "cpu1 Wh");
    close(kwh(&c["idle_kwh"]), 80.0, TOL, "cpu1 idle");
    // conservation: jobs + idle overhead = the nodes' energy
    let t = &r["totals"];
    close(kwh(&t["energy_kwh"]), 2465.36, TOL, "cluster Wh");
    close(
        kwh(&t["jobs_kwh"]) + kwh(&t["idle_overhead_kwh"]),
        2465.36,
        TOL,
        "jobs + idle overhead",
    );
    close(kwh(&t["idle_overhead_kwh"]), 380.0, TOL, "idle overhead");
    // measured AUR: gpu-node 0.5 x 2 h + 0.5 x 2 h allocated of 4 h; cpu-node 0.5 x 3 h of 4 h
    let kinds = r["kinds"].as_array().unwrap();
    close(
        num(&kinds[0]["measured_active_utilization_rate"]),
        0.5,
        TOL,
        "gpu AUR",
    );
    close(
        num(&kinds[1]["measured_active_utilization_rate"]),
        0.375,
        TOL,
        "cpu AUR",
    );
    assert_eq!(kinds[0]["aur_basis"], "measured");
    // embodied: 3000 kg x (0.5 x 2 h) / (0.5 x 35,040 h) = 0.171233 kg for 101 and 102;
    // 1000 kg x (0.5 x 3 h) / (0.375 x 43,800 h) = 0.091324 kg for 103; with the measured AUR
    // the jobs carry the whole period's share of the nodes' life: 3000 x 4 / 35,040
    close(
        num(&j101["embodied"]["gwp"]["value"]),
        3000.0 / 17520.0,
        TOL,
        "101 embodied",
    );
    close(
        num(&j103["embodied"]["gwp"]["value"]),
        1000.0 * 4.0 / 43800.0,
        TOL,
        "103 embodied",
    );
    close(
        num(&kinds[0]["embodied_to_jobs"]["gwp"]["value"]),
        num(&kinds[0]["embodied_of_period"]["gwp"]["value"]),
        TOL,
        "all of the period to jobs",
    );
    // use: 0.88333 kWh x PUE 1.5 x 0.1 kg/kWh
    close(
        num(&j101["use"]["gwp"]["value"]),
        (0.883 + 1.0 / 3000.0) * 0.15,
        TOL,
        "101 use GWP",
    );
    close(
        num(&j101["use"]["pe"]["value"]),
        (0.883 + 1.0 / 3000.0) * 15.0,
        TOL,
        "101 use PE",
    );
    // users: alice 101 + 103, bob 102
    let users = r["top_users"].as_array().unwrap();
    assert_eq!(users[0]["key"], "alice");
    close(
        kwh(&users[0]["energy"]["total_kwh"]),
        883.0 + 1.0 / 3.0 + 435.36,
        TOL,
        "alice Wh",
    );
    close(
        kwh(&users[1]["energy"]["total_kwh"]),
        766.0 + 2.0 / 3.0,
        TOL,
        "bob Wh",
    );
}

/// The same jobs from OAR: no CPU time, so the dynamic energy that is not the GPUs' is shared
/// by reserved cores (16 each in 01-02: 100 + 100 Wh), and the modelled job 103 runs at usage
/// 1 with its memory share (8 of 16 cores: 32 GiB = 34.36 GB) in use:
/// 101 = 450 + 50 + 50 + 200 + 100 = 850 Wh; 102 = 400 + 400 = 800 Wh;
/// 103 = 240 + (10 x 8 + 0.5 x 34.359738368) x 3 = 531.539607552 Wh.
#[test]
fn same_jobs_from_oar() {
    let r = report(&["--inventory", INV, "--oarstat", OAR]);
    let kwh = |v: &Value| num(v) * 1000.0;
    close(
        kwh(&job(&r, "101")["energy"]["total_kwh"]),
        850.0,
        TOL,
        "101",
    );
    close(
        kwh(&job(&r, "102")["energy"]["total_kwh"]),
        800.0,
        TOL,
        "102",
    );
    close(
        kwh(&job(&r, "103")["energy"]["total_kwh"]),
        531.539607552,
        TOL,
        "103",
    );
    assert_eq!(job(&r, "104")["state"], "pending");
    assert_eq!(job(&r, "104")["energy_source"], "none");
    close(
        kwh(&r["totals"]["energy_kwh"]),
        1950.0 + 320.0 + 291.539607552,
        TOL,
        "nodes",
    );
    assert_eq!(r["scheduler"], "oar");
}

/// The real dump of Debian's Slurm: steps folded, array tasks, cancelled, failed, running and
/// pending jobs said; every job that ran has its energy and impacts.
#[test]
fn real_slurm_dump_end_to_end() {
    let r = report(&["--inventory", REAL_INV, "--sacct", REAL, "--by", "job"]);
    let ids: Vec<&str> = r["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["1", "2", "4", "3_1", "3_2", "3_3", "7", "8"]);
    assert_eq!(job(&r, "1")["state"], "cancelled");
    assert_eq!(job(&r, "1")["state_text"], "CANCELLED by 0");
    assert_eq!(job(&r, "4")["state"], "failed");
    assert_eq!(job(&r, "3_2")["array"], "3");
    assert_eq!(job(&r, "7")["state"], "running");
    assert_eq!(job(&r, "8")["state"], "pending");
    assert_eq!(num(&job(&r, "2")["gpus"]), 1.0);
    for j in r["jobs"].as_array().unwrap() {
        let ran = j["state"] != "pending";
        assert_eq!(num(&j["energy"]["total_kwh"]) > 0.0, ran, "job {}", j["id"]);
        assert_eq!(j["energy_source"], if ran { "model" } else { "none" });
    }
    let w = r["warnings"].as_array().unwrap();
    assert!(
        w.iter()
            .any(|x| x.as_str().unwrap().contains("still running")),
        "{w:?}"
    );
    let t = &r["totals"];
    close(
        num(&t["jobs_kwh"]) + num(&t["idle_overhead_kwh"]),
        num(&t["energy_kwh"]),
        1e-12,
        "conservation",
    );
}

/// A period with no job is a warning, not an error: every node's energy is idle overhead.
#[test]
fn period_without_jobs_warns() {
    let o = run(&[
        "cluster",
        "report",
        "--inventory",
        INV,
        "--sacct",
        SACCT,
        "--start",
        "2026-01-02T00:00:00",
        "--end",
        "2026-01-02T01:00:00",
        "--format",
        "json",
    ]);
    assert_eq!(
        o.code, 2,
        "the trace does not cover the day after: {}",
        o.stderr
    );
    assert!(o.stderr.contains("outside the trace"), "{}", o.stderr);
    let o = run(&[
        "cluster",
        "report",
        "--inventory",
        REAL_INV,
        "--sacct",
        REAL,
        "--start",
        "2026-11-23T00:00:00",
        "--end",
        "2026-11-23T01:00:00",
        "--format",
        "json",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stderr
            .contains("warning: no job ran in the accounting period"),
        "{}",
        o.stderr
    );
    let r: Value = serde_json::from_str(&o.stdout).unwrap();
    close(
        num(&r["totals"]["idle_overhead_kwh"]),
        num(&r["totals"]["energy_kwh"]),
        1e-12,
        "all idle",
    );
    // 60 W static + 2 x 30 W GPU idle for 1 h
    close(
        num(&r["totals"]["energy_kwh"]),
        0.12,
        1e-12,
        "idle node-hour",
    );
}

#[test]
fn cluster_snapshots() {
    let two = ["--inventory", INV, "--sacct", SACCT];
    let mut cases: Vec<(String, Vec<String>)> = Vec::new();
    let mut add = |name: &str, args: &[&str]| {
        cases.push((
            name.to_string(),
            args.iter().map(|s| s.to_string()).collect(),
        ))
    };
    let with = |head: &[&str], tail: &[&str]| -> Vec<String> {
        head.iter()
            .chain(two.iter())
            .chain(tail.iter())
            .map(|s| s.to_string())
            .collect()
    };
    add(
        "cluster__hosts",
        &["cluster", "hosts", "cn[1-3],desktop[08-11]"],
    );
    let more = vec![
        (
            "cluster__two_nodes_by_user".to_string(),
            with(&["cluster", "report"], &["--by", "user"]),
        ),
        (
            "cluster__two_nodes_by_job_csv".to_string(),
            with(&["cluster", "report"], &["--by", "job", "--format", "csv"]),
        ),
        (
            "cluster__two_nodes_by_account_csv".to_string(),
            with(
                &["cluster", "report"],
                &["--by", "account", "--format", "csv"],
            ),
        ),
        (
            "cluster__two_nodes_by_month".to_string(),
            with(&["cluster", "report"], &["--by", "month"]),
        ),
        (
            "cluster__statement_alice".to_string(),
            with(&["cluster", "statement"], &["--user", "alice"]),
        ),
        (
            "cluster__real_slurm_by_partition".to_string(),
            vec![
                "cluster".into(),
                "report".into(),
                "--inventory".into(),
                REAL_INV.into(),
                "--sacct".into(),
                REAL.into(),
                "--by".into(),
                "partition".into(),
            ],
        ),
    ];
    cases.extend(more);
    snap_runs(cases);
}

/// The static and GPU idle power measured from the last hour of gpu1's traces (no job runs
/// then): the wattmeter's 200 W less the GPUs' 2 x 50 W is the node's 100 W static power, so
/// every figure is that of the declared powers.
#[test]
fn idle_power_measured_from_an_idle_segment() {
    let dir = tempfile::tempdir().unwrap();
    let fx = root().join("tests/fixtures/cluster/two-nodes");
    let text = std::fs::read_to_string(fx.join("inventory.yaml")).unwrap();
    let generic = |col: &str, device: &str, comp: &str| {
        format!("{{time_column: time, time_format: iso8601, value_column: {col}, unit: Wh, value_kind: cumulative{device}, component: {comp}}}")
    };
    let idle = format!(
        "    idle_from:\n      - {{file: {}, idle_start: \"2026-01-01T03:00:00\", idle_end: \"2026-01-01T04:00:00\",\n         generic: {}}}\n      - {{file: {}, idle_start: \"2026-01-01T03:00:00\", idle_end: \"2026-01-01T04:00:00\",\n         generic: {}}}\n",
        fx.join("gpu1-wattmeter.csv").display(),
        generic("energy_wh", "", "node"),
        fx.join("gpu1-gpus.csv").display(),
        generic("energy_wh", ", device_column: gpu", "gpu"),
    );
    let text = text
        .replace("    static_power_w: 100\n    gpu_idle_power_w: 50\n", &idle)
        .replace("file: gpu1-", &format!("file: {}/gpu1-", fx.display()));
    let inv = write(dir.path(), "inventory.yaml", &text);
    let measured = report(&["--inventory", inv.to_str().unwrap(), "--sacct", SACCT]);
    let declared = report(&["--inventory", INV, "--sacct", SACCT]);
    for id in ["101", "102", "103"] {
        for part in ["static_kwh", "gpu_idle_kwh", "dynamic_kwh", "total_kwh"] {
            close(
                num(&job(&measured, id)["energy"][part]),
                num(&job(&declared, id)["energy"][part]),
                TOL,
                &format!("{id} {part}"),
            );
        }
    }
    assert!(measured["assumptions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a.as_str().unwrap().contains("static 100 W, GPU idle 50 W")));
}

/// An OAR job still running (stopTime 0) counts up to the end of the period: job 105 on gpu1
/// from 03:00, half its cores (so one GPU), when the wattmeter reads the base 200 Wh: static
/// 100 Wh and its GPU's 50 Wh, no dynamic energy; the other GPU's 50 Wh stay unreserved.
#[test]
fn running_oar_job_ends_with_the_period() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join(OAR)).unwrap();
    let running = r#"   "105" : {"owner": "bob", "project": "nlp", "queue": "default", "state": "Running",
              "startTime": 1767236400, "stopTime": 0, "assigned_network_address": ["gpu1"],
              "assigned_resources": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]},
   "104" : {"#;
    let oar = write(
        dir.path(),
        "oarstat.json",
        &text.replacen("   \"104\" : {", running, 1),
    );
    let r = report(&["--inventory", INV, "--oarstat", oar.to_str().unwrap()]);
    let j = job(&r, "105");
    assert_eq!(j["state"], "running");
    close(
        num(&j["energy"]["static_kwh"]) * 1000.0,
        100.0,
        TOL,
        "105 static",
    );
    close(
        num(&j["energy"]["gpu_idle_kwh"]) * 1000.0,
        50.0,
        TOL,
        "105 GPU idle",
    );
    close(
        num(&j["energy"]["dynamic_kwh"]) * 1000.0,
        0.0,
        TOL,
        "105 dynamic",
    );
    close(
        num(&node(&r, "gpu1")["idle_kwh"]),
        0.0,
        TOL,
        "gpu1 never idle",
    );
}

/// A declared AUR replaces the measured one (which the report still gives), and nodes bought
/// after the period carry no embodied impact: gpu-node at 0.25 gives job 101
/// 3000 kg x (0.5 x 2 h) / (0.25 x 35,040 h); cpu-node bought in 2027 gives 103 nothing.
#[test]
fn declared_aur_and_nodes_outside_their_life() {
    let dir = tempfile::tempdir().unwrap();
    let fx = root().join("tests/fixtures/cluster/two-nodes");
    let text = std::fs::read_to_string(fx.join("inventory.yaml"))
        .unwrap()
        .replacen(
            "    lifetime_years: 4\n",
            "    lifetime_years: 4\n    active_utilization_rate: 0.25\n",
            1,
        )
        .replacen(
            "    purchase_date: \"2025-01-01\"\n    lifetime_years: 5",
            "    purchase_date: \"2027-01-01\"\n    lifetime_years: 5",
            1,
        )
        .replace("file: gpu1-", &format!("file: {}/gpu1-", fx.display()));
    let inv = write(dir.path(), "inventory.yaml", &text);
    let r = report(&["--inventory", inv.to_str().unwrap(), "--sacct", SACCT]);
    let kinds = r["kinds"].as_array().unwrap();
    assert_eq!(kinds[0]["aur_basis"], "declared");
    close(
        num(&kinds[0]["active_utilization_rate"]["value"]),
        0.25,
        TOL,
        "declared",
    );
    close(
        num(&kinds[0]["measured_active_utilization_rate"]),
        0.5,
        TOL,
        "measured beside it",
    );
    close(
        num(&job(&r, "101")["embodied"]["gwp"]["value"]),
        3000.0 / (0.25 * 35040.0),
        TOL,
        "101 embodied",
    );
    assert!(kinds[1]["active_utilization_rate"].is_null());
    close(
        num(&job(&r, "103")["embodied"]["gwp"]["value"]),
        0.0,
        TOL,
        "103 embodied",
    );
    let w = r["warnings"].as_array().unwrap();
    assert!(
        w.iter()
            .any(|x| x.as_str().unwrap().contains("outside the nodes' life")),
        "{w:?}"
    );
}

/// The two-node case with the jobs' GPU indexes in AllocTRES, swapped against what the per-GPU
/// trace shows: 101 holds GPU 1, 102 GPU 0. Above their 50 W idle power, GPU 0 draws 200 Wh
/// in each of the first two hours, GPU 1 200 Wh in the second and third. By GPU count each job
/// carries the 200 Wh of GPU dynamic energy of every hour it runs (400 Wh each); by index, 101
/// carries only GPU 1's 200 Wh of 01:00-02:00, 102 only GPU 0's 200 Wh of the same hour, and
/// GPU 0's first hour and GPU 1's third (held by no job that ran on it) are unattributed:
/// 0.4 kWh.
#[test]
fn per_gpu_traces_go_to_the_job_holding_each_gpu() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join(SACCT)).unwrap();
    let swapped = text
        .replacen(
            "billing=16,cpu=16,gres/gpu=1,",
            "billing=16,cpu=16,gres/gpu=1(IDX:1),",
            1,
        )
        .replacen(
            "billing=16,cpu=16,gres/gpu=1,mem=128G,node=1||0|COMPLETED\n102.batch",
            "billing=16,cpu=16,gres/gpu=1(IDX:0),mem=128G,node=1||0|COMPLETED\n102.batch",
            1,
        );
    assert_eq!(swapped.matches("IDX").count(), 2);
    let sacct = write(dir.path(), "sacct.txt", &swapped);
    let by_count = report(&["--inventory", INV, "--sacct", SACCT]);
    let by_index = report(&["--inventory", INV, "--sacct", sacct.to_str().unwrap()]);
    for id in ["101", "102"] {
        close(
            num(&job(&by_index, id)["energy"]["dynamic_kwh"]),
            num(&job(&by_count, id)["energy"]["dynamic_kwh"]) - 0.2,
            TOL,
            &format!("job {id} dynamic energy"),
        );
    }
    close(
        num(&node(&by_index, "gpu1")["unattributed_gpu_kwh"]),
        num(&node(&by_count, "gpu1")["unattributed_gpu_kwh"]) + 0.4,
        TOL,
        "unattributed GPU energy",
    );
    close(
        num(&by_index["totals"]["energy_kwh"]),
        num(&by_count["totals"]["energy_kwh"]),
        TOL,
        "nodes' energy",
    );
    assert!(by_index["assumptions"].as_array().unwrap().iter().any(|a| a
        .as_str()
        .unwrap()
        .contains("each GPU's to the job holding it")));
}

/// A Parquet file read back with polars.
fn read_parquet(path: &std::path::Path) -> polars::prelude::DataFrame {
    use polars::prelude::{ParquetReader, SerReader};
    ParquetReader::new(std::fs::File::open(path).unwrap())
        .finish()
        .unwrap()
}

/// `--format parquet` writes the rows and columns of `--format csv`: the same names in the same
/// order, text as text, f64 and counts typed (the numbers of the CSV text read back, equal to
/// 1e-12), for the two-node example by job, user and month and the real dump by job; the CSV
/// written to a file with `--output` is the CSV printed, byte for byte.
#[test]
fn parquet_report_is_the_csv_report() {
    use polars::prelude::DataType;
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (INV, SACCT, "job"),
        (INV, SACCT, "user"),
        (INV, SACCT, "month"),
        (REAL_INV, REAL, "job"),
    ];
    for (inv, sacct, by) in cases {
        let common = [
            "cluster",
            "report",
            "--inventory",
            inv,
            "--sacct",
            sacct,
            "--by",
            by,
        ];
        let mut a = common.to_vec();
        a.extend(["--format", "csv"]);
        let o = run(&a);
        assert_eq!(o.code, 0, "{}", o.stderr);
        // the rows streamed to a file (through a temporary file) are the rows printed
        let file = dir.path().join(format!("{by}.csv"));
        a.extend(["--output", file.to_str().unwrap()]);
        let f = run(&a);
        assert_eq!(f.code, 0, "{}", f.stderr);
        assert_eq!(std::fs::read_to_string(&file).unwrap(), o.stdout, "{by}");
        let pq = dir.path().join(format!("{by}.parquet"));
        let mut a = common.to_vec();
        a.extend(["--format", "parquet", "--output", pq.to_str().unwrap()]);
        let p = run(&a);
        assert_eq!(p.code, 0, "{}", p.stderr);
        assert_eq!(p.stdout, "");
        let df = read_parquet(&pq);
        let mut csv = ::csv::Reader::from_reader(o.stdout.as_bytes());
        let header: Vec<String> = csv.headers().unwrap().iter().map(String::from).collect();
        let names: Vec<String> = df
            .get_column_names()
            .iter()
            .map(|n| n.to_string())
            .collect();
        assert_eq!(names, header, "{by}");
        let rows: Vec<::csv::StringRecord> = csv.records().map(Result::unwrap).collect();
        assert!(!rows.is_empty(), "{by}");
        assert_eq!(df.height(), rows.len(), "{by}");
        for (k, name) in header.iter().enumerate() {
            let c = df.column(name).unwrap();
            let what = |i: usize| format!("{by}: row {i}, {name}");
            match c.dtype() {
                DataType::String => {
                    let s = c.str().unwrap();
                    for (i, r) in rows.iter().enumerate() {
                        assert_eq!(s.get(i).unwrap(), &r[k], "{}", what(i));
                    }
                }
                DataType::Float64 => {
                    let s = c.f64().unwrap();
                    for (i, r) in rows.iter().enumerate() {
                        let want: f64 = r[k].parse().unwrap();
                        close(s.get(i).unwrap(), want, 1e-12, &what(i));
                    }
                }
                DataType::UInt64 => {
                    let s = c.u64().unwrap();
                    for (i, r) in rows.iter().enumerate() {
                        let want: u64 = r[k].parse().unwrap();
                        assert_eq!(s.get(i).unwrap(), want, "{}", what(i));
                    }
                }
                t => panic!("{by}: column {name} is {t}"),
            }
        }
    }
}

/// `cluster report` on the two-node example.
const REPORT: [&str; 6] = ["cluster", "report", "--inventory", INV, "--sacct", SACCT];

/// JSON and CSV reports are written as they are made, to standard output or into the temporary
/// file renamed at the end: the file holds the bytes printed, by job and by user, and a report
/// written over an existing file replaces it whole.
#[test]
fn reports_written_to_a_file_are_the_reports_printed() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["json", "csv"] {
        for by in ["job", "user"] {
            let a = [&REPORT[..], &["--by", by, "--format", format]].concat();
            let printed = run(&a);
            assert_eq!(printed.code, 0, "{}", printed.stderr);
            let file = dir.path().join(format!("{by}.{format}"));
            std::fs::write(&file, "an older, longer report ".repeat(10_000)).unwrap();
            let written = run(&[&a[..], &["--output", file.to_str().unwrap()]].concat());
            assert_eq!(written.code, 0, "{}", written.stderr);
            assert_eq!(written.stdout, "");
            let got = std::fs::read_to_string(&file).unwrap();
            assert_eq!(got, printed.stdout, "{format} by {by}");
        }
    }
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 4, "no temporary file is left");
}

/// Parquet is binary: never to a terminal, so --output is required (exit 2 saying so).
#[test]
fn parquet_report_needs_an_output_file() {
    let parquet = ["cluster", "report", "--format", "parquet"];
    let o = run(&[&parquet[..], &["--inventory", INV, "--sacct", SACCT]].concat());
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("--output"), "{}", o.stderr);
    assert_eq!(o.stdout, "");
}

/// The sacct text as a table of strings (every column as sacct writes it), with polars.
fn sacct_table(path: &str) -> polars::prelude::DataFrame {
    use polars::prelude::{CsvReadOptions, SerReader};
    CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .map_parse_options(|o| o.with_separator(b'|').with_quote_char(None))
        .try_into_reader_with_file_path(Some(path.into()))
        .unwrap()
        .finish()
        .unwrap()
}

fn write_parquet(df: &mut polars::prelude::DataFrame, path: &std::path::Path) {
    polars::prelude::ParquetWriter::new(std::fs::File::create(path).unwrap())
        .finish(df)
        .unwrap();
}

/// The real dump converted to Parquet (by polars, here) gives the report of the text, whether
/// the file is named `.parquet` or known by its first bytes (`PAR1`).
#[test]
fn parquet_accounting_gives_the_report_of_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut df = sacct_table(REAL);
    assert_eq!(df.get_column_names()[0].as_str(), "JobID");
    let want = run(&[
        "cluster",
        "report",
        "--inventory",
        REAL_INV,
        "--sacct",
        REAL,
        "--by",
        "job",
        "--format",
        "json",
    ]);
    assert_eq!(want.code, 0, "{}", want.stderr);
    for name in ["sacct.parquet", "sacct.bin"] {
        let pq = dir.path().join(name);
        write_parquet(&mut df, &pq);
        let p = pq.to_str().unwrap();
        let got = run(&[
            "cluster",
            "report",
            "--inventory",
            REAL_INV,
            "--sacct",
            p,
            "--by",
            "job",
            "--format",
            "json",
        ]);
        assert_eq!(got.code, 0, "{}", got.stderr);
        assert_eq!(got.stdout.replace(p, REAL), want.stdout, "{name}");
        assert_eq!(got.stderr.replace(p, REAL), want.stderr, "{name}");
    }
}

/// A Parquet accounting without a required column, or with a cell sacct would not write,
/// exits 2 naming the file, the column (and the row).
#[test]
fn parquet_accounting_bad_input() {
    use polars::prelude::{Column, NamedFrom, Series};
    let dir = tempfile::tempdir().unwrap();
    let pq = dir.path().join("sacct.parquet");
    let p = pq.to_str().unwrap();
    let args = ["cluster", "report", "--inventory", REAL_INV, "--sacct", p];
    let mut df = sacct_table(REAL).drop("AllocTRES").unwrap();
    write_parquet(&mut df, &pq);
    let o = run(&args);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("no column AllocTRES"), "{}", o.stderr);
    assert!(o.stderr.contains(p), "{}", o.stderr);
    let mut df = sacct_table(REAL);
    let elapsed: Vec<Option<String>> = df
        .column("Elapsed")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, x)| {
            if i == 2 {
                Some("soon".into())
            } else {
                x.map(String::from)
            }
        })
        .collect();
    df.replace(
        "Elapsed",
        Column::from(Series::new("Elapsed".into(), elapsed)),
    )
    .unwrap();
    write_parquet(&mut df, &pq);
    let o = run(&args);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("Elapsed \"soon\""), "{}", o.stderr);
    assert!(o.stderr.contains("row 3, column Elapsed"), "{}", o.stderr);
    assert!(o.stderr.contains(p), "{}", o.stderr);
}
