//! Energy terms that add up (device-hours, measured mean power, TDP by name, static power over
//! the run, an overhead) and the IT and facility energies of every output, against hand
//! computations.

use crate::common::*;
use serde_json::Value;

const TERMS: &str = "tests/fixtures/energy/terms.yaml";

fn line<'a>(v: &'a Value, label: &str) -> &'a Value {
    v["energy"]["lines"]
        .as_array()
        .and_then(|l| l.iter().find(|x| x["label"] == label))
        .unwrap_or_else(|| panic!("no energy line {label}: {}", v["energy"]["lines"]))
}

fn scenario(energy: &str, extra: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = format!(
        "functional_unit: {{name: terms}}\n{extra}energy:\n{energy}electricity:\n  factors: {{gwp_kgco2eq_per_kwh: 0.4, source: test}}\n  pue: 1.25\nallocation: {{lifetime_years: 4, active_utilization_rate: 0.5}}\n"
    );
    let p = write(dir.path(), "s.yaml", &text);
    let p = p.to_str().expect("UTF-8 path").to_string();
    (dir, p)
}

#[test]
fn a_trace_a_tdp_by_name_a_static_power_and_an_overhead_add_up() {
    let v = assess_json(TERMS);
    assert_eq!(v["energy"]["method"], "combined");
    let trace = num(&line(
        &v,
        "tests/fixtures/energy/../../../scenarios/traces/nvidia-smi-resnet50.csv",
    )["energy_kwh"]["value"]);
    // AMD EPYC 7763: catalog TDP 280 W; 2 x 280 W x 0.3 x 0.4903333 h = 0.0823760 kWh
    let cpu = num(&line(&v, "CPUs")["energy_kwh"]["value"]);
    close(
        cpu,
        2.0 * 280.0 * 0.3 * 0.4903333 / 1000.0,
        1e-12,
        "CPU line",
    );
    // seed 002's static node power: 45 W over the run
    let stat = num(&line(&v, "static node power")["energy_kwh"]["value"]);
    close(stat, 45.0 * 0.4903333 / 1000.0, 1e-12, "static line");
    // usage 0: an allocated GPU that drew nothing
    assert_eq!(num(&line(&v, "idle spare GPU")["energy_kwh"]["value"]), 0.0);
    let sum = trace + cpu + stat;
    close(
        num(&v["energy_kwh"]["value"]),
        1.1 * sum,
        1e-12,
        "IT energy",
    );
    close(
        num(&v["energy"]["overhead"]["added_energy_kwh"]["value"]),
        0.1 * sum,
        1e-9,
        "overhead",
    );
    close(
        num(&v["facility_energy_kwh"]["value"]),
        1.2 * 1.1 * sum,
        1e-12,
        "facility energy",
    );
    close(
        num(&line(&v, "CPUs")["facility_energy_kwh"]["value"]),
        1.2 * cpu,
        1e-12,
        "CPU facility",
    );
    // use = facility energy x the factor
    close(
        num(&v["impacts"]["use"]["gwp"]["value"]),
        1.2 * 1.1 * sum * 0.098,
        1e-12,
        "use GWP",
    );
    let a = v["assumptions"].to_string();
    assert!(a.contains("TDP of cpu AMD EPYC 7763: 280 W"), "{a}");
    assert!(
        a.contains("energy overhead: the summed energies x 1.1"),
        "{a}"
    );
    let t = run(&["assess", TERMS]);
    for want in [
        "energy terms of the run, metered at the IT equipment:",
        "tdp CPUs (2 x 280 W x usage 0.3 x 0.4903 h)",
        "overhead x 1.1 (fans and network",
        "kWh at the facility (combined)",
    ] {
        assert!(t.stdout.contains(want), "{want}: {}", t.stdout);
    }
    let csv = run(&["assess", TERMS, "--format", "csv"]);
    assert!(
        csv.stdout.contains("energy,,,,use,facility_energy,"),
        "{}",
        csv.stdout
    );
}

