//! Reading a user's text file with bounds: at most `max_bytes` are ever read (so `/dev/zero`, a
//! FIFO or a sparse multi-gigabyte file cost no more than the cap), no line longer than
//! [`MAX_LINE_BYTES`], a leading UTF-8 byte-order mark dropped, and bytes that are not UTF-8
//! located by line and byte offset.

use crate::error::{Diagnostic, Error, ErrorKind, Result};
use std::io::Read;
use std::path::Path;

/// The largest scenario mlca reads: hand-written scenarios are a few kilobytes.
pub const MAX_SCENARIO_BYTES: u64 = 4 * 1024 * 1024;
/// The largest impact data file read from `--data DIR` (the embedded `cpus.csv` is 340 kB).
pub const MAX_DATA_BYTES: u64 = 16 * 1024 * 1024;
/// The longest line of a scenario or data file.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

fn mib(n: u64) -> String {
    if n >= 1024 * 1024 {
        format!("{} MiB", n / (1024 * 1024))
    } else {
        format!("{n} bytes")
    }
}

/// The text of `path` (`what` names it in errors: "scenario", "impact data file"), or an input
/// error naming the file and, for a line too long or bytes not UTF-8, the line.
pub fn read_text(path: &Path, what: &str, max_bytes: u64) -> Result<String> {
    decode(read_bytes(path, what, max_bytes)?, path, what)
}

/// The bytes of `path`, at most `max_bytes` of them (more is an error naming the file), for a
/// file whose encoding the caller decodes.
pub fn read_bytes(path: &Path, what: &str, max_bytes: u64) -> Result<Vec<u8>> {
    let io = |source: std::io::Error| -> Error {
        let message = format!("cannot read the {what}: {source}");
        Diagnostic::of(ErrorKind::Io {
            path: path.to_path_buf(),
            source,
        })
        .message(message)
        .file(path)
        .hint("check the path")
        .into()
    };
    let too_big = |size: String| -> Error {
        Diagnostic::new(format!(
            "the {what} is larger than {}{size}, the most mlca reads",
            mib(max_bytes)
        ))
        .file(path)
        .hint("give the file itself, not a device, log or archive; a scenario is a few kilobytes of YAML")
        .into()
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(io(std::io::Error::other("it is a directory")));
    }
    if meta.is_file() && meta.len() > max_bytes {
        return Err(too_big(format!(" ({} bytes)", meta.len())));
    }
    // a device or FIFO has no meaningful size: read one byte more than the cap to tell
    let mut bytes = Vec::new();
    file.take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_big(String::new()));
    }
    Ok(bytes)
}

/// Bytes to text: the byte-order mark dropped, lines bounded, bytes that are not UTF-8 located.
pub fn decode(mut bytes: Vec<u8>, path: &Path, what: &str) -> Result<String> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    let mut line = 1usize;
    let mut start = 0usize;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' {
            line += 1;
            start = i + 1;
        } else if i - start >= MAX_LINE_BYTES {
            let mut d = Diagnostic::new(format!(
                "line {line} of the {what} is longer than {MAX_LINE_BYTES} bytes"
            ))
            .file(path)
            .hint("a scenario or data file has short lines; is this the right file?");
            d.line = Some(line);
            return Err(d.into());
        }
    }
    String::from_utf8(bytes).map_err(|e| {
        let bad = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let before = &bytes[..bad];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        let byte = bad - line_start + 1;
        let mut d = Diagnostic::new(format!(
            "the {what} is not UTF-8 text: line {line}, byte {byte}: not UTF-8"
        ))
        .file(path)
        .hint("save the file as UTF-8");
        d.line = Some(line);
        d.column = Some(byte);
        Error::from(d)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(bytes: &[u8]) -> String {
        decode(bytes.to_vec(), Path::new("s.yaml"), "scenario")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn bom_is_dropped() {
        let t = decode(b"\xEF\xBB\xBFa: 1\n".to_vec(), Path::new("s"), "scenario");
        assert_eq!(t.ok().as_deref(), Some("a: 1\n"));
    }

    #[test]
    fn invalid_utf8_is_located() {
        let e = err(b"a: 1\nb: x\xFFy\n");
        assert!(e.contains("line 2, byte 5: not UTF-8"), "{e}");
        assert!(e.contains("s.yaml:2:5"), "{e}");
    }

    #[test]
    fn long_lines_are_refused() {
        let e = err(&vec![b'a'; MAX_LINE_BYTES + 1]);
        assert!(e.contains("line 1 of the scenario is longer"), "{e}");
    }

    #[test]
    fn devices_are_bounded() {
        if Path::new("/dev/zero").exists() {
            let e = read_text(Path::new("/dev/zero"), "scenario", 1024)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(e.contains("larger than 1024 bytes, the most"), "{e}");
        }
    }
}
