//! The parallel reading of a trace file: the file is cut at line ends into pieces
//! ([`piece_bytes`]: more pieces than threads, from 256 KiB to [`PIECE_BYTES`]), read by the
//! threads (one per [`THREAD_BYTES`] of file at most: [`reader_threads`]) in turn ([`pool`]: each takes the next piece, at most a few pieces ahead of the
//! merge); each piece is streamed into per-device states of fixed size
//! ([`super::integrate::Device`]), and the states are merged in file order, the lines of each
//! piece shifted to the file's. The sums are exact, so the figures do not depend on the cut nor
//! on the threads. Progress (bytes read, file size) goes to the options' callback while the
//! pieces are read. A piece keeps as gap candidates only the intervals above a running bound;
//! when a device let go an interval that its threshold, known at the end, would call a gap,
//! the file is read a second time with each device's threshold (see [`super::candidates`]).

use super::candidates::exact_thresholds;
use super::devices::same_key;
use super::first::origin_of;
use super::formats::{DeviceInfo, Raw, Reader, Row, RowNotes};
use super::integrate::{Bootstrap, Ctx, Device, RowError, Rows, Window};
use super::lines::{self, Bounded, MAX_LINE_BYTES};
use super::piece::{read_piece, Piece, Source};
use super::pool;
use super::record::Record;
use super::summary::finish;
use super::{file_error, line_of, row_error, TraceOptions, TraceSummary};
use crate::error::Result;
use crate::quantity::time::Stamp;
use std::collections::BTreeMap;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// The largest piece, bytes (8 MiB).
pub const PIECE_BYTES: u64 = 8 << 20;

/// The smallest piece a file is cut into by default, bytes (256 KiB): a smaller one would cost
/// more in handing it over than in reading it.
pub const MIN_PIECE_BYTES: u64 = 256 << 10;

/// Pieces a thread reads, on average, when the file is cut by default: the threads end
/// together even when one of them is slowed down by other work.
const PIECES_PER_THREAD: u64 = 4;

/// The size of the pieces a file of `size` bytes read by `threads` threads is cut into: the
/// size given, else [`PIECES_PER_THREAD`] pieces a thread (one thread alone has none to end
/// with: the file is one piece), from [`MIN_PIECE_BYTES`] to [`PIECE_BYTES`].
pub fn piece_bytes(given: Option<u64>, size: u64, threads: usize) -> u64 {
    given.unwrap_or_else(|| {
        let pieces = match threads {
            0 | 1 => 1,
            n => n as u64 * PIECES_PER_THREAD,
        };
        (size / pieces).clamp(MIN_PIECE_BYTES, PIECE_BYTES)
    })
}

/// The bytes of file a reader thread is started for (4 MiB): a thread costs about 0.4 ms of
/// CPU (its start, stack, allocation arena and block buffer, about 50 to 100 new pages), which
/// a file of a few MiB does not win back. Measured on the 2-core machine, shared with other
/// builds (load average 3.6 to 5.6; `mlca trace summary` of nvidia-smi traces, median wall
/// and CPU time, 1 thread / 2 threads): 0.5 MB 3.7 / 4.1 ms, CPU 3.3 / 3.6 ms; 1 MB 5.7 /
/// 5.7 ms, CPU 4.1 / 4.6 ms; 2 MB 7.9 / 8.3 ms, CPU 6.7 / 7.2 ms; 4 MB 10.7 / 12.3 ms (the
/// fastest runs 9.4 / 8.2 ms); 16 MB 41.5 / 40.7 ms (fastest 34.6 / 23.1 ms).
pub const THREAD_BYTES: u64 = 4 << 20;

/// The reader threads for a file of `size` bytes: those asked for (`threads`, the cores by
/// default), at most one per [`THREAD_BYTES`] begun; when the pieces' size is given (tests of
/// the cut), the threads asked for.
pub fn reader_threads(given: Option<u64>, size: u64, threads: usize) -> usize {
    match given {
        Some(_) => threads.max(1),
        None => {
            let most = usize::try_from(size.div_ceil(THREAD_BYTES)).unwrap_or(usize::MAX);
            threads.min(most).max(1)
        }
    }
}

