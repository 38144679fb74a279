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
    let mut s = x.to_vec();
    s.sort_by(f64::total_cmp);
    Stats {
        mean,
        median: percentile(&s, 50.0),
        sd,
        percentiles: percentiles
            .iter()
            .map(|p| (percentile_key(*p), percentile(&s, *p)))
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

fn ranks(x: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|a, b| x[*a].total_cmp(&x[*b]));
    let mut r = vec![0.0; x.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && x[idx[j + 1]] == x[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for k in i..=j {
            r[idx[k]] = avg;
        }
        i = j + 1;
    }
    r
}

/// Spearman rank correlation.
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    let (rx, ry) = (ranks(x), ranks(y));
    let n = rx.len() as f64;
    let (mx, my) = (rx.iter().sum::<f64>() / n, ry.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(&ry) {
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
}
