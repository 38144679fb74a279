//! Slurm's accounting as `sacct --parsable2 --allusers --format=...` writes it: one line per
//! job, array task and step, cells separated by `|`, a header naming the columns.
//!
//! Columns read (by header name, in any order): JobID, User, Account, Partition, Start, End,
//! Elapsed, NodeList, AllocTRES and State (required); TRESUsageInTot and ConsumedEnergyRaw
//! (read where present). Steps (`123.batch`, `123.extern`, `123.0`) are folded into their job:
//! their CPU times add, the largest memory used is kept, and their energies add when the job's
//! own line has none. An array task (`123_4`) is a job of its own; a pending array
//! (`123_[5-9]`) is a pending job. A running job (End `Unknown`) is counted up to start +
//! Elapsed; a job that never started (Start `Unknown`, NodeList `None assigned`) holds nothing.

use super::job::{Job, JobSource, JobState};
use super::tres;
use super::{Accounting, Progress};
use crate::error::{Diagnostic, Error, Result};
use crate::quantity::time;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// The longest line read (a job line is a few hundred bytes).
const MAX_LINE_BYTES: u64 = 1 << 20;

/// The columns mlca needs, in the order `--format` should list them.
pub const REQUIRED: [&str; 10] = [
    "JobID",
    "User",
    "Account",
    "Partition",
    "Start",
    "End",
    "Elapsed",
    "NodeList",
    "AllocTRES",
    "State",
];
/// The columns read where present.
pub const OPTIONAL: [&str; 2] = ["TRESUsageInTot", "ConsumedEnergyRaw"];

/// The sacct command that writes what this reader reads.
pub const COMMAND: &str = "sacct --parsable2 --allusers --starttime=... --endtime=... --format=JobID,User,Account,Partition,Start,End,Elapsed,NodeList,AllocTRES,TRESUsageInTot,ConsumedEnergyRaw,State";

struct Columns {
    idx: HashMap<&'static str, usize>,
    n: usize,
}

impl Columns {
    fn get<'a>(&self, cells: &[&'a str], name: &str) -> Option<&'a str> {
        self.idx.get(name).and_then(|&i| cells.get(i).copied())
    }
}

/// The character column (1-based) where cell `i` of a line starts.
fn column_of(line: &str, i: usize) -> usize {
    let mut col = 1;
    for (k, cell) in line.split('|').enumerate() {
        if k == i {
            return col;
        }
        col += cell.chars().count() + 1;
    }
    col
}

fn located(path: &Path, line_no: usize, col: usize, text: &str, msg: String, hint: &str) -> Error {
    let mut d = Diagnostic::new(msg).file(path).hint(hint);
    d.line = Some(line_no);
    d.column = Some(col);
    d.snippet = Some(text.to_string());
    Error::input(d)
}

/// Read a sacct dump.
pub fn read(path: &Path, progress: Option<&Progress>) -> Result<Accounting> {
    let file = std::fs::File::open(path).map_err(|e| {
        Error::input(
            Diagnostic::new(format!("cannot read the accounting file: {e}"))
                .file(path)
                .hint("check the path"),
        )
    })?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    read_from(BufReader::new(file), path, size, progress)
}

