//! An exact sum of floats ([`ExactSum`]): every term is added without rounding, in integers, and
//! the total is rounded once, to the nearest float (ties to even), when it is read. The total
//! is therefore the same whatever the order of the terms and however they were grouped: a trace
//! cut into pieces of any size, read by any number of threads, gives the same energies to the
//! last digit.
//!
//! A finite float is m x 2^(p - 1074) with m < 2^53 a whole number and 0 <= p <= 2045. The
//! terms within 2^16 of the first are added as one whole number (an `i128` of units 2^-16 of
//! the first term's last bit: one addition a term); the others, and that number when the sum
//! is read or merged, go to "limbs" of 32 bits (limb k weighs 2^(32 k - 1074)), three limbs a
//! term, each limb an `i64` whose upper bits hold the carries until they are passed on
//! ([`ExactSum::settle`], every 2^29 terms and when the total is read). Only the limbs a sum's
//! terms reach are kept.
//!
//! The common term, positive, normal and within reach of that whole number, is told by one
//! subtraction and one comparison of its top 12 bits (sign and exponent) and added in about 20
//! instructions ([`ExactSum::add`]); the others take the general path ([`ExactSum::add_any`]).

/// Bits of a limb.
const LIMB_BITS: u32 = 32;
const LIMB_MASK: i64 = (1 << LIMB_BITS) - 1;
/// The exponent of the lowest bit of limb 0: the smallest subnormal, 2^-1074.
const LOWEST_EXP: i64 = -1074;
/// Terms added before the carries are passed on: a limb grows by less than 2^32 a term, and
/// stays below 2^62 in magnitude.
const SETTLE_EVERY: u32 = 1 << 29;

/// Terms kept in [`ExactSum::near`] before they go to the limbs: each is below 2^85 units,
/// the whole number below 2^125.
const NEAR_MAX: u64 = 1 << 40;

/// [`ExactSum::near_top`] when no term can take the short path: every float's top 12 bits
/// (sign and exponent, below 2^12) minus it are 2^64 - 2^12 or more.
const NO_NEAR_TOP: u64 = 1 << 12;

/// A sum of floats, exact until it is read.
#[derive(Clone, Debug, PartialEq)]
pub struct ExactSum {
    /// Limb `base + k` is `limbs[k]`.
    limbs: Vec<i64>,
    base: usize,
    /// Terms added since the carries were last passed on.
    pending: u32,
    /// The infinite and NaN terms, summed as floats (none in a trace's figures: a reader refuses
    /// them).
    special: f64,
    /// The terms within 2^-16 to 2^16 of the first one (a device's energies and intervals
    /// vary little), as one whole number of units 2^(near_unit - 1074): one addition a term.
    near: i128,
    near_unit: usize,
    /// Terms in `near` (0: no unit chosen yet).
    near_terms: u64,
    /// The top 12 bits (sign and exponent) of a positive normal float of exponent
    /// `near_unit + 1`, when the 32 exponents from there are normal (between 1 and 0x7fe), so
    /// that a term whose top bits minus this are below 32 is positive, normal, and goes to
    /// `near` shifted by that difference; else [`NO_NEAR_TOP`].
    near_top: u64,
}

impl Default for ExactSum {
    fn default() -> Self {
        ExactSum {
            limbs: Vec::new(),
            base: 0,
            pending: 0,
            special: 0.0,
            near: 0,
            near_unit: 0,
            near_terms: 0,
            near_top: NO_NEAR_TOP,
        }
    }
}

impl ExactSum {
    /// Add `x`: a positive normal term within reach of `near` with one shift and one addition,
    /// the others by `ExactSum::add_any`, which gives the same whole number.
    #[inline]
    pub fn add(&mut self, x: f64) {
        let bits = x.to_bits();
        // below 32 only for a positive normal float of exponent near_unit + 1 + d (near_top
        // lies in 1..=0x7df, so a zero, a subnormal, an infinity, a NaN and a negative float
        // are 32 or more away; NO_NEAR_TOP puts every float 2^64 - 2^12 or more away)
        let d = (bits >> 52).wrapping_sub(self.near_top);
        if d < 32 && self.near_terms < NEAR_MAX {
            // m 2^(p - 1074) with p = exponent - 1, m with its leading bit: m << (p - near_unit)
            let m = (bits & ((1 << 52) - 1)) | 1 << 52;
            self.near += i128::from(m) << d;
            self.near_terms += 1;
            return;
        }
        self.add_any(x);
    }

