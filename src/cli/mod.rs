//! Layer 8, the command line: parse the arguments ([`args`]), load the inputs, call the core,
//! render, and write or print. Only this layer prints (through `main`), shows progress and knows
//! clap.

pub mod args;
mod cluster;
mod options;
mod plots;

use crate::assessment;
use crate::data;
use crate::energy::{self, extrapolate, trace};
use crate::error::{Diagnostic, Error, Result};
use crate::output::{self, plot, write::write_atomically};
use crate::scenario;
use crate::uncertainty;
use args::{Cli, Command, HardwareCommand, MixCommand, TraceCommand};
use std::path::Path;

/// Run a parsed command line; returns what to print on standard output.
pub fn run(cli: Cli) -> Result<String> {
    refuse_outputs_that_are_inputs(&cli.command)?;
    // never freed: the process ends with the command, and freeing the tables it read (for a bill
    // of materials, the 1,500 rows of the CPU catalog and their names) costs 7 % of such a run
    let data = std::mem::ManuallyDrop::new(data::ImpactData::load(cli.data.as_deref())?);
    match cli.command {
        Command::Assess {
            file,
            format,
            output,
            plot: plot_dir,
            plot_options,
            samples,
            seed,
            percentiles,
            compare_methods,
            intensity,
            equivalents,
        } => {
            let mut loaded = scenario::load(&file)?;
            options::apply_intensity(&mut loaded, &intensity)?;
            if compare_methods {
                let c = assessment::methods::compare(&loaded, &data)?;
                return emit(output::methods::render(&c, format)?, output, &[file]);
            }
            if let Some(n) = samples {
                check_samples(n)?;
            }
            let mc = samples.map(|n| uncertainty::McOptions {
                samples: n,
                seed,
                percentiles: percentiles.clone(),
            });
            // the scenario's files are read once: for the assessment and, with --plot, the
            // power profile and the energy per quality point in the same pass
            // (the intensity series too: prepared here when the traces are read on its time bins)
            let traces = loaded.scenario.energy.traces.is_some();
            let plots = plot_dir.is_some();
            let series = if plots && traces {
                Some(assessment::intensity::prepare(&loaded)?)
            } else {
                None
            };
            let needs = energy::inputs::Needs {
                time_bins: series
                    .as_ref()
                    .and_then(|p| p.as_ref().map(assessment::intensity::time_bins)),
                power_bins: (plots && traces).then_some(400),
                quality: plots && traces && loaded.scenario.functional_unit.quality_log.is_some(),
                progress: options::progress_bar(),
            };
            let inputs = if plots {
                Some(energy::inputs::resolve(&loaded, &needs)?)
            } else {
                None
            };
            let files = match &inputs {
                Some(i) => energy::Files::Resolved(i),
                None => energy::Files::Read(&needs),
            };
            let given = match &series {
                Some(p) => assessment::intensity::Given::Prepared(p.as_ref()),
                None => assessment::intensity::Given::ToRead,
            };
            let rep = uncertainty::assess_files_with(&loaded, &data, files, given, mc.as_ref())?;
            let mut text = output::render(&rep, format)?;
            if let Some(eq) = options::equivalents(&rep, &data, &equivalents)? {
                text = output::equivalents::append(text, format, &eq)?;
            }
            for w in &rep.warnings {
                eprintln!("warning: {w}");
            }
            if let (Some(dir), Some(i)) = (plot_dir, &inputs) {
                plots::of_assessment(&dir, &plot_options, &loaded, &rep, i)?;
            }
            emit(text, output, &[file])
        }
        Command::Compare {
            files,
            format,
            output,
            plot: plot_dir,
            plot_options,
        } => {
            let items = load_and_assess(&files, &data)?;
            let c = assessment::compare::compare(&items)?;
            for w in &c.warnings {
                eprintln!("warning: {w}");
            }
            let text = output::compare::render(&c, format)?;
            if let Some(dir) = plot_dir {
                plots::of_comparison(&dir, &plot_options, &items, &c)?;
            }
            emit(text, output, &files)
        }
        Command::Statement {
            file,
            format,
            output,
            bib,
            equivalents,
        } => {
            if let Some(b) = &bib {
                check_bib(b, format, output.as_deref())?;
            }
            let loaded = scenario::load(&file)?;
            let rep = assessment::assess(&loaded, &data)?;
            let mut w = output::statement::render(&rep, &loaded.scenario, &data, format)?;
            if let Some(eq) = options::equivalents(&rep, &data, &equivalents)? {
                w = output::equivalents::statement(w, format, &eq, &data)?;
            }
            match (bib, output) {
                (None, output) => emit(w.text, output, &[file]),
                // the statement and its references written together, or neither
                (Some(b), Some(o)) => {
                    output::write::write_all_or_nothing(&[
                        (o, w.text.into_bytes()),
                        (b, w.bib.into_bytes()),
                    ])?;
                    Ok(String::new())
                }
                (Some(b), None) => {
                    write_atomically(&b, w.bib.as_bytes())?;
                    Ok(w.text)
                }
            }
        }
        Command::Plot {
            kind,
            files,
            output,
            size,
        } => {
            let items = load_and_assess(&files, &data)?;
            let one = || -> Result<&(scenario::Loaded, assessment::Report)> {
                match items.as_slice() {
                    [x] => Ok(x),
                    _ => Err(Error::input(Diagnostic::new(format!(
                        "this plot takes one scenario, {} given",
                        items.len()
                    )))),
                }
            };
            let k = plot::Figure {
                size,
                kind: plot::kind_of(&output)?,
            };
            let bytes = match kind {
                args::PlotKind::Radar => plot::radar(k, &assessment::compare::compare(&items)?)?,
                args::PlotKind::Impacts => {
                    if items.is_empty() {
                        return Err(Error::msg("give at least one scenario"));
                    }
                    plot::impact_bars(k, &plots::bars(&items))?
                }
                args::PlotKind::Embodied => plot::embodied(k, &one()?.1)?,
                args::PlotKind::Power => plot::power(k, &energy::inputs::power(&one()?.0, 400)?)?,
                args::PlotKind::Quality => {
                    plot::quality(k, &energy::inputs::quality_energy(&one()?.0)?)?
                }
            };
            write_atomically(&output, &bytes)?;
            Ok(String::new())
        }
        Command::Validate { file } => {
            let loaded = scenario::load(&file)?;
            // Resolve every name and check every rule the assessment checks.
            assessment::assess(&loaded, &data)?;
            Ok(format!("{}: valid\n", file.display()))
        }
        Command::Hardware { command } => match command {
            HardwareCommand::List { kind } => output::catalog::list(&data, kind.map(Into::into)),
            HardwareCommand::Show {
                name,
                kind,
                method,
                format,
            } => {
                let item =
                    assessment::hardware::show_item(&data, &name, kind.map(Into::into), method)?;
                output::catalog::show(&item, format)
            }
        },
        Command::Mix { command } => match command {
            MixCommand::Show { country, format } => {
                output::catalog::mix_show(&data, &country, format)
            }
            MixCommand::List => output::catalog::mix_list(&data),
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
            run,
            training_log,
            input_format,
            format,
            plot: plots,
            plot_size,
        } => {
            let target = extrapolate::Target {
                steps: to,
                nodes,
                parallel_efficiency,
                level,
                method,
                min_r2,
            };
            let mut notes = Vec::new();
            let (pts, source) = match (points, tr, codecarbon, training_log) {
                (Some(p), None, None, None) => (extrapolate::read_points(&p)?, p.display().to_string()),
                (None, Some(t), None, Some(log)) => {
                    let opts = trace::TraceOptions { format: input_format, progress: options::progress_bar(), ..Default::default() };
                    let (pts, _) = extrapolate::points_from_trace(&t, &log, &opts)?;
                    (pts, format!("{} joined to {}", t.display(), log.display()))
                }
                (None, None, Some(c), Some(log)) => {
                    let run = run.map(trace::RunSelector::Any);
                    let (pts, n) = extrapolate::points_from_codecarbon(&c, &log, run.as_ref())?;
                    notes = n;
                    (pts, format!("{} joined to {}", c.display(), log.display()))
                }
                _ => {
                    return Err(Error::input(Diagnostic::new("give one source of points").hint(
                        "POINTS.csv, or --trace FILE --training-log LOG, or --codecarbon FILE --training-log LOG",
                    )))
                }
            };
            let mut x = extrapolate::extrapolate(&source, &pts, &target)?;
            x.assumptions.extend(notes);
            for w in &x.warnings {
                eprintln!("warning: {w}");
            }
            let mut files = Vec::new();
            for p in &plots {
                let fig = plot::Figure {
                    size: plot_size,
                    kind: plot::kind_of(p)?,
                };
                files.push((p.clone(), plot::extrapolation(fig, &x)?));
            }
            output::write::write_all_or_nothing(&files)?;
            match format {
                output::Format::Json => serde_json::to_string_pretty(&x)
                    .map(|s| s + "\n")
                    .map_err(|e| Error::Internal(e.to_string())),
                _ => Ok(output::extrapolation::table(&x)),
            }
        }
        Command::Breakeven {
            file,
            format,
            output,
        } => {
            let lives = scenario::lifecycle::load_lives(&file)?;
            let b = assessment::breakeven::break_even(&lives, &data)?;
            emit(output::breakeven::render(&b, format)?, output, &[file])
        }
        Command::Cluster { command } => cluster::run(command, &data),
        Command::Trace { command } => match command {
            TraceCommand::Summary {
                file,
                input_format,
                format,
                options,
            } => {
                let opts = options::trace_options(&options, input_format)?;
                let s = trace::read(&file, &opts)?;
                for w in &s.warnings {
                    eprintln!("warning: {w}");
                }
                // a BoAmps report's hardware, matched to the catalog for a scenario
                let hardware = if s.format == scenario::InputFormat::Boamps {
                    let parts = trace::boamps::hardware(&file)?;
                    Some(trace::boamps::catalog_matches(&parts, &data))
                } else {
                    None
                };
                match (format, &hardware) {
                    (output::Format::Json, Some(h)) => output::trace::boamps_json(&s, h),
                    (output::Format::Json, None) => output::trace::json(&s),
                    (_, Some(h)) => {
                        Ok(output::trace::table(&s) + &output::trace::boamps_hardware(h))
                    }
                    (_, None) => Ok(output::trace::table(&s)),
                }
            }
        },
    }
}

