//! One piece of a trace file read into per-device states: the piece is read in blocks of
//! [`BLOCK_BYTES`] into one buffer, cut into lines with `memchr` and into fields by the
//! [`Splitter`], with no copy; each record goes to the format's reader and its samples to
//! their devices. A piece where a quote is left open at the end of a line, or where a line is
//! longer than [`MAX_LINE_BYTES`], is read again through the csv crate (as every piece was
//! before), which says what the quote means or where the line is too long, as it always has.

use super::devices::find_device;
use super::formats::{Raw, Reader, Row, RowNotes, Samples, Typed};
use super::integrate::{Ctx, Device, Pt, RowError, Rows};
use super::lines::{self, Bounded, MAX_LINE_BYTES};
use super::read::Entry;
use super::record::{Record, Split, Splitter};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::ops::ControlFlow;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// The bytes read at a time (256 KiB: the buffer stays in the core's cache, and a small file
/// touches few pages); the buffer holds one block and a line left over.
pub const BLOCK_BYTES: usize = 256 << 10;

/// The first block read (64 KiB); the next are twice as large, up to [`BLOCK_BYTES`].
const FIRST_BLOCK_BYTES: usize = 64 << 10;

/// What a piece of the file adds up to.
#[derive(Default)]
pub(super) struct Piece {
    pub entries: Vec<Entry>,
    /// Line ends in the piece.
    pub lines: u64,
    /// Records read (the header excepted).
    pub records: u64,
    pub missing: Rows,
    pub skipped: BTreeMap<&'static str, Rows>,
}

/// What every piece of a read shares.
pub(super) struct Source<'a> {
    pub path: &'a Path,
    pub reader: &'a dyn Reader,
    pub has_header: bool,
    pub ctx: &'a Ctx,
    /// The whole second the times are counted from.
    pub origin: i64,
    /// Bytes read so far, for the progress callback.
    pub progress: &'a AtomicU64,
}

pub(super) fn unclosed_error(row: u64) -> RowError {
    RowError {
        row,
        message: lines::unclosed(row),
        hint: Some("close the quote, or remove it: a trace's fields hold no line end".into()),
    }
}

/// The records of a piece, added up one by one by a reader of type `R`.
struct Tally<'a, R: ?Sized> {
    src: &'a Source<'a>,
    reader: &'a R,
    piece: Piece,
    /// The header is still to be passed over.
    skip: bool,
    /// The device of the last sample.
    last_device: usize,
    /// The fields of every row.
    width: usize,
    /// What the row read says besides samples, and what the reader keeps from row to row.
    notes: RowNotes,
}

impl<'a, R: Samples + ?Sized> Tally<'a, R> {
    fn new(src: &'a Source<'a>, reader: &'a R, first_piece: bool) -> Self {
        Tally {
            src,
            reader,
            piece: Piece::default(),
            skip: src.has_header && first_piece,
            last_device: 0,
            width: reader.width(),
            notes: RowNotes::default(),
        }
    }

