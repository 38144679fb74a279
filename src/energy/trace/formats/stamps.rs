//! Times read once per distinct second: a meter writes many rows a second, whose times share
//! their whole second (`1718182740` of `1718182740.101234`, `2024/06/12 08:59:00` of
//! `2024/06/12 08:59:00.004`) and, sampling at a fixed rate, repeat a few endings (`.101234`,
//! `.004`). A time is cut into its second (the head: Unix seconds up to the point, or a
//! date-time's first 19 bytes) and the rest (the tail); the head's seconds and each tail's
//! fraction are kept from the full reading ([`time::parse_after`]) of the first time that had
//! them, and a time whose head and tail are both known is put together from them, the same to
//! the bit as the full reading. A time that is the head kept and a point and digits
//! (nvidia-smi's `2024/06/12 08:59:00.004`, whose milliseconds differ from row to row), or a
//! date-time of another second of the head's minute so followed, is the head's second (moved
//! by the difference of the seconds) and the digits summed as the full reading sums them, with
//! no table. A time
//! written exactly as the one before it (the devices of one sample share their time: Alumet's
//! five series, RAPL's zones, a generic log's devices) is the time before it, read once.
//!
//! Why it is the same: whole seconds w and the tail f read as (w, f), moved on by a second when
//! f rounds to 1 (a date-time's second w and its tail, a fraction f and an offset o, read as
//! (w - o, f), moved on likewise): the head's seconds plus a shift and a fraction that depend on
//! the tail alone (and on the kind of head, which keys the tails),
//! within years where no other bound applies ([`SAFE_SECS`]).

use crate::quantity::time::{self, trim, Stamp};

/// The most whole seconds read in digits.
const HEAD_BYTES: usize = 18;
/// The longest head kept: whole seconds, or a date-time to the second.
const HEAD_ROOM: usize = time::TO_THE_SECOND;
/// The longest tail kept (a fraction to the nanosecond and an offset: `.021708111+02:00`).
const TAIL_BYTES: usize = 16;
/// Tails kept (a meter's fixed rate gives a few a second), each in its slot or the next.
const TAILS: usize = 64;
/// Seconds of the heads kept: from the year 100 to the year 9900, where a time's reading has no
/// bound but its second's.
const SAFE_SECS: std::ops::Range<i64> = -59_011_459_200..250_244_064_000;

/// The longest field whose text is kept to be compared with the next (an RFC 3339 time to the
/// nanosecond with an offset is 35 bytes).
const SAME_BYTES: usize = 40;

/// A tail and what it adds to its head: its fraction and the seconds it moves the head back.
#[derive(Clone, Copy)]
struct Tail {
    key: u128,
    len: u8,
    /// The tail of a date-time (its head is one), not of Unix seconds.
    date: bool,
    frac: f64,
    back: i64,
}

/// The times read lately on one thread.
pub(super) struct Stamps {
    head: [u8; HEAD_ROOM],
    head_len: usize,
    head_secs: i64,
    tails: [Option<Tail>; TAILS],
    /// The last date-time read to the second, for [`time::parse_after`] (which keeps the
    /// second of date-times itself).
    last: time::LastSecond,
    /// The last field read in full and its time.
    same: Last,
}

impl Stamps {
    pub(super) const EMPTY: Stamps = Stamps {
        head: [0; HEAD_ROOM],
        head_len: 0,
        head_secs: 0,
        tails: [None; TAILS],
        last: time::LastSecond::EMPTY,
        same: Last::EMPTY,
    };

    /// The time of `field`, a date-time or Unix seconds, as [`time::parse`] reads it: the time
    /// of the last field read when `field` is written as it was.
    pub(super) fn parse(&mut self, field: &[u8]) -> Option<Stamp> {
        let end = last_word(field);
        if let Some(t) = self.same.of(field, end) {
            self.same.again = true;
            return t;
        }
        if let Some(t) = self.after_head(field) {
            // kept when the field kept was read again (the devices of one sample share their
            // time: Alumet's five series), not when every time is new (nvidia-smi's rows)
            if self.same.again {
                self.same.keep(field, end, Some(t));
            }
            return Some(t);
        }
        let t = self.read(field);
        self.same.keep(field, end, t);
        t
    }

