//! The trace formats: detection from the header, and the samples of each row.
//!
//! Each reader turns a CSV record into samples `(device key, time, value)` in W (power) or J
//! (energy), and says what each device is: its component (gpu, cpu, dram, node, rail, ...),
//! its signal (power, counter or delta) and whether it counts in the totals. Devices that would
//! count energy twice (a RAPL sub-zone inside its package, Alumet's `*_total` rows, jetson-stats
//! rails beside `Power TOT`, an NVML power series beside the energy counter of the same GPU) are
//! kept and shown, but left out of the totals, and the summary says why.

use super::integrate::{RowError, Signal};
use super::record::Record;
use super::TraceComponent;
use crate::quantity::time::{self, Stamp};
use crate::quantity::units::{joules_per, watts_per};
use crate::scenario::{GenericSpec, InputFormat, TimeFormat, ValueKind};

mod counters;
mod decimal;
mod generic;
mod jetson;
mod kwollect;
mod nvidia_smi;
pub mod perf;
mod powerjoular;
mod stamps;

pub use counters::{alumet_estimated, alumet_estimates, Alumet, Rapl};
use decimal::{digits_into, plain_decimal};
pub use generic::Generic;
pub use jetson::Jetson;
pub use kwollect::Kwollect;
pub use nvidia_smi::NvidiaSmi;
pub use perf::Perf;
pub use powerjoular::PowerJoular;

/// What a device is.
#[derive(Clone, Debug, PartialEq)]
pub struct DeviceInfo {
    pub component: TraceComponent,
    pub signal: Signal,
    /// Why it is left out of the totals, if it is.
    pub excluded: Option<String>,
    /// Groups devices that measure the same hardware (an Alumet resource, a Kwollect node).
    pub group: String,
}

/// A sample of one row: up to four fields form the device key.
pub struct Raw<'r> {
    pub key: [&'r [u8]; 4],
    pub t: Stamp,
    pub v: f64,
    /// A label for the device (nvidia-smi's GPU name).
    pub label: Option<&'r [u8]>,
    /// A counter's range, J, when the row gives it.
    pub wrap_j: Option<f64>,
}

/// What a row may say besides samples.
#[derive(Default)]
pub struct RowNotes {
    /// A value was missing ([N/A], [Not Supported], OFF, empty).
    pub missing: bool,
    /// The row was skipped for this reason (a metric that is not power or energy, a filter).
    pub skipped: Option<&'static str>,
    /// The counter ranges read lately, kept from row to row by the pieces read line by line
    /// (RAPL).
    pub ranges: counters::Ranges,
    /// The time field of the row before and its time, kept likewise (generic, RAPL).
    pub time: Option<(FieldKey, Stamp)>,
}

/// A field of 1 to 24 bytes as a key: its length and three words (its first eight bytes, the
/// next eight and its last eight, zero where it is shorter), which together hold every byte.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct FieldKey {
    len: usize,
    words: [u64; 3],
}

impl FieldKey {
    #[inline]
    fn of(t: &[u8]) -> Option<FieldKey> {
        let n = t.len();
        let word = |b: Option<&[u8; 8]>| b.map_or(0, |w| u64::from_le_bytes(*w));
        let words = match n {
            0 | 25.. => return None,
            1..8 => {
                let mut w = [0u8; 8];
                w[..n].copy_from_slice(t);
                [u64::from_le_bytes(w), 0, 0]
            }
            8..16 => [word(t.first_chunk()), 0, word(t.last_chunk())],
            _ => [
                word(t.first_chunk()),
                word(t[8..].first_chunk()),
                word(t.last_chunk()),
            ],
        };
        Some(FieldKey { len: n, words })
    }
}

