//! The fields of one line of a trace ([`Record`]), and the tokenizer that finds them
//! ([`Splitter`]): a line is split at its delimiters eight bytes at a time, with no copy; a line with
//! quotes is read as the csv crate reads one line (`"a,b"`, `""` for a quote inside), and a
//! quote left open at the end of its line is left to the csv crate ([`Split::Irregular`]), so
//! that the fields are always those the csv crate gives.
//!
//! Like the csv readers of this layer, a line ends at `\n` only: a `\r` before it is dropped
//! from the last field, and a line holding nothing else is blank (and skipped, as are empty
//! lines).

use std::ops::{ControlFlow, Index};
use wide::u8x16;

/// The fields of one line: `get(i)`, `len()` and `iter()` as the csv crate's `ByteRecord`.
#[derive(Clone, Copy, Debug)]
pub struct Record<'a> {
    /// The line, or the fields unquoted one after the other.
    text: &'a [u8],
    /// Where each field is in `text`: (start, end).
    spans: &'a [(u32, u32)],
}

impl<'a> Record<'a> {
    /// The number of fields.
    #[inline]
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether the record has no field.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Field `i`, if there is one.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&'a [u8]> {
        let &(a, b) = self.spans.get(i)?;
        self.text.get(a as usize..b as usize)
    }

    /// The fields in order.
    pub fn iter(&self) -> impl Iterator<Item = &'a [u8]> + 'a {
        let text = self.text;
        self.spans
            .iter()
            .map(move |&(a, b)| text.get(a as usize..b as usize).unwrap_or_default())
    }

    /// Whether every byte of the record is ASCII.
    pub fn is_ascii(&self) -> bool {
        self.text.is_ascii()
    }

    /// The record of a csv crate's `ByteRecord` (its fields are kept one after the other);
    /// `spans` holds where each field is.
    pub fn of_csv(rec: &'a csv::ByteRecord, spans: &'a mut Vec<(u32, u32)>) -> Record<'a> {
        spans.clear();
        let mut at = 0u32;
        for f in rec.iter() {
            let end = at + f.len() as u32;
            spans.push((at, end));
            at = end;
        }
        Record {
            text: rec.as_slice(),
            spans,
        }
    }
}

impl Index<usize> for Record<'_> {
    type Output = [u8];

    /// Field `i`; like `ByteRecord`'s, out of range is a bug of the caller (records are checked
    /// against the header's width before a reader sees them).
    #[inline]
    fn index(&self, i: usize) -> &[u8] {
        let (a, b) = self.spans[i];
        &self.text[a as usize..b as usize]
    }
}

/// What a line is.
#[derive(Debug)]
pub enum Split<'a> {
    /// An empty line, or a lone `\r`: no record.
    Blank,
    Fields(Record<'a>),
    /// A quoted field left open at the end of the line: the csv crate decides what it means
    /// (the record goes on over the next lines).
    Irregular,
}

/// Splits lines into fields at one delimiter, reusing its buffers from line to line.
pub struct Splitter {
    delim: u8,
    spans: Vec<(u32, u32)>,
    unquoted: Vec<u8>,
}

impl Splitter {
    pub fn new(delim: u8) -> Self {
        Splitter {
            delim,
            spans: Vec::with_capacity(32),
            unquoted: Vec::new(),
        }
    }

    /// The fields of `line` (without its `\n`; at most [`super::lines::MAX_LINE_BYTES`] long).
    pub fn split<'a>(&'a mut self, line: &'a [u8]) -> Split<'a> {
        self.split_known(line, true)
    }

