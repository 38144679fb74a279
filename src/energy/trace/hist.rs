//! The sampling intervals of a device in a histogram of fixed size: the median interval (and
//! from it the gap threshold) in bounded memory, however long the trace.

/// Log-spaced histogram of sampling intervals (100 bins a decade, 1 us to 1e6 s): the median
/// interval in bounded memory.
#[derive(Clone, Debug, Default)]
pub struct Hist {
    counts: Vec<u64>,
    /// Intervals added.
    pub n: u64,
    /// The last interval binned by its logarithm: a meter's intervals vary little.
    recent: Recent,
    /// Intervals binned by their logarithm lately, by their bits ([`MEMO`] places, filled when
    /// first needed): a meter's times, fixed fractions of a second added to whole seconds,
    /// give the same few hundred intervals over and over, which near a bin's edge (0.1 s,
    /// 1 s) must each be binned by their logarithm.
    memo: Vec<(u64, usize)>,
}

/// Places of [`Hist::memo`].
const MEMO: usize = 512;

/// The place of the interval `dt` in [`Hist::memo`].
#[inline]
fn memo_place(dt: f64) -> usize {
    (dt.to_bits().wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 55) as usize % MEMO
}

/// The last interval binned by its logarithm and its bin, and the intervals sure to fall in
/// one bin (`sure`, between `low` and `high`), binned without a logarithm.
#[derive(Clone, Copy, Debug, Default)]
struct Recent {
    dt: f64,
    bin: usize,
    low: f64,
    high: f64,
    sure: usize,
}

const BINS_PER_DECADE: f64 = 100.0;
/// Bins summed at once while the median is looked for.
const MEDIAN_BLOCK: usize = 16;
const HIST_BINS: usize = 1200;

impl Hist {
    fn bin(dt: f64) -> usize {
        (((dt.log10() + 6.0) * BINS_PER_DECADE).floor().max(0.0) as usize).min(HIST_BINS - 1)
    }
    /// The intervals sure to fall in bin `b` (where `dt` fell): its edges 10^(b/100 - 6) and
    /// 10^((b+1)/100 - 6) moved inwards by a billionth of their value. [`Hist::bin`] computes
    /// (log10 dt + 6) x 100 to within 1e-12 (a few ulps of log10, then two roundings), and
    /// a billionth of dt is 4.3e-8 of that quantity: every interval within the bounds falls in
    /// `b` whatever the roundings. The end bins, which hold what is beyond them, keep `dt` only.
    fn surely_in(b: usize, dt: f64) -> (f64, f64, usize) {
        if b == 0 || b >= HIST_BINS - 1 {
            return (dt, dt, b);
        }
        let edge = |k: usize| 10f64.powf(k as f64 / BINS_PER_DECADE - 6.0);
        (edge(b) * (1.0 + 1e-9), edge(b + 1) * (1.0 - 1e-9), b)
    }
    /// Count the interval `dt`: the interval before it again, or one surely in the same bin,
    /// with a comparison or two and no call; the others by `Hist::add_new`.
    #[inline(always)]
    pub fn add(&mut self, dt: f64) {
        let r = &self.recent;
        let bin = if dt == r.dt {
            r.bin
        } else if r.low <= dt && dt <= r.high {
            r.sure
        } else {
            // an interval at a bin's edge binned lately
            match self.memo.get(memo_place(dt)) {
                Some(&(bits, b)) if bits == dt.to_bits() => b,
                _ => return self.add_new(dt),
            }
        };
        match self.counts.get_mut(bin) {
            Some(c) => {
                *c += 1;
                self.n += 1;
            }
            // the first interval (the bins are made then)
            None => self.add_new(dt),
        }
    }

