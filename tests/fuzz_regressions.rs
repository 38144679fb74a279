//! Regression tests for the inputs the fuzz targets (`fuzz/`) found: each file under
//! `fuzz/regressions/<target>/` is run through the same calls as its target, and must give a
//! result or an input error, never a panic or a non-finite figure. A test whose bug is not
//! fixed yet would be `#[ignore]`d with the reason; every one found so far is fixed and runs.

// Tests abort on the first failure: unwrap and expect are the point here.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use mlca::data::ImpactData;
use mlca::energy::extrapolate::{check_points, extrapolate, read_points, Method, Target};
use mlca::energy::trace::{read, read_log, training_log_window, LogValue, TraceOptions};
use mlca::quantity::time::{self, Stamp};
use mlca::scenario::{
    self, GapPolicy, GenericComponent, GenericSpec, InputFormat, Loaded, TimeFormat, ValueKind,
};
use std::path::{Path, PathBuf};

fn regression(target: &str, name: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target)
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn temp_file(bytes: &[u8]) -> tempfile::NamedTempFile {
    let f = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(f.path(), bytes).unwrap();
    f
}

/// The `scenario` target: parse, then assess with the embedded data.
fn run_scenario(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/fuzz.yaml");
    let Ok(scenario) = scenario::parse(text, &file) else {
        return;
    };
    let loaded = Loaded {
        scenario,
        file,
        text: text.to_string(),
    };
    let data = ImpactData::embedded().unwrap();
    let _ = mlca::assessment::assess(&loaded, &data);
}

/// The `time` target: what parses formats and parses back within a millisecond.
fn run_time(bytes: &[u8]) {
    let Some(st) = time::parse(bytes) else {
        return;
    };
    assert!(
        (0.0..1.0).contains(&st.frac),
        "fraction out of [0, 1): {st:?}"
    );
    let t = st.secs as f64 + st.frac;
    let text = time::format(t);
    let back = time::parse(text.as_bytes())
        .unwrap_or_else(|| panic!("{st:?} formats as {text:?}, which does not parse"));
    let d = (back.secs - st.secs) as f64 + (back.frac - st.frac);
    assert!(
        d.abs() <= 1e-3 + 1e-12 * t.abs(),
        "{st:?} -> {text:?} -> {back:?}"
    );
}

/// The `trace` target: byte 0 the format, byte 1 the options, the rest the file.
fn trace_options(format: Option<InputFormat>, sel: u8) -> TraceOptions {
    let base = 1_740_924_000;
    let at = |secs: i64, frac: f64| Stamp {
        secs: base + secs,
        frac,
    };
    let mut o = TraceOptions {
        format,
        threads: 1,
        ..TraceOptions::default()
    };
    if sel & 1 != 0 {
        o.start = Some(at(0, 0.5));
        o.end = Some(at(3, 0.0));
    }
    if sel & 2 != 0 {
        o.gap_threshold_s = Some(0.5);
        o.gap_policy =
            [GapPolicy::Interpolate, GapPolicy::Hold, GapPolicy::Missing][(sel >> 5) as usize % 3];
    }
    if sel & 4 != 0 {
        o.idle_power_w = Some(10.0);
    } else if sel & 8 != 0 {
        o.idle_start = Some(at(0, 0.0));
        o.idle_end = Some(at(1, 0.0));
    }
    if sel & 16 != 0 {
        o.checkpoints = Some(vec![at(0, 0.0), at(1, 0.5), at(2, 0.0)]);
        o.power_bins = Some(3);
    }
    if sel & 128 != 0 {
        o.columns = Some(vec![
            "timestamp".into(),
            "index".into(),
            "power.draw [W]".into(),
        ]);
        o.rapl_max_energy_range_uj = Some(262_143_328_850.0);
        o.metric = Some("wattmetre_power_watt".into());
    }
    if format == Some(InputFormat::Generic) {
        o.generic = Some(generic_spec(sel >> 1));
    }
    o
}