/// The time of `field` by `read`, or, when `field` is written as the time field of the row
/// before (`last`: the devices of one sample share their time), that row's time with no
/// reading. `read` must give the same time for the same bytes; an error is not kept.
#[inline]
fn same_time(
    field: &[u8],
    last: &mut Option<(FieldKey, Stamp)>,
    read: impl FnOnce(&[u8]) -> Result<Stamp, RowError>,
) -> Result<Stamp, RowError> {
    let key = FieldKey::of(field);
    if let (Some(key), Some((k, t))) = (key, &*last) {
        if *k == key {
            return Ok(*t);
        }
    }
    // one call of `read`, so that it is compiled into its caller whatever else changes
    let t = read(field)?;
    if let Some(key) = key {
        *last = Some((key, t));
    }
    Ok(t)
}

/// A reader for one format, built from the header.
pub trait Reader: Sync {
    fn format(&self) -> InputFormat;
    /// Field delimiter (a comma unless the format says otherwise).
    fn delimiter(&self) -> u8 {
        b','
    }
    /// Number of fields of every row.
    fn width(&self) -> usize;
    /// The samples of a data row, each given to `emit`.
    fn read<'r>(&'r self, at: Row<'r, '_, '_>, emit: &mut dyn FnMut(Raw<'r>) -> Done) -> Done;
    /// What the device of `key` (fields joined by spaces) is.
    fn info(&self, key: &[&[u8]; 4]) -> DeviceInfo;
    /// The metric a row is of, for formats with a metric column (to name the metrics of a file
    /// where none was read).
    fn metric<'r>(&self, _rec: &'r Record<'_>) -> Option<&'r [u8]> {
        None
    }
    /// Why a file whose rows hold these `metrics` gave no sample, when the reader knows better
    /// than "no power or energy sample": a message and a hint.
    fn no_sample(&self, _metrics: &[String]) -> Option<(String, String)> {
        None
    }
    /// Notes on what the reader assumed (shown in the summary).
    fn assumptions(&self) -> Vec<String> {
        Vec::new()
    }
    /// The reader as its own type, for the formats of long logs, whose pieces are read with
    /// the reader's code compiled into the loop over the lines (no call through the trait a
    /// row); the others are read through the trait.
    fn typed(&self) -> Typed<'_> {
        Typed::Other
    }
}

/// [`Reader::read`] with the destination of the samples known when compiled: the readers of
/// long logs implement it (and `read` through it), so that the loop over a piece's lines has
/// no call through a pointer a row.
pub trait Samples: Reader {
    /// The samples of a data row, each given to `emit`.
    fn samples<'r>(&'r self, at: Row<'r, '_, '_>, emit: impl Emit<'r>) -> Done;
}

/// A data row to read: its fields, its line and what it notes besides samples.
pub struct Row<'r, 'l, 'n> {
    pub rec: &'r Record<'l>,
    pub row: u64,
    pub notes: &'n mut RowNotes,
}

/// What takes a row's samples one by one.
pub trait Emit<'r>: FnMut(Raw<'r>) -> Done {}
impl<'r, F: FnMut(Raw<'r>) -> Done> Emit<'r> for F {}

/// A row read, or why it cannot be.
pub type Done = Result<(), RowError>;

/// [`Reader::read`] through [`Samples::samples`], and [`Reader::typed`] the variant named, for
/// a reader that implements [`Samples`].
macro_rules! read_by_samples {
    ($variant:ident) => {
        fn read<'r>(&'r self, at: Row<'r, '_, '_>, emit: &mut dyn FnMut(Raw<'r>) -> Done) -> Done {
            self.samples(at, emit)
        }
        fn typed(&self) -> Typed<'_> {
            Typed::$variant(self)
        }
    };
}
use read_by_samples;

/// Any reader, through [`Reader::read`].
impl Samples for dyn Reader + '_ {
    fn samples<'r>(&'r self, at: Row<'r, '_, '_>, mut emit: impl Emit<'r>) -> Done {
        self.read(at, &mut emit)
    }
}