    /// [`Splitter::split`], told whether the line may hold a quote (`false`: it has none, its
    /// block was searched).
    pub fn split_known<'a>(&'a mut self, line: &'a [u8], may_quote: bool) -> Split<'a> {
        if line.is_empty() {
            return Split::Blank;
        }
        self.spans.clear();
        let mut start = 0usize;
        // eight bytes at a time: the delimiters' places as bits, a quote sends the line on
        let (delims, quotes) = (BYTES * u64::from(self.delim), BYTES * u64::from(b'"'));
        let mut words = line.chunks_exact(8);
        for (k, w) in words.by_ref().enumerate() {
            let mut x = [0u8; 8];
            x.copy_from_slice(w);
            let x = u64::from_le_bytes(x);
            if may_quote && equal_bytes(x, quotes) != 0 {
                return self.split_quoted(line);
            }
            let mut m = equal_bytes(x, delims);
            while m != 0 {
                let i = k * 8 + (m.trailing_zeros() / 8) as usize;
                self.spans.push((start as u32, i as u32));
                start = i + 1;
                m &= m - 1;
            }
        }
        // the last bytes (fewer than eight) as one word, the bytes past the line masked off
        let rest = words.remainder();
        if !rest.is_empty() {
            let tail = line.len() - rest.len();
            // the line's last eight bytes shifted down (no copy), or the bytes one by one
            let x = match line.last_chunk::<8>() {
                Some(w) => u64::from_le_bytes(*w) >> (8 * (8 - rest.len())),
                None => rest
                    .iter()
                    .rev()
                    .fold(0u64, |x, &c| (x << 8) | u64::from(c)),
            };
            let inside = (1u64 << (8 * rest.len())) - 1;
            if equal_bytes(x, quotes) & inside != 0 {
                return self.split_quoted(line);
            }
            let mut m = equal_bytes(x, delims) & inside;
            while m != 0 {
                let i = tail + (m.trailing_zeros() / 8) as usize;
                self.spans.push((start as u32, i as u32));
                start = i + 1;
                m &= m - 1;
            }
        }
        self.spans.push((start as u32, line.len() as u32));
        finish(line, &mut self.spans)
    }

    /// The lines of `data`, which ends with a line end and holds no quote, split into fields
    /// in one pass, `SCAN` bytes at a time: the line ends and the delimiters among them found
    /// together as bits by vector comparisons (`marks`), taken in order. `each(record,
    /// line_bytes)` gets each line's fields (as [`Splitter::split_known`] gives them) and its
    /// length without the line end, until it breaks: true when it did.
    pub fn split_lines<E>(
        &mut self,
        data: &[u8],
        mut each: impl FnMut(Split<'_>, usize) -> Result<ControlFlow<()>, E>,
    ) -> Result<bool, E> {
        let (delims, ends) = (u8x16::splat(self.delim), u8x16::splat(b'\n'));
        self.spans.clear();
        // where the line and its field begin
        let (mut line, mut start) = (0usize, 0usize);
        let mut base = 0usize;
        while let Some(rest) = data.get(base..).filter(|r| !r.is_empty()) {
            let (d, nl) = match rest.first_chunk::<SCAN>() {
                Some(w) => marks(w, delims, ends),
                None => last_marks(rest, delims, ends),
            };
            let mut m = d | nl;
            while m != 0 {
                let bit = m & m.wrapping_neg();
                let i = base + bit.trailing_zeros() as usize;
                m ^= bit;
                self.spans.push(((start - line) as u32, (i - line) as u32));
                start = i + 1;
                if nl & bit != 0 {
                    let text = &data[line..i];
                    let rec = if text.is_empty() {
                        Split::Blank
                    } else {
                        finish(text, &mut self.spans)
                    };
                    if each(rec, i - line)?.is_break() {
                        return Ok(true);
                    }
                    self.spans.clear();
                    line = start;
                }
            }
            base += SCAN;
        }
        Ok(false)
    }

    /// A line with quotes, read as the csv crate reads it: a field that starts with a quote is
    /// quoted to the next lone quote (`""` is a quote inside it), and goes on as text after it;
    /// a quote anywhere else is text. A quote left open makes the line irregular.
    fn split_quoted<'a>(&'a mut self, line: &[u8]) -> Split<'a> {
        self.spans.clear();
        self.unquoted.clear();
        let out = &mut self.unquoted;
        let mut i = 0usize;
        loop {
            let start = out.len() as u32;
            if line.get(i) == Some(&b'"') {
                i += 1;
                loop {
                    let Some(q) = memchr::memchr(b'"', &line[i..]) else {
                        return Split::Irregular; // open to the end of the line
                    };
                    out.extend_from_slice(&line[i..i + q]);
                    i += q + 1;
                    if line.get(i) != Some(&b'"') {
                        break;
                    }
                    out.push(b'"');
                    i += 1;
                }
            }
            let rest = &line[i..];
            let end = memchr::memchr(self.delim, rest).unwrap_or(rest.len());
            out.extend_from_slice(&rest[..end]);
            self.spans.push((start, out.len() as u32));
            if end == rest.len() {
                break;
            }
            i += end + 1;
        }
        finish(&self.unquoted, &mut self.spans)
    }
}

