//! Timestamps of trace files: whole seconds since 1970-01-01 and a fraction, kept apart so that a
//! trace's times, measured from an origin near its start, keep sub-nanosecond resolution.
//!
//! Accepted: plain numbers (Unix seconds), and date-times `YYYY-MM-DD HH:MM:SS[.frac]` with `-`
//! or `/` between date fields, `T` or a space before the time, and an optional `Z` or `+HH:MM`
//! offset. Date-times without an offset (nvidia-smi, CodeCarbon, jetson-stats write local time)
//! are read as they are: differences are right except across a daylight-saving change.

/// The first second mlca reads as a time: 0000-01-01T00:00:00Z.
const FIRST_SECOND: i64 = -62_167_219_200;
/// The first second it does not: 10000-01-01T00:00:00Z. Times are written with four-digit years,
/// so every time it reads is written back in a form it reads (and differences never overflow).
const END_SECOND: i64 = 253_402_300_800;

/// Days in month `m` (1-12) of year `y` (proleptic Gregorian).
fn days_in_month(y: i64, m: i64) -> i64 {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// The first `n` bytes of `b` as a whole number, when they are all digits.
#[inline]
pub(crate) fn digits(b: &[u8], n: usize) -> Option<i64> {
    if b.len() < n {
        return None;
    }
    let mut v = 0i64;
    for &c in &b[..n] {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as i64;
    }
    Some(v)
}

/// A point in time: `secs` whole seconds since 1970-01-01 UTC plus `frac` in [0, 1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stamp {
    pub secs: i64,
    pub frac: f64,
}

impl Stamp {
    /// Seconds since `origin` (whole seconds since the epoch).
    pub fn since(self, origin: i64) -> f64 {
        (self.secs - origin) as f64 + self.frac
    }
    pub fn from_f64(t: f64) -> Self {
        let secs = t.floor();
        Stamp {
            secs: secs as i64,
            frac: t - secs,
        }
    }
}

/// The digits after a point as the fraction they write, summed digit by digit (d1 x 0.1, then
/// d2 x 0.01, ..., each scale the one before times 0.1): the fraction of every time read here.
#[inline]
pub(crate) fn fraction(b: &[u8]) -> Option<f64> {
    let mut frac = 0.0;
    let mut scale = 0.1;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        frac += (c - b'0') as f64 * scale;
        scale *= 0.1;
    }
    Some(frac)
}

/// A plain number of seconds (`1740924000.25`, `-3`, `1.5e3`), whole and fractional parts apart,
/// within the years 0 to 9999 ([`in_range`]).
fn parse_number(s: &[u8]) -> Option<Stamp> {
    parse_number_unbounded(s).and_then(in_range)
}

/// A time within the years 0 to 9999 once written to the millisecond, its fraction in [0, 1)
/// (a fraction of twenty nines sums to exactly 1 and carries into the second).
fn in_range(t: Stamp) -> Option<Stamp> {
    let t = if t.frac >= 1.0 {
        Stamp {
            secs: t.secs.checked_add(1)?,
            frac: t.frac - 1.0,
        }
    } else {
        t
    };
    // written to the millisecond, a time moves up by at most a second
    if (FIRST_SECOND..END_SECOND - 1).contains(&t.secs) {
        return Some(t);
    }
    let written = t.secs as f64 + (t.frac * 1000.0).round() / 1000.0;
    (t.secs >= FIRST_SECOND && written < END_SECOND as f64).then_some(t)
}

fn parse_number_unbounded(s: &[u8]) -> Option<Stamp> {
    if let Some(dot) = s.iter().position(|&c| c == b'.') {
        let whole = &s[..dot];
        // the usual case, whole seconds in digits: as `parse::<i64>` reads them
        if (1..=18).contains(&whole.len()) && whole.iter().all(u8::is_ascii_digit) {
            let w = whole
                .iter()
                .fold(0i64, |w, &c| w * 10 + i64::from(c - b'0'));
            return Some(Stamp {
                secs: w,
                frac: fraction(&s[dot + 1..])?,
            });
        }
        let whole = std::str::from_utf8(whole).ok()?;
        let neg = whole.starts_with('-');
        let w: i64 = if whole.is_empty() || whole == "-" {
            0
        } else {
            whole.parse().ok()?
        };
        let f = fraction(&s[dot + 1..])?;
        return Some(if neg || (w == 0 && whole == "-") {
            Stamp::from_f64(w as f64 - f)
        } else {
            Stamp { secs: w, frac: f }
        });
    }
    if let Ok(w) = std::str::from_utf8(s).ok()?.parse::<i64>() {
        return Some(Stamp { secs: w, frac: 0.0 });
    }
    std::str::from_utf8(s)
        .ok()?
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .map(Stamp::from_f64)
}