/// Load and assess each scenario, checking its declared criteria.
fn load_and_assess(
    files: &[std::path::PathBuf],
    data: &data::ImpactData,
) -> Result<Vec<(scenario::Loaded, assessment::Report)>> {
    let mut out = Vec::new();
    for f in files {
        let l = scenario::load(f)?;
        scenario::check_criteria(&l)?;
        let r = assessment::assess(&l, data)?;
        out.push((l, r));
    }
    Ok(out)
}

/// `--bib FILE`: for the formats that cite (LaTeX, Markdown), and not the file of `--output`.
fn check_bib(bib: &Path, format: output::Format, out: Option<&Path>) -> Result<()> {
    if !matches!(format, output::Format::Latex | output::Format::Markdown) {
        return Err(Error::input(
            Diagnostic::new(format!(
                "--bib goes with --format latex or markdown; the {} cites nothing",
                crate::choice::Choice::name(format)
            ))
            .hint("leave --bib out, or choose --format latex"),
        ));
    }
    if out.is_some_and(|o| o == bib || output::write::same_file(o, bib)) {
        return Err(Error::input(
            Diagnostic::new(format!(
                "--bib {} is the file of --output: one would overwrite the other",
                bib.display()
            ))
            .hint("write the references to their own file, e.g. --bib refs.bib"),
        ));
    }
    Ok(())
}

