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

use super::job::fast_hash;
use super::job::{JobLabels, JobSource, JobState, NewJob};
use super::tres;
use super::{Accounting, Progress};
use crate::error::{Diagnostic, Error, Result};
use crate::quantity::time;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
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

/// Where each column is in a line.
struct Columns {
    n: usize,
    job_id: usize,
    user: usize,
    account: usize,
    partition: usize,
    start: usize,
    end: usize,
    elapsed: usize,
    node_list: usize,
    alloc_tres: usize,
    state: usize,
    usage: Option<usize>,
    energy: Option<usize>,
}

/// The jobs read so far by id, to fold steps into their job and refuse a job written twice:
/// a 64-bit hash of the id to the job (about 16 bytes a job, where a map of the ids' strings
/// would take 60), the id compared on every hit; ids whose hash another id has are kept apart.
#[derive(Default)]
struct IdIndex {
    by_hash: HashMap<u64, u32, BuildHasherDefault<Passthrough>>,
    clash: HashMap<Box<str>, usize>,
}

/// The hasher of keys that are hashes already.
#[derive(Default)]
struct Passthrough(u64);

impl Hasher for Passthrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = x;
    }
}

impl IdIndex {
    fn get(&self, acc: &Accounting, id: &str) -> Option<usize> {
        match self.by_hash.get(&fast_hash(id)) {
            Some(&k) if acc.id(k as usize) == id => Some(k as usize),
            _ => self.clash.get(id).copied(),
        }
    }

    /// Index job `k` by its id; false (and nothing done) when a job has this id already.
    fn insert(&mut self, acc: &Accounting, id: &str, k: usize) -> bool {
        match self.by_hash.entry(fast_hash(id)) {
            Entry::Vacant(v) => match u32::try_from(k) {
                Ok(k) => {
                    v.insert(k);
                    true
                }
                Err(_) => self.clash.insert(id.into(), k).is_none(),
            },
            Entry::Occupied(o) => {
                if acc.id(*o.get() as usize) == id || self.clash.contains_key(id) {
                    return false;
                }
                self.clash.insert(id.into(), k);
                true
            }
        }
    }
}

