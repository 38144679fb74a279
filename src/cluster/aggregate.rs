//! Totals of a cluster report by user, account, partition, month or node kind, and the top
//! users and projects.

use super::job::Sym;
use super::report::{ClusterReport, EnergyParts, JobFigures, JobTable};
use crate::choice;
use crate::error::{Error, Result};
use crate::quantity::impacts::{Criterion, Impacts};
use crate::quantity::interval::Interval;
use polars::prelude::*;
use serde::Serialize;
use std::collections::HashMap;

/// What to group the jobs by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupBy {
    Job,
    User,
    Account,
    Partition,
    Month,
}

choice!(GroupBy {
    Job => "job", "one row per job";
    User => "user", "one row per user";
    Account => "account", "one row per account (project)";
    Partition => "partition", "one row per partition (queue)";
    Month => "month", "one row per month of the jobs' start";
});

/// One group's totals.
#[derive(Clone, Debug, Serialize)]
pub struct Group {
    pub key: String,
    pub jobs: usize,
    pub node_h: f64,
    pub energy: EnergyParts,
    #[serde(rename = "use")]
    pub use_impacts: Impacts,
    pub embodied: Impacts,
    pub total: Impacts,
}

/// Jobs per batch of the grouping: the per-job frame of one batch (43 columns) stays near
/// 22 MB whatever the number of jobs.
const BATCH: usize = 1 << 16;

/// The figures a group adds up, in order: node-hours, the energy parts (static, GPU idle,
/// dynamic, total, kWh), then the use, embodied and total impacts, value, min and max of each
/// criterion in [`Criterion::ALL`]'s order.
const SUMS: usize = 5 + 3 * 3 * Criterion::ALL.len();

fn sums_of(f: &JobFigures) -> [f64; SUMS] {
    let mut v = [0.0; SUMS];
    let e = f.energy;
    v[..5].copy_from_slice(&[
        f.elapsed_h * f.hosts as f64,
        e.static_kwh,
        e.gpu_idle_kwh,
        e.dynamic_kwh,
        e.total_kwh,
    ]);
    let mut k = 5;
    for imp in [f.use_impacts, f.embodied, f.total] {
        for c in Criterion::ALL {
            let i = imp.get(c);
            v[k..k + 3].copy_from_slice(&[i.value, i.min, i.max]);
            k += 3;
        }
    }
    v
}

/// A group from its sums (in [`sums_of`]'s order).
fn group_of(key: String, jobs: usize, v: &[f64; SUMS]) -> Group {
    let impacts = |at: usize| {
        let i = |n: usize| Interval::new(v[at + 3 * n], v[at + 3 * n + 1], v[at + 3 * n + 2]);
        Impacts {
            gwp: i(0),
            adp: i(1),
            pe: i(2),
            water: i(3),
        }
    };
    let n = 3 * Criterion::ALL.len();
    Group {
        key,
        jobs,
        node_h: v[0],
        energy: EnergyParts {
            static_kwh: v[1],
            gpu_idle_kwh: v[2],
            dynamic_kwh: v[3],
            total_kwh: v[4],
        },
        use_impacts: impacts(5),
        embodied: impacts(5 + n),
        total: impacts(5 + 2 * n),
    }
}

/// Job `i`'s own row, as a group of one.
pub fn job_group(t: &JobTable, i: usize) -> Group {
    group_of(t.accounting().id(i).to_string(), 1, &sums_of(&t.figures(i)))
}

/// The keys of the jobs of a grouping other than by job: a number per name, and the names.
struct Keys {
    names: Vec<String>,
    index: HashMap<String, u32>,
    /// The day (of the start, to the millisecond) of the last month looked up, and its key.
    last_day: Option<(i64, u32)>,
}

impl Keys {
    fn of(&mut self, t: &JobTable, by: GroupBy, i: usize) -> u32 {
        let acc = t.accounting();
        let l = &acc.jobs[i].labels;
        let sym = match by {
            GroupBy::User => l.user,
            GroupBy::Account => l.account,
            GroupBy::Partition => l.partition,
            GroupBy::Month | GroupBy::Job => return self.month(t, i),
        };
        sym.index() as u32
    }

