//! jetson-stats (`jtop` CSV): the rail powers beside the board's input `Power TOT`, in W; the
//! rails are shown but left out of the totals where the input is present.

use super::*;

pub struct Jetson {
    width: usize,
    ts: usize,
    /// (column, name) of each `Power <rail>` column.
    power: Vec<(usize, String)>,
    has_total: bool,
}

impl Jetson {
    pub fn new(cells: &[(String, Option<String>)]) -> Result<Self, String> {
        let ts = need(cells, &["time"], "jetson-stats")?;
        let power: Vec<(usize, String)> = cells
            .iter()
            .enumerate()
            .filter(|(_, (c, _))| c.starts_with("Power "))
            .map(|(i, (c, _))| (i, c.clone()))
            .collect();
        if power.is_empty() {
            return Err("jetson-stats: no `Power <rail>` column".into());
        }
        let has_total = power.iter().any(|(_, c)| c == "Power TOT");
        Ok(Jetson {
            width: cells.len(),
            ts,
            power,
            has_total,
        })
    }
}

impl Reader for Jetson {
    fn format(&self) -> InputFormat {
        InputFormat::JetsonStats
    }
    fn width(&self) -> usize {
        self.width
    }
    fn read<'r>(&'r self, at: Row<'r, '_, '_>, emit: &mut dyn FnMut(Raw<'r>) -> Done) -> Done {
        let Row { rec, row, notes } = at;
        let t = stamp(&rec[self.ts], row, "time")?;
        for (i, name) in &self.power {
            let f = &rec[*i];
            if is_missing(f) {
                notes.missing = true;
                continue;
            }
            let v = num(f, row, name)? * 1e-3;
            if v < 0.0 {
                return Err(negative(row, name, v));
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
        let name = String::from_utf8_lossy(key[0]);
        let board = name == "Power TOT" || (name == "Power VDD_IN" && !self.has_total);
        let (component, excluded) = if board {
            (TraceComponent::Node, None)
        } else {
            (
                TraceComponent::Rail,
                Some(
                    "a rail of the board, inside its total (Power TOT / VDD_IN): never added to it"
                        .into(),
                ),
            )
        };
        DeviceInfo {
            component,
            signal: Signal::Power,
            excluded,
            group: String::new(),
        }
    }
    fn assumptions(&self) -> Vec<String> {
        vec!["jetson-stats: power columns in mW; the board total is `Power TOT` (or VDD_IN), the rails are shown but not added".into()]
    }
}
