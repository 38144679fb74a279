//! Writing an output file without ever losing one.
//!
//! - A regular file (new or existing) is written through a temporary file in the same directory,
//!   renamed over it at the end: a failure leaves the old file, or none, never a partial one.
//! - A symbolic link is followed and its target written that way; the link stays a link.
//! - Anything else that exists (a device such as `/dev/stdout` or `/dev/null`, a FIFO, a socket)
//!   is opened and written directly: renaming a file over it would replace the device.
//! - An output that is one of the command's inputs is refused before anything is written.

use crate::error::{Diagnostic, Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// How many symbolic links are followed before giving up (as the kernel does).
const MAX_LINKS: usize = 40;

fn cannot_write(path: &Path, e: &std::io::Error) -> Error {
    Error::input(
        Diagnostic::new(format!("cannot write {}: {e}", path.display()))
            .hint("check that the directory exists and is writable"),
    )
}

/// The path a chain of symbolic links ends at (the path itself when it is not a link). The end
/// may not exist yet: a dangling link names the file to create.
fn follow_links(path: &Path) -> Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::read_link(&p).map_err(|e| cannot_write(path, &e))?;
                p = match p.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(Error::input(
        Diagnostic::new(format!(
            "cannot write {}: more than {MAX_LINKS} symbolic links to follow",
            path.display()
        ))
        .hint("point --output at a file, or at a link that ends at one"),
    ))
}

/// The same file: same device and inode, when both exist.
pub fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

/// Refuse an output (given by `option`, e.g. `--output`) that is one of `inputs` (through any
/// link or relative spelling).
pub fn refuse_input(option: &str, output: &Path, inputs: &[PathBuf]) -> Result<()> {
    for i in inputs {
        if same_file(output, i) {
            return Err(Error::input(
                Diagnostic::new(format!(
                    "{option} {} is the input {}: writing it would destroy the input",
                    output.display(),
                    i.display()
                ))
                .hint("write the output to another file"),
            ));
        }
    }
    Ok(())
}

/// Write `bytes` to `path`: atomically for a regular file (following links), directly for a
/// device, FIFO or socket.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomically_with(path, |w| {
        w.write_all(bytes)
            .map_err(|e| Error::Internal(format!("writing: {e}")))
    })
}

/// A writer that keeps the first error of the file under it, so that a failure of the file
/// (a full disk) is reported as such even when the code that writes wraps it in its own error.
struct Kept<W> {
    inner: W,
    error: Option<std::io::Error>,
}

impl<W: Write> Write for Kept<W> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.inner.write(b).map_err(|e| self.keep(e))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush().map_err(|e| self.keep(e))
    }
}

impl<W> Kept<W> {
    fn keep(&mut self, e: std::io::Error) -> std::io::Error {
        let copy = std::io::Error::new(e.kind(), e.to_string());
        self.error.get_or_insert(e);
        copy
    }
}

/// Write what `fill` writes to `path`, piece by piece (nothing is held whole in memory), by
/// the rules of [`write_atomically`]: a regular file through a temporary file renamed at the
/// end (a failure of `fill` or of the disk leaves the old file, or none), a device directly.
pub fn write_atomically_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    // What the path ends at, the kernel following every link (also /dev/stdout's).
    if let Ok(m) = std::fs::metadata(path) {
        if m.is_dir() {
            return Err(Error::input(
                Diagnostic::new(format!(
                    "cannot write {}: it is a directory",
                    path.display()
                ))
                .hint("give a file name"),
            ));
        }
        // A device, FIFO or socket, or a file reached through the system's own names for open
        // files (`/dev/stdout`, `/proc/self/fd/1`): write through it.
        if !m.is_file() || path.starts_with("/dev") || path.starts_with("/proc") {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(path)
                .map_err(|e| cannot_write(path, &e))?;
            return fill_then(path, f, fill, |_| Ok(()));
        }
    }
    let target = follow_links(path)?;
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "output".into());
    let tmp = dir.join(format!(".{name}.mlca-{}.tmp", std::process::id()));
    let result = std::fs::File::create(&tmp)
        .map_err(|e| cannot_write(path, &e))
        .and_then(|f| {
            fill_then(path, f, fill, |f| {
                f.sync_all()?;
                std::fs::rename(&tmp, &target)
            })
        });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// `fill` written to the file `f` through a buffer, flushed, then `finish` (sync, rename): a