    /// [`Hist::add`] of any interval.
    #[inline(never)]
    fn add_new(&mut self, dt: f64) {
        if self.counts.is_empty() {
            self.counts = vec![0; HIST_BINS];
        }
        let r = &mut self.recent;
        let bin = if dt == r.dt {
            r.bin
        } else if r.low <= dt && dt <= r.high {
            r.sure
        } else {
            let b = self.bin_known(dt);
            let r = &mut self.recent;
            (r.dt, r.bin) = (dt, b);
            // intervals at the edge of a bin (a round interval, 1 s or 0.1 s, give or take an
            // ulp) are binned by their logarithm every time: the bounds stay those of that bin
            let near = |edge: f64| (dt - edge).abs() <= edge * 1e-8;
            if !(near(r.low) || near(r.high)) {
                (r.low, r.high, r.sure) = Self::surely_in(b, dt);
            }
            b
        };
        self.counts[bin] += 1;
        self.n += 1;
    }
    /// [`Hist::bin`], from [`Hist::memo`] when `dt` was binned lately.
    fn bin_known(&mut self, dt: f64) -> usize {
        if self.memo.is_empty() {
            self.memo = vec![(f64::NAN.to_bits(), 0); MEMO];
        }
        let bits = dt.to_bits();
        let place = memo_place(dt);
        let (known, b) = self.memo[place];
        if known == bits {
            return b;
        }
        let b = Self::bin(dt);
        self.memo[place] = (bits, b);
        b
    }

    pub fn merge(&mut self, o: &Hist) {
        if o.n == 0 {
            return;
        }
        if self.counts.is_empty() {
            self.counts = vec![0; HIST_BINS];
        }
        for (a, b) in self.counts.iter_mut().zip(&o.counts) {
            *a += b;
        }
        self.n += o.n;
    }
    /// The median interval, to 1.2 % (the bin's geometric centre).
    pub fn median(&self) -> Option<f64> {
        if self.n == 0 {
            return None;
        }
        let half = self.n.div_ceil(2);
        let mut seen = 0;
        // the first bin where the count so far reaches half: the blocks of bins before it
        // summed whole (the sums vectorize), then the bins of its block
        for (k, block) in self.counts.chunks(MEDIAN_BLOCK).enumerate() {
            let s: u64 = block.iter().sum();
            if seen + s < half {
                seen += s;
                continue;
            }
            for (i, c) in block.iter().enumerate() {
                seen += c;
                if seen >= half {
                    let bin = k * MEDIAN_BLOCK + i;
                    return Some(10f64.powf((bin as f64 + 0.5) / BINS_PER_DECADE - 6.0));
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_fall_in_the_bins_of_their_logarithm() {
        // intervals near one another, near bin edges, and far apart: the bins without a
        // logarithm are those with one
        let mut dts = Vec::new();
        for k in [0usize, 1, 150, 300, 599, 600, 601, 1198, 1199, 1250] {
            let edge = 10f64.powf(k as f64 / BINS_PER_DECADE - 6.0);
            for f in [
                1.0 - 1e-12,
                1.0 - 1e-15,
                1.0,
                1.0 + 1e-15,
                1.0 + 1e-12,
                1.001,
                1.02,
            ] {
                dts.push(edge * f);
            }
        }
        // round intervals, either side of the edge of bins 599 and 600
        for i in 0..200 {
            dts.push(1.0 + (i % 5) as f64 * f64::EPSILON - 2.0 * f64::EPSILON);
        }
        let mut x = 0.1;
        for i in 0..5000 {
            x += 1e-13 * ((i * 7919 % 201) as f64 - 100.0);
            dts.push(x);
            dts.push(1.0 + (i % 13) as f64 * 1e-4);
        }
        let mut h = Hist::default();
        let mut want = vec![0u64; HIST_BINS];
        for &dt in &dts {
            h.add(dt);
            want[Hist::bin(dt)] += 1;
        }
        assert_eq!(h.counts, want);
    }

    proptest::proptest! {
        /// The median found block by block is the first bin where the count reaches half,
        /// found bin by bin.
        #[test]
        fn the_median_is_the_first_bin_to_reach_half(
            exps in proptest::collection::vec(-7.0f64..7.0, 1..400),
        ) {
            let mut h = Hist::default();
            for e in &exps {
                h.add(10f64.powf(*e));
            }
            let half = h.n.div_ceil(2);
            let mut seen = 0;
            let want = h.counts.iter().position(|c| {
                seen += c;
                seen >= half
            });
            let centre = |i: usize| 10f64.powf((i as f64 + 0.5) / BINS_PER_DECADE - 6.0);
            proptest::prop_assert_eq!(
                h.median().map(f64::to_bits),
                want.map(|i| centre(i).to_bits())
            );
        }
    }

    #[test]
    fn median_of_the_histogram() {
        let mut h = Hist::default();
        for _ in 0..100 {
            h.add(1.0);
        }
        h.add(60.0);
        let m = h.median().unwrap_or(0.0);
        assert!((m - 1.0).abs() < 0.012, "{m}");
    }
}
