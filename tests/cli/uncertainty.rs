//! Monte Carlo, sensitivity and embodied methods: moments against analytic values, identical
//! output for identical seeds, percentiles inside the bounds, the MLCA A100 figure, bad input.

use crate::common::*;
use serde_json::Value;

/// use GWP = E x PUE x f with E ~ normal(100, 5) kWh, PUE ~ uniform(1.0, 1.4), f = 0.1.
const LINEAR: &str = "\
functional_unit: {name: linear model}
infrastructure:
  - name: n
    nodes: 1
    embodied: {gwp_kgco2eq: 1000, adp_kgsbeq: 0.1, pe_mj: 10000, source: test}
run: {duration_h: 10}
energy:
  declared_kwh: {value: 100, sd: 5, min: 50, max: 150, distribution: normal}
electricity:
  factors: {gwp_kgco2eq_per_kwh: 0.1, adp_kgsbeq_per_kwh: 1.0e-8, pe_mj_per_kwh: 10, source: test}
  pue: {value: 1.2, min: 1.0, max: 1.4, distribution: uniform}
allocation: {lifetime_years: 4, active_utilization_rate: 0.5}
";

fn mc(path: &str, n: &str, seed: &str) -> Value {
    json(&[
        "assess",
        path,
        "--format",
        "json",
        "--samples",
        n,
        "--seed",
        seed,
    ])
}

#[test]
fn linear_model_moments_match_the_analytic_values() {
    let dir = tempfile::tempdir().expect("temp dir");
    let p = write(dir.path(), "linear.yaml", LINEAR);
    let n: f64 = 100_000.0;
    let r = mc(p.to_str().expect("path"), "100000", "3");
    let d = &r["impacts"]["use"]["gwp"]["distribution"];
    // X = E x PUE x f with independent E, PUE: mean = f mE mP; var = f^2 ((sE^2 + mE^2)(sP^2 + mP^2) - mE^2 mP^2)
    let (me, se2, mp, sp2, f) = (100.0, 25.0, 1.2, 0.4f64.powi(2) / 12.0, 0.1);
    let mean = f * me * mp;
    let var = f * f * ((se2 + me * me) * (sp2 + mp * mp) - me * me * mp * mp);
    let sd = var.sqrt();
    let got_mean = num(&d["mean"]);
    assert!(
        (got_mean - mean).abs() < 4.0 * sd / n.sqrt(),
        "mean {got_mean} vs {mean} (MC SE {})",
        sd / n.sqrt()
    );
    // the sample variance of 1e5 draws is within a few percent
    close(num(&d["sd"]).powi(2), var, 0.03, "variance");
    // the embodied part is exact: no spread
    assert_eq!(
        num(&r["impacts"]["embodied"]["gwp"]["distribution"]["sd"]),
        0.0
    );
    // both inputs are ranked, PUE and energy raise GWP
    let sens = r["monte_carlo"]["sensitivity"]
        .as_array()
        .expect("sensitivity");
    assert_eq!(sens.len(), 2);
    for s in sens {
        assert!(num(&s["rank_correlation"]["gwp"]) > 0.3, "{s}");
    }
    // distribution keys on every impact
    for phase in ["use", "embodied", "total"] {
        for c in ["gwp", "adp", "pe"] {
            for k in ["mean", "median", "sd", "p05", "p95"] {
                assert!(
                    r["impacts"][phase][c]["distribution"][k].is_number(),
                    "{phase} {c} {k}"
                );
            }
        }
    }
}

#[test]
fn same_seed_same_bytes() {
    let a = run(&[
        "assess",
        "scenarios/uncertainty/apollo-resnet50.yaml",
        "--format",
        "json",
        "--samples",
        "20000",
        "--seed",
        "11",
    ]);
    let b = run(&[
        "assess",
        "scenarios/uncertainty/apollo-resnet50.yaml",
        "--format",
        "json",
        "--samples",
        "20000",
        "--seed",
        "11",
    ]);
    assert_eq!(a.code, 0, "{}", a.stderr);
    assert_eq!(
        a.stdout, b.stdout,
        "the same seed must give byte-identical JSON"
    );
    let c = run(&[
        "assess",
        "scenarios/uncertainty/apollo-resnet50.yaml",
        "--format",
        "json",
        "--samples",
        "20000",
        "--seed",
        "12",
    ]);
    assert_ne!(a.stdout, c.stdout, "another seed, other samples");
}

