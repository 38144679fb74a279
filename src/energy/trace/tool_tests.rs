//! Tests of the readers of tools whose files are not in `shared/real-files` (Scaphandre,
//! PowerJoular, perf, DCGM, BoAmps): each fixture of `tests/fixtures/<tool>/` read through
//! [`super::read`] and its energy checked against the hand computation of the fixture's
//! README (J -> kWh / 3.6e6), and each layout the tools write.

use super::*;
use crate::quantity::units::J_PER_KWH;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

fn opts() -> TraceOptions {
    TraceOptions {
        threads: 1,
        ..TraceOptions::default()
    }
}

fn read_ok(path: &Path, o: &TraceOptions) -> TraceSummary {
    read(path, o).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn text_file(text: &str) -> tempfile::NamedTempFile {
    let f = tempfile::NamedTempFile::new().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(f.path(), text).unwrap_or_else(|e| panic!("{e}"));
    f
}

fn kwh(j: f64) -> f64 {
    j / J_PER_KWH
}

/// Equal within 1e-9 relative (sums of a few products of decimals).
fn close(a: f64, b: f64) {
    assert!((a - b).abs() <= 1e-9 * b.abs().max(1e-12), "{a} != {b}");
}

fn component(s: &TraceSummary, c: TraceComponent) -> f64 {
    s.by_component.get(&c).map_or(f64::NAN, |i| i.value)
}

fn device<'s>(s: &'s TraceSummary, name: &str) -> &'s DeviceSummary {
    s.devices
        .iter()
        .find(|d| d.device == name)
        .unwrap_or_else(|| panic!("no device {name} in {:?}", s.devices))
}

#[test]
fn scaphandre_power_times_interval_per_socket() {
    // reports at 2.0, 4.0, 6.5, 8.5 s; each power is the mean since the previous report:
    // socket 0 package 50 x 2 + 46 x 2.5 + 44 x 2 = 303 J; its dram 10 x 2 + 9 x 2.5 + 9 x 2
    // = 60.5 J; socket 1 package 34 x 2 + 32 x 2.5 + 36 x 2 = 220 J; its dram 6 x 2 + 7 x 2.5
    // + 5 x 2 = 39.5 J; total 623 J. The host (their sum) and core/uncore are not added.
    let s = read_ok(&fixture("scaphandre/report.json"), &opts());
    assert_eq!(s.format, InputFormat::Scaphandre);
    assert_eq!(s.rows, 5);
    close(device(&s, "socket 0").energy_kwh.value, kwh(303.0));
    close(device(&s, "socket 0 dram").energy_kwh.value, kwh(60.5));
    close(device(&s, "socket 1").energy_kwh.value, kwh(220.0));
    close(device(&s, "socket 1 dram").energy_kwh.value, kwh(39.5));
    close(component(&s, TraceComponent::Cpu), kwh(523.0));
    close(component(&s, TraceComponent::Dram), kwh(100.0));
    close(s.energy_kwh.value, kwh(623.0));
    let host = device(&s, "host");
    assert!(!host.included);
    close(host.energy_kwh.value, kwh(623.0));
    assert!(!device(&s, "socket 0 core").included);
    close(s.duration_s, 6.5);
    // the report written before the second RAPL reading is skipped, and said
    assert!(s
        .assumptions
        .iter()
        .any(|a| a.starts_with("1 row(s) skipped: reports without a measurement")));
}

#[test]
fn scaphandre_reads_each_layout_it_wrote() {
    // 1.0.0: reports one after the other; 0.5 on stdout: one per line. Host only: 10 W then
    // 20 W two seconds later: 20 x 2 = 40 J, counted (no sockets).
    let r = |t: f64, uw: f64| {
        format!("{{\"host\":{{\"consumption\":{uw},\"timestamp\":{t}}},\"consumers\":[],\"sockets\":[]}}")
    };
    for sep in ["", "\n"] {
        let f = text_file(&format!("{}{sep}{}{sep}", r(100.0, 10e6), r(102.0, 20e6)));
        let s = read_ok(f.path(), &opts());
        assert_eq!(s.format, InputFormat::Scaphandre);
        close(s.energy_kwh.value, kwh(40.0));
        assert!(device(&s, "host").included);
        assert_eq!(
            s.by_component.keys().collect::<Vec<_>>(),
            [&TraceComponent::Node]
        );
    }
}

