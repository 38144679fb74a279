//! Carbontracker's logs against hand computations: epochs (P x duration per component), the
//! actual consumption divided by the PUE and split between components, the choice of a figure,
//! and the errors of a cut, mis-delimited or mis-unitted log at their line.

use super::*;
use crate::energy::trace::{read, RunSelector};

/// A folder with `x_carbontracker.log` and, if given, `x_carbontracker_output.log`.
fn logs(main: &str, output: Option<&str>) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(d.path().join("x_carbontracker.log"), main).unwrap_or_else(|e| panic!("{e}"));
    if let Some(o) = output {
        std::fs::write(d.path().join("x_carbontracker_output.log"), o)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    d
}

fn summary(d: &tempfile::TempDir, run: Option<RunSelector>) -> Result<TraceSummary> {
    let opts = TraceOptions {
        run,
        ..TraceOptions::default()
    };
    read(&d.path().join("x_carbontracker.log"), &opts)
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() <= 1e-12 * b.abs().max(1e-12), "{a} != {b}");
}

/// Two epochs of 10 s and 20 s: cpu 50 W, two GPUs of 100 and 200 W.
const MAIN: &str = "\
2025-03-02 14:00:00 - carbontracker version 2.4.7
2025-03-02 14:00:00 - Only predicted and actual consumptions are multiplied by a PUE coefficient of 1.5 (test).
2025-03-02 14:00:01 - The following components were found: GPU with device(s) A100, A100. CPU with device(s) EPYC 7763.
2025-03-02 14:00:11 - Epoch 1:
2025-03-02 14:00:11 - Duration: 0:00:10.00
2025-03-02 14:00:11 - Average power usage (W) for gpu: [100. 200.]
2025-03-02 14:00:11 - Average power usage (W) for cpu: 50.0
2025-03-02 14:00:31 - Epoch 2:
2025-03-02 14:00:31 - Duration: 0:00:20.00
2025-03-02 14:00:31 - Average power usage (W) for gpu: [100. 200.]
2025-03-02 14:00:31 - Average power usage (W) for cpu: 50.0
";

/// The actual consumption of the two epochs, 10,500 J x 1.5 = 0.004375 kWh, and a prediction.
const OUTPUT: &str = "\
2025-03-02 14:00:11 - CarbonTracker: 
Predicted consumption for 10 epoch(s):
\tTime:\t0:01:40
\tEnergy:\t0.021875000000 kWh
\tCO2eq:\t1.0 g
2025-03-02 14:00:31 - CarbonTracker: 
Actual consumption for 2 epoch(s):
\tTime:\t0:00:30
\tEnergy:\t0.004375000000 kWh
\tCO2eq:\t0.2 g
";

#[test]
fn the_actual_consumption_over_the_pue_split_between_components() {
    let d = logs(MAIN, Some(OUTPUT));
    let s = summary(&d, None).unwrap_or_else(|e| panic!("{e}"));
    // (350 W x 10 s + 350 W x 20 s) = 10,500 J; actual 0.004375 / 1.5 = 10,500 J as well
    close(s.energy_kwh.value, 10_500.0 / J_PER_KWH);
    // gpu 300 of the 350 W, cpu 50
    close(
        s.by_component[&TraceComponent::Gpu].value,
        9_000.0 / J_PER_KWH,
    );
    close(
        s.by_component[&TraceComponent::Cpu].value,
        1_500.0 / J_PER_KWH,
    );
    close(s.duration_s, 30.0);
    let kinds: Vec<(RunKind, bool)> = s.runs.iter().map(|r| (r.kind, r.counted)).collect();
    assert_eq!(
        kinds,
        [
            (RunKind::Epoch, false),
            (RunKind::Epoch, false),
            (RunKind::Actual, true),
            (RunKind::Predicted, false)
        ]
    );
    close(s.runs[0].energy_kwh, 3_500.0 / J_PER_KWH);
    close(s.runs[3].energy_kwh, 0.021875 / 1.5);
    let notes = s.assumptions.join("\n");
    assert!(notes.contains("PUE 1.5"), "{notes}");
}