/// Byte offsets that cut `[0, size)` into pieces of about `piece` bytes at line ends. A cut
/// with no line end within [`MAX_LINE_BYTES`] is not made (that piece reports the long line).
fn split_points(path: &Path, size: u64, piece: u64) -> std::io::Result<Vec<u64>> {
    let mut cuts = vec![0];
    let piece = piece.max(1);
    let mut f = std::fs::File::open(path)?;
    let mut buf = vec![0u8; 64 * 1024];
    let mut target = piece;
    while target < size {
        f.seek(SeekFrom::Start(target))?;
        let mut pos = target;
        let mut found = false;
        while pos - target <= MAX_LINE_BYTES {
            let got = f.read(&mut buf)?;
            if got == 0 {
                break;
            }
            if let Some(i) = buf[..got].iter().position(|&c| c == b'\n') {
                pos += i as u64 + 1;
                found = true;
                break;
            }
            pos += got as u64;
        }
        if !found || pos >= size {
            break;
        }
        cuts.push(pos);
        target = (pos + piece).max(target + piece);
    }
    cuts.push(size);
    Ok(cuts)
}

pub(super) struct Entry {
    pub(super) key: [Vec<u8>; 4],
    pub(super) device: Device,
    pub(super) label: Option<String>,
    /// Line of first appearance, in this piece.
    pub(super) first_row: u64,
}

impl Entry {
    /// A device read from its first line `first_row` (the formats read in one pass).
    pub(super) fn new(
        key: [Vec<u8>; 4],
        device: Device,
        label: Option<String>,
        first_row: u64,
    ) -> Self {
        Entry {
            key,
            device,
            label,
            first_row,
        }
    }
}

pub(super) fn read_with(
    path: &Path,
    size: u64,
    reader: &dyn Reader,
    has_header: bool,
    opts: &TraceOptions,
) -> Result<TraceSummary> {
    let origin_stamp = match origin_of(path, reader, has_header)? {
        Ok(s) => s,
        Err(none) => return Err(none.error(path, reader, has_header)),
    };
    let origin = origin_stamp.secs;
    let (ctx, bins) = context(path, opts, origin_stamp, &mut || {
        last_stamp(path, size, reader, has_header)
    })?;

    let threads = reader_threads(opts.piece_bytes, size, opts.threads);
    let piece = piece_bytes(opts.piece_bytes, size, threads);
    let cuts = split_points(path, size, piece)
        .map_err(|e| file_error(path, format!("cannot read the trace: {e}"), ""))?;
    let ranges: Vec<(u64, u64)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
    let progress = AtomicU64::new(0);
    let files = Files {
        path,
        reader,
        has_header,
        origin,
        ranges: &ranges,
        progress: &progress,
    };
    let ctx = Ctx {
        bootstrap: Bootstrap::Bound,
        ..ctx
    };
    let mut all = read_pieces(&files, &ctx, threads, opts)?;
    // a device whose candidates may miss a gap: the file again, with each device's threshold
    let devices = all.merged.iter().map(|(e, _)| &e.device);
    if let Some(exact) = exact_thresholds(devices, ctx.candidate_s) {
        let again = Ctx {
            bootstrap: Bootstrap::Exact(exact),
            ..ctx.clone()
        };
        all = read_pieces(&files, &again, threads, opts)?;
    }
    if let Some(p) = &opts.progress {
        p.report(path, size, size);
    }
    let Merged {
        mut merged,
        rows,
        missing,
        skipped,
    } = all;
    if merged.is_empty() {
        return Err(file_error(
            path,
            format!(
                "{}: no power or energy sample in the file ({rows} rows)",
                reader.format().key()
            ),
            "check the format and, for Kwollect, the metric",
        ));
    }
    merged.sort_by_key(|(_, r)| *r);
    let entries: Vec<(Entry, DeviceInfo)> = merged
        .into_iter()
        .map(|(e, _)| {
            let k: [&[u8]; 4] = [&e.key[0], &e.key[1], &e.key[2], &e.key[3]];
            let info = reader.info(&k);
            (e, info)
        })
        .collect();
    finish(
        path,
        reader.format(),
        entries,
        rows,
        missing,
        skipped,
        reader.assumptions(),
        opts,
        &ctx,
        origin,
        &bins,
    )
}