#[test]
fn perf_intervals_from_zero() {
    // perf stat -I 1000 -x, -o: each value is the energy of the interval ending at its time, the
    // first interval from 0 (perf's start): pkg 19.63 + 24.41 + 27.70 + 14.02 = 85.76 J, ram
    // 3.05 + 3.52 + 3.90 + 1.61 = 12.08 J; total 97.84 J over 3.504397295 s; cores (inside the
    // package: 11.20 + 15.10 + 18.00 + 9.05 = 53.35 J) shown, not added.
    let s = read_ok(&fixture("perf/energy-pkg-ram.csv"), &opts());
    assert_eq!(s.format, InputFormat::Perf);
    close(component(&s, TraceComponent::Cpu), kwh(85.76));
    close(component(&s, TraceComponent::Dram), kwh(12.08));
    close(s.energy_kwh.value, kwh(97.84));
    close(s.duration_s, 3.504397295);
    let cores = device(&s, "power/energy-cores/");
    assert!(!cores.included);
    close(cores.energy_kwh.value, kwh(53.35));
    // the last, shorter interval: 14.02 J in 0.500739616 s
    close(
        device(&s, "power/energy-pkg/").max_power_w,
        14.02 / (3.504397295 - 3.003657679),
    );
}

#[test]
fn perf_per_socket_rows() {
    // --per-socket: `time,S0,1,value,...`: S0 10.50 + 12.00 = 22.50 J, S1 9.25 + 11.75 = 21.00 J
    let s = read_ok(&fixture("perf/per-socket.csv"), &opts());
    close(
        device(&s, "power/energy-pkg/ S0").energy_kwh.value,
        kwh(22.5),
    );
    close(
        device(&s, "power/energy-pkg/ S1").energy_kwh.value,
        kwh(21.0),
    );
    close(s.energy_kwh.value, kwh(43.5));
}

#[test]
fn perf_without_the_power_pmu_names_its_events() {
    // written by perf 6.1 on this machine, which has no RAPL `power` PMU
    let path = fixture("perf/real-no-rapl.csv");
    let e = read(&path, &opts())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        e.contains("no power/energy-* event") && e.contains("task-clock, context-switches"),
        "{e}"
    );
}

#[test]
fn powerjoular_cpu_and_gpu_by_trapezoids() {
    // rows at 0, 1, 2, 4, 5 s (a 2 s step where PowerJoular's cycle drifted past a second):
    // CPU (35.5 + 40) / 2 + (40 + 42.5) / 2 + (42.5 + 41) / 2 x 2 + (41 + 39) / 2 = 202.5 J;
    // GPU (60 + 150) / 2 + (150 + 180) / 2 + (180 + 170) / 2 x 2 + (170 + 90) / 2 = 750 J;
    // total 952.5 J; the Total Power column (their sum) is shown, not added
    let s = read_ok(&fixture("powerjoular/power.csv"), &opts());
    assert_eq!(s.format, InputFormat::PowerJoular);
    close(component(&s, TraceComponent::Cpu), kwh(202.5));
    close(component(&s, TraceComponent::Gpu), kwh(750.0));
    close(s.energy_kwh.value, kwh(952.5));
    let total = device(&s, "Total Power");
    assert!(!total.included);
    close(total.energy_kwh.value, kwh(952.5));
    close(s.duration_s, 5.0);
}

#[test]
fn powerjoular_process_file_with_millisecond_counts() {
    // -c times are unpadded and count milliseconds: 5.12 is 5.012 s, 6.25 is 6.025 s, 7.31 is
    // 7.031 s, 8.105 is 8.105 s; (4.2 + 4.8) / 2 x 1.013 + (4.8 + 5.0) / 2 x 1.006
    // + (5.0 + 4.6) / 2 x 1.074 = 14.6431 J (read as decimals, 5.12 -> 6.25 would be 1.13 s)
    let s = read_ok(&fixture("powerjoular/power.csv-4242.csv"), &opts());
    assert_eq!(s.format, InputFormat::PowerJoular);
    close(s.energy_kwh.value, kwh(14.6431));
    close(s.duration_s, 3.093);
    assert!(s.assumptions.iter().any(|a| a.contains("attribution")));
}

#[test]
fn powerjoular_without_gpu_reads_no_gpu() {
    // GPU Power 0 is PowerJoular's "no NVIDIA GPU": not a GPU at 0 W (which would hide, in an
    // assessment, that the GPUs were not measured). CPU 10 W for 2 s: 20 J.
    let f = text_file(
        "Date,CPU Utilization,Total Power,CPU Power,GPU Power\n\
         2025-03-02 14:00:00,0.1,10.0,10.0,0.0\n\
         2025-03-02 14:00:02,0.1,10.0,10.0,0.0\n",
    );
    let s = read_ok(f.path(), &opts());
    close(s.energy_kwh.value, kwh(20.0));
    assert!(!s.by_component.contains_key(&TraceComponent::Gpu));
    assert!(s.assumptions.iter().any(|a| a.contains("GPU Power 0 W")));
}

