//! CodeCarbon files of every version against hand computations: runs added (energies and
//! durations), a choice of runs, a repeated last row, the oldest columns, flush() rows of one run.

use super::*;
use crate::energy::trace::{read, RunSelector};

fn file(text: &str) -> tempfile::NamedTempFile {
    let f = tempfile::NamedTempFile::new().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(f.path(), text).unwrap_or_else(|e| panic!("{e}"));
    f
}

fn summary(text: &str, run: Option<RunSelector>) -> TraceSummary {
    let f = file(text);
    let opts = TraceOptions {
        run,
        threads: 1,
        ..TraceOptions::default()
    };
    read(f.path(), &opts).unwrap_or_else(|e| panic!("{e}"))
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() <= 1e-12 * b.abs().max(1e-12), "{a} != {b}");
}

const HEAD: &str = "timestamp,project_name,run_id,duration,emissions,cpu_energy,gpu_energy,ram_energy,energy_consumed,water_consumed,pue,wue\n";

/// Two runs: r1 flushed once then stopped (cumulative, the last row repeated), r2 at PUE 1.5.
fn two_runs() -> String {
    format!(
        "{HEAD}\
         2025-03-02T14:00:10,p,r1,10,0,0.001,0.002,0.001,0.004,0.008,1.0,2.0\n\
         2025-03-02T14:00:20,p,r1,20,0,0.002,0.004,0.002,0.008,0.016,1.0,2.0\n\
         2025-03-02T14:00:20,p,r1,20.01,0,0.002,0.004,0.002,0.008,0.016,1.0,2.0\n\
         2025-03-02T14:01:00,q,r2,30,0,0.003,0.0,0.0015,0.0045,0.009,1.5,2.0\n"
    )
}

#[test]
fn runs_are_added_energies_and_durations() {
    let s = summary(&two_runs(), None);
    // r1: 0.008 kWh at PUE 1 over 20.01 s; r2: 0.0045 / 1.5 = 0.003 kWh over 30 s
    close(s.energy_kwh.value, 0.008 + 0.003);
    close(s.duration_s, 20.01 + 30.0);
    assert_eq!(s.runs.len(), 2);
    close(s.runs[1].tool_energy_kwh, 0.0045);
    close(s.runs[1].energy_kwh, 0.003);
    assert_eq!(s.runs[0].rows, 3);
    // cpu 0.002 + 0.003 / 1.5
    close(s.by_component[&TraceComponent::Cpu].value, 0.004);
    // water as written, added over the counted runs; one wue for both
    close(s.water_l.unwrap_or(f64::NAN), 0.016 + 0.009);
    assert_eq!(s.wue_l_per_kwh, Some(2.0));
    let notes = s.assumptions.join("\n");
    assert!(
        notes.contains("row 4 repeats the cumulative energy of row 3"),
        "{notes}"
    );
    assert!(notes.contains("2 runs in the file, all counted"), "{notes}");
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

#[test]
fn a_choice_keeps_its_runs_only() {
    for sel in [
        RunSelector::Id("r2".into()),
        RunSelector::ProjectName("q".into()),
        RunSelector::Index(2),
        RunSelector::Any("2".into()),
    ] {
        let s = summary(&two_runs(), Some(sel.clone()));
        close(s.energy_kwh.value, 0.003);
        close(s.duration_s, 30.0);
        assert!(
            s.devices.iter().all(|d| d.device.ends_with("(run r2)")),
            "{sel}"
        );
        assert_eq!(
            s.runs.iter().map(|r| r.counted).collect::<Vec<_>>(),
            [false, true]
        );
    }
    let f = file(&two_runs());
    let opts = TraceOptions {
        run: Some(RunSelector::Id("r9".into())),
        ..TraceOptions::default()
    };
    let e = read(f.path(), &opts).expect_err("no run r9");
    assert!(matches!(
        e.kind(),
        Some(crate::error::ErrorKind::UnknownRun { .. })
    ));
    assert!(
        e.to_string().contains("id r1") && e.to_string().contains("id r2"),
        "{e}"
    );
}

#[test]
fn the_oldest_columns_add_the_parts_and_every_row_is_a_run() {
    // no timestamp, run_id, energy_consumed or pue (as the seed's table)
    let s = summary(
        "duration\t,emissions\t,cpu_energy\t,gpu_energy\t,ram_energy\n\
         100\t,0\t,0.001\t,0.002\t,0.0005\n\
         50\t,0\t,0.002\t,0.001\t,0.0005\n",
        None,
    );
    close(s.energy_kwh.value, 0.0035 + 0.0035);
    close(s.duration_s, 150.0);
    assert_eq!(s.runs.len(), 2);
    assert!(s.runs.iter().all(|r| r.id.is_none()));
    let notes = s.assumptions.join("\n");
    assert!(
        notes.contains("cpu_energy + gpu_energy + ram_energy"),
        "{notes}"
    );
    assert!(notes.contains("every row is a run"), "{notes}");
}

#[test]
fn flush_rows_of_one_run_without_its_repeated_row() {
    let f = file(&two_runs());
    let (rows, notes) =
        flush_rows(f.path(), Some(&RunSelector::Id("r1".into()))).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rows.iter().map(|r| r.row).collect::<Vec<_>>(), [2, 3]);
    close(rows[1].energy_kwh, 0.008);
    assert!(
        notes.iter().any(|n| n.contains("row 4 repeats")),
        "{notes:?}"
    );
    let (rows, _) =
        flush_rows(f.path(), Some(&RunSelector::Index(2))).unwrap_or_else(|e| panic!("{e}"));
    close(rows[0].energy_kwh, 0.003);
    // two runs and no choice: an error naming both
    let e = flush_rows(f.path(), None).expect_err("two runs");
    assert!(
        e.to_string().contains("2 runs") && e.to_string().contains("--run"),
        "{e}"
    );
    // a project of two runs is not one run
    let text = two_runs().replace(",q,r2,", ",p,r2,");
    let g = file(&text);
    let e = flush_rows(g.path(), Some(&RunSelector::ProjectName("p".into()))).expect_err("2");
    assert!(e.to_string().contains("names 2 runs"), "{e}");
}
