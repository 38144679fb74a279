//! How numbers are written: [`num`] and [`range`] for reports (4 significant figures),
//! [`exact`] and [`fmt_interval`] for assumptions (every digit, so a reader can redo the
//! computation).

use crate::quantity::interval::Interval;

/// A number with 4 significant figures, in scientific notation outside [0.001, 100000).
pub fn num(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let a = x.abs();
    if !(1e-3..1e5).contains(&a) {
        return format!("{x:.3e}");
    }
    let digits = (3 - a.log10().floor() as i32).max(0) as usize;
    let s = format!("{x:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// `value` or `value [min – max]`.
pub fn range(i: Interval) -> String {
    if i.is_exact() {
        num(i.value)
    } else {
        format!("{} [{} – {}]", num(i.value), num(i.min), num(i.max))
    }
}

/// A number with all its digits, in scientific notation when small or large.
pub fn exact(x: f64) -> String {
    let a = x.abs();
    if a != 0.0 && !(1e-3..1e6).contains(&a) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// `value` or `value [min, max]`, with all digits.
pub fn fmt_interval(i: Interval) -> String {
    if i.is_exact() {
        exact(i.value)
    } else {
        format!("{} [{}, {}]", exact(i.value), exact(i.min), exact(i.max))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_significant_figures() {
        assert_eq!(num(0.0), "0");
        assert_eq!(num(3858.0), "3858");
        assert_eq!(num(0.1308), "0.1308");
        assert_eq!(num(12.3456), "12.35");
        assert_eq!(num(7.8e-8), "7.800e-8");
        assert_eq!(num(123456.0), "1.235e5");
        assert_eq!(range(Interval::new(1.0, 0.5, 2.0)), "1 [0.5 – 2]");
    }
}