    /// The time of `field` when it is the head kept (a date-time to the second or Unix
    /// seconds), or a date-time of another second of the head's minute ([`Stamps::next_second`]),
    /// followed by a point and 1 to [`POINT_DIGITS`] digits and nothing else (nvidia-smi's
    /// `2024/06/12 08:59:00.004`, a new tail on every row; RAPL's `1718182740.101234`): the
    /// head's second and the digits' fraction, as the full reading gives them (no offset, no
    /// trimming: the head starts with a digit and the tail ends with one). None for any other
    /// field, a field ending in another byte (`Z`, an offset, a space) at once: Alumet's
    /// `.021708111Z`, a few tails a second, are found in the table as fast.
    #[inline]
    fn after_head(&mut self, field: &[u8]) -> Option<Stamp> {
        let n = self.head_len;
        if n == 0 || field.len() <= n || !field.last().is_some_and(u8::is_ascii_digit) {
            return None;
        }
        let (head, tail) = field.split_at(n);
        let frac = point_digits(tail)?;
        if !same_text(head, &self.head[..n]) {
            self.next_second(head)?;
        }
        Some(Stamp {
            secs: self.head_secs,
            frac,
        })
    }

    /// Keep `head` when it is a date-time of the minute of the date-time head kept, at another
    /// second (a meter's next sample): its seconds are the kept head's moved by the difference
    /// of the two seconds, as the full reading counts them (seconds 00 to 60, a leap second
    /// accepted as it accepts it). None, and nothing kept, for any other head.
    #[inline(never)]
    fn next_second(&mut self, head: &[u8]) -> Option<()> {
        const MINUTE: usize = time::TO_THE_SECOND - 2;
        let kept = &self.head[..time::TO_THE_SECOND];
        if head.len() != time::TO_THE_SECOND || head[..MINUTE] != kept[..MINUTE] {
            return None;
        }
        // the two digits of each second, as the full reading reads them
        let new = time::digits(&head[MINUTE..], 2)?;
        let old = time::digits(&kept[MINUTE..], 2)?;
        let at = self.head_secs - old + new;
        if new > 60 || !SAFE_SECS.contains(&at) {
            return None;
        }
        self.head[..time::TO_THE_SECOND].copy_from_slice(head);
        self.head_secs = at;
        Some(())
    }

    /// The time of `field`, a date-time or Unix seconds, as [`time::parse`] reads it, from its
    /// second and ending.
    fn read(&mut self, field: &[u8]) -> Option<Stamp> {
        let s = trim(field);
        let Some((end, date)) = head_end(s) else {
            return time::parse_after(s, &mut self.last);
        };
        let (head, tail) = s.split_at(end);
        let key = pack(tail);
        let slot = slot(key, tail.len());
        let same_head = head.len() == self.head_len && same_text(head, &self.head[..head.len()]);
        let known = |t: &Option<Tail>| {
            t.filter(|t| t.key == key && usize::from(t.len) == tail.len() && t.date == date)
        };
        if same_head {
            // a tail is in its slot or the next
            if let Some(t) =
                known(&self.tails[slot]).or_else(|| known(&self.tails[(slot + 1) % TAILS]))
            {
                return Some(Stamp {
                    secs: self.head_secs - t.back,
                    frac: t.frac,
                });
            }
        }
        let full = time::parse_after(s, &mut self.last)?;
        // the head's seconds: whole seconds in digits, or a second of a day that the full
        // reading kept
        let at = if same_head {
            self.head_secs
        } else {
            let at = if date {
                self.last.secs_of(head)
            } else if head.iter().all(u8::is_ascii_digit) {
                time::parse(head).map(|h| h.secs)
            } else {
                None
            };
            let Some(at) = at.filter(|a| SAFE_SECS.contains(a)) else {
                return Some(full);
            };
            self.head[..head.len()].copy_from_slice(head);
            self.head_len = head.len();
            self.head_secs = at;
            at
        };
        let slot = if self.tails[slot].is_some() && self.tails[(slot + 1) % TAILS].is_none() {
            (slot + 1) % TAILS
        } else {
            slot
        };
        self.tails[slot] = Some(Tail {
            key,
            len: tail.len() as u8,
            date,
            frac: full.frac,
            back: at - full.secs,
        });
        Some(full)
    }
}

