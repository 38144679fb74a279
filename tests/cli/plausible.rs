//! Plausibility warnings: valid inputs no data centre has are assessed with a warning that says
//! what was compared.

use crate::common::*;

fn warnings(text: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let p = write(dir.path(), "s.yaml", text);
    let v = assess_json(p.to_str().expect("UTF-8"));
    v["warnings"].to_string()
}

const NODE: &str = "functional_unit: {name: w}\ninfrastructure:\n  - {name: n, nodes: 1, bom: {gpus: [{model: NVIDIA A100 SXM4 80GB, units: 4}], cpus: [{model: AMD EPYC 7763, units: 2}]}}\nrun: {duration_h: 10}\n";

#[test]
fn a_4_gpu_node_drawing_31_9_kw_is_flagged() {
    let text = format!("{NODE}energy: {{declared_kwh: 319}}\nelectricity: {{country: FRA, pue: 1.2}}\nallocation: {{lifetime_years: 4, active_utilization_rate: 0.5}}\n");
    let w = warnings(&text);
    // 319 kWh / 10 h = 31.9 kW against 4 x 400 W + 2 x 280 W = 2160 W
    assert!(w.contains("the run's mean IT power, 31900 W (319 kWh over 10 h), is 14.77 times the TDP sum of the nodes' CPUs and GPUs (2160 W)"), "{w}");
    let ok = format!("{NODE}energy: {{declared_kwh: 30}}\nelectricity: {{country: FRA, pue: 1.2}}\nallocation: {{lifetime_years: 4, active_utilization_rate: 0.5}}\n");
    assert!(!warnings(&ok).contains("mean IT power"));
}

#[test]
fn a_pue_a_lifetime_and_a_device_power_no_data_centre_has() {
    let text = format!("{NODE}energy: {{declared_kwh: 30}}\nelectricity: {{country: FRA, pue: 3.2}}\nallocation: {{lifetime_years: 25, active_utilization_rate: 0.5}}\n");
    let w = warnings(&text);
    assert!(
        w.contains("a PUE of 3.2 is more than data centres report"),
        "{w}"
    );
    assert!(
        w.contains("a lifetime of 25 years is outside what data centres keep hardware"),
        "{w}"
    );
    let dev = "functional_unit: {name: w}\nenergy:\n  devices:\n    - {model: NVIDIA A100 SXM4 80GB, gpu_hours: 100, power_w: 3200}\nelectricity: {country: FRA, pue: 1.2}\nallocation: {lifetime_years: 4, active_utilization_rate: 0.5}\n";
    let w = warnings(dev);
    assert!(w.contains("energy.devices[0]: a mean power of 3200 W per device is 8 times the TDP of NVIDIA A100 SXM4 80GB (400 W)"), "{w}");
}

#[test]
fn an_energy_per_step_that_jumps_between_phases() {
    let text = format!("{NODE}energy:\n  extrapolated:\n    nodes: 1\n    phases:\n      - {{name: a, target_steps: 1000, fit: {{intercept_kwh: 0, slope_kwh_per_step: 0.001, source: t}}}}\n      - {{name: b, target_steps: 1000, fit: {{intercept_kwh: 0, slope_kwh_per_step: 0.05, source: t}}}}\nelectricity: {{country: FRA, pue: 1.2}}\nallocation: {{lifetime_years: 4, active_utilization_rate: 0.5}}\n");
    let w = warnings(&text);
    assert!(
        w.contains("the energy per step changes x50 from phase \\\"a\\\""),
        "{w}"
    );
}
