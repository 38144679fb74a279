//! Monte Carlo propagation.
//!
//! While an assessment runs with recording on ([`record`]), every uncertain input becomes a
//! parameter with a distribution, and every operation on [`Interval`]s that involves one becomes
//! a node of an expression graph (constants stay plain numbers). The deterministic result and
//! its bounds are computed as before; afterwards the graph is evaluated once per sample with the
//! parameters drawn from their distributions, so that a sample costs a few hundred arithmetic
//! operations instead of a whole assessment. Samples come from one ChaCha8 stream seeded by the
//! user: the same seed gives the same samples on any machine.
//!
//! Sensitivity: Spearman rank correlation of each parameter with each output over the samples,
//! and the one-at-a-time swing of each output when one parameter goes from its min to its max
//! (the others at their values).

use crate::quantity::distribution::Dist;
use crate::quantity::interval::Interval;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use std::cell::RefCell;

/// An operand: another node, or a plain number.
#[derive(Clone, Copy, Debug)]
pub enum Operand {
    Node(u32),
    Const(f64),
}

impl Operand {
    pub fn of(i: &Interval) -> Operand {
        if i.node == 0 {
            Operand::Const(i.value)
        } else {
            Operand::Node(i.node)
        }
    }
}

enum Op {
    Param(usize),
    Add(Operand, Operand),
    Mul(Operand, Operand),
    Div(Operand, Operand),
    Scale(Operand, f64),
    Cap(Operand, f64),
    Map(Operand, Box<dyn Fn(f64) -> f64>),
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

/// The recorded computation.
#[derive(Default)]
pub struct Graph {
    ops: Vec<Op>,
    pub params: Vec<Param>,
}

thread_local! {
    static GRAPH: RefCell<Option<Graph>> = const { RefCell::new(None) };
}

/// Start recording on this thread (a previous recording is dropped).
pub fn record() {
    GRAPH.with(|g| *g.borrow_mut() = Some(Graph::default()));
}

/// Stop recording and take the graph.
pub fn take() -> Option<Graph> {
    GRAPH.with(|g| g.borrow_mut().take())
}

pub fn recording() -> bool {
    GRAPH.with(|g| g.borrow().is_some())
}

fn push(op: Op) -> u32 {
    GRAPH.with(|g| match g.borrow_mut().as_mut() {
        Some(gr) => {
            gr.ops.push(op);
            gr.ops.len() as u32
        }
        None => 0,
    })
}

/// Register an uncertain input; returns its interval carrying the parameter's node. Without
/// recording, or for an exact quantity with no distribution, the interval is returned as is.
pub fn param(name: &str, i: Interval, dist: Option<Dist>) -> Interval {
    if !recording() {
        return i;
    }
    let (dist, by_default) = match dist {
        Some(d) => (d, false),
        None if i.min < i.max => (
            Dist::Uniform {
                min: i.min,
                max: i.max,
            },
            true,
        ),
        None => return Interval::new(i.value, i.min, i.max),
    };
    if let Dist::Fixed { .. } = dist {
        return Interval::new(i.value, i.min, i.max);
    }
    let idx = GRAPH.with(|g| {
        let mut b = g.borrow_mut();
        let gr = b.as_mut()?;
        gr.params.push(Param {
            name: name.to_string(),
            dist,
            value: i.value,
            min: i.min,
            max: i.max,
            uniform_by_default: by_default,
        });
        Some(gr.params.len() - 1)
    });
    match idx {
        Some(k) => Interval {
            node: push(Op::Param(k)),
            ..Interval::new(i.value, i.min, i.max)
        },
        None => i,
    }
}

fn binary(a: &Interval, b: &Interval, f: fn(Operand, Operand) -> Op) -> u32 {
    if a.node == 0 && b.node == 0 {
        return 0;
    }
    push(f(Operand::of(a), Operand::of(b)))
}

pub(crate) fn add(a: &Interval, b: &Interval) -> u32 {
    binary(a, b, Op::Add)
}
pub(crate) fn mul(a: &Interval, b: &Interval) -> u32 {
    binary(a, b, Op::Mul)
}
pub(crate) fn div(a: &Interval, b: &Interval) -> u32 {
    binary(a, b, Op::Div)
}
pub(crate) fn scale(a: &Interval, k: f64) -> u32 {
    if a.node == 0 {
        return 0;
    }
    push(Op::Scale(Operand::of(a), k))
}
pub(crate) fn cap(a: &Interval, c: f64) -> u32 {
    if a.node == 0 {
        return 0;
    }
    push(Op::Cap(Operand::of(a), c))
}
pub(crate) fn map(a: &Interval, f: Box<dyn Fn(f64) -> f64>) -> u32 {
    if a.node == 0 {
        return 0;
    }
    push(Op::Map(Operand::of(a), f))
}

impl Graph {
    fn eval_into(&self, params: &[f64], vals: &mut [f64]) {
        let get = |o: &Operand, vals: &[f64]| match *o {
            Operand::Node(n) => vals[n as usize],
            Operand::Const(c) => c,
        };
        for (i, op) in self.ops.iter().enumerate() {
            let v = match op {
                Op::Param(k) => params[*k],
                Op::Add(a, b) => get(a, vals) + get(b, vals),
                Op::Mul(a, b) => get(a, vals) * get(b, vals),
                Op::Div(a, b) => get(a, vals) / get(b, vals),
                Op::Scale(a, k) => get(a, vals) * k,
                Op::Cap(a, c) => get(a, vals).min(*c),
                Op::Map(a, f) => f(get(a, vals)),
            };
            vals[i + 1] = v;
        }
    }

