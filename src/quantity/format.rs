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

/// A measured value for a message: at most 12 significant figures, so that the noise of a unit
/// conversion goes (`10 uJ` is `1e-5 J`, not `0.000009999999999999999 J`), in the notation of
/// [`exact`].
pub fn readable(x: f64) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    let rounded = format!("{x:.11e}").parse::<f64>().unwrap_or(x);
    exact(rounded)
}

/// `value` or `value [min, max]`, with all digits.
pub fn fmt_interval(i: Interval) -> String {
    if i.is_exact() {
        exact(i.value)
    } else {
        format!("{} [{}, {}]", exact(i.value), exact(i.min), exact(i.max))
    }
}

/// A number as a plain decimal with 4 significant figures and no exponent (`586800`,
/// `0.0001234`), for formats whose readers take `5.868e5` for a string (YAML 1.1, as PyYAML and
/// the Hugging Face hub read model cards).
pub fn plain_decimal(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return if x == 0.0 { "0".into() } else { format!("{x}") };
    }
    let digits = (3 - x.abs().log10().floor() as i32).max(0) as usize;
    let s = format!("{x:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
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

    #[test]
    fn readable_drops_conversion_noise() {
        assert_eq!(readable(10.0 * 1e-6), "1e-5");
        assert_eq!(readable(-5.0 * 1e-6), "-5e-6");
        assert_eq!(readable(101000000.0 * 1e-6), "101");
        assert_eq!(readable(0.1 + 0.2), "0.3");
        assert_eq!(readable(123456.789), "123456.789");
        assert_eq!(readable(0.0), "0");
        assert_eq!(readable(f64::NAN), "NaN");
    }

    #[test]
    fn plain_decimals_have_no_exponent() {
        assert_eq!(plain_decimal(586812.3), "586812");
        assert_eq!(plain_decimal(347.71), "347.7");
        assert_eq!(plain_decimal(0.00012346), "0.0001235");
        assert_eq!(plain_decimal(1.5e12), "1500000000000");
        assert_eq!(plain_decimal(0.0), "0");
        for x in [1e-9, 3.2e-4, 7.0, 123456789.0, 9.99e15] {
            let t = plain_decimal(x);
            assert!(!t.contains('e'), "{t}");
            let back: f64 = t.parse().unwrap_or(f64::NAN);
            assert!(((back - x) / x).abs() < 1e-3, "{x} -> {t}");
        }
    }
}