/// Print `text`, or write it to `output` ([`output::write`]: atomically, never over an input).
fn emit(
    text: String,
    output: Option<std::path::PathBuf>,
    inputs: &[std::path::PathBuf],
) -> Result<String> {
    match output {
        Some(p) => {
            output::write::refuse_input("--output", &p, inputs)?;
            write_atomically(&p, text.as_bytes())?;
            Ok(String::new())
        }
        None => Ok(text),
    }
}

/// The most Monte Carlo samples mlca draws in one run.
pub const MAX_SAMPLES: usize = 5_000_000;

/// Refuse a sample count whose samples would not fit in memory: each sample keeps one f64 per
/// uncertain input and per output (ten outputs, and typically some 30 inputs).
fn check_samples(n: usize) -> Result<()> {
    if n > MAX_SAMPLES {
        let gb = n as f64 * 40.0 * 8.0 / 1e9;
        return Err(Error::input(
            Diagnostic::new(format!(
                "--samples {n}: at most {MAX_SAMPLES} samples (with 30 uncertain inputs and 10 outputs, {n} samples would take about {gb:.3e} GB of memory)"
            ))
            .hint("100,000 samples give percentiles to about 0.3 % of the spread; use --samples 100000"),
        ));
    }
    Ok(())
}

/// Refuse, before any work, an output file that is one of the command's inputs.
fn refuse_outputs_that_are_inputs(c: &Command) -> Result<()> {
    use std::path::PathBuf;
    let (option, outputs, inputs): (&str, Vec<&PathBuf>, Vec<PathBuf>) = match c {
        Command::Assess { file, output, .. } | Command::Statement { file, output, .. } => {
            ("--output", output.iter().collect(), vec![file.clone()])
        }
        Command::Breakeven { file, output, .. } => {
            ("--output", output.iter().collect(), vec![file.clone()])
        }
        Command::Compare { files, output, .. } => {
            ("--output", output.iter().collect(), files.clone())
        }
        Command::Plot { files, output, .. } => ("--output", vec![output], files.clone()),
        Command::Extrapolate {
            points,
            trace,
            codecarbon,
            training_log,
            plot,
            ..
        } => (
            "--plot",
            plot.iter().collect(),
            [points, trace, codecarbon, training_log]
                .into_iter()
                .flatten()
                .cloned()
                .collect(),
        ),
        _ => ("", Vec::new(), Vec::new()),
    };
    for o in outputs {
        output::write::refuse_input(option, o, &inputs)?;
    }
    if let Command::Statement {
        file, bib: Some(b), ..
    } = c
    {
        output::write::refuse_input("--bib", b, std::slice::from_ref(file))?;
    }
    Ok(())
}