    /// Add the record of line `row` (`ascii`: its bytes are known to be ASCII).
    #[inline]
    fn record(&mut self, rec: &Record<'_>, row: u64, ascii: bool) -> Result<(), RowError> {
        if std::mem::take(&mut self.skip) {
            return Ok(());
        }
        let reader = self.reader;
        self.piece.records += 1;
        if rec.len() != self.width {
            let hint = if rec.len() < self.width {
                "a truncated line (the last line of a log cut while it was written?) or a wrong delimiter"
            } else {
                "a wrong delimiter or an unquoted value holding the delimiter"
            };
            return Err(RowError {
                row,
                message: format!(
                    "row {row} has {} fields, the header has {}",
                    rec.len(),
                    self.width
                ),
                hint: Some(hint.into()),
            });
        }
        if !ascii {
            if let Some(e) = lines::not_utf8(rec, row) {
                return Err(e);
            }
        }
        let notes = &mut self.notes;
        notes.missing = false;
        notes.skipped = None;
        let entries = &mut self.piece.entries;
        let last = &mut self.last_device;
        let (ctx, origin) = (self.src.ctx, self.src.origin);
        reader.samples(Row { rec, row, notes }, |raw: Raw| {
            let idx = match find_device(entries, &raw.key, *last) {
                Some(i) => i,
                None => {
                    let info = reader.info(&raw.key);
                    let key_text = raw
                        .key
                        .iter()
                        .filter(|k| !k.is_empty())
                        .map(|k| String::from_utf8_lossy(k))
                        .collect::<Vec<_>>()
                        .join(" ");
                    entries.push(Entry {
                        key: raw.key.map(|k| k.to_vec()),
                        device: Device::new(key_text, info.signal, raw.wrap_j),
                        label: raw.label.map(|l| String::from_utf8_lossy(l).to_string()),
                        first_row: row,
                    });
                    entries.len() - 1
                }
            };
            *last = idx;
            let dev = &mut entries[idx].device;
            if raw.wrap_j.is_some() {
                dev.wrap_j = raw.wrap_j;
            }
            dev.push(
                Pt {
                    t: raw.t.since(origin),
                    v: raw.v,
                    row,
                },
                ctx,
            )
        })?;
        if self.notes.missing {
            self.piece.missing.add(row);
        }
        if let Some(why) = self.notes.skipped {
            self.piece.skipped.entry(why).or_default().add(row);
        }
        Ok(())
    }
}

fn io_error(e: std::io::Error) -> RowError {
    RowError {
        row: 0,
        message: format!("cannot read the trace: {e}"),
        hint: None,
    }
}

/// Why the reading of lines stopped.
pub(super) enum Stop {
    Row(RowError),
    /// A quote left open or a line too long: the csv crate reads the piece.
    ToCsv,
}

impl From<RowError> for Stop {
    fn from(e: RowError) -> Self {
        Stop::Row(e)
    }
}

