//! Statistics of Monte Carlo samples: mean, median, standard deviation, percentiles (linear
//! between order statistics) and Spearman rank correlation (average ranks for ties).

use crate::assessment::Stats;

/// Percentile p (0-100) of sorted data, linear between order statistics.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * p / 100.0;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (h - lo as f64)
}

pub fn percentile_key(p: f64) -> String {
    if p.fract() == 0.0 {
        format!("p{:02}", p as u32)
    } else {
        format!("p{p}")
    }
}

pub fn stats(x: &[f64], percentiles: &[f64]) -> Stats {
    let (mean, sd) = match mean_sd(x) {
        (m, s) if m.is_finite() && s.is_finite() => (m, s),
        // sums of samples near the largest f64 overflow: the same sums on samples scaled down
        // by the largest magnitude, scaled back
        _ => {
            let k = x.iter().fold(0.0f64, |a, v| a.max(v.abs()));
            if k > 0.0 && k.is_finite() {
                let scaled: Vec<f64> = x.iter().map(|v| v / k).collect();
                let (m, s) = mean_sd(&scaled);
                (m * k, s * k)
            } else {
                mean_sd(x)
            }
        }
    };
    // Order statistics by selection (linear time) rather than a full sort: the same values.
    let mut s = x.to_vec();
    Stats {
        mean,
        median: percentile_by_selection(&mut s, 50.0),
        sd,
        percentiles: percentiles
            .iter()
            .map(|p| (percentile_key(*p), percentile_by_selection(&mut s, *p)))
            .collect(),
    }
}