/// Read a sacct dump from `input` (`path` names it in messages).
pub fn read_from<R: BufRead>(
    mut input: R,
    path: &Path,
    size: u64,
    progress: Option<&Progress>,
) -> Result<Accounting> {
    let mut acc = Accounting::new(path, "slurm");
    let mut buf = Vec::new();
    let mut line_no = 0usize;
    let mut cols: Option<Columns> = None;
    let mut index: HashMap<String, usize> = HashMap::new();
    // steps whose job line has not been seen (sacct writes the job first)
    let mut orphans = 0usize;
    let mut bytes = 0u64;
    loop {
        buf.clear();
        let n = (&mut input)
            .take(MAX_LINE_BYTES + 1)
            .read_until(b'\n', &mut buf)
            .map_err(|e| Error::input(Diagnostic::new(format!("cannot read: {e}")).file(path)))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        bytes += n as u64;
        if buf.len() as u64 > MAX_LINE_BYTES {
            let mut d = Diagnostic::new("a line longer than 1 MiB: this is not a sacct dump")
                .file(path)
                .hint(format!("write the accounting with {COMMAND}"));
            d.line = Some(line_no);
            return Err(Error::input(d));
        }
        if let (Some(p), 0) = (progress, line_no % 65536) {
            p.report(path, bytes, size);
        }
        let text = std::str::from_utf8(&buf).map_err(|e| {
            let mut d = Diagnostic::new(format!(
                "bytes that are not UTF-8 at byte {} of the line",
                e.valid_up_to() + 1
            ))
            .file(path)
            .hint("sacct writes UTF-8: is this the accounting file?");
            d.line = Some(line_no);
            Error::input(d)
        })?;
        let text = text.trim_end_matches(['\n', '\r']);
        let text = if line_no == 1 {
            text.trim_start_matches('\u{feff}')
        } else {
            text
        };
        if text.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = text.split('|').collect();
        let Some(c) = &cols else {
            cols = Some(header(path, text, &cells)?);
            continue;
        };
        if cells.len() != c.n {
            let d = located(
                path,
                line_no,
                column_of(text, cells.len().min(c.n)),
                text,
                format!(
                    "{} cells where the header has {} columns",
                    cells.len(),
                    c.n
                ),
                "a line of sacct --parsable2 has one cell per column of the header (a '|' in a job name breaks it: leave JobName out of --format)",
            );
            return Err(d);
        }
        let get = |name: &str| c.get(&cells, name).unwrap_or("").trim();
        let col = |name: &str| c.idx.get(name).map_or(1, |&i| column_of(text, i));
        let id = get("JobID");
        if id.is_empty() {
            return Err(located(
                path,
                line_no,
                col("JobID"),
                text,
                "an empty JobID".into(),
                "every sacct line names its job",
            ));
        }
        let usage = match c.idx.get("TRESUsageInTot") {
            Some(_) => tres::usage_tres(get("TRESUsageInTot")).map_err(|e| {
                located(
                    path,
                    line_no,
                    col("TRESUsageInTot") + e.offset,
                    text,
                    format!("cannot read TRESUsageInTot: {}", e.message),
                    "TRESUsageInTot is a list of name=value (cpu=HH:MM:SS, mem=10816K, energy=J)",
                )
            })?,
            None => tres::Usage::default(),
        };
        let energy_cell = get("ConsumedEnergyRaw");
        let energy_j = if energy_cell.is_empty() {
            None
        } else {
            match energy_cell.parse::<f64>() {
                Ok(x) if x.is_finite() && x >= 0.0 => (x > 0.0).then_some(x),
                _ => {
                    return Err(located(
                        path,
                        line_no,
                        col("ConsumedEnergyRaw"),
                        text,
                        format!("ConsumedEnergyRaw \"{energy_cell}\" is not a number of joules"),
                        "ConsumedEnergyRaw is in joules, without unit; ConsumedEnergy (with K, M suffixes) is not read",
                    ))
                }
            }
        };
        // a step: fold it into its job
        if let Some((job_id, _step)) = id.split_once('.') {
            match index.get(job_id) {
                Some(&k) => {
                    let j = &mut acc.jobs[k];
                    if let Some(s) = usage.cpu_s {
                        j.cpu_time_s = Some(j.cpu_time_s.unwrap_or(0.0) + s);
                    }
                    if let Some(m) = usage.memory_gb {
                        j.memory_used_gb = Some(j.memory_used_gb.unwrap_or(0.0).max(m));
                    }
                    let e = energy_j.or(usage.energy_j.filter(|&x| x > 0.0));
                    if let Some(e) = e {
                        acc.step_energy_j[k] += e;
                    }
                }
                None => orphans += 1,
            }
            continue;
        }
        if index.contains_key(id) {
            return Err(located(
                path,
                line_no,
                col("JobID"),
                text,
                format!("job {id} is written twice"),
                "give each job once: sacct writes a requeued job twice only with --duplicates",
            ));
        }
        let state_text = get("State").to_string();
        let mut state = JobState::of_slurm(&state_text);
        let array = id.split_once('_').map(|(a, _)| a.to_string());
        if id.contains("_[") {
            state = JobState::Pending;
        }
        let time_of = |name: &str| -> Result<Option<f64>> {
            let v = get(name);
            if v.is_empty() || v == "Unknown" || v == "None" {
                return Ok(None);
            }
            match time::parse(v.as_bytes()) {
                Some(t) => Ok(Some(t.since(0))),
                None => Err(located(
                    path,
                    line_no,
                    col(name),
                    text,
                    format!("{name} \"{v}\" is not a time"),
                    "sacct writes times as 2024-03-01T12:00:00 (or Unknown)",
                )),
            }
        };
        let start_s = time_of("Start")?;
        let mut end_s = time_of("End")?;
        let elapsed = get("Elapsed");
        let elapsed_s = tres::duration_s(elapsed);
        if elapsed_s.is_none() && !elapsed.is_empty() {
            return Err(located(
                path,
                line_no,
                col("Elapsed"),
                text,
                format!("Elapsed \"{elapsed}\" is not a duration"),
                "sacct writes [D-]HH:MM:SS",
            ));
        }
        if let (Some(a), None, Some(e)) = (start_s, end_s, elapsed_s) {
            if state == JobState::Running {
                end_s = Some(a + e);
            }
        }
        if let (Some(a), Some(b)) = (start_s, end_s) {
            if b < a {
                return Err(located(
                    path,
                    line_no,
                    col("End"),
                    text,
                    "the job ends before it starts".into(),
                    "check the Start and End cells",
                ));
            }
        }
        let hosts = super::hosts::expand(get("NodeList")).map_err(|e| {
            located(
                path,
                line_no,
                col("NodeList") + e.offset,
                text,
                format!("cannot read NodeList: {}", e.message),
                "NodeList is a Slurm host list: cn[1-6],gpu01",
            )
        })?;
        let reserved = tres::alloc_tres(get("AllocTRES")).map_err(|e| {
            located(
                path,
                line_no,
                col("AllocTRES") + e.offset,
                text,
                format!("cannot read AllocTRES: {}", e.message),
                "AllocTRES is a list of name=value: cpu=4,mem=16G,gres/gpu=1,node=1",
            )
        })?;
        let user = get("User");
        if user.is_empty() {
            return Err(located(
                path,
                line_no,
                col("User"),
                text,
                format!("job {id} has no user"),
                "write the accounting with --allusers; a job line (not a step) names its user",
            ));
        }
        let source = JobSource {
            line: line_no,
            hosts_column: col("NodeList"),
            reservation_column: col("AllocTRES"),
        };
        index.insert(id.to_string(), acc.jobs.len());
        acc.jobs.push(Job {
            id: id.to_string(),
            array,
            user: user.to_string(),
            account: get("Account").to_string(),
            partition: get("Partition").to_string(),
            state,
            state_text,
            start_s,
            end_s,
            hosts,
            reserved,
            cpu_time_s: usage.cpu_s,
            memory_used_gb: usage.memory_gb,
            consumed_energy_j: energy_j,
            source,
        });
        acc.step_energy_j.push(0.0);
    }
    if cols.is_none() {
        return Err(Error::input(
            Diagnostic::new("the accounting file is empty")
                .file(path)
                .hint(format!("write it with {COMMAND}")),
        ));
    }
    if orphans > 0 {
        acc.warnings.push(format!(
            "{orphans} step line(s) whose job line is not in the file were skipped (their job began before --starttime?)"
        ));
    }
    acc.finish();
    if let Some(p) = progress {
        p.report(path, size, size);
    }
    Ok(acc)
}