/// The bytes [`Splitter::split_lines`] looks at a time.
const SCAN: usize = 64;

/// The places of the bytes equal to `delims`' and to `ends`' among the bytes of `w`, as bits
/// (bit i for byte i): sixteen bytes compared at a time.
#[inline]
fn marks(w: &[u8; SCAN], delims: u8x16, ends: u8x16) -> (u64, u64) {
    let (mut d, mut nl) = (0u64, 0u64);
    for (k, part) in w.chunks_exact(16).enumerate() {
        let v = u8x16::new(<[u8; 16]>::try_from(part).unwrap_or_default());
        d |= u64::from(v.cmp_eq(delims).move_mask() as u16) << (16 * k);
        nl |= u64::from(v.cmp_eq(ends).move_mask() as u16) << (16 * k);
    }
    (d, nl)
}

/// [`marks`] of fewer than [`SCAN`] bytes, none past them.
#[cold]
fn last_marks(rest: &[u8], delims: u8x16, ends: u8x16) -> (u64, u64) {
    let mut w = [0u8; SCAN];
    let n = rest.len().min(SCAN);
    w[..n].copy_from_slice(&rest[..n]);
    let inside = u64::MAX >> (SCAN - n);
    let (d, nl) = marks(&w, delims, ends);
    (d & inside, nl & inside)
}

/// A one in each byte of a word.
pub(super) const BYTES: u64 = 0x0101_0101_0101_0101;

/// The bytes of `x` equal to the byte repeated in `b`: the high bit of each such byte set, of
/// no other. A byte of `x ^ b` is zero where they are equal; adding 0x7f to its low seven bits
/// sets its high bit unless they are zero (with no carry into the next byte), and or-ing the
/// byte itself sets it if its own high bit is set.
pub(super) fn equal_bytes(x: u64, b: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let d = x ^ b;
    !(((d & LOW7) + LOW7) | d) & (BYTES << 7)
}

