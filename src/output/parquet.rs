//! Parquet: typed rows written through polars, as bytes (the command line writes them to a
//! file atomically; a Parquet file is never printed).

use super::cluster::{Column, Rows};
use crate::error::{Error, Result};
use polars::prelude::{Column as PlColumn, DataFrame, ParquetWriter};

/// The rows as a Parquet file: one column per name, strings as UTF-8, f64 and u64 as such,
/// compressed with zstd.
pub fn bytes(rows: Rows) -> Result<Vec<u8>> {
    let err = |e: polars::error::PolarsError| Error::Internal(format!("Parquet output: {e}"));
    let columns: Vec<PlColumn> = rows
        .names
        .into_iter()
        .zip(rows.columns)
        .map(|(name, c)| match c {
            Column::Text(v) => PlColumn::new(name.into(), v),
            Column::Float(v) => PlColumn::new(name.into(), v),
            Column::Count(v) => PlColumn::new(name.into(), v),
        })
        .collect();
    let mut df = DataFrame::new(rows.len, columns).map_err(err)?;
    let mut out = Vec::new();
    ParquetWriter::new(&mut out).finish(&mut df).map_err(err)?;
    Ok(out)
}
