//! A generic CSV described by the user: a time column in the given time format, a value column
//! in the given unit (converted to W for power, J for energy), as power, a cumulative counter or
//! per-interval deltas, optionally per device column, for one component.

use super::*;

pub struct Generic {
    spec: GenericSpec,
    delim: u8,
    width: usize,
    ts: usize,
    value: usize,
    device: Option<usize>,
    scale: f64,
    signal: Signal,
    origin: Option<Stamp>,
}

impl Generic {
    pub fn new(
        cells: &[(String, Option<String>)],
        spec: &GenericSpec,
        origin: Option<Stamp>,
    ) -> Result<Self, String> {
        let delim = spec.delimiter.unwrap_or(',');
        if !delim.is_ascii() {
            return Err(format!(
                "generic: the delimiter must be one ASCII character, not {delim:?}"
            ));
        }
        let (signal, scale) = match spec.value_kind {
            ValueKind::Power => (Signal::Power, watts_per(&spec.unit)),
            ValueKind::Cumulative => (Signal::Counter, joules_per(&spec.unit)),
            ValueKind::Interval => (Signal::Delta, joules_per(&spec.unit)),
        };
        let scale = scale.ok_or_else(|| {
            let allowed = if signal == Signal::Power {
                "W, mW, uW, kW"
            } else {
                "J, mJ, uJ, kJ, MJ, Wh, kWh"
            };
            format!(
                "generic: unknown unit \"{}\" for {} value (use one of {allowed})",
                spec.unit,
                match spec.value_kind {
                    ValueKind::Interval => "an interval",
                    ValueKind::Power => "a power",
                    ValueKind::Cumulative => "a cumulative",
                }
            )
        })?;
        Ok(Generic {
            delim: delim as u8,
            width: cells.len(),
            ts: need(cells, &[&spec.time_column], "generic")?,
            value: need(cells, &[&spec.value_column], "generic")?,
            device: match &spec.device_column {
                Some(d) => Some(need(cells, &[d], "generic")?),
                None => None,
            },
            scale,
            signal,
            origin,
            spec: spec.clone(),
        })
    }

    /// The time of field `f`, trimmed as `t`: Unix times in digits read directly, anything
    /// else as [`Generic::written_time`] reads it. The caller keeps the time of the row before
    /// ([`same_time`]): a time is read here once.
    #[inline]
    fn time(&self, f: &[u8], t: &[u8], row: u64) -> Result<Stamp, RowError> {
        let fast = match self.spec.time_format {
            TimeFormat::Iso8601 => return stamp(f, row, &self.spec.time_column),
            TimeFormat::UnixS | TimeFormat::ElapsedS => stamps::unix_seconds(t),
            TimeFormat::UnixMs => ticks(t, 1_000, 1e-3),
            TimeFormat::UnixUs => ticks(t, 1_000_000, 1e-6),
            TimeFormat::UnixNs => ticks(t, 1_000_000_000, 1e-9),
        };
        let s = match fast {
            Some(s) => s,
            None => self.written_time(f, row)?,
        };
        Ok(match (self.spec.time_format, self.origin) {
            (TimeFormat::ElapsedS, Some(o)) => {
                Stamp::from_f64(o.secs as f64 + o.frac + s.secs as f64 + s.frac)
            }
            _ => s,
        })
    }