#[test]
fn an_epoch_or_the_prediction_taken_instead() {
    let d = logs(MAIN, Some(OUTPUT));
    let s = summary(&d, Some(RunSelector::Index(2))).unwrap_or_else(|e| panic!("{e}"));
    close(s.energy_kwh.value, 7_000.0 / J_PER_KWH);
    close(s.duration_s, 20.0);
    let s =
        summary(&d, Some(RunSelector::Any("predicted".into()))).unwrap_or_else(|e| panic!("{e}"));
    close(s.energy_kwh.value, 0.021875 / 1.5);
    close(s.duration_s, 100.0);
    // the main log alone: the epochs' sum
    let alone = logs(MAIN, None);
    let s = summary(&alone, None).unwrap_or_else(|e| panic!("{e}"));
    close(s.energy_kwh.value, 10_500.0 / J_PER_KWH);
    assert!(s.runs.iter().all(|r| r.counted));
}

#[test]
fn the_output_log_alone_assumes_the_pue_and_says_so() {
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let p = d.path().join("y_carbontracker_output.log");
    std::fs::write(&p, OUTPUT).unwrap_or_else(|e| panic!("{e}"));
    let s = read(&p, &TraceOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    close(s.energy_kwh.value, 0.004375 / PUE_2023);
    assert!(
        s.warnings.iter().any(|w| w.contains("1.58 assumed")),
        "{:?}",
        s.warnings
    );
}

/// The line and message of the error reading `main` as the main log.
fn failure(main: &str) -> (Option<usize>, String) {
    let d = logs(main, None);
    let opts = TraceOptions {
        format: Some(InputFormat::Carbontracker),
        ..TraceOptions::default()
    };
    match read(&d.path().join("x_carbontracker.log"), &opts) {
        Ok(_) => panic!("read: {main}"),
        Err(crate::error::Error::Input(d)) => (d.line, d.message),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn cut_wrong_units_and_wrong_delimiter_at_their_line() {
    let head = "2025-03-02 14:00:00 - carbontracker version 2.4.7\n";
    let (line, m) = failure(&format!(
        "{head}2025-03-02 14:00:11 - Epoch 1:\n2025-03-02 14:00:11 - Duration: 0:00:10.00\n"
    ));
    assert_eq!(line, Some(2));
    assert!(m.contains("no Average power usage line"), "{m}");
    let (line, m) = failure(&format!("{head}2025-03-02 14:00:11 - Epoch 1:\n2025-03-02 14:00:11 - Duration: 0:00:10.00\n2025-03-02 14:00:11 - Average power usage (kW) for cpu: 0.05\n"));
    assert_eq!(line, Some(4));
    assert!(m.contains("\"kW\""), "{m}");
    let (line, m) = failure(&format!("{head}2025-03-02 14:00:11;Epoch 1:\n"));
    assert_eq!(line, Some(2));
    assert!(m.contains("HH:MM:SS - "), "{m}");
    let (line, m) = failure(head);
    assert_eq!(line, Some(1));
    assert!(m.contains("no epoch and no consumption"), "{m}");
    let (line, m) = failure(&format!(
        "{head}2025-03-02 14:00:11 - Epoch 1:\n2025-03-02 14:00:11 - Duration: 0:00:99.00\n"
    ));
    assert_eq!(line, Some(3));
    assert!(m.contains("as a duration"), "{m}");
}

#[test]
fn a_cut_consumption_and_energy_in_another_unit_at_their_line() {
    let (line, m) = {
        let d = logs(MAIN, Some("2025-03-02 14:00:31 - CarbonTracker: \nActual consumption for 2 epoch(s):\n\tTime:\t0:00:30\n"));
        match summary(&d, None) {
            Err(crate::error::Error::Input(x)) => (x.line, x.message),
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(line, Some(3));
    assert!(m.contains("no Energy line"), "{m}");
    let d = logs(
        MAIN,
        Some(&OUTPUT.replace("0.004375000000 kWh", "4.375 Wh")),
    );
    match summary(&d, None) {
        Err(crate::error::Error::Input(x)) => {
            assert_eq!(x.line, Some(9));
            assert!(x.message.contains("not in kWh"), "{}", x.message);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn durations_and_detection() {
    let p = Path::new("l");
    assert_eq!(parse::duration_for_tests(p, "1:02:03.50"), Some(3723.5));
    assert_eq!(parse::duration_for_tests(p, "26:00:00"), Some(93_600.0));
    assert_eq!(parse::duration_for_tests(p, "0:61:00"), None);
    assert!(is_log_line(
        "2026-11-22 10:56:35 - carbontracker version 2.4.7"
    ));
    assert!(is_log_line(
        "2026-11-22 10:56:36 - CarbonTracker: The following components were found: CPU with device(s) AMD EPYC."
    ));
    assert!(!is_log_line(
        "2026-11-22 10:56:35,carbontracker version 2.4.7"
    ));
    assert!(!is_log_line("timestamp,index,power.draw [W]"));
}
