//! `mlca cluster ...`: read the inventory and the accounting (with a progress bar on long
//! reads), assess the period, render.

use super::args::{ClusterArgs, ClusterCommand};
use super::options::progress_bar;
use crate::cluster::aggregate::GroupBy;
use crate::cluster::{assess, hosts, inventory, oar, sacct_parquet, slurm, Accounting};
use crate::data::ImpactData;
use crate::energy::trace::parse_time;
use crate::error::{Diagnostic, Error, Result};
use crate::output::{self, Format};
use std::path::PathBuf;

fn load(a: &ClusterArgs, data: &ImpactData) -> Result<crate::cluster::report::ClusterReport> {
    let inv = inventory::load(&a.inventory)?;
    let progress = progress_bar();
    let acc: Accounting = match (&a.sacct, &a.oarstat) {
        (Some(f), _) if sacct_parquet::is_parquet(f) => sacct_parquet::read(f, progress.as_ref())?,
        (Some(f), _) => slurm::read(f, progress.as_ref())?,
        (None, Some(f)) => oar::read(f, progress.as_ref())?,
        (None, None) => {
            return Err(Error::input(
                Diagnostic::new("no accounting given").hint("give --sacct FILE or --oarstat FILE"),
            ))
        }
    };
    let opts = assess::Options {
        start: a
            .start
            .as_deref()
            .map(|s| parse_time(s, "--start"))
            .transpose()?,
        end: a
            .end
            .as_deref()
            .map(|s| parse_time(s, "--end"))
            .transpose()?,
        progress,
        prometheus_url: a.prometheus.clone(),
    };
    let r = assess::assess(&inv, acc, data, &opts)?;
    for w in &r.warnings {
        eprintln!("warning: {w}");
    }
    Ok(r)
}

/// Standard output that quietly takes no more bytes once its reader has gone (`mlca ... | head`),
/// as `main` does with the text it prints.
struct UntilClosed<W>(W, bool);

impl<W: std::io::Write> std::io::Write for UntilClosed<W> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        match self.1 {
            true => Ok(b.len()),
            false => self
                .0
                .write(b)
                .or_else(|e| self.closed(e).map(|()| b.len())),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self.1 {
            true => Ok(()),
            false => self.0.flush().or_else(|e| self.closed(e)),
        }
    }
}

impl<W> UntilClosed<W> {
    fn closed(&mut self, e: std::io::Error) -> std::io::Result<()> {
        self.1 = e.kind() == std::io::ErrorKind::BrokenPipe;
        if self.1 {
            Ok(())
        } else {
            Err(e)
        }
    }
}

fn inputs(a: &ClusterArgs) -> Vec<PathBuf> {
    [Some(&a.inventory), a.sacct.as_ref(), a.oarstat.as_ref()]
        .into_iter()
        .flatten()
        .cloned()
        .collect()
}

/// Run a `mlca cluster` command; returns what to print.
pub fn run(c: ClusterCommand, data: &ImpactData) -> Result<String> {
    match c {
        ClusterCommand::Report {
            input,
            by,
            top,
            format,
            output: out,
        } => {
            if let Some(o) = &out {
                output::write::refuse_input("--output", o, &inputs(&input))?;
            }
            if format == Format::Parquet && out.is_none() {
                return Err(Error::input(
                    Diagnostic::new("--format parquet writes a file: no --output given")
                        .hint("give --output FILE.parquet (Parquet is binary, not for a terminal)"),
                ));
            }
            let r = load(&input, data)?;
            if !matches!(format, Format::Csv | Format::Json | Format::Parquet) {
                let text = output::cluster::table(&r, by, top)?;
                return super::emit(text, out, &inputs(&input));
            }
            // the rows go out as they are made: millions of jobs are never held as text
            let write = |w: &mut dyn std::io::Write| match format {
                Format::Csv => output::cluster::write_csv(&r, by, w),
                Format::Parquet => output::cluster::write_parquet(&r, by, w),
                _ => output::cluster::write_json(&r, by, top, w),
            };
            match out {
                Some(o) => output::write::write_atomically_with(&o, write)?,
                None => {
                    let mut w =
                        std::io::BufWriter::new(UntilClosed(std::io::stdout().lock(), false));
                    write(&mut w)?;
                    std::io::Write::flush(&mut w)
                        .map_err(|e| Error::Internal(format!("writing the report: {e}")))?;
                }
            }
            Ok(String::new())
        }
        ClusterCommand::Statement {
            input,
            user,
            account,
            output: out,
        } => {
            if let Some(o) = &out {
                output::write::refuse_input("--output", o, &inputs(&input))?;
            }
            let r = load(&input, data)?;
            let (by, key) = match (user, account) {
                (Some(u), _) => (GroupBy::User, u),
                (None, Some(a)) => (GroupBy::Account, a),
                (None, None) => {
                    return Err(Error::input(
                        Diagnostic::new("no user or account given")
                            .hint("give --user NAME or --account NAME"),
                    ))
                }
            };
            let text = output::cluster::statement(&r, by, &key)?;
            super::emit(text, out, &inputs(&input))
        }
        ClusterCommand::Hosts { list } => {
            let h = hosts::expand(&list).map_err(|e| {
                Error::input(
                    Diagnostic::new(format!(
                        "cannot read the host list \"{list}\": {} (at character {})",
                        e.message,
                        e.offset + 1
                    ))
                    .hint("write hosts as Slurm does: cn[1-6],gpu[01-04]"),
                )
            })?;
            Ok(h.iter().map(|x| format!("{x}\n")).collect())
        }
    }
}
