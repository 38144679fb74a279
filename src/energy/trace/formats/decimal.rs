//! Plain decimals (`251.37`, `262143328850`) read in place, as `str::parse` reads them, and
//! runs of digits read eight at a time.

use super::super::record::{equal_bytes, BYTES};

/// Powers of ten exact in an f64.
const EXACT_POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A plain decimal (`251.37`, `-3`, `.5`, `7.`) read without a detour through text: its digits
/// m as a whole number and its k digits after the point, m / 10^k. When m < 2^53 and k <= 22,
/// both are exact in an f64 and one division, correctly rounded, gives the correctly rounded
/// value, the one `str::parse` gives (Clinger's fast path). Anything else: None.
///
/// Up to eight bytes (a power, a delta) are read in the caller's own loop, longer ones by a
/// call.
#[inline(always)]
pub(super) fn plain_decimal(f: &[u8]) -> Option<f64> {
    let (neg, body) = match f.first()? {
        b'-' => (true, &f[1..]),
        b'+' => (false, &f[1..]),
        _ => (false, f),
    };
    let v = if body.len() <= 8 {
        eight_or_fewer(body).or_else(|| long_decimal(body))
    } else {
        longer_decimal(body)
    }?;
    Some(if neg { -v } else { v })
}

/// [`plain_decimal`] of an unsigned body of more than eight bytes (a counter, a time): as two
/// words up to sixteen, else byte by byte.
#[inline(never)]
fn longer_decimal(body: &[u8]) -> Option<f64> {
    nine_to_sixteen(body).or_else(|| long_decimal(body))
}

/// [`plain_decimal`] of an unsigned body, byte by byte (apart: the common short bodies keep
/// their function small).
#[inline(never)]
fn long_decimal(body: &[u8]) -> Option<f64> {
    // nineteen digits and a point at most: m < 10^19 never wraps
    if body.len() > 20 {
        return None;
    }
    // one pass: the first eight bytes at once when they are eight digits (a counter, a time),
    // then byte by byte, the place of the point noted
    let mut m = 0u64;
    let mut i = 0;
    if let Some(v) = body.first_chunk::<8>().and_then(|w| eight_digits(w)) {
        m = v;
        i = 8;
    }
    let mut point = None;
    for (at, &c) in body.iter().enumerate().skip(i) {
        let d = c.wrapping_sub(b'0');
        if d < 10 {
            m = m.wrapping_mul(10).wrapping_add(u64::from(d));
        } else if c == b'.' && point.is_none() {
            point = Some(at);
        } else {
            return None;
        }
    }
    let after = point.map_or(0, |p| body.len() - p - 1);
    let digits = body.len() - usize::from(point.is_some());
    if digits == 0 || digits > 19 || m >= 1 << 53 {
        return None;
    }
    Some(ratio(m, after))
}

/// m / 10^after, m < 2^53 and after <= 22 (both exact in an f64: one division, correctly
/// rounded); a whole number is m itself (m / 1 would cost a division).
#[inline]
fn ratio(m: u64, after: usize) -> f64 {
    if after == 0 {
        m as f64
    } else {
        m as f64 / EXACT_POWERS_OF_TEN[after]
    }
}

/// [`plain_decimal`] of an unsigned body of 1 to 16 bytes (a power, a delta, a counter in
/// uJ), as one or two words read by [`eight_digits`], which fails on any byte but a digit (a
/// second point, a sign, a letter): the same m and k as the byte-by-byte reading, so the same
/// value; None leaves the body to it.
///
/// Up to eight bytes: right-aligned in a word with '0's before them (leading zeros change no
/// value). Nine to sixteen: the first eight, and the last eight with the bytes they share with
/// the first made '0's; m is the first's digits times ten to the count of the second's, plus
/// the second's. A point is taken out of the word that holds it ([`without_point`]).
/// ([`plain_decimal`] calls its two halves apart.)
#[cfg(test)]
fn short_decimal(body: &[u8]) -> Option<f64> {
    if body.len() <= 8 {
        eight_or_fewer(body)
    } else {
        nine_to_sixteen(body)
    }
}

/// [`short_decimal`] of 0 to 8 bytes (None for more).
#[inline(always)]
fn eight_or_fewer(body: &[u8]) -> Option<f64> {
    let n = body.len();
    let x = word_of(body)?;
    // 0 to 56 bits: no shift of 64
    let pad = 8 * (8 - n) as u32;
    let w = (x << pad) | (ZEROS & !(u64::MAX << pad));
    let (w, after) = match without_point(w) {
        Some(_) if n == 1 => return None, // a point alone
        Some(pointless) => pointless,
        None => (w, 0),
    };
    Some(ratio(eight_digits_of(w)?, after))
}