    /// The outputs when the parameters take `params`.
    pub fn eval(&self, params: &[f64], outputs: &[Operand]) -> Vec<f64> {
        let mut vals = vec![0.0; self.ops.len() + 1];
        self.eval_into(params, &mut vals);
        outputs
            .iter()
            .map(|o| match *o {
                Operand::Node(n) => vals[n as usize],
                Operand::Const(c) => c,
            })
            .collect()
    }

    /// `n` samples of the outputs (and of the parameters), from `seed`.
    pub fn simulate(&self, outputs: &[Operand], n: usize, seed: u64) -> Samples {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let np = self.params.len();
        let mut p = vec![0.0; np];
        let mut vals = vec![0.0; self.ops.len() + 1];
        let mut out = vec![Vec::with_capacity(n); outputs.len()];
        let mut ps = vec![Vec::with_capacity(n); np];
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
        for _ in 0..n {
            for (k, par) in self.params.iter().enumerate() {
                // u in (0, 1): 53 random bits, never 0
                let u = ((rng.gen::<u64>() >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
                let (a, b) = span[k];
                p[k] = par.dist.quantile(a + u * (b - a)).clamp(par.min, par.max);
                ps[k].push(p[k]);
            }
            self.eval_into(&p, &mut vals);
            for (j, o) in outputs.iter().enumerate() {
                out[j].push(match *o {
                    Operand::Node(x) => vals[x as usize],
                    Operand::Const(c) => c,
                });
            }
        }
        Samples {
            outputs: out,
            params: ps,
        }
    }
}

/// Samples of the outputs and of the parameters.
pub struct Samples {
    pub outputs: Vec<Vec<f64>>,
    pub params: Vec<Vec<f64>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recorded_expression_is_re_evaluated() {
        record();
        let a = param("a", Interval::new(2.0, 1.0, 3.0), None);
        let b = param(
            "b",
            Interval::new(10.0, 10.0, 10.0),
            Some(Dist::Normal {
                mean: 10.0,
                sd: 1.0,
            }),
        );
        let c = a.times(b).scale(2.0) + Interval::exact(1.0);
        let g = take().expect("graph");
        assert_eq!(c.value, 41.0);
        assert_eq!(g.params.len(), 2);
        assert!(g.params[0].uniform_by_default);
        let out = g.eval(&[3.0, 5.0], &[Operand::of(&c)]);
        assert_eq!(out, vec![31.0]);
    }
}
