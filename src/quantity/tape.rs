//! Monte Carlo propagation on an explicit tape.
//!
//! An assessment computes with [`Var`]s: an [`Interval`] (value, min, max, in the quantity's own
//! unit) and, when it depends on an uncertain input, the node of the [`Tape`] that computes it.
//! The caller makes the tape ([`Tape::recording`] or [`Tape::off`]) and passes it down; every
//! uncertain input becomes a parameter with a distribution ([`Tape::param`]), and every operation
//! that involves a tracked operand appends a node (constants stay plain numbers). An off tape
//! registers nothing, so a plain assessment computes its intervals and nothing else.
//!
//! The deterministic result and its bounds are the interval arithmetic of [`Interval`];
//! afterwards the recorded [`Graph`] is evaluated once per sample with the parameters drawn from
//! their distributions, so that a sample costs a few hundred arithmetic operations instead of a
//! whole assessment. Samples come from one ChaCha8 stream seeded by the user: the same seed gives
//! the same samples on any machine. Each distribution is truncated to its parameter's bounds:
//! u ~ U(F(min), F(max)), x = F^-1(u).
//!
//! Sensitivity (computed in the uncertainty layer, which reads this tape): Spearman rank
//! correlation of each parameter with each output over the samples, and the one-at-a-time swing
//! of each output when one parameter goes from its min to its max (the others at their values).

use crate::quantity::distribution::Dist;
use crate::quantity::interval::{Interval, Quantity};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use std::cell::RefCell;

/// A node of a tape: the index of its operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NodeId(u32);

/// An operand: a node, or a plain number.
#[derive(Clone, Copy, Debug)]
pub enum Operand {
    Node(NodeId),
    Const(f64),
}

enum Op {
    Param(usize),
    Add(Operand, Operand),
    Mul(Operand, Operand),
    Div(Operand, Operand),
    Scale(Operand, f64),
    Cap(Operand, f64),
    Map(Operand, Box<dyn Fn(f64) -> f64 + Send + Sync>),
}

/// An uncertain input.
#[derive(Clone, Debug, Serialize)]
pub struct Param {
    pub name: String,
    #[serde(flatten)]
    pub dist: Dist,
    pub value: f64,
    pub min: f64,
    pub max: f64,
    /// Only a range was given: sampled uniformly over it.
    pub uniform_by_default: bool,
}

/// The recorded computation: its operations in order and its parameters in registration order.
#[derive(Default)]
pub struct Graph {
    ops: Vec<Op>,
    pub params: Vec<Param>,
}

/// Where an assessment records its arithmetic, or not ([`Tape::off`]).
///
/// The tape is borrowed by every [`Var`] recorded on it; [`Tape::into_graph`] ends the recording.
pub struct Tape {
    graph: Option<RefCell<Graph>>,
}

impl std::fmt::Debug for Tape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.graph {
            None => write!(f, "Tape(off)"),
            Some(g) => match g.try_borrow() {
                Ok(g) => write!(f, "Tape({} ops, {} params)", g.ops.len(), g.params.len()),
                Err(_) => write!(f, "Tape(recording)"),
            },
        }
    }
}

impl Tape {
    /// A tape that records every parameter and every operation on a tracked quantity.
    pub fn recording() -> Tape {
        Tape {
            graph: Some(RefCell::new(Graph::default())),
        }
    }

    /// A tape that records nothing: parameters are plain constants.
    pub fn off() -> Tape {
        Tape { graph: None }
    }

    pub fn is_recording(&self) -> bool {
        self.graph.is_some()
    }

    /// The recorded graph (`None` for an off tape).
    pub fn into_graph(self) -> Option<Graph> {
        self.graph.map(RefCell::into_inner)
    }

    fn push(&self, op: Op) -> Option<NodeId> {
        let mut g = self.graph.as_ref()?.borrow_mut();
        g.ops.push(op);
        Some(NodeId(g.ops.len() as u32 - 1))
    }

