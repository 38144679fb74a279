//! `mlca assess --plot` reads each trace of the scenario once: the assessment, the power profile
//! and the energy per quality point come from one pass ([`mlca::energy::inputs::resolve`]).
//! A test binary of its own, so that no other test reads traces in the same process while the
//! counter ([`mlca::energy::trace::reads`]) is watched.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use clap::Parser;
use mlca::energy::trace;

#[test]
fn assess_with_plots_reads_each_trace_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = "scenarios/trace-nvidia-smi-example.yaml";
    let loaded = mlca::scenario::load(std::path::Path::new(scenario)).expect("scenario");
    let n_traces = loaded.scenario.energy.traces.as_ref().map_or(0, Vec::len);
    assert_eq!(n_traces, 1);
    assert!(loaded.scenario.functional_unit.quality_log.is_some());

    // the command line's path: assessment, power profile and quality plots
    let before = trace::reads();
    let cli = mlca::cli::args::Cli::try_parse_from([
        "mlca",
        "assess",
        scenario,
        "--format",
        "json",
        "--plot",
        dir.path().to_str().expect("path"),
    ])
    .expect("arguments");
    let out = mlca::cli::run(cli).expect("assess --plot");
    assert!(out.contains("\"energy_kwh\""));
    for f in ["power.svg", "quality.svg", "power.png", "quality.png"] {
        assert!(dir.path().join(f).exists(), "{f}");
    }
    assert_eq!(trace::reads() - before, n_traces, "each trace read once");

    // the library's path: one resolve serves the assessment and both series
    let before = trace::reads();
    let needs = mlca::energy::inputs::Needs {
        power_bins: Some(400),
        quality: true,
        progress: None,
        time_bins: None,
    };
    let inputs = mlca::energy::inputs::resolve(&loaded, &needs).expect("resolve");
    let data = mlca::data::ImpactData::load(None).expect("data");
    let rep =
        mlca::assessment::assess_files(&loaded, &data, mlca::energy::Files::Resolved(&inputs))
            .expect("assess");
    assert_eq!(trace::reads() - before, n_traces);
    // the same energy as an assessment that reads the files itself
    let alone = mlca::assessment::assess(&loaded, &data).expect("assess");
    assert_eq!(rep.energy_kwh.value, alone.energy_kwh.value);
    let power = inputs.power.as_ref().expect("power");
    assert_eq!(power[0].points.len(), 400);
    let quality = inputs.quality.as_ref().expect("quality");
    assert!(quality.points.windows(2).all(|w| w[1].1 >= w[0].1));
}
