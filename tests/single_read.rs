//! `mlca assess --plot` reads each trace of the scenario once: the assessment, the power profile
//! and the energy per quality point come from one pass ([`mlca::energy::inputs::resolve`]); and
//! it reads the intensity series once, though the traces are read on its time bins.
//! A test binary of its own, so that no other test reads files in the same process while the
//! counters ([`mlca::energy::trace::reads`], [`mlca::electricity::intensity::reads`]) are watched;
//! its tests take turns ([`one_at_a_time`]).

#![allow(clippy::expect_used, clippy::unwrap_used)]

use clap::Parser;
use mlca::electricity::intensity;
use mlca::energy::trace;
use std::sync::{Mutex, MutexGuard};

/// Held by each test while it counts reads, so that the tests of this binary, run on threads,
/// do not count each other's.
fn one_at_a_time() -> MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::new(());
    TURN.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// `mlca assess FILE --format json --plot DIR`, run in this process; its JSON report.
fn assess_with_plots(scenario: &str, dir: &std::path::Path) -> String {
    let cli = mlca::cli::args::Cli::try_parse_from([
        "mlca",
        "assess",
        scenario,
        "--format",
        "json",
        "--plot",
        dir.to_str().expect("path"),
    ])
    .expect("arguments");
    mlca::cli::run(cli).expect("assess --plot")
}

/// The scenario `path`, which has one trace.
fn with_one_trace(path: &str) -> mlca::scenario::Loaded {
    let loaded = mlca::scenario::load(std::path::Path::new(path)).expect("scenario");
    assert_eq!(
        loaded.scenario.energy.traces.as_ref().map(Vec::len),
        Some(1)
    );
    loaded
}

#[test]
fn assess_with_plots_reads_each_trace_once() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("temp dir");
    let scenario = "scenarios/trace-nvidia-smi-example.yaml";
    let loaded = with_one_trace(scenario);
    let n_traces = 1;
    assert!(loaded.scenario.functional_unit.quality_log.is_some());

    // the command line's path: assessment, power profile and quality plots
    let before = trace::reads();
    let out = assess_with_plots(scenario, dir.path());
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
    let rep = mlca::assessment::assess_files(
        &loaded,
        &data,
        mlca::energy::Files::Resolved(&inputs),
        mlca::assessment::intensity::Given::ToRead,
    )
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

#[test]
fn assess_with_plots_reads_the_intensity_series_once() {
    let _turn = one_at_a_time();
    let dir = tempfile::tempdir().expect("temp dir");
    // a measured trace placed on a time-varying intensity: the trace is read on the series' bins
    let scenario = "tests/fixtures/intensity/trace-step.yaml";
    let loaded = with_one_trace(scenario);
    assert!(loaded.scenario.electricity.intensity.is_some());
    let n_traces = 1;

    let (series_before, traces_before) = (intensity::reads(), trace::reads());
    let out = assess_with_plots(scenario, dir.path());
    assert!(out.contains("\"energy_weighted_gco2eq_per_kwh\""), "{out}");
    assert!(dir.path().join("power.svg").exists());
    assert_eq!(
        intensity::reads() - series_before,
        1,
        "the series read once"
    );
    assert_eq!(
        trace::reads() - traces_before,
        n_traces,
        "each trace read once"
    );

    // the same report as an assessment that reads the series and the traces itself
    let data = mlca::data::ImpactData::load(None).expect("data");
    let alone = mlca::assessment::assess(&loaded, &data).expect("assess");
    let alone = mlca::output::render(&alone, mlca::output::Format::Json).expect("json");
    assert_eq!(out, alone);
}
