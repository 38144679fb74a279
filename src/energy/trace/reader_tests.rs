//! Reader-level tests: one small input per format, read through [`super::read`] (or the
//! CodeCarbon reader) and its energy checked against a hand computation (J -> kWh / 3.6e6).
//! Power is integrated by trapezoids, E = sum (P_i + P_{i+1}) / 2 x dt; counters by differences
//! (unwrapped at their range); deltas by their sum after the first row.

use super::*;
use crate::quantity::units::J_PER_KWH;
use crate::scenario::{TimeFormat, ValueKind};

fn file(text: &str) -> tempfile::NamedTempFile {
    let f = tempfile::NamedTempFile::new().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(f.path(), text).unwrap_or_else(|e| panic!("{e}"));
    f
}

fn read_text(text: &str, opts: &TraceOptions) -> TraceSummary {
    let f = file(text);
    read(f.path(), opts).unwrap_or_else(|e| panic!("{e}"))
}

fn opts(format: Option<InputFormat>) -> TraceOptions {
    TraceOptions {
        format,
        threads: 1,
        ..TraceOptions::default()
    }
}

fn kwh(j: f64) -> f64 {
    j / J_PER_KWH
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() <= 1e-12 * b.abs().max(1e-9), "{a} != {b}");
}

fn component(s: &TraceSummary, c: &str) -> f64 {
    s.by_component
        .iter()
        .find(|(k, _)| k.key() == c)
        .map_or(f64::NAN, |(_, i)| i.value)
}

#[test]
fn nvidia_smi_trapezoids_per_gpu() {
    // GPU 0: 100 W -> 200 W over 1 s, then 200 W for 2 s: 150 + 400 = 550 J
    // GPU 1: 50 W constant over 3 s: 150 J
    let s = read_text(
        "timestamp, index, power.draw [W]\n\
         2025/03/02 14:00:00.000, 0, 100.00 W\n\
         2025/03/02 14:00:00.000, 1, 50.00 W\n\
         2025/03/02 14:00:01.000, 0, 200.00 W\n\
         2025/03/02 14:00:01.000, 1, 50.00 W\n\
         2025/03/02 14:00:03.000, 0, 200.00 W\n\
         2025/03/02 14:00:03.000, 1, 50.00 W\n",
        &opts(None),
    );
    assert_eq!(s.format, InputFormat::NvidiaSmi);
    assert_eq!(s.devices.len(), 2);
    close(s.energy_kwh.value, kwh(700.0));
    close(component(&s, "gpu"), kwh(700.0));
    close(s.devices[0].energy_kwh.value, kwh(550.0));
    close(s.devices[0].max_power_w, 200.0);
    close(s.duration_s, 3.0);
}

#[test]
fn nvidia_smi_headerless() {
    // noheader: timestamp, index, power.draw; 100 W for 10 s = 1000 J
    let s = read_text(
        "2025/03/02 14:00:00.000, 0, 100.00 W\n2025/03/02 14:00:10.000, 0, 100.00 W\n",
        &opts(None),
    );
    close(s.energy_kwh.value, kwh(1000.0));
}

#[test]
fn rapl_counter_differences_and_wrap() {
    // package-0: 1e6 -> 51e6 -> 101e6 uJ: 100 J; dram: range 1e9 uJ, 999e6 -> 9e6 wraps: 10 J
    let s = read_text(
        "timestamp_s,zone,energy_uj,max_energy_range_uj\n\
         1740924000,package-0,1000000,262143328850\n\
         1740924000,dram,999000000,1000000000\n\
         1740924001,package-0,51000000,262143328850\n\
         1740924001,dram,9000000,1000000000\n\
         1740924002,package-0,101000000,262143328850\n",
        &opts(None),
    );
    assert_eq!(s.format, InputFormat::Rapl);
    close(component(&s, "cpu"), kwh(100.0));
    close(component(&s, "dram"), kwh(10.0));
    close(s.energy_kwh.value, kwh(110.0));
    assert!(s.assumptions.iter().any(|a| a.contains("wrapped")));
}

