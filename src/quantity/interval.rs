//! Value with lower and upper bounds, carried through every computation.
//!
//! mlca follows the interval arithmetic of the Boavizta method: each bound is evaluated at the
//! monotone extreme of its inputs (sums add minima and maxima; products and quotients of
//! non-negative quantities combine the matching extremes). The bounds are not statistics: they
//! say what the result is when every input sits at the end of its declared range.

use serde::Serialize;

/// A non-negative quantity `value` with bounds `min <= value <= max`.
///
/// `node` links the quantity to the Monte Carlo expression graph while an assessment is
/// recorded ([`crate::quantity::tape`]); 0 means a plain number.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Interval {
    pub value: f64,
    pub min: f64,
    pub max: f64,
    #[serde(skip)]
    pub node: u32,
}

impl PartialEq for Interval {
    fn eq(&self, o: &Interval) -> bool {
        self.value == o.value && self.min == o.min && self.max == o.max
    }
}

impl Interval {
    /// A quantity known exactly.
    pub const fn exact(value: f64) -> Self {
        Interval {
            value,
            min: value,
            max: value,
            node: 0,
        }
    }

    /// A quantity with bounds. Callers validate user input first; this only orders the bounds.
    pub fn new(value: f64, min: f64, max: f64) -> Self {
        Interval {
            value,
            min,
            max,
            node: 0,
        }
    }

    pub const ZERO: Interval = Interval::exact(0.0);

    /// Multiply by an exact non-negative scalar.
    pub fn scale(self, k: f64) -> Self {
        Interval {
            node: crate::quantity::tape::scale(&self, k),
            ..Interval::new(self.value * k, self.min * k, self.max * k)
        }
    }

    /// Product of two non-negative intervals.
    pub fn times(self, o: Interval) -> Self {
        Interval {
            node: crate::quantity::tape::mul(&self, &o),
            ..Interval::new(self.value * o.value, self.min * o.min, self.max * o.max)
        }
    }

    /// Quotient of two non-negative intervals (the divisor strictly positive).
    pub fn over(self, o: Interval) -> Self {
        Interval {
            node: crate::quantity::tape::div(&self, &o),
            ..Interval::new(self.value / o.value, self.min / o.max, self.max / o.min)
        }
    }

    /// Apply a non-decreasing function to each bound.
    pub fn map_monotone(self, f: impl Fn(f64) -> f64 + 'static) -> Self {
        let v = Interval::new(f(self.value), f(self.min), f(self.max));
        if self.node == 0 {
            return v;
        }
        Interval {
            node: crate::quantity::tape::map(&self, Box::new(f)),
            ..v
        }
    }

    /// Each bound capped at `cap`.
    pub fn cap(self, cap: f64) -> Self {
        Interval {
            node: crate::quantity::tape::cap(&self, cap),
            ..Interval::new(self.value.min(cap), self.min.min(cap), self.max.min(cap))
        }
    }

    pub fn is_exact(&self) -> bool {
        self.min == self.value && self.max == self.value
    }
}

impl std::ops::Add for Interval {
    type Output = Interval;
    fn add(self, o: Interval) -> Interval {
        Interval {
            node: crate::quantity::tape::add(&self, &o),
            ..Interval::new(self.value + o.value, self.min + o.min, self.max + o.max)
        }
    }
}

impl std::iter::Sum for Interval {
    fn sum<I: Iterator<Item = Interval>>(iter: I) -> Interval {
        iter.fold(Interval::ZERO, |a, b| a + b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sum_adds_matching_bounds() {
        let a = Interval::new(2.0, 1.0, 3.0);
        let b = Interval::new(10.0, 9.0, 12.0);
        assert_eq!(a + b, Interval::new(12.0, 10.0, 15.0));
    }

    #[test]
    fn quotient_takes_opposite_bounds_of_divisor() {
        // 32 GB over a density of 1.244 (0.625..2.375) GB/cm2
        let cap = Interval::exact(32.0);
        let d = Interval::new(1.25, 0.625, 2.5);
        let q = cap.over(d);
        assert_eq!(q, Interval::new(25.6, 12.8, 51.2));
    }

    #[test]
    fn product_and_cap() {
        let p = Interval::new(2.0, 1.0, 4.0).times(Interval::new(0.5, 0.25, 0.5));
        assert_eq!(p, Interval::new(1.0, 0.25, 2.0));
        assert_eq!(p.cap(1.5), Interval::new(1.0, 0.25, 1.5));
    }
}