#[test]
fn gpu_hours_at_the_facility_with_the_devices_embodied_per_device_hour() {
    // Llama 2 7B: 184,320 GPU-hours at 400 W per GPU adjusted for PUE
    let (_d, p) = scenario(
        "  at: facility\n  devices:\n    - {name: 7B, model: NVIDIA A100 SXM4 80GB, gpu_hours: 184320, power_w: 400}\n",
        "",
    );
    let v = assess_json(&p);
    assert_eq!(v["energy"]["method"], "device-hours");
    assert_eq!(v["energy"]["at"], "facility");
    close(
        num(&v["facility_energy_kwh"]["value"]),
        73_728.0,
        1e-12,
        "facility energy",
    );
    close(
        num(&v["energy_kwh"]["value"]),
        73_728.0 / 1.25,
        1e-12,
        "IT = facility / PUE",
    );
    close(
        num(&v["impacts"]["use"]["gwp"]["value"]),
        73_728.0 * 0.4,
        1e-12,
        "use GWP",
    );
    assert!(v["duration_h"].is_null(), "no duration needed");
    assert!(v["allocation"]["share_of_node_life"].is_null());
    // one A100 SXM4 80GB, BoaviztAPI 2.5.0: 567.7229 kgCO2eq; x 184320 h / (0.5 x 35040 h)
    let emb = num(&v["impacts"]["embodied"]["gwp"]["value"]);
    close(
        emb,
        567.7229 * 184_320.0 / (0.5 * 35_040.0),
        1e-6,
        "embodied per device-hour",
    );
    let row = &v["breakdown"][0];
    assert_eq!(row["level"], "node");
    assert_eq!(row["device_hours"]["value"], serde_json::json!(184320.0));
    let card = run(&["statement", &p, "--format", "markdown"]);
    assert!(
        card.stdout
            .contains("on 184320 device-hours of NVIDIA A100 SXM4 80GB"),
        "{}",
        card.stdout
    );
    assert!(card.stdout.contains("at the facility"), "{}", card.stdout);
}

#[test]
fn chip_days_node_hours_and_a_host_share() {
    let (_d, p) = scenario(
        "  devices:\n    - {name: tpu, chip_days: 10, power_w: 200}\n    - {name: nodes, node_hours: 3, power_w: 1500}\n    - {name: dgx gpus, model: NVIDIA A100 SXM4 40GB, host: NVIDIA DGX A100, gpu_hours: 100, tdp_w: 400, usage: 0.5}\n",
        "",
    );
    let v = assess_json(&p);
    close(
        num(&line(&v, "tpu")["energy_kwh"]["value"]),
        10.0 * 24.0 * 200.0 / 1000.0,
        1e-12,
        "chip-days",
    );
    close(
        num(&line(&v, "nodes")["energy_kwh"]["value"]),
        3.0 * 1.5,
        1e-12,
        "node-hours",
    );
    close(
        num(&line(&v, "dgx gpus")["energy_kwh"]["value"]),
        100.0 * 200.0 / 1000.0,
        1e-12,
        "TDP x usage",
    );
    assert_eq!(line(&v, "nodes")["component"], "node");
    // one GPU and its host's other parts over the host's 8 GPUs: an eighth of the DGX A100
    let dgx = json(&["hardware", "show", "NVIDIA DGX A100", "--format", "json"]);
    let dgx_gwp = num(&dgx["embodied"]["gwp"]["value"]);
    let row = v["breakdown"]
        .as_array()
        .and_then(|b| {
            b.iter()
                .find(|r| r["node"] == "dgx gpus" && r["level"] == "node")
        })
        .cloned()
        .unwrap_or_default();
    close(
        num(&row["manufacture"]["gwp"]["value"]),
        dgx_gwp / 8.0,
        1e-9,
        "one device + host share",
    );
    close(
        num(&row["per_fu"]["gwp"]["value"]),
        dgx_gwp / 8.0 * 100.0 / (0.5 * 35_040.0),
        1e-9,
        "per FU",
    );
    let a = v["assumptions"].to_string();
    assert!(
        a.contains("host NVIDIA DGX A100: its parts other than its 8 gpu(s) shared by them"),
        "{a}"
    );
}