#[test]
fn alumet_deltas_and_totals_left_out() {
    // energy deltas of the package, each the energy since the point before (the first one's
    // over the series' period, 1 s): 60 + 62 + 64 = 186 J; the package_total rows would count
    // it twice and are left out
    let s = read_text(
        "metric;timestamp;value;resource_kind;resource_id;consumer_kind;consumer_id;domain;__late_attributes\n\
         rapl_consumed_energy_J;2025-03-02T14:00:01.000000000Z;60;cpu_package;0;local_machine;;package;\n\
         rapl_consumed_energy_J;2025-03-02T14:00:01.000000000Z;60;local_machine;;local_machine;;package_total;\n\
         rapl_consumed_energy_J;2025-03-02T14:00:02.000000000Z;62;cpu_package;0;local_machine;;package;\n\
         rapl_consumed_energy_J;2025-03-02T14:00:02.000000000Z;62;local_machine;;local_machine;;package_total;\n\
         rapl_consumed_energy_J;2025-03-02T14:00:03.000000000Z;64;cpu_package;0;local_machine;;package;\n\
         rapl_consumed_energy_J;2025-03-02T14:00:03.000000000Z;64;local_machine;;local_machine;;package_total;\n",
        &opts(None),
    );
    assert_eq!(s.format, InputFormat::Alumet);
    close(s.energy_kwh.value, kwh(186.0));
    close(s.duration_s, 3.0);
    assert!(s.devices.iter().any(|d| !d.included));
}

/// Alumet rows `estimated_consumed_energy_J` of `resource_kind;resource_id` and a `cpu_state`,
/// `value` J every second from 14:00:01 for `n` seconds.
fn estimate(kind_id: &str, state: &str, value: f64, n: u32) -> String {
    (1..=n)
        .map(|k| {
            format!("estimated_consumed_energy_J;2025-03-02T14:00:{k:02}.000000000Z;{value};{kind_id};local_machine;;;cpu_state={state}\n")
        })
        .collect()
}

const ALUMET_HEAD: &str = "metric;timestamp;value;resource_kind;resource_id;consumer_kind;consumer_id;domain;__late_attributes\n";