    /// Register an uncertain input named `name`, with its interval and, if declared, its
    /// distribution; returns the quantity tracked as that parameter. A range without a
    /// distribution is sampled uniformly over it. Off, or for an exact quantity without a
    /// distribution, or a `fixed` one, the interval comes back as an untracked constant.
    pub fn param(&self, name: &str, i: Interval, dist: Option<Dist>) -> Var<'_> {
        let Some(graph) = &self.graph else {
            return Var::from(i);
        };
        let (dist, by_default) = match dist {
            Some(Dist::Fixed { .. }) => return Var::from(i),
            Some(d) => (d, false),
            None if i.min < i.max => (
                Dist::Uniform {
                    min: i.min,
                    max: i.max,
                },
                true,
            ),
            None => return Var::from(i),
        };
        let k = {
            let mut g = graph.borrow_mut();
            g.params.push(Param {
                name: name.to_string(),
                dist,
                value: i.value,
                min: i.min,
                max: i.max,
                uniform_by_default: by_default,
            });
            g.params.len() - 1
        };
        Var {
            interval: i,
            at: self.push(Op::Param(k)).map(|n| (self, n)),
        }
    }
}

/// A quantity as an assessment computes it: its interval and, when it depends on an uncertain
/// input, the tape and node that compute it. Constants ([`Var::from`] an interval) carry no tape.
#[derive(Clone, Copy, Debug)]
pub struct Var<'t> {
    interval: Interval,
    at: Option<(&'t Tape, NodeId)>,
}

impl From<Interval> for Var<'_> {
    fn from(interval: Interval) -> Self {
        Var { interval, at: None }
    }
}

impl<'t> Var<'t> {
    /// Exactly zero, untracked.
    pub const ZERO: Var<'static> = Var {
        interval: Interval::ZERO,
        at: None,
    };

    /// The value and bounds.
    pub fn interval(&self) -> Interval {
        self.interval
    }

    /// The quantity as an output of the graph: its node, or its value when it is a constant.
    pub fn operand(&self) -> Operand {
        match self.at {
            Some((_, n)) => Operand::Node(n),
            None => Operand::Const(self.interval.value),
        }
    }

    /// Whether the quantity depends on an uncertain input.
    pub fn is_tracked(&self) -> bool {
        self.at.is_some()
    }

    fn unary(self, interval: Interval, op: impl FnOnce(Operand) -> Op) -> Self {
        Var {
            interval,
            at: self
                .at
                .and_then(|(t, _)| t.push(op(self.operand())).map(|n| (t, n))),
        }
    }

    fn binary(self, o: Var<'t>, interval: Interval, op: fn(Operand, Operand) -> Op) -> Self {
        let tape = match (self.at, o.at) {
            (None, None) => None,
            (Some((t, _)), other) | (None, other @ Some((t, _))) => {
                debug_assert!(
                    other.is_none_or(|(u, _)| std::ptr::eq(t, u)),
                    "operands recorded on two different tapes"
                );
                Some(t)
            }
        };
        Var {
            interval,
            at: tape.and_then(|t| t.push(op(self.operand(), o.operand())).map(|n| (t, n))),
        }
    }

    /// Multiply by an exact scalar.
    pub fn scale(self, k: f64) -> Self {
        self.unary(self.interval.scale(k), |a| Op::Scale(a, k))
    }

    /// Product of two non-negative quantities.
    pub fn times(self, o: Var<'t>) -> Self {
        self.binary(o, self.interval.times(o.interval), Op::Mul)
    }

    /// Quotient of two non-negative quantities (the divisor strictly positive).
    pub fn over(self, o: Var<'t>) -> Self {
        self.binary(o, self.interval.over(o.interval), Op::Div)
    }

    /// A non-decreasing function applied to each bound (and to each sample).
    pub fn map_monotone(self, f: impl Fn(f64) -> f64 + Send + Sync + 'static) -> Self {
        let interval = Interval::new(
            f(self.interval.value),
            f(self.interval.min),
            f(self.interval.max),
        );
        self.unary(interval, |a| Op::Map(a, Box::new(f)))
    }

    /// Each bound (and each sample) capped at `cap`.
    pub fn cap(self, cap: f64) -> Self {
        self.unary(self.interval.cap(cap), |a| Op::Cap(a, cap))
    }
}