#[test]
fn percentiles_lie_within_the_bounds() {
    for f in [
        "scenarios/uncertainty/apollo-resnet50.yaml",
        "scenarios/uncertainty/jetson-resnet50star.yaml",
    ] {
        let r = mc(f, "50000", "5");
        for phase in ["use", "embodied", "total"] {
            for c in ["gwp", "adp", "pe"] {
                let o = &r["impacts"][phase][c];
                let (lo, hi) = (num(&o["min"]), num(&o["max"]));
                let d = &o["distribution"];
                for k in ["p05", "median", "p95", "mean"] {
                    let v = num(&d[k]);
                    let eps = 1e-12 * hi.abs().max(1e-300);
                    assert!(
                        v >= lo - eps && v <= hi + eps,
                        "{f} {phase} {c} {k} = {v} outside [{lo}, {hi}]"
                    );
                }
            }
        }
        // the ranges with no declared distribution are named as uniform defaults
        assert!(
            r["assumptions"].to_string().contains("sampled uniformly"),
            "{f}"
        );
    }
}

#[test]
fn mlca_method_reproduces_the_a100_figure() {
    let h = json(&[
        "hardware",
        "show",
        "NVIDIA A100-SXM4-80GB",
        "--method",
        "mlca-2024",
        "--format",
        "json",
    ]);
    // MLCA (Morand et al. 2024): about 330 kgCO2eq, 3900 MJ, 0.027 kgSbeq
    close(num(&h["embodied"]["gwp"]["value"]), 330.0, 0.01, "GWP");
    close(num(&h["embodied"]["pe"]["value"]), 3943.0, 0.01, "PE");
    close(num(&h["embodied"]["adp"]["value"]), 0.027, 0.01, "ADP");
    // by hand: 8.26 x 1.97 + 26.97 + 80 / 0.625 x 2.20 + 5.22 = 330.06
    close(
        num(&h["embodied"]["gwp"]["value"]),
        8.26 * 1.97 + 26.97 + 128.0 * 2.20 + 5.22,
        1e-12,
        "by hand",
    );
    let e = json(&[
        "hardware",
        "show",
        "Apollo 6500 Gen10",
        "--method",
        "ecologits",
        "--format",
        "json",
    ]);
    close(
        num(&e["embodied"]["gwp"]["value"]),
        5700.0 + 8.0 * 164.0,
        1e-12,
        "EcoLogits: one 8-GPU server",
    );
}

#[test]
fn methods_side_by_side_and_per_scenario() {
    let c = json(&[
        "assess",
        "scenarios/apollo-6500-bom.yaml",
        "--compare-methods",
        "--format",
        "json",
    ]);
    let rows = c["rows"].as_array().expect("rows");
    let methods: Vec<&str> = rows.iter().filter_map(|r| r["method"].as_str()).collect();
    assert_eq!(methods, ["boavizta-2.5", "mlca-2024", "ecologits"]);
    for r in rows {
        assert!(r["embodied"]["gwp"]["value"].is_number(), "{r}");
    }
    assert!(num(&c["gwp_spread"]) > 1.0);
    // a node without GPU: EcoLogits does not apply, and says so
    let j = json(&[
        "assess",
        "scenarios/jetson-agx-xavier-bom.yaml",
        "--compare-methods",
        "--format",
        "json",
    ]);
    assert!(j["rows"][2]["error"]
        .as_str()
        .unwrap_or("")
        .contains("GPU servers only"));
    // the method in the scenario, named in the report
    let dir = tempfile::tempdir().expect("temp dir");
    let text =
        std::fs::read_to_string(root().join("scenarios/apollo-6500-bom.yaml")).expect("scenario");
    let p = write(
        dir.path(),
        "m.yaml",
        &format!("{text}embodied_method: mlca-2024\n"),
    );
    let r = assess_json(p.to_str().expect("path"));
    assert!(r["assumptions"]
        .to_string()
        .contains("embodied method: mlca-2024"));
    let gpu = r["breakdown"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|b| b["component"] == "gpu")
        .expect("gpu")
        .clone();
    close(
        num(&gpu["manufacture"]["gwp"]["value"]),
        8.0 * 330.0622,
        1e-6,
        "8 A100 by MLCA",
    );
}

