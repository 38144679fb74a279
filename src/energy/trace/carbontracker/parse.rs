//! The lines of Carbontracker's logs. Every entry starts with `YYYY-MM-DD HH:MM:SS - ` and may go
//! on over the lines after it (the output log's consumption blocks); what mlca reads:
//!
//! - `carbontracker version X`; `... multiplied by a PUE coefficient of 1.58 (...)`;
//! - `The following components were found: CPU with device(s) AMD EPYC.`;
//! - `Epoch N:`, then `Duration: H:MM:SS.ss` and one `Average power usage (W) for C: P` per
//!   component (P a number, a `[p1 p2]` array of devices, added, or `None`);
//! - `Actual consumption for N epoch(s):` and `Predicted consumption for N epoch(s):`, each with
//!   `Time: H:MM:SS`, `Energy: E kWh` and `CO2eq: G g` on the lines after;
//! - `Training was interrupted ...`, `Average carbon intensity during training was I gCO2eq/kWh`.
//!
//! Other messages are passed over. A line that starts with a date-time not followed by ` - `, a
//! unit other than W or kWh, a number that does not read, an epoch without its duration or power
//! (a log cut while it was written) are errors at their line.

use super::super::lines::{self, MAX_LINE_BYTES};
use super::super::{file_error, integrate::RowError, row_error};
use crate::error::Result;
use crate::quantity::format::readable;
use std::io::{BufRead, BufReader};
use std::path::Path;

/// One epoch of the log: its number, line, time, duration (s) and each component's mean power
/// (W; `None` when Carbontracker had no measurement).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Epoch {
    pub number: u32,
    pub line: u64,
    pub time: String,
    pub duration_s: Option<f64>,
    pub powers: Vec<(String, Option<f64>)>,
}

/// An actual or predicted consumption: its epochs, line, duration (s), energy (kWh, the PUE
/// included) and CO2eq (g).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Consumption {
    pub epochs: u32,
    pub line: u64,
    pub time: String,
    pub duration_s: f64,
    pub energy_kwh: f64,
    pub co2eq_g: f64,
}

/// What the logs of one run say.
#[derive(Clone, Debug, Default)]
pub(super) struct Log {
    pub version: Option<String>,
    pub pue: Option<f64>,
    /// (component, its devices) as `The following components were found:` lists them.
    pub components: Vec<(String, String)>,
    pub epochs: Vec<Epoch>,
    pub actual: Option<Consumption>,
    pub predicted: Option<Consumption>,
    pub interrupted: bool,
    pub intensity_g_per_kwh: Option<f64>,
    /// Lines read, of every file.
    pub lines: u64,
}

/// An entry: its first line's number, its time, and its lines (the first after ` - `).
struct Entry {
    line: u64,
    time: String,
    lines: Vec<(u64, String)>,
}

/// Whether the first line of a file is a Carbontracker log's.
pub(in crate::energy::trace) fn is_log_line(first: &str) -> bool {
    let Some((time, rest)) = split_entry(first) else {
        return false;
    };
    let rest = rest.to_lowercase();
    crate::quantity::time::parse(time.as_bytes()).is_some()
        && (rest.starts_with("carbontracker")
            || rest.starts_with("the following components were found"))
}

/// `YYYY-MM-DD HH:MM:SS - message` -> (time, message).
fn split_entry(line: &str) -> Option<(&str, &str)> {
    let time = line.get(..19)?;
    let rest = line.get(19..)?.strip_prefix(" - ")?;
    Some((time, rest))
}

/// Whether a line starts with a date-time (of an entry, whatever follows it).
fn starts_with_time(line: &str) -> bool {
    line.get(..19).is_some_and(|t| {
        t.as_bytes()[4] == b'-' && crate::quantity::time::parse(t.as_bytes()).is_some()
    })
}

fn bad(path: &Path, line: u64, message: String, hint: &str) -> crate::error::Error {
    row_error(
        path,
        RowError {
            row: line,
            message,
            hint: Some(hint.into()),
        },
        None,
    )
}