    /// [`ExactSum::add`] for any float.
    #[inline(never)]
    fn add_any(&mut self, x: f64) {
        let bits = x.to_bits();
        let exp = ((bits >> 52) & 0x7ff) as usize;
        if exp == 0x7ff {
            self.special += x;
            return;
        }
        if bits << 1 == 0 {
            return; // a zero
        }
        let frac = bits & ((1 << 52) - 1);
        // x = m 2^(p - 1074)
        let (m, p) = if exp == 0 {
            (frac, 0)
        } else {
            (frac | 1 << 52, exp - 1)
        };
        let negative = bits >> 63 == 1;
        if self.near_terms >= NEAR_MAX {
            self.flush_near();
        }
        if self.near_terms == 0 {
            self.near_unit = p.saturating_sub(16);
            let top = self.near_unit as u64 + 1;
            self.near_top = if top + 31 <= 0x7fe { top } else { NO_NEAR_TOP };
        }
        let d = p.wrapping_sub(self.near_unit);
        if d < 32 {
            let v = i128::from(m) << d;
            self.near += if negative { -v } else { v };
            self.near_terms += 1;
            return;
        }
        self.add_bits(m, p, negative);
    }

    /// Add +-m 2^(p - 1074) to the limbs.
    fn add_bits(&mut self, m: u64, p: usize, negative: bool) {
        if m == 0 {
            return;
        }
        let (j, r) = (p / LIMB_BITS as usize, p % LIMB_BITS as usize);
        let v = u128::from(m) << r;
        let (lo, mid, hi) = (
            (v as i64) & LIMB_MASK,
            ((v >> 32) as i64) & LIMB_MASK,
            (v >> 64) as i64,
        );
        let (lo, mid, hi) = if negative {
            (-lo, -mid, -hi)
        } else {
            (lo, mid, hi)
        };
        let k = if j >= self.base && j + 3 <= self.base + self.limbs.len() {
            j - self.base
        } else {
            self.reach(j, j + 3)
        };
        if let Some(l) = self.limbs.get_mut(k..k + 3) {
            l[0] += lo;
            l[1] += mid;
            l[2] += hi;
        }
        self.pending += 1;
        if self.pending >= SETTLE_EVERY {
            self.settle();
        }
    }

    /// Add a whole number of units 2^(unit - 1074) to the limbs.
    fn add_units(&mut self, n: i128, unit: usize) {
        let (mag, negative) = (n.unsigned_abs(), n < 0);
        self.add_bits(mag as u64, unit, negative);
        self.add_bits((mag >> 64) as u64, unit + 64, negative);
    }

    /// Move the terms of `near` to the limbs.
    fn flush_near(&mut self) {
        if self.near_terms > 0 {
            self.add_units(self.near, self.near_unit);
        }
        self.near = 0;
        self.near_terms = 0;
        self.near_top = NO_NEAR_TOP;
    }

    /// Add every term of `other`.
    pub fn merge(&mut self, other: &ExactSum) {
        self.special += other.special;
        if other.near_terms > 0 {
            if self.near_terms > 0
                && self.near_unit == other.near_unit
                && self.near_terms + other.near_terms < NEAR_MAX
            {
                self.near += other.near;
                self.near_terms += other.near_terms;
            } else {
                self.add_units(other.near, other.near_unit);
            }
        }
        if other.limbs.is_empty() {
            return;
        }
        if self.pending.saturating_add(other.pending) >= SETTLE_EVERY {
            self.settle();
        }
        let k = self.reach(other.base, other.base + other.limbs.len());
        for (a, b) in self.limbs[k..].iter_mut().zip(&other.limbs) {
            *a += b;
        }
        self.pending += other.pending.min(SETTLE_EVERY) + 1;
        if self.pending >= SETTLE_EVERY {
            self.settle();
        }
    }

    /// Make room for limbs `lo..hi`: the place of limb `lo` in `limbs`.
    #[cold]
    fn reach(&mut self, lo: usize, hi: usize) -> usize {
        if self.limbs.is_empty() {
            self.base = lo;
            self.limbs.resize(hi - lo, 0);
            return 0;
        }
        if lo < self.base {
            let more = self.base - lo;
            self.limbs.splice(0..0, std::iter::repeat_n(0, more));
            self.base = lo;
        }
        let end = self.base + self.limbs.len();
        if hi > end {
            self.limbs.resize(self.limbs.len() + hi - end, 0);
        }
        lo - self.base
    }

