//! Numbers for print: how many digits a figure of the statement keeps, and how it is written
//! in LaTeX (`$6.11 \times 10^{-6}$`) and in Markdown (`6.11 × 10⁻⁶`).
//!
//! The rule (README.md, "Statement for a paper"): a figure known exactly keeps 4 significant
//! digits, trailing zeros dropped (`1`, `0.65`, `0.3725`, `1.605`); a figure with a range is
//! rounded, value and bounds alike, at the second significant digit of the range's width
//! (max - min), keeping between 2 and 4 significant digits of the value. So the digits printed
//! are the digits the ranges support, and a value and its bounds always end at the same
//! decimal place.

use crate::quantity::interval::Interval;

/// Exponent of the leading digit of `x` (0 for 1.5, -6 for 6.1e-6); 0 for 0.
fn lead(x: f64) -> i32 {
    if x == 0.0 || !x.is_finite() {
        0
    } else {
        x.abs().log10().floor() as i32
    }
}

/// The decimal place (the power of ten of the last digit kept) of an exact figure: 4
/// significant digits.
pub fn exact_place(x: f64) -> i32 {
    lead(x) - 3
}

/// The decimal place of a figure with a range: the second significant digit of the width,
/// between the 4th and the 2nd significant digit of the value.
pub fn place(i: Interval) -> i32 {
    let width = i.max - i.min;
    if i.is_exact() || width <= 0.0 {
        return exact_place(i.value);
    }
    let by_width = lead(width) - 1;
    if i.value == 0.0 {
        return by_width;
    }
    by_width.clamp(lead(i.value) - 3, lead(i.value) - 1)
}

/// A number rounded at a decimal place, as written for print: plain (`0.214`, `1606`) between
/// 0.001 and 100,000, otherwise a mantissa and a power of ten (`6.11` and -6).
#[derive(Clone, Debug, PartialEq)]
pub struct Printed {
    pub mantissa: String,
    pub exponent: Option<i32>,
}

/// `x` rounded at decimal place `p`, plain or with a power of ten by its size.
pub fn at_place(x: f64, p: i32) -> Printed {
    let plain = x == 0.0 || (1e-3..1e5).contains(&x.abs());
    if plain {
        Printed {
            mantissa: decimals(x, -p),
            exponent: None,
        }
    } else {
        let e = lead(x);
        Printed {
            mantissa: decimals(x / 10f64.powi(e), e - p),
            exponent: Some(e),
        }
    }
}

/// `x` rounded at decimal place `p`, always plain (a cell of a table row whose unit carries
/// the power of ten).
pub fn plain_at(x: f64, p: i32) -> String {
    decimals(x, -p)
}

/// `x` with `d` decimals (none when `d` <= 0: rounded to a whole number of that place).
fn decimals(x: f64, d: i32) -> String {
    if d > 0 {
        let s = format!("{:.*}", d as usize, x);
        // -0.00 written as 0.00
        match s.strip_prefix('-') {
            Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
            _ => s,
        }
    } else {
        let k = 10f64.powi(-d);
        let r = (x / k).round() * k;
        // -0 written as 0
        format!("{:.0}", if r == 0.0 { 0.0 } else { r })
    }
}

/// One figure by the rule: exact, at most 4 significant digits (trailing zeros after the
/// decimal point dropped: `1`, `0.65`, `0.4903`).
pub fn figure(x: f64) -> Printed {
    let mut p = at_place(x, exact_place(x));
    if p.mantissa.contains('.') {
        p.mantissa = p
            .mantissa
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string();
    }
    p
}

/// The power of ten a table row carries in its unit so that its cells read as plain numbers:
/// none when the row's largest figure is between 0.01 and 10,000, otherwise a multiple of 3
/// that brings it between 1 and 1000.
pub fn row_exponent(largest: f64) -> i32 {
    let a = largest.abs();
    if a == 0.0 || (1e-2..1e4).contains(&a) {
        0
    } else {
        3 * lead(a).div_euclid(3)
    }
}