/// The length of a date-time to the second, `YYYY-MM-DD HH:MM:SS`.
pub const TO_THE_SECOND: usize = 19;

/// The last date-time read to the second (its first 19 bytes, `YYYY-MM-DD HH:MM:SS`) and its
/// seconds since the epoch (before any offset): a meter writes many rows a second, so that the
/// date and the time of day of most rows are those of the row before, and are read once a
/// second.
#[derive(Clone, Copy, Debug, Default)]
pub struct LastSecond {
    prefix: [u8; TO_THE_SECOND],
    secs: i64,
    set: bool,
}

impl LastSecond {
    /// None read yet.
    pub const EMPTY: LastSecond = LastSecond {
        prefix: [0; TO_THE_SECOND],
        secs: 0,
        set: false,
    };

    /// The seconds since the epoch (before any offset) of `head`, the first
    /// [`TO_THE_SECOND`] bytes of a date-time, when it is the second kept: a date-time whose
    /// rest [`parse_after`] reads is that second and its rest.
    pub fn secs_of(&self, head: &[u8]) -> Option<i64> {
        (self.set && *head == self.prefix).then_some(self.secs)
    }
}

/// Parse a date-time or a number of Unix seconds.
pub fn parse(s: &[u8]) -> Option<Stamp> {
    parse_after(s, &mut LastSecond::default())
}

/// [`parse`], the date and time of day taken from `last` when `s` starts with the same second,
/// and kept there for the next time.
pub fn parse_after(s: &[u8], last: &mut LastSecond) -> Option<Stamp> {
    let s = trim(s);
    if last.set
        && s.first_chunk::<TO_THE_SECOND>()
            .is_some_and(|p| *p == last.prefix)
    {
        return after_the_second(s, last.secs);
    }
    if s.is_empty() {
        return None;
    }
    let datelike =
        s.len() >= 10 && (s[4] == b'-' || s[4] == b'/') && s[..4].iter().all(u8::is_ascii_digit);
    if !datelike {
        return parse_number(s);
    }
    let y = digits(s, 4)?;
    let sep = *s.get(4)?;
    if sep != b'-' && sep != b'/' {
        return None;
    }
    let mo = digits(&s[5..], 2)?;
    if *s.get(7)? != sep {
        return None;
    }
    let d = digits(&s[8..], 2)?;
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) {
        return None;
    }
    let mut secs = days_from_civil(y, mo, d) * 86400;
    if s.len() == 10 {
        return in_range(Stamp { secs, frac: 0.0 });
    }
    let t = *s.get(10)?;
    if t != b'T' && t != b' ' {
        return None;
    }
    let h = digits(&s[11..], 2)?;
    if *s.get(13)? != b':' {
        return None;
    }
    let mi = digits(&s[14..], 2)?;
    let mut i = 16;
    let mut sec = 0i64;
    let mut frac = 0.0;
    if s.get(16) == Some(&b':') {
        sec = digits(&s[17..], 2)?;
        i = TO_THE_SECOND;
        // a second of a day (not 24:00:00, whose validity depends on the fraction)
        if h <= 23 && mi <= 59 && sec <= 60 {
            let at = secs + h * 3600 + mi * 60 + sec;
            last.prefix.copy_from_slice(&s[..TO_THE_SECOND]);
            last.secs = at;
            last.set = true;
            return after_the_second(s, at);
        }
        if s.get(19) == Some(&b'.') {
            let (f, end) = fraction_at(s, 20)?;
            frac = f;
            i = end;
        }
    }
    // 24:00:00 is the end of the day; a leap second 60 is accepted as ISO 8601 allows.
    let end_of_day = h == 24 && mi == 0 && sec == 0 && frac == 0.0;
    if (h > 23 && !end_of_day) || mi > 59 || sec > 60 {
        return None;
    }
    secs += h * 3600 + mi * 60 + sec;
    let off = offset(&s[i..])?;
    in_range(Stamp {
        secs: secs - off,
        frac,
    })
}

/// The fraction of a second whose digits start at `start` (after the point), and where they
/// end; at least one digit.
fn fraction_at(s: &[u8], start: usize) -> Option<(f64, usize)> {
    let mut end = start;
    while end < s.len() && s[end].is_ascii_digit() {
        end += 1;
    }
    if end == start {
        return None;
    }
    Some((fraction(&s[start..end])?, end))
}

