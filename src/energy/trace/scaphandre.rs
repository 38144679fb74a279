//! Scaphandre's JSON exporter (`scaphandre json -f report.json`): a series of reports, each with
//! the host's power, each CPU socket's (RAPL package) power and its RAPL domains' (dram, core,
//! uncore), in microwatts, with Unix timestamps in seconds.
//!
//! Three layouts are read: an array of reports (1.0.1 and later, and 0.5's `-f` file), reports
//! written one after the other without separator (1.0.0), and one report per line (0.5 on
//! standard output). The file is streamed: a report at a time, whatever its length (1.0.1
//! writes the whole array on one line), the per-process `consumers` skipped unread.
//!
//! Scaphandre computes each power from the difference of two RAPL energy readings divided by
//! the time between them: a power is the mean over the interval that ends at its timestamp.
//! Its energy is that power times the interval, J = uW x 1e-6 x (t_i - t_i-1) s, exactly what
//! the counters measured; the first report's interval started before the file and is left out
//! (its power is shown). The packages (cpu) and their DRAM domains (dram) count; the host, the
//! packages' sum with DRAM or the RAPL psys domain, is shown beside them, and counts only in a
//! file without sockets. A report of host power 0 without sockets is the one Scaphandre writes
//! before it has two readings: skipped, and counted as such.

use super::formats::DeviceInfo;
use super::integrate::{RowError, Signal};
use super::series::{at_line, Notes, Sample, Sequential};
use super::TraceComponent;
use crate::error::{Diagnostic, Error, Result};
use crate::quantity::time::Stamp;
use crate::scenario::InputFormat;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::cell::Cell;
use std::io::{BufReader, Read};
use std::path::Path;
use std::rc::Rc;

/// Microwatts in a watt.
const UW_PER_W: f64 = 1e6;

#[derive(Deserialize)]
struct Report {
    host: Reading,
    #[serde(default)]
    sockets: Vec<Socket>,
}

#[derive(Deserialize)]
struct Reading {
    consumption: f64,
    timestamp: f64,
}

#[derive(Deserialize)]
struct Socket {
    id: u32,
    consumption: f64,
    timestamp: f64,
    #[serde(default)]
    domains: Vec<Domain>,
}

#[derive(Deserialize)]
struct Domain {
    name: String,
    consumption: f64,
    timestamp: f64,
}

/// The reader of Scaphandre's JSON.
pub(super) struct Scaphandre;

/// The device name of the host.
const HOST: &str = "host";

impl Sequential for Scaphandre {
    fn format(&self) -> InputFormat {
        InputFormat::Scaphandre
    }

    fn each(
        &self,
        path: &Path,
        emit: &mut dyn FnMut(Sample) -> std::result::Result<(), RowError>,
        notes: &mut Notes,
    ) -> Result<()> {
        let file = std::fs::File::open(path).map_err(|e| {
            Error::input(
                Diagnostic::new(format!("cannot read the trace: {e}"))
                    .file(path)
                    .hint("check the path"),
            )
        })?;
        let lines = Rc::new(Cell::new(0u64));
        let counted = Counting {
            inner: BufReader::with_capacity(1 << 16, file),
            lines: lines.clone(),
        };
        let mut de = serde_json::Deserializer::from_reader(counted);
        let mut state = State {
            path,
            emit,
            notes,
            last: Vec::new(),
            lines,
            failed: None,
        };
        loop {
            let r = (Top { state: &mut state }).deserialize(&mut de);
            if let Some(e) = state.failed.take() {
                return Err(e);
            }
            r.map_err(|e| super::series::json_error(path, &e, "Scaphandre's JSON"))?;
            if de.end().is_ok() {
                return Ok(());
            }
        }
    }

    fn info(&self, device: &str, all: &[String]) -> DeviceInfo {
        let (component, excluded) = if device == HOST {
            if all.iter().any(|d| d != HOST) {
                (
                    TraceComponent::Node,
                    Some("the host's power is the sum of the packages and DRAM (or the RAPL psys domain), whose sockets are counted".into()),
                )
            } else {
                (TraceComponent::Node, None)
            }
        } else {
            match device.split(' ').nth(2) {
                None => (TraceComponent::Cpu, None),
                Some("dram") => (TraceComponent::Dram, None),
                Some(_) => (
                    TraceComponent::Cpu,
                    Some("a RAPL domain inside its package, already counted in it".into()),
                ),
            }
        };
        DeviceInfo {
            component,
            signal: Signal::Delta,
            excluded,
            group: String::new(),
        }
    }