/// The character column (1-based) where the cell at byte `off` of a line starts.
fn column_at(line: &str, ascii: bool, off: usize) -> usize {
    if ascii {
        off + 1
    } else {
        line.get(..off).map_or(off, |p| p.chars().count()) + 1
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

fn located(path: &Path, line_no: u64, col: usize, text: &str, msg: String, hint: &str) -> Error {
    let mut d = Diagnostic::new(msg).file(path).hint(hint);
    d.line = Some(line_no as usize);
    d.column = Some(col);
    d.snippet = Some(text.to_string());
    Error::input(d)
}

/// Whether a host list is one plain host name (no range, no list): read without expanding.
fn plain_host(list: &str) -> bool {
    !list.is_empty()
        && list != "None"
        && list
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
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
    read_from(
        BufReader::with_capacity(1 << 20, file),
        path,
        size,
        progress,
    )
}

/// Read a sacct dump from `input` (`path` names it in messages), line by line: a job keeps
/// its numbers, its names as symbols and its line number, not its text.
pub fn read_from<R: BufRead>(
    mut input: R,
    path: &Path,
    size: u64,
    progress: Option<&Progress>,
) -> Result<Accounting> {
    let mut acc = Accounting::new(path, "slurm");
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    let mut cols: Option<Columns> = None;
    let mut index = IdIndex::default();
    let mut cells: Vec<(usize, usize)> = Vec::new();
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
            d.line = Some(line_no as usize);
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
            d.line = Some(line_no as usize);
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
        let Some(c) = &cols else {
            let names: Vec<&str> = text.split('|').collect();
            cols = Some(header(path, text, &names)?);
            continue;
        };
        cells.clear();
        let mut from = 0;
        for bar in memchr::memchr_iter(b'|', text.as_bytes()) {
            cells.push((from, bar));
            from = bar + 1;
        }
        cells.push((from, text.len()));
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
        let ascii = text.is_ascii();
        let get = |i: usize| text.get(cells[i].0..cells[i].1).unwrap_or("").trim();
        let col = |i: usize| column_at(text, ascii, cells[i].0);
        let id = get(c.job_id);
        if id.is_empty() {
            return Err(located(
                path,
                line_no,
                col(c.job_id),
                text,
                "an empty JobID".into(),
                "every sacct line names its job",
            ));
        }
        // a cell that cannot be read, at the character `off` of cell `i`
        let bad_cell = |i: usize, off: usize, name: &str, msg: &str, hint: &str| {
            located(
                path,
                line_no,
                col(i) + off,
                text,
                format!("cannot read {name}: {msg}"),
                hint,
            )
        };
        let usage = match c.usage {
            Some(i) => tres::usage_tres(get(i)).map_err(|e| {
                bad_cell(
                    i,
                    e.offset,
                    "TRESUsageInTot",
                    &e.message,
                    "TRESUsageInTot is a list of name=value (cpu=HH:MM:SS, mem=10816K, energy=J)",
                )
            })?,
            None => tres::Usage::default(),
        };
        let energy_cell = c.energy.map_or("", get);
        let energy_j = if energy_cell.is_empty() {
            None
        } else {
            match energy_cell.parse::<f64>() {
                Ok(x) if x.is_finite() && x >= 0.0 => (x > 0.0).then_some(x),
                _ => {
                    return Err(located(
                        path,
                        line_no,
                        c.energy.map_or(1, col),
                        text,
                        format!("ConsumedEnergyRaw \"{energy_cell}\" is not a number of joules"),
                        "ConsumedEnergyRaw is in joules, without unit; ConsumedEnergy (with K, M suffixes) is not read",
                    ))
                }
            }
        };
        // a step: fold it into its job
        if let Some((job_id, _step)) = id.split_once('.') {
            match index.get(&acc, job_id) {
                Some(k) => {
                    let j = &mut acc.jobs[k];
                    if let Some(s) = usage.cpu_s {
                        j.set_cpu_time_s(j.cpu_time_s().unwrap_or(0.0) + s);
                    }
                    if let Some(m) = usage.memory_gb {
                        j.set_memory_used_gb(j.memory_used_gb().unwrap_or(0.0).max(m));
                    }
                    let e = energy_j.or(usage.energy_j.filter(|&x| x > 0.0));
                    if let Some(e) = e {
                        *acc.step_energy_j.entry(k).or_insert(0.0) += e;
                    }
                }
                None => orphans += 1,
            }
            continue;
        }
        if !index.insert(&acc, id, acc.jobs.len()) {
            return Err(located(
                path,
                line_no,
                col(c.job_id),
                text,
                format!("job {id} is written twice"),
                "give each job once: sacct writes a requeued job twice only with --duplicates",
            ));
        }
        let state_cell = get(c.state);
        let mut state = JobState::of_slurm(state_cell);
        let array = id.split_once('_').map(|(a, _)| acc.names.intern(a));
        if id.contains("_[") {
            state = JobState::Pending;
        }
        let time_of = |i: usize, name: &str| -> Result<Option<f64>> {
            let v = get(i);
            if v.is_empty() || v == "Unknown" || v == "None" {
                return Ok(None);
            }
            match time::parse(v.as_bytes()) {
                Some(t) => Ok(Some(t.since(0))),
                None => Err(located(
                    path,
                    line_no,
                    col(i),
                    text,
                    format!("{name} \"{v}\" is not a time"),
                    "sacct writes times as 2024-03-01T12:00:00 (or Unknown)",
                )),
            }
        };
        let start_s = time_of(c.start, "Start")?;
        let mut end_s = time_of(c.end, "End")?;
        let elapsed = get(c.elapsed);
        let elapsed_s = tres::duration_s(elapsed);
        if elapsed_s.is_none() && !elapsed.is_empty() {
            return Err(located(
                path,
                line_no,
                col(c.elapsed),
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
                    col(c.end),
                    text,
                    "the job ends before it starts".into(),
                    "check the Start and End cells",
                ));
            }
        }
        let node_list = get(c.node_list);
        let expanded = if plain_host(node_list) {
            None
        } else {
            Some(super::hosts::expand(node_list).map_err(|e| {
                let hint = "NodeList is a Slurm host list: cn[1-6],gpu01";
                bad_cell(c.node_list, e.offset, "NodeList", &e.message, hint)
            })?)
        };
        let (reserved, gpu_indexes) = tres::alloc_tres(get(c.alloc_tres)).map_err(|e| {
            let hint = "AllocTRES is a list of name=value: cpu=4,mem=16G,gres/gpu=1,node=1";
            bad_cell(c.alloc_tres, e.offset, "AllocTRES", &e.message, hint)
        })?;
        let user = get(c.user);
        if user.is_empty() {
            return Err(located(
                path,
                line_no,
                col(c.user),
                text,
                format!("job {id} has no user"),
                "write the accounting with --allusers; a job line (not a step) names its user",
            ));
        }
        let column = |i: usize| u32::try_from(col(i)).unwrap_or(u32::MAX);
        let source = JobSource {
            line: line_no,
            hosts_column: column(c.node_list),
            reservation_column: column(c.alloc_tres),
        };
        let labels = JobLabels {
            array,
            user: acc.names.intern(user),
            account: acc.names.intern(get(c.account)),
            partition: acc.names.intern(get(c.partition)),
            state,
            state_text: acc.names.intern(state_cell),
        };
        let new = NewJob {
            labels,
            start_s,
            end_s,
            reserved,
            cpu_time_s: usage.cpu_s,
            memory_used_gb: usage.memory_gb,
            consumed_energy_j: energy_j,
            source,
        };
        if gpu_indexes != 0 {
            acc.gpu_indexes.insert(acc.jobs.len(), gpu_indexes);
        }
        match &expanded {
            None => acc.push(id, [node_list], new),
            Some(h) => acc.push(id, h.iter().map(String::as_str), new),
        }
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
    let at = |name: &str| idx.get(name).copied().unwrap_or(0);
    Ok(Columns {
        n: cells.len(),
        job_id: at("JobID"),
        user: at("User"),
        account: at("Account"),
        partition: at("Partition"),
        start: at("Start"),
        end: at("End"),
        elapsed: at("Elapsed"),
        node_list: at("NodeList"),
        alloc_tres: at("AllocTRES"),
        state: at("State"),
        usage: idx.get("TRESUsageInTot").copied(),
        energy: idx.get("ConsumedEnergyRaw").copied(),
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

    fn hosts(a: &Accounting, i: usize) -> Vec<&str> {
        a.hosts(i).iter().map(|&h| a.name(h)).collect()
    }

    #[test]
    fn ids_whose_hashes_clash_are_kept_apart() {
        let mut a = Accounting::new(Path::new("x"), "slurm");
        let mut ix = IdIndex::default();
        let u = super::super::job::Names::default().intern("u");
        let blank = || NewJob {
            labels: JobLabels {
                array: None,
                user: u,
                account: u,
                partition: u,
                state: JobState::Completed,
                state_text: u,
            },
            start_s: None,
            end_s: None,
            reserved: Default::default(),
            cpu_time_s: None,
            memory_used_gb: None,
            consumed_energy_j: None,
            source: JobSource::default(),
        };
        a.push("1", [], blank());
        assert!(ix.insert(&a, "1", 0));
        assert!(!ix.insert(&a, "1", 0));
        // a second id forced onto the first one's hash
        a.push("2", [], blank());
        ix.clash.insert("2".into(), 1);
        assert_eq!(ix.get(&a, "1"), Some(0));
        assert_eq!(ix.get(&a, "2"), Some(1));
        assert_eq!(ix.get(&a, "3"), None);
    }

    const HEAD: &str = "JobID|User|Account|Partition|Start|End|Elapsed|NodeList|AllocTRES|TRESUsageInTot|ConsumedEnergyRaw|State\n";

    #[test]
    fn steps_fold_into_their_job() {
        let t = format!("{HEAD}2|alice|vision|gpu|2026-11-22T15:35:42|2026-11-22T15:35:46|00:00:04|cn1|billing=2,cpu=2,gres/gpu=1,mem=512M,node=1||0|COMPLETED\n2.batch||vision||2026-11-22T15:35:42|2026-11-22T15:35:46|00:00:04|cn1|cpu=2,mem=512M,node=1|cpu=00:00:02,energy=0,mem=10816K|0|COMPLETED\n2.0||vision||2026-11-22T15:35:42|2026-11-22T15:35:46|00:00:04|cn1|cpu=2,mem=512M,node=1|cpu=00:00:03,energy=0,mem=4688K|0|COMPLETED\n");
        let a = parse(&t).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.jobs.len(), 1);
        let j = &a.jobs[0];
        assert_eq!(j.cpu_time_s(), Some(5.0));
        assert!((j.memory_used_gb().unwrap_or(0.0) - 10816.0 * 1024.0 / 1e9).abs() < 1e-15);
        assert_eq!(j.consumed_energy_j(), None);
        assert_eq!(j.elapsed_s(), 4.0);
        assert_eq!(hosts(&a, 0), ["cn1"]);
    }

    #[test]
    fn arrays_running_and_pending() {
        let t = format!("{HEAD}3_1|bob|nlp|gpu|2026-11-22T15:35:43|2026-11-22T15:35:47|00:00:04|cn1|cpu=1,mem=128M,node=1|||COMPLETED\n7|alice|vision|gpu|2026-11-22T15:35:51|Unknown|00:00:02|cn1|cpu=1,mem=128M,node=1|||RUNNING\n8|bob|nlp|gpu|Unknown|Unknown|00:00:00|None assigned|||0|PENDING\n9_[1-4]|bob|nlp|gpu|Unknown|Unknown|00:00:00|None assigned|||0|PENDING\n");
        let a = parse(&t).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.jobs[0].labels.array.map(|s| a.name(s)), Some("3"));
        assert_eq!(a.id(0), "3_1");
        assert_eq!(a.jobs[1].labels.state, JobState::Running);
        assert_eq!(a.jobs[1].elapsed_s(), 2.0);
        assert!(!a.ran(2));
        assert_eq!(a.jobs[3].labels.state, JobState::Pending);
    }

    #[test]
    fn consumed_energy_from_the_job_or_its_steps() {
        let t = format!("{HEAD}4|alice|vision|cpu|2026-01-01T00:00:00|2026-01-01T01:00:00|01:00:00|cn[1-2]|cpu=8,mem=8G,node=2||0|COMPLETED\n4.0||vision||2026-01-01T00:00:00|2026-01-01T01:00:00|01:00:00|cn[1-2]|cpu=8|cpu=02:00:00|360000|COMPLETED\n5|alice|vision|cpu|2026-01-01T00:00:00|2026-01-01T01:00:00|01:00:00|cn3|cpu=8,mem=8G,node=1||720000|COMPLETED\n");
        let a = parse(&t).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.jobs[0].consumed_energy_j(), Some(360000.0));
        assert_eq!(hosts(&a, 0), ["cn1", "cn2"]);
        assert_eq!(a.jobs[1].consumed_energy_j(), Some(720000.0));
        assert_eq!((a.id(0), a.id(1)), ("4", "5"));
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