impl<'t> std::ops::Add for Var<'t> {
    type Output = Var<'t>;
    fn add(self, o: Var<'t>) -> Var<'t> {
        self.binary(o, self.interval + o.interval, Op::Add)
    }
}

impl<'t> std::iter::Sum for Var<'t> {
    fn sum<I: Iterator<Item = Var<'t>>>(iter: I) -> Var<'t> {
        iter.fold(Var::ZERO, |a, b| a + b)
    }
}

impl Quantity for Var<'_> {
    const ZERO: Self = Var {
        interval: Interval::ZERO,
        at: None,
    };
    fn interval(&self) -> Interval {
        self.interval
    }
    fn scale(self, k: f64) -> Self {
        Var::scale(self, k)
    }
    fn times(self, o: Self) -> Self {
        Var::times(self, o)
    }
    fn over(self, o: Self) -> Self {
        Var::over(self, o)
    }
    fn map_monotone(self, f: impl Fn(f64) -> f64 + Send + Sync + 'static) -> Self {
        Var::map_monotone(self, f)
    }
    fn cap(self, cap: f64) -> Self {
        Var::cap(self, cap)
    }
}

/// An operation of a [`Flat`] graph: each operand the slot of its values.
enum Step<'g> {
    Param(usize),
    Add(usize, usize),
    Mul(usize, usize),
    Div(usize, usize),
    Scale(usize, f64),
    Cap(usize, f64),
    Map(usize, &'g (dyn Fn(f64) -> f64 + Send + Sync)),
}

/// How many samples a [`Flat`] graph evaluates at once.
const LANES: usize = 256;

/// A graph laid out for evaluation on blocks of samples: each operation runs over up to
/// [`LANES`] samples in a row (a loop the compiler turns into vector instructions) instead of
/// once per sample. Every value has a slot of [`LANES`] numbers: the constants first (filled
/// once), then one per node, so that an operand is read without asking whether it is a node or
/// a constant. Each sample's arithmetic is the graph's, operation for operation.
struct Flat<'g> {
    steps: Vec<Step<'g>>,
    /// The number of constant slots, before the nodes' slots.
    consts: usize,
    vals: Vec<f64>,
}

impl<'g> Flat<'g> {
    fn new(g: &'g Graph) -> Self {
        let operands = |op: &Op| -> [Option<Operand>; 2] {
            match op {
                Op::Param(_) => [None, None],
                Op::Add(a, b) | Op::Mul(a, b) | Op::Div(a, b) => [Some(*a), Some(*b)],
                Op::Scale(a, _) | Op::Cap(a, _) | Op::Map(a, _) => [Some(*a), None],
            }
        };
        // the constants in the order the operations use them
        let consts: Vec<f64> = g
            .ops
            .iter()
            .flat_map(operands)
            .filter_map(|o| match o {
                Some(Operand::Const(c)) => Some(c),
                _ => None,
            })
            .collect();
        let nc = consts.len();
        let mut next_const = 0;
        let mut slot = |o: &Operand| match *o {
            Operand::Node(NodeId(k)) => nc + k as usize,
            Operand::Const(_) => {
                next_const += 1;
                next_const - 1
            }
        };
        let steps = g
            .ops
            .iter()
            .map(|op| match op {
                Op::Param(k) => Step::Param(*k),
                Op::Add(a, b) => Step::Add(slot(a), slot(b)),
                Op::Mul(a, b) => Step::Mul(slot(a), slot(b)),
                Op::Div(a, b) => Step::Div(slot(a), slot(b)),
                Op::Scale(a, k) => Step::Scale(slot(a), *k),
                Op::Cap(a, c) => Step::Cap(slot(a), *c),
                Op::Map(a, f) => Step::Map(slot(a), f.as_ref()),
            })
            .collect();
        let mut vals = vec![0.0; (nc + g.ops.len()) * LANES];
        for (block, c) in vals.chunks_mut(LANES).zip(consts) {
            block.fill(c);
        }
        Flat {
            steps,
            consts: nc,
            vals,
        }
    }