/// The entries of a log file.
fn entries(path: &Path) -> Result<(Vec<Entry>, u64)> {
    let io = |e: std::io::Error| file_error(path, format!("cannot read the log: {e}"), "");
    let mut r = BufReader::new(lines::open(path).map_err(io)?);
    let mut out: Vec<Entry> = Vec::new();
    let mut buf = Vec::new();
    let mut n = 0u64;
    loop {
        buf.clear();
        let got = match r.read_until(b'\n', &mut buf) {
            Ok(g) => g,
            Err(e) => {
                return Err(match r.get_ref().too_long() {
                    Some(line) => bad(
                        path,
                        line,
                        lines::long_line(line, "a Carbontracker log"),
                        "give the log Carbontracker wrote",
                    ),
                    None => io(e),
                })
            }
        };
        if got == 0 {
            break;
        }
        n += 1;
        debug_assert!(buf.len() as u64 <= MAX_LINE_BYTES + 1);
        let text = std::str::from_utf8(&buf).map_err(|e| {
            bad(
                path,
                n,
                format!("line {n} is not UTF-8 text (byte {})", e.valid_up_to() + 1),
                "give the log Carbontracker wrote",
            )
        })?;
        let text = text.trim_end_matches(['\n', '\r']);
        let text = if n == 1 {
            text.trim_start_matches('\u{feff}')
        } else {
            text
        };
        if let Some((time, rest)) = split_entry(text).filter(|_| starts_with_time(text)) {
            out.push(Entry {
                line: n,
                time: time.to_string(),
                lines: vec![(n, rest.to_string())],
            });
        } else if starts_with_time(text) {
            return Err(bad(
                path,
                n,
                format!(
                    "line {n} starts with a time but not with \"YYYY-MM-DD HH:MM:SS - \": \"{}\"",
                    text.chars().take(60).collect::<String>()
                ),
                "Carbontracker separates a line's time from its message with \" - \": is it another log, or was the delimiter changed?",
            ));
        } else if let Some(e) = out.last_mut() {
            e.lines.push((n, text.to_string()));
        } else if !text.trim().is_empty() {
            return Err(bad(
                path,
                n,
                format!("line {n} is not a Carbontracker log line"),
                "a Carbontracker log's lines start with \"YYYY-MM-DD HH:MM:SS - \"",
            ));
        }
    }
    Ok((out, n))
}

/// Read one log file into `log`.
pub(super) fn read_into(path: &Path, log: &mut Log) -> Result<()> {
    let (entries, n) = entries(path)?;
    log.lines += n;
    for e in &entries {
        entry(path, e, log)?;
    }
    if let Some(ep) = log
        .epochs
        .iter()
        .find(|e| e.duration_s.is_none() || e.powers.is_empty())
    {
        let what = if ep.duration_s.is_none() {
            "Duration"
        } else {
            "Average power usage"
        };
        return Err(bad(
            path,
            ep.line,
            format!("epoch {} has no {what} line: the log is cut", ep.number),
            "give the whole log: Carbontracker writes an epoch's duration and mean powers with it",
        ));
    }
    Ok(())
}

