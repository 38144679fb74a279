//! The formats of an intensity series, told apart by their header:
//!
//! - **Electricity Maps** CSV export: `Datetime (UTC),Country,Zone name,Zone id,Carbon intensity
//!   gCO₂eq/kWh (direct),Carbon intensity gCO₂eq/kWh (Life cycle),...` (the older exports write
//!   `Carbon Intensity gCO₂eq/kWh (LCA)`); times `2024-01-01 00:00:00` in UTC, as the header
//!   says; one row per hour (or day, month), each row's intensity from its time on. `basis`
//!   picks the life-cycle column (default) or the direct one.
//! - **RTE eCO2mix** export (the `.xls` files of eco2mix-rte, which are tab-separated text in
//!   Latin-1): `Périmètre, Nature, Date, Heures, Consommation, ..., Taux de CO2 (g/kWh), ...`
//!   (older files write `Taux de Co2`); `Date` 2024-06-12 and `Heures` 10:15 in French legal
//!   time (Europe/Paris, unless a zone is given); rows without a CO2 rate are not used (counted);
//!   the closing disclaimer line is passed over.
//! - **plain** CSV: `time,gwp_g_per_kwh`, times with their offset or Unix seconds (or in the
//!   zone given).
//!
//! Every number is read as gCO2eq/kWh; a cell that does not read is an error at its line.

use super::{at_line, Parsed, Row, SeriesSpec};
use crate::error::{Error, Result};
use crate::quantity::time;
use crate::quantity::zone::Zone;
use crate::scenario::{IntensityBasis, IntensityFormat};
use std::path::Path;

const FORMATS: &str = "electricity-maps (Electricity Maps CSV export), eco2mix (RTE eCO2mix export) or plain (time,gwp_g_per_kwh)";

/// Read the rows of a series file's bytes.
pub fn parse(path: &Path, bytes: &[u8], spec: &SeriesSpec) -> Result<(IntensityFormat, Parsed)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        // eCO2mix writes Latin-1: every byte is its character
        Err(_) => bytes.iter().map(|&b| b as char).collect(),
    };
    let Some(head) = text.lines().next().filter(|h| !h.trim().is_empty()) else {
        return Err(at_line(
            path,
            1,
            "the intensity series is empty: line 1 should be its header",
            &format!("give a series file: {FORMATS}"),
        ));
    };
    let head = head.trim_end_matches('\r');
    let format = match spec.format.or_else(|| detect(head)) {
        Some(f) => f,
        None => return Err(unknown_header(path, head)),
    };
    let parsed = match format {
        IntensityFormat::ElectricityMaps => electricity_maps(path, &text, spec)?,
        IntensityFormat::Eco2mix => eco2mix(path, &text)?,
        IntensityFormat::Plain => plain(path, &text)?,
    };
    Ok((format, parsed))
}

/// A header cell folded for comparison: lower case, subscript 2 as 2, no spaces.
fn fold(cell: &str) -> String {
    cell.trim()
        .trim_matches('"')
        .to_lowercase()
        .replace('₂', "2")
        .split_whitespace()
        .collect()
}

/// The format a header is of, if any.
pub fn detect(head: &str) -> Option<IntensityFormat> {
    if head.contains('\t') {
        let cells: Vec<String> = head.split('\t').map(fold).collect();
        if cells.iter().any(|c| c == "heures") && cells.iter().any(|c| c.starts_with("tauxdeco2")) {
            return Some(IntensityFormat::Eco2mix);
        }
    }
    let cells: Vec<String> = split_csv_header(head).iter().map(|c| fold(c)).collect();
    if cells.iter().any(|c| c.starts_with("datetime"))
        && cells.iter().any(|c| c.starts_with("carbonintensity"))
    {
        return Some(IntensityFormat::ElectricityMaps);
    }
    if cells.iter().any(|c| c == "time") && cells.iter().any(|c| c == "gwp_g_per_kwh") {
        return Some(IntensityFormat::Plain);
    }
    None
}