/// failure of the file is said as one whatever error `fill` wrapped it in.
fn fill_then(
    path: &Path,
    f: std::fs::File,
    fill: impl FnOnce(&mut dyn Write) -> Result<()>,
    finish: impl FnOnce(&std::fs::File) -> std::io::Result<()>,
) -> Result<()> {
    let mut w = Kept {
        inner: std::io::BufWriter::with_capacity(1 << 20, f),
        error: None,
    };
    let filled = fill(&mut w).and_then(|()| {
        w.flush()
            .map_err(|e| Error::Internal(format!("writing: {e}")))
    });
    if let Some(e) = w.error.take() {
        return Err(cannot_write(path, &e));
    }
    filled?;
    let f = w
        .inner
        .into_inner()
        .map_err(|e| cannot_write(path, e.error()))?;
    finish(&f).map_err(|e| cannot_write(path, &e))
}

/// Write several files all or nothing: each is written atomically; when one fails, those
/// already written by this call are removed (a file that existed before is not restored).
pub fn write_all_or_nothing(files: &[(PathBuf, Vec<u8>)]) -> Result<()> {
    let mut done: Vec<&Path> = Vec::new();
    for (p, bytes) in files {
        if let Err(e) = write_atomically(p, bytes) {
            for d in done {
                let _ = std::fs::remove_file(d);
            }
            return Err(e);
        }
        done.push(p);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp() -> PathBuf {
        let d = std::env::temp_dir().join(format!(
            "mlca-write-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        ));
        let _ = std::fs::create_dir_all(&d);
        d
    }

    #[test]
    fn a_link_stays_a_link_and_its_target_is_written() {
        let d = tmp();
        let target = d.join("target.txt");
        std::fs::write(&target, "old").unwrap_or_default();
        let link = d.join("link.txt");
        let _ = std::os::unix::fs::symlink(&target, &link);
        assert!(write_atomically(&link, b"new").is_ok());
        assert!(std::fs::symlink_metadata(&link)
            .map(|m| m.file_type().is_symlink())
            .unwrap_or(false));
        assert_eq!(std::fs::read_to_string(&target).unwrap_or_default(), "new");
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn a_device_is_written_directly_not_replaced() {
        assert!(write_atomically(Path::new("/dev/null"), b"x").is_ok());
        let m = std::fs::metadata("/dev/null").map(|m| m.is_file());
        assert_eq!(m.ok(), Some(false));
    }

    #[test]
    fn an_input_is_refused_through_another_spelling() {
        let d = tmp();
        let f = d.join("s.yaml");
        std::fs::write(&f, "x").unwrap_or_default();
        let other = d.join(".").join("s.yaml");
        assert!(refuse_input("--output", &other, std::slice::from_ref(&f)).is_err());
        assert!(refuse_input("--output", &d.join("out.json"), &[f]).is_ok());
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn a_failed_set_leaves_none_of_its_files() {
        let d = tmp();
        let ok = d.join("a.svg");
        let bad = d.join("missing-dir").join("b.svg");
        let r = write_all_or_nothing(&[(ok.clone(), b"a".to_vec()), (bad, b"b".to_vec())]);
        assert!(r.is_err());
        assert!(!ok.exists());
        let _ = std::fs::remove_dir_all(&d);
    }
    #[test]
    fn a_file_written_in_pieces_is_whole_or_the_old_one() {
        let d = tmp();
        let f = d.join("rows.csv");
        std::fs::write(&f, "old").unwrap_or_default();
        // a fill that fails after writing part of the rows leaves the old file and no temporary
        let r = write_atomically_with(&f, |w| {
            w.write_all(b"a,b\n1,2\n")
                .map_err(|e| Error::Internal(e.to_string()))?;
            Err(Error::Internal("the third row cannot be made".into()))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read_to_string(&f).unwrap_or_default(), "old");
        let left: Vec<_> = std::fs::read_dir(&d)
            .map(|r| r.filter_map(|e| e.ok()).map(|e| e.file_name()).collect())
            .unwrap_or_default();
        assert_eq!(left.len(), 1, "{left:?}");
        // pieces larger than the buffer arrive whole and in order
        let big: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        let r = write_atomically_with(&f, |w| {
            for c in big.chunks(7_777) {
                w.write_all(c).map_err(|e| Error::Internal(e.to_string()))?;
            }
            Ok(())
        });
        assert!(r.is_ok());
        assert_eq!(std::fs::read(&f).unwrap_or_default(), big);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn a_full_device_is_said_as_a_failure_to_write_the_file() {
        // /dev/full takes no byte: the error names the file, whatever the writer wrapped it in
        let r = write_atomically_with(Path::new("/dev/full"), |w| {
            w.write_all(&[b'x'; 2 << 20])
                .map_err(|e| Error::Internal(format!("CSV output: {e}")))
        });
        let msg = r.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(msg.contains("cannot write /dev/full"), "{msg}");
    }
}