/// Mean and sample standard deviation.
fn mean_sd(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    // sums shifted by the first sample (exact for constant outputs), in sample order
    let x0 = x.first().copied().unwrap_or(0.0);
    let d_mean = x.iter().map(|v| v - x0).sum::<f64>() / n;
    let mean = x0 + d_mean;
    let var = if x.len() > 1 {
        x.iter().map(|v| (v - x0 - d_mean).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    (mean, var.sqrt())
}

/// [`percentile`] of unsorted data, found by selecting the two order statistics it lies between
/// (the slice is reordered).
pub fn percentile_by_selection(x: &mut [f64], p: f64) -> f64 {
    if x.is_empty() {
        return f64::NAN;
    }
    let h = (x.len() - 1) as f64 * p / 100.0;
    let lo = h.floor() as usize;
    let (_, at_lo, right) = x.select_nth_unstable_by(lo, f64::total_cmp);
    let a = *at_lo;
    let b = right.iter().copied().min_by(f64::total_cmp).unwrap_or(a);
    a + (b - a) * (h - lo as f64)
}

/// The ranks of `x` (1 to n), ties at their average rank.
///
/// Each sample is sorted as one integer: its value mapped to a u64 whose order is the total
/// order of f64 (`f64::total_cmp`), above its index; a sort of plain integers is several times
/// faster than a sort of indices through the array.
pub fn ranks(x: &[f64]) -> Vec<f64> {
    let key = |v: f64| {
        let b = v.to_bits();
        if b >> 63 == 1 {
            !b
        } else {
            b | (1 << 63)
        }
    };
    let mut order: Vec<u128> = x
        .iter()
        .zip(0u64..)
        .map(|(v, i)| (u128::from(key(*v)) << 64) | u128::from(i))
        .collect();
    order.sort_unstable();
    let index = |o: u128| (o & u128::from(u64::MAX)) as usize;
    // the value back from its key, without going back to the array
    let value = |o: u128| {
        let k = (o >> 64) as u64;
        f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
    };
    let mut r = vec![0.0; x.len()];
    let mut i = 0;
    while i < order.len() {
        let v = value(order[i]);
        let mut j = i;
        while j + 1 < order.len() && value(order[j + 1]) == v {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for o in &order[i..=j] {
            r[index(*o)] = avg;
        }
        i = j + 1;
    }
    r
}

/// Pearson correlation of two series (of ranks, for Spearman's coefficient); 0 when either is
/// constant.
pub fn pearson(rx: &[f64], ry: &[f64]) -> f64 {
    let n = rx.len() as f64;
    let (mx, my) = (rx.iter().sum::<f64>() / n, ry.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(ry) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx).powi(2);
        syy += (b - my).powi(2);
    }
    if sxx == 0.0 || syy == 0.0 {
        0.0
    } else {
        sxy / (sxx * syy).sqrt()
    }
}

/// Spearman rank correlation: the Pearson correlation of the ranks. To correlate many series
/// with the same one, rank each once ([`ranks`]) and call [`pearson`].
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    pearson(&ranks(x), &ranks(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_of_samples_near_the_largest_number_are_finite() {
        let x = vec![1e308, 1.5e308, 1.7e308, 1.2e308];
        let s = stats(&x, &[5.0, 95.0]);
        assert!(s.mean.is_finite() && s.sd.is_finite(), "{s:?}");
        assert!((s.mean - 1.35e308).abs() < 1e294, "{s:?}");
        assert!(s.sd > 0.0);
    }

    #[test]
    fn percentiles_and_ranks() {
        let s = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(percentile(&s, 50.0), 3.0);
        assert_eq!(percentile(&s, 25.0), 2.0);
        assert_eq!(percentile(&s, 10.0), 1.4);
        assert!((spearman(&[1.0, 2.0, 3.0], &[10.0, 20.0, 35.0]) - 1.0).abs() < 1e-12);
        assert!((spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]) + 1.0).abs() < 1e-12);
    }

    #[test]
    fn ranks_match_a_sort_of_the_indices() {
        // values spread over signs and exponents, with ties, zeros of both signs and NaN
        let x: Vec<f64> = (0..5000u64)
            .map(|i| {
                let h = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
                match i % 7 {
                    0 => 0.0,
                    1 => -0.0,
                    2 => (h % 13) as f64,
                    3 => -((h % 1000) as f64) * 1e-9,
                    4 => h as f64 * 1e12,
                    5 if i % 35 == 5 => f64::NAN,
                    _ => h as f64 / 7.0,
                }
            })
            .collect();
        // ranks from a sort of the indices by f64::total_cmp, ties by f64 equality
        let mut idx: Vec<usize> = (0..x.len()).collect();
        idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
        let mut want = vec![0.0; x.len()];
        let mut i = 0;
        while i < idx.len() {
            let mut j = i;
            while j + 1 < idx.len() && x[idx[j + 1]] == x[idx[i]] {
                j += 1;
            }
            for &k in &idx[i..=j] {
                want[k] = (i + j) as f64 / 2.0 + 1.0;
            }
            i = j + 1;
        }
        assert_eq!(ranks(&x), want);
        assert!(ranks(&[]).is_empty());
        assert_eq!(ranks(&[2.5; 4]), vec![2.5; 4]);
    }

    #[test]
    fn selection_gives_the_sorted_percentiles() {
        let x: Vec<f64> = (0..1001)
            .map(|i| ((i * 7919) % 1001) as f64 * 0.37)
            .collect();
        let mut sorted = x.clone();
        sorted.sort_by(f64::total_cmp);
        for p in [0.5, 5.0, 25.0, 50.0, 95.0, 99.9] {
            let mut buf = x.clone();
            assert_eq!(
                percentile_by_selection(&mut buf, p),
                percentile(&sorted, p),
                "p{p}"
            );
        }
        assert_eq!(ranks(&[1.0, 2.0, 2.0, 4.0]), vec![1.0, 2.5, 2.5, 4.0]);
        assert_eq!(
            ranks(&[3.0, -1.0, -0.0, 0.0, -5.5]),
            vec![5.0, 2.0, 3.5, 3.5, 1.0]
        );
        assert_eq!(
            pearson(&ranks(&[1.0, 2.0, 2.0, 4.0]), &[1.0, 2.5, 2.5, 4.0]),
            1.0
        );
    }
}
