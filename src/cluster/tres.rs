//! Slurm's trackable resources as `sacct` writes them: `AllocTRES`
//! (`billing=2,cpu=2,gres/gpu=1,mem=512M,node=1`, `gres/gpu:a100=4`) and `TRESUsageInTot`
//! (`cpu=00:01:05,energy=0,mem=10816K,...`), and the durations of `Elapsed` (`[D-]HH:MM:SS`).
//! Memory suffixes are binary (K = 1024 bytes), as Slurm counts them; memory is returned in
//! GB (1e9 bytes).

use super::job::Reservation;

/// Bytes in one GB.
const BYTES_PER_GB: f64 = 1e9;

/// A cell that cannot be read: the message and the character offset in the cell.
#[derive(Debug, Clone, PartialEq)]
pub struct CellError {
    pub message: String,
    pub offset: usize,
}

fn cell_err<T>(message: impl Into<String>, offset: usize) -> Result<T, CellError> {
    Err(CellError {
        message: message.into(),
        offset,
    })
}

/// The `key=value` items of a TRES list with their offsets (a comma inside parentheses, as in
/// `gres/gpu=2(IDX:0,2)`, does not end an item).
fn items(cell: &str) -> Result<Vec<(usize, &str, &str)>, CellError> {
    let mut out = Vec::new();
    let mut off = 0;
    let mut depth = 0i32;
    let parts = cell.split(|c: char| {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        c == ',' && depth <= 0
    });
    for item in parts {
        if !item.is_empty() {
            match item.split_once('=') {
                Some((k, v)) if !k.is_empty() => out.push((off, k, v)),
                _ => return cell_err(format!("\"{item}\" is not a TRES item (name=value)"), off),
            }
        }
        off += item.chars().count() + 1;
    }
    Ok(out)
}

/// A memory amount with Slurm's suffix (K, M, G, T, P; none is MB), in GB.
pub fn memory_gb(v: &str) -> Option<f64> {
    let (num, mult) = match v.chars().last()? {
        'K' | 'k' => (&v[..v.len() - 1], 1024.0),
        'M' | 'm' => (&v[..v.len() - 1], 1024.0 * 1024.0),
        'G' | 'g' => (&v[..v.len() - 1], 1024f64.powi(3)),
        'T' | 't' => (&v[..v.len() - 1], 1024f64.powi(4)),
        'P' | 'p' => (&v[..v.len() - 1], 1024f64.powi(5)),
        _ => (v, 1024.0 * 1024.0),
    };
    let x: f64 = num.parse().ok()?;
    (x.is_finite() && x >= 0.0).then_some(x * mult / BYTES_PER_GB)
}

fn count(v: &str) -> Option<f64> {
    let x: f64 = v.parse().ok()?;
    (x.is_finite() && x >= 0.0).then_some(x)
}

/// The GPU indexes of a `(IDX:0-1,3)` suffix, as a mask (bit i: GPU i), and the count before
/// it. `None` for a value that is not a count with an optional IDX list of indexes below 64.
fn gpus_with_indexes(v: &str) -> Option<(f64, u64)> {
    let Some((n, rest)) = v.split_once('(') else {
        return count(v).map(|x| (x, 0));
    };
    let list = rest.strip_prefix("IDX:")?.strip_suffix(')')?;
    let mut mask = 0u64;
    for part in list.split(',') {
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        let (a, b): (u32, u32) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
        if a > b || b >= 64 {
            return None;
        }
        for i in a..=b {
            mask |= 1 << i;
        }
    }
    Some((count(n)?, mask))
}

/// What is wrong with a GPU value that [`gpus_with_indexes`] refuses.
fn gpu_what(v: &str) -> &'static str {
    if v.contains('(') {
        "the GPU indexes are not a list (IDX:0-1,3) of indexes below 64"
    } else {
        "the GPU count is not a number"
    }
}

/// The reservation of an `AllocTRES` cell: cores (`cpu`), memory (`mem`) and GPUs (`gres/gpu`
/// or the sum of its typed forms `gres/gpu:TYPE`), and the GPU indexes where the cell names
/// them (`gres/gpu=2(IDX:0-1)`: a mask, bit i for GPU i; 0 when not named). Other resources
/// are skipped.
pub fn alloc_tres(cell: &str) -> Result<(Reservation, u64), CellError> {
    let mut r = Reservation::default();
    let mut mask = 0u64;
    let (mut plain_gpu, mut typed_gpu) = (None, 0.0);
    for (off, k, v) in items(cell)? {
        let bad = |what: &str| cell_err(format!("{k}={v}: {what}"), off + k.chars().count() + 1);
        match k {
            "cpu" => match count(v) {
                Some(x) => r.cores = x,
                None => return bad("the CPU count is not a number"),
            },
            "mem" => match memory_gb(v) {
                Some(x) => r.memory_gb = x,
                None => return bad("the memory is not a number with a unit (K, M, G, T)"),
            },
            "gres/gpu" => match gpus_with_indexes(v) {
                Some((x, m)) => {
                    plain_gpu = Some(x);
                    mask |= m;
                }
                None => return bad(gpu_what(v)),
            },
            _ if k.starts_with("gres/gpu:") => match gpus_with_indexes(v) {
                Some((x, m)) => {
                    typed_gpu += x;
                    mask |= m;
                }
                None => return bad(gpu_what(v)),
            },
            _ => {}
        }
    }
    // Slurm writes the total (gres/gpu) beside its typed parts: the total wins
    r.gpus = plain_gpu.unwrap_or(typed_gpu);
    Ok((r, mask))
}

