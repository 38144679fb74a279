//! Monte Carlo over every uncertain input of an assessment, and sensitivity ranking.
//!
//! The assessment runs once on a recording [`Tape`] ([`crate::quantity::tape`]); its graph is then
//! evaluated `samples` times with each input drawn from its distribution (declared, or uniform
//! over its min-max range). Each impact gets its mean, median, standard deviation and chosen
//! percentiles beside the deterministic value and the bounds. Sensitivity: Spearman's rank
//! correlation of each input with each total, and the one-at-a-time swing of each total when the
//! input goes from its min to its max (the others at their values).

pub mod stats;

use crate::assessment::intensity::Given;
use crate::assessment::{MonteCarlo, Report, Sensitivity, Stats};
use crate::data::ImpactData;
use crate::error::{Error, Result};
use crate::quantity::impacts::{Criterion, PerCriterion, PerPhase, Phase};
use crate::quantity::tape::{Operand, Tape, MAX_THREADS};
use crate::scenario::Loaded;

/// What to sample.
#[derive(Clone, Debug)]
pub struct McOptions {
    pub samples: usize,
    pub seed: u64,
    /// Percentiles to report (0-100), e.g. 5 and 95.
    pub percentiles: Vec<f64>,
}

/// One input's influence on the totals.
pub fn assess_with(
    loaded: &Loaded,
    data: &ImpactData,
    mc_opts: Option<&McOptions>,
) -> Result<Report> {
    let needs = crate::energy::inputs::Needs::default();
    assess_files_with(
        loaded,
        data,
        crate::energy::Files::Read(&needs),
        Given::ToRead,
        mc_opts,
    )
}

