//! mlca: life-cycle assessment of machine-learning compute.
//!
//! Pipeline: scenario (YAML) -> [`scenario::load`] -> [`assess::assess`] with [`data::ImpactData`]
//! -> [`assess::Report`] -> [`report::render`]. Only [`run`] touches files.

pub mod assess;
pub mod catalog;
pub mod cli;
pub mod data;
pub mod embodied;
pub mod error;
pub mod extrapolate;
pub mod impacts;
pub mod interval;
pub mod names;
pub mod plot;
pub mod report;
pub mod scenario;
pub mod trace;
pub mod units;

use cli::{Cli, Command, HardwareCommand, MixCommand, ShowFormat, TraceCommand};
use error::{Diagnostic, Error, Result};
use std::io::Write;
use std::path::Path;

/// Run a parsed command line; returns what to print on standard output.
pub fn run(cli: Cli) -> Result<String> {
    let data = data::ImpactData::load(cli.data.as_deref())?;
    match cli.command {
        Command::Assess {
            file,
            format,
            output,
        } => {
            let loaded = scenario::load(&file)?;
            let rep = assess::assess(&loaded, &data)?;
            let text = report::render(&rep, format)?;
            for w in &rep.warnings {
                eprintln!("warning: {w}");
            }
            match output {
                Some(p) => {
                    write_atomically(&p, text.as_bytes())?;
                    Ok(String::new())
                }
                None => Ok(text),
            }
        }
        Command::Validate { file } => {
            let loaded = scenario::load(&file)?;
            // Resolve every name and check every rule the assessment checks.
            assess::assess(&loaded, &data)?;
            Ok(format!("{}: valid\n", file.display()))
        }
        Command::Hardware { command } => match command {
            HardwareCommand::List { kind } => Ok(catalog::list(&data, kind)),
            HardwareCommand::Show { name, kind, format } => {
                catalog::show(&data, &name, kind, format)
            }
        },
        Command::Mix { command } => match command {
            MixCommand::Show { country, format } => catalog::mix_show(&data, &country, format),
            MixCommand::List => Ok(catalog::mix_list(&data)),
        },
        Command::Extrapolate {
            points,
            to,
            nodes,
            parallel_efficiency,
            level,
            method,
            min_r2,
            trace: tr,
            codecarbon,
            training_log,
            input_format,
            format,
            plot: plots,
        } => {
            let target = extrapolate::Target {
                steps: to,
                nodes,
                parallel_efficiency,
                level,
                method,
                min_r2,
            };
            let (pts, source) = match (points, tr, codecarbon, training_log) {
                (Some(p), None, None, None) => (extrapolate::read_points(&p)?, p.display().to_string()),
                (None, Some(t), None, Some(log)) => {
                    let opts = trace::TraceOptions { format: input_format, ..Default::default() };
                    let (pts, _) = extrapolate::points_from_trace(&t, &log, &opts)?;
                    (pts, format!("{} joined to {}", t.display(), log.display()))
                }
                (None, None, Some(c), Some(log)) => (extrapolate::points_from_codecarbon(&c, &log)?, format!("{} joined to {}", c.display(), log.display())),
                _ => {
                    return Err(Error::input(Diagnostic::new("give one source of points").hint(
                        "POINTS.csv, or --trace FILE --training-log LOG, or --codecarbon FILE --training-log LOG",
                    )))
                }
            };
            let x = extrapolate::extrapolate(&source, &pts, &target)?;
            for w in &x.warnings {
                eprintln!("warning: {w}");
            }
            for p in &plots {
                plot::extrapolation(p, &x)?;
            }
            match format {
                ShowFormat::Table => Ok(extrapolate::table(&x)),
                ShowFormat::Json => serde_json::to_string_pretty(&x)
                    .map(|s| s + "\n")
                    .map_err(|e| Error::Internal(e.to_string())),
            }
        }
        Command::Trace { command } => match command {
            TraceCommand::Summary {
                file,
                input_format,
                format,
                options,
            } => {
                let mut opts = trace::options_from_args(&options, input_format)?;
                opts.progress = std::io::IsTerminal::is_terminal(&std::io::stderr());
                let s = trace::read(&file, &opts)?;
                for w in &s.warnings {
                    eprintln!("warning: {w}");
                }
                match format {
                    ShowFormat::Table => Ok(trace::report::table(&s)),
                    ShowFormat::Json => trace::report::json(&s),
                }
            }
        },
    }
}

/// Write `bytes` to `path` through a temporary file in the same directory, renamed at the end, so
/// that a failure never leaves a partial file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let bad = |e: std::io::Error| {
        Error::input(
            Diagnostic::new(format!("cannot write {}: {e}", path.display()))
                .hint("check that the directory exists and is writable"),
        )
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "output".into());
    let tmp = dir.join(format!(".{name}.mlca-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(bad(e));
    }
    Ok(())
}