    /// A number of seconds or ticks (not a date-time) as written, however written: a sign, an
    /// exponent, a decimal count of ticks; the time before any origin is added.
    fn written_time(&self, f: &[u8], row: u64) -> Result<Stamp, RowError> {
        let c = &self.spec.time_column;
        let per: f64 = match self.spec.time_format {
            TimeFormat::Iso8601 => return stamp(f, row, c),
            TimeFormat::UnixS | TimeFormat::ElapsedS => 1.0,
            TimeFormat::UnixMs => 1e-3,
            TimeFormat::UnixUs => 1e-6,
            TimeFormat::UnixNs => 1e-9,
        };
        let s = if per == 1.0 {
            time_of(f).filter(|_| !trim(f).contains(&b'-') || trim(f).starts_with(b"-"))
        } else {
            // integer ticks: split into whole seconds and a fraction without losing digits
            let t = trim(f);
            std::str::from_utf8(t)
                .ok()
                .and_then(|x| x.parse::<i128>().ok())
                .map(|ticks| {
                    let per_s = (1.0 / per).round() as i128;
                    Stamp {
                        secs: ticks.div_euclid(per_s) as i64,
                        frac: ticks.rem_euclid(per_s) as f64 * per,
                    }
                })
                .or_else(|| {
                    std::str::from_utf8(t)
                        .ok()
                        .and_then(|x| x.parse::<f64>().ok())
                        .map(|x| Stamp::from_f64(x * per))
                })
        };
        s.ok_or_else(|| RowError {
            row,
            message: format!(
                "cannot read \"{}\" as {} time in column \"{c}\"",
                String::from_utf8_lossy(trim(f)),
                crate::choice::Choice::name(self.spec.time_format).replace('-', "_")
            ),
            hint: Some(
                "check time_format: iso8601, unix_s, unix_ms, unix_us, unix_ns or elapsed_s".into(),
            ),
        })
    }
}

/// A whole count of ticks in digits (up to 18 of them), `per_s` a second of `per` s each: its
/// whole seconds and the fraction of the ticks left, as the count read whole gives them.
fn ticks(t: &[u8], per_s: u64, per: f64) -> Option<Stamp> {
    let mut n = 0u64;
    if t.is_empty() || t.len() > 18 || digits_into(t, 0, &mut n) != t.len() {
        return None;
    }
    Some(Stamp {
        secs: (n / per_s) as i64,
        frac: (n % per_s) as f64 * per,
    })
}

impl Reader for Generic {
    fn format(&self) -> InputFormat {
        InputFormat::Generic
    }
    fn delimiter(&self) -> u8 {
        self.delim
    }
    fn width(&self) -> usize {
        self.width
    }
    read_by_samples!(Generic);
    fn info(&self, _key: &[&[u8]; 4]) -> DeviceInfo {
        DeviceInfo {
            component: self.spec.component.into(),
            signal: self.signal,
            excluded: None,
            group: String::new(),
        }
    }
}

impl Samples for Generic {
    #[inline]
    fn samples<'r>(&'r self, at: Row<'r, '_, '_>, mut emit: impl Emit<'r>) -> Done {
        let Row { rec, row, notes } = at;
        let f = trim(&rec[self.value]);
        if missing(f) {
            notes.missing = true;
            return Ok(());
        }
        let v = number(f, row, &self.spec.value_column)? * self.scale;
        if v < 0.0 {
            return Err(if self.signal == Signal::Power {
                negative(row, &self.spec.value_column, v)
            } else {
                RowError {
                    row,
                    message: format!(
                        "negative energy {v} J in column \"{}\"",
                        self.spec.value_column
                    ),
                    hint: None,
                }
            });
        }
        let t = same_time(&rec[self.ts], &mut notes.time, |f| {
            self.time(f, trim(f), row)
        })?;
        let key = self.device.map_or(&b"device"[..], |i| trim(&rec[i]));
        emit(Raw {
            key: [key, b"", b"", b""],
            t,
            v,
            label: None,
            wrap_j: None,
        })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_in_digits_by_hand() {
        let t = |s: &str, per_s, per| ticks(s.as_bytes(), per_s, per).map(|s| (s.secs, s.frac));
        assert_eq!(
            t("1718182740123", 1_000, 1e-3),
            Some((1_718_182_740, 123.0 * 1e-3))
        );
        assert_eq!(t("999", 1_000, 1e-3), Some((0, 999.0 * 1e-3)));
        assert_eq!(
            t("1718182740000000002", 1_000_000_000, 1e-9),
            None,
            "19 digits: read whole, as i128"
        );
        assert_eq!(
            t("171818274000000000", 1_000_000_000, 1e-9),
            Some((171_818_274, 0.0))
        );
        for other in ["", "-5000", "+5000", "1.5", "1e3", " 1"] {
            assert_eq!(t(other, 1_000, 1e-3), None, "{other:?}");
        }
    }
}
