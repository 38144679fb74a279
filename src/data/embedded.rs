//! The embedded CSV files of the impact data as Rust tables, made at build time (`build.rs`):
//! each row's line and trimmed fields, a field that reads as a number with its value. A row is
//! deserialized from its fields as the CSV reader would deserialize it from its text, without
//! tokenising, trimming or parsing numbers. The tests check every field of every table against
//! its file and run on each file the checks that a file of `--data DIR` goes through.

use serde::de::value::{BorrowedStrDeserializer, Error};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};
use serde::forward_to_deserialize_any;

/// One field of a row, trimmed.
#[derive(Debug, Clone, Copy)]
pub(super) enum Cell {
    /// An empty field.
    E,
    /// A field that is not a number.
    T(&'static str),
    /// A field that reads as a number (`str::parse::<f64>`), with its value.
    N(f64, &'static str),
}

use Cell::{E, N, T};

impl Cell {
    pub(super) fn text(self) -> &'static str {
        match self {
            E => "",
            T(s) | N(_, s) => s,
        }
    }
}

/// A row of a table and its line in the file (1-based).
#[derive(Debug)]
pub(super) struct Row {
    pub(super) line: usize,
    pub(super) cells: &'static [Cell],
}

/// The header and rows of an embedded CSV file.
#[derive(Debug)]
pub(super) struct Table {
    pub(super) file: &'static str,
    pub(super) header: &'static [&'static str],
    pub(super) rows: &'static [Row],
    /// The token set of each row's name ([`super::token_set::normalized`]), for a table with a
    /// `name` column (else empty).
    pub(super) names: &'static [&'static str],
}

include!(concat!(env!("OUT_DIR"), "/impact_tables.rs"));

/// The table of embedded CSV file `file`, if it is one.
pub(super) fn table(file: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.file == file)
}

/// The rows of `table` with their lines, each deserialized by its column names.
pub(super) fn rows<T: DeserializeOwned>(table: &Table) -> Result<Vec<(usize, T)>, Error> {
    table.rows.iter().map(|r| table.read(r)).collect()
}

impl Table {
    /// Row `row` of the table, with its line, deserialized by its column names.
    fn read<T: DeserializeOwned>(&self, row: &Row) -> Result<(usize, T), Error> {
        let read = T::deserialize(RowDe {
            header: self.header,
            cells: row.cells,
        })?;
        Ok((row.line, read))
    }
}

/// Row `i` of `table` with its line, deserialized; `None` past the last row.
pub(super) fn row<T: DeserializeOwned>(
    table: &Table,
    i: usize,
) -> Result<Option<(usize, T)>, Error> {
    table.rows.get(i).map(|r| table.read(r)).transpose()
}

/// The first row of `table` whose field in column `column` is `value` in any ASCII case, with
/// its line, deserialized; `None` when no row has it.
pub(super) fn find<T: DeserializeOwned>(
    table: &Table,
    column: &str,
    value: &str,
) -> Result<Option<(usize, T)>, Error> {
    let Some(i) = table.header.iter().position(|h| *h == column) else {
        return Ok(None);
    };
    let found = table.rows.iter().find(|r| {
        r.cells
            .get(i)
            .is_some_and(|c| c.text().eq_ignore_ascii_case(value))
    });
    found.map(|r| table.read(r)).transpose()
}

/// A row, read as a map from column names to fields.
struct RowDe {
    header: &'static [&'static str],
    cells: &'static [Cell],
}

impl<'de> de::Deserializer<'de> for RowDe {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_map(Fields {
            header: self.header,
            cells: self.cells,
            at: 0,
        })
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct Fields {
    header: &'static [&'static str],
    cells: &'static [Cell],
    at: usize,
}

impl<'de> MapAccess<'de> for Fields {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.header.get(self.at) {
            Some(h) if self.at < self.cells.len() => {
                seed.deserialize(BorrowedStrDeserializer::new(h)).map(Some)
            }
            _ => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let cell = self.cells.get(self.at).copied().unwrap_or(E);
        self.at += 1;
        seed.deserialize(CellDe(cell))
    }
}

/// One field, read as the CSV reader reads it: empty is `None`, a number from its value.
struct CellDe(Cell);

impl CellDe {
    fn parse<N: std::str::FromStr>(self, what: &str) -> Result<N, Error> {
        self.0
            .text()
            .parse()
            .map_err(|_| de::Error::custom(format!("\"{}\" is not {what}", self.0.text())))
    }
}

