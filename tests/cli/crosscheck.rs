//! Results of BoaviztAPI 2.5.0 (unrounded, the rows below) within 0.5 %,
//! value, min and max, through the binary.

use crate::common::*;
use serde_json::Value;

const TOL: f64 = 0.005;

type Row = (&'static str, [(f64, f64, f64); 3]);

const fn exact(v: f64) -> (f64, f64, f64) {
    (v, v, v)
}

const ROWS: [Row; 9] = [
    (
        "cpu-epyc-7763",
        [exact(30.1008), exact(0.02040624568), exact(437.96)],
    ),
    (
        "cpu-350",
        [exact(16.035), exact(0.0204020545), exact(248.75)],
    ),
    (
        "ram-32x32",
        [
            (1977.44327, 1115.58737, 3771.52),
            (0.10592336645, 0.08124294737, 0.1572992),
            (24833.4588, 14138.6105, 47096.32),
        ],
    ),
    ("ram-1x32-d1", [exact(75.62), exact(0.003706), exact(947.6)]),
    (
        "ssd-1920",
        [
            (83.3020253, 39.34, 263.900976),
            (0.00276691254, 0.001508, 0.00793860976),
            (1029.0087687, 483.48, 3270.07756),
        ],
    ),
    ("hdd", [exact(31.11), exact(0.00025), exact(276.0)]),
    (
        "psu-2",
        [
            (145.314, 48.6, 243.0),
            (0.049634, 0.0166, 0.083),
            (2104.96, 704.0, 3520.0),
        ],
    ),
    (
        "gpu-a100",
        [
            exact(567.722866651),
            exact(0.00376705148),
            exact(7648.19148238),
        ],
    ),
    (
        "gpu-v100",
        [
            exact(289.961882717),
            exact(0.00344465988),
            exact(4034.03800306),
        ],
    ),
];

fn node_row<'a>(r: &'a Value, name: &str) -> &'a Value {
    r["breakdown"]
        .as_array()
        .and_then(|a| a.iter().find(|b| b["level"] == "node" && b["node"] == name))
        .unwrap_or_else(|| panic!("no node row {name}"))
}

#[test]
fn every_crosscheck_row_within_half_a_percent() {
    let r = assess_json("tests/fixtures/crosscheck.yaml");
    for (name, want) in ROWS {
        let row = node_row(&r, name);
        for (c, (v, lo, hi)) in ["gwp", "adp", "pe"].iter().zip(want) {
            let m = &row["manufacture"][c];
            close(num(&m["value"]), v, TOL, &format!("{name} {c} value"));
            close(num(&m["min"]), lo, TOL, &format!("{name} {c} min"));
            close(num(&m["max"]), hi, TOL, &format!("{name} {c} max"));
        }
    }
}

#[test]
fn hardware_show_gives_the_crosscheck_gpus_and_cpu() {
    for (name, want) in [
        (
            "NVIDIA A100-SXM4-80GB",
            [567.722866651, 0.00376705148, 7648.19148238],
        ),
        (
            "a100-sxm4-80gb",
            [567.722866651, 0.00376705148, 7648.19148238],
        ),
        (
            "A100 SXM4 80GB",
            [567.722866651, 0.00376705148, 7648.19148238],
        ),
        (
            "Tesla V100-SXM2-32GB",
            [289.961882717, 0.00344465988, 4034.03800306],
        ),
        ("AMD EPYC 7763", [30.1008, 0.02040624568, 437.96]),
    ] {
        let h = json(&["hardware", "show", name, "--format", "json"]);
        for (c, w) in ["gwp", "adp", "pe"].iter().zip(want) {
            close(
                num(&h["embodied"][c]["value"]),
                w,
                TOL,
                &format!("{name} {c}"),
            );
            assert!(h["embodied"][c]["unit"].is_string());
        }
    }
}

#[test]
fn v100_masses_are_named_as_an_assumption() {
    let h = json(&["hardware", "show", "V100 SXM2 32GB", "--format", "json"]);
    let a = h["assumptions"].to_string();
    assert!(
        a.contains("casing_mass not known") && a.contains("0.79"),
        "{a}"
    );
    assert!(
        h["warnings"].to_string().contains("no masses"),
        "{}",
        h["warnings"]
    );
}