/// What a step's `TRESUsageInTot` cell says: CPU time (s), memory (GB) and energy (J).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Usage {
    pub cpu_s: Option<f64>,
    pub memory_gb: Option<f64>,
    pub energy_j: Option<f64>,
}

pub fn usage_tres(cell: &str) -> Result<Usage, CellError> {
    let mut u = Usage::default();
    for (off, k, v) in items(cell)? {
        let at = off + k.chars().count() + 1;
        match k {
            "cpu" => match duration_s(v) {
                Some(x) => u.cpu_s = Some(x),
                None => return cell_err(format!("cpu={v}: not a duration ([D-]HH:MM:SS)"), at),
            },
            "mem" => match memory_gb(v) {
                Some(x) => u.memory_gb = Some(x),
                None => return cell_err(format!("mem={v}: not a memory amount"), at),
            },
            "energy" => match count(v) {
                Some(x) => u.energy_j = Some(x),
                None => return cell_err(format!("energy={v}: not a number of joules"), at),
            },
            _ => {}
        }
    }
    Ok(u)
}

/// A Slurm duration: `SS`, `MM:SS`, `HH:MM:SS`, `D-HH[:MM[:SS]]`, with an optional fraction of
/// a second (`00:01.250`), in seconds.
pub fn duration_s(v: &str) -> Option<f64> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    let (days, rest) = match v.split_once('-') {
        Some((d, r)) => (d.parse::<u64>().ok()? as f64, r),
        None => (0.0, v),
    };
    let parts: Vec<&str> = rest.split(':').collect();
    if parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let num = |s: &str| -> Option<f64> {
        if !s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return None;
        }
        s.parse::<f64>().ok().filter(|x| x.is_finite())
    };
    let (h, m, s) = match (parts.len(), v.contains('-')) {
        (1, true) => (num(parts[0])?, 0.0, 0.0),
        (1, false) => (0.0, 0.0, num(parts[0])?),
        (2, true) => (num(parts[0])?, num(parts[1])?, 0.0),
        (2, false) => (0.0, num(parts[0])?, num(parts[1])?),
        _ => (num(parts[0])?, num(parts[1])?, num(parts[2])?),
    };
    Some(days * 86400.0 + h * 3600.0 + m * 60.0 + s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alloc_tres_of_the_real_dump() {
        let r = alloc_tres("billing=2,cpu=2,gres/gpu=1,mem=512M,node=1")
            .unwrap_or_default()
            .0;
        assert_eq!(r.cores, 2.0);
        assert_eq!(r.gpus, 1.0);
        // 512 MiB = 536,870,912 bytes
        assert!((r.memory_gb - 0.536_870_912).abs() < 1e-12);
        let t = alloc_tres("cpu=64,gres/gpu:a100=2,gres/gpu:v100=1,mem=1T")
            .unwrap_or_default()
            .0;
        assert_eq!(t.gpus, 3.0);
        assert!((t.memory_gb - 1.099_511_627_776e3).abs() < 1e-9);
        assert_eq!(
            alloc_tres("").unwrap_or_default(),
            (Reservation::default(), 0)
        );
        // GPU indexes: 0-1 and 3 are bits 0, 1 and 3
        let (g, mask) = alloc_tres("cpu=8,gres/gpu=3(IDX:0-1,3),mem=8G").unwrap_or_default();
        assert_eq!(
            (g.gpus, g.memory_gb, mask),
            (3.0, 8.0 * 1024f64.powi(3) / 1e9, 0b1011)
        );
        let e = alloc_tres("gres/gpu=1(IDX:64)").unwrap_err();
        assert!(e.message.contains("indexes below 64"), "{}", e.message);
        assert!(alloc_tres("gres/gpu=1(IDX:2-1)").is_err());
    }

    #[test]
    fn bad_tres_says_where() {
        let e = alloc_tres("cpu=2,mem=lots").unwrap_err();
        assert_eq!(e.offset, 10);
        assert!(alloc_tres("cpu=2,gpu").is_err());
        assert!(alloc_tres("cpu=-1").is_err());
    }

    #[test]
    fn usage_and_durations() {
        let u = usage_tres("cpu=00:01:05,energy=1200,fs/disk=29955,mem=10816K").unwrap_or_default();
        assert_eq!(u.cpu_s, Some(65.0));
        assert_eq!(u.energy_j, Some(1200.0));
        assert!((u.memory_gb.unwrap_or(0.0) - 10816.0 * 1024.0 / 1e9).abs() < 1e-15);
        assert_eq!(duration_s("1-02:03:04"), Some(93784.0));
        assert_eq!(duration_s("00:00:04"), Some(4.0));
        assert_eq!(duration_s("05:30"), Some(330.0));
        assert_eq!(duration_s("00:01.250"), Some(1.25));
        assert_eq!(duration_s("2-12"), Some(216000.0));
        assert_eq!(duration_s("x"), None);
        assert_eq!(duration_s("1:2:3:4"), None);
    }
}