/// [`assess_with`], the scenario's files read as `files` and its intensity series as `series`
/// say.
pub fn assess_files_with(
    loaded: &Loaded,
    data: &ImpactData,
    files: crate::energy::Files,
    series: Given,
    mc_opts: Option<&McOptions>,
) -> Result<Report> {
    let Some(o) = mc_opts else {
        return crate::assessment::assess_files(loaded, data, files, series);
    };
    if o.samples == 0 {
        return Err(Error::msg(
            "--samples 0: give at least one sample (e.g. --samples 10000)",
        ));
    }
    if o.percentiles.iter().any(|p| !(*p > 0.0 && *p < 100.0)) {
        return Err(Error::msg(
            "percentiles must be between 0 and 100 (exclusive), e.g. --percentiles 5,95",
        ));
    }
    let tape = Tape::recording();
    let (mut report, tracked) =
        crate::assessment::assess_files_on(loaded, data, files, series, &tape)?;
    let graph = tape
        .into_graph()
        .ok_or_else(|| Error::Internal("Monte Carlo graph lost".into()))?;
    // The outputs to sample: each impact, tagged with its phase and criterion, then the energy.
    let tracked_phase = |p: Phase| -> &crate::quantity::impacts::Impacts<Operand> {
        let k = Phase::ALL.iter().position(|x| *x == p).unwrap_or(0);
        &tracked.impacts[k]
    };
    let tagged: Vec<(Phase, Criterion)> = Phase::ALL
        .iter()
        .flat_map(|p| Criterion::ALL.map(|c| (*p, c)))
        .collect();
    let mut outputs: Vec<Operand> = tagged
        .iter()
        .map(|(p, c)| tracked_phase(*p).get(*c))
        .collect();
    outputs.push(tracked.energy_kwh);
    let samples = graph.simulate(&outputs, o.samples, o.seed);
    let series = |p: Phase, c: Criterion| -> &[f64] {
        tagged
            .iter()
            .position(|t| *t == (p, c))
            .and_then(|k| samples.outputs.get(k))
            .map_or(&[], Vec::as_slice)
    };
    // the statistics of every output (and below, the ranks of every total and input), each
    // computed by itself on the machine's threads
    let output_stats = par_map(&samples.outputs, |x| stats::stats(x, &o.percentiles));
    let stats_at = |k: Option<usize>| {
        k.and_then(|k| output_stats.get(k))
            .cloned()
            .unwrap_or_else(|| stats::stats(&[], &o.percentiles))
    };
    // an impact not assessed (an input lacks its criterion) has no statistics
    let assessed = |p: Phase, c: Criterion| report.impacts.get(p).value(c).is_some();
    let impacts: PerPhase<PerCriterion<Option<Stats>>> = PerPhase::from_fn(|p| {
        PerCriterion::from_fn(|c| {
            assessed(p, c).then(|| stats_at(tagged.iter().position(|t| *t == (p, c))))
        })
    });
    // the energy's samples come after the impacts'
    let energy = stats_at(Some(tagged.len()));
    // sensitivity on the totals
    let base: Vec<f64> = graph.params.iter().map(|p| p.value).collect();
    let totals: Vec<Operand> = Criterion::ALL
        .iter()
        .map(|c| tracked_phase(Phase::Total).get(*c))
        .collect();
    // Spearman's coefficients: each total and each input ranked once.
    let to_rank: Vec<&[f64]> = Criterion::ALL
        .iter()
        .map(|c| series(Phase::Total, *c))
        .chain(samples.params.iter().map(Vec::as_slice))
        .collect();
    // the totals' ranks in the order of Criterion::ALL, then the inputs'
    let ranked = par_map(&to_rank, |x| stats::ranks(x));
    let ranks_at = |k: usize| ranked.get(k).map_or(&[][..], Vec::as_slice);
    let total_ranks = PerCriterion::from_fn(|c| {
        ranks_at(Criterion::ALL.iter().position(|x| *x == c).unwrap_or(0))
    });
    let mut sensitivity: Vec<Sensitivity> = graph
        .params
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let input_ranks = ranks_at(Criterion::ALL.len() + k);
            let at = |v: f64| {
                let mut x = base.clone();
                x[k] = v;
                let v = graph.eval(&x, &totals);
                PerCriterion::from_fn(|c| {
                    Criterion::ALL
                        .iter()
                        .zip(&v)
                        .find(|(k, _)| **k == c)
                        .map_or(f64::NAN, |(_, x)| *x)
                })
            };
            let (lo, hi) = (at(p.min), at(p.max));
            let rank_correlation = PerCriterion::from_fn(|c| {
                assessed(Phase::Total, c).then(|| stats::pearson(input_ranks, total_ranks.get(c)))
            });
            let swing = PerCriterion::from_fn(|c| {
                assessed(Phase::Total, c).then(|| [*lo.get(c), *hi.get(c)])
            });
            Sensitivity {
                parameter: p.name.clone(),
                distribution: p.dist.name(),
                rank_correlation,
                swing,
            }
        })
        .collect();
    sensitivity.sort_by(|a, b| {
        let g = |s: &Sensitivity| s.rank_correlation.gwp.map_or(0.0, f64::abs);
        g(b).total_cmp(&g(a))
            .then_with(|| a.parameter.cmp(&b.parameter))
    });
    let by_default: Vec<&str> = graph
        .params
        .iter()
        .filter(|p| p.uniform_by_default)
        .map(|p| p.name.as_str())
        .collect();
    if !by_default.is_empty() {
        report.assumptions.push(format!(
            "Monte Carlo: inputs given only as a range are sampled uniformly over it: {}",
            by_default.join("; ")
        ));
    }
    report.assumptions.push(format!(
        "Monte Carlo: {} samples, seed {}, {} uncertain input(s), each independent; normal and lognormal inputs truncated to their bounds",
        o.samples,
        o.seed,
        graph.params.len()
    ));
    if graph.params.is_empty() {
        report.warnings.push(
            "Monte Carlo: no input is uncertain; every sample equals the deterministic value"
                .into(),
        );
    }
    report.monte_carlo = Some(Box::new(MonteCarlo {
        samples: o.samples,
        seed: o.seed,
        percentiles: o.percentiles.clone(),
        parameters: graph.params.clone(),
        impacts,
        energy_kwh: energy,
        sensitivity,
    }));
    crate::assessment::finite::check_report(&report)?;
    Ok(report)
}

/// `f` of each item, in order, computed on up to [`MAX_THREADS`] threads (each thread takes the
/// next item not yet taken).
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |t| t.get())
        .clamp(1, MAX_THREADS)
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, f(item)));
        }
    };
    let mut all: Vec<(usize, R)> = std::thread::scope(|s| {
        let others: Vec<_> = (1..threads).map(|_| s.spawn(work)).collect();
        let mut all = work();
        for h in others {
            // a worker that panicked has panicked this scope already
            if let Ok(done) = h.join() {
                all.extend(done);
            }
        }
        all
    });
    all.sort_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, r)| r).collect()
}