/// The most digits of a tail read by [`point_digits`]: their sum stays below 1, and each
/// further digit would cost as much as a look-up in the table.
const POINT_DIGITS: usize = 9;

/// The fraction of a tail that is a point and 1 to [`POINT_DIGITS`] digits and nothing else
/// (no offset, no `Z`), by the full reading's own [`time::fraction`]: what the full reading adds
/// to the head's second, to the bit, the second itself unmoved (the sum of nine digits is below
/// 1). None for any other tail.
#[inline]
fn point_digits(tail: &[u8]) -> Option<f64> {
    let digits = tail.strip_prefix(b".")?;
    if digits.is_empty() || digits.len() > POINT_DIGITS {
        return None;
    }
    time::fraction(digits)
}

/// The text of the last field read (its first `len` bytes) and its time.
#[derive(Clone, Copy)]
struct Last {
    text: [u8; SAME_BYTES],
    len: usize,
    /// Its last eight bytes as a word (times that differ most often differ there).
    end: u64,
    time: Option<Stamp>,
    /// The field kept was read again since it was kept.
    again: bool,
}

impl Last {
    const EMPTY: Last = Last {
        text: [0; SAME_BYTES],
        len: usize::MAX,
        end: 0,
        time: None,
        again: false,
    };

    /// The time kept, when `field` (whose last word is `end`) is the text kept.
    #[inline]
    fn of(&self, field: &[u8], end: u64) -> Option<Option<Stamp>> {
        let n = field.len();
        (n == self.len && end == self.end && same_text(field, &self.text[..n])).then_some(self.time)
    }

    /// Keep `field` and its time `t`, if it is short enough.
    fn keep(&mut self, field: &[u8], end: u64, t: Option<Stamp>) {
        if let Some(to) = self.text.get_mut(..field.len()) {
            to.copy_from_slice(field);
            self.len = field.len();
            self.end = end;
            self.time = t;
            self.again = false;
        }
    }
}

/// The last eight bytes of a field as a word (0 for a shorter field).
fn last_word(field: &[u8]) -> u64 {
    field
        .last_chunk::<8>()
        .map_or(0, |w| u64::from_le_bytes(*w))
}

/// Unix seconds written in digits, whole (`1718182740`) or with a point and digits after it
/// (`1718182740.250`), up to the year 9900, read in one pass with no table: the time
/// [`time::parse`] reads, its fraction summed digit by digit as it sums it; None for anything
/// else (a sign, an exponent, a date-time, more than 18 whole digits), which the full reading
/// reads or refuses.
pub(super) fn unix_seconds(s: &[u8]) -> Option<Stamp> {
    let mut whole = 0u64;
    let n = super::digits_into(s, 0, &mut whole);
    if n == 0 || n > HEAD_BYTES || whole >= SAFE_SECS.end as u64 {
        return None;
    }
    let frac = match s.get(n) {
        None => 0.0,
        Some(b'.') => {
            let tail = &s[n + 1..];
            if !tail.iter().all(u8::is_ascii_digit) {
                return None;
            }
            tail.iter()
                .fold((0.0, 0.1), |(f, k): (f64, f64), &c| {
                    (f + f64::from(c - b'0') * k, k * 0.1)
                })
                .0
        }
        Some(_) => return None,
    };
    // twenty nines and more sum to 1: the full reading carries it into the second
    (frac < 1.0).then_some(Stamp {
        secs: whole as i64,
        frac,
    })
}