    /// Pass the carries on: every limb in [0, 2^32) but the top one, which keeps the sign.
    fn settle(&mut self) {
        let mut carry = 0i64;
        for l in &mut self.limbs {
            let t = *l + carry;
            carry = t >> LIMB_BITS;
            *l = t & LIMB_MASK;
        }
        while carry > 0 {
            self.limbs.push(carry & LIMB_MASK);
            carry >>= LIMB_BITS;
        }
        if carry < 0 {
            self.limbs.push(carry);
        }
        self.pending = 0;
    }

    /// The sum, rounded once to the nearest float (ties to even).
    pub fn value(&self) -> f64 {
        let mut s = self.clone();
        s.flush_near();
        s.settle();
        while s.limbs.last() == Some(&0) {
            s.limbs.pop();
        }
        let Some(&top) = s.limbs.last() else {
            return 0.0 + self.special;
        };
        let negative = top < 0;
        if negative {
            for l in &mut s.limbs {
                *l = -*l;
            }
            s.settle();
            while s.limbs.last() == Some(&0) {
                s.limbs.pop();
            }
        }
        let v = s.magnitude();
        (if negative { -v } else { v }) + self.special
    }

    /// The float nearest the sum, which is positive and settled (every limb in [0, 2^32), the
    /// top one not zero).
    fn magnitude(&self) -> f64 {
        let d = &self.limbs;
        let n = d.len();
        let top = d[n - 1] as u64;
        let bits = LIMB_BITS as i64 * (n as i64 - 1) + (64 - i64::from(top.leading_zeros()));
        let unit = LIMB_BITS as i64 * self.base as i64 + LOWEST_EXP;
        let msb = unit + bits - 1;
        if msb > 1023 {
            return f64::INFINITY;
        }
        // the lowest bit kept: 53 bits, or down to the smallest subnormal
        let q = (msb - 52).max(LOWEST_EXP);
        let s = q - unit;
        if s <= 0 {
            // every bit fits: the sum is a whole number of units below 2^53
            return self.window(0, bits as usize) as f64 * pow2(unit);
        }
        let s = s as usize;
        let mut m = self.window(s, (bits as usize - s).min(53));
        let half = self.window(s - 1, 1) == 1;
        let below = self.any_below(s - 1);
        if half && (below || m & 1 == 1) {
            m += 1;
        }
        m as f64 * pow2(q)
    }

    /// Bits `lo..lo + count` of the settled sum (count <= 53) as a whole number.
    fn window(&self, lo: usize, count: usize) -> u64 {
        let at = lo / LIMB_BITS as usize;
        let mut w = 0u128;
        for i in (0..3).rev() {
            let limb = self.limbs.get(at + i).map_or(0, |&l| l as u64);
            w = (w << LIMB_BITS) | u128::from(limb);
        }
        ((w >> (lo % LIMB_BITS as usize)) as u64) & ((1u64 << count) - 1)
    }

    /// Whether any bit below bit `lo` of the settled sum is set.
    fn any_below(&self, lo: usize) -> bool {
        let at = lo / LIMB_BITS as usize;
        let part = (self.limbs[at] as u64) & ((1u64 << (lo % LIMB_BITS as usize)) - 1);
        part != 0 || self.limbs[..at].iter().any(|&l| l != 0)
    }
}

/// An exact sum whose terms are mostly steps b - a of a walk (a device's intervals t1 - t0, a
/// counter's increments): consecutive steps each computed without rounding add up to the last
/// point minus the first, so a run of them is kept as its two ends, two terms of the sum when
/// the run ends, and a step costs two comparisons. By Sterbenz's lemma b - a is exact when
/// a / 2 <= b <= 2 a; a step from 0 is exact too. The total is the [`ExactSum`] of the same
/// terms: the same bits.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Telescoped {
    /// The terms outside the run.
    sum: ExactSum,
    /// The run: its steps add up to `to - from` (none when they are equal).
    from: f64,
    to: f64,
}

impl Telescoped {
    /// Add the step `d`, computed as b - a with b >= a.
    #[inline]
    pub fn add_step(&mut self, a: f64, b: f64, d: f64) {
        // 0 <= d < a: b - a < a (rounding keeps the order), so b < 2 a and d is b - a exactly
        if a == self.to && 0.0 <= d && d < a {
            self.to = b;
            return;
        }
        self.new_run(a, b, d);
    }

