//! Reading one file of the impact data, checked: a CSV file's header has every column of the
//! embedded file of the same name, every row reads (a number where a number is due), every
//! number of a numeric column is finite and not negative, and no two rows share a key (a CPU's
//! name); `nodes.yaml` reads as a list of nodes with distinct names. Each error names the file,
//! its line and, where known, the column.
//!
//! Lines are counted once per file, forward as the rows are read ([`LineCounter`]).

use super::load::bad;
use crate::error::{Diagnostic, Error, Result};
use std::collections::BTreeMap;

/// What to check in a CSV data file besides its header: its numeric and key columns.
pub(super) struct Schema<'a> {
    /// The file's name ("gpus.csv").
    pub file: &'a str,
    /// The embedded file's text: its header lists the columns the file must have.
    pub embedded: &'a str,
    /// Columns holding numbers (finite, not negative).
    pub numeric: &'a [&'a str],
    /// Columns whose values together name a row: two rows with the same key are an error.
    pub key: &'a [&'a str],
}

/// The numeric and key columns of each CSV data file (a file not listed has neither).
const SCHEMAS: [(&str, &[&str], &[&str]); 11] = [
    (
        "equivalents.csv",
        &["value", "min", "max"],
        &["equivalent_id"],
    ),
    ("sources.csv", &[], &["source_id"]),
    (
        "electricity.csv",
        &["gwp_kgco2eq_per_kwh", "adp_kgsbeq_per_kwh", "pe_mj_per_kwh"],
        &["code"],
    ),
    ("electricity-ranges.csv", &["min", "max"], &["criterion"]),
    (
        "boavizta-factors.csv",
        &["gwp_kgco2eq", "adp_kgsbeq", "pe_mj"],
        &["factor_id"],
    ),
    (
        "other-methods.csv",
        &["gwp_kgco2eq", "adp_kgsbeq", "pe_mj"],
        &["method", "factor_id"],
    ),
    ("defaults.csv", &["value", "min", "max"], &["default_id"]),
    (
        "cpus.csv",
        &["cores", "threads", "tdp_w", "die_area_mm2"],
        &["name"],
    ),
    (
        "gpus.csv",
        &[
            "gpu_dies",
            "vram_gb",
            "vram_dies",
            "die_area_effective_mm2",
            "pcb_area_cm2",
            "casing_kg",
            "heatsink_kg",
            "mass_kg",
            "boat_km",
            "truck_km",
            "plane_km",
            "die_area_mm2",
        ],
        &["name"],
    ),
    ("ram.csv", &["process_nm", "density_gb_per_cm2"], &[]),
    (
        "ssd.csv",
        &["layers", "bits_per_cell", "density_gb_per_cm2"],
        &[],
    ),
];

impl Schema<'_> {
    /// The schema of data file `file`, whose embedded text is `embedded`.
    pub(super) fn of<'a>(file: &'a str, embedded: &'a str) -> Schema<'a> {
        let (numeric, key) = SCHEMAS
            .iter()
            .find(|(n, _, _)| *n == file)
            .map_or((&[][..], &[][..]), |(_, n, k)| (*n, *k));
        Schema {
            file,
            embedded,
            numeric,
            key,
        }
    }
}

/// A data file's text and where it came from ("embedded" or its path).
#[derive(Clone, Copy)]
pub(super) struct Text<'a> {
    pub text: &'a str,
    pub origin: &'a str,
}

/// An error at `line` (1-based) of data file `file`, with its column when known.
pub(super) fn error_at(
    file: &str,
    src: Text,
    line: usize,
    column: Option<usize>,
    message: String,
    hint: Option<&str>,
) -> Error {
    let mut d = Diagnostic::new(message).file(std::path::Path::new(src.origin));
    d = match column {
        Some(c) => d.at(line, c, Some(src.text)),
        None => {
            d.line = Some(line);
            d.snippet = Some(line_text(src.text, line).to_string());
            d
        }
    };
    match (bad(file, src.origin, d), hint) {
        (Error::Input(d), Some(h)) => {
            let h = format!("{h}; {}", d.hint.clone().unwrap_or_default());
            Error::input(d.hint(h))
        }
        (e, _) => e,
    }
}

/// The 1-based character column of field `index` on a line without quotes.
pub(super) fn column_of(line: &str, index: usize) -> Option<usize> {
    if line.contains('"') {
        return None;
    }
    let mut col = 1;
    for (i, f) in line.split(',').enumerate() {
        if i == index {
            let lead = f.len() - f.trim_start().len();
            return Some(col + f[..lead].chars().count());
        }
        col += f.chars().count() + 1;
    }
    None
}

/// The text of line `line` (1-based) of `text`.
pub(super) fn line_text(text: &str, line: usize) -> &str {
    text.lines().nth(line.saturating_sub(1)).unwrap_or("")
}

