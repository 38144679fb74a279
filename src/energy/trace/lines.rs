//! Lines of bounded length for every CSV this layer reads (traces, CodeCarbon files, training
//! and quality logs, points): a file without line ends (`/dev/zero`, a sparse file, a binary
//! file given by mistake) must not be buffered whole. [`Bounded`] counts the bytes of the line
//! being read and fails at [`MAX_LINE_BYTES`], with the line's number; the csv readers split
//! records at `\n` only (a `\r` before it is data the readers trim), so that the line numbers
//! of CRLF files are those of LF files.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// A csv reader of a file with a header (by `builder`), bounded, and its [`LongLine`].
pub fn open_csv(
    path: &Path,
    builder: &csv::ReaderBuilder,
) -> std::io::Result<(csv::Reader<Bounded<BufReader<std::fs::File>>>, LongLine)> {
    let input = open(path)?;
    let watch = input.watch();
    Ok((builder.from_reader(input), watch))
}

/// The longest line read, in bytes (1 MiB): a CSV line of power samples or logged steps is a few
/// hundred bytes; a longer one means the file is not a CSV.
pub const MAX_LINE_BYTES: u64 = 1 << 20;

/// [`MAX_LINE_BYTES`] as the messages write it.
pub const MAX_LINE_TEXT: &str = "1 MiB";

/// A reader that fails when a line grows longer than [`MAX_LINE_BYTES`].
pub struct Bounded<R> {
    inner: R,
    /// Bytes since the last line end.
    run: u64,
    /// Line ends read so far.
    newlines: u64,
    /// The line (1-based, from the reader's start) found too long.
    too_long: Option<u64>,
    watch: LongLine,
    /// Follow quotes: a quoted field's line ends do not end its line.
    quotes: bool,
    inside: bool,
    /// The line where the open quote was opened.
    open: u64,
    prev_quote: bool,
    /// The line found too long was an unclosed quote.
    in_quote: bool,
}

/// A handle on the line a [`Bounded`] reader found too long, for the readers that have given
/// their [`Bounded`] to an iterator.
#[derive(Clone, Default)]
pub struct LongLine(Arc<AtomicU64>);

impl LongLine {
    /// The line found too long, if one was.
    pub fn get(&self) -> Option<u64> {
        Some(self.0.load(Ordering::Relaxed)).filter(|&l| l > 0)
    }

    /// The line and message of a line found too long, if one was (`what`: "a CSV file", ...).
    pub fn error(&self, what: &str) -> Option<(u64, String)> {
        self.get().map(|l| (l, long_line(l, what)))
    }
}

impl<R> Bounded<R> {
    pub fn new(inner: R) -> Self {
        Bounded {
            inner,
            run: 0,
            newlines: 0,
            too_long: None,
            watch: LongLine::default(),
            quotes: false,
            inside: false,
            open: 0,
            prev_quote: false,
            in_quote: false,
        }
    }

    /// Follow quotes: the line ends inside a quoted field count in its line, so that a quote
    /// left open cannot swallow the rest of the file into one record.
    pub fn with_quotes(mut self) -> Self {
        self.quotes = true;
        self
    }

    /// Whether the line found too long is a quoted field left open (on that line).
    pub fn unclosed_quote(&self) -> bool {
        self.in_quote
    }

    /// A handle on the line this reader will find too long.
    pub fn watch(&self) -> LongLine {
        self.watch.clone()
    }

    /// The line found longer than [`MAX_LINE_BYTES`], if one was (1-based, from the start of
    /// what this reader read).
    pub fn too_long(&self) -> Option<u64> {
        self.too_long
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.too_long.is_some() {
            return Err(long_io_error());
        }
        let n = self.inner.read(buf)?;
        if self.quotes {
            for &b in &buf[..n] {
                match b {
                    b'\n' => {
                        self.newlines += 1;
                        self.prev_quote = false;
                        if !self.inside {
                            self.run = 0;
                            continue;
                        }
                    }
                    b'"' => {
                        self.inside = !self.inside;
                        // `""` inside a quoted field is an escaped quote, not a new field
                        if self.inside && !self.prev_quote {
                            self.open = self.newlines + 1;
                        }
                        self.prev_quote = !self.prev_quote;
                    }
                    _ => self.prev_quote = false,
                }
                self.run += 1;
                if self.run > MAX_LINE_BYTES {
                    return self.fail();
                }
            }
            return Ok(n);
        }
        let mut rest = &buf[..n];
        while let Some(i) = rest.iter().position(|&b| b == b'\n') {
            if self.run + i as u64 > MAX_LINE_BYTES {
                return self.fail();
            }
            self.newlines += 1;
            self.run = 0;
            rest = &rest[i + 1..];
        }
        self.run += rest.len() as u64;
        if self.run > MAX_LINE_BYTES {
            return self.fail();
        }
        Ok(n)
    }
}

