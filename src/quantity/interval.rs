//! Value with lower and upper bounds, carried through every computation.
//!
//! mlca follows the interval arithmetic of the Boavizta method: each bound is evaluated at the
//! monotone extreme of its inputs (sums add minima and maxima; products and quotients of
//! non-negative quantities combine the matching extremes). The bounds are not statistics: they
//! say what the result is when every input sits at the end of its declared range.
//!
//! [`Interval`] is a plain value: it knows nothing of the Monte Carlo tape. [`Quantity`] names
//! the operations that an interval and a tracked quantity ([`crate::quantity::tape::Var`]) share,
//! so that impacts, allocation and the component models are written once for both.

use serde::Serialize;

/// A non-negative quantity `value` with bounds `min <= value <= max` (in the unit its name gives).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Interval {
    pub value: f64,
    pub min: f64,
    pub max: f64,
}

impl Interval {
    /// A quantity known exactly.
    pub const fn exact(value: f64) -> Self {
        Interval {
            value,
            min: value,
            max: value,
        }
    }

    /// A quantity with bounds. Callers validate user input first; this does not reorder them.
    pub fn new(value: f64, min: f64, max: f64) -> Self {
        Interval { value, min, max }
    }

    pub const ZERO: Interval = Interval::exact(0.0);

    /// Multiply by an exact non-negative scalar.
    pub fn scale(self, k: f64) -> Self {
        Interval::new(self.value * k, self.min * k, self.max * k)
    }

    /// Product of two non-negative intervals.
    pub fn times(self, o: Interval) -> Self {
        Interval::new(self.value * o.value, self.min * o.min, self.max * o.max)
    }

    /// Quotient of two non-negative intervals (the divisor strictly positive).
    pub fn over(self, o: Interval) -> Self {
        Interval::new(self.value / o.value, self.min / o.max, self.max / o.min)
    }

    /// Apply a non-decreasing function to each bound.
    pub fn map_monotone(self, f: impl Fn(f64) -> f64 + Send + Sync + 'static) -> Self {
        Interval::new(f(self.value), f(self.min), f(self.max))
    }

    /// Each bound capped at `cap`.
    pub fn cap(self, cap: f64) -> Self {
        Interval::new(self.value.min(cap), self.min.min(cap), self.max.min(cap))
    }

    pub fn is_exact(&self) -> bool {
        self.min == self.value && self.max == self.value
    }
}

impl std::ops::Add for Interval {
    type Output = Interval;
    fn add(self, o: Interval) -> Interval {
        Interval::new(self.value + o.value, self.min + o.min, self.max + o.max)
    }
}

impl std::iter::Sum for Interval {
    fn sum<I: Iterator<Item = Interval>>(iter: I) -> Interval {
        iter.fold(Interval::ZERO, |a, b| a + b)
    }
}

/// The arithmetic of a quantity with bounds: a plain [`Interval`], or a quantity tracked on a
/// Monte Carlo tape. Every operation gives the same interval for both; a tracked quantity also
/// records the operation.
pub trait Quantity: Copy + From<Interval> + std::ops::Add<Output = Self> {
    /// Exactly zero (an untracked constant).
    const ZERO: Self;
    /// The value and bounds.
    fn interval(&self) -> Interval;
    /// Multiply by an exact scalar.
    fn scale(self, k: f64) -> Self;
    /// Product of two non-negative quantities.
    fn times(self, o: Self) -> Self;
    /// Quotient of two non-negative quantities (the divisor strictly positive).
    fn over(self, o: Self) -> Self;
    /// A non-decreasing function applied to each bound.
    fn map_monotone(self, f: impl Fn(f64) -> f64 + Send + Sync + 'static) -> Self;
    /// Each bound capped at `cap`.
    fn cap(self, cap: f64) -> Self;
}

impl Quantity for Interval {
    const ZERO: Self = Interval::ZERO;
    fn interval(&self) -> Interval {
        *self
    }
    fn scale(self, k: f64) -> Self {
        Interval::scale(self, k)
    }
    fn times(self, o: Self) -> Self {
        Interval::times(self, o)
    }
    fn over(self, o: Self) -> Self {
        Interval::over(self, o)
    }
    fn map_monotone(self, f: impl Fn(f64) -> f64 + Send + Sync + 'static) -> Self {
        Interval::map_monotone(self, f)
    }
    fn cap(self, cap: f64) -> Self {
        Interval::cap(self, cap)
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