fn entry(path: &Path, e: &Entry, log: &mut Log) -> Result<()> {
    let first = e.lines[0].1.trim();
    let msg = first
        .strip_prefix("CarbonTracker:")
        .map_or(first, str::trim);
    if let Some(v) = msg.strip_prefix("carbontracker version ") {
        log.version = Some(v.trim().to_string());
    } else if let Some(i) = msg.find("PUE coefficient of ") {
        let v = msg[i + 19..].split_whitespace().next().unwrap_or("");
        let pue = number(path, e.line, v, "the PUE coefficient")?;
        if pue < 1.0 {
            return Err(bad(
                path,
                e.line,
                format!("PUE coefficient {} is below 1", readable(pue)),
                "a PUE is 1 or more",
            ));
        }
        log.pue.get_or_insert(pue);
    } else if let Some(rest) = msg.strip_prefix("The following components were found:") {
        if log.components.is_empty() {
            log.components = components(rest);
        }
    } else if let Some(n) = msg.strip_prefix("Epoch ").and_then(|r| r.strip_suffix(':')) {
        let number = n.trim().parse::<u32>().map_err(|_| {
            bad(
                path,
                e.line,
                format!("cannot read \"{n}\" as an epoch number"),
                "Carbontracker writes \"Epoch N:\"",
            )
        })?;
        let expected = log.epochs.last().map_or(1, |p| p.number + 1);
        if number != expected {
            return Err(bad(
                path,
                e.line,
                format!("epoch {number} where epoch {expected} was expected"),
                "one run's log numbers its epochs from 1: give the log of one run",
            ));
        }
        log.epochs.push(Epoch {
            number,
            line: e.line,
            time: e.time.clone(),
            duration_s: None,
            powers: Vec::new(),
        });
    } else if let Some(d) = msg.strip_prefix("Duration:") {
        let ep = current(path, e.line, log, "Duration")?;
        if ep.duration_s.is_some() {
            return Err(bad(
                path,
                e.line,
                format!("a second Duration line for epoch {}", ep.number),
                "give the log of one run",
            ));
        }
        ep.duration_s = Some(duration(path, e.line, d)?);
    } else if let Some(rest) = msg.strip_prefix("Average power usage (") {
        let (unit, rest) = rest.split_once(") for ").unwrap_or((rest, ""));
        if unit != "W" {
            return Err(bad(
                path,
                e.line,
                format!("mean power in \"{unit}\": Carbontracker writes it in W"),
                "the line reads \"Average power usage (W) for cpu: 60.0\"",
            ));
        }
        let (comp, value) = rest.rsplit_once(": ").ok_or_else(|| {
            bad(
                path,
                e.line,
                "a mean power without its component and value".into(),
                "the line reads \"Average power usage (W) for cpu: 60.0\"",
            )
        })?;
        let p = power(path, e.line, value.trim())?;
        current(path, e.line, log, "Average power usage")?
            .powers
            .push((comp.trim().to_lowercase(), p));
    } else if msg.starts_with("Training was interrupted") {
        log.interrupted = true;
    } else if let Some(rest) = msg.strip_prefix("Average carbon intensity during training was ") {
        log.intensity_g_per_kwh = rest.split_whitespace().next().and_then(|v| v.parse().ok());
    }
    for (k, (_, text)) in e.lines.iter().enumerate() {
        let t = text.trim();
        let actual = t.strip_prefix("Actual consumption for ");
        let predicted = t.strip_prefix("Predicted consumption for ");
        if let Some(rest) = actual.or(predicted) {
            let c = consumption(path, e, k, rest)?;
            let slot = if actual.is_some() {
                &mut log.actual
            } else {
                &mut log.predicted
            };
            slot.get_or_insert(c);
        }
    }
    Ok(())
}

/// The epoch a Duration or power line belongs to: the last one.
fn current<'a>(path: &Path, line: u64, log: &'a mut Log, what: &str) -> Result<&'a mut Epoch> {
    log.epochs.last_mut().ok_or_else(|| {
        bad(
            path,
            line,
            format!("an {what} line before any \"Epoch N:\" line"),
            "give the whole log of one run",
        )
    })
}

/// `CPU with device(s) AMD EPYC. GPU with device(s) A100, A100.` -> [(cpu, AMD EPYC), ...].
fn components(rest: &str) -> Vec<(String, String)> {
    rest.split(". ")
        .filter_map(|p| {
            let (c, d) = p.trim().split_once(" with device(s) ")?;
            Some((
                c.trim().to_lowercase(),
                d.trim().trim_end_matches('.').to_string(),
            ))
        })
        .collect()
}