#[test]
fn declared_kwh_is_the_whole_run_and_is_not_summed() {
    let (_d, p) = scenario(
        "  declared_kwh: 10\n  devices:\n    - {name: x, model: NVIDIA A100 SXM4 80GB, device_hours: 1, power_w: 1}\n",
        "",
    );
    let o = run(&["assess", &p]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("energy is given more than once"),
        "{}",
        o.stderr
    );
}

#[test]
fn tdp_by_name_takes_the_catalog_tdp_of_the_gpu() {
    let (_d, p) = scenario(
        "  tdp:\n    - {component: gpu, model: H100 SXM 80GB, usage: 0.5, units: 8}\n",
        "infrastructure:\n  - {name: n, nodes: 1, catalog: NVIDIA DGX A100}\nrun: {duration_h: 10}\n",
    );
    let v = assess_json(&p);
    // NVIDIA H100 SXM: 700 W (datasheet); 8 x 700 W x 0.5 x 10 h = 28 kWh
    close(num(&v["energy_kwh"]["value"]), 28.0, 1e-12, "TDP by name");
    let a = v["assumptions"].to_string();
    assert!(
        a.contains("TDP of gpu NVIDIA H100 SXM 80GB: 700 W (https://resources.nvidia.com/"),
        "{a}"
    );
}

#[test]
fn every_catalog_gpu_has_a_tdp_with_its_datasheet_or_says_why_not() {
    let text = std::fs::read_to_string(root().join("impact-data/gpus.csv")).expect("gpus.csv");
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let head = rdr.headers().expect("header").clone();
    let col = |n: &str| head.iter().position(|h| h == n).expect("column");
    let (name, tdp, source, note) = (
        col("name"),
        col("tdp_w"),
        col("tdp_source"),
        col("tdp_note"),
    );
    let mut known = 0;
    for r in rdr.records() {
        let r = r.expect("row");
        if r[tdp].is_empty() {
            assert!(!r[note].is_empty(), "{}: no TDP and no reason", &r[name]);
        } else {
            let w: f64 = r[tdp].parse().expect("a number");
            assert!((20.0..=1500.0).contains(&w), "{}: {w} W", &r[name]);
            assert!(
                r[source].starts_with("https://"),
                "{}: {}",
                &r[name],
                &r[source]
            );
            known += 1;
        }
    }
    assert!(known >= 28, "{known} GPUs with a TDP");
}

#[test]
fn measured_epochs_times_the_epochs_with_the_interval_of_their_spread() {
    let v = assess_json("tests/fixtures/extrapolate/epochs.yaml");
    // mean 1.1 kWh x 90 epochs x 2 nodes; half width per node t(0.975, 2) x 0.1 x sqrt(90 + 90^2/3)
    let half = 4.302_652_729_749_464 * 0.1 * (90.0f64 + 8100.0 / 3.0).sqrt();
    let e = &v["energy_kwh"];
    close(num(&e["value"]), 198.0, 1e-12, "energy");
    close(num(&e["min"]), 2.0 * (99.0 - half), 1e-9, "min");
    close(num(&e["max"]), 2.0 * (99.0 + half), 1e-9, "max");
    assert_eq!(
        v["energy"]["extrapolation"][0]["prediction"]["method"],
        "carbontracker"
    );
    // one epoch: no interval, and the report says so
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(root().join("tests/fixtures/extrapolate/epochs.yaml"))
        .expect("fixture")
        .replace("epoch_kwh: [1.0, 1.2, 1.1]", "epoch_kwh: 0.52");
    let p = write(dir.path(), "one.yaml", &text);
    let v = assess_json(p.to_str().expect("UTF-8 path"));
    let e = &v["energy_kwh"];
    close(num(&e["value"]), 0.52 * 90.0 * 2.0, 1e-12, "one epoch");
    assert_eq!(e["min"], e["max"]);
    assert!(v["assumptions"]
        .to_string()
        .contains("no interval (one epoch shows no spread)"));
    let bad = text.replace("target_epochs: 90", "target_steps: 90");
    let p = write(dir.path(), "bad.yaml", &bad);
    let o = run(&["validate", p.to_str().expect("UTF-8 path")]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("needs target_epochs"), "{}", o.stderr);
}