/// The file, its pieces and the bytes read so far (a second read counts on).
struct Files<'a> {
    path: &'a Path,
    reader: &'a dyn Reader,
    has_header: bool,
    origin: i64,
    ranges: &'a [(u64, u64)],
    progress: &'a AtomicU64,
}

/// The devices of a file (with the line of their first sample), its rows, and the rows
/// missing or skipped.
struct Merged {
    merged: Vec<(Entry, u64)>,
    rows: u64,
    missing: Rows,
    skipped: BTreeMap<&'static str, Rows>,
}

/// Read the pieces of the file on the threads and merge them in file order.
fn read_pieces(files: &Files, ctx: &Ctx, threads: usize, opts: &TraceOptions) -> Result<Merged> {
    let size = files.ranges.last().map_or(0, |r| r.1);
    let src = Source {
        path: files.path,
        reader: files.reader,
        has_header: files.has_header,
        ctx,
        origin: files.origin,
        progress: files.progress,
    };
    let (path, ranges, progress) = (files.path, files.ranges, files.progress);
    let read = |k: usize, line0: u64| read_piece(&src, ranges[k], line0);
    // Merge in file order, turning each piece's lines into the file's.
    let mut offset = 0u64;
    let mut merged: Vec<(Entry, u64)> = Vec::new();
    let mut rows = 0u64;
    let mut missing = Rows::default();
    let mut skipped: BTreeMap<&'static str, Rows> = BTreeMap::new();
    let mut merge = |k: usize, r: std::result::Result<Piece, RowError>| -> Result<()> {
        let mut piece = match r {
            Ok(p) => p,
            Err(_) => {
                // read the piece again, numbered from its true first line
                let e = match read(k, offset) {
                    Err(e) => e,
                    Ok(_) => RowError {
                        row: offset,
                        message: "a piece of the trace read differently twice".into(),
                        hint: None,
                    },
                };
                let text = line_of(path, e.row);
                return Err(row_error(path, e, text.as_deref()));
            }
        };
        rows += piece.records;
        piece.missing.shift(offset);
        missing.merge(&piece.missing);
        for (k, mut v) in std::mem::take(&mut piece.skipped) {
            v.shift(offset);
            skipped.entry(k).or_default().merge(&v);
        }
        for mut e in piece.entries {
            e.device.shift_rows(offset);
            let first_row = e.first_row + offset;
            match merged.iter_mut().find(|(m, _)| same_key(&m.key, &e.key)) {
                Some((m, _)) => {
                    if let Err(err) = m.device.merge(e.device, ctx) {
                        let text = line_of(path, err.row);
                        return Err(row_error(path, err, text.as_deref()));
                    }
                    if m.label.is_none() {
                        m.label = e.label;
                    }
                }
                None => merged.push((e, first_row)),
            }
        }
        offset += piece.lines;
        Ok(())
    };
    let tick = || {
        if let Some(p) = &opts.progress {
            p.report(path, progress.load(Ordering::Relaxed).min(size), size);
        }
    };
    pool::in_order(
        ranges.len(),
        threads,
        &|k| read(k, 0),
        &mut merge,
        &tick,
        opts.progress.is_some(),
    )?;
    Ok(Merged {
        merged,
        rows,
        missing,
        skipped,
    })
}