/// The line of each record of a text, its records asked in the order they are read: the line
/// ends are counted forward from the last record asked, so a file's lines are counted once.
struct LineCounter<'a> {
    bytes: &'a [u8],
    /// The byte up to which line ends are counted, and the line it is on.
    at: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            bytes: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    /// The 1-based line of the record starting at byte `offset`.
    fn line_at(&mut self, offset: u64) -> usize {
        let b = self.bytes;
        let mut end = usize::try_from(offset).map_or(b.len(), |o| o.min(b.len()));
        // a record read after a CRLF line end starts at its LF; blank lines are no record
        while end < b.len() && (b[end] == b'\n' || b[end] == b'\r') {
            end += 1;
        }
        if end < self.at {
            (self.at, self.line) = (0, 1);
        }
        self.line += b[self.at..end].iter().filter(|&&c| c == b'\n').count();
        self.at = end;
        self.line
    }
}

/// The rows of a CSV data file with their lines, checked against `schema`.
pub(super) fn read<T: serde::de::DeserializeOwned>(
    schema: &Schema,
    src: Text,
) -> Result<Vec<(usize, T)>> {
    let file = schema.file;
    let at = |line: usize, column: Option<usize>, message: String, hint: Option<&str>| {
        error_at(file, src, line, column, message, hint)
    };
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(src.text.as_bytes());
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(at(1, None, format!("the header cannot be read: {e}"), None)),
    };
    let expected: Vec<&str> = schema
        .embedded
        .lines()
        .next()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    // an empty file has no header at all: the caller says what it needs
    if !headers.is_empty() {
        let missing: Vec<&str> = expected
            .iter()
            .copied()
            .filter(|c| !headers.iter().any(|h| h == *c))
            .collect();
        if !missing.is_empty() {
            let s = if missing.len() == 1 { "" } else { "s" };
            return Err(at(
                1,
                None,
                format!("the header has no column{s} {}", missing.join(", ")),
                Some(&format!("the header must name {}", expected.join(","))),
            ));
        }
    }
    let index_of = |name: &str| headers.iter().position(|h| h == name);
    let numeric: Vec<(&str, usize)> = schema
        .numeric
        .iter()
        .filter_map(|c| Some((*c, index_of(c)?)))
        .collect();
    let key: Vec<Option<usize>> = schema.key.iter().map(|k| index_of(k)).collect();
    let mut keys: BTreeMap<String, usize> = BTreeMap::new();
    let mut lines = LineCounter::new(src.text);
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line_before = lines.line_at(rdr.position().byte());
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e
                    .position()
                    .map_or(line_before, |p| lines.line_at(p.byte()))
                    .max(2);
                let message = match e.kind() {
                    csv::ErrorKind::UnequalLengths { len, .. } => format!(
                        "row {line}: {len} fields, but the header has {}",
                        headers.len()
                    ),
                    _ => format!("row {line}: {e}"),
                };
                return Err(at(
                    line,
                    None,
                    message,
                    Some("a value holding a comma must be quoted; a decimal separator is a point"),
                ));
            }
        }
        let line = record
            .position()
            .map_or(line_before, |p| lines.line_at(p.byte()));
        let row: T = record.deserialize(Some(&headers)).map_err(|e| {
            let field = match e.kind() {
                csv::ErrorKind::Deserialize { err, .. } => err.field().map(|f| f as usize),
                _ => None,
            };
            match field {
                Some(f) => {
                    let name = headers.get(f).unwrap_or("?");
                    let value = record.get(f).unwrap_or("");
                    let reason = match e.kind() {
                        csv::ErrorKind::Deserialize { err, .. } => match err.kind() {
                            csv::DeserializeErrorKind::ParseFloat(_)
                            | csv::DeserializeErrorKind::ParseInt(_) => "is not a number".into(),
                            other => format!("cannot be read: {other}"),
                        },
                        _ => String::new(),
                    };
                    at(
                        line,
                        column_of(line_text(src.text, line), f),
                        format!("row {line}, column {name}: \"{value}\" {reason}"),
                        None,
                    )
                }
                None => at(line, None, format!("row {line}: {e}"), None),
            }
        })?;
        for &(col, i) in &numeric {
            let raw = record.get(i).unwrap_or("");
            if raw.is_empty() {
                continue;
            }
            let bad_value = match raw.parse::<f64>() {
                Ok(v) if !v.is_finite() => Some("is not a finite number"),
                Ok(v) if v < 0.0 => Some("is negative: the figures of the data are not"),
                Ok(_) => None,
                Err(_) => Some("is not a number"),
            };
            if let Some(why) = bad_value {
                return Err(at(
                    line,
                    column_of(line_text(src.text, line), i),
                    format!("row {line}, column {col}: \"{raw}\" {why}"),
                    None,
                ));
            }
        }
        if !key.is_empty() {
            let parts: Vec<&str> = key
                .iter()
                .map(|i| i.and_then(|i| record.get(i)).unwrap_or(""))
                .collect();
            let k = parts.join(" ");
            if let Some(first) = keys.insert(k.to_lowercase(), line) {
                return Err(at(
                    line,
                    None,
                    format!(
                        "row {line}: a second row for {} \"{k}\" (the first is row {first})",
                        schema.key.join(" and ")
                    ),
                    Some("remove one of the two rows"),
                ));
            }
        }
        out.push((line, row));
    }
    Ok(out)
}