fn split_csv_header(head: &str) -> Vec<String> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(head.as_bytes());
    r.records()
        .next()
        .and_then(|x| x.ok())
        .map(|rec| rec.iter().map(str::to_string).collect())
        .unwrap_or_default()
}

fn unknown_header(path: &Path, head: &str) -> Error {
    let shown: String = head.chars().take(100).collect();
    let other = [';', '\t', '|'].into_iter().find(|d| head.contains(*d));
    let hint = match other {
        Some(d) if !head.contains(',') => format!(
            "the header is separated by '{}': a plain series is a CSV with commas (time,gwp_g_per_kwh); is the delimiter wrong? Otherwise name the format: {FORMATS}",
            d.escape_default()
        ),
        _ => format!("name the format with electricity.intensity.format or --intensity-format: {FORMATS}"),
    };
    at_line(
        path,
        1,
        format!("cannot tell the intensity series' format from the header \"{shown}\""),
        &hint,
    )
}

/// The index of the first cell of `cells` (folded) for which `want` holds.
fn column(cells: &[String], want: impl Fn(&str) -> bool) -> Option<usize> {
    cells.iter().position(|c| want(&fold(c)))
}

fn missing_column(path: &Path, what: &str, cells: &[String], hint: &str) -> Error {
    at_line(
        path,
        1,
        format!(
            "the header has no {what} column; its columns: {}",
            cells.join(", ")
        ),
        hint,
    )
}

/// A number of gCO2eq/kWh in a cell, or an error at the line.
fn intensity(path: &Path, line: usize, cell: &str, col: &str) -> Result<f64> {
    let c = cell.trim().trim_matches('"');
    c.parse::<f64>().map_err(|_| {
        at_line(
            path,
            line,
            format!("cannot read \"{c}\" as an intensity in column \"{col}\""),
            "an intensity is a number of gCO2eq/kWh; check the delimiter and the column",
        )
    })
}

/// A time in a cell, or an error at the line.
fn when(path: &Path, line: usize, cell: &str, col: &str) -> Result<(time::Stamp, bool)> {
    let c = cell.trim().trim_matches('"');
    match time::parse(c.as_bytes()) {
        Some(t) => Ok((t, time::has_zone(c.as_bytes()))),
        None => Err(at_line(
            path,
            line,
            format!("cannot read \"{c}\" as a time in column \"{col}\""),
            "write 2024-06-12T10:00:00Z, 2024-06-12 12:00:00+02:00 or Unix seconds",
        )),
    }
}

/// The records of a comma-separated text after its header, with their lines; a record with
/// the wrong number of fields is an error at its line.
/// The header's cells and the data records with their lines.
type Records = (Vec<String>, Vec<(usize, csv::StringRecord)>);

fn records(path: &Path, text: &str) -> Result<Records> {
    let mut r = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let csv_err = |e: csv::Error| {
        let line = e.position().map_or(1, |p| p.line() as usize);
        at_line(
            path,
            line,
            format!("cannot read the CSV: {e}"),
            "check the delimiter (a comma) and the quotes",
        )
    };
    let head: Vec<String> = r
        .headers()
        .map_err(csv_err)?
        .iter()
        .map(str::to_string)
        .collect();
    if head.len() == 1 {
        return Err(unknown_header(path, &head[0]));
    }
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(csv_err)?;
        let line = rec.position().map_or(0, |p| p.line() as usize);
        if rec.iter().all(|c| c.is_empty()) {
            continue;
        }
        out.push((line, rec));
    }
    if out.is_empty() {
        return Err(at_line(
            path,
            2,
            "the intensity series has a header but no data row",
            "give one row per step of the series",
        ));
    }
    Ok((head, out))
}