/// The window, idle segment and checkpoints of a read, in seconds from the trace's first
/// sample `origin_stamp`; `last` gives the trace's last time when the power bins need it.
pub(super) fn context(
    path: &Path,
    opts: &TraceOptions,
    origin_stamp: Stamp,
    last: &mut dyn FnMut() -> Result<Option<Stamp>>,
) -> Result<(Ctx, Bins)> {
    let origin = origin_stamp.secs;
    let rel = |s: Option<Stamp>, dflt: f64| s.map_or(dflt, |s| s.since(origin));
    let window = Window {
        start: rel(opts.start, f64::NEG_INFINITY),
        end: rel(opts.end, f64::INFINITY),
    };
    if window.end <= window.start {
        return Err(file_error(
            path,
            "the window ends before it starts",
            "check start and end",
        ));
    }
    let idle = match (opts.idle_start, opts.idle_end) {
        (Some(a), Some(b)) => Some(Window {
            start: a.since(origin),
            end: b.since(origin),
        }),
        (None, None) => None,
        _ => {
            return Err(file_error(
                path,
                "an idle segment needs both idle_start and idle_end",
                "give both times, or idle_power_w",
            ))
        }
    };
    let user = opts
        .checkpoints
        .as_ref()
        .map(|c| c.iter().map(|s| s.since(origin)).collect::<Vec<f64>>());
    let power = match opts.power_bins {
        Some(n) if n > 0 => power_checkpoints(opts, origin_stamp, n, last)?,
        _ => None,
    };
    let (checkpoints, bins) = merge_checkpoints(user, power, origin);
    let time = opts
        .time_bins
        .as_ref()
        .map(|e| e.iter().map(|s| s.since(origin)).collect::<Vec<f64>>());
    let (checkpoints, bins) = add_time_bins(checkpoints, bins, time);
    let ctx = Ctx {
        window,
        idle,
        candidate_s: opts.gap_threshold_s,
        checkpoints,
        bootstrap: Bootstrap::KeepFirst,
    };
    Ok((ctx, bins))
}

/// Where the caller's checkpoints and the even power bins are in the merged list, and the
/// width of a power bin, s.
#[derive(Default)]
pub(super) struct Bins {
    pub user: Option<Vec<usize>>,
    pub power: Option<Vec<usize>>,
    pub power_bin_s: Option<f64>,
    /// The places of the time bins' edges (`TraceOptions::time_bins`).
    pub time: Option<Vec<usize>>,
}

