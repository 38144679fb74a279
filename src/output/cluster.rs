//! A cluster's accounting period: JSON (the whole report, with the chosen grouping and the top
//! users and projects), CSV (one row per group, every impact with its bounds, units in the
//! column names), a terminal table, and a Markdown statement for one user or project.

use super::{new_table, range};
use crate::cluster::aggregate::{group, job_group, Group, GroupBy};
use crate::cluster::report::{AurBasis, ClusterReport};
use crate::error::{Error, Result};
use crate::quantity::format::num;
use crate::quantity::impacts::{Criterion, Impacts};
use serde::Serialize;

/// Where the electricity factors come from, in a cluster's terms.
fn location(r: &ClusterReport) -> String {
    match &r.electricity.location {
        crate::electricity::ElectricitySource::Scenario { .. } => {
            "the inventory's electricity factors".into()
        }
        l => format!("the electricity of {l}"),
    }
}

/// Refuse a report with a figure that is not finite (never `inf` in an output).
fn check(r: &ClusterReport) -> Result<()> {
    if let Some((path, x)) = crate::quantity::finite::first_non_finite(r) {
        return Err(Error::Internal(format!("cluster report: {path} is {x}")));
    }
    Ok(())
}

/// The groups of a report: totals, or every job's own row, made as it is written.
enum Groups<'a> {
    Totals(Vec<Group>),
    Jobs(&'a ClusterReport),
}

impl Serialize for Groups<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Groups::Totals(g) => g.serialize(s),
            Groups::Jobs(r) => {
                use serde::ser::SerializeSeq;
                let mut seq = s.serialize_seq(Some(r.jobs.len()))?;
                for i in 0..r.jobs.len() {
                    seq.serialize_element(&job_group(&r.jobs, i))?;
                }
                seq.end()
            }
        }
    }
}

impl<'a> Groups<'a> {
    fn of(r: &'a ClusterReport, by: GroupBy) -> Result<Self> {
        Ok(match by {
            GroupBy::Job => Groups::Jobs(r),
            _ => Groups::Totals(group(r, by)?),
        })
    }

    fn len(&self) -> usize {
        match self {
            Groups::Totals(g) => g.len(),
            Groups::Jobs(r) => r.jobs.len(),
        }
    }