    /// Every node's values for `len` (at most [`LANES`]) samples, parameter `k` taking
    /// `params[k][..len]`.
    fn eval(&mut self, params: &[&[f64]], len: usize) {
        for (i, step) in self.steps.iter().enumerate() {
            let (before, rest) = self.vals.split_at_mut((self.consts + i) * LANES);
            let out = &mut rest[..len];
            let at = |s: usize| &before[s * LANES..s * LANES + len];
            match *step {
                Step::Param(k) => out.copy_from_slice(&params[k][..len]),
                Step::Add(a, b) => {
                    for ((o, x), y) in out.iter_mut().zip(at(a)).zip(at(b)) {
                        *o = x + y;
                    }
                }
                Step::Mul(a, b) => {
                    for ((o, x), y) in out.iter_mut().zip(at(a)).zip(at(b)) {
                        *o = x * y;
                    }
                }
                Step::Div(a, b) => {
                    for ((o, x), y) in out.iter_mut().zip(at(a)).zip(at(b)) {
                        *o = x / y;
                    }
                }
                Step::Scale(a, k) => {
                    for (o, x) in out.iter_mut().zip(at(a)) {
                        *o = x * k;
                    }
                }
                Step::Cap(a, c) => {
                    for (o, x) in out.iter_mut().zip(at(a)) {
                        *o = x.min(c);
                    }
                }
                Step::Map(a, f) => {
                    for (o, x) in out.iter_mut().zip(at(a)) {
                        *o = f(*x);
                    }
                }
            }
        }
    }

    /// The values of output `o` for the samples of the last evaluation, into `out`.
    fn read(&self, o: &Operand, out: &mut [f64]) {
        match *o {
            Operand::Node(NodeId(k)) => {
                let s = (self.consts + k as usize) * LANES;
                out.copy_from_slice(&self.vals[s..s + out.len()]);
            }
            Operand::Const(c) => out.fill(c),
        }
    }
}

impl Graph {
    /// The outputs when the parameters take `params`.
    pub fn eval(&self, params: &[f64], outputs: &[Operand]) -> Vec<f64> {
        let mut flat = Flat::new(self);
        let one: Vec<&[f64]> = params.chunks(1).collect();
        flat.eval(&one, 1);
        outputs
            .iter()
            .map(|o| {
                let mut v = [0.0];
                flat.read(o, &mut v);
                v[0]
            })
            .collect()
    }

    /// `n` samples of the outputs (and of the parameters), from `seed`: on up to
    /// [`MAX_THREADS`] threads, each drawing a block of consecutive samples from its place in
    /// the one ChaCha8 stream, so that the samples do not depend on the number of threads.
    pub fn simulate(&self, outputs: &[Operand], n: usize, seed: u64) -> Samples {
        let threads = std::thread::available_parallelism().map_or(1, |t| t.get());
        self.simulate_on(outputs, n, seed, threads.min(MAX_THREADS))
    }

    /// [`Graph::simulate`] on at most `threads` threads.
    fn simulate_on(&self, outputs: &[Operand], n: usize, seed: u64, threads: usize) -> Samples {
        let np = self.params.len();
        let mut out = vec![vec![0.0; n]; outputs.len()];
        let mut ps = vec![vec![0.0; n]; np];
        if n == 0 {
            return Samples {
                outputs: out,
                params: ps,
            };
        }
        // Each distribution is truncated to the parameter's bounds: u is drawn in [F(min), F(max)].
        let span: Vec<(f64, f64)> = self
            .params
            .iter()
            .map(|p| match p.dist {
                Dist::Normal { .. } | Dist::Lognormal { .. } => {
                    (p.dist.cdf(p.min), p.dist.cdf(p.max))
                }
                _ => (0.0, 1.0),
            })
            .collect();
        let block = n.div_ceil(threads.clamp(1, n.div_ceil(MIN_BLOCK)));
        // one job per block: its first sample and its part of every output and parameter
        let mut jobs: Vec<Block> = (0..n.div_ceil(block))
            .map(|b| Block {
                first: b * block,
                len: block.min(n - b * block),
                outputs: Vec::new(),
                params: Vec::new(),
            })
            .collect();
        for v in &mut out {
            for (job, part) in jobs.iter_mut().zip(v.chunks_mut(block)) {
                job.outputs.push(part);
            }
        }
        for v in &mut ps {
            for (job, part) in jobs.iter_mut().zip(v.chunks_mut(block)) {
                job.params.push(part);
            }
        }
        let draw = |job: Block| self.draw(outputs, seed, &span, job);
        std::thread::scope(|s| {
            let mut jobs = jobs.into_iter();
            let here = jobs.next();
            for job in jobs {
                s.spawn(move || draw(job));
            }
            if let Some(job) = here {
                draw(job);
            }
        });
        Samples {
            outputs: out,
            params: ps,
        }
    }