fn every(d: f64) -> TraceOptions {
    TraceOptions {
        sample_interval_s: Some(d),
        ..opts()
    }
}

#[test]
fn dcgm_energy_from_the_totec_counter() {
    // dcgmi dmon -e 155,156 -d 1000, 16 samples of 2 GPUs (the header repeated before the
    // 16th): TOTEC differences, GPU 0 (127028039 - 123456789) mJ = 3571.25 J, GPU 1
    // (102259982 - 98765432) mJ = 3494.55 J, total 7065.80 J over 15 x 1 s; POWER shown, not
    // added
    let s = read_ok(&fixture("dcgm/dmon-power-totec.txt"), &every(1.0));
    assert_eq!(s.format, InputFormat::DcgmDmon);
    assert_eq!(s.rows, 32);
    close(device(&s, "GPU 0 TOTEC").energy_kwh.value, kwh(3571.25));
    close(device(&s, "GPU 1 TOTEC").energy_kwh.value, kwh(3494.55));
    close(s.energy_kwh.value, kwh(7065.8));
    assert!(!device(&s, "GPU 0 POWER").included);
    close(s.duration_s, 15.0);
}

#[test]
fn dcgm_power_only_at_the_given_period() {
    // dcgmi dmon -e 155 -d 500, stopped by Ctrl-C: 100, 300, 300, 200, 200 W at 0, 0.5, ..., 2 s:
    // (100 + 300) / 2 x 0.5 + (300 + 300) / 2 x 0.5 + (300 + 200) / 2 x 0.5 + (200 + 200) / 2 x 0.5
    // = 100 + 150 + 125 + 100 = 475 J
    let s = read_ok(&fixture("dcgm/dmon-power-only.txt"), &every(0.5));
    close(s.energy_kwh.value, kwh(475.0));
    close(s.duration_s, 2.0);
    // the period is the user's: without it, an error
    let e = read(&fixture("dcgm/dmon-power-only.txt"), &opts())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(e.contains("writes no times"), "{e}");
}

#[test]
fn a_sequential_format_is_read_in_one_pass() {
    // Scaphandre and dcgmi dmon, with power bins over the file's span (which need the last
    // time before the first sample is integrated): one pass over the file, the same figures
    for (file, o) in [
        ("scaphandre/report.json", opts()),
        ("dcgm/dmon-power-totec.txt", every(1.0)),
        ("dcgm/dmon-power-only.txt", every(0.5)),
    ] {
        let binned = TraceOptions {
            power_bins: Some(7),
            ..o.clone()
        };
        for o in [o, binned] {
            let before = series::passes();
            let s = read_ok(&fixture(file), &o);
            assert_eq!(series::passes() - before, 1, "{file}");
            assert!(s.energy_kwh.value > 0.0, "{file}");
            if o.power_bins.is_some() {
                let bins: f64 = s
                    .devices
                    .iter()
                    .filter(|d| d.included)
                    .map(|d| d.power_bins_j.iter().sum::<f64>())
                    .sum();
                assert_eq!(
                    s.devices.iter().map(|d| d.power_bins_j.len()).max(),
                    Some(7),
                    "{file}"
                );
                close(kwh(bins), s.energy_kwh.value);
            }
        }
    }
}

#[test]
fn boamps_example_of_boavizta() {
    // BoAmps' own example (examples/energy-report-llm-inference.json): one CodeCarbon measure of
    // 0.00267074 kWh over 19.09390426 s
    let s = read_ok(
        &fixture("boamps/boavizta-example-llm-inference.json"),
        &opts(),
    );
    assert_eq!(s.format, InputFormat::Boamps);
    close(s.energy_kwh.value, 0.00267074);
    close(s.energy_kwh.min, 0.00267074);
    close(s.duration_s, 19.09390426);
    close(component(&s, TraceComponent::Node), 0.00267074);
    assert!(s.dynamic_energy_kwh.is_none());
    // its CPU count is CodeCarbon's logical CPUs: said
    assert!(s.warnings.iter().any(|w| w.contains("30 CPUs")));
}