/// Where the head of a time ends and whether it is a date-time's: a date-time's first 19 bytes
/// (`2024-06-12T08:59:00`, its tail at most 16 bytes), or Unix seconds to their point
/// ([`unix_point`]).
fn head_end(s: &[u8]) -> Option<(usize, bool)> {
    let n = time::TO_THE_SECOND;
    if s.len() > 4 && matches!(s[4], b'-' | b'/') {
        return (s.len() >= n && s.len() - n <= TAIL_BYTES).then_some((n, true));
    }
    unix_point(s).map(|dot| (dot, false))
}

/// Where the point of Unix seconds with a fraction is (`1718182740.101234`: a digit first, the
/// point within 18 bytes, at most 16 bytes from it on); None for anything else (date-times).
fn unix_point(s: &[u8]) -> Option<usize> {
    let date = s.len() > 4 && matches!(s[4], b'-' | b'/');
    if date || !s.first()?.is_ascii_digit() || s.len() > HEAD_BYTES + TAIL_BYTES {
        return None;
    }
    let dot = memchr::memchr(b'.', s)?;
    ((1..=HEAD_BYTES).contains(&dot) && s.len() - dot <= TAIL_BYTES).then_some(dot)
}

/// The bytes of a tail (at most 16) as a number (zeros after them: with its length, it is the
/// tail), put together from words that overlap, with no copy byte by byte.
#[inline]
fn pack(tail: &[u8]) -> u128 {
    let n = tail.len();
    let (lo, hi) = match (tail.first_chunk::<8>(), tail.last_chunk::<8>()) {
        // the last eight bytes moved down past the bytes of the first eight
        (Some(&a), Some(&b)) if n <= TAIL_BYTES => (
            u64::from_le_bytes(a),
            u64::from_le_bytes(b)
                .checked_shr(8 * (16 - n) as u32)
                .unwrap_or(0),
        ),
        (Some(_), _) => {
            let mut b = [0u8; TAIL_BYTES];
            let n = n.min(TAIL_BYTES);
            b[..n].copy_from_slice(&tail[..n]);
            return u128::from_le_bytes(b);
        }
        _ => (short_word(tail), 0),
    };
    u128::from(lo) | (u128::from(hi) << 64)
}

/// Fewer than eight bytes as a word, the first in its lowest byte and zeros above the last: the
/// first and last two or four bytes put together (the bytes they share are the same).
#[inline]
fn short_word(b: &[u8]) -> u64 {
    let n = b.len();
    let word = |lo: u64, hi: u64, k: usize| lo | (hi << (8 * (n - k)));
    match (b.first_chunk::<4>(), b.last_chunk::<4>()) {
        (Some(&x), Some(&y)) => word(
            u64::from(u32::from_le_bytes(x)),
            u64::from(u32::from_le_bytes(y)),
            4,
        ),
        _ => match (b.first_chunk::<2>(), b.last_chunk::<2>()) {
            (Some(&x), Some(&y)) => word(
                u64::from(u16::from_le_bytes(x)),
                u64::from(u16::from_le_bytes(y)),
                2,
            ),
            _ => b.first().map_or(0, |&c| u64::from(c)),
        },
    }
}

/// Whether `a` and `b` are the same bytes: from 8 to 32 bytes as words of eight (the last
/// overlapping the one before), with no call; else as slices.
#[inline]
fn same_text(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    let word = |t: &[u8], at: usize| t.get(at..).and_then(<[u8]>::first_chunk::<8>).copied();
    let same = |at: usize| word(a, at) == word(b, at);
    match n {
        _ if b.len() != n => false,
        8..=16 => same(0) && same(n - 8),
        17..=24 => same(0) && same(8) && same(n - 8),
        25..=32 => same(0) && same(8) && same(16) && same(n - 8),
        _ => a == b,
    }
}