/// The consumption block whose header is line `k` of entry `e` (`N epoch(s):` after the word).
fn consumption(path: &Path, e: &Entry, k: usize, header: &str) -> Result<Consumption> {
    let (line, _) = e.lines[k];
    let n = header.split_whitespace().next().unwrap_or("");
    let epochs = n.parse::<u32>().map_err(|_| {
        bad(
            path,
            line,
            format!("cannot read \"{n}\" as a number of epochs"),
            "Carbontracker writes \"Actual consumption for 3 epoch(s):\"",
        )
    })?;
    let field = |name: &str| {
        e.lines[k + 1..].iter().find_map(|(l, t)| {
            t.trim()
                .strip_prefix(name)
                .map(|v| (*l, v.trim().to_string()))
        })
    };
    let cut = |name: &str| {
        let last = e.lines.last().map_or(line, |l| l.0);
        bad(
            path,
            last,
            format!("the consumption of line {line} has no {name} line: the log is cut"),
            "give the whole output log: Carbontracker writes Time, Energy and CO2eq under the consumption",
        )
    };
    let (tl, time) = field("Time:").ok_or_else(|| cut("Time"))?;
    let (el, energy) = field("Energy:").ok_or_else(|| cut("Energy"))?;
    let (gl, co2) = field("CO2eq:").ok_or_else(|| cut("CO2eq"))?;
    let with_unit = |l: u64, v: &str, unit: &str, what: &str| -> Result<f64> {
        let (x, u) = v.rsplit_once(char::is_whitespace).unwrap_or((v, ""));
        if u.trim() != unit {
            return Err(bad(
                path,
                l,
                format!("{what} \"{v}\" is not in {unit}"),
                "Carbontracker writes energy in kWh and CO2eq in g",
            ));
        }
        number(path, l, x.trim(), what)
    };
    Ok(Consumption {
        epochs,
        line,
        time: e.time.clone(),
        duration_s: duration(path, tl, &time)?,
        energy_kwh: with_unit(el, &energy, "kWh", "the energy")?,
        co2eq_g: with_unit(gl, &co2, "g", "the CO2eq")?,
    })
}

/// A finite number, at least 0.
fn number(path: &Path, line: u64, v: &str, what: &str) -> Result<f64> {
    super::super::runs::measured(
        path,
        line,
        v,
        what,
        "Carbontracker writes a plain decimal number",
    )
}

/// `H:MM:SS[.ss]`, s.
fn duration(path: &Path, line: u64, text: &str) -> Result<f64> {
    let t = text.trim();
    let parts: Vec<&str> = t.split(':').collect();
    let fail = || {
        bad(
            path,
            line,
            format!("cannot read \"{t}\" as a duration"),
            "Carbontracker writes durations as H:MM:SS or H:MM:SS.ss",
        )
    };
    let [h, m, s] = parts.as_slice() else {
        return Err(fail());
    };
    let h = h.parse::<u64>().map_err(|_| fail())?;
    let m = m.parse::<u64>().ok().filter(|m| *m < 60).ok_or_else(fail)?;
    let s = s
        .parse::<f64>()
        .ok()
        .filter(|s| (0.0..60.0).contains(s))
        .ok_or_else(fail)?;
    Ok(h as f64 * 3600.0 + m as f64 * 60.0 + s)
}

/// A mean power: `60.0`, `[60.1 55.2]` (one per device, added) or `None`.
fn power(path: &Path, line: u64, v: &str) -> Result<Option<f64>> {
    if v == "None" {
        return Ok(None);
    }
    let inner = v.strip_prefix('[').and_then(|x| x.strip_suffix(']'));
    let mut total = 0.0;
    for x in inner.unwrap_or(v).split_whitespace() {
        total += number(path, line, x.trim_end_matches(','), "the mean power")?;
    }
    Ok(Some(total))
}

/// [`duration`] for the tests: the seconds, or `None` when it does not read.
#[cfg(test)]
pub(super) fn duration_for_tests(path: &Path, text: &str) -> Option<f64> {
    duration(path, 1, text).ok()
}