/// The rest of a date-time after its second, `at` (seconds since the epoch before the offset):
/// a fraction, then `Z` or an offset.
fn after_the_second(s: &[u8], at: i64) -> Option<Stamp> {
    let (frac, i) = if s.get(TO_THE_SECOND) == Some(&b'.') {
        fraction_at(s, TO_THE_SECOND + 1)?
    } else {
        (0.0, TO_THE_SECOND)
    };
    let off = offset(&s[i..])?;
    in_range(Stamp {
        secs: at - off,
        frac,
    })
}

/// The offset from UTC at the end of a date-time, seconds: none, `Z`, `+HH:MM`, `-HHMM`, `+HH`.
fn offset(rest: &[u8]) -> Option<i64> {
    Some(match rest.first() {
        None => 0,
        Some(b'Z') | Some(b'z') if rest.len() == 1 => 0,
        Some(&c) if c == b'+' || c == b'-' => {
            let oh = digits(&rest[1..], 2)?;
            let om = match rest.get(3) {
                Some(b':') => digits(&rest[4..], 2)?,
                Some(_) => digits(&rest[3..], 2)?,
                None => 0,
            };
            if oh > 23 || om > 59 {
                return None;
            }
            let o = oh * 3600 + om * 60;
            if c == b'+' {
                o
            } else {
                -o
            }
        }
        _ => return None,
    })
}

#[inline]
pub fn trim(s: &[u8]) -> &[u8] {
    let mut a = 0;
    let mut b = s.len();
    while a < b && (s[a] == b' ' || s[a] == b'\t' || s[a] == b'"') {
        a += 1;
    }
    while b > a && (s[b - 1] == b' ' || s[b - 1] == b'\t' || s[b - 1] == b'\r' || s[b - 1] == b'"')
    {
        b -= 1;
    }
    &s[a..b]
}

/// Whether a time as written names its instant by itself: a number of Unix seconds, or a
/// date-time with `Z` or an offset. A date-time without one is local to some zone.
pub fn has_zone(s: &[u8]) -> bool {
    let s = trim(s);
    let datelike =
        s.len() >= 10 && (s[4] == b'-' || s[4] == b'/') && s[..4].iter().all(u8::is_ascii_digit);
    if !datelike {
        return true;
    }
    // the date's own dashes end at byte 10; an offset's sign or a Z come after the time
    s.len() > 10
        && (s.ends_with(b"Z")
            || s.ends_with(b"z")
            || s[10..].iter().any(|&c| c == b'+' || c == b'-'))
}