    fn name(&self, t: &JobTable, by: GroupBy, k: u32) -> String {
        match by {
            GroupBy::Month | GroupBy::Job => {
                self.names.get(k as usize).cloned().unwrap_or_default()
            }
            _ => t.accounting().name(Sym::at(k as usize)).to_string(),
        }
    }

    /// The key of job `i`'s month (the month is looked up once a day of starts).
    fn month(&mut self, t: &JobTable, i: usize) -> u32 {
        let day = t.accounting().jobs[i]
            .start_s()
            .map(|s| ((s * 1000.0).round() / 1000.0 / 86_400.0).floor() as i64);
        if let (Some(d), Some((last, k))) = (day, self.last_day) {
            if d == last {
                return k;
            }
        }
        let name = t.month(i).unwrap_or_else(|| "never started".into());
        let k = match self.index.get(&name) {
            Some(&k) => k,
            None => {
                let k = self.names.len() as u32;
                self.index.insert(name.clone(), k);
                self.names.push(name);
                k
            }
        };
        self.last_day = day.map(|d| (d, k));
        k
    }
}

/// The sums of a frame of rows (`key`, `jobs`, `s0` ... `s40`) by key.
///
/// The key is grouped as an expression (the u32 key widened to u64, narrowed back after), not
/// as the bare column: polars 0.55 sends a group_by on a bare column to its streaming engine,
/// whose pieces of the frame are added in whatever order the threads finish them, so the same
/// accounting gave sums that differed in their last bits from run to run. On an expression it
/// runs its hash aggregation, which adds each group's rows in their order: the same input,
/// the same bytes.
fn summed(df: LazyFrame) -> LazyFrame {
    let sums: Vec<Expr> = std::iter::once(col("jobs").sum())
        .chain((0..SUMS).map(|k| col(format!("s{k}")).sum()))
        .collect();
    df.group_by([col("key").cast(DataType::UInt64).alias("key")])
        .agg(sums)
        .with_column(col("key").cast(DataType::UInt32))
}

/// The per-job frame of a batch: each job's key, a count of 1 and its sums, one column per
/// sum (in [`sums_of`]'s order).
fn frame(key: Vec<u32>, sums: Vec<Vec<f64>>) -> PolarsResult<DataFrame> {
    let n = key.len();
    let mut columns = vec![
        Column::new("key".into(), key),
        Column::new("jobs".into(), vec![1u64; n]),
    ];
    columns.extend(
        sums.into_iter()
            .enumerate()
            .map(|(k, v)| Column::new(format!("s{k}").into(), v)),
    );
    DataFrame::new(n, columns)
}

/// The columns of the sums of jobs, made job by job.
fn columns(jobs: impl ExactSizeIterator<Item = [f64; SUMS]>) -> Vec<Vec<f64>> {
    let mut cols: Vec<Vec<f64>> = (0..SUMS).map(|_| Vec::with_capacity(jobs.len())).collect();
    for v in jobs {
        for (c, x) in cols.iter_mut().zip(v) {
            c.push(x);
        }
    }
    cols
}

/// The totals by key of batches of per-job frames ([`frame`]): a polars group_by of each
/// batch, then one of the batches' sums. Each key with its jobs and sums, in no order.
fn totals(
    batches: impl Iterator<Item = PolarsResult<DataFrame>>,
) -> PolarsResult<Vec<(u32, u64, [f64; SUMS])>> {
    let mut partial = Vec::new();
    for df in batches {
        partial.push(summed(df?.lazy()).collect()?);
    }
    let df = match partial.len() {
        0 => return Ok(Vec::new()),
        1 => partial.remove(0),
        _ => {
            let all = concat(
                partial.into_iter().map(IntoLazy::lazy).collect::<Vec<_>>(),
                UnionArgs::default(),
            )?;
            summed(all).collect()?
        }
    };
    let key = df.column("key")?.u32()?;
    let jobs = df.column("jobs")?.u64()?;
    let sums = (0..SUMS)
        .map(|k| df.column(&format!("s{k}")).and_then(|c| c.f64()))
        .collect::<PolarsResult<Vec<_>>>()?;
    let mut out = Vec::with_capacity(df.height());
    for row in 0..df.height() {
        let missing = || polars_err!(ComputeError: "row {row} of the totals has a missing sum");
        let mut v = [0.0; SUMS];
        for (x, s) in v.iter_mut().zip(&sums) {
            *x = s.get(row).ok_or_else(missing)?;
        }
        out.push((
            key.get(row).ok_or_else(missing)?,
            jobs.get(row).ok_or_else(missing)?,
            v,
        ));
    }
    Ok(out)
}

