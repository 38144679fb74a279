//! `mlca assess --format boamps`: every shipped scenario's BoAmps report validated against the
//! BoAmps 1.1 schema (`tests/schema/boamps/`, copied from Boavizta's repository), and its
//! figures checked against the JSON report of the same assessment.

use crate::common::*;
use serde_json::Value;
use std::path::Path;

/// A schema file by the last segment of its `$ref` URL.
fn schema(name: &str) -> Value {
    let text = std::fs::read_to_string(root().join("tests/schema/boamps").join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The draft-04 keywords the BoAmps schema uses, checked; each violation with its JSON path.
fn validate(s: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let file = r.rsplit('/').next().unwrap_or(r);
        validate(&schema(file), v, at, errors);
    }
    if let Some(t) = s.get("type").and_then(Value::as_str) {
        let ok = match t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "number" => v.is_number(),
            "integer" => v.is_i64() || v.is_u64(),
            "boolean" => v.is_boolean(),
            other => panic!("type {other} not handled"),
        };
        if !ok {
            errors.push(format!("{at}: not of type {t}: {v}"));
            return;
        }
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array) {
        if !e.contains(v) {
            errors.push(format!("{at}: {v} not in the enum"));
        }
    }
    if let (Some(m), Some(x)) = (s.get("minimum").and_then(Value::as_f64), v.as_f64()) {
        if x < m {
            errors.push(format!("{at}: {x} below {m}"));
        }
    }
    if let (Some(m), Some(x)) = (s.get("maximum").and_then(Value::as_f64), v.as_f64()) {
        if x > m {
            errors.push(format!("{at}: {x} above {m}"));
        }
    }
    if let Some(obj) = v.as_object() {
        // draft-04: `required` and `properties` apply to objects only
        for r in s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let k = r.as_str().unwrap_or_default();
            if !obj.contains_key(k) {
                errors.push(format!("{at}: required field {k} missing"));
            }
        }
        if let Some(props) = s.get("properties").and_then(Value::as_object) {
            for (k, ps) in props {
                if let Some(x) = obj.get(k) {
                    validate(ps, x, &format!("{at}/{k}"), errors);
                }
            }
        }
    }
    if let Some(items) = v.as_array() {
        if let Some(n) = s.get("minItems").and_then(Value::as_u64) {
            if (items.len() as u64) < n {
                errors.push(format!("{at}: fewer than {n} items"));
            }
        }
        if let Some(is) = s.get("items") {
            for (i, x) in items.iter().enumerate() {
                validate(is, x, &format!("{at}/{i}"), errors);
            }
        }
    }
}

fn violations(report: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    validate(&schema("report_schema.json"), report, "", &mut errors);
    errors
}

#[test]
fn the_validator_rejects_what_the_schema_refuses() {
    let good = serde_json::from_str::<Value>(
        &std::fs::read_to_string(
            root().join("tests/fixtures/boamps/boavizta-example-llm-inference.json"),
        )
        .expect("example"),
    )
    .expect("JSON");
    assert_eq!(violations(&good), Vec::<String>::new());
    let mut bad = good.clone();
    bad["task"]
        .as_object_mut()
        .expect("task")
        .remove("taskFamily");
    bad["measures"][0]["powerConsumption"] = Value::from("0.1 kWh");
    bad["infrastructure"]["components"][0]["nbComponent"] = Value::from(2.5);
    bad["quality"] = Value::from("excellent");
    let v = violations(&bad);
    for want in [
        "/task: required field taskFamily missing",
        "/measures/0/powerConsumption: not of type number",
        "/infrastructure/components/0/nbComponent: not of type integer",
        "/quality: \"excellent\" not in the enum",
    ] {
        assert!(v.iter().any(|e| e.starts_with(want)), "{want} not in {v:?}");
    }
}

fn scenarios(dir: &Path, out: &mut Vec<String>) {
    for e in std::fs::read_dir(dir).expect("scenarios") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            scenarios(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml") {
            out.push(
                p.strip_prefix(root())
                    .expect("under root")
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
}

#[test]
fn every_scenario_as_a_valid_boamps_report() {
    let mut all = Vec::new();
    scenarios(&root().join("scenarios"), &mut all);
    all.sort();
    assert!(all.len() >= 10, "{all:?}");
    for s in &all {
        let b = json(&["assess", s, "--format", "boamps"]);
        let v = violations(&b);
        assert!(v.is_empty(), "{s}: {v:?}");
        // the figures are the assessment's
        let r = assess_json(s);
        assert_eq!(b["mlca"]["energy_kwh"], r["energy_kwh"], "{s}");
        assert_eq!(b["mlca"]["impacts"], r["impacts"], "{s}");
        let measured: f64 = b["measures"]
            .as_array()
            .expect("measures")
            .iter()
            .map(|m| num(&m["powerConsumption"]))
            .sum();
        if r["energy"]["method"] == "measured" {
            let total: f64 = r["energy"]["traces"]
                .as_array()
                .expect("traces")
                .iter()
                .map(|t| num(&t["total_energy_kwh"]["value"]))
                .sum();
            close(measured, total, 1e-12, s);
        } else {
            close(measured, num(&r["energy_kwh"]["value"]), 1e-12, s);
        }
        assert_eq!(
            b["mlca"]["unfilled"].as_array().map(Vec::len),
            Some(5),
            "{s}"
        );
    }
}

#[test]
fn boamps_report_of_a_measured_run() {
    // the shipped nvidia-smi example: its trace is the measure, its idle energy a calibration
    // over the same duration; the node's parts counted over its nodes; the grid in gCO2eq/kWh
    let b = json(&[
        "assess",
        "scenarios/trace-nvidia-smi-example.yaml",
        "--format",
        "boamps",
    ]);
    let r = assess_json("scenarios/trace-nvidia-smi-example.yaml");
    let t = &r["energy"]["traces"][0];
    let m = &b["measures"][0];
    assert_eq!(m["measurementMethod"], "nvidia-smi");
    close(
        num(&m["powerConsumption"]),
        num(&t["total_energy_kwh"]["value"]),
        1e-12,
        "energy",
    );
    close(
        num(&m["powerCalibrationMeasurement"]),
        num(&t["total_energy_kwh"]["value"]) - num(&t["dynamic_energy_kwh"]["value"]),
        1e-12,
        "idle energy",
    );
    assert_eq!(
        m["durationCalibrationMeasurement"],
        m["measurementDuration"]
    );
    let gpus: Vec<&Value> = b["infrastructure"]["components"]
        .as_array()
        .expect("components")
        .iter()
        .filter(|c| c["componentType"] == "gpu")
        .collect();
    assert_eq!(gpus.len(), 1);
    assert_eq!(gpus[0]["nbComponent"], 8);
    assert_eq!(b["environment"]["country"], "France");
    close(
        num(&b["environment"]["powerSourceCarbonIntensity"]),
        num(&r["electricity"]["gwp_kgco2eq_per_kwh"]["value"]) * 1000.0,
        1e-12,
        "gCO2eq/kWh",
    );
    assert_eq!(b["task"]["measuredAccuracy"], 0.759);
    assert!(b.get("header").is_none());
}