#[test]
fn alumet_estimates_counted_once_without_idle_and_labelled() {
    // local_machine: user 10 J and system 5 J every second for 3 s, idle 50 J; the cores' rows
    // add up to the machine's and are left out: (10 + 5) x 3 = 45 J, every row counted
    let text = format!(
        "{ALUMET_HEAD}{}{}{}{}",
        estimate("local_machine;", "user", 10.0, 3),
        estimate("local_machine;", "system", 5.0, 3),
        estimate("local_machine;", "idle", 50.0, 3),
        estimate("cpu_core;0", "user", 10.0, 3),
    );
    let s = read_text(&text, &opts(None));
    close(s.energy_kwh.value, kwh(45.0));
    close(
        s.estimated_energy_kwh.map_or(f64::NAN, |e| e.value),
        kwh(45.0),
    );
    let counted: Vec<&str> = s
        .devices
        .iter()
        .filter(|d| d.included)
        .map(|d| d.device.as_str())
        .collect();
    assert_eq!(
        counted,
        [
            "estimated_consumed_energy_J local_machine cpu_state=user",
            "estimated_consumed_energy_J local_machine cpu_state=system"
        ]
    );
    assert!(s.devices.iter().all(|d| d.estimated));
    let notes = s.assumptions.join("\n");
    assert!(
        notes.contains("resource local_machine, cpu_state user, system")
            && notes.contains("idle left out"),
        "{notes}"
    );
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

#[test]
fn alumet_measured_cpu_energy_is_kept_over_its_estimate() {
    // RAPL measures the package, 20 J a second for 3 s: 60 J; the estimate of the same CPU
    // (30 J a second) is left out and said
    let rapl: String = (1..=3)
        .map(|k| format!("rapl_consumed_energy_J;2025-03-02T14:00:{k:02}.000000000Z;20;cpu_package;0;local_machine;;package;\n"))
        .collect();
    let text = format!(
        "{ALUMET_HEAD}{rapl}{}",
        estimate("local_machine;", "user", 30.0, 3)
    );
    let s = read_text(&text, &opts(None));
    close(s.energy_kwh.value, kwh(60.0));
    assert!(s.estimated_energy_kwh.is_none());
    let est = s
        .devices
        .iter()
        .find(|d| d.estimated)
        .expect("the estimate is listed");
    assert!(!est.included);
    assert!(
        est.excluded_because
            .as_deref()
            .is_some_and(|w| w.contains("rapl_consumed_energy_J")),
        "{est:?}"
    );
}

#[test]
fn alumet_600_deltas_of_60_j_are_0_01_kwh() {
    let rows: String = (0..600)
        .map(|k| {
            format!(
                "rapl_consumed_energy_J;{};60;cpu_package;0;local_machine;;package;\n",
                crate::quantity::time::format(1_740_924_000.0 + f64::from(k))
            )
        })
        .collect();
    let s = read_text(&format!("{ALUMET_HEAD}{rows}"), &opts(None));
    assert_eq!(s.energy_kwh.value, 0.01);
    close(s.duration_s, 600.0);
}

#[test]
fn codecarbon_longest_row_divided_by_pue() {
    // the run's longest row: cpu 0.0048, gpu 0.0144, ram 0.0048 kWh at PUE 1.2 -> 0.02 kWh of IT
    let text = "timestamp,run_id,duration,emissions,energy_consumed,cpu_energy,gpu_energy,ram_energy,pue\n\
                2025-03-02T14:01:40,r1,100,0.001,0.012,0.0024,0.0072,0.0024,1.2\n\
                2025-03-02T14:03:20,r1,200,0.002,0.024,0.0048,0.0144,0.0048,1.2\n";
    let s = read_text(text, &opts(None));
    assert_eq!(s.format, InputFormat::Codecarbon);
    close(s.energy_kwh.value, 0.02);
    close(component(&s, "gpu"), 0.012);
    close(component(&s, "cpu"), 0.004);
    close(component(&s, "dram"), 0.004);
    // the flush rows, for an extrapolation, through the same reader: 0.01 and 0.02 kWh
    let f = file(text);
    let (rows, notes) = codecarbon::flush_rows(f.path(), None).unwrap_or_else(|e| panic!("{e}"));
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(rows.len(), 2);
    close(rows[0].energy_kwh, 0.01);
    close(rows[1].energy_kwh, 0.02);
    close(rows[1].duration_s, 200.0);
    assert_eq!(rows[1].row, 3);
}

#[test]
fn codecarbon_bad_pue_is_an_error_not_a_default() {
    for pue in ["0", "x", "0.5"] {
        let f = file(&format!(
            "timestamp,run_id,duration,emissions,energy_consumed,pue\n\
             2025-03-02T14:01:40,r1,100,0.001,0.012,{pue}\n"
        ));
        let e = codecarbon::flush_rows(f.path(), None).expect_err(pue);
        assert!(
            e.to_string().contains("pue") || e.to_string().contains(pue),
            "{e}"
        );
        assert!(read(f.path(), &opts(None)).is_err(), "{pue}");
    }
}

#[test]
fn jetson_stats_board_total_in_milliwatts() {
    // Power TOT 10 000 -> 12 000 mW over 2 s: 22 J; the rail is shown, not added
    let s = read_text(
        "time,Power VDD_CPU_GPU_CV,Power TOT\n\
         2025-03-02 14:00:00.000,5000,10000\n\
         2025-03-02 14:00:02.000,6000,12000\n",
        &opts(None),
    );
    assert_eq!(s.format, InputFormat::JetsonStats);
    close(s.energy_kwh.value, kwh(22.0));
    close(component(&s, "node"), kwh(22.0));
    assert!(s
        .devices
        .iter()
        .any(|d| d.component == super::TraceComponent::Rail && !d.included));
}

#[test]
fn kwollect_one_metric_per_node() {
    let text = "timestamp,device_id,metric_id,value,labels\n\
                2025-03-02T14:00:00+00:00,n1,wattmetre_power_watt,100,{}\n\
                2025-03-02T14:00:00+00:00,n1,bmc_node_power_watt,140,{}\n\
                2025-03-02T14:00:10+00:00,n1,wattmetre_power_watt,120,{}\n\
                2025-03-02T14:00:10+00:00,n1,bmc_node_power_watt,140,{}\n";
    // two power metrics of one node would count it twice
    let f = file(text);
    assert!(read(f.path(), &opts(None)).is_err());
    // the wattmeter: (100 + 120) / 2 x 10 s = 1100 J
    let mut o = opts(None);
    o.metric = Some("wattmetre_power_watt".into());
    let s = read_text(text, &o);
    assert_eq!(s.format, InputFormat::Kwollect);
    close(s.energy_kwh.value, kwh(1100.0));
}

#[test]
fn generic_power_in_milliwatts_per_device() {
    // a: 0 -> 10 W over 1 s = 5 J; b: 50 W for 1 s = 50 J
    let mut o = opts(None);
    o.generic = Some(GenericSpec {
        time_column: "t_ms".into(),
        time_format: TimeFormat::UnixMs,
        value_column: "p_mw".into(),
        unit: "mW".into(),
        value_kind: ValueKind::Power,
        device_column: Some("dev".into()),
        component: crate::scenario::GenericComponent::Gpu,
        delimiter: Some(';'),
    });
    let s = read_text(
        "t_ms;dev;p_mw\n\
         1740924000000;a;0\n\
         1740924000000;b;50000\n\
         1740924001000;a;10000\n\
         1740924001000;b;50000\n",
        &o,
    );
    assert_eq!(s.format, InputFormat::Generic);
    close(s.energy_kwh.value, kwh(55.0));
    close(component(&s, "gpu"), kwh(55.0));
}

#[test]
fn window_checkpoints_and_power_bins_in_one_pass() {
    // 100 W for 10 s; window [2, 8] s: 600 J; checkpoints 2, 5, 8: 300 J each;
    // 3 power bins over the window: 200 J each, 2 s wide
    let mut o = opts(None);
    let at = |s: &str| time::parse(s.as_bytes()).unwrap_or_else(|| panic!("{s}"));
    o.start = Some(at("2025-03-02T14:00:02"));
    o.end = Some(at("2025-03-02T14:00:08"));
    o.checkpoints = Some(vec![
        o.start.unwrap_or_else(|| panic!()),
        at("2025-03-02T14:00:05"),
        o.end.unwrap_or_else(|| panic!()),
    ]);
    o.power_bins = Some(3);
    let s = read_text(
        "timestamp, index, power.draw [W]\n\
         2025/03/02 14:00:00.000, 0, 100.00 W\n\
         2025/03/02 14:00:10.000, 0, 100.00 W\n",
        &o,
    );
    close(s.energy_kwh.value, kwh(600.0));
    let d = &s.devices[0];
    assert_eq!(d.bins_j.len(), 2);
    close(d.bins_j[0], 300.0);
    close(d.bins_j[1], 300.0);
    assert_eq!(d.power_bins_j.len(), 3);
    for e in &d.power_bins_j {
        close(*e, 200.0);
    }
    close(s.power_bin_s.unwrap_or(f64::NAN), 2.0);
}

/// A two-GPU nvidia-smi trace of `n` seconds, LF or CRLF.
fn many_rows(n: usize, end: &str) -> String {
    let mut s = format!("timestamp, index, power.draw [W]{end}");
    for i in 0..n {
        for g in 0..2 {
            let w = 100.0 + ((i * 7 + g * 13) % 200) as f64 * 0.37;
            s.push_str(&format!("{}, {g}, {w:.2} W{end}", 1_740_924_000 + i));
        }
    }
    s
}

/// A RAPL trace of `n` seconds: two zones, counters in uJ wrapping at their range.
fn rapl_rows(n: usize) -> String {
    let mut s = "timestamp_s,zone,energy_uj,max_energy_range_uj\n".to_string();
    let mut c = [262_100_000_000u64, 5_000_000];
    for i in 0..n {
        for (z, zone) in ["package-0", "dram"].iter().enumerate() {
            c[z] = (c[z] + 3_000_000 + (i as u64 * 7919 + z as u64) % 9_000_000) % 262_143_328_850;
            s.push_str(&format!(
                "{}.{:03},{zone},{},262143328850\n",
                1_740_924_000 + i,
                (i * 37) % 1000,
                c[z]
            ));
        }
    }
    s
}

#[test]
fn pieces_give_the_same_figures_whatever_the_threads_and_the_cut() {
    for text in [
        many_rows(3000, "\n"),
        many_rows(2000, "\r\n"),
        rapl_rows(2500),
    ] {
        let f = file(&text);
        let json = |threads: usize, piece_bytes: u64| {
            let o = TraceOptions {
                threads,
                piece_bytes: Some(piece_bytes),
                ..opts(None)
            };
            let s = read(f.path(), &o).unwrap_or_else(|e| panic!("{e}"));
            serde_json::to_value(&s).unwrap_or_else(|e| panic!("{e}"))
        };
        let whole = json(1, 1 << 30);
        // from ~150 pieces of 1 KiB to a few of 64 KiB: byte for byte the same figures for every
        // number of threads and every cut (the sums are exact), and for the default cut
        let auto = |threads: usize| {
            let o = TraceOptions {
                threads,
                ..opts(None)
            };
            let s = read(f.path(), &o).unwrap_or_else(|e| panic!("{e}"));
            serde_json::to_value(&s).unwrap_or_else(|e| panic!("{e}"))
        };
        assert_eq!(auto(1), whole);
        assert_eq!(auto(3), whole);
        for piece_bytes in [1 << 10, 4 << 10, 9999, 64 << 10, 777] {
            let one = json(1, piece_bytes);
            for t in [2, 3, 8] {
                assert_eq!(
                    json(t, piece_bytes),
                    one,
                    "{t} threads, pieces of {piece_bytes} bytes"
                );
            }
            assert_eq!(one, whole, "pieces of {piece_bytes} bytes");
        }
    }
}

#[test]
fn errors_carry_the_file_line_across_pieces() {
    for end in ["\n", "\r\n"] {
        let text = many_rows(3000, end);
        // line 4001: a fourth field
        let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
        let bad = lines[4000].replacen(" W", " W, 5", 1);
        lines[4000] = &bad;
        let f = file(&lines.concat());
        for threads in [1, 3] {
            let o = TraceOptions {
                threads,
                piece_bytes: Some(4096),
                ..opts(None)
            };
            let e = read(f.path(), &o)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(
                e.contains("row 4001 has 4 fields"),
                "{end:?} {threads}: {e}"
            );
        }
    }
}

/// The line and message of a trace that must fail.
fn failure(text: &[u8], o: &TraceOptions) -> (Option<usize>, String) {
    let f = tempfile::NamedTempFile::new().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(f.path(), text).unwrap_or_else(|e| panic!("{e}"));
    match read(f.path(), o) {
        Err(crate::error::Error::Input(d)) => (d.line, d.message.clone()),
        Err(e) => panic!("not an input error: {e}"),
        Ok(_) => panic!("read without error"),
    }
}

#[test]
fn nvidia_smi_powers_in_watts_however_written() {
    let gpu = |p: &str| {
        format!("timestamp, index, power.draw [W]\n2025/03/02 14:00:00.000, 0, {p}\n2025/03/02 14:00:01.000, 0, 300 W\n")
    };
    // (250.5 + 300) / 2 W over 1 s: 275.25 J, however the first power is written
    let want = read_text(&gpu("250.50 W"), &opts(None)).energy_kwh.value;
    close(want, kwh(275.25));
    for p in ["250.5 W", "250.50  W", "2.5050e2 W", "250.50", "250500 mW"] {
        assert_eq!(
            read_text(&gpu(p), &opts(None)).energy_kwh.value,
            want,
            "{p}"
        );
    }
    // a space inside the number leaves a unit that is not one; a negative power is refused
    let (_, m) = failure(gpu("250 .50 W").as_bytes(), &opts(None));
    assert!(m.contains("unknown power unit \".50 W\""), "{m}");
    let (_, m) = failure(gpu("-5 W").as_bytes(), &opts(None));
    assert!(m.contains("negative power -5 W"), "{m}");
}

#[test]
fn nvidia_smi_index_must_be_a_whole_number() {
    let text = "timestamp, index, power.draw [W]\n\
                2025/03/02 14:00:00.000, 0, 250.00 W\n\
                2025/03/02 14:00:01.000, x, 250.00 W\n";
    let (line, m) = failure(text.as_bytes(), &opts(None));
    assert_eq!(line, Some(3));
    assert!(m.contains("\"x\"") && m.contains("GPU index"), "{m}");
    // a bus id is a device name, not an index
    let s = read_text(
        "timestamp, pci.bus_id, power.draw [W]\n\
         2025/03/02 14:00:00.000, 00000000:07:00.0, 250.00 W\n\
         2025/03/02 14:00:01.000, 00000000:07:00.0, 250.00 W\n",
        &opts(None),
    );
    assert_eq!(s.devices.len(), 1);
}

#[test]
fn bytes_not_utf8_are_an_error_at_their_line_in_any_piece() {
    let mut text = b"timestamp, index, name, power.draw [W]\n".to_vec();
    for s in 0..40 {
        text.extend(format!("2025/03/02 14:00:{s:02}.000, 0, A100, 250.00 W\n").bytes());
    }
    text.extend(b"2025/03/02 14:00:40.000, 0, A\xff\xfe, 250.00 W\n");
    for (threads, piece_bytes) in [(1, read::PIECE_BYTES), (2, 256)] {
        let o = TraceOptions {
            threads,
            piece_bytes: Some(piece_bytes),
            ..opts(None)
        };
        let (line, m) = failure(&text, &o);
        assert_eq!(line, Some(42), "{m}");
        assert!(m.contains("not UTF-8"), "{m}");
    }
}

#[test]
fn rapl_values_in_messages_are_readable() {
    let (line, m) = failure(
        b"timestamp_s,zone,energy_uj\n1,package-0,1000000\n2,package-0,-5\n",
        &opts(None),
    );
    assert_eq!(line, Some(3));
    assert!(m.contains("-5 uJ"), "{m}");
    let (line, m) = failure(
        b"timestamp_s,zone,energy_uj\n1,package-0,101000000\n2,package-0,10\n",
        &opts(None),
    );
    assert_eq!(line, Some(3));
    assert!(m.contains("101 J") && m.contains("1e-5 J"), "{m}");
}

#[test]
fn alumet_energy_metric_with_an_unknown_unit_is_an_error() {
    let head = "metric;timestamp;value;resource_kind;resource_id;consumer_kind;consumer_id;domain;__late_attributes\n";
    let (line, m) = failure(
        format!("{head}rapl_consumed_energy_furlong;2025-03-02T14:00:01Z;61.8;cpu_package;0;local_machine;;package;\n").as_bytes(),
        &opts(None),
    );
    assert_eq!(line, Some(2));
    assert!(m.contains("_furlong"), "{m}");
    // a metric of another quantity is skipped, and named when nothing else is there
    let (_, m) = failure(
        format!("{head}nvml_temperature_gpu_Cel;2025-03-02T14:00:01Z;61;gpu;0;local_machine;;;\n")
            .as_bytes(),
        &opts(None),
    );
    assert!(m.contains("nvml_temperature_gpu_Cel"), "{m}");
}

#[test]
fn kwollect_metric_absent_names_the_metrics_present() {
    let text = "timestamp,device_id,metric_id,value,labels\n\
                2025-03-02T14:00:00+00:00,n1,wattmetre_power_watt,100,{}\n\
                2025-03-02T14:00:00+00:00,n1,bmc_node_power_watt,140,{}\n";
    let mut o = opts(None);
    o.metric = Some("nope_watt".into());
    let (_, m) = failure(text.as_bytes(), &o);
    assert!(
        m.contains("nope_watt")
            && m.contains("wattmetre_power_watt, bmc_node_power_watt")
            && !m.contains("no data row"),
        "{m}"
    );
}

#[test]
fn codecarbon_bad_time_and_decreasing_energy_at_their_line() {
    let head = "timestamp,project_name,run_id,duration,emissions,energy_consumed,pue\n";
    let (line, m) = failure(
        format!("{head}2025-03-02T14:01:40,p,r1,100,0.001,0.12,1.2\n2025-13-02T14:02:40,p,r1,200,0.001,0.24,1.2\n").as_bytes(),
        &opts(None),
    );
    assert_eq!(line, Some(3));
    assert!(m.contains("month 13"), "{m}");
    let (line, m) = failure(
        format!("{head}2025-03-02T14:01:40,p,r1,100,0.001,0.36,1.2\n2025-03-02T14:02:40,p,r1,200,0.001,0.1,1.2\n").as_bytes(),
        &opts(None),
    );
    assert_eq!(line, Some(3));
    assert!(m.contains("r1") && m.contains("decreases"), "{m}");
    // another run starts again from zero
    let s = read_text(
        &format!("{head}2025-03-02T14:01:40,p,r1,100,0.001,0.36,1\n2025-03-02T14:02:40,p,r2,100,0.001,0.1,1\n"),
        &opts(None),
    );
    close(s.energy_kwh.value, 0.46);
}

/// The real files of run totals, each byte-mutated 120 times (a fixed generator): every
/// read gives a summary with finite figures or an input error, never a panic.
#[test]
fn files_of_run_totals_mutated_never_panic() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real");
    let files = [
        (
            "carbontracker-2.4.7/carbontracker.log",
            "x_carbontracker.log",
        ),
        (
            "carbontracker-2.4.7/carbontracker_output.log",
            "x_carbontracker_output.log",
        ),
        ("eco2ai-0.3.12/emission.csv", "emission.csv"),
        ("codecarbon-3.3.2-flush/emissions.csv", "emissions.csv"),
        ("codecarbon-seed-000/emissions.csv", "emissions.csv"),
    ];
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for (src, name) in files {
        let original = std::fs::read(root.join(src)).unwrap_or_else(|e| panic!("{e}"));
        for _ in 0..120 {
            let mut bytes = original.clone();
            for _ in 0..1 + next() % 4 {
                let i = (next() % bytes.len() as u64) as usize;
                match next() % 3 {
                    0 => bytes[i] = b"0123456789,;:-. \n\tNa[]"[(next() % 22) as usize],
                    1 => {
                        bytes.remove(i);
                    }
                    _ => bytes.truncate(i),
                }
                if bytes.is_empty() {
                    break;
                }
            }
            let p = dir.path().join(name);
            std::fs::write(&p, &bytes).unwrap_or_else(|e| panic!("{e}"));
            if let Ok(s) = read(&p, &opts(None)) {
                let all = [
                    s.energy_kwh.value,
                    s.energy_kwh.min,
                    s.energy_kwh.max,
                    s.duration_s,
                ];
                assert!(
                    all.iter().all(|x| x.is_finite() && *x >= 0.0),
                    "{src}: {s:?}"
                );
            }
        }
    }
}