/// The record of `text` and its fields, with the `\r` of a CRLF line end dropped from the last
/// field; a line holding only that `\r` is blank.
fn finish<'a>(text: &'a [u8], spans: &'a mut [(u32, u32)]) -> Split<'a> {
    let n = spans.len();
    if let Some(last) = spans.last_mut() {
        if last.1 > last.0 && text[last.1 as usize - 1] == b'\r' {
            if n == 1 && last.1 - last.0 == 1 {
                return Split::Blank;
            }
            last.1 -= 1;
        }
    }
    Split::Fields(Record { text, spans })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(delim: u8, line: &[u8]) -> Option<Vec<Vec<u8>>> {
        let mut s = Splitter::new(delim);
        match s.split(line) {
            Split::Blank => Some(Vec::new()),
            Split::Fields(r) => Some(r.iter().map(<[u8]>::to_vec).collect()),
            Split::Irregular => None,
        }
    }

    /// What the csv crate reads from one line (ended by `\n`), with the `\r` dropped as the
    /// readers of this layer drop it: the reference the splitter must agree with.
    fn csv_fields(delim: u8, line: &[u8]) -> Vec<Vec<u8>> {
        let mut text = line.to_vec();
        text.push(b'\n');
        let mut rdr = super::super::lines::builder()
            .has_headers(false)
            .flexible(true)
            .delimiter(delim)
            .from_reader(&text[..]);
        let mut rec = csv::ByteRecord::new();
        if !rdr.read_byte_record(&mut rec).unwrap_or(false) {
            return Vec::new();
        }
        if super::super::lines::strip_cr(&mut rec) {
            return Vec::new();
        }
        rec.iter().map(<[u8]>::to_vec).collect()
    }

    #[test]
    fn fields_are_those_of_the_csv_crate() {
        let lines: &[&[u8]] = &[
            b"2025/03/02 14:00:00.000, 0, NVIDIA A100, 251.37 W, 90 %",
            b"a,,b,",
            b",",
            b"x",
            b"a,b\r",
            b"\"a,b\",c",
            b"\"a\"\"b\",\"\"",
            b"a,\"b\"\r",
            b"\"\",\"\",",
            b"1740924000,package-0,1000000,262143328850",
            b"  ,\t",
            b"a\r,b",
            b"ab\"c,d",
            b"\"a\"b,c",
            b"a, \"b\"",
            b"\"a\"\"\"x\"y,z",
            b"a,\"b\r\"",
            b"\"\r\"",
            b"\"abc\"\r",
            b"a,\"b\"\r\r",
            b"\"\"",
        ];
        for l in lines {
            let got = fields(b',', l).unwrap_or_else(|| panic!("{:?} irregular", l));
            assert_eq!(got, csv_fields(b',', l), "{}", String::from_utf8_lossy(l));
        }
        let semi: &[u8] = b"rapl_consumed_energy_J;2025-03-02T14:00:01.000000000Z;61.8;cpu_package;0;local_machine;;package;";
        assert_eq!(fields(b';', semi), Some(csv_fields(b';', semi)));
        assert_eq!(fields(b',', b""), Some(Vec::new()));
        assert_eq!(fields(b',', b"\r"), Some(Vec::new()));
    }

    #[test]
    fn a_quote_left_open_is_left_to_the_csv_crate() {
        for l in [&b"\"open,d"[..], b"a,\"b", b"a,\"b\"\"", b"\""] {
            assert!(fields(b',', l).is_none(), "{}", String::from_utf8_lossy(l));
        }
    }

    #[test]
    fn equal_bytes_marks_exactly_the_equal_bytes() {
        for b in [0u8, b',', b'"', 0x7f, 0x80, 0xff] {
            for x in [
                [b; 8],
                [0, 1, b, 0x80, 0x7f, 0xff, b ^ 1, b],
                [b, 0, 0, 0, 0, 0, 0, 0],
            ] {
                let m = equal_bytes(u64::from_le_bytes(x), BYTES * u64::from(b));
                for (i, &c) in x.iter().enumerate() {
                    assert_eq!((m >> (8 * i + 7)) & 1 == 1, c == b, "{x:?} {b}");
                }
                assert_eq!(m & !(BYTES << 7), 0);
            }
        }
    }

    #[test]
    fn a_record_gives_its_fields_as_a_byte_record_does() {
        let mut s = Splitter::new(b',');
        let Split::Fields(r) = s.split(b"a,bc,") else {
            panic!("not split")
        };
        assert_eq!(r.len(), 3);
        assert_eq!(r.get(1), Some(&b"bc"[..]));
        assert_eq!(&r[0], b"a");
        assert_eq!(r.get(2), Some(&b""[..]));
        assert_eq!(r.get(3), None);
        let mut spans = Vec::new();
        let mut csv_rec = csv::ByteRecord::new();
        csv_rec.push_field(b"a");
        csv_rec.push_field(b"");
        csv_rec.push_field(b"xyz");
        let c = Record::of_csv(&csv_rec, &mut spans);
        assert_eq!(c.iter().collect::<Vec<_>>(), vec![&b"a"[..], b"", b"xyz"]);
    }

    #[test]
    fn the_last_bytes_of_a_line_split_as_a_word() {
        // one to seven bytes after the last whole word, a delimiter in any of them; a zero
        // delimiter: the bytes past the line are not delimiters
        for tail in 1..8 {
            for at in 0..tail {
                let mut line = b"12345678".to_vec();
                line.extend(std::iter::repeat_n(b'x', tail));
                line[8 + at] = b',';
                assert_eq!(
                    fields(b',', &line),
                    Some(csv_fields(b',', &line)),
                    "{tail} {at}"
                );
                let zero: Vec<u8> = line
                    .iter()
                    .map(|&c| if c == b',' { 0 } else { c })
                    .collect();
                let mut s = Splitter::new(0);
                let Split::Fields(r) = s.split_known(&zero, false) else {
                    panic!("not split")
                };
                assert_eq!(r.len(), 2, "{tail} {at}");
                assert_eq!(r.get(1).map(<[u8]>::len), Some(tail - at - 1));
            }
        }
    }

    /// A line's fields (None: blank), or its length.
    type Lines = Option<Vec<Vec<u8>>>;

    /// The lines of `data` as [`Splitter::split_lines`] gives them, and as
    /// [`Splitter::split_known`] gives each line cut at its line end.
    fn both_ways(delim: u8, data: &[u8]) -> (Vec<Lines>, Vec<Lines>) {
        let fields = |s: Split<'_>| match s {
            Split::Blank => None,
            Split::Fields(r) => Some(r.iter().map(<[u8]>::to_vec).collect()),
            Split::Irregular => Some(vec![b"irregular".to_vec()]),
        };
        let mut s = Splitter::new(delim);
        let mut one_pass = Vec::new();
        let broke = s.split_lines(data, |rec, n| {
            one_pass.push(fields(rec));
            one_pass.push(Some(vec![n.to_string().into_bytes()]));
            Ok::<_, ()>(ControlFlow::Continue(()))
        });
        assert_eq!(broke, Ok(false));
        let mut by_line = Vec::new();
        let lines = data.strip_suffix(b"\n").unwrap_or(data);
        for l in lines.split(|&c| c == b'\n') {
            by_line.push(fields(s.split_known(l, false)));
            by_line.push(Some(vec![l.len().to_string().into_bytes()]));
        }
        (one_pass, by_line)
    }

    #[test]
    fn a_line_end_or_a_delimiter_at_every_place_of_a_word() {
        for len in (1..=24).chain(56..=72).chain(120..=136) {
            for at in 0..len {
                for c in [b'\n', b',', b'\r'] {
                    let mut data: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
                    data[at] = c;
                    data.push(b'\n');
                    let (got, want) = both_ways(b',', &data);
                    assert_eq!(got, want, "{len} {at} {c}");
                }
            }
        }
        // blank lines, CRLF, a zero delimiter past the data's end
        let (got, want) = both_ways(b',', b"\n\n\r\na,b\r\n,\n");
        assert_eq!(got, want);
        let (got, want) = both_ways(0, b"a\0b\nc\n");
        assert_eq!(got, want);
        assert_eq!(got.len(), 4);
    }

    #[test]
    fn the_lines_stop_where_told() {
        let mut s = Splitter::new(b',');
        let mut seen = 0;
        let broke = s.split_lines(b"a,b\nc\nd\n", |_, _| {
            seen += 1;
            Ok::<_, ()>(if seen == 2 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            })
        });
        assert_eq!((broke, seen), (Ok(true), 2));
    }

    proptest::proptest! {
        /// Any line of these bytes: the fields of the csv crate, or irregular where the csv
        /// crate's record goes on past the line end.
        #[test]
        fn any_line_splits_as_the_csv_crate_reads_it(
            line in proptest::collection::vec(proptest::sample::select(b"a,;\"\r x".to_vec()), 0..40)
        ) {
            if !line.contains(&b'"') {
                let mut s = Splitter::new(b',');
                let known = match s.split_known(&line, false) {
                    Split::Fields(r) => Some(r.iter().map(<[u8]>::to_vec).collect()),
                    Split::Blank => Some(Vec::new()),
                    Split::Irregular => None,
                };
                proptest::prop_assert_eq!(known, fields(b',', &line));
            }
            match fields(b',', &line) {
                Some(f) => proptest::prop_assert_eq!(f, csv_fields(b',', &line)),
                None => {
                    let mut text = line.clone();
                    text.extend_from_slice(b"\nnext\n");
                    let mut rdr = super::super::lines::builder()
                        .has_headers(false)
                        .flexible(true)
                        .from_reader(&text[..]);
                    let mut rec = csv::ByteRecord::new();
                    proptest::prop_assert!(rdr.read_byte_record(&mut rec).unwrap_or(false));
                    proptest::prop_assert!(rec.iter().any(|f| f.contains(&b'\n')));
                }
            }
        }

        /// Any lines without quotes: in one pass as line by line.
        #[test]
        fn lines_split_in_one_pass_as_line_by_line(
            data in proptest::collection::vec(proptest::sample::select(b"a,;\r x\n".to_vec()), 0..200)
        ) {
            let mut data = data;
            data.push(b'\n');
            let (got, want) = both_ways(b',', &data);
            proptest::prop_assert_eq!(got, want);
        }
    }
}