    /// The samples of one block.
    fn draw(&self, outputs: &[Operand], seed: u64, span: &[(f64, f64)], job: Block) {
        let Block {
            first,
            len,
            outputs: mut out,
            params: mut ps,
        } = job;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        // each sample draws one u64, two 32-bit words of the stream, per parameter
        rng.set_word_pos(2 * self.params.len() as u128 * first as u128);
        let mut flat = Flat::new(self);
        for start in (0..len).step_by(LANES) {
            let end = (start + LANES).min(len);
            // sample by sample, each parameter in turn: the order of the stream (the loop is
            // over samples, each writing across the parameters' columns)
            #[allow(clippy::needless_range_loop)]
            for i in start..end {
                for (k, par) in self.params.iter().enumerate() {
                    // u in (0, 1): 53 random bits, never 0
                    let u = ((rng.gen::<u64>() >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
                    let (a, b) = span[k];
                    ps[k][i] = par.dist.quantile(a + u * (b - a)).clamp(par.min, par.max);
                }
            }
            let block: Vec<&[f64]> = ps.iter().map(|p| &p[start..end]).collect();
            flat.eval(&block, end - start);
            for (o, samples) in outputs.iter().zip(out.iter_mut()) {
                flat.read(o, &mut samples[start..end]);
            }
        }
    }
}

/// The most threads a Monte Carlo draws its samples on.
pub const MAX_THREADS: usize = 8;
/// The fewest samples worth a thread of their own.
const MIN_BLOCK: usize = 20_000;

/// A block of consecutive samples and where they go.
struct Block<'a> {
    /// Its first sample's number.
    first: usize,
    len: usize,
    /// Its part of each output's samples, and of each parameter's.
    outputs: Vec<&'a mut [f64]>,
    params: Vec<&'a mut [f64]>,
}

/// Samples of the outputs and of the parameters.
pub struct Samples {
    pub outputs: Vec<Vec<f64>>,
    pub params: Vec<Vec<f64>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normal_b(tape: &Tape) -> Var<'_> {
        tape.param(
            "b",
            Interval::new(10.0, 10.0, 10.0),
            Some(Dist::Normal {
                mean: 10.0,
                sd: 1.0,
            }),
        )
    }

    #[test]
    fn a_recorded_expression_is_re_evaluated() {
        let tape = Tape::recording();
        let a = tape.param("a", Interval::new(2.0, 1.0, 3.0), None);
        let b = normal_b(&tape);
        let c = a.times(b).scale(2.0) + Var::from(Interval::exact(1.0));
        let out = c.operand();
        assert_eq!(c.interval().value, 41.0);
        let g = tape.into_graph().unwrap_or_default();
        assert_eq!(g.params.len(), 2);
        assert!(g.params[0].uniform_by_default);
        assert_eq!(g.eval(&[3.0, 5.0], &[out]), vec![31.0]);
    }

    #[test]
    fn an_off_tape_records_nothing_and_gives_the_same_intervals() {
        let calc = |tape: &Tape| {
            let a = tape.param("a", Interval::new(2.0, 1.0, 3.0), None);
            let b = normal_b(tape);
            let c = (a.times(b).scale(2.0) + Var::from(Interval::exact(1.0)))
                .over(a)
                .map_monotone(|x| x * x)
                .cap(500.0);
            let s: Var = [a, b, c].into_iter().sum();
            (c.interval(), s.interval(), c.is_tracked(), a.is_tracked())
        };
        let off = Tape::off();
        let (c0, s0, c_tracked, a_tracked) = calc(&off);
        assert!(!c_tracked && !a_tracked);
        assert!(!off.is_recording());
        assert!(off.into_graph().is_none());
        let on = Tape::recording();
        let (c1, s1, c_tracked, _) = calc(&on);
        assert!(c_tracked);
        assert_eq!((c0, s0), (c1, s1));
        assert_eq!(on.into_graph().map(|g| g.params.len()), Some(2));
    }