fn header(path: &Path, text: &str, cells: &[&str]) -> Result<Columns> {
    let mut idx = HashMap::new();
    for name in REQUIRED.iter().chain(OPTIONAL.iter()) {
        if let Some(i) = cells.iter().position(|c| c.trim() == *name) {
            idx.insert(*name, i);
        }
    }
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|n| !idx.contains_key(n))
        .collect();
    if !missing.is_empty() {
        let mut d = Diagnostic::new(if cells.len() == 1 {
            format!(
                "the header \"{}\" has one column: is this sacct --parsable2 output ('|' between cells)?",
                text.chars().take(80).collect::<String>()
            )
        } else {
            format!("the header lacks the column(s) {}", missing.join(", "))
        })
        .file(path)
        .hint(format!("write the accounting with {COMMAND}"));
        d.line = Some(1);
        d.column = Some(1);
        d.snippet = Some(text.to_string());
        return Err(Error::input(d));
    }
    Ok(Columns {
        idx,
        n: cells.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Accounting> {
        read_from(
            text.as_bytes(),
            Path::new("sacct.txt"),
            text.len() as u64,
            None,
        )
    }

    const HEAD: &str = "JobID|User|Account|Partition|Start|End|Elapsed|NodeList|AllocTRES|TRESUsageInTot|ConsumedEnergyRaw|State\n";

    #[test]
    fn steps_fold_into_their_job() {
        let t = format!("{HEAD}2|alice|vision|gpu|2026-11-22T15:35:42|2026-11-22T15:35:46|00:00:04|cn1|billing=2,cpu=2,gres/gpu=1,mem=512M,node=1||0|COMPLETED\n2.batch||vision||2026-11-22T15:35:42|2026-11-22T15:35:46|00:00:04|cn1|cpu=2,mem=512M,node=1|cpu=00:00:02,energy=0,mem=10816K|0|COMPLETED\n2.0||vision||2026-11-22T15:35:42|2026-11-22T15:35:46|00:00:04|cn1|cpu=2,mem=512M,node=1|cpu=00:00:03,energy=0,mem=4688K|0|COMPLETED\n");
        let a = parse(&t).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.jobs.len(), 1);
        let j = &a.jobs[0];
        assert_eq!(j.cpu_time_s, Some(5.0));
        assert!((j.memory_used_gb.unwrap_or(0.0) - 10816.0 * 1024.0 / 1e9).abs() < 1e-15);
        assert_eq!(j.consumed_energy_j, None);
        assert_eq!(j.elapsed_s(), 4.0);
        assert_eq!(j.hosts, ["cn1"]);
    }

    #[test]
    fn arrays_running_and_pending() {
        let t = format!("{HEAD}3_1|bob|nlp|gpu|2026-11-22T15:35:43|2026-11-22T15:35:47|00:00:04|cn1|cpu=1,mem=128M,node=1|||COMPLETED\n7|alice|vision|gpu|2026-11-22T15:35:51|Unknown|00:00:02|cn1|cpu=1,mem=128M,node=1|||RUNNING\n8|bob|nlp|gpu|Unknown|Unknown|00:00:00|None assigned|||0|PENDING\n9_[1-4]|bob|nlp|gpu|Unknown|Unknown|00:00:00|None assigned|||0|PENDING\n");
        let a = parse(&t).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.jobs[0].array.as_deref(), Some("3"));
        assert_eq!(a.jobs[1].state, JobState::Running);
        assert_eq!(a.jobs[1].elapsed_s(), 2.0);
        assert!(!a.jobs[2].ran());
        assert_eq!(a.jobs[3].state, JobState::Pending);
    }

    #[test]
    fn consumed_energy_from_the_job_or_its_steps() {
        let t = format!("{HEAD}4|alice|vision|cpu|2026-01-01T00:00:00|2026-01-01T01:00:00|01:00:00|cn[1-2]|cpu=8,mem=8G,node=2||0|COMPLETED\n4.0||vision||2026-01-01T00:00:00|2026-01-01T01:00:00|01:00:00|cn[1-2]|cpu=8|cpu=02:00:00|360000|COMPLETED\n5|alice|vision|cpu|2026-01-01T00:00:00|2026-01-01T01:00:00|01:00:00|cn3|cpu=8,mem=8G,node=1||720000|COMPLETED\n");
        let a = parse(&t).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.jobs[0].consumed_energy_j, Some(360000.0));
        assert_eq!(a.jobs[0].hosts, ["cn1", "cn2"]);
        assert_eq!(a.jobs[1].consumed_energy_j, Some(720000.0));
    }

    #[test]
    fn bad_cells_are_located() {
        let t = format!("{HEAD}2|alice|vision|gpu|2026-11-22T15:35:42|2026-11-22T15:35:46|00:00:04|cn1|cpu=2,mem=x||0|COMPLETED\n");
        let Err(Error::Input(d)) = parse(&t) else {
            panic!("accepted")
        };
        assert_eq!(d.line, Some(2));
        // the cell starts at column 73; mem's value at +10
        assert_eq!(d.column, Some(73 + 10));
        let t = format!("{HEAD}2|alice\n");
        assert!(parse(&t).is_err());
        assert!(parse("JobID|User\n").is_err());
        assert!(parse("").is_err());
    }
}