/// A timestamp as an ISO 8601 UTC string to the millisecond (for reports).
pub fn format(t: f64) -> String {
    // to the printed millisecond first, so that 59.9996 s carries into the next minute
    let t = (t * 1000.0).round() / 1000.0;
    let days = (t / 86400.0).floor() as i64;
    let secs = t - days as f64 * 86400.0;
    // civil from days
    let z = days + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    let h = (secs / 3600.0).floor();
    let mi = ((secs - h * 3600.0) / 60.0).floor();
    let s = secs - h * 3600.0 - mi * 60.0;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:06.3}",
        h as i64, mi as i64, s
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_of_the_trace_tools() {
        // 2025-03-02T14:00:00Z = 1740924000
        let base = 1_740_924_000i64;
        let t = |s: &[u8]| parse(s).map(|x| x.since(base));
        assert_eq!(t(b"2025-03-02T14:00:00Z"), Some(0.0));
        assert_eq!(t(b"2025-03-02T14:00:01.000000000Z"), Some(1.0));
        assert!((t(b"2025/03/02 14:00:00.012").unwrap_or(-1.0) - 0.012).abs() < 1e-15);
        assert!((t(b" 2025-03-02 14:00:00.101234").unwrap_or(-1.0) - 0.101234).abs() < 1e-15);
        assert_eq!(t(b"2025-03-02T14:00:00"), Some(0.0));
        assert_eq!(t(b"2025-03-02T15:00:00+01:00"), Some(0.0));
        assert_eq!(t(b"1740924000.5"), Some(0.5));
        assert_eq!(t(b"1740924010"), Some(10.0));
        assert_eq!(parse(b"1970-01-01").map(|x| x.since(0)), Some(0.0));
        assert_eq!(
            parse(b"2024-02-29T00:00:00Z").map(|x| x.secs),
            Some(1_709_164_800)
        );
        assert_eq!(parse(b"yesterday"), None);
        assert_eq!(parse(b"2025-13-02T14:00:00"), None);
        assert_eq!(format(base as f64 + 0.5), "2025-03-02T14:00:00.500");
    }

    #[test]
    fn times_that_carry_their_zone() {
        for z in [
            "2025-03-02T14:00:00Z",
            "2025-03-02T15:00:00+01:00",
            "2025-03-02 09:00:00-0500",
            "1740924000",
            "1740924000.5",
        ] {
            assert!(has_zone(z.as_bytes()), "{z}");
        }
        for local in [
            "2025-03-02T14:00:00",
            "2025/03/02 14:00:00.123",
            "2025-03-02",
        ] {
            assert!(!has_zone(local.as_bytes()), "{local}");
        }
    }

    #[test]
    fn only_real_calendar_dates_and_times() {
        assert_eq!(parse(b"2025/02/30"), None);
        assert_eq!(parse(b"2025-02-29T00:00:00Z"), None);
        assert!(parse(b"2024-02-29T00:00:00Z").is_some());
        assert_eq!(parse(b"1900-02-29"), None);
        assert!(parse(b"2000-02-29").is_some());
        assert_eq!(parse(b"2025-04-31"), None);
        assert_eq!(parse(b"2025-03-02T24:30:00"), None);
        assert_eq!(
            parse(b"2025-03-02T24:00:00Z").map(|x| x.secs),
            parse(b"2025-03-03T00:00:00Z").map(|x| x.secs)
        );
        assert_eq!(parse(b"2025-03-02T14:00:00+25:00"), None);
        assert_eq!(parse(b"1e300"), None);
        assert_eq!(parse(b"-1e13"), None);
        assert_eq!(parse(b"1e12"), None);
        assert_eq!(parse(b"9999-12-31T23:59:59.9999Z"), None);
        assert!(parse(b"9999-12-31T23:59:59.998Z").is_some());
        assert_eq!(
            parse(b"0.99999999999999999999"),
            Some(Stamp { secs: 1, frac: 0.0 })
        );
        assert!(parse(b"1e9").is_some());
    }

    #[test]
    fn the_last_second_gives_what_a_fresh_parse_gives() {
        let rows: &[&[u8]] = &[
            b"2025/03/02 14:00:00.012",
            b"2025/03/02 14:00:00.512",
            b"2025/03/02 14:00:00",
            b"2025/03/02 14:00:00Z",
            b"2025/03/02 14:00:00.5+01:00",
            b"2025/03/02 14:00:00.",
            b"2025/03/02 14:00:00x",
            b"2025/03/02 14:00:01.000",
            b"2025-03-02T23:59:60.5Z",
            b"2025-03-02T24:00:00Z",
            b"2025-03-02T24:00:00.5Z",
            b"2025-03-02T24:00:00Z",
            b" 2025-03-02T14:00:00.101234 ",
            b"2025-03-02T14:00:00.101234",
            b"1740924000.5",
            b"2025-03-02T14:00",
            b"9999-12-31T23:59:59.998Z",
            b"9999-12-31T23:59:59.9999Z",
        ];
        let mut last = LastSecond::default();
        for _ in 0..2 {
            for r in rows {
                assert_eq!(
                    parse_after(r, &mut last),
                    parse(r),
                    "{}",
                    String::from_utf8_lossy(r)
                );
            }
        }
    }

    proptest::proptest! {
        /// Rows of one second or the next, with any ending: the last second read changes nothing.
        #[test]
        fn rows_after_rows_parse_as_alone(
            rows in proptest::collection::vec(
                (
                    proptest::sample::select(vec![
                        "2025/03/02 14:00:59", "2025/03/02 14:01:00", "2024-02-29T23:59:60",
                        "2025-03-02T24:00:00", "2025-03-02 23:59:59", "9999-12-31T23:59:59",
                        "0000-01-01T00:00:00", "1740924000",
                    ]),
                    proptest::sample::select(vec![
                        "", ".", ".0", ".012", ".999999999", ".99999999999999999999", "Z", ".5Z",
                        "+01:00", "-0130", "+23", ".1-05:00", "z", "x", " ", ".5 ", "+24:00",
                    ]),
                ),
                1..12,
            )
        ) {
            let mut last = LastSecond::default();
            for (a, b) in rows {
                let r = format!("{a}{b}");
                proptest::prop_assert_eq!(parse_after(r.as_bytes(), &mut last), parse(r.as_bytes()), "{}", r);
            }
        }
    }
}
