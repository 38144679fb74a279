//! Published training footprints reproduced through the scenarios of `scenarios/papers/`, each
//! against the published figures within the rounding of its inputs and outputs: the Llama 2
//! paper's Table 2 (GPU-hours at the stated power, tCO2eq per model and in total), the Llama 3
//! model card (H100 GPU-hours at 700 W, tCO2eq before offsets), and Strubell et al. (2019),
//! Table 3 (a node's measured mean power over the hours, PUE 1.58, lbs CO2e).

use crate::common::*;

const KG_PER_LB: f64 = 0.453_592_37;

/// Use-phase GWP (tCO2eq), facility energy (kWh) of a scenario; ADP and PE are not assessed.
fn paper(path: &str) -> (f64, f64) {
    let v = assess_json(path);
    for c in ["adp", "pe"] {
        assert!(
            v["impacts"]["use"][c]["value"].is_null(),
            "{path}: {c} not assessed"
        );
        assert!(
            v["impacts"]["total"][c]["not_assessed"].is_string(),
            "{path}"
        );
    }
    (
        num(&v["impacts"]["use"]["gwp"]["value"]) / 1000.0,
        num(&v["facility_energy_kwh"]["value"]),
    )
}

#[test]
fn llama_2_table_2_per_model_and_in_total() {
    // (file, GPU-hours, W, published tCO2eq)
    let rows = [
        ("7b", 184_320.0, 400.0, 31.22),
        ("13b", 368_640.0, 400.0, 62.44),
        ("34b", 1_038_336.0, 350.0, 153.90),
        ("70b", 1_720_320.0, 400.0, 291.42),
    ];
    let mut sum_kwh = 0.0;
    for (f, hours, w, published) in rows {
        let (t, kwh) = paper(&format!("scenarios/papers/llama2/{f}.yaml"));
        // the facility energy is GPU-hours x the power "adjusted for PUE", exactly
        close(kwh, hours * w / 1000.0, 1e-15, f);
        sum_kwh += kwh;
        // 0.01 t: the table's rounding (0.005 t) and the implied factor's (5 figures)
        assert!(
            (t - published).abs() <= 0.01,
            "Llama 2 {f}: {t} t, published {published}"
        );
    }
    let (t, kwh) = paper("scenarios/papers/llama2/pretraining.yaml");
    close(kwh, sum_kwh, 1e-15, "total energy");
    close(
        3_311_616.0,
        184_320.0 + 368_640.0 + 1_038_336.0 + 1_720_320.0,
        0.0,
        "GPU-hours",
    );
    assert!(
        (t - 539.00).abs() <= 0.02,
        "Llama 2 total: {t} t, published 539.00"
    );
}

#[test]
fn llama_3_model_card_within_the_rounding_of_its_gpu_hours() {
    // (file, GPU-hours as published, their rounding, published tCO2eq, its rounding)
    let rows = [
        ("8b", 1.3e6, 0.05e6, 390.0, 5.0),
        ("70b", 6.4e6, 0.05e6, 1900.0, 50.0),
        ("pretraining", 7.7e6, 0.05e6, 2290.0, 5.0),
    ];
    for (f, hours, dh, published, dt) in rows {
        let (t, kwh) = paper(&format!("scenarios/papers/llama3/{f}.yaml"));
        close(kwh, hours * 700.0 / 1000.0, 1e-15, f);
        // the published figure is within what the GPU-hours' rounding allows
        let per_hour = t / hours;
        let (lo, hi) = (per_hour * (hours - dh) - dt, per_hour * (hours + dh) + dt);
        assert!(
            (lo..=hi).contains(&published),
            "Llama 3 {f}: {t} t ({lo}-{hi}), published {published}"
        );
    }
    let (total, _) = paper("scenarios/papers/llama3/pretraining.yaml");
    assert!(
        (total - 2290.0).abs() <= 0.5,
        "the factor is the total's: {total}"
    );
}

#[test]
fn strubell_2019_measured_power_hours_and_pue() {
    // (file, published kWh-PUE, published lbs CO2e), both rounded to the unit
    let rows = [("t2t-big", 201.0, 192.0), ("nas", 656_347.0, 626_155.0)];
    for (f, kwh_pue, lbs) in rows {
        let (t, kwh) = paper(&format!("scenarios/papers/strubell2019/{f}.yaml"));
        assert!(
            (kwh - kwh_pue).abs() <= 0.5,
            "{f}: {kwh} kWh-PUE, published {kwh_pue}"
        );
        let got = t * 1000.0 / KG_PER_LB;
        assert!((got - lbs).abs() <= 0.5, "{f}: {got} lbs, published {lbs}");
    }
    // the IT energy is the measured mean power x hours: 1515.43 W x 84 h
    let v = assess_json("scenarios/papers/strubell2019/t2t-big.yaml");
    close(
        num(&v["energy_kwh"]["value"]),
        1515.43 * 84.0 / 1000.0,
        1e-15,
        "IT energy",
    );
}