thread_local! {
    /// The block buffer of this thread, kept from piece to piece.
    static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Read the piece `range` of the file; its rows are numbered from `line0` + 1 (0 when the
/// offset is not known yet: the merge shifts them). The readers of long logs have the loop
/// compiled for their own type ([`Reader::typed`]).
pub(super) fn read_piece(src: &Source, range: (u64, u64), line0: u64) -> Result<Piece, RowError> {
    match src.reader.typed() {
        Typed::NvidiaSmi(r) => read_piece_as(r, src, range, line0),
        Typed::Rapl(r) => read_piece_as(r, src, range, line0),
        Typed::Alumet(r) => read_piece_as(r, src, range, line0),
        Typed::Generic(r) => read_piece_as(r, src, range, line0),
        Typed::Other => read_piece_as(src.reader, src, range, line0),
    }
}

/// [`read_piece`] by `reader`, the reader of `src`.
fn read_piece_as<R: Samples + ?Sized>(
    reader: &R,
    src: &Source,
    range: (u64, u64),
    line0: u64,
) -> Result<Piece, RowError> {
    let mut added = 0u64;
    let mut tally = Tally::new(src, reader, range.0 == 0);
    let mut split = Splitter::new(src.reader.delimiter());
    let progress = Some(src.progress);
    let fast = each_line(
        src.path,
        range,
        progress,
        &mut added,
        &mut split,
        |rec, line, block| {
            match rec {
                Split::Blank => {}
                Split::Fields(rec) => tally.record(&rec, line + line0, block.ascii)?,
                Split::Irregular => return Err(Stop::ToCsv),
            }
            Ok(ControlFlow::Continue(()))
        },
    );
    match fast {
        Ok(lines) => {
            tally.piece.lines = lines;
            Ok(tally.piece)
        }
        Err(Stop::Row(e)) => Err(e),
        Err(Stop::ToCsv) => {
            src.progress.fetch_sub(added, Ordering::Relaxed);
            read_piece_csv(src, range, line0)
        }
    }
}

/// Read as many bytes as there are, up to `buf`'s length: the count read (0 at the end).
fn fill(f: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// What is known of every line of a block.
#[derive(Clone, Copy)]
pub(super) struct Block {
    /// Every byte is ASCII.
    pub ascii: bool,
    /// Some byte is a quote.
    pub quotes: bool,
}

/// Each line of the bytes `range` of a file, split into fields by `split`, in blocks of up to
/// [`BLOCK_BYTES`] into this thread's buffer: `each(record, line, block)` gets the line's
/// fields, its number from 1 at the start of the range, and what is known of its block, until
/// it breaks. Returns the line ends passed; a line longer than [`MAX_LINE_BYTES`] stops with
/// [`Stop::ToCsv`]. The bytes read are added to `progress` and `added`.
pub(super) fn each_line<F>(
    path: &Path,
    range: (u64, u64),
    progress: Option<&AtomicU64>,
    added: &mut u64,
    split: &mut Splitter,
    each: F,
) -> Result<u64, Stop>
where
    F: FnMut(Split<'_>, u64, Block) -> Result<ControlFlow<()>, Stop>,
{
    let mut lines = Lines {
        path,
        range,
        progress,
        added,
    };
    BUFFER.with(|b| match b.try_borrow_mut() {
        Ok(mut buf) => lines.read(&mut buf, split, each),
        // a read within a read (none today) gets a buffer of its own
        Err(_) => lines.read(&mut Vec::new(), split, each),
    })
}

/// The lines of a range of a file.
struct Lines<'a> {
    path: &'a Path,
    range: (u64, u64),
    progress: Option<&'a AtomicU64>,
    added: &'a mut u64,
}

impl Lines<'_> {
    fn read<F>(&mut self, buf: &mut Vec<u8>, split: &mut Splitter, mut each: F) -> Result<u64, Stop>
    where
        F: FnMut(Split<'_>, u64, Block) -> Result<ControlFlow<()>, Stop>,
    {
        let mut f = std::fs::File::open(self.path).map_err(io_error)?;
        f.seek(SeekFrom::Start(self.range.0)).map_err(io_error)?;
        let mut left = self.range.1.saturating_sub(self.range.0);
        let (mut start, mut end) = (0usize, 0usize);
        // line ends passed: the line being read is line + 1
        let mut line = 0u64;
        // the first blocks are small: the first lines of a file may be all that is wanted
        let mut block_bytes = FIRST_BLOCK_BYTES;
        loop {
            if left > 0 {
                buf.copy_within(start..end, 0);
                end -= start;
                start = 0;
                let room = block_bytes.min(usize::try_from(left).unwrap_or(usize::MAX));
                if buf.len() < end + room {
                    buf.resize(end + room, 0);
                }
                block_bytes = (2 * block_bytes).min(BLOCK_BYTES);
                let n = fill(&mut f, &mut buf[end..end + room]).map_err(io_error)?;
                left = if n == 0 { 0 } else { left - n as u64 };
                end += n;
                if let Some(p) = self.progress {
                    p.fetch_add(n as u64, Ordering::Relaxed);
                }
                *self.added += n as u64;
            }
            let data = &buf[start..end];
            let block = Block {
                ascii: data.is_ascii(),
                quotes: memchr::memchr(b'"', data).is_some(),
            };
            let mut at = 0;
            // a block without quotes: its whole lines split in one pass
            if let Some(k) = memchr::memrchr(b'\n', data).filter(|_| !block.quotes) {
                let broke = split.split_lines(&data[..=k], |rec, n| {
                    line += 1;
                    if n as u64 > MAX_LINE_BYTES {
                        return Err(Stop::ToCsv);
                    }
                    each(rec, line, block)
                })?;
                if broke {
                    return Ok(line);
                }
                at = k + 1;
            }
            while let Some(n) = memchr::memchr(b'\n', &data[at..]) {
                line += 1;
                if n as u64 > MAX_LINE_BYTES {
                    return Err(Stop::ToCsv);
                }
                let rec = split.split_known(&data[at..at + n], block.quotes);
                if each(rec, line, block)?.is_break() {
                    return Ok(line);
                }
                at += n + 1;
            }
            start += at;
            if (end - start) as u64 > MAX_LINE_BYTES {
                return Err(Stop::ToCsv);
            }
            if left == 0 {
                // the last line, without a line end
                if start < end {
                    let rec = split.split_known(&buf[start..end], block.quotes);
                    // broken off or not, the lines end here
                    let _ = each(rec, line + 1, block)?;
                }
                return Ok(line);
            }
        }
    }
}

/// Read the piece through the csv crate, its bytes bounded to [`MAX_LINE_BYTES`] a line and
/// its quotes followed across lines.
fn read_piece_csv(src: &Source, range: (u64, u64), line0: u64) -> Result<Piece, RowError> {
    let mut f = std::fs::File::open(src.path).map_err(io_error)?;
    f.seek(SeekFrom::Start(range.0)).map_err(io_error)?;
    let input =
        Bounded::new(BufReader::with_capacity(1 << 20, f.take(range.1 - range.0))).with_quotes();
    let mut rdr = lines::builder()
        .has_headers(false)
        .flexible(true)
        .delimiter(src.reader.delimiter())
        .from_reader(input);
    let mut rec = csv::ByteRecord::new();
    let mut spans = Vec::new();
    let mut tally = Tally::new(src, src.reader, range.0 == 0);
    let mut last_byte = 0u64;
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let (row, message) = lines::csv_failure(&rdr, &e, "a CSV trace", line0);
                if message == lines::unclosed(row) {
                    // as a quote left open within the piece is told, wherever the piece ends
                    return Err(unclosed_error(row));
                }
                return Err(RowError {
                    row,
                    message,
                    hint: Some("check the delimiter and the quotes".into()),
                });
            }
        }
        if let Some(row) = lines::spans_lines(&rdr, &rec) {
            return Err(unclosed_error(row + line0));
        }
        if lines::strip_cr(&mut rec) {
            continue;
        }
        let pos = rec.position().map_or(0, |p| p.byte());
        if pos - last_byte > 1 << 20 {
            src.progress.fetch_add(pos - last_byte, Ordering::Relaxed);
            last_byte = pos;
        }
        let row = rec.position().map_or(0, |p| p.line()) + line0;
        tally.record(&Record::of_csv(&rec, &mut spans), row, false)?;
    }
    src.progress.fetch_add(
        (range.1 - range.0).saturating_sub(last_byte),
        Ordering::Relaxed,
    );
    tally.piece.lines = rdr.position().line().saturating_sub(1);
    Ok(tally.piece)
}