/// The catalog's nodes (`nodes.yaml`: a list of bills of materials, distinct names), or an
/// error at the YAML line that cannot be read.
pub(super) fn read_nodes(src: Text) -> Result<Vec<super::rows::NodeSpec>> {
    let nodes: Vec<super::rows::NodeSpec> = yaml_serde::from_str(src.text).map_err(|e| {
        let (line, column) = e
            .location()
            .map_or((1, 1), |l| (l.line().max(1), l.column().max(1)));
        let message = e
            .to_string()
            .replace("struct NodeSpec", "a node (name, source_id, description, bom)")
            .replace("a sequence", "a list of nodes");
        let message = match message.find(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        error_at(
            "nodes.yaml",
            src,
            line,
            Some(column),
            format!("line {line}: {message}"),
            Some("the file is a list of nodes, each `- name: ...` with its source_id, description and bom; check the indentation, colons and closing quotes"),
        )
    })?;
    let mut seen = std::collections::BTreeSet::new();
    for n in &nodes {
        if !seen.insert(n.name.trim().to_lowercase()) {
            return Err(bad(
                "nodes.yaml",
                src.origin,
                Diagnostic::new(format!("two nodes named \"{}\"", n.name))
                    .file(std::path::Path::new(src.origin)),
            ));
        }
    }
    Ok(nodes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Row {
        name: String,
        area: Option<f64>,
    }

    const SCHEMA: Schema = Schema {
        file: "t.csv",
        embedded: "name,area\nx,1\n",
        numeric: &["area"],
        key: &["name"],
    };

    fn rows(text: &str) -> Result<Vec<(usize, Row)>> {
        read::<Row>(
            &SCHEMA,
            Text {
                text,
                origin: "d/t.csv",
            },
        )
    }

    fn err(text: &str) -> String {
        rows(text).err().map(|e| e.to_string()).unwrap_or_default()
    }

    fn lines(text: &str) -> Vec<usize> {
        rows(text).unwrap_or_default().iter().map(|r| r.0).collect()
    }

    #[test]
    fn rows_keep_their_lines() {
        assert_eq!(lines("name,area\r\na,1\r\nb,2\r\n"), vec![2, 3]);
        assert_eq!(lines("name,area\na,1\n\"b\nc\",2\nd,\n"), vec![2, 3, 5]);
        assert_eq!(lines("name,area\n\na,1\n\n\nb,2"), vec![3, 6]);
    }

    #[test]
    fn lines_are_counted_forward() {
        let text = "a\nb\r\n\nc\nd";
        let mut c = LineCounter::new(text);
        // the start of each line, in order, then an earlier one
        assert_eq!(c.line_at(0), 1);
        assert_eq!(c.line_at(2), 2);
        assert_eq!(c.line_at(4), 4);
        assert_eq!(c.line_at(7), 5);
        assert_eq!(c.line_at(9), 5);
        assert_eq!(c.line_at(99), 5);
        assert_eq!(c.line_at(2), 2);
    }

    #[test]
    fn each_defect_is_located() {
        let e = err("name\na\n");
        assert!(
            e.contains("no column area") && e.contains("d/t.csv:1"),
            "{e}"
        );
        let e = err("name,area\na,1\nb,ten\n");
        assert!(
            e.contains("row 3, column area: \"ten\" is not a number"),
            "{e}"
        );
        assert!(e.contains("d/t.csv:3:3"), "{e}");
        let e = err("name,area\na,NaN\n");
        assert!(e.contains("\"NaN\" is not a finite number"), "{e}");
        let e = err("name,area\na,-1\n");
        assert!(e.contains("\"-1\" is negative"), "{e}");
        let e = err("name,area\na,1\nA,2\n");
        assert!(
            e.contains("row 3: a second row for name \"A\" (the first is row 2)"),
            "{e}"
        );
        assert!(e.contains("d/t.csv:3"), "{e}");
        let e = err("name,area\na,1,2\n");
        assert!(e.contains("row 2: 3 fields, but the header has 2"), "{e}");
    }

    #[test]
    fn columns_are_found_on_lines_without_quotes() {
        assert_eq!(column_of("ab,  cd,e", 1), Some(6));
        assert_eq!(column_of("ab,cd,e", 2), Some(7));
        assert_eq!(column_of("ab,cd", 5), None);
        assert_eq!(column_of("\"a,b\",c", 1), None);
    }
}