    /// The first `n` groups.
    fn first(&self, n: usize) -> Vec<Group> {
        match self {
            Groups::Totals(g) => g.iter().take(n).cloned().collect(),
            Groups::Jobs(r) => (0..n.min(r.jobs.len()))
                .map(|i| job_group(&r.jobs, i))
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct Json<'a> {
    #[serde(flatten)]
    report: &'a ClusterReport,
    group_by: &'static str,
    groups: Groups<'a>,
    top_users: Vec<Group>,
    top_accounts: Vec<Group>,
}

/// The report as JSON, with the groups of `by` and the `top` users and accounts, written to `w`
/// as it is made: a report of millions of jobs is never held as text.
pub fn write_json(
    r: &ClusterReport,
    by: GroupBy,
    top: usize,
    mut w: impl std::io::Write,
) -> Result<()> {
    check(r)?;
    let mut users = group(r, GroupBy::User)?;
    users.truncate(top);
    let mut accounts = group(r, GroupBy::Account)?;
    accounts.truncate(top);
    let j = Json {
        report: r,
        group_by: crate::choice::Choice::name(by),
        groups: Groups::of(r, by)?,
        top_users: users,
        top_accounts: accounts,
    };
    let err = |e: String| Error::Internal(format!("JSON output: {e}"));
    serde_json::to_writer_pretty(&mut w, &j).map_err(|e| err(e.to_string()))?;
    w.write_all(b"\n").map_err(|e| err(e.to_string()))
}

const PHASES: [&str; 3] = ["use", "embodied", "total"];

fn impact_header() -> Vec<String> {
    let mut h = Vec::new();
    for p in PHASES {
        for c in Criterion::ALL {
            let name = format!("{p}_{}_{}", c.key(), unit_suffix(c));
            h.push(name.clone());
            h.push(format!("{name}_min"));
            h.push(format!("{name}_max"));
        }
    }
    h
}

fn unit_suffix(c: Criterion) -> &'static str {
    match c {
        Criterion::Gwp => "kgco2eq",
        Criterion::Adp => "kgsbeq",
        Criterion::Pe => "mj",
        Criterion::Water => "m3",
    }
}

fn impact_cells(cols: &mut [Column], parts: [&Impacts; 3]) {
    let mut k = 0;
    for imp in parts {
        for c in Criterion::ALL {
            let i = imp.get(c);
            for x in [i.value, i.min, i.max] {
                cols[k].push_f64(x);
                k += 1;
            }
        }
    }
}

/// One column of the rows of [`write_csv()`] and [`write_parquet()`], typed.
pub enum Column {
    Text(Vec<String>),
    Float(Vec<f64>),
    Count(Vec<u64>),
}

impl Column {
    fn push_text(&mut self, x: String) {
        if let Column::Text(v) = self {
            v.push(x);
        }
    }
    fn push_f64(&mut self, x: f64) {
        if let Column::Float(v) = self {
            v.push(x);
        }
    }
    fn push_count(&mut self, x: u64) {
        if let Column::Count(v) = self {
            v.push(x);
        }
    }
    /// Cell `i` as the CSV writes it (f64 in Rust's shortest form that reads back exactly),
    /// into `out`.
    fn cell(&self, i: usize, out: &mut String) {
        use std::fmt::Write;
        out.clear();
        let _ = match self {
            Column::Text(v) => v.get(i).map_or(Ok(()), |x| out.write_str(x)),
            Column::Float(v) => v.get(i).map_or(Ok(()), |x| write!(out, "{x}")),
            Column::Count(v) => v.get(i).map_or(Ok(()), |x| write!(out, "{x}")),
        };
    }
}

/// The rows of a report by group, column by column: names with their units, and typed cells.
pub struct Rows {
    pub names: Vec<String>,
    pub columns: Vec<Column>,
    pub len: usize,
}

const ENERGY: [&str; 4] = ["static_kwh", "gpu_idle_kwh", "dynamic_kwh", "energy_kwh"];

/// Jobs per batch of rows of [`write_csv()`] and [`write_parquet()`] by job: the rows of one
/// batch are made, written and dropped.
const BATCH: usize = 1 << 16;

/// The column names and the empty columns of the rows of `by`.
fn empty_rows(by: GroupBy) -> Rows {
    let text = || Column::Text(Vec::new());
    let float = || Column::Float(Vec::new());
    let (mut names, mut columns): (Vec<String>, Vec<Column>) = if by == GroupBy::Job {
        let labels = [
            "job_id",
            "user",
            "account",
            "partition",
            "state",
            "start",
            "end",
        ];
        let numbers = ["elapsed_h", "hosts", "cores", "memory_gb", "gpus"];
        let mut n: Vec<String> = labels.iter().map(|s| s.to_string()).collect();
        n.extend(numbers.iter().map(|s| s.to_string()));
        n.push("energy_source".into());
        let mut c: Vec<Column> = labels.iter().map(|_| text()).collect();
        c.extend([float(), text(), float(), float(), float(), text()]);
        (n, c)
    } else {
        let n = vec![
            crate::choice::Choice::name(by).to_string(),
            "jobs".into(),
            "node_h".into(),
        ];
        (n, vec![text(), Column::Count(Vec::new()), float()])
    };
    names.extend(ENERGY.iter().map(|s| s.to_string()));
    names.extend(impact_header());
    columns.extend((columns.len()..names.len()).map(|_| float()));
    Rows {
        names,
        columns,
        len: 0,
    }
}

fn energy_cells(cols: &mut [Column], e: &crate::cluster::report::EnergyParts) {
    for (k, x) in [e.static_kwh, e.gpu_idle_kwh, e.dynamic_kwh, e.total_kwh]
        .into_iter()
        .enumerate()
    {
        cols[k].push_f64(x);
    }
}

/// The rows of jobs `from..to`, one per job with its user, account, state and times.
fn job_rows(r: &ClusterReport, from: usize, to: usize) -> Rows {
    let mut rows = empty_rows(GroupBy::Job);
    let c = &mut rows.columns;
    let fixed = 13;
    for i in from..to {
        let j = r.jobs.get(i);
        for (k, x) in [j.id, j.user, j.account, j.partition, j.state.key()]
            .into_iter()
            .enumerate()
        {
            c[k].push_text(x.to_string());
        }
        c[5].push_text(j.start.map(|t| t.to_string()).unwrap_or_default());
        c[6].push_text(j.end.map(|t| t.to_string()).unwrap_or_default());
        c[7].push_f64(j.elapsed_h);
        c[8].push_text(j.hosts.join(" "));
        c[9].push_f64(j.cores);
        c[10].push_f64(j.memory_gb);
        c[11].push_f64(j.gpus);
        c[12].push_text(j.energy_source.key().to_string());
        energy_cells(&mut c[fixed..], &j.energy);
        impact_cells(&mut c[fixed + 4..], [&j.use_impacts, &j.embodied, &j.total]);
    }
    rows.len = to - from;
    rows
}

/// One row per group of `by` (not by job).
fn group_rows(r: &ClusterReport, by: GroupBy) -> Result<Rows> {
    let mut rows = empty_rows(by);
    let fixed = 3;
    for g in group(r, by)? {
        let c = &mut rows.columns;
        c[1].push_count(g.jobs as u64);
        c[2].push_f64(g.node_h);
        c[0].push_text(g.key);
        energy_cells(&mut c[fixed..], &g.energy);
        impact_cells(&mut c[fixed + 4..], [&g.use_impacts, &g.embodied, &g.total]);
        rows.len += 1;
    }
    Ok(rows)
}

/// The rows of `by` batch by batch (by job, [`BATCH`] jobs at a time; else the groups at
/// once), each handed to `f`.
fn each_batch(r: &ClusterReport, by: GroupBy, mut f: impl FnMut(Rows) -> Result<()>) -> Result<()> {
    check(r)?;
    if by != GroupBy::Job {
        return f(group_rows(r, by)?);
    }
    if r.jobs.is_empty() {
        return f(empty_rows(by));
    }
    for from in (0..r.jobs.len()).step_by(BATCH) {
        f(job_rows(r, from, (from + BATCH).min(r.jobs.len())))?;
    }
    Ok(())
}

/// One row per group; with `job`, one row per job with its user, account, state and times,
/// written to `w` batch by batch.
pub fn write_csv(r: &ClusterReport, by: GroupBy, w: impl std::io::Write) -> Result<()> {
    let mut w = ::csv::Writer::from_writer(w);
    let err = |e: ::csv::Error| Error::Internal(format!("CSV output: {e}"));
    let mut header = true;
    each_batch(r, by, |rows| {
        if std::mem::take(&mut header) {
            w.write_record(&rows.names).map_err(err)?;
        }
        let mut cell = String::new();
        for i in 0..rows.len {
            for c in &rows.columns {
                c.cell(i, &mut cell);
                w.write_field(&cell).map_err(err)?;
            }
            w.write_record(None::<&[u8]>).map_err(err)?;
        }
        Ok(())
    })?;
    w.flush()
        .map_err(|e| Error::Internal(format!("CSV output: {e}")))
}

/// [`write_csv()`] as text.
pub fn csv(r: &ClusterReport, by: GroupBy) -> Result<String> {
    let mut out = Vec::new();
    write_csv(r, by, &mut out)?;
    String::from_utf8(out).map_err(|e| Error::Internal(format!("CSV output: {e}")))
}

/// The rows of [`write_csv()`] as a Parquet file written to `w`: the same column names, strings, f64
/// and u64 columns, one row group per batch.
pub fn write_parquet(r: &ClusterReport, by: GroupBy, w: impl std::io::Write) -> Result<()> {
    use polars::prelude::{Column as PlColumn, DataFrame, ParquetWriter};
    let err = |e: polars::error::PolarsError| Error::Internal(format!("Parquet output: {e}"));
    let mut w = Some(w);
    let mut writer = None;
    each_batch(r, by, |rows| {
        let columns: Vec<PlColumn> = (rows.names.into_iter().zip(rows.columns))
            .map(|(name, c)| match c {
                Column::Text(v) => PlColumn::new(name.into(), v),
                Column::Float(v) => PlColumn::new(name.into(), v),
                Column::Count(v) => PlColumn::new(name.into(), v),
            })
            .collect();
        let df = DataFrame::new(rows.len, columns).map_err(err)?;
        let bw = match (&mut writer, w.take()) {
            (Some(bw), _) => bw,
            (None, Some(w)) => {
                writer.insert(ParquetWriter::new(w).batched(df.schema()).map_err(err)?)
            }
            (None, None) => return Err(Error::Internal("Parquet output: no writer".into())),
        };
        bw.write_batch(&df).map_err(err)
    })?;
    match writer {
        Some(bw) => bw.finish().map(|_| ()).map_err(err),
        None => Err(Error::Internal("Parquet output: no rows".into())),
    }
}

/// The terminal table: the period, the energy and its idle overhead, the node kinds with their
/// AUR, then the `top` groups of `by`, the assumptions and the warnings.
pub fn table(r: &ClusterReport, by: GroupBy, top: usize) -> Result<String> {
    check(r)?;
    let mut out = String::new();
    let t = &r.totals;
    out.push_str(&format!(
        "Cluster: {} ({} accounting: {})\nPeriod: {} to {} ({} h)\nJobs: {} ({} ran)\n",
        r.cluster,
        r.scheduler,
        r.accounting,
        r.period.start,
        r.period.end,
        num(r.period.duration_h),
        t.jobs,
        t.jobs_run
    ));
    out.push_str(&format!(
        "Energy of the nodes: {} kWh = jobs {} kWh + idle overhead {} kWh (PUE {}, {})\n",
        num(t.energy_kwh),
        num(t.jobs_kwh),
        num(t.idle_overhead_kwh),
        range(r.electricity.pue),
        location(r)
    ));
    out.push_str(&format!(
        "GWP [kgCO2eq]: use {} (jobs {}, idle overhead {}); embodied of the period {}, carried by the jobs {}\n\n",
        range(t.use_impacts.gwp),
        range(t.jobs_use.gwp),
        range(t.idle_overhead_use.gwp),
        range(t.embodied_of_period.gwp),
        range(t.embodied_to_jobs.gwp)
    ));
    let mut k = new_table();
    k.set_header(vec![
        "node kind",
        "nodes",
        "allocated / available [node-h]",
        "AUR",
        "embodied of one node GWP [kgCO2eq]",
        "embodied to jobs GWP [kgCO2eq]",
    ]);
    for kind in &r.kinds {
        let aur = match (
            kind.active_utilization_rate,
            kind.aur_basis,
            kind.measured_active_utilization_rate,
        ) {
            (None, _, _) => "none (nothing allocated, or outside the nodes' life)".to_string(),
            (Some(a), AurBasis::Measured, _) => format!("{} (measured)", range(a)),
            (Some(a), AurBasis::Declared, Some(m)) => {
                format!("{} (declared; measured {})", range(a), num(m))
            }
            (Some(a), AurBasis::Declared, None) => format!("{} (declared)", range(a)),
        };
        k.add_row(vec![
            kind.name.clone(),
            kind.nodes.to_string(),
            format!(
                "{} / {}",
                num(kind.allocated_node_h),
                num(kind.available_node_h)
            ),
            aur,
            range(kind.embodied_per_node.gwp),
            range(kind.embodied_to_jobs.gwp),
        ]);
    }
    out.push_str(&k.to_string());
    out.push('\n');
    let groups = Groups::of(r, by)?;
    let mut g = new_table();
    g.set_header(vec![
        crate::choice::Choice::name(by).to_string(),
        "jobs".into(),
        "energy [kWh]".into(),
        "GWP use [kgCO2eq]".into(),
        "GWP embodied [kgCO2eq]".into(),
        "GWP total [kgCO2eq]".into(),
        "ADP total [kgSbeq]".into(),
        "PE total [MJ]".into(),
    ]);
    for x in groups.first(top) {
        g.add_row(vec![
            x.key,
            x.jobs.to_string(),
            num(x.energy.total_kwh),
            range(x.use_impacts.gwp),
            range(x.embodied.gwp),
            range(x.total.gwp),
            range(x.total.adp),
            range(x.total.pe),
        ]);
    }
    out.push_str(&g.to_string());
    out.push('\n');
    if groups.len() > top {
        out.push_str(&format!(
            "({} more rows: --top N shows more, --format csv all)\n",
            groups.len() - top
        ));
    }
    for (title, list) in [("Assumptions", &r.assumptions), ("Warnings", &r.warnings)] {
        if !list.is_empty() {
            out.push_str(&format!("\n{title}:\n"));
            for a in list.iter() {
                out.push_str(&format!("  - {a}\n"));
            }
        }
    }
    Ok(out)
}

/// The statement of one user's or account's footprint over the period, in Markdown.
pub fn statement(r: &ClusterReport, by: GroupBy, key: &str) -> Result<String> {
    check(r)?;
    let groups = group(r, by)?;
    let Some(g) = groups.iter().find(|g| g.key == key) else {
        let names: Vec<&str> = groups.iter().map(|g| g.key.as_str()).collect();
        let what = crate::choice::Choice::name(by);
        let hint = match crate::data::names::suggest(key, &names) {
            Some(s) => format!(
                "did you mean {s}? The {what}s of the accounting: {}",
                names.join(", ")
            ),
            None => format!("the {what}s of the accounting: {}", names.join(", ")),
        };
        return Err(Error::input(
            crate::error::Diagnostic::new(format!("no {what} \"{key}\" in the accounting"))
                .hint(hint),
        ));
    };
    let what = crate::choice::Choice::name(by);
    let share = |x: f64| {
        if r.totals.jobs_kwh > 0.0 {
            format!("{:.1} %", 100.0 * x / r.totals.jobs_kwh)
        } else {
            "–".into()
        }
    };
    let mut s = format!(
        "## Footprint of {what} {key} on {}, {} to {}\n\n",
        r.cluster, r.period.start, r.period.end
    );
    s.push_str(&format!(
        "The {} job(s) of {what} {key} held {} node-hours and drew {} kWh of IT energy ({} of the energy the jobs drew on the cluster): {} kWh of dynamic energy above the nodes' base power, {} kWh as their share of the nodes' static power and {} kWh of the passive power of the GPUs they held. ",
        g.jobs,
        num(g.node_h),
        num(g.energy.total_kwh),
        share(g.energy.total_kwh),
        num(g.energy.dynamic_kwh),
        num(g.energy.static_kwh),
        num(g.energy.gpu_idle_kwh)
    ));
    s.push_str(&format!(
        "With a PUE of {} and {}, the use phase is {} kgCO2eq, {} kgSbeq and {} MJ. Their share of the nodes' manufacture (reserved fraction x time / (active utilization rate x lifetime)) is {} kgCO2eq, {} kgSbeq and {} MJ. In all: **{} kgCO2eq**, {} kgSbeq, {} MJ (value [min – max]).\n\n",
        range(r.electricity.pue),
        location(r),
        range(g.use_impacts.gwp),
        range(g.use_impacts.adp),
        range(g.use_impacts.pe),
        range(g.embodied.gwp),
        range(g.embodied.adp),
        range(g.embodied.pe),
        range(g.total.gwp),
        range(g.total.adp),
        range(g.total.pe)
    ));
    s.push_str(&format!(
        "Not included: the cluster's idle overhead ({} kWh over the period, nodes powered with no job) is reported apart, not shared among users. Computed by mlca {} from {} and {}.\n",
        num(r.totals.idle_overhead_kwh),
        r.mlca_version,
        r.accounting,
        r.inventory
    ));
    Ok(s)
}