#[cfg(test)]
mod tests {
    use crate::energy::trace::{read, TraceOptions};
    use crate::error::Error;

    fn trace(text: &str) -> tempfile::NamedTempFile {
        let f = tempfile::NamedTempFile::new().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(f.path(), text).unwrap_or_else(|e| panic!("{e}"));
        f
    }

    /// The summary as JSON, or the error's line and message, read in pieces of `piece_bytes`
    /// with `threads` threads.
    fn outcome(f: &tempfile::NamedTempFile, threads: usize, piece_bytes: u64) -> String {
        let o = TraceOptions {
            threads,
            piece_bytes: Some(piece_bytes),
            ..TraceOptions::default()
        };
        match read(f.path(), &o) {
            Ok(s) => serde_json::to_string(&s).unwrap_or_else(|e| panic!("{e}")),
            Err(Error::Input(d)) => format!("line {:?}: {}", d.line, d.message),
            Err(e) => panic!("{e}"),
        }
    }

    /// A two-GPU nvidia-smi trace of `n` seconds, with `cell` to write each value.
    fn gpus(n: usize, cell: impl Fn(usize, usize) -> String) -> String {
        let mut s = "timestamp, index, name, power.draw [W]\n".to_string();
        for i in 0..n {
            for g in 0..2 {
                s.push_str(&format!(
                    "{}, {g}, NVIDIA A100, {}\n",
                    1_740_924_000 + i,
                    cell(i, g)
                ));
            }
        }
        s
    }

    fn watts(i: usize, g: usize) -> f64 {
        100.0 + ((i * 7 + g * 13) % 200) as f64 * 0.37
    }