/// The groups of `by` (not by job: see [`job_group`]): months in order, the others largest
/// total GWP first (then by name). The per-job figures are made batch by batch and summed by
/// polars (`totals`): memory is bounded by the batch.
pub fn group(r: &ClusterReport, by: GroupBy) -> Result<Vec<Group>> {
    if by == GroupBy::Job {
        return Err(Error::Internal(
            "the jobs are not grouped by job: each is its own row".into(),
        ));
    }
    let t = &r.jobs;
    let mut keys = Keys {
        names: Vec::new(),
        index: HashMap::new(),
        last_day: None,
    };
    let batches = (0..t.len()).step_by(BATCH).map(|from| {
        let range = from..(from + BATCH).min(t.len());
        let key = range.clone().map(|i| keys.of(t, by, i)).collect();
        frame(key, columns(range.map(|i| sums_of(&t.figures(i)))))
    });
    let totals = totals(batches).map_err(|e| {
        Error::Internal(format!(
            "grouping the jobs by {}: {e}",
            crate::choice::Choice::name(by)
        ))
    })?;
    let mut out: Vec<Group> = totals
        .into_iter()
        .map(|(k, n, v)| group_of(keys.name(t, by, k), n as usize, &v))
        .collect();
    match by {
        GroupBy::Month => out.sort_by(|a, b| a.key.cmp(&b.key)),
        _ => out.sort_by(|a, b| {
            b.total
                .gwp
                .value
                .total_cmp(&a.total.gwp.value)
                .then(a.key.cmp(&b.key))
        }),
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Impacts with the GWP `g` (ADP and PE in proportion) and the water `w`.
    fn imp(g: (f64, f64, f64), w: f64) -> Impacts {
        let g = Interval::new(g.0, g.1, g.2);
        Impacts {
            gwp: g,
            adp: g.scale(1e-6),
            pe: g.scale(10.0),
            water: Interval::exact(w),
        }
    }

    /// A job's figures: time held, hosts, energy parts (kWh), use and embodied impacts.
    fn job(h: f64, hosts: usize, e: [f64; 4], use_: Impacts, emb: Impacts) -> [f64; SUMS] {
        sums_of(&JobFigures {
            elapsed_h: h,
            hosts,
            energy: EnergyParts {
                static_kwh: e[0],
                gpu_idle_kwh: e[1],
                dynamic_kwh: e[2],
                total_kwh: e[3],
            },
            use_impacts: use_,
            embodied: emb,
            total: use_ + emb,
        })
    }

    fn close(a: f64, b: f64, what: &str) {
        assert!(
            (a - b).abs() <= 1e-12 * b.abs().max(1e-300),
            "{what}: {a} != {b}"
        );
    }

    #[test]
    fn totals_do_not_depend_on_how_the_threads_ran() {
        // 200,000 rows of 40 keys with values of very different sizes: any change in the order
        // of the additions moves the sums' last bits
        let n = 200_000usize;
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let key: Vec<u32> = (0..n).map(|i| (i % 40) as u32).collect();
        let mut cols: Vec<Vec<f64>> = (0..SUMS).map(|_| Vec::with_capacity(n)).collect();
        for c in cols.iter_mut() {
            for _ in 0..n {
                let r = next();
                c.push((r >> 11) as f64 * 10f64.powi((r % 13) as i32 - 6));
            }
        }
        let run = || {
            let mut t =
                totals(std::iter::once(frame(key.clone(), cols.clone()))).unwrap_or_default();
            t.sort_by_key(|r| r.0);
            t.into_iter()
                .map(|(k, jobs, v)| (k, jobs, v.map(f64::to_bits)))
                .collect::<Vec<_>>()
        };
        let first = run();
        assert_eq!(first.len(), 40);
        for round in 0..6 {
            assert!(run() == first, "round {round}: the sums moved");
        }
    }

    #[test]
    fn polars_totals_are_the_hand_sums() {
        // key 0: jobs a and c; key 1: b, and d in a second batch; key 2: e, whose water is not
        // covered anywhere (a partial sum of nothing: 0, as the report's water of such jobs)
        // (hours, hosts, energy parts, use GWP, use water, embodied GWP)
        #[rustfmt::skip]
        let [a, b, c, d, e] = [
            (2.0, 2, [1.0, 0.5, 2.5, 4.0], (0.4, 0.3, 0.5), 0.01, (1.0, 0.5, 2.0)),
            (3.0, 1, [2.0, 0.0, 1.0, 3.0], (0.3, 0.2, 0.4), 0.02, (0.0, 0.0, 0.0)),
            (1.0, 1, [0.25, 0.0, 0.75, 1.0], (0.1, 0.075, 0.125), 0.0, (0.5, 0.25, 1.0)),
            (0.5, 4, [0.5, 0.0, 0.5, 1.0], (0.1, 0.05, 0.15), 0.0, (0.2, 0.1, 0.3)),
            (1.0, 1, [0.0, 0.0, 1.0, 1.0], (0.05, 0.05, 0.05), 0.0, (0.0, 0.0, 0.0)),
        ]
        .map(|(h, n, e, u, w, emb)| job(h, n, e, imp(u, w), imp(emb, 0.0)));
        let batches = [
            frame(vec![0, 1, 0, 2], columns([a, b, c, e].into_iter())),
            frame(vec![1], columns([d].into_iter())),
        ];
        let mut t = totals(batches.into_iter()).unwrap_or_default();
        t.sort_by_key(|x| x.0);
        let g: Vec<Group> = t
            .iter()
            .map(|(k, n, v)| group_of(k.to_string(), *n as usize, v))
            .collect();
        assert_eq!(g.len(), 3);
        // by hand: node-hours 2 x 2 + 1 x 1 and 3 x 1 + 0.5 x 4
        #[rustfmt::skip]
        let want = [
            (2, 5.0, [1.25, 0.5, 3.25, 5.0], (0.5, 0.375, 0.625), 0.01, (1.5, 0.75, 3.0)),
            (2, 5.0, [2.5, 0.0, 1.5, 4.0], (0.4, 0.25, 0.55), 0.02, (0.2, 0.1, 0.3)),
            (1, 1.0, [0.0, 0.0, 1.0, 1.0], (0.05, 0.05, 0.05), 0.0, (0.0, 0.0, 0.0)),
        ];
        for (g, (jobs, node_h, e, u, w, emb)) in g.iter().zip(want) {
            let k = &g.key;
            assert_eq!(g.jobs, jobs, "group {k}: jobs");
            close(g.node_h, node_h, "node-hours");
            let parts = [
                g.energy.static_kwh,
                g.energy.gpu_idle_kwh,
                g.energy.dynamic_kwh,
                g.energy.total_kwh,
            ];
            for (x, y) in parts.into_iter().zip(e) {
                close(x, y, "energy part");
            }
            let use_ = imp(u, w);
            let total = use_ + imp(emb, 0.0);
            for c in Criterion::ALL {
                for (got, want) in [
                    (g.use_impacts.get(c), use_.get(c)),
                    (g.embodied.get(c), imp(emb, 0.0).get(c)),
                    (g.total.get(c), total.get(c)),
                ] {
                    close(got.value, want.value, &format!("group {k} {c} value"));
                    close(got.min, want.min, &format!("group {k} {c} min"));
                    close(got.max, want.max, &format!("group {k} {c} max"));
                }
            }
        }
        // water not covered in any of the group's jobs stays exactly 0, never NaN
        assert_eq!(g[2].total.water.value.to_bits(), 0.0f64.to_bits());
    }
}