/// [`short_decimal`] of 9 to 16 bytes (None for another length).
#[inline]
fn nine_to_sixteen(body: &[u8]) -> Option<f64> {
    let n = body.len();
    if !(9..=16).contains(&n) {
        return None;
    }
    let first = u64::from_le_bytes(*body.first_chunk::<8>()?);
    let shared = 8 * (16 - n) as u32;
    let last = u64::from_le_bytes(*body.last_chunk::<8>()?);
    let last = (last & (u64::MAX << shared)) | (ZEROS & !(u64::MAX << shared));
    // the digits of the last word, and the point's place
    let (first, last, last_digits, after) = match (without_point(first), without_point(last)) {
        (Some((f, a)), _) => (f, last, n - 8, a + (n - 8)),
        (None, Some((l, a))) => (first, l, n - 9, a),
        (None, None) => (first, last, n - 8, 0),
    };
    let m = eight_digits_of(first)? * TEN_TO[last_digits] + eight_digits_of(last)?;
    (m < 1 << 53).then(|| ratio(m, after))
}

/// '0' in every byte of a word.
const ZEROS: u64 = 0x3030_3030_3030_3030;

/// Powers of ten to eight.
const TEN_TO: [u64; 9] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
];

/// The word of eight digits (byte 0 the most significant) `w` without its first point, if it
/// has one: the bytes before the point moved up one place and a '0' put before them (the
/// bytes after it stay), and the count of bytes after the point.
#[inline]
fn without_point(w: u64) -> Option<(u64, usize)> {
    let dots = equal_bytes(w, BYTES * u64::from(b'.'));
    if dots == 0 {
        return None;
    }
    let q = dots.trailing_zeros() / 8;
    let from_point = u64::MAX << (8 * q);
    let (below, above) = (w & !from_point, w & (from_point << 8));
    Some(((below << 8) | above | 0x30, 7 - q as usize))
}

/// The 1 to 8 bytes of `b` as a word, byte i in bits 8i to 8i + 7, the rest zero; None for
/// another length. Two overlapping loads of the first and last bytes (the bytes they share
/// are the same), with no copy.
#[inline]
fn word_of(b: &[u8]) -> Option<u64> {
    let n = b.len();
    let two = |w: Option<&[u8; 2]>| w.map_or(0, |w| u64::from(u16::from_le_bytes(*w)));
    let four = |w: Option<&[u8; 4]>| w.map_or(0, |w| u64::from(u32::from_le_bytes(*w)));
    match n {
        1 => Some(u64::from(b[0])),
        2..4 => Some(two(b.first_chunk()) | (two(b.last_chunk()) << (8 * (n - 2)))),
        4..=8 => Some(four(b.first_chunk()) | (four(b.last_chunk()) << (8 * (n - 4)))),
        _ => None,
    }
}

/// The digits of `b` from `i` on appended to `m` (m 10^k + the k digits, wrapping): the place
/// after the last digit. Eight digits at a time while there are eight.
pub(super) fn digits_into(b: &[u8], mut i: usize, m: &mut u64) -> usize {
    while let Some(v) = b.get(i..i + 8).and_then(eight_digits) {
        *m = m.wrapping_mul(100_000_000).wrapping_add(v);
        i += 8;
    }
    while i < b.len() && b[i].is_ascii_digit() {
        *m = m.wrapping_mul(10).wrapping_add(u64::from(b[i] - b'0'));
        i += 1;
    }
    i
}

/// [`eight_digits_of`] the eight bytes `b` (None for another length).
fn eight_digits(b: &[u8]) -> Option<u64> {
    eight_digits_of(u64::from_le_bytes(b.try_into().ok()?))
}