/// A reader as its own type ([`Reader::typed`]).
pub enum Typed<'a> {
    NvidiaSmi(&'a NvidiaSmi),
    Rapl(&'a Rapl),
    Alumet(&'a Alumet),
    Generic(&'a Generic),
    Other,
}

/// [`time::trim`]: the spaces, tabs and quotes around a field (and a `\r` after it) taken off.
/// Every byte it takes off is at most `"` (0x22): a field that starts and ends above it is
/// returned as it is, after two comparisons.
#[inline]
fn trim(field: &[u8]) -> &[u8] {
    match (field.first(), field.last()) {
        (Some(&a), Some(&b)) if a > b'"' && b > b'"' => field,
        _ => time::trim(field),
    }
}

fn num(field: &[u8], row: u64, col: &str) -> Result<f64, RowError> {
    number(trim(field), row, col)
}

/// [`num`] of a field already trimmed: a plain decimal read in place, anything else by
/// [`written_number`].
#[inline]
fn number(f: &[u8], row: u64, col: &str) -> Result<f64, RowError> {
    match plain_decimal(f) {
        Some(v) => Ok(v),
        None => written_number(f, row, col),
    }
}

/// A trimmed field that is not a plain decimal (an exponent, more digits than an f64 holds, a
/// word) read as `str::parse` reads it; a NaN, an infinity or anything else is an error.
#[inline(never)]
fn written_number(f: &[u8], row: u64, col: &str) -> Result<f64, RowError> {
    let v = std::str::from_utf8(f)
        .ok()
        .and_then(|s| s.parse::<f64>().ok());
    if v.is_some_and(|v| !v.is_finite()) {
        return Err(RowError {
            row,
            message: format!(
                "\"{}\" in column \"{col}\" is not a finite number",
                String::from_utf8_lossy(f)
            ),
            hint: Some("a meter that could not read writes [N/A] or an empty cell: a NaN or an infinity is not a measurement".into()),
        });
    }
    v.ok_or_else(|| RowError {
            row,
            message: format!("cannot read \"{}\" as a number in column \"{col}\"", String::from_utf8_lossy(f)),
            hint: Some("check the column and the delimiter; a value with a unit must use the unit the format expects".into()),
        })
}

thread_local! {
    /// The times read lately on this thread, by second and ending ([`stamps`]).
    static STAMPS: std::cell::RefCell<stamps::Stamps> = const {
        std::cell::RefCell::new(stamps::Stamps::EMPTY)
    };
}

/// A date-time or Unix seconds, as [`time::parse`] reads it, the seconds and endings of the
/// times read lately on this thread kept.
fn time_of(field: &[u8]) -> Option<Stamp> {
    STAMPS.with(|c| match c.try_borrow_mut() {
        Ok(mut st) => st.parse(field),
        Err(_) => time::parse(field),
    })
}

fn stamp(field: &[u8], row: u64, col: &str) -> Result<Stamp, RowError> {
    time_of(field).ok_or_else(|| RowError {
        row,
        message: format!("cannot read \"{}\" as a time in column \"{col}\"", String::from_utf8_lossy(trim(field))),
        hint: Some("expected a date-time like 2025-03-02T14:00:00.000Z or 2025/03/02 14:00:00.000, or Unix seconds".into()),
    })
}

fn is_missing(f: &[u8]) -> bool {
    missing(trim(f))
}

/// [`is_missing`] of a field already trimmed: a digit first is a value.
#[inline]
fn missing(f: &[u8]) -> bool {
    match f.first() {
        None => true,
        Some(c) if c.is_ascii_digit() => false,
        Some(b'[') => true,
        Some(_) => f == b"N/A" || f == b"OFF" || f == b"nan" || f == b"NaN",
    }
}

fn negative(row: u64, col: &str, v: f64) -> RowError {
    RowError {
        row,
        message: format!("negative power {v} W in column \"{col}\""),
        hint: Some(
            "a power meter never reads below zero: check the column, the unit or the sensor".into(),
        ),
    }
}

/// Header cells, trimmed, with a unit in brackets split off: `power.draw [W]` -> (power.draw, W).
pub fn header_cells(line: &str, delim: u8) -> Vec<(String, Option<String>)> {
    line.split(delim as char)
        .map(|c| {
            let c = c.trim().trim_matches('"').trim();
            match (c.find(" ["), c.ends_with(']')) {
                (Some(i), true) => (
                    c[..i].trim().to_string(),
                    Some(c[i + 2..c.len() - 1].to_string()),
                ),
                _ => (c.to_string(), None),
            }
        })
        .collect()
}

fn col(cells: &[(String, Option<String>)], names: &[&str]) -> Option<usize> {
    names
        .iter()
        .find_map(|n| cells.iter().position(|(c, _)| c.eq_ignore_ascii_case(n)))
}

fn need(cells: &[(String, Option<String>)], names: &[&str], format: &str) -> Result<usize, String> {
    col(cells, names).ok_or_else(|| {
        let have: Vec<&str> = cells.iter().map(|(c, _)| c.as_str()).collect();
        format!(
            "{format}: no column {} (columns: {})",
            names.join(" or "),
            have.join(", ")
        )
    })
}

/// The formats whose files are JSON (read whole, not by lines).
pub const JSON_FORMATS: &[InputFormat] = &[InputFormat::Scaphandre, InputFormat::Boamps];

/// The format of a JSON report from the first bytes of its file: Scaphandre's reports begin
/// with their `host` (`{"host":` or `[{"host":`, serde writing the fields in order); a BoAmps
/// report has `measures` with `powerConsumption`, or `infrastructure` with `components`.
pub fn detect_json(prefix: &[u8]) -> Option<InputFormat> {
    // A file whose first byte is ASCII, not white space and neither `{` nor `[` (every CSV
    // trace) is not JSON: said without copying its prefix. Any other first byte (white space,
    // a byte-order mark, other UTF-8) is read as text below.
    if let Some(&b) = prefix.first() {
        if b.is_ascii() && !(b as char).is_whitespace() && b != b'{' && b != b'[' {
            return None;
        }
    }
    let text = String::from_utf8_lossy(prefix);
    let body = text.trim_start_matches('\u{feff}').trim_start();
    if !(body.starts_with('{') || body.starts_with('[')) {
        return None;
    }
    let start: String = body
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(16)
        .collect();
    if start.starts_with("{\"host\":") || start.starts_with("[{\"host\":") {
        return Some(InputFormat::Scaphandre);
    }
    let has = |k: &str| body.contains(&format!("\"{k}\""));
    if (has("measures") && has("powerConsumption")) || (has("infrastructure") && has("components"))
    {
        return Some(InputFormat::Boamps);
    }
    None
}

/// Guess the format from the first line.
pub fn detect(first_line: &str) -> Option<InputFormat> {
    let l = first_line.to_lowercase();
    if l.starts_with("metric;timestamp;value") || l.starts_with("metric,timestamp,value") {
        return Some(InputFormat::Alumet);
    }
    if l.contains("power.draw") || (l.contains("timestamp") && l.contains(", index")) {
        return Some(InputFormat::NvidiaSmi);
    }
    if l.contains("energy_uj") && l.contains("zone") {
        return Some(InputFormat::Rapl);
    }
    // files of run totals: Carbontracker's logs, eco2ai's CSV
    if super::carbontracker::is_log_line(first_line) {
        return Some(InputFormat::Carbontracker);
    }
    if super::eco2ai::is_header(&l) {
        return Some(InputFormat::Eco2ai);
    }
    // CodeCarbon, every version: `energy_consumed`, or the oldest `cpu_energy` without it
    if l.contains("emissions")
        && (l.contains("energy_consumed") || (l.contains("cpu_energy") && l.contains("duration")))
    {
        return Some(InputFormat::Codecarbon);
    }
    if l.contains("power tot") || (l.starts_with("time,") && l.contains(",power ")) {
        return Some(InputFormat::JetsonStats);
    }
    if l.contains("metric_id") && l.contains("device_id") {
        return Some(InputFormat::Kwollect);
    }
    // perf stat -o: `# started on <date>`; without -o the first row:
    // `     1.001048308,19.63,Joules,power/energy-pkg/,2002406532,100.00,,`
    if l.starts_with("# started on") || l.contains(",joules,power/energy-") {
        return Some(InputFormat::Perf);
    }
    if l.starts_with("date,cpu utilization,") {
        return Some(InputFormat::PowerJoular);
    }
    // dcgmi dmon: `#Entity   POWER   TOTEC`
    if l.starts_with("#entity") {
        return Some(InputFormat::DcgmDmon);
    }
    // nvidia-smi with `noheader`: `2025/03/02 14:00:00.012, 0, 251.37 W`
    let first = l.split(',').next().unwrap_or("");
    if first.len() >= 19
        && first.as_bytes()[4] == b'/'
        && time::parse(first.as_bytes()).is_some()
        && l.contains(", ")
    {
        return Some(InputFormat::NvidiaSmi);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The quick trim takes off what the full one takes off.
        #[test]
        fn trim_is_the_full_trim(
            f in proptest::collection::vec(proptest::sample::select(b" \t\r\"a1#!\x21\x23".to_vec()), 0..8)
        ) {
            proptest::prop_assert_eq!(trim(&f), time::trim(&f));
        }

        /// A time field read through the memo of the row before is the field read on its own
        /// (the same time to the bit, the same error), whatever the rows before it.
        #[test]
        fn a_time_like_the_row_before_is_read_as_itself(
            fields in proptest::collection::vec(proptest::sample::select(vec![
                "1718182740.000", "1718182740.001", " 1718182740.000", "1718182740.000 ",
                "1718182741", "1718182740.001234", "2024-06-12T08:59:00.004Z",
                "2024-06-12T08:59:00.004+02:00", "1", "7", "abc", "", "1718182740.0001234567890123",
            ]), 0..12)
        ) {
            let mut last = None;
            for (i, f) in fields.iter().enumerate() {
                let row = i as u64 + 2;
                let memo = same_time(f.as_bytes(), &mut last, |f| stamp(f, row, "t"));
                let alone = stamp(f.as_bytes(), row, "t");
                match (memo, alone) {
                    (Ok(a), Ok(b)) => {
                        proptest::prop_assert_eq!((a.secs, a.frac.to_bits()), (b.secs, b.frac.to_bits()), "{}", f);
                    }
                    (a, b) => proptest::prop_assert_eq!(format!("{a:?}"), format!("{b:?}"), "{}", f),
                }
            }
        }

        /// Two fields of 1 to 24 bytes have the same key only when they are the same bytes.
        #[test]
        fn a_field_key_holds_every_byte(
            a in proptest::collection::vec(proptest::sample::select(b"0123.a\0".to_vec()), 0..26),
            b in proptest::collection::vec(proptest::sample::select(b"0123.a\0".to_vec()), 0..26),
        ) {
            let (ka, kb) = (FieldKey::of(&a), FieldKey::of(&b));
            proptest::prop_assert_eq!(ka.is_some(), (1..=24).contains(&a.len()));
            if ka.is_some() && kb.is_some() {
                proptest::prop_assert_eq!(ka == kb, a == b);
            }
            // one byte changed anywhere
            if let (Some(k), Some(at)) = (ka, a.len().checked_sub(1)) {
                let mut c = a.clone();
                c[at / 2] ^= 0x40;
                proptest::prop_assert_ne!(Some(k), FieldKey::of(&c));
                c[at / 2] ^= 0x40;
                c[at] ^= 0x40;
                proptest::prop_assert_ne!(Some(k), FieldKey::of(&c));
            }
        }
    }
}