fn plain(path: &Path, text: &str) -> Result<Parsed> {
    let (head, recs) = records(path, text)?;
    let hint = "a plain series has the columns time,gwp_g_per_kwh";
    let ti =
        column(&head, |c| c == "time").ok_or_else(|| missing_column(path, "time", &head, hint))?;
    let gi = column(&head, |c| c == "gwp_g_per_kwh")
        .ok_or_else(|| missing_column(path, "gwp_g_per_kwh", &head, hint))?;
    let mut rows = Vec::with_capacity(recs.len());
    for (line, rec) in &recs {
        let (t, zoned) = when(path, *line, rec.get(ti).unwrap_or(""), "time")?;
        let g = intensity(path, *line, rec.get(gi).unwrap_or(""), "gwp_g_per_kwh")?;
        rows.push(Row {
            line: *line,
            t,
            zoned,
            g_per_kwh: g,
        });
    }
    Ok(Parsed {
        rows,
        zone: None,
        notes: Vec::new(),
    })
}

fn electricity_maps(path: &Path, text: &str, spec: &SeriesSpec) -> Result<Parsed> {
    let (head, recs) = records(path, text)?;
    let ti = column(&head, |c| c.starts_with("datetime")).ok_or_else(|| {
        missing_column(
            path,
            "Datetime (UTC)",
            &head,
            "an Electricity Maps export starts with Datetime (UTC)",
        )
    })?;
    let basis = spec.basis.unwrap_or(IntensityBasis::LifeCycle);
    let (gi, what) = match basis {
        IntensityBasis::LifeCycle => (
            column(&head, |c| {
                c.starts_with("carbonintensity")
                    && (c.ends_with("(lca)") || c.ends_with("(lifecycle)"))
            }),
            "life-cycle intensity (Carbon intensity gCO₂eq/kWh (Life cycle) or (LCA))",
        ),
        IntensityBasis::Direct => (
            column(&head, |c| {
                c.starts_with("carbonintensity") && c.ends_with("(direct)")
            }),
            "direct intensity (Carbon intensity gCO₂eq/kWh (direct))",
        ),
    };
    let gi = gi.ok_or_else(|| {
        missing_column(
            path,
            what,
            &head,
            "choose the other basis with electricity.intensity.basis (life-cycle or direct)",
        )
    })?;
    let utc = fold(&head[ti]).contains("(utc)");
    let col = head[gi].clone();
    let mut rows = Vec::with_capacity(recs.len());
    for (line, rec) in &recs {
        let (t, zoned) = when(path, *line, rec.get(ti).unwrap_or(""), &head[ti])?;
        let g = intensity(path, *line, rec.get(gi).unwrap_or(""), &col)?;
        rows.push(Row {
            line: *line,
            t,
            zoned,
            g_per_kwh: g,
        });
    }
    let mut notes = vec![format!("Electricity Maps column \"{col}\"")];
    if let Some(z) = recs.first().and_then(|(_, r)| {
        head.iter()
            .position(|h| fold(h) == "zoneid")
            .and_then(|i| r.get(i))
    }) {
        notes.push(format!("zone id {z}"));
    }
    Ok(Parsed {
        rows,
        zone: utc.then(|| (Zone::utc(), format!("the header's {}", head[ti].trim()))),
        notes,
    })
}