    fn assumptions(&self) -> Vec<String> {
        vec![
            "scaphandre: powers in uW, each the mean since the previous report (RAPL energy difference / time): energy = power x interval; the first report's interval is before the file and left out".into(),
            "scaphandre: RAPL measures the CPU packages and DRAM (or the platform with psys), not GPUs".into(),
        ]
    }
}

/// A reader counting the line ends it passes (the line of the report being read).
struct Counting<R> {
    inner: R,
    lines: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let ends = buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
        self.lines.set(self.lines.get() + ends);
        Ok(n)
    }
}

/// The state of one pass: the callback, the counts, each device's last time (its energy is its
/// power over the interval since), and the error that stopped the pass.
struct State<'a, 'e> {
    path: &'a Path,
    emit: &'e mut dyn FnMut(Sample) -> std::result::Result<(), RowError>,
    notes: &'e mut Notes,
    last: Vec<(String, Stamp)>,
    lines: Rc<Cell<u64>>,
    failed: Option<Error>,
}

impl State<'_, '_> {
    /// The samples of one report.
    fn report(&mut self, r: Report) -> Result<()> {
        let line = self.lines.get() + 1;
        self.notes.records += 1;
        if r.host.consumption == 0.0 && r.sockets.is_empty() {
            self.notes
                .skipped
                .entry("reports without a measurement (Scaphandre writes one before its second RAPL reading)")
                .or_default()
                .add(line);
            return Ok(());
        }
        self.sample(HOST, &r.host, line)?;
        for s in &r.sockets {
            let name = format!("socket {}", s.id);
            let reading = Reading {
                consumption: s.consumption,
                timestamp: s.timestamp,
            };
            self.sample(&name, &reading, line)?;
            for d in &s.domains {
                let reading = Reading {
                    consumption: d.consumption,
                    timestamp: d.timestamp,
                };
                self.sample(&format!("{name} {}", d.name), &reading, line)?;
            }
        }
        Ok(())
    }

    /// One device's reading: its energy since its previous reading, J.
    fn sample(&mut self, device: &str, r: &Reading, line: u64) -> Result<()> {
        let n = self.notes.records;
        let fail = |message: String, hint: &str| {
            at_line(
                self.path,
                RowError {
                    row: line,
                    message: format!("report {n} (ending on line {line}): {message}"),
                    hint: Some(hint.into()),
                },
            )
        };
        if !(r.consumption.is_finite() && r.consumption >= 0.0) {
            return Err(fail(
                format!(
                    "the {device}'s consumption {} uW is not a power",
                    r.consumption
                ),
                "Scaphandre writes powers in microwatts, zero or more",
            ));
        }
        if !(r.timestamp.is_finite() && r.timestamp > 0.0) {
            return Err(fail(
                format!("the {device}'s timestamp {} is not a time", r.timestamp),
                "Scaphandre writes Unix timestamps in seconds",
            ));
        }
        let t = Stamp::from_f64(r.timestamp);
        let w = r.consumption / UW_PER_W;
        let j = match self.last.iter_mut().find(|(d, _)| d == device) {
            Some((_, prev)) => {
                let dt = t.since(prev.secs) - prev.frac;
                *prev = t;
                w * dt.max(0.0)
            }
            None => {
                self.last.push((device.to_string(), t));
                0.0
            }
        };
        (self.emit)(Sample {
            device,
            t,
            v: j,
            line,
        })
        .map_err(|e| at_line(self.path, e))
    }
}

/// A top-level value: an array of reports or one report.
struct Top<'s, 'a, 'e> {
    state: &'s mut State<'a, 'e>,
}

impl<'de> DeserializeSeed<'de> for Top<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a Scaphandre report or an array of reports")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        while let Some(r) = seq.next_element::<Report>()? {
            if let Err(e) = self.state.report(r) {
                self.state.failed = Some(e);
                return Err(serde::de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<(), A::Error> {
        let r = Report::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        if let Err(e) = self.state.report(r) {
            self.state.failed = Some(e);
            return Err(serde::de::Error::custom("stopped"));
        }
        Ok(())
    }
}