    /// A step that does not go on from the run: the start of a new run when it is exact, else
    /// a term of the sum.
    #[inline(never)]
    fn new_run(&mut self, a: f64, b: f64, d: f64) {
        let exact = (0.0 <= d && d < a) || (a == 0.0 && d.is_finite());
        if !exact {
            self.sum.add(d);
            return;
        }
        self.end_run();
        (self.from, self.to) = (a, b);
    }

    /// Move the run to the sum.
    fn end_run(&mut self) {
        if self.from != self.to {
            self.sum.add(self.to);
            self.sum.add(-self.from);
        }
        (self.from, self.to) = (0.0, 0.0);
    }

    /// Add `x`, any float.
    #[inline]
    pub fn add(&mut self, x: f64) {
        self.sum.add(x);
    }

    /// Add every term of `other`: its run goes on from this one's when it starts where this
    /// one ends.
    pub fn merge(&mut self, other: &Telescoped) {
        self.sum.merge(&other.sum);
        if other.from == other.to {
            return;
        }
        if other.from == self.to {
            self.to = other.to;
        } else if self.from == self.to {
            (self.from, self.to) = (other.from, other.to);
        } else {
            self.sum.add(other.to);
            self.sum.add(-other.from);
        }
    }

    /// The sum, rounded once to the nearest float (ties to even).
    pub fn value(&self) -> f64 {
        let mut s = self.clone();
        s.end_run();
        s.sum.value()
    }
}

/// 2^e, for -1074 <= e <= 1023.
fn pow2(e: i64) -> f64 {
    if e >= -1022 {
        f64::from_bits(((e + 1023) as u64) << 52)
    } else {
        f64::from_bits(1u64 << (e - LOWEST_EXP))
    }
}