#[test]
fn boamps_measures_of_one_task_are_a_range_not_a_sum() {
    // two measures of the same task: CodeCarbon 1.2 kWh, a wattmeter 1.5 kWh, 3600 s each:
    // the energy is their mean 1.35 kWh within [1.2, 1.5]. Calibrations: 0.05 kWh over 600 s
    // is 0.05 x 3.6e6 / 600 = 300 W, so 1.2 - 300 x 3600 / 3.6e6 = 0.9 kWh dynamic; 0.07 kWh
    // over 600 s is 420 W, 1.5 - 0.42 = 1.08 kWh; dynamic 0.99 within [0.9, 1.08]
    let s = read_ok(&fixture("boamps/two-measures.json"), &opts());
    close(s.energy_kwh.value, 1.35);
    close(s.energy_kwh.min, 1.2);
    close(s.energy_kwh.max, 1.5);
    let d = s.dynamic_energy_kwh.unwrap_or(Interval::ZERO);
    close(d.value, 0.99);
    close(d.min, 0.9);
    close(d.max, 1.08);
    close(s.devices[0].idle_power_w.unwrap_or(f64::NAN), 300.0);
    assert!(s.devices.iter().all(|d| !d.included));
    close(s.duration_s, 3600.0);
}

#[test]
fn boamps_1_0_unit_is_converted() {
    // BoAmps 1.0 measures carry a unit: 2.5 Wh is 0.0025 kWh
    let s = read_ok(&fixture("boamps/boamps-1.0-unit-wh.json"), &opts());
    close(s.energy_kwh.value, 0.0025);
    // a FLOPS count is not energy
    let f = text_file(
        r#"{"task": {}, "measures": [{"measurementMethod": "flops-compute", "unit": "teraFLOPS", "powerConsumption": 12}], "infrastructure": {"infraType": "other", "components": []}}"#,
    );
    let e = read(f.path(), &opts())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        e.contains("measures[0]: unit \"teraFLOPS\" is not a unit of energy"),
        "{e}"
    );
}

#[test]
fn boamps_hardware_maps_to_the_catalog() {
    let data = crate::data::ImpactData::load(None).unwrap_or_else(|e| panic!("{e}"));
    let parts =
        boamps::hardware(&fixture("boamps/two-measures.json")).unwrap_or_else(|e| panic!("{e}"));
    let m = boamps::catalog_matches(&parts, &data);
    use crate::data::component::ComponentKind as K;
    use boamps::CatalogMatch as M;
    assert_eq!(
        m[0],
        M::Model {
            kind: K::Gpu,
            model: "NVIDIA A100 SXM4 80GB".into(),
            units: 8
        }
    );
    // /proc/cpuinfo's brand string, found without its marks
    assert_eq!(
        m[1],
        M::Model {
            kind: K::Cpu,
            model: "AMD EPYC 7763".into(),
            units: 2
        }
    );
    assert_eq!(
        m[2],
        M::Capacity {
            kind: K::Ram,
            capacity_gb: 32.0,
            units: 32
        }
    );
    assert_eq!(
        m[3],
        M::Capacity {
            kind: K::Ssd,
            capacity_gb: 1920.0,
            units: 2
        }
    );
    assert!(matches!(&m[4], M::Ignored { why, .. } if why.contains("\"network\"")));
}

#[test]
fn json_reports_are_told_apart() {
    use formats::detect_json;
    // Scaphandre's reports begin with the host, whatever the layout or the indentation
    let scaph = br#"[{"host":{"consumption":1.0,"timestamp":1.0},"consumers":[],"sockets":[]}]"#;
    assert_eq!(detect_json(scaph), Some(InputFormat::Scaphandre));
    let pretty = b"\xef\xbb\xbf\n{\n  \"host\": {\n    \"consumption\": 1.0";
    assert_eq!(detect_json(pretty), Some(InputFormat::Scaphandre));
    // a BoAmps report mentioning a host's consumption is still BoAmps
    let boamps = br#"{"task": {"taskDescription": "the \"host\" \"consumption\""}, "measures": [{"measurementMethod": "x", "powerConsumption": 1}]}"#;
    assert_eq!(detect_json(boamps), Some(InputFormat::Boamps));
    assert_eq!(
        detect_json(br#"{"infrastructure": {"components": []}}"#),
        Some(InputFormat::Boamps)
    );
    // other JSON, and CSV, are not reports
    assert_eq!(detect_json(br#"{"measures": [1, 2]}"#), None);
    assert_eq!(detect_json(b"timestamp,index,power.draw [W]\n"), None);
    // white space, a byte-order mark or a vertical tab before the JSON are passed over; a
    // no-break space too (Unicode white space), as a text reading of the prefix does
    for lead in ["  \n", "\u{feff}", "\u{b}", "\u{a0}", "\u{feff}\t"] {
        let json = format!("{lead}{{\"host\": \"h\"}}");
        assert_eq!(
            detect_json(json.as_bytes()),
            Some(InputFormat::Scaphandre),
            "{lead:?}"
        );
    }
    assert_eq!(detect_json(b"# a comment\n{\"host\": 1}"), None);
    assert_eq!(detect_json(b""), None);
}