/// The value of the eight ASCII digits of word `x` (byte 0 the most significant digit), if
/// they are eight digits: the bytes less '0', each pair, then each four, then the eight put
/// together by multiplications (Lemire's method).
#[inline]
fn eight_digits_of(x: u64) -> Option<u64> {
    const HIGH: u64 = 0xf0f0_f0f0_f0f0_f0f0;
    const MASK: u64 = 0x0000_00ff_0000_00ff;
    // each byte 0x30 to 0x3f, and below 0x3a (adding 6 leaves it below 0x40)
    if (x & HIGH) != ZEROS || (x.wrapping_add(0x0606_0606_0606_0606) & HIGH) != ZEROS {
        return None;
    }
    let v = x - ZEROS;
    let v = v.wrapping_mul(10).wrapping_add(v >> 8);
    let v = (v & MASK)
        .wrapping_mul(100 + (1_000_000 << 32))
        .wrapping_add(((v >> 16) & MASK).wrapping_mul(1 + (10_000 << 32)));
    Some(v >> 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_decimals_by_hand() {
        assert_eq!(plain_decimal(b"251.37"), Some(251.37));
        assert_eq!(plain_decimal(b"-3"), Some(-3.0));
        assert_eq!(plain_decimal(b"+.5"), Some(0.5));
        assert_eq!(plain_decimal(b"7."), Some(7.0));
        assert_eq!(plain_decimal(b"262143328850"), Some(262_143_328_850.0));
        let z = plain_decimal(b"-0.0").unwrap_or(f64::NAN);
        assert!(z == 0.0 && z.is_sign_negative());
        // left to str::parse: exponents, words, 2^53 and more, 23 digits after the point
        none_of(
            plain_decimal,
            &[
                b"1e3",
                b"inf",
                b"NaN",
                b"9007199254740992",
                b"0.0000000000000000000001",
                b".",
                b"-",
                b"",
                b"1.2.3",
                b"1,5",
                b"12345678901234567890",
            ],
        );
    }

    /// `read` reads none of `fields`.
    fn none_of(read: fn(&[u8]) -> Option<f64>, fields: &[&[u8]]) {
        for f in fields {
            assert_eq!(read(f), None, "{}", String::from_utf8_lossy(f));
        }
    }

    #[test]
    fn short_decimals_as_one_word_by_hand() {
        // 25137 / 10^2; the point first, last, alone; eight digits; a second point, a sign
        assert_eq!(short_decimal(b"251.37"), Some(25_137.0 / 100.0));
        assert_eq!(short_decimal(b".5"), Some(0.5));
        assert_eq!(short_decimal(b"7."), Some(7.0));
        assert_eq!(short_decimal(b"0"), Some(0.0));
        assert_eq!(short_decimal(b"12345678"), Some(12_345_678.0));
        assert_eq!(short_decimal(b"1234.567"), Some(1_234_567.0 / 1000.0));
        assert_eq!(short_decimal(b".1234567"), Some(1_234_567.0 / 1e7));
        // two words: 262143328850 as 26214332 x 10^4 + 8850; the point in either word
        assert_eq!(short_decimal(b"262143328850"), Some(262_143_328_850.0));
        assert_eq!(short_decimal(b"1234567.89"), Some(123_456_789.0 / 100.0));
        assert_eq!(short_decimal(b"12.34567891"), Some(1_234_567_891.0 / 1e8));
        assert_eq!(
            short_decimal(b"9007199254740991"),
            Some(9_007_199_254_740_991.0)
        );
        none_of(
            short_decimal,
            &[
                b".",
                b"",
                b"1.2.3",
                b"-3",
                b"1e3",
                b"12 4",
                b"1,5",
                b"1.2345678.9",
                b"123456789012.45.",
                b"9007199254740992",
                b"12345678901234567",
            ],
        );
        assert_eq!(word_of(b"abc"), Some(0x63_62_61));
        assert_eq!(word_of(b"abcdefg"), Some(0x67_66_65_64_63_62_61));
    }

    #[test]
    fn eight_digits_at_a_time() {
        assert_eq!(eight_digits(b"12345678"), Some(12_345_678));
        assert_eq!(eight_digits(b"00000000"), Some(0));
        assert_eq!(eight_digits(b"99999999"), Some(99_999_999));
        for bad in [
            &b"1234567:"[..],
            b"/2345678",
            b"1234 678",
            b"1234567",
            b"12.45678",
        ] {
            assert_eq!(eight_digits(bad), None, "{}", String::from_utf8_lossy(bad));
        }
        assert_eq!(
            plain_decimal(b"1718182740.101234"),
            Some(1_718_182_740.101_234)
        );
        assert_eq!(plain_decimal(b"262143328850"), Some(262_143_328_850.0));
    }

    proptest::proptest! {
        /// Whatever it reads, it reads as `str::parse` does, to the bit.
        #[test]
        fn plain_decimals_read_as_str_parse_reads_them(
            s in "[+-]?[0-9]{0,20}(\\.[0-9]{0,25})?"
        ) {
            if let Some(v) = plain_decimal(s.as_bytes()) {
                let std = s.parse::<f64>().map(f64::to_bits).ok();
                proptest::prop_assert_eq!(Some(v.to_bits()), std, "{}", s);
            }
        }

        /// Up to sixteen bytes read as one or two words read as byte by byte, to the bit,
        /// and whenever byte by byte reads them.
        #[test]
        fn short_decimals_read_as_long_ones(
            b in proptest::collection::vec(proptest::sample::select(b"0123456789..+e ".to_vec()), 0..18)
        ) {
            let short = short_decimal(&b).map(f64::to_bits);
            if b.len() <= 16 {
                proptest::prop_assert_eq!(short, long_decimal(&b).map(f64::to_bits));
            } else {
                proptest::prop_assert_eq!(short, None);
            }
        }

        /// A signed field of any length, its body up to eight bytes read in the caller's loop
        /// and longer ones by a call, reads as its body byte by byte, to the bit.
        #[test]
        fn signed_fields_read_as_their_bodies_byte_by_byte(
            sign in proptest::sample::select(vec!["", "-", "+"]),
            b in proptest::collection::vec(proptest::sample::select(b"0123456789.".to_vec()), 0..22)
        ) {
            let f = [sign.as_bytes(), &b].concat();
            let by_byte = long_decimal(&b).map(|v| if sign == "-" { -v } else { v });
            proptest::prop_assert_eq!(plain_decimal(&f).map(f64::to_bits), by_byte.map(f64::to_bits));
        }

        #[test]
        fn any_value_written_reads_back(x in proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL | proptest::num::f64::ZERO) {
            for s in [format!("{x}"), format!("{x:.3}"), format!("{x:.10}")] {
                if let Some(v) = plain_decimal(s.as_bytes()) {
                    proptest::prop_assert_eq!(Some(v.to_bits()), s.parse::<f64>().map(f64::to_bits).ok(), "{}", s);
                }
            }
        }
    }
}