    #[test]
    fn samples_do_not_depend_on_the_threads() {
        let tape = Tape::recording();
        let a = tape.param("a", Interval::new(2.0, 1.0, 3.0), None);
        let b = normal_b(&tape);
        let c = tape.param(
            "c",
            Interval::new(1.0, 0.5, 4.0),
            Some(Dist::Triangular {
                min: 0.5,
                mode: 1.0,
                max: 4.0,
            }),
        );
        let out = [
            (a.times(b) + c).operand(),
            c.map_monotone(f64::sqrt).operand(),
        ];
        let g = tape.into_graph().unwrap_or_default();
        let n = 2 * MIN_BLOCK + 7;
        let one = g.simulate_on(&out, n, 42, 1);
        for threads in [2, 3, 8] {
            let many = g.simulate_on(&out, n, 42, threads);
            assert_eq!(many.outputs, one.outputs, "{threads} threads");
            assert_eq!(many.params, one.params, "{threads} threads");
        }
        // the same stream as one generator drawing every sample in turn
        let mut rng = ChaCha8Rng::seed_from_u64(42);
        let draws: Vec<u64> = (0..3 * n).map(|_| rng.gen::<u64>()).collect();
        let u = |d: u64| ((d >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
        let last = n - 1;
        assert_eq!(one.params[0][last], 1.0 + 2.0 * u(draws[3 * last]));
        assert_eq!(one.outputs[0].len(), n);
        // each sample of a block is the graph's arithmetic on that sample's parameters
        let p = &one.params;
        let outs = one.outputs[0].iter().zip(&one.outputs[1]);
        let params = p[0].iter().zip(&p[1]).zip(&p[2]);
        for (i, ((y0, y1), ((a, b), c))) in outs.zip(params).enumerate() {
            assert_eq!(*y0, a * b + c, "sample {i}");
            assert_eq!(*y1, c.sqrt(), "sample {i}");
        }
        assert!(g.simulate_on(&out, 0, 42, 2).outputs[0].is_empty());
    }

    #[test]
    fn two_tapes_do_not_interfere() {
        let run = |k: f64| {
            let tape = Tape::recording();
            let a = tape.param("a", Interval::new(2.0, 1.0, 3.0), None);
            let out = a.scale(k).operand();
            let g = tape.into_graph().unwrap_or_default();
            (g.params.len(), g.ops.len(), g.eval(&[3.0], &[out]))
        };
        // one after the other
        assert_eq!(run(2.0), (1, 2, vec![6.0]));
        assert_eq!(run(5.0), (1, 2, vec![15.0]));
        // two at once on one thread
        let t1 = Tape::recording();
        let t2 = Tape::recording();
        let x = t1.param("x", Interval::new(1.0, 0.0, 2.0), None);
        let y = t2.param("y", Interval::new(1.0, 0.0, 2.0), None);
        let (ox, oy) = (x.scale(3.0).operand(), (y + y).operand());
        let (g1, g2) = (
            t1.into_graph().unwrap_or_default(),
            t2.into_graph().unwrap_or_default(),
        );
        assert_eq!(
            (g1.params[0].name.as_str(), g2.params[0].name.as_str()),
            ("x", "y")
        );
        assert_eq!(g1.eval(&[2.0], &[ox]), vec![6.0]);
        assert_eq!(g2.eval(&[2.0], &[oy]), vec![4.0]);
        // in two threads
        let handles: Vec<_> = [2.0, 5.0]
            .into_iter()
            .map(|k| std::thread::spawn(move || run(k)))
            .collect();
        let results: Vec<_> = handles.into_iter().filter_map(|h| h.join().ok()).collect();
        assert_eq!(results, vec![(1, 2, vec![6.0]), (1, 2, vec![15.0])]);
    }
}