impl<R> Bounded<R> {
    fn fail(&mut self) -> std::io::Result<usize> {
        let line = if self.inside {
            self.open
        } else {
            self.newlines + 1
        };
        self.in_quote = self.inside;
        self.too_long = Some(line);
        self.watch.0.store(line, Ordering::Relaxed);
        Err(long_io_error())
    }
}

fn long_io_error() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!("a line longer than {MAX_LINE_TEXT}"),
    )
}

/// The message for a line longer than [`MAX_LINE_BYTES`]; `what` is "a CSV trace", "a CSV
/// file", ...
pub fn long_line(line: u64, what: &str) -> String {
    format!("line {line} is longer than {MAX_LINE_TEXT}: not {what}?")
}

/// The message for a quoted field that does not close on its line.
pub fn unclosed(line: u64) -> String {
    format!("a quoted field opened on line {line} is not closed on its line: it swallows the line ends after it")
}

/// Whether a record read by `rdr` ran over more than its line (a quote left open); the csv
/// reader's position is just after the record.
pub fn spans_lines<R: Read>(rdr: &csv::Reader<R>, rec: &csv::ByteRecord) -> Option<u64> {
    let start = rec.position()?.line();
    // a record after blank lines starts (for the csv crate) at the first blank line: only a
    // line end inside a field is a quote left open
    (rdr.position().line() > start + 1 && rec.as_slice().contains(&b'\n')).then_some(start)
}

/// The line of a record read by `rdr` (1-based): the csv crate places a record that follows
/// blank lines (perf's `-o` file has one) at the first of them; the record is on the line its
/// line end closes.
pub fn record_line<R: Read>(rdr: &csv::Reader<R>, rec: &csv::ByteRecord) -> u64 {
    let start = rec.position().map_or(0, |p| p.line());
    let after = rdr.position().line();
    if after > start + 1 && !rec.as_slice().contains(&b'\n') {
        after - 1
    } else {
        start
    }
}

/// A csv reader builder splitting records at `\n` only.
pub fn builder() -> csv::ReaderBuilder {
    let mut b = csv::ReaderBuilder::new();
    b.terminator(csv::Terminator::Any(b'\n'));
    b
}

/// A file opened for a bounded read.
pub fn open(path: &Path) -> std::io::Result<Bounded<BufReader<std::fs::File>>> {
    Ok(Bounded::new(BufReader::with_capacity(
        1 << 16,
        std::fs::File::open(path)?,
    )))
}

/// The line and message of a csv error of a bounded reader that started at line `line0` + 1 of
/// its file: the line found too long, or the csv crate's own error at its line.
pub fn csv_failure<R: Read>(
    rdr: &csv::Reader<Bounded<R>>,
    e: &csv::Error,
    what: &str,
    line0: u64,
) -> (u64, String) {
    match rdr.get_ref().too_long().map(|l| l + line0) {
        Some(line) if rdr.get_ref().unclosed_quote() => (line, unclosed(line)),
        Some(line) => (line, long_line(line, what)),
        None => (
            e.position().map_or(0, |p| p.line()) + line0,
            format!("cannot read the CSV: {e}"),
        ),
    }
}

/// Drop the `\r` of a CRLF line end from the last field of a record; true when the record is a
/// blank line (to be skipped, as the csv crate skips blank LF lines).
pub fn strip_cr(rec: &mut csv::ByteRecord) -> bool {
    let n = rec.len();
    let Some(last) = rec.get(n.wrapping_sub(1)) else {
        return false;
    };
    if last.last() != Some(&b'\r') {
        return false;
    }
    if n == 1 && last.len() == 1 {
        return true;
    }
    let mut fields: Vec<Vec<u8>> = rec.iter().map(<[u8]>::to_vec).collect();
    if let Some(l) = fields.last_mut() {
        l.pop();
    }
    let pos = rec.position().cloned();
    rec.clear();
    for f in &fields {
        rec.push_field(f);
    }
    rec.set_position(pos);
    false
}

/// The first line of a file, without its line end, read to at most [`MAX_LINE_BYTES`]: `Ok(None)`
/// when the file is empty, `Err` with the message when the line is longer.
pub fn first_line(path: &Path, what: &str) -> std::io::Result<Result<Option<String>, String>> {
    let mut r = BufReader::new(std::fs::File::open(path)?).take(MAX_LINE_BYTES + 1);
    let mut buf = Vec::new();
    r.read_until(b'\n', &mut buf)?;
    if buf.is_empty() {
        return Ok(Ok(None));
    }
    if buf.last() != Some(&b'\n') && buf.len() as u64 > MAX_LINE_BYTES {
        return Ok(Err(long_line(1, what)));
    }
    let s = String::from_utf8_lossy(&buf);
    Ok(Ok(Some(s.trim_end_matches(['\n', '\r']).to_string())))
}