/// A printed number in LaTeX (math mode where it has a power of ten).
pub fn tex(p: &Printed) -> String {
    match (p.exponent, p.mantissa.strip_prefix('-')) {
        (None, None) => p.mantissa.clone(),
        // a minus sign, not a hyphen
        (None, Some(m)) => format!("$-${m}"),
        (Some(e), _) => format!("${} \\times 10^{{{e}}}$", p.mantissa),
    }
}

/// A printed number in Markdown (`6.11 × 10⁻⁶`).
pub fn markdown(p: &Printed) -> String {
    match p.exponent {
        None => p.mantissa.clone(),
        Some(e) => format!("{} × 10{}", p.mantissa, superscript(e)),
    }
}

/// `-6` as `⁻⁶`.
pub fn superscript(e: i32) -> String {
    e.to_string()
        .chars()
        .map(|c| match c {
            '-' => '⁻',
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            _ => '⁹',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(x: f64, p: i32) -> String {
        let q = at_place(x, p);
        assert_eq!(q.exponent, None, "{x}");
        q.mantissa
    }

    #[test]
    fn exact_figures_keep_four_significant_digits() {
        assert_eq!(figure(0.21364).mantissa, "0.2136");
        assert_eq!(figure(1.605368).mantissa, "1.605");
        assert_eq!(figure(20.67).mantissa, "20.67");
        assert_eq!(figure(35040.0).mantissa, "35040");
        assert_eq!(figure(1024.0).mantissa, "1024");
        assert_eq!(figure(0.3725).mantissa, "0.3725");
        assert_eq!(figure(0.0).mantissa, "0");
        assert_eq!(figure(1.0).mantissa, "1");
        assert_eq!(figure(0.65).mantissa, "0.65");
        assert_eq!(figure(0.490_333).mantissa, "0.4903");
        let p = figure(6.106e-6);
        assert_eq!((p.mantissa.as_str(), p.exponent), ("6.106", Some(-6)));
        let p = figure(586_800.0);
        assert_eq!((p.mantissa.as_str(), p.exponent), ("5.868", Some(5)));
    }

    #[test]
    fn ranges_set_the_decimal_place() {
        // width 0.06: second significant digit at 0.001
        let i = Interval::new(0.2136, 0.19, 0.25);
        assert_eq!(place(i), -3);
        assert_eq!(plain(i.min, place(i)), "0.190");
        // width 4: place 0.1, within 2 to 4 significant digits of 12.34
        let i = Interval::new(12.34, 10.0, 14.0);
        assert_eq!(place(i), -1);
        assert_eq!(plain(i.value, place(i)), "12.3");
        // a tiny range: at most 4 significant digits
        let i = Interval::new(0.213_64, 0.213_63, 0.213_65);
        assert_eq!(place(i), -4);
        assert_eq!(plain(i.value, place(i)), "0.2136");
        // a huge range: at least 2 significant digits
        let i = Interval::new(5.0, 0.001, 2000.0);
        assert_eq!(place(i), -1);
        assert_eq!(plain(i.value, place(i)), "5.0");
        assert_eq!(plain(i.max, place(i)), "2000.0");
        // value 0 with a range: by the width
        assert_eq!(place(Interval::new(0.0, 0.0, 0.5)), -2);
    }

    #[test]
    fn rows_carry_a_power_of_ten_in_thousands() {
        assert_eq!(row_exponent(0.2136), 0);
        assert_eq!(row_exponent(0.01), 0);
        assert_eq!(row_exponent(9999.0), 0);
        assert_eq!(row_exponent(6.106e-6), -6);
        assert_eq!(row_exponent(7.8e-8), -9);
        assert_eq!(row_exponent(0.0031), -3);
        assert_eq!(row_exponent(12_817.0), 3);
        assert_eq!(row_exponent(0.0), 0);
    }

    #[test]
    fn writing() {
        let p = figure(6.106e-6);
        assert_eq!(tex(&p), "$6.106 \\times 10^{-6}$");
        assert_eq!(markdown(&p), "6.106 × 10⁻⁶");
        assert_eq!(tex(&figure(-0.001953)), "$-$0.001953");
        assert_eq!(superscript(-1234567890), "⁻¹²³⁴⁵⁶⁷⁸⁹⁰");
        assert_eq!(plain_at(-0.0004, -2), "0.00");
        assert_eq!(plain_at(1234.0, 2), "1200");
    }
}
