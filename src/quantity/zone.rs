//! Time zones, for times written without one: a fixed offset (`+01:00`, `-0530`, `UTC`, `Z`) or
//! an IANA zone with its daylight-saving rules (`Europe/Paris`), from the tz database bundled
//! in the binary (jiff's copy of it), so that a zone reads the same on every machine.
//!
//! A zone turns a local date-time (read by [`time::parse`](super::time::parse) as if it were UTC)
//! into the instant it names: local - offset. A local time in a spring-forward gap does not
//! exist and is an error; one in an autumn fold exists twice, and the caller says which
//! ([`Fold`]).

use super::time::Stamp;
use jiff::civil::DateTime;
use jiff::tz::{AmbiguousOffset, Offset, TimeZone};
use jiff::Timestamp;

/// A time zone as a user names it.
#[derive(Clone, Debug)]
pub struct Zone {
    /// As written (`Europe/Paris`, `+01:00`, `UTC`).
    pub name: String,
    tz: TimeZone,
}

impl PartialEq for Zone {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

/// Which of the two instants of a local time in an autumn fold (02:30 twice in Europe/Paris).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fold {
    /// The first (summer time, the larger offset).
    Earlier,
    /// The second (winter time).
    Later,
}

/// Why a local time names no single instant.
#[derive(Clone, Debug, PartialEq)]
pub enum LocalError {
    /// The clocks jumped over it (spring forward).
    Gap,
    /// Outside the years the zone database covers.
    Range,
}

impl Zone {
    /// UTC.
    pub fn utc() -> Zone {
        Zone {
            name: "UTC".into(),
            tz: TimeZone::UTC,
        }
    }

    /// A zone from its name: `UTC` or `Z`, an offset `+HH:MM`, `+HHMM`, `+HH` (or `UTC+01:00`),
    /// or an IANA name (`Europe/Paris`, case as the database writes it or not). `None` for
    /// anything else.
    pub fn parse(name: &str) -> Option<Zone> {
        let n = name.trim();
        let named = |tz: TimeZone| {
            Some(Zone {
                name: n.to_string(),
                tz,
            })
        };
        if n.eq_ignore_ascii_case("utc") || n.eq_ignore_ascii_case("z") {
            return named(TimeZone::UTC);
        }
        let off = n
            .strip_prefix("UTC")
            .or_else(|| n.strip_prefix("utc"))
            .unwrap_or(n);
        if let Some(s) = offset_seconds(off) {
            return named(TimeZone::fixed(Offset::from_seconds(s).ok()?));
        }
        if n.is_empty() || n.starts_with(['+', '-']) {
            return None;
        }
        TimeZone::get(n).ok().and_then(named)
    }

    /// The offset from UTC at the instant `utc`, s (local = UTC + offset).
    pub fn offset_at(&self, utc: Stamp) -> Option<i64> {
        let ts = Timestamp::from_second(utc.secs).ok()?;
        Some(i64::from(self.tz.to_offset(ts).seconds()))
    }

    /// The instant of a local date-time `local` (its civil fields read as if UTC), `fold` choosing
    /// in an autumn fold; also whether the time was in a fold.
    pub fn instant(&self, local: Stamp, fold: Fold) -> Result<(Stamp, bool), LocalError> {
        let dt = civil(local).ok_or(LocalError::Range)?;
        let (off, folded) = match self.tz.to_ambiguous_timestamp(dt).offset() {
            AmbiguousOffset::Unambiguous { offset } => (offset, false),
            AmbiguousOffset::Gap { .. } => return Err(LocalError::Gap),
            AmbiguousOffset::Fold { before, after } => match fold {
                Fold::Earlier => (before, true),
                Fold::Later => (after, true),
            },
        };
        Ok((
            Stamp {
                secs: local.secs - i64::from(off.seconds()),
                frac: local.frac,
            },
            folded,
        ))
    }

    /// The local date-time of the instant `utc`, written as if UTC (the inverse of
    /// [`instant`](Self::instant)).
    pub fn local(&self, utc: Stamp) -> Option<Stamp> {
        Some(Stamp {
            secs: utc.secs + self.offset_at(utc)?,
            frac: utc.frac,
        })
    }
}

/// The civil date-time of `t` read as UTC.
fn civil(t: Stamp) -> Option<DateTime> {
    let ts = Timestamp::from_second(t.secs).ok()?;
    Some(TimeZone::UTC.to_datetime(ts))
}

/// `+HH:MM`, `+HHMM` or `+HH` (and `-`) as seconds.
fn offset_seconds(s: &str) -> Option<i32> {
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) || rest.matches(':').count() > 1 {
        return None;
    }
    let (h, m) = match digits.len() {
        2 => (digits.parse::<i32>().ok()?, 0),
        4 => (digits[..2].parse().ok()?, digits[2..].parse::<i32>().ok()?),
        _ => return None,
    };
    (h <= 23 && m <= 59).then_some(sign * (h * 3600 + m * 60))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quantity::time::parse;

    fn at(s: &str) -> Stamp {
        parse(s.as_bytes()).unwrap_or_else(|| panic!("{s} is a time"))
    }

    #[test]
    fn offsets_and_names() {
        for (n, off) in [
            ("UTC", 0),
            ("z", 0),
            ("+01:00", 3600),
            ("-0530", -19800),
            ("+02", 7200),
            ("UTC+01:00", 3600),
        ] {
            let z = Zone::parse(n).unwrap_or_else(|| panic!("{n}"));
            assert_eq!(z.offset_at(at("2024-01-15T12:00:00Z")), Some(off), "{n}");
        }
        for bad in ["", "+25:00", "+1:2:3", "Mars/Olympus", "+01:0x", "CEST?"] {
            assert!(Zone::parse(bad).is_none(), "{bad}");
        }
        let paris = Zone::parse("Europe/Paris").unwrap_or_else(Zone::utc);
        assert_eq!(paris.name, "Europe/Paris");
        // winter UTC+1, summer UTC+2
        assert_eq!(paris.offset_at(at("2024-01-15T12:00:00Z")), Some(3600));
        assert_eq!(paris.offset_at(at("2024-07-15T12:00:00Z")), Some(7200));
    }

    #[test]
    fn local_times_across_daylight_saving_changes() {
        let paris = Zone::parse("Europe/Paris").unwrap_or_else(Zone::utc);
        // 2024-03-31: 02:00 local jumps to 03:00 (01:00 UTC)
        let i = |s: &str, f| paris.instant(at(s), f);
        assert_eq!(
            i("2024-03-31T01:59:00", Fold::Earlier),
            Ok((at("2024-03-31T00:59:00Z"), false))
        );
        assert_eq!(
            i("2024-03-31T02:30:00", Fold::Earlier),
            Err(LocalError::Gap)
        );
        assert_eq!(
            i("2024-03-31T03:00:00", Fold::Earlier),
            Ok((at("2024-03-31T01:00:00Z"), false))
        );
        // 2024-10-27: 03:00 local falls back to 02:00 (01:00 UTC): 02:30 is 00:30 or 01:30 UTC
        assert_eq!(
            i("2024-10-27T02:30:00", Fold::Earlier),
            Ok((at("2024-10-27T00:30:00Z"), true))
        );
        assert_eq!(
            i("2024-10-27T02:30:00", Fold::Later),
            Ok((at("2024-10-27T01:30:00Z"), true))
        );
        assert_eq!(
            paris.local(at("2024-07-01T10:00:00Z")),
            Some(at("2024-07-01T12:00:00"))
        );
    }
}