#[test]
fn uncertainty_bad_input() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cases = [
        (
            "minmax.yaml",
            LINEAR.replace(
                "{value: 1.2, min: 1.0, max: 1.4, distribution: uniform}",
                "{value: 1.2, min: 1.4, max: 1.0, distribution: uniform}",
            ),
            "out of order",
        ),
        (
            "sd.yaml",
            LINEAR.replace("sd: 5,", "sd: -5,"),
            "greater than zero",
        ),
        (
            "sd0.yaml",
            LINEAR.replace("sd: 5,", "sd: 0,"),
            "greater than zero",
        ),
        (
            "lognormal.yaml",
            LINEAR.replace(
                "{value: 100, sd: 5, min: 50, max: 150, distribution: normal}",
                "{value: 100, sd: 5, min: 0, max: 150, distribution: lognormal}",
            ),
            "lognormal cannot reach zero",
        ),
    ];
    for (name, text, word) in cases {
        let p = write(dir.path(), name, &text);
        let o = run(&["assess", p.to_str().expect("path"), "--samples", "10"]);
        snap(
            &format!("uncertainty__bad_input__{name}"),
            &o,
            &[dir.path()],
        );
        assert_eq!(o.code, 2, "{name}");
        assert!(
            o.stderr.contains(word) && o.stderr.contains(&format!("{name}:")),
            "{name}: {}",
            o.stderr
        );
    }
    let p = write(dir.path(), "ok.yaml", LINEAR);
    let o = run(&["assess", p.to_str().expect("path"), "--samples", "0"]);
    snap("uncertainty__bad_input__zero_samples", &o, &[dir.path()]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr
            .contains("'0' for '--samples <SAMPLES>': must be at least 1"),
        "{}",
        o.stderr
    );
    let o = run(&[
        "assess",
        p.to_str().expect("path"),
        "--samples",
        "10",
        "--percentiles",
        "0,50",
    ]);
    snap("uncertainty__bad_input__percentile_zero", &o, &[dir.path()]);
    assert_eq!(o.code, 2);
}

#[test]
fn measured_energy_carries_the_meter_uncertainty() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(root().join("scenarios/trace-nvidia-smi-example.yaml"))
        .expect("scenario");
    let text = text.replace(
        "traces/",
        &format!("{}/scenarios/traces/", root().display()),
    );
    let text = text.replace("      gap_policy: interpolate\n", "      gap_policy: interpolate\n      meter_factor: {value: 1, min: 0.9, max: 1.1, distribution: triangular}\n");
    assert!(text.contains("meter_factor"));
    let p = write(dir.path(), "m.yaml", &text);
    let r = mc(p.to_str().expect("path"), "20000", "2");
    let e = &r["energy_kwh"];
    close(num(&e["min"]), num(&e["value"]) * 0.9, 1e-9, "min");
    close(num(&e["max"]), num(&e["value"]) * 1.1, 1e-9, "max");
    // triangular(0.9, 1, 1.1): sd = 0.1 / sqrt(6) of the value
    close(
        num(&e["distribution"]["sd"]),
        num(&e["value"]) * 0.1 / 6f64.sqrt(),
        0.03,
        "sd",
    );
    let names = r["monte_carlo"]["parameters"].to_string();
    assert!(names.contains("energy.traces[0].meter_factor"), "{names}");
}

#[test]
fn distributions_reach_csv_and_markdown() {
    let c = run(&[
        "assess",
        "scenarios/uncertainty/jetson-resnet50star.yaml",
        "--samples",
        "1000",
        "--format",
        "csv",
    ]);
    assert_eq!(c.code, 0, "{}", c.stderr);
    for stat in ["mean", "median", "sd", "p05", "p95"] {
        assert!(
            c.stdout
                .contains(&format!("distribution,,,{stat},total,gwp,")),
            "no {stat} row"
        );
    }
    let m = run(&[
        "assess",
        "scenarios/uncertainty/jetson-resnet50star.yaml",
        "--samples",
        "1000",
        "--format",
        "markdown",
    ]);
    assert!(
        m.stdout.contains("### Monte Carlo (1000 samples, seed 1)")
            && m.stdout
                .contains("| allocation.active_utilization_rate | uniform |"),
        "{}",
        m.stdout
    );
}

#[test]
fn tornado_plot() {
    let dir = tempfile::tempdir().expect("temp dir");
    let o = run(&[
        "assess",
        "scenarios/uncertainty/jetson-resnet50star.yaml",
        "--samples",
        "2000",
        "--plot",
        dir.path().to_str().expect("p"),
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let b = std::fs::read(dir.path().join("tornado.png")).expect("tornado");
    assert_eq!(&b[..8], b"\x89PNG\r\n\x1a\n");
    let s = std::fs::read_to_string(dir.path().join("tornado.svg")).expect("svg");
    assert!(roxmltree::Document::parse(&s).is_ok());
    assert!(s.contains("allocation.active_utilization_rate"));
}
