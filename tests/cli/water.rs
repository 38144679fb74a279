//! Water, the fourth criterion (m3): on site E_IT x WUE, the electricity's E_IT x PUE x WF where
//! the country has a factor, and manufacture for the parts with a water figure (the GPU's ten
//! terms); the rest is "not covered", listed, never counted as 0. Figures by hand.

use crate::common::*;

const USA: &str = "tests/fixtures/water/a100-usa.yaml";
const ZAF: &str = "tests/fixtures/water/a100-zaf.yaml";

/// One A100 SXM4 80GB card's water (m3 eq.), from its catalog quantities and the ten wu factors
/// of factors.yml: casing 0.09 kg x 3.8931, heatsink 1.25 kg x 10.459, PCB 105 cm2 x 0.016173,
/// die 2876.29 mm2 x 0.014831, VRAM 6 x 390.5286 mm2 x 0.070829, upstream 1.56 kg x 9.8353e-4,
/// truck 1000 km x 1.56 kg x 1.91e-7, boat 19000 km x 1.56 kg x 4.2e-8 and end of life 1.56 kg
/// x 730.15, summed (the VRAM's 80 GB x 15.5 mm2/GB over 6 dies through the wafer model:
/// 2343.1715 mm2 in all).
const A100_WATER_M3: f64 = 0.09 * 3.8931
    + 1.25 * 10.459
    + 105.0 * 0.016173
    + 2876.29 * 0.014831
    + 2_343.171_521_688_215 * 0.070829
    + 1.56 * 9.8353e-4
    + 1000.0 * 1.56 * 1.91e-7
    + 19000.0 * 1.56 * 4.2e-8
    + 1.56 * 730.15;

/// The run's share of the node's life: 100 h / (AUR 1 x 4 x 8760 h).
const SHARE: f64 = 100.0 / 35040.0;

/// The breakdown row of `component`.
fn row<'a>(v: &'a serde_json::Value, component: &str) -> &'a serde_json::Value {
    v["breakdown"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["component"] == component))
        .unwrap_or_else(|| panic!("no {component} row"))
}

fn water(v: &serde_json::Value, phase: &str) -> serde_json::Value {
    v["impacts"][phase]["water_m3"].clone()
}

#[test]
fn a100_node_in_the_usa_by_hand() {
    let v = assess_json(USA);
    close(
        A100_WATER_M3,
        1_362.782_123_846_455,
        1e-12,
        "the card's water",
    );
    // the end-of-life term is 84 % of it (as the assumptions say)
    close(
        1.56 * 730.15 / A100_WATER_M3,
        0.8358,
        1e-4,
        "end-of-life share",
    );
    assert!(v["assumptions"]
        .to_string()
        .contains("(84 % for an A100 SXM4 80GB)"));
    // use: 50 kWh x 1.8 L/kWh / 1000 = 0.09 m3 on site [0.05, 0.13];
    // 50 x 1.2 x 0.003132125 = 0.1879275 m3 from the electricity
    let u = water(&v, "use");
    close(num(&u["value"]), 0.2779275, 1e-12, "use water");
    close(num(&u["min"]), 0.05 + 0.1879275, 1e-12, "use water min");
    close(num(&u["max"]), 0.13 + 0.1879275, 1e-12, "use water max");
    assert_eq!(u["unit"], "m3");
    let e = water(&v, "embodied");
    close(
        num(&e["value"]),
        A100_WATER_M3 * SHARE,
        1e-9,
        "embodied water",
    );
    close(num(&e["value"]), 3.889_218_389_97, 1e-9, "embodied water");
    let t = water(&v, "total");
    close(num(&t["value"]), 4.167_145_889_97, 1e-9, "total water");
    let cov = &v["water_coverage"];
    close(num(&cov["wue_l_per_kwh"]["value"]), 1.8, 1e-15, "WUE");
    close(
        num(&cov["electricity_water_m3_per_kwh"]["value"]),
        0.003132125,
        1e-15,
        "WF",
    );
    assert_eq!(
        cov["embodied_not_covered"],
        serde_json::json!(["AMD EPYC 7763 (a100 node)"])
    );
    assert_eq!(
        cov["embodied_covered"],
        serde_json::json!(["NVIDIA A100 SXM4 80GB (a100 node)"])
    );
    close(
        num(&v["electricity"]["water_m3_per_kwh"]["value"]),
        0.003132125,
        1e-15,
        "WF",
    );
    // the CPU has no water figure: not covered, null with its reason, never 0
    let cpu = row(&v, "cpu");
    assert!(cpu["manufacture"]["water_m3"]["value"].is_null(), "{cpu}");
    let why = cpu["manufacture"]["water_m3"]["not_assessed"]
        .as_str()
        .unwrap();
    assert!(why.starts_with("not covered"), "{why}");
    let gpu = row(&v, "gpu");
    close(
        num(&gpu["manufacture"]["water_m3"]["value"]),
        A100_WATER_M3,
        1e-9,
        "GPU row",
    );
    let a = v["assumptions"].to_string();
    assert!(a.contains("not covered (no water figure in the impact data, not counted as 0): AMD EPYC 7763 (a100 node)"), "{a}");
    assert!(a.contains("m3 world eq. deprived"), "{a}");
    assert!(
        a.contains("WUE 1.8 [1 – 2.6] L/kWh") || a.contains("WUE 1.8"),
        "{a}"
    );
}