fn generic_spec(sel: u8) -> GenericSpec {
    let spec = |time: &str,
                tf,
                value: &str,
                unit: &str,
                kind,
                device: Option<&str>,
                component: &str,
                delimiter| GenericSpec {
        time_column: time.into(),
        time_format: tf,
        value_column: value.into(),
        unit: unit.into(),
        value_kind: kind,
        device_column: device.map(Into::into),
        component: <GenericComponent as mlca::choice::Choice>::from_name(component)
            .unwrap_or(GenericComponent::Other),
        delimiter,
    };
    match sel % 4 {
        0 => spec(
            "t_ms",
            TimeFormat::UnixMs,
            "p_mw",
            "mW",
            ValueKind::Power,
            Some("dev"),
            "gpu",
            Some(';'),
        ),
        1 => spec(
            "elapsed",
            TimeFormat::ElapsedS,
            "kwh",
            "kWh",
            ValueKind::Cumulative,
            None,
            "node",
            None,
        ),
        2 => spec(
            "time",
            TimeFormat::Iso8601,
            "wh",
            "Wh",
            ValueKind::Interval,
            None,
            "node",
            None,
        ),
        _ => spec(
            "t",
            [TimeFormat::UnixS, TimeFormat::UnixUs, TimeFormat::UnixNs][sel as usize / 4 % 3],
            "t",
            "uJ",
            ValueKind::Cumulative,
            Some("t"),
            "other",
            Some('\t'),
        ),
    }
}

fn run_trace(bytes: &[u8]) {
    if bytes.len() < 2 {
        return;
    }
    let formats = [
        None,
        Some(InputFormat::NvidiaSmi),
        Some(InputFormat::Rapl),
        Some(InputFormat::Alumet),
        Some(InputFormat::Codecarbon),
        Some(InputFormat::JetsonStats),
        Some(InputFormat::Kwollect),
        Some(InputFormat::Generic),
    ];
    let opts = trace_options(formats[(bytes[0] % 8) as usize], bytes[1]);
    let f = temp_file(&bytes[2..]);
    let Ok(s) = read(f.path(), &opts) else {
        return;
    };
    let mut figures = vec![
        s.energy_kwh.value,
        s.energy_kwh.min,
        s.energy_kwh.max,
        s.duration_s,
    ];
    for d in &s.devices {
        figures.extend([
            d.energy_kwh.value,
            d.energy_kwh.min,
            d.energy_kwh.max,
            d.mean_power_w,
            d.max_power_w,
            d.duration_s,
        ]);
        figures.extend(d.dynamic_energy_kwh.map(|e| e.value));
        figures.extend(d.bins_j.iter().chain(&d.power_bins_j));
    }
    figures.extend(s.dynamic_energy_kwh.map(|e| e.value));
    assert!(
        figures.iter().all(|x| x.is_finite()),
        "non-finite figure in {s:?}"
    );
}

/// The `points` target: byte 0 the extrapolation target, the rest the points CSV.
fn run_points(bytes: &[u8]) {
    let Some((&sel, body)) = bytes.split_first() else {
        return;
    };
    let f = temp_file(body);
    let Ok(pts) = read_points(f.path()) else {
        return;
    };
    assert!(pts
        .iter()
        .all(|p| p.steps.is_finite() && p.energy_kwh.is_finite()));
    if check_points(f.path(), &pts).is_err() {
        return;
    }
    let target = Target {
        steps: [1e6, 0.0, 1.0, 1e300][(sel & 3) as usize],
        nodes: 1 + u32::from(sel >> 6),
        parallel_efficiency: 0.9,
        level: 0.95,
        method: [Method::Ols, Method::PerWindow, Method::Carbontracker][(sel >> 2) as usize % 3],
        min_r2: 0.0,
    };
    if let Ok(x) = extrapolate("fuzz", &pts, &target) {
        let s = format!("{x:?}");
        assert!(
            !s.contains("NaN") && !s.contains("inf"),
            "non-finite extrapolation: {s}"
        );
    }
}