/// The text of line `n` (1-based) of a file, its first 160 characters, read in bounded memory.
pub fn line_text(path: &Path, n: u64) -> Option<String> {
    let mut r = BufReader::new(std::fs::File::open(path).ok()?);
    let mut line = 1u64;
    let mut out: Vec<u8> = Vec::new();
    loop {
        let buf = r.fill_buf().ok()?;
        if buf.is_empty() {
            break;
        }
        let len = buf.len();
        let mut start = 0;
        let mut done = false;
        while start < len {
            let end = buf[start..].iter().position(|&b| b == b'\n');
            let stop = end.map_or(len, |e| start + e);
            if line == n && out.len() < 640 {
                let take = (stop - start).min(640 - out.len());
                out.extend_from_slice(&buf[start..start + take]);
            }
            match end {
                Some(_) => {
                    if line == n {
                        done = true;
                        break;
                    }
                    line += 1;
                    start = stop + 1;
                }
                None => {
                    // the start of a long line is enough
                    done = line == n && out.len() >= 640;
                    start = len;
                }
            }
        }
        r.consume(len);
        if done {
            break;
        }
    }
    if line < n {
        return None;
    }
    if out.contains(&0) {
        return None; // binary, not text to show
    }
    let s = String::from_utf8_lossy(&out);
    Some(s.trim_end_matches('\r').chars().take(160).collect())
}

/// An error at `row` if a field of the record is not UTF-8 text.
pub fn not_utf8(rec: &super::record::Record, row: u64) -> Option<super::integrate::RowError> {
    if rec.is_ascii() {
        return None;
    }
    let (i, f) = rec
        .iter()
        .enumerate()
        .find(|(_, f)| std::str::from_utf8(f).is_err())?;
    let f = crate::quantity::time::trim(f);
    let bad = std::str::from_utf8(f).err().map_or(0, |e| e.valid_up_to());
    Some(super::integrate::RowError {
        row,
        message: format!(
            "field {} (\"{}\") is not UTF-8 text: byte 0x{:02X} at its position {}",
            i + 1,
            String::from_utf8_lossy(f),
            f.get(bad).copied().unwrap_or(0),
            bad + 1
        ),
        hint: Some(
            "save the trace as UTF-8; other bytes come from another encoding or a damaged file"
                .into(),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_fails_with_its_number() {
        let mut text = b"a,b\n1,2\n".to_vec();
        text.extend(std::iter::repeat_n(b'x', (MAX_LINE_BYTES + 10) as usize));
        let mut r = Bounded::new(&text[..]);
        let mut sink = Vec::new();
        assert!(r.read_to_end(&mut sink).is_err());
        assert_eq!(r.too_long(), Some(3));
        assert!(sink.len() as u64 <= MAX_LINE_BYTES + 64 * 1024);
    }

    #[test]
    fn lines_at_the_limit_read() {
        let mut text = vec![b'x'; MAX_LINE_BYTES as usize];
        text.push(b'\n');
        text.extend(vec![b'y'; MAX_LINE_BYTES as usize]);
        let mut r = Bounded::new(&text[..]);
        let mut sink = Vec::new();
        assert!(r.read_to_end(&mut sink).is_ok());
    }

    #[test]
    fn a_blank_line_is_not_a_quote_left_open() {
        // `perf stat -o` writes `# started on ...` and a blank line before its rows; a quote
        // left open swallows a line end into a field
        let text = b"# started on x\n\n1.0,2\n3,\"4\n5\"\n";
        let mut rdr = builder()
            .has_headers(false)
            .flexible(true)
            .from_reader(Bounded::new(&text[..]));
        let mut rec = csv::ByteRecord::new();
        let mut open = Vec::new();
        while rdr.read_byte_record(&mut rec).unwrap_or(false) {
            open.push(spans_lines(&rdr, &rec));
        }
        assert_eq!(open, vec![None, None, Some(4)]);
        // and the record after the blank line is on line 3
        let mut rdr = builder()
            .has_headers(false)
            .flexible(true)
            .from_reader(Bounded::new(&text[..]));
        let mut lines = Vec::new();
        while rdr.read_byte_record(&mut rec).unwrap_or(false) {
            lines.push(record_line(&rdr, &rec));
        }
        assert_eq!(lines, vec![1, 3, 4]);
    }

    #[test]
    fn crlf_records_are_numbered_as_lf_ones() {
        let text = b"a,b\r\n1,2\r\n\r\n3,\"4\"\r\n";
        let mut rdr = builder()
            .has_headers(false)
            .flexible(true)
            .from_reader(Bounded::new(&text[..]));
        let mut rec = csv::ByteRecord::new();
        let mut got = Vec::new();
        while rdr.read_byte_record(&mut rec).unwrap_or(false) {
            if strip_cr(&mut rec) {
                continue;
            }
            let line = rec.position().map_or(0, |p| p.line());
            got.push((line, rec.iter().map(<[u8]>::to_vec).collect::<Vec<_>>()));
        }
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[1].0, 2);
        assert_eq!(got[2].0, 4);
        assert_eq!(got[2].1, vec![b"3".to_vec(), b"4".to_vec()]);
    }
}