/// The place of a tail in the table.
fn slot(key: u128, len: usize) -> usize {
    let h = (key ^ (key >> 64)) as u64 ^ len as u64;
    (h.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 58) as usize % TAILS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_time_written_as_the_last_is_the_last_and_a_long_one_is_not_kept() {
        let mut st = Stamps::EMPTY;
        let t = |st: &mut Stamps, s: &str| st.parse(s.as_bytes()).map(|s| (s.secs, s.frac));
        assert_eq!(t(&mut st, "1718182740.5"), Some((1_718_182_740, 0.5)));
        assert_eq!(t(&mut st, "1718182740.5"), Some((1_718_182_740, 0.5)));
        // longer than SAME_BYTES once trimmed of nothing: read, not kept
        let long = format!("{:>45}", "1718182741.25");
        assert_eq!(t(&mut st, &long), Some((1_718_182_741, 0.25)));
        assert_eq!(t(&mut st, "1718182740.5"), Some((1_718_182_740, 0.5)));
        assert_eq!(t(&mut st, "x"), None);
        assert_eq!(t(&mut st, "x"), None);
        assert_eq!(t(&mut st, "1718182740.5"), Some((1_718_182_740, 0.5)));
        // times that never repeat, then one that does: each its own
        for k in 0..200 {
            let text = format!("1718182740.{k:03}");
            let want = time::parse(text.as_bytes()).map(|s| (s.secs, s.frac));
            assert_eq!(t(&mut st, &text), want, "{text}");
        }
        for _ in 0..3 {
            assert_eq!(t(&mut st, "1718182741.5"), Some((1_718_182_741, 0.5)));
        }
    }

    #[test]
    fn unix_seconds_in_digits_by_hand() {
        let t = |s: &str| unix_seconds(s.as_bytes()).map(|s| (s.secs, s.frac));
        assert_eq!(t("1718182740"), Some((1_718_182_740, 0.0)));
        assert_eq!(t("1718182740.25"), Some((1_718_182_740, 0.25)));
        assert_eq!(t("0.5"), Some((0, 0.5)));
        assert_eq!(t("7."), Some((7, 0.0)));
        // the fraction summed digit by digit (1 x 0.1, then 2 x 0.1 x 0.1, ...) as the full
        // reading sums it, which is not always the double nearest to the decimal
        let f = |s: &str| time::parse(s.as_bytes()).map(|s| (s.secs, s.frac));
        for s in ["3.123", "1718182740.101234", "1.000000001"] {
            assert_eq!(t(s), f(s), "{s}");
        }
        for other in [
            "",
            ".5",
            "-3",
            "+3",
            "1e3",
            "1.5e3",
            "1.2.3",
            "17181 82741",
            "2024-06-12",
            "1234567890123456789",
            "250244064000",
            ".",
            "1.99999999999999999999",
        ] {
            assert_eq!(t(other), None, "{other:?}");
        }
        assert_eq!(t("250244063999.5"), Some((250_244_063_999, 0.5)));
    }

    #[test]
    fn texts_compare_and_tails_pack_as_their_bytes() {
        for n in 0..40usize {
            let x: Vec<u8> = (0..n).map(|i| b'0' + (i % 10) as u8).collect();
            assert!(same_text(&x, &x.clone()), "{n}");
            assert!(n == 0 || !same_text(&x, &x[1..]), "{n}");
            for at in 0..n {
                let mut y = x.clone();
                y[at] ^= 0x20;
                assert!(!same_text(&x, &y), "{n} {at}");
            }
        }
        for n in 0..=TAIL_BYTES {
            let x: Vec<u8> = (0..n).map(|i| b'0' + (i % 10) as u8).collect();
            let mut b = [0u8; TAIL_BYTES];
            b[..n].copy_from_slice(&x);
            assert_eq!(pack(&x), u128::from_le_bytes(b), "{n}");
        }
    }

    #[test]
    fn millisecond_tails_by_hand() {
        // 0.1 x 0 + 0.01 x 0 + 0.001 x 4, summed as the full reading sums it
        assert_eq!(point_digits(b".004"), Some(4.0 * (0.1 * 0.1 * 0.1)));
        assert_eq!(point_digits(b".5"), Some(0.5));
        assert_eq!(point_digits(b".250"), Some(0.25));
        assert_eq!(point_digits(b".999999999").map(|f| f < 1.0), Some(true));
        for other in [
            "",
            ".",
            "5",
            ".5Z",
            ".5+02:00",
            ".1234567890",
            ".12a",
            "..5",
        ] {
            assert_eq!(point_digits(other.as_bytes()), None, "{other:?}");
        }
        // a date-time's head, then Unix seconds: each read as its own kind
        let mut st = Stamps::EMPTY;
        let full = |st: &mut Stamps, s: &str| st.parse(s.as_bytes()).map(|t| (t.secs, t.frac));
        assert_eq!(
            full(&mut st, "2024-06-12T08:59:00.5"),
            Some((1_718_182_740, 0.5))
        );
        assert_eq!(
            full(&mut st, "2024-06-12T08:59:00.25Z"),
            Some((1_718_182_740, 0.25))
        );
        assert_eq!(full(&mut st, "17181827401.5"), Some((17_181_827_401, 0.5)));
        // 0.7 + 5 x (0.1 x 0.1), as the full reading sums it: not the double nearest 0.75
        let sum = 7.0 * 0.1 + 5.0 * (0.1 * 0.1);
        assert_eq!(full(&mut st, "17181827401.75"), Some((17_181_827_401, sum)));
        assert_eq!(
            full(&mut st, "2024-06-12T08:59:00.75"),
            Some((1_718_182_740, sum))
        );
        assert_eq!(
            time::parse(b"2024-06-12T08:59:00.75").map(|t| t.frac),
            Some(sum)
        );
        // the next seconds of the minute kept, a leap second, and what is not a second
        let hms = |st: &mut Stamps, s: &str| st.parse(s.as_bytes()).map(|t| t.secs);
        assert_eq!(hms(&mut st, "2024/06/12 08:59:00.001"), Some(1_718_182_740));
        assert_eq!(hms(&mut st, "2024/06/12 08:59:01.004"), Some(1_718_182_741));
        assert_eq!(hms(&mut st, "2024/06/12 08:59:59.004"), Some(1_718_182_799));
        assert_eq!(hms(&mut st, "2024/06/12 08:59:60.004"), Some(1_718_182_800));
        assert_eq!(hms(&mut st, "2024/06/12 08:59:61.004"), None);
        assert_eq!(hms(&mut st, "2024/06/12 08:59:0x.004"), None);
        assert_eq!(
            hms(&mut st, "2024/06/12 08:59:07.004Z"),
            Some(1_718_182_747)
        );
        assert_eq!(hms(&mut st, "2024/06/12 09:00:00.004"), Some(1_718_182_800));
        // a new millisecond on every row of one second, then the next second: each as the full
        // reading reads it, to the bit
        for s in 0..3 {
            for ms in (0..1000).step_by(7) {
                let text = format!("2024/06/12 08:59:0{s}.{ms:03}");
                let want = time::parse(text.as_bytes()).map(|t| (t.secs, t.frac.to_bits()));
                let got = st
                    .parse(text.as_bytes())
                    .map(|t| (t.secs, t.frac.to_bits()));
                assert_eq!(got, want, "{text}");
            }
        }
    }

    proptest::proptest! {
        /// A date-time or Unix seconds with a point and digits after a time of the same second,
        /// read as the full reading reads it, to the bit.
        #[test]
        fn tails_after_the_same_second_read_as_the_full_reading(
            head in proptest::sample::select(vec!["2024/06/12 08:59:00", "2024-12-31T23:59:59", "1718182740", "0"]),
            first in "[0-9]{1,9}",
            next in "[0-9]{1,12}",
        ) {
            let mut st = Stamps::EMPTY;
            for text in [format!("{head}.{first}"), format!("{head}.{next}")] {
                let want = time::parse(text.as_bytes()).map(|t| (t.secs, t.frac.to_bits()));
                let got = st.parse(text.as_bytes()).map(|t| (t.secs, t.frac.to_bits()));
                proptest::prop_assert_eq!(got, want, "{}", text);
            }
        }

        /// The times of one minute, each second with its own tails, with a `Z` or none, in
        /// any order: each as the full reading reads it, to the bit (the seconds 60, a leap
        /// second, and 61 and 62, which are not seconds, included).
        #[test]
        fn times_of_one_minute_read_as_the_full_reading(
            minute in proptest::sample::select(vec!["2024/06/12 08:59:", "2024-12-31T23:59:", "2024-02-29 00:00:"]),
            times in proptest::collection::vec((0u8..=62, "[0-9]{0,10}", proptest::bool::ANY), 1..12),
        ) {
            let mut st = Stamps::EMPTY;
            for (sec, digits, z) in times {
                let text = format!("{minute}{sec:02}.{digits}{}", if z { "Z" } else { "" });
                let want = time::parse(text.as_bytes()).map(|t| (t.secs, t.frac.to_bits()));
                let got = st.parse(text.as_bytes()).map(|t| (t.secs, t.frac.to_bits()));
                proptest::prop_assert_eq!(got, want, "{}", text);
            }
        }

        /// Whatever it reads, it reads as the full reading does, to the bit.
        #[test]
        fn unix_seconds_read_as_the_full_reading(s in "[0-9]{0,20}(\\.[0-9]{0,22})?") {
            if let Some(got) = unix_seconds(s.as_bytes()) {
                let want = time::parse(s.as_bytes()).map(|t| (t.secs, t.frac.to_bits()));
                proptest::prop_assert_eq!(Some((got.secs, got.frac.to_bits())), want, "{}", s);
            }
        }
    }

    /// Every time read through the table as [`time::parse`] reads it, to the bit, in any order.
    #[test]
    fn times_read_as_the_full_reading_reads_them() {
        let mut texts: Vec<String> = Vec::new();
        for s in 0..3 {
            for f in ["", ".5", ".021708111", ".99999999999999999999", ".000"] {
                for z in ["", "Z", "+02:00", "-0130", "+05"] {
                    texts.push(format!("2024-06-12T08:59:0{s}{f}{z}"));
                    texts.push(format!(" 2024/12/31 23:59:5{s}{f}{z} "));
                }
                texts.push(format!("171818274{s}{f}"));
            }
        }
        texts.extend(
            [
                "1718182740.1234567890123456",
                "17181827401234567890.5",
                "-3.5",
                "1.5e3",
                "2024-02-30T00:00:00",
                "2024-06-12T08:59:00.5X",
                "9999-12-31T23:59:59.9999",
                "0000-01-01T00:00:00",
                "abc",
                "",
                // a tail Unix seconds take and a date-time does not, and the other way
                "1718182740.",
                "2024-06-12T08:59:00.",
                "2024-06-12T08:59:00.5Z",
                "1718182740.5Z",
                // the end of a day, a leap second, a head of bytes that are not a date
                "2024-06-12T24:00:00",
                "2024-06-12T24:00:00.5",
                "2024-06-12T23:59:60.5",
                "2024-13-12T08:59:00.5",
                "2024-06-12X08:59:00.5",
                "1.5e-12345678901234.5",
                "2024/06/12 08:59:00.001",
                "2024/06/12 08:59:01.001",
                "2024/06/12 08:59:00.004",
            ]
            .map(String::from),
        );
        let mut st = Stamps::EMPTY;
        for round in 0..3 {
            for (i, t) in texts.iter().enumerate() {
                // another order each round
                let t = if round == 1 {
                    &texts[texts.len() - 1 - i]
                } else {
                    t
                };
                let want = time::parse(t.as_bytes()).map(|s| (s.secs, s.frac.to_bits()));
                let got = st.parse(t.as_bytes()).map(|s| (s.secs, s.frac.to_bits()));
                assert_eq!(got, want, "{t:?}");
                // the same text again (the devices of one sample): the same time
                if round == 2 {
                    let again = st.parse(t.as_bytes()).map(|s| (s.secs, s.frac.to_bits()));
                    assert_eq!(again, want, "{t:?} again");
                }
            }
        }
    }
}
