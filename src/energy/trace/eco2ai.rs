//! eco2ai's CSV (`emission.csv`): one row per run, rewritten in place while the tracker runs, so
//! a row is its run's total: `duration(s)` and `power_consumption(kWh)` (`kWTh` in older
//! versions), CPU + GPU + RAM together, with the PUE the tracker was given already applied (the
//! file does not say which: 1 by default). With `start_training()`/`new_epoch()` a run writes one
//! row per epoch (`epoch: N, ...` in the `epoch` column), each the energy of that epoch: they
//! are added. Runs are rows (or epochs) of one `id` (every row a run without the column); every
//! run counts unless `--run` (`run_id`, `project_name`, `run_index`) takes some, and none is
//! dropped: an empty `epoch` cell is a run like one that says `N/A`.

use super::integrate::RowError;
use super::runs::{self, RunKind, RunSummary, Totals};
use super::{file_error, row_error, TraceComponent, TraceOptions, TraceSummary};
use crate::error::{Diagnostic, Error, Result};
use crate::scenario::InputFormat;
use std::path::Path;

/// Whether a header is eco2ai's.
pub(super) fn is_header(lower: &str) -> bool {
    lower.contains("power_consumption(") && lower.contains("duration(")
}

/// Where the columns are.
struct Cols {
    id: Option<usize>,
    project: Option<usize>,
    description: Option<usize>,
    epoch: Option<usize>,
    start: Option<usize>,
    duration: usize,
    energy: usize,
}

fn bad(path: &Path, row: u64, message: String, hint: &str) -> Error {
    row_error(
        path,
        RowError {
            row,
            message,
            hint: Some(hint.into()),
        },
        None,
    )
}

/// The columns of the header, their units checked.
fn columns(path: &Path, headers: &csv::StringRecord) -> Result<Cols> {
    if headers.len() == 1 {
        let h = headers.get(0).unwrap_or("");
        let other = [';', '\t'].into_iter().find(|c| h.contains(*c));
        return Err(bad(
            path,
            1,
            "eco2ai: the header has a single column".into(),
            &match other {
                Some(c) => format!("the header has no ',' but holds {c:?}: eco2ai writes its CSV with ',' (is the delimiter wrong?)"),
                None => "eco2ai's CSV has id, project_name, experiment_description, epoch, start_time, duration(s), power_consumption(kWh), ...".into(),
            },
        ));
    }
    let find = |pred: &dyn Fn(&str) -> bool| headers.iter().position(|c| pred(c.trim()));
    let unit_of = |name: &str, prefix: &str| -> Option<String> {
        name.strip_prefix(prefix)
            .and_then(|r| r.strip_suffix(')'))
            .map(str::to_string)
    };
    let duration = find(&|c| c.starts_with("duration(")).ok_or_else(|| {
        bad(
            path,
            1,
            "eco2ai: no column duration(s)".into(),
            "eco2ai's CSV has duration(s) and power_consumption(kWh)",
        )
    })?;
    let energy = find(&|c| c.starts_with("power_consumption(")).ok_or_else(|| {
        bad(
            path,
            1,
            "eco2ai: no column power_consumption(kWh)".into(),
            "eco2ai's CSV has duration(s) and power_consumption(kWh)",
        )
    })?;
    let name = |i: usize| headers.get(i).unwrap_or("").trim().to_string();
    let du = unit_of(&name(duration), "duration(").unwrap_or_default();
    if du != "s" {
        return Err(bad(path, 1, format!("eco2ai: the duration is in \"{du}\" (column {}): eco2ai writes seconds, duration(s)", name(duration)), "give the file eco2ai wrote, or convert the column to seconds"));
    }
    let eu = unit_of(&name(energy), "power_consumption(").unwrap_or_default();
    if eu != "kWh" && eu != "kWTh" {
        return Err(bad(path, 1, format!("eco2ai: the energy is in \"{eu}\" (column {}): eco2ai writes kWh, power_consumption(kWh)", name(energy)), "give the file eco2ai wrote, or convert the column to kWh"));
    }
    Ok(Cols {
        id: find(&|c| c == "id"),
        project: find(&|c| c == "project_name"),
        description: find(&|c| c.starts_with("experiment_description")),
        epoch: find(&|c| c == "epoch"),
        start: find(&|c| c == "start_time"),
        duration,
        energy,
    })
}

/// The number of cell `i` (column `col`) of a row.
fn number(path: &Path, rec: &csv::StringRecord, i: usize, col: &str, row: u64) -> Result<f64> {
    runs::measured(
        path,
        row,
        rec.get(i).unwrap_or(""),
        col,
        "eco2ai writes a run's duration in s and its energy in kWh",
    )
}