    #[test]
    fn quoted_fields_read_as_plain_ones_in_any_piece() {
        // a quote inside a field is text; a field quoted from the delimiter on has its quotes
        // doubled inside
        let plain = trace(
            &gpus(1500, |i, g| format!("{:.2} W", watts(i, g)))
                .replace("NVIDIA A100", "NVIDIA \"A100\" SXM"),
        );
        let quoted = trace(
            &gpus(1500, |i, g| format!("{:.2} W", watts(i, g)))
                .replace(", NVIDIA A100, ", ",\"NVIDIA \"\"A100\"\" SXM\",\"")
                .replace(" W\n", " W\"\n"),
        );
        let same = |s: String| {
            s.replacen(&plain.path().display().to_string(), "file", 1)
                .replacen(&quoted.path().display().to_string(), "file", 1)
        };
        let want = same(outcome(&plain, 1, 1 << 30));
        assert!(
            want.contains("\"name\":\"NVIDIA \\\"A100\\\" SXM\""),
            "{want}"
        );
        assert_eq!(same(outcome(&quoted, 1, 1 << 30)), want);
        // in pieces (cut elsewhere than the plain file's), the same figures whatever the
        // threads and the cut
        for piece in [4096, 1000] {
            let one = outcome(&quoted, 1, piece);
            assert_eq!(outcome(&quoted, 3, piece), one, "pieces of {piece}");
            assert_eq!(same(one), want, "pieces of {piece}");
        }
    }

    #[test]
    fn blank_lines_are_passed_over_and_rows_keep_their_lines() {
        for end in ["\n", "\r\n"] {
            // blank lines after the header, between rows and at the end
            let mut text = gpus(400, |i, g| format!("{:.2} W", watts(i, g)));
            text = text.replacen("W]\n", "W]\n\n\n", 1);
            text = text.replace(
                ", 1, NVIDIA A100, 100.00 W\n",
                ", 1, NVIDIA A100, 100.00 W\n\n",
            );
            text.push_str("\n\n");
            let dense =
                trace(&gpus(400, |i, g| format!("{:.2} W", watts(i, g))).replace('\n', end));
            let sparse = trace(&text.replace('\n', end));
            let energy = |f: &tempfile::NamedTempFile, piece: u64| {
                read(
                    f.path(),
                    &TraceOptions {
                        threads: 2,
                        piece_bytes: Some(piece),
                        ..TraceOptions::default()
                    },
                )
                .map(|s| (s.rows, s.energy_kwh.value))
                .map_err(|e| e.to_string())
            };
            for piece in [1 << 30, 2048] {
                let (rows, e) = energy(&sparse, piece).unwrap_or_else(|e| panic!("{end:?}: {e}"));
                let (want_rows, want) = energy(&dense, 1 << 30).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(rows, want_rows);
                assert_eq!(e, want);
            }
            // a bad value after the blank lines: its own line, in any piece
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            let at = lines.len() - 40;
            let bad = lines[at].replace(" W", " X");
            let mut broken = lines.clone();
            broken[at] = &bad;
            let f = trace(&broken.concat().replace('\n', end));
            for (threads, piece) in [(1, 1 << 30), (3, 2048)] {
                let got = outcome(&f, threads, piece);
                assert!(
                    got.starts_with(&format!("line Some({}): unknown power unit", at + 1)),
                    "{end:?} {threads} {piece}: {got}"
                );
            }
        }
    }

    #[test]
    fn a_quote_left_open_and_a_long_line_are_errors_at_their_lines_in_any_piece() {
        let text = gpus(1500, |i, g| format!("{:.2} W", watts(i, g)));
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let open = lines[2001].replacen(", NVIDIA", ",\"NVIDIA", 1);
        let mut broken = lines.clone();
        broken[2001] = &open;
        let f = trace(&broken.concat());
        for (threads, piece) in [(1, 1 << 30), (1, 4096), (3, 4096)] {
            let got = outcome(&f, threads, piece);
            assert!(
                got.starts_with("line Some(2002): a quoted field opened on line 2002"),
                "{threads} {piece}: {got}"
            );
        }
        let long = format!("{}{}\n", lines[1500].trim_end(), "x".repeat(1 << 21));
        let mut broken = lines.clone();
        broken[1500] = &long;
        let f = trace(&broken.concat());
        for (threads, piece) in [(1, 1 << 30), (3, 4096)] {
            let got = outcome(&f, threads, piece);
            assert!(
                got.starts_with("line Some(1501): line 1501 is longer than 1 MiB"),
                "{threads} {piece}: {got}"
            );
        }
    }
}