#[test]
fn a100_node_in_a_country_without_a_water_factor_says_so() {
    let v = assess_json(ZAF);
    // use: only the on-site 0.09 m3; the electricity's water is not covered
    let u = water(&v, "use");
    close(num(&u["value"]), 0.09, 1e-12, "use water");
    close(num(&u["min"]), 0.05, 1e-12, "use water min");
    close(num(&u["max"]), 0.13, 1e-12, "use water max");
    assert!(v["electricity"]["water_m3_per_kwh"].is_null());
    assert!(v["water_coverage"]["electricity_water_m3_per_kwh"].is_null());
    let a = v["assumptions"].to_string();
    assert!(
        a.contains("the electricity data has no water factor for ZAF (South Africa)"),
        "{a}"
    );
    let t = water(&v, "total");
    close(
        num(&t["value"]),
        0.09 + A100_WATER_M3 * SHARE,
        1e-9,
        "total water",
    );
    // the table says it too
    let o = run(&["assess", ZAF]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("Water [m3]"), "{}", o.stdout);
    assert!(o.stdout.contains("not covered"), "{}", o.stdout);
}

#[test]
fn without_wue_nor_water_factor_the_use_water_is_not_assessed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(root().join(ZAF))
        .unwrap()
        .replace("  wue_l_per_kwh: {value: 1.8, min: 1.0, max: 2.6}\n", "")
        .lines()
        .filter(|l| !l.starts_with("  wue_source"))
        .collect::<Vec<_>>()
        .join("\n");
    let f = write(dir.path(), "dry.yaml", &text);
    let v = assess_json(f.to_str().unwrap());
    let u = water(&v, "use");
    assert!(u["value"].is_null() && u["min"].is_null(), "{u}");
    let why = u["not_assessed"].as_str().unwrap();
    assert!(why.contains("not covered"), "{why}");
    // the total is the embodied part, whose coverage is said
    close(
        num(&water(&v, "total")["value"]),
        A100_WATER_M3 * SHARE,
        1e-9,
        "total water",
    );
    assert!(v["water_coverage"]["wue_l_per_kwh"].is_null());
    // in the USA without a WUE: the electricity's water only, 60 kWh x 0.003132125
    let usa = text.replace("country: ZAF", "country: USA");
    let f = write(dir.path(), "usa.yaml", &usa);
    let v = assess_json(f.to_str().unwrap());
    close(
        num(&water(&v, "use")["value"]),
        0.1879275,
        1e-12,
        "use water",
    );
    assert!(v["assumptions"]
        .to_string()
        .contains("on-site (cooling) water not covered, no WUE assumed"));
}