/// Read the runs of an eco2ai CSV as a trace summary.
pub(super) fn read(path: &Path, opts: &TraceOptions) -> Result<TraceSummary> {
    runs::refuse_window(path, opts, "an eco2ai file")?;
    let (mut rdr, long) = super::lines::open_csv(
        path,
        super::lines::builder().flexible(false).trim(csv::Trim::All),
    )
    .map_err(|e| file_error(path, format!("cannot read the file: {e}"), ""))?;
    let csv_err = |e: csv::Error| -> Error {
        if let Some((row, message)) = long.error("an eco2ai CSV file") {
            return bad(path, row, message, "give the CSV eco2ai wrote");
        }
        let message = match e.kind() {
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!("a row of {len} fields where the header has {expected_len}"),
            _ => format!("cannot read the CSV: {e}"),
        };
        let mut d = Diagnostic::new(message)
            .file(path)
            .hint("a truncated line, or a row with more or fewer fields than the header (a wrong delimiter, or an unquoted comma?)");
        d.line = e.position().map(|p| p.line() as usize);
        Error::input(d)
    };
    let headers = rdr.headers().map_err(csv_err)?.clone();
    let cols = columns(path, &headers)?;
    let mut runs: Vec<RunSummary> = Vec::new();
    let mut epochs: Vec<bool> = Vec::new();
    let mut rows = 0u64;
    for r in rdr.records() {
        let rec = r.map_err(csv_err)?;
        rows += 1;
        let row = rec.position().map_or(0, |p| p.line());
        let text = |c: Option<usize>| {
            c.and_then(|i| rec.get(i))
                .map(str::trim)
                .filter(|s| !s.is_empty() && *s != "N/A" && *s != "nan")
                .map(str::to_string)
        };
        let start = text(cols.start);
        if let Some(s) = &start {
            if crate::quantity::time::parse(s.as_bytes()).is_none() {
                return Err(bad(
                    path,
                    row,
                    format!("cannot read \"{s}\" as a time in column \"start_time\""),
                    "eco2ai writes times like 2026-11-22 10:58:22",
                ));
            }
        }
        let d = number(path, &rec, cols.duration, "duration(s)", row)?;
        let e = number(path, &rec, cols.energy, "power_consumption(kWh)", row)?;
        let epoch = text(cols.epoch).filter(|s| s.starts_with("epoch"));
        let id = text(cols.id);
        let same = id
            .as_ref()
            .and_then(|i| runs.iter().position(|r| r.id.as_ref() == Some(i)));
        match same {
            Some(k) if epoch.is_some() && epochs[k] => {
                let run = &mut runs[k];
                run.duration_s += d;
                run.tool_energy_kwh += e;
                run.energy_kwh = run.tool_energy_kwh;
                run.rows += 1;
            }
            Some(k) => {
                return Err(bad(
                    path,
                    row,
                    format!(
                        "a second row of run id {} (first at line {}) that is not one of its epochs",
                        id.as_deref().unwrap_or(""),
                        runs[k].line
                    ),
                    "eco2ai writes one row per run (or one per epoch, with \"epoch: N\" in the epoch column): two files joined?",
                ));
            }
            None => {
                let index = u32::try_from(runs.len() + 1).unwrap_or(u32::MAX);
                let mut run = RunSummary::new(index, RunKind::Run, e, 1.0);
                run.id = id;
                run.project_name = text(cols.project);
                run.description = text(cols.description);
                run.timestamp = start;
                run.duration_s = d;
                run.line = row;
                runs.push(run);
                epochs.push(epoch.is_some());
            }
        }
    }
    if runs.is_empty() {
        let mut d = Diagnostic::new("eco2ai: the file has a header but no row")
            .file(path)
            .hint("eco2ai writes a run's row while it runs: check that the tracker was started");
        d.line = Some(1);
        return Err(Error::input(d));
    }
    let mut assumptions = vec![
        "eco2ai: a row is its run's total (eco2ai rewrites it while the run goes on); rows of one id marked \"epoch: N\" are epochs, added".to_string(),
        "eco2ai: power_consumption includes the PUE the tracker was given, which the file does not record (eco2ai's default is 1): taken as IT energy".to_string(),
        "eco2ai: a run's energy is CPU + GPU + RAM, not split in the file: counted as the node's".to_string(),
    ];
    if cols.id.is_none() {
        assumptions.push("eco2ai: no id column: every row is a run".into());
    }
    runs::choose(path, &mut runs, opts, "eco2ai", &mut assumptions)?;
    let devices = runs
        .iter()
        .filter(|r| r.counted)
        .map(|r| {
            runs::total_device(
                format!("node (run {})", r.short()),
                TraceComponent::Node,
                None,
                r.energy_kwh,
                r.duration_s,
                r.rows,
                opts.idle_power_w,
            )
        })
        .collect();
    let totals = Totals {
        format: InputFormat::Eco2ai,
        rows,
        runs,
        devices,
        assumptions,
        warnings: Vec::new(),
    };
    runs::totals(path, totals, opts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::energy::trace::RunSelector;

    const HEAD: &str = "id,project_name,experiment_description,epoch,start_time,duration(s),power_consumption(kWh),CO2_emissions(kg),CPU_name,GPU_name,OS,region/country,cost\n";

    fn file(text: &str) -> tempfile::NamedTempFile {
        let f = tempfile::NamedTempFile::new().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(f.path(), text).unwrap_or_else(|e| panic!("{e}"));
        f
    }

    fn read_text(text: &str, run: Option<RunSelector>) -> Result<TraceSummary> {
        let f = file(text);
        let opts = TraceOptions {
            run,
            ..TraceOptions::default()
        };
        super::super::read(f.path(), &opts)
    }

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() <= 1e-12 * b.abs().max(1e-12), "{a} != {b}");
    }

    fn failure(text: &str) -> (Option<usize>, String) {
        match read_text(text, None) {
            Err(Error::Input(d)) => (d.line, d.message),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_row_a_run_none_dropped_epochs_added() {
        // run a with an empty epoch cell (as pandas rewrites N/A), run b with N/A, run c of two
        // epochs (0.001 + 0.002 kWh over 5 + 6 s)
        let s = read_text(
            &format!(
                "{HEAD}a,p,r0,,2026-11-22 10:58:22,10,0.0005,0,\"EPYC/1 device(s), TDP:500.0\", 0 device(s),Linux,FR,0\n\
                 b,p,r1,N/A,2026-11-22 10:58:33,20,0.0007,0,x,y,Linux,FR,0\n\
                 c,q,r2,\"epoch: 1, loss: 0.5\",2026-11-22 11:00:00,5,0.001,0,x,y,Linux,FR,0\n\
                 c,q,r2,\"epoch: 2, loss: 0.4\",2026-11-22 11:00:05,6,0.002,0,x,y,Linux,FR,0\n"
            ),
            None,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.format, InputFormat::Eco2ai);
        assert_eq!(s.runs.len(), 3);
        close(s.energy_kwh.value, 0.0005 + 0.0007 + 0.003);
        close(s.duration_s, 10.0 + 20.0 + 11.0);
        close(s.runs[2].energy_kwh, 0.003);
        assert_eq!(s.runs[2].rows, 2);
        let one = read_text(
            &format!("{HEAD}a,p,r0,,2026-11-22 10:58:22,10,0.0005,0,x,y,Linux,FR,0\nb,p,r1,N/A,2026-11-22 10:58:33,20,0.0007,0,x,y,Linux,FR,0\n"),
            Some(RunSelector::Any("r1".into())),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        close(one.energy_kwh.value, 0.0007);
    }

    #[test]
    fn units_delimiter_truncation_and_emptiness_at_their_line() {
        let (line, m) = failure("id,duration(s),power_consumption(Wh)\na,10,0.5\n");
        assert_eq!(line, Some(1));
        assert!(m.contains("\"Wh\""), "{m}");
        let (line, m) = failure("id,duration(min),power_consumption(kWh)\na,10,0.5\n");
        assert_eq!(line, Some(1));
        assert!(m.contains("\"min\""), "{m}");
        let (line, m) = failure(&format!(
            "{}a;p;r0;;2026-11-22 10:58:22;10;0.0005;0;x;y;Linux;FR;0\n",
            HEAD.replace(',', ";")
        ));
        assert_eq!(line, Some(1));
        assert!(m.contains("single column"), "{m}");
        let (line, _) = failure(&format!("{HEAD}a,p,r0,,2026-11-22 10:58:22,10,0.0005,0,x,y,Linux,FR,0\nb,p,r1,N/A,2026-11-22 10:58:33,20\n"));
        assert_eq!(line, Some(3));
        let (line, m) = failure(HEAD);
        assert_eq!(line, Some(1));
        assert!(m.contains("no row"), "{m}");
        let (line, m) = failure(&format!(
            "{HEAD}a,p,r0,,2026-11-22 10:58:22,ten,0.0005,0,x,y,Linux,FR,0\n"
        ));
        assert_eq!(line, Some(2));
        assert!(m.contains("\"ten\""), "{m}");
        let (line, m) = failure(&format!("{HEAD}a,p,r0,,2026-11-22 10:58:22,10,0.0005,0,x,y,Linux,FR,0\na,p,r0,,2026-11-22 10:58:22,10,0.0005,0,x,y,Linux,FR,0\n"));
        assert_eq!(line, Some(3));
        assert!(m.contains("second row of run id a"), "{m}");
    }
}
