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
            return write_directly(path, bytes);
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
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &target)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(cannot_write(path, &e));
    }
    Ok(())
}

/// Write to something that exists and is not a regular file (a device, a FIFO).
fn write_directly(path: &Path, bytes: &[u8]) -> Result<()> {
    let result = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(path)?;
        f.write_all(bytes)?;
        f.flush()
    })();
    result.map_err(|e| cannot_write(path, &e))
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
}