fn eco2mix(path: &Path, text: &str) -> Result<Parsed> {
    let mut lines = text.lines().enumerate();
    let head: Vec<String> = match lines.next() {
        Some((_, h)) => h
            .trim_end_matches('\r')
            .split('\t')
            .map(|c| c.trim().to_string())
            .collect(),
        None => Vec::new(),
    };
    let hint = "an eCO2mix export is tab-separated with the columns Date, Heures and Taux de CO2";
    if head.len() == 1 {
        return Err(unknown_header(path, &head[0]));
    }
    let di =
        column(&head, |c| c == "date").ok_or_else(|| missing_column(path, "Date", &head, hint))?;
    let hi = column(&head, |c| c == "heures")
        .ok_or_else(|| missing_column(path, "Heures", &head, hint))?;
    let gi = column(&head, |c| c.starts_with("tauxdeco2"))
        .ok_or_else(|| missing_column(path, "Taux de CO2 (g/kWh)", &head, hint))?;
    let ni = column(&head, |c| c == "nature");
    let need = di.max(hi).max(gi) + 1;
    let mut rows = Vec::new();
    let mut without: Vec<usize> = Vec::new();
    let mut natures: Vec<String> = Vec::new();
    let mut trailer = None;
    let all: Vec<(usize, &str)> = lines
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    for (k, (line, l)) in all.iter().enumerate() {
        let cells: Vec<&str> = l.split('\t').collect();
        if cells.len() < need {
            // the export closes with a one-cell disclaimer ("RTE ne pourra être tenue
            // responsable ..."); anything else short is a broken row
            if k + 1 == all.len() && cells.len() == 1 {
                trailer = Some(*line);
                continue;
            }
            return Err(at_line(
                path,
                *line,
                format!(
                    "the row has {} tab-separated field(s), the header {}",
                    cells.len(),
                    head.len()
                ),
                "check the delimiter (tabs) and that the row is complete",
            ));
        }
        let g = cells[gi].trim();
        if g.is_empty() || g.eq_ignore_ascii_case("ND") || g == "-" {
            without.push(*line);
            continue;
        }
        let stamp = format!("{} {}", cells[di].trim(), cells[hi].trim());
        let (t, zoned) = when(path, *line, &stamp, "Date and Heures")?;
        let g = intensity(path, *line, g, &head[gi])?;
        if let Some(n) = ni.and_then(|i| cells.get(i)) {
            let n = n.trim().to_string();
            if !n.is_empty() && !natures.contains(&n) {
                natures.push(n);
            }
        }
        rows.push(Row {
            line: *line,
            t,
            zoned,
            g_per_kwh: g,
        });
    }
    if rows.is_empty() && without.is_empty() {
        return Err(at_line(
            path,
            2,
            "the intensity series has a header but no data row",
            "give the eCO2mix export with its rows",
        ));
    }
    let mut notes = Vec::new();
    if !natures.is_empty() {
        notes.push(format!("eCO2mix data: {}", natures.join(", ")));
    }
    if !without.is_empty() {
        let shown: Vec<String> = without.iter().take(5).map(|l| l.to_string()).collect();
        notes.push(format!(
            "{} eCO2mix row(s) without a CO2 rate not used (line(s) {}{})",
            without.len(),
            shown.join(", "),
            if without.len() > 5 { ", ..." } else { "" }
        ));
    }
    if let Some(l) = trailer {
        notes.push(format!("line {l}: the export's closing note, not a row"));
    }
    let paris = Zone::parse("Europe/Paris").map(|z| {
        (
            z,
            "eCO2mix writes French legal time: Europe/Paris, the default".to_string(),
        )
    });
    Ok(Parsed {
        rows,
        zone: paris,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &[u8], spec: &SeriesSpec) -> Result<(IntensityFormat, Parsed)> {
        parse(Path::new("s.csv"), text, spec)
    }

    fn err(text: &[u8]) -> String {
        read(text, &SeriesSpec::default())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    }

    const EM: &str = "Datetime (UTC),Country,Zone name,Zone id,Carbon intensity gCO₂eq/kWh (direct),Carbon intensity gCO₂eq/kWh (Life cycle),Carbon-free energy percentage (CFE%),Renewable energy percentage (RE%),Data source,Data estimated,Data estimation method\n\
        2024-06-12 00:00:00,France,France,FR,20.1,45.5,95.1,30.2,rte-france.com,false,\n\
        2024-06-12 01:00:00,France,France,FR,22.3,48.25,94.8,29.9,rte-france.com,false,\n";

    #[test]
    fn electricity_maps_life_cycle_by_default_and_direct_on_request() {
        let (f, p) = read(EM.as_bytes(), &SeriesSpec::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(f, IntensityFormat::ElectricityMaps);
        let g: Vec<f64> = p.rows.iter().map(|r| r.g_per_kwh).collect();
        assert_eq!(g, [45.5, 48.25]);
        assert_eq!(p.rows[1].line, 3);
        assert!(!p.rows[0].zoned);
        assert_eq!(p.zone.map(|(z, _)| z.name), Some("UTC".to_string()));
        let direct = SeriesSpec {
            basis: Some(IntensityBasis::Direct),
            ..SeriesSpec::default()
        };
        let (_, p) = read(EM.as_bytes(), &direct).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.rows[0].g_per_kwh, 20.1);
        // the older export's column names
        let old = "Datetime (UTC),Country,Zone Name,Zone Id,Carbon Intensity gCO₂eq/kWh (direct),Carbon Intensity gCO₂eq/kWh (LCA),Low Carbon Percentage,Renewable Percentage,Data Source,Data Estimated,Data Estimation Method\n2022-01-01 00:00:00,France,France,FR,60.2,90.1,80,20,x,false,\n2022-01-01 01:00:00,France,France,FR,61.2,91.1,80,20,x,false,\n";
        let (_, p) = read(old.as_bytes(), &SeriesSpec::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.rows[1].g_per_kwh, 91.1);
    }

    #[test]
    fn eco2mix_tab_separated_latin1_with_empty_rates_and_its_closing_note() {
        let mut b: Vec<u8> = Vec::new();
        b.extend_from_slice(b"P\xE9rim\xE8tre\tNature\tDate\tHeures\tConsommation\tTaux de Co2\tEch. comm. Angleterre\t\n");
        b.extend_from_slice(
            b"France\tDonn\xE9es temps r\xE9el\t2024-06-12\t00:00\t45000\t21\t-1000\t\n",
        );
        b.extend_from_slice(
            b"France\tDonn\xE9es temps r\xE9el\t2024-06-12\t00:15\t44800\t\t-1000\t\n",
        );
        b.extend_from_slice(
            b"France\tDonn\xE9es temps r\xE9el\t2024-06-12\t00:30\t44500\t23\t-900\t\n",
        );
        b.extend_from_slice(b"RTE ne pourra \xEAtre tenue responsable de l'usage qui pourrait \xEAtre fait des donn\xE9es mises \xE0 disposition\n");
        let (f, p) = read(&b, &SeriesSpec::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(f, IntensityFormat::Eco2mix);
        let g: Vec<(usize, f64)> = p.rows.iter().map(|r| (r.line, r.g_per_kwh)).collect();
        assert_eq!(g, [(2, 21.0), (4, 23.0)]);
        assert_eq!(
            p.zone.map(|(z, _)| z.name),
            Some("Europe/Paris".to_string())
        );
        let notes = p.notes.join("; ");
        assert!(notes.contains("Données temps réel"), "{notes}");
        assert!(
            notes.contains("1 eCO2mix row(s) without a CO2 rate not used (line(s) 3)"),
            "{notes}"
        );
        assert!(
            notes.contains("line 5: the export's closing note"),
            "{notes}"
        );
    }

    #[test]
    fn plain_series_and_their_errors() {
        let (f, p) = read(
            b"time,gwp_g_per_kwh\n2024-06-12T00:00:00Z,100\n1718154000,50.5\n",
            &SeriesSpec::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(f, IntensityFormat::Plain);
        assert!(p.rows.iter().all(|r| r.zoned));
        assert_eq!(p.rows[1].g_per_kwh, 50.5);
        let e = err(b"");
        assert!(e.contains("s.csv:1") && e.contains("empty"), "{e}");
        let e = err(b"time;gwp_g_per_kwh\n2024-06-12T00:00:00Z;100\n");
        assert!(e.contains("s.csv:1") && e.contains("delimiter"), "{e}");
        let e = err(b"time,gwp_g_per_kwh\n");
        assert!(e.contains("s.csv:2") && e.contains("no data row"), "{e}");
        let e = err(b"time,gwp_g_per_kwh\n2024-06-12T00:00:00Z,100\n2024-06-12T01:00:00Z,lots\n");
        assert!(e.contains("s.csv:3") && e.contains("\"lots\""), "{e}");
        let e = err(b"time,gwp_g_per_kwh\n2024-06-12T00:00:00Z,100\n2024-06-12T01:00:00Z\n");
        assert!(e.contains("s.csv:3"), "{e}");
        let e = err(b"time,gwp_g_per_kwh\nnoon,100\n");
        assert!(e.contains("s.csv:2") && e.contains("\"noon\""), "{e}");
    }
}