#[test]
fn time_bins_beside_checkpoints_and_power_bins() {
    // Two GPUs: GPU 0 at 100 W, GPU 1 rising from 0 W to 200 W over [0, 10] s. Time bins with
    // edges 0, 4, 10 s: GPU 0 gives 400 J and 600 J; GPU 1 (P = 20 t) gives 10 x 4^2 = 160 J
    // and 10 x (10^2 - 4^2) = 840 J; the bins hold the sum of the included devices: 560 J and
    // 1440 J. Checkpoints 2, 5 s and 2 power bins (5 s wide) are read in the same pass, their
    // bins unchanged by the edges added to the merged list: GPU 0 300 J between 2 and 5 s.
    let mut o = opts(None);
    let at = |s: &str| time::parse(s.as_bytes()).unwrap_or_else(|| panic!("{s}"));
    o.time_bins = Some(vec![
        at("2025-03-02T14:00:00"),
        at("2025-03-02T14:00:04"),
        at("2025-03-02T14:00:10"),
    ]);
    o.checkpoints = Some(vec![at("2025-03-02T14:00:02"), at("2025-03-02T14:00:05")]);
    o.power_bins = Some(2);
    let s = read_text(
        "timestamp, index, power.draw [W]\n\
         2025/03/02 14:00:00.000, 0, 100.00 W\n\
         2025/03/02 14:00:00.000, 1, 0.00 W\n\
         2025/03/02 14:00:04.000, 0, 100.00 W\n\
         2025/03/02 14:00:04.000, 1, 80.00 W\n\
         2025/03/02 14:00:10.000, 0, 100.00 W\n\
         2025/03/02 14:00:10.000, 1, 200.00 W\n",
        &o,
    );
    close(s.energy_kwh.value, kwh(2000.0));
    assert_eq!(s.time_bins_j.len(), 2);
    close(s.time_bins_j[0], 560.0);
    close(s.time_bins_j[1], 1440.0);
    let gpu0 = &s.devices[0];
    assert_eq!(gpu0.bins_j.len(), 1);
    close(gpu0.bins_j[0], 300.0);
    assert_eq!(gpu0.power_bins_j.len(), 2);
    close(gpu0.power_bins_j[0], 500.0);
}