/// The `training_log` target: byte 0 the mode, the rest the log.
fn run_training_log(bytes: &[u8]) {
    let Some((&mode, body)) = bytes.split_first() else {
        return;
    };
    let f = temp_file(body);
    let p = f.path();
    let rows = match mode % 4 {
        0 => read_log(p, "the training log", LogValue::Steps),
        1 => read_log(p, "the training log", LogValue::Time),
        2 => read_log(p, "the quality log", LogValue::Column("accuracy")),
        _ => {
            let _ = training_log_window(p);
            return;
        }
    };
    if let Ok(rows) = rows {
        assert!(rows
            .iter()
            .all(|r| r.value.is_finite() && r.t.frac.is_finite()));
    }
}

/// The `impact_data` target: byte 0 picks the data file the rest replaces.
fn run_impact_data(bytes: &[u8]) {
    let Some((&sel, body)) = bytes.split_first() else {
        return;
    };
    let names: Vec<&str> = ImpactData::file_names().collect();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(names[sel as usize % names.len()]), body).unwrap();
    if let Ok(d) = ImpactData::load(Some(dir.path())) {
        let _ = d.find_gpu("A100");
        let _ = d.find_cpu("EPYC");
        let _ = d.find_node("apollo");
        let _ = d.find_mix("FRA");
    }
}

/// A target's calls on one input.
type Runner = fn(&[u8]);

/// Every committed seed of every target passes its target's checks.
#[test]
fn the_seed_corpus_passes() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    let run: [(&str, Runner); 6] = [
        ("scenario", run_scenario),
        ("trace", run_trace),
        ("points", run_points),
        ("training_log", run_training_log),
        ("time", run_time),
        ("impact_data", run_impact_data),
    ];
    for (target, f) in run {
        let mut n = 0;
        for e in std::fs::read_dir(seeds.join(target)).unwrap() {
            let p = e.unwrap().path();
            f(&std::fs::read(&p).unwrap());
            n += 1;
        }
        assert!(n > 0, "no seeds for {target}");
    }
}

// --- time: the parser accepts what `format` cannot write back (found by the `time` target) ---

#[test]
fn time_far_future_seconds_round_trip() {
    run_time(&regression("time", "unix-1e12-year-33658"));
}

#[test]
fn time_far_past_seconds_round_trip() {
    run_time(&regression("time", "unix-minus-1e12-negative-year"));
}

#[test]
fn time_fraction_stays_below_one() {
    run_time(&regression("time", "fraction-rounds-to-one"));
}

#[test]
fn time_end_of_year_9999_round_trips() {
    run_time(&regression("time", "end-of-9999-rounds-to-10000"));
}

#[test]
fn time_fuzzer_negative_year_round_trips() {
    run_time(&regression(
        "time",
        "fuzzer-negative-seconds-year-minus-4438",
    ));
}

#[test]
fn time_fuzzer_leap_second_of_9999_round_trips() {
    run_time(&regression("time", "fuzzer-year-10000"));
}

// --- points / scenario: a huge extrapolation target overflows the prediction interval ---

/// No `inf` or `NaN` figure in a value's debug text (words such as "infrastructure" are not
/// figures).
fn assert_finite_debug(what: &str, text: &str) {
    let bad = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .find(|w| *w == "inf" || *w == "NaN");
    assert!(bad.is_none(), "non-finite figure ({bad:?}) in {what}");
}

#[test]
fn points_huge_target_gives_finite_interval() {
    run_points(&regression(
        "points",
        "ols-target-1e300-steps-infinite-interval",
    ));
}

#[test]
fn scenario_huge_target_steps_is_an_input_error_or_finite() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions/scenario/extrapolate-target-steps-1e300.yaml");
    let loaded = scenario::load(&file).unwrap();
    let data = ImpactData::embedded().unwrap();
    match mlca::assessment::assess(&loaded, &data) {
        Ok(report) => assert_finite_debug("the report", &format!("{report:?}")),
        Err(e) => assert!(matches!(e, mlca::error::Error::Input(_)), "{e}"),
    }
}