impl<'de> de::Deserializer<'de> for CellDe {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_borrowed_str(self.0.text())
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            E => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            N(v, _) => visitor.visit_f64(v),
            _ => visitor.visit_f64(self.parse("a number")?),
        }
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_f32(self.parse("a number")?)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_u64(self.parse("a whole number")?)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_i64(self.parse("a whole number")?)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_bool(self.parse("true or false")?)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_enum(self.0.text().into_deserializer())
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_i64(visitor)
    }

    forward_to_deserialize_any! {
        i8 i16 i128 u8 u16 u128 char str string
        bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::super::check::{self, Schema};
    use super::super::load::FILES;
    use super::super::token_set::normalized;
    use super::super::ImpactData;
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Probe {
        name: String,
        area: Option<f64>,
        count: u32,
        note: Option<String>,
    }

    #[test]
    fn a_row_reads_as_the_csv_reader_reads_it() {
        let table = Table {
            file: "t.csv",
            header: &["name", "area", "note", "count"],
            rows: &[
                Row {
                    line: 2,
                    cells: &[T("a"), N(1.5, "1.5"), E, N(3.0, "3")],
                },
                Row {
                    line: 4,
                    cells: &[N(7.0, "7"), E, T("x y"), N(0.0, "0")],
                },
            ],
            names: &[],
        };
        let read = rows::<Probe>(&table).unwrap_or_default();
        assert_eq!(
            read,
            vec![
                (
                    2,
                    Probe {
                        name: "a".into(),
                        area: Some(1.5),
                        count: 3,
                        note: None
                    }
                ),
                (
                    4,
                    Probe {
                        name: "7".into(),
                        area: None,
                        count: 0,
                        note: Some("x y".into())
                    }
                ),
            ]
        );
        let bad = Table {
            file: "t.csv",
            header: &["name", "area", "note", "count"],
            rows: &[Row {
                line: 2,
                cells: &[T("a"), T("ten"), E, N(3.0, "3")],
            }],
            names: &[],
        };
        let e = rows::<Probe>(&bad).err().map(|e| e.to_string());
        assert_eq!(e.as_deref(), Some("\"ten\" is not a number"));
    }

    /// Every CSV file's table holds the file's rows at their lines, field by field, and each
    /// file passes the checks of a `--data` file (numbers finite and not negative, keys
    /// distinct): the build-time tables escape none of them.
    #[test]
    fn every_table_is_its_file_checked() {
        let csv_files: Vec<_> = FILES.iter().filter(|(n, _)| n.ends_with(".csv")).collect();
        assert_eq!(csv_files.len(), TABLES.len());
        for (file, text) in csv_files {
            let Some(table) = table(file) else {
                panic!("no table for {file}");
            };
            let src = check::Text {
                text,
                origin: "embedded",
            };
            let read = check::read::<Vec<String>>(&Schema::of(file, text), src);
            let read = read.unwrap_or_else(|e| panic!("{file}: {e}"));
            let header: Vec<&str> = text.lines().next().unwrap_or("").split(',').collect();
            assert_eq!(table.header, header.as_slice(), "{file}");
            // the token set of each row's name, made at build time, is the one made now
            let name = header.iter().position(|h| *h == "name");
            let names: Vec<String> = match name {
                Some(i) => read.iter().map(|(_, r)| normalized(&r[i])).collect(),
                None => Vec::new(),
            };
            assert_eq!(table.names, names.as_slice(), "{file}");
            assert_eq!(table.rows.len(), read.len(), "{file}");
            for (row, (line, fields)) in table.rows.iter().zip(&read) {
                assert_eq!(row.line, *line, "{file}");
                assert_eq!(row.cells.len(), fields.len(), "{file}:{line}");
                for (cell, field) in row.cells.iter().zip(fields) {
                    assert_eq!(cell.text(), field, "{file}:{line}");
                    let parsed = field.parse::<f64>().ok().filter(|_| !field.is_empty());
                    match *cell {
                        N(v, _) => assert_eq!(Some(v.to_bits()), parsed.map(f64::to_bits)),
                        E => assert!(field.is_empty()),
                        T(_) => assert_eq!(parsed, None, "{file}:{line} {field}"),
                    }
                }
            }
        }
    }

    #[test]
    fn the_bibtex_entries_are_those_of_the_file() {
        let text = FILES.iter().find(|(n, _)| *n == "references.bib");
        let entries = super::super::bibtex::entries(text.map_or("", |(_, t)| t));
        let built: Vec<(String, String)> = BIBTEX
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(built, entries);
        assert!(entries.len() > 20);
    }

    /// The embedded data read from the build-time tables and the same files read as `--data`
    /// files give the same tables, row for row.
    #[test]
    fn the_tables_read_as_their_files() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("impact-data");
        let read = |data: Option<&std::path::Path>| -> String {
            let d = ImpactData::load(data).unwrap_or_else(|e| panic!("{e}"));
            for r in [
                d.mixes().map(|_| ()),
                d.factors().map(|_| ()),
                d.method_factors().map(|_| ()),
                d.defaults().map(|_| ()),
                d.equivalents().map(|_| ()),
                d.cpus().map(|_| ()),
                d.gpus().map(|_| ()),
                d.ram().map(|_| ()),
                d.ssd().map(|_| ()),
                d.nodes().map(|_| ()),
                d.locations().map(|_| ()),
                d.cloud().map(|_| ()),
            ] {
                assert!(r.is_ok(), "{r:?}");
            }
            format!(
                "{:?}\n{:?}\n{:?}\n{:?}",
                d.base.sources, d.mix_ranges, d.bibtex, d.tables
            )
        };
        // every CPU read alone is the catalog's row
        let d = ImpactData::embedded().unwrap_or_else(|e| panic!("{e}"));
        let by_name = d.base.by_name::<super::super::CpuSpec>("cpus.csv", "CPU");
        let Some(by_name) = by_name else {
            panic!("no CPU names");
        };
        let cpus = d.cpus().unwrap_or_default();
        assert!(cpus.len() > 1000);
        for (i, c) in cpus.iter().enumerate() {
            let alone = by_name.row(i, &d.base, "cpus.csv", super::super::tables::cpu_source);
            assert_eq!(alone.map(|a| format!("{a:?}")).ok(), Some(format!("{c:?}")));
        }
        let embedded = read(None);
        assert_eq!(embedded, read(Some(&dir)));
        assert!(embedded.contains("AMD A10-9700"));
    }
}