impl Bins {
    /// Energy between consecutive points of one list, J, from the bins of the merged list.
    pub fn regroup(idx: &Option<Vec<usize>>, merged: &[f64]) -> Vec<f64> {
        match idx {
            Some(idx) if !merged.is_empty() => idx
                .windows(2)
                .map(|w| {
                    if w[1] == w[0] + 1 {
                        merged[w[0]]
                    } else {
                        merged[w[0]..w[1]].iter().sum()
                    }
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// `n` even power bins over the window, or over the file's span (its first data row to the
/// last rows of its end) when the window is open: the checkpoints and the bin width, s.
fn power_checkpoints(
    opts: &TraceOptions,
    first: Stamp,
    n: usize,
    last: &mut dyn FnMut() -> Result<Option<Stamp>>,
) -> Result<Option<(Vec<f64>, f64)>> {
    let a = opts.start.unwrap_or(first);
    let b = match opts.end {
        Some(b) => b,
        None => match last()? {
            Some(b) => b,
            None => return Ok(None),
        },
    };
    let len = b.since(a.secs) - a.frac;
    if len <= 0.0 {
        return Ok(None);
    }
    let cps = (0..=n)
        .map(|k| {
            Stamp::from_f64(a.secs as f64 + a.frac + len * k as f64 / n as f64).since(first.secs)
        })
        .collect();
    Ok(Some((cps, len / n as f64)))
}

/// The latest time in the last 64 KiB of the file (rows that do not read are passed over).
fn last_stamp(
    path: &Path,
    size: u64,
    reader: &dyn Reader,
    has_header: bool,
) -> Result<Option<Stamp>> {
    let io = |e: std::io::Error| file_error(path, format!("cannot read the trace: {e}"), "");
    let from = size.saturating_sub(64 << 10);
    let mut f = std::fs::File::open(path).map_err(io)?;
    f.seek(SeekFrom::Start(from)).map_err(io)?;
    let mut rdr = lines::builder()
        .has_headers(false)
        .flexible(true)
        .delimiter(reader.delimiter())
        .from_reader(Bounded::new(BufReader::new(f.take(64 << 10))));
    let mut rec = csv::ByteRecord::new();
    let mut spans = Vec::new();
    // the first line is cut (or is the header)
    let mut skip = from > 0 || has_header;
    let mut last: Option<Stamp> = None;
    while rdr.read_byte_record(&mut rec).unwrap_or(false) {
        if lines::strip_cr(&mut rec) {
            continue;
        }
        if std::mem::take(&mut skip) || rec.len() != reader.width() {
            continue;
        }
        let mut notes = RowNotes::default();
        let at = Row {
            rec: &Record::of_csv(&rec, &mut spans),
            row: 0,
            notes: &mut notes,
        };
        let _ = reader.read(at, &mut |r: Raw| {
            if last.is_none_or(|l| r.t.since(l.secs) > l.frac) {
                last = Some(r.t);
            }
            Ok(())
        });
    }
    Ok(last)
}

/// One increasing list of checkpoints from the caller's and the power bins' (each as given when
/// alone), with the place of each list's points in it.
fn merge_checkpoints(
    user: Option<Vec<f64>>,
    power: Option<(Vec<f64>, f64)>,
    _origin: i64,
) -> (Option<Vec<f64>>, Bins) {
    let power_bin_s = power.as_ref().map(|p| p.1);
    match (user, power) {
        (None, None) => (None, Bins::default()),
        (Some(u), None) => {
            let idx = (0..u.len()).collect();
            (
                Some(u),
                Bins {
                    user: Some(idx),
                    power: None,
                    power_bin_s,
                    time: None,
                },
            )
        }
        (None, Some((p, _))) => {
            let idx = (0..p.len()).collect();
            (
                Some(p),
                Bins {
                    user: None,
                    power: Some(idx),
                    power_bin_s,
                    time: None,
                },
            )
        }
        (Some(u), Some((p, _))) => {
            let mut all: Vec<f64> = u.iter().chain(p.iter()).copied().collect();
            all.sort_by(f64::total_cmp);
            all.dedup();
            let place = |l: &[f64]| l.iter().map(|t| all.partition_point(|v| v < t)).collect();
            let bins = Bins {
                user: Some(place(&u)),
                power: Some(place(&p)),
                power_bin_s,
                time: None,
            };
            (Some(all), bins)
        }
    }
}

/// The merged checkpoints with the edges of the time bins added (`extra`, increasing), the
/// places of the other lists moved to the new merged list.
fn add_time_bins(
    merged: Option<Vec<f64>>,
    mut bins: Bins,
    extra: Option<Vec<f64>>,
) -> (Option<Vec<f64>>, Bins) {
    let Some(extra) = extra else {
        return (merged, bins);
    };
    let old = merged.unwrap_or_default();
    let mut all: Vec<f64> = old.iter().chain(extra.iter()).copied().collect();
    all.sort_by(f64::total_cmp);
    all.dedup();
    let place = |t: f64| all.partition_point(|v| *v < t);
    let moved = |idx: Option<Vec<usize>>| {
        idx.map(|v| {
            v.into_iter()
                .filter_map(|i| old.get(i).map(|t| place(*t)))
                .collect()
        })
    };
    bins.user = moved(bins.user.take());
    bins.power = moved(bins.power.take());
    bins.time = Some(extra.iter().map(|t| place(*t)).collect());
    (Some(all), bins)
}

#[cfg(test)]
mod tests {
    use super::{piece_bytes, reader_threads, MIN_PIECE_BYTES, PIECE_BYTES, THREAD_BYTES};
    use crate::energy::trace::{read, TraceOptions};

    #[test]
    fn one_piece_for_one_thread_four_a_thread_for_more() {
        // one thread: the file whole, within 256 KiB to 8 MiB
        assert_eq!(piece_bytes(None, 1_000_000, 1), 1_000_000);
        assert_eq!(piece_bytes(None, 1_000, 1), MIN_PIECE_BYTES);
        assert_eq!(piece_bytes(None, 100 << 20, 1), PIECE_BYTES);
        // two threads: 16 MB / 8 = 2 MB; the size given is kept
        assert_eq!(piece_bytes(None, 16_000_000, 2), 2_000_000);
        assert_eq!(piece_bytes(None, 1_000_000, 2), MIN_PIECE_BYTES);
        assert_eq!(piece_bytes(Some(4096), 16_000_000, 2), 4096);
    }

    #[test]
    fn a_thread_per_four_mib_begun_at_most_those_asked_for() {
        assert_eq!(reader_threads(None, 0, 2), 1);
        assert_eq!(reader_threads(None, 1_000_000, 2), 1);
        assert_eq!(reader_threads(None, THREAD_BYTES, 8), 1);
        assert_eq!(reader_threads(None, THREAD_BYTES + 1, 8), 2);
        assert_eq!(reader_threads(None, 16_000_000, 2), 2);
        assert_eq!(reader_threads(None, 16_000_000, 8), 4);
        assert_eq!(reader_threads(None, 100 << 20, 8), 8);
        assert_eq!(reader_threads(None, 100 << 20, 0), 1);
        // pieces given: the threads asked for, however small the file
        assert_eq!(reader_threads(Some(4096), 1000, 3), 3);
    }

    /// Two GPUs: 200 samples 10 s apart, then 1 s apart with an interval of 3 to 25 s every
    /// 97 samples. The file's median is 1 s (gaps: above about 5.06 s), so every interval of
    /// the start is a gap, which the first piece, sampled at 10 s, would not keep by itself.
    fn trace() -> (tempfile::NamedTempFile, Vec<f64>) {
        let mut text = "timestamp, index, name, power.draw [W]\n".to_string();
        let mut t = 1_740_924_000u64;
        let mut steps = Vec::new();
        for i in 0..4000u64 {
            let step = if i < 200 {
                10
            } else if i % 97 == 0 {
                [3, 4, 6, 7, 12, 25][(i / 97 % 6) as usize]
            } else {
                1
            };
            t += step;
            if i > 0 {
                steps.push(step as f64);
            }
            for g in 0..2 {
                let w = 100.0 + ((i * 7 + g * 13) % 200) as f64 * 0.37;
                text.push_str(&format!("{t}, {g}, NVIDIA A100, {w:.2} W\n"));
            }
        }
        let f = tempfile::NamedTempFile::new().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(f.path(), text).unwrap_or_else(|e| panic!("{e}"));
        (f, steps)
    }

    #[test]
    fn a_first_piece_sampled_slower_reports_the_gaps_of_the_whole() {
        let (f, steps) = trace();
        let summary = |threads: usize, piece: u64| {
            let o = TraceOptions {
                threads,
                piece_bytes: Some(piece),
                ..TraceOptions::default()
            };
            read(f.path(), &o).unwrap_or_else(|e| panic!("{e}"))
        };
        let whole = summary(1, 1 << 30);
        // the gaps are every interval above the threshold, in file order
        for d in &whole.devices {
            let t = d.gap_threshold_s.unwrap_or(f64::INFINITY);
            assert!((t - 5.058).abs() < 0.01, "{t}");
            let want: Vec<f64> = steps.iter().copied().filter(|&s| s > t).collect();
            let got: Vec<f64> = d.gaps.iter().map(|g| g.duration_s).collect();
            assert_eq!(got, want, "{}", d.device);
            // by hand: 199 intervals of 10 s, and 27 of the 39 inserted ones (6, 7, 12 or 25 s)
            assert_eq!(want.len(), 199 + 27);
        }
        let json = serde_json::to_string(&whole).unwrap_or_else(|e| panic!("{e}"));
        for piece in [700, 2_000, 4_096, 9_999, 30_000, 64 << 10] {
            for threads in [1, 3] {
                let s = serde_json::to_string(&summary(threads, piece))
                    .unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(s, json, "{threads} threads, pieces of {piece} bytes");
            }
        }
    }
}