impl From<&ExactSum> for f64 {
    fn from(s: &ExactSum) -> f64 {
        s.value()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(xs: &[f64]) -> f64 {
        let mut s = ExactSum::default();
        for &x in xs {
            s.add(x);
        }
        s.value()
    }

    #[test]
    fn sums_by_hand() {
        assert_eq!(sum(&[]), 0.0);
        assert_eq!(sum(&[1.5, 2.25]), 3.75);
        // the float sum loses the 1: the exact sum keeps it
        assert_eq!(sum(&[1e16, 1.0, -1e16]), 1.0);
        assert_eq!((1e16 + 1.0) - 1e16, 0.0);
        // 0.1 + 0.2 + 0.3 of the floats is 0.60000000000000000555...: the nearest float is
        // 0.6 (0.59999999999999997780), not 0.6000000000000001 of the float sum
        assert_eq!(sum(&[0.1, 0.2, 0.3]), 0.6);
        assert_eq!(0.1 + 0.2 + 0.3, 0.6000000000000001);
        // a tie rounds to even: 2^53 + 1 lies halfway between 2^53 and 2^53 + 2
        let two53 = 9_007_199_254_740_992.0;
        assert_eq!(sum(&[two53, 1.0]), two53);
        assert_eq!(sum(&[two53, 1.0, 2f64.powi(-60)]), two53 + 2.0);
        assert_eq!(sum(&[two53 + 2.0, 1.0]), two53 + 4.0);
        // signs, subnormals, the largest floats
        assert_eq!(sum(&[-2.5, 1.0]), -1.5);
        assert_eq!(sum(&[5e-324, 5e-324]), 1e-323);
        assert_eq!(sum(&[f64::MAX, -f64::MAX, 2.0]), 2.0);
        assert_eq!(sum(&[f64::MAX, f64::MAX]), f64::INFINITY);
        assert_eq!(
            sum(&[f64::MIN_POSITIVE, -5e-324]),
            f64::MIN_POSITIVE - 5e-324
        );
        assert!(sum(&[1.0, f64::NAN]).is_nan());
        assert_eq!(sum(&[-0.0]), 0.0);
    }

    #[test]
    fn a_million_terms_carry_through_the_limbs() {
        // 10^6 x 0.1: the float 0.1 is 0.1000000000000000055511151231257827; times 10^6 it is
        // 100000.0000000000055511..., whose nearest float is 100000
        let mut s = ExactSum::default();
        for _ in 0..1_000_000 {
            s.add(0.1);
        }
        assert_eq!(s.value(), 100_000.0);
        // whole numbers: as integers
        let mut w = ExactSum::default();
        let mut total = 0i64;
        for i in 0..100_000i64 {
            let x = (i * 7919) % 100_003 - 50_000;
            w.add(x as f64 * 1024.0);
            total += x * 1024;
        }
        assert_eq!(w.value(), total as f64);
    }

    proptest::proptest! {
        /// The same total whatever the order and the grouping of the terms.
        #[test]
        fn the_total_does_not_depend_on_the_order_or_the_cut(
            xs in proptest::collection::vec(
                proptest::prop_oneof![-1e6f64..1e6, 0.0f64..1e-3, -1e300f64..1e300], 0..60),
            cut in 0usize..60,
        ) {
            let whole = sum(&xs);
            let mut rev = xs.clone();
            rev.reverse();
            proptest::prop_assert_eq!(sum(&rev).to_bits(), whole.to_bits());
            let cut = cut.min(xs.len());
            let (mut a, mut b) = (ExactSum::default(), ExactSum::default());
            for &x in &xs[..cut] { a.add(x); }
            for &x in &xs[cut..] { b.add(x); }
            b.merge(&a);
            proptest::prop_assert_eq!(b.value().to_bits(), whole.to_bits());
        }

        /// The short path of `add` leaves the sum in the state the general path leaves it in,
        /// term after term: energies and intervals near one another, and every other kind of
        /// float (negative, zero, subnormal, huge, infinite, NaN) in between.
        #[test]
        fn the_short_path_is_the_general_path(
            xs in proptest::collection::vec(
                proptest::prop_oneof![
                    8 => 50.0f64..500.0,
                    2 => 1e-6f64..1e6,
                    1 => -1e3f64..1e3,
                    1 => proptest::num::f64::ANY,
                    1 => proptest::sample::select(vec![
                        0.0, -0.0, 5e-324, f64::MIN_POSITIVE, f64::MAX, 1e300, 2e-308,
                        f64::INFINITY,
                    ]),
                ],
                0..80),
        ) {
            let (mut short, mut general) = (ExactSum::default(), ExactSum::default());
            for &x in &xs {
                short.add(x);
                general.add_any(x);
                // every field, a NaN too (the sum of the special terms)
                proptest::prop_assert_eq!(format!("{short:?}"), format!("{general:?}"));
            }
            proptest::prop_assert_eq!(short.value().to_bits(), general.value().to_bits());
        }

        /// Steps of a walk (times or a counter's readings, from 0, from a Unix time, from a
        /// negative time, with increments from a microsecond to a day), some other terms
        /// between them, the whole cut in pieces merged in order: the sum of every step and
        /// term, to the bit.
        #[test]
        fn the_steps_of_a_walk_add_up_to_their_exact_sum(
            start in proptest::prop_oneof![
                proptest::strategy::Just(0.0f64), 0.0f64..10.0, 1.7e9f64..1.8e9, -100.0f64..0.0],
            incs in proptest::collection::vec(
                proptest::prop_oneof![
                    6 => proptest::sample::select(vec![0.1, 1.0, 0.001, 60.0, 0.0]),
                    3 => 1e-6f64..1e5,
                    1 => -1e3f64..1e3,
                ],
                0..120),
            cuts in proptest::collection::vec(0usize..120, 0..4),
        ) {
            let mut want = ExactSum::default();
            let mut pieces = vec![Telescoped::default()];
            let mut t = start;
            for (i, &inc) in incs.iter().enumerate() {
                if cuts.contains(&i) {
                    pieces.push(Telescoped::default());
                }
                let n = pieces.len();
                let piece = &mut pieces[n - 1];
                if inc < 0.0 {
                    // a term that is not a step (a clipped interval)
                    piece.add(inc);
                    want.add(inc);
                    continue;
                }
                let b = t + inc;
                let d = b - t;
                piece.add_step(t, b, d);
                want.add(d);
                t = b;
            }
            let mut whole = Telescoped::default();
            for p in &pieces {
                whole.merge(p);
            }
            proptest::prop_assert_eq!(whole.value().to_bits(), want.value().to_bits());
        }

        /// Two terms: the correctly rounded sum, which is the float sum of two floats.
        #[test]
        fn two_terms_are_the_float_sum(x in proptest::num::f64::NORMAL, y in proptest::num::f64::NORMAL) {
            let want = x + y;
            if want.is_finite() {
                proptest::prop_assert_eq!(sum(&[x, y]).to_bits(), (want + 0.0).to_bits());
            }
        }
    }
}
