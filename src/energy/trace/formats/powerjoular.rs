//! PowerJoular's CSV (`powerjoular -f power.csv`): one row a second, `Date,CPU Utilization,Total
//! Power,CPU Power,GPU Power` in W for the whole machine, or `Date,CPU Utilization,CPU Power`
//! in the file of a monitored process or application (`-p PID` / `-a NAME`, written to
//! `power.csv-PID.csv`).
//!
//! PowerJoular's CPU power is the RAPL energy (psys where the machine has it, else package plus
//! DRAM) over its one-second cycle; its GPU power is nvidia-smi's, and 0 when it found no
//! NVIDIA GPU; its total is their sum. The CPU and GPU powers count (integrated by trapezoids
//! over the rows' times); the total is shown, not added; a GPU power of exactly 0 is not a GPU
//! sample (counted as skipped). A process's CPU power is PowerJoular's share of the machine's
//! by CPU time (`process utilization x CPU power / CPU utilization`): an attribution, said so.
//!
//! Times are local, to the second (`2025-03-02 14:00:05`), or with `-c` to the millisecond but
//! unpadded: `2025-3-2 14:0:5.12` is 14:00:05.012 (the digits after the dot are a count of
//! milliseconds, not a decimal fraction).

use super::*;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Column {
    Total,
    Cpu,
    Gpu,
}

pub struct PowerJoular {
    width: usize,
    date: usize,
    power: Vec<(usize, Column, String)>,
    /// A process's or application's file (no total, no GPU).
    process: bool,
}

impl PowerJoular {
    pub fn new(cells: &[(String, Option<String>)]) -> Result<Self, String> {
        let date = need(cells, &["Date"], "powerjoular")?;
        let cpu = need(cells, &["CPU Power"], "powerjoular")?;
        let mut power = vec![(cpu, Column::Cpu, "CPU Power".to_string())];
        if let Some(i) = col(cells, &["GPU Power"]) {
            power.push((i, Column::Gpu, "GPU Power".into()));
        }
        let total = col(cells, &["Total Power"]);
        if let Some(i) = total {
            power.push((i, Column::Total, "Total Power".into()));
        }
        Ok(PowerJoular {
            width: cells.len(),
            date,
            power,
            process: total.is_none(),
        })
    }
}

/// A time as PowerJoular writes it: `2025-03-02 14:00:05`, or with `-c` unpadded with a count
/// of milliseconds, `2025-3-2 14:0:5.12` (14:00:05.012).
fn powerjoular_time(f: &[u8]) -> Option<Stamp> {
    let f = trim(f);
    if let Some(t) = time::parse(f) {
        if !f.contains(&b'.') {
            return Some(t);
        }
    }
    let text = std::str::from_utf8(f).ok()?;
    let parts: Vec<&str> = text.split(['-', ' ', ':', '.']).collect();
    if parts.len() != 7 || parts.iter().any(|p| p.is_empty() || p.len() > 4) {
        return None;
    }
    let n: Vec<u32> = parts
        .iter()
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let ms = n[6];
    if ms > 1000 {
        return None;
    }
    let whole = format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        n[0], n[1], n[2], n[3], n[4], n[5]
    );
    let t = time::parse(whole.as_bytes())?;
    // 1000 ms (PowerJoular rounds) carries into the next second
    let frac = f64::from(ms) / 1000.0;
    Some(if frac >= 1.0 {
        Stamp {
            secs: t.secs + 1,
            frac: frac - 1.0,
        }
    } else {
        Stamp { secs: t.secs, frac }
    })
}

impl Reader for PowerJoular {
    fn format(&self) -> InputFormat {
        InputFormat::PowerJoular
    }
    fn width(&self) -> usize {
        self.width
    }
    fn read<'r>(&'r self, at: Row<'r, '_, '_>, emit: &mut dyn FnMut(Raw<'r>) -> Done) -> Done {
        let Row { rec, row, notes } = at;
        let date = rec.get(self.date).unwrap_or_default();
        let t = powerjoular_time(date).ok_or_else(|| RowError {
            row,
            message: format!(
                "cannot read \"{}\" as a time in column \"Date\"",
                String::from_utf8_lossy(trim(date))
            ),
            hint: Some(
                "PowerJoular writes 2025-03-02 14:00:05, or with -c 2025-3-2 14:0:5.12 (12 ms)"
                    .into(),
            ),
        })?;
        for (i, column, name) in &self.power {
            let f = rec.get(*i).unwrap_or_default();
            if is_missing(f) {
                notes.missing = true;
                continue;
            }
            let v = num(f, row, name)?;
            if v < 0.0 {
                return Err(negative(row, name, v));
            }
            if *column == Column::Gpu && v == 0.0 {
                notes.skipped = Some("GPU Power 0 W, not read as a GPU sample (PowerJoular writes 0 without an NVIDIA GPU)");
                continue;
            }
            emit(Raw {
                key: [name.as_bytes(), b"", b"", b""],
                t,
                v,
                label: None,
                wrap_j: None,
            })?;
        }
        Ok(())
    }
    fn info(&self, key: &[&[u8]; 4]) -> DeviceInfo {
        let column = self
            .power
            .iter()
            .find(|(_, _, n)| n.as_bytes() == key[0])
            .map_or(Column::Cpu, |(_, c, _)| *c);
        let (component, excluded) = match column {
            Column::Cpu => (TraceComponent::Cpu, None),
            Column::Gpu => (TraceComponent::Gpu, None),
            Column::Total => (
                TraceComponent::Node,
                Some("PowerJoular's total is the sum of its CPU and GPU powers".into()),
            ),
        };
        DeviceInfo {
            component,
            signal: Signal::Power,
            excluded,
            group: String::new(),
        }
    }
    fn assumptions(&self) -> Vec<String> {
        let mut a = vec!["powerjoular: powers in W, each the mean of PowerJoular's one-second cycle before its time; CPU Power is RAPL psys where the machine has it, else package + DRAM".to_string()];
        if self.process {
            a.push("powerjoular: a process's file: its CPU Power is PowerJoular's attribution of the machine's by CPU time (process utilization x CPU power / CPU utilization), not a measurement".into());
        }
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Option<f64> {
        // seconds after 2025-03-02T14:00:05Z (1740924005 s), kept apart from the epoch's
        powerjoular_time(s.as_bytes()).map(|t| t.since(1_740_924_005))
    }

    #[test]
    fn milliseconds_are_a_count_not_a_fraction() {
        assert_eq!(at("2025-03-02 14:00:05"), Some(0.0));
        let close = |s: &str, dt: f64| {
            let t = at(s).unwrap_or(f64::NAN);
            assert!((t - dt).abs() < 1e-12, "{s}: {t}");
        };
        close("2025-3-2 14:0:5.12", 0.012);
        close("2025-3-2 14:0:5.120", 0.120);
        // padded fields with -c (values of two digits) are counts too: 5.5 is 5 ms
        close("2025-03-02 14:00:05.5", 0.005);
        // PowerJoular rounds 999.6 ms to 1000: the next second
        close("2025-3-2 14:0:5.1000", 1.0);
        assert_eq!(at("2025-3-2 14:0:5.1001"), None);
        assert_eq!(at("2025-3-2 14:0"), None);
        assert_eq!(at("2025-13-2 14:0:5.12"), None);
    }
}
