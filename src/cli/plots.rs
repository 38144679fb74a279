//! `--plot DIR` of `mlca assess` and `mlca compare`: every plot that applies, in the formats and
//! size asked, each skipped one named with the reason on standard error. A plot that cannot be
//! drawn never fails an assessment that succeeded: it is skipped and said; writing the files
//! is all or nothing ([`output::write::write_all_or_nothing`]), as for any output.

use super::args::PlotArgs;
use crate::assessment;
use crate::energy;
use crate::error::{Diagnostic, Error, Result};
use crate::output::{self, plot};
use crate::scenario;
use std::path::{Path, PathBuf};

/// The plots of a command, drawn before any is written.
struct Plots<'a> {
    dir: &'a Path,
    opts: &'a PlotArgs,
    files: Vec<(PathBuf, Vec<u8>)>,
    notes: Vec<String>,
}

impl<'a> Plots<'a> {
    fn new(dir: &'a Path, opts: &'a PlotArgs) -> Self {
        Plots {
            dir,
            opts,
            files: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Draw plot `name` in every format asked; if it cannot be drawn, say so and go on.
    fn draw(&mut self, name: &str, what: &str, f: impl Fn(plot::Figure) -> Result<Vec<u8>>) {
        let mut drawn = Vec::new();
        for &kind in &self.opts.plot_format {
            let fig = plot::Figure {
                size: self.opts.plot_size,
                kind,
            };
            match f(fig) {
                Ok(bytes) => drawn.push((self.dir.join(format!("{name}.{}", kind.ext())), bytes)),
                Err(e) => {
                    self.notes.push(format!("{what} not drawn: {e}"));
                    return;
                }
            }
        }
        self.files.extend(drawn);
    }

    fn skip(&mut self, what: &str, why: &str) {
        self.notes.push(format!("{what} skipped: {why}"));
    }

    /// Say what was skipped, then write every plot drawn (or none).
    fn write(self) -> Result<()> {
        for n in &self.notes {
            eprintln!("note: {n}");
        }
        make_dir(self.dir)?;
        output::write::write_all_or_nothing(&self.files)
    }
}

pub(super) fn make_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| {
        Error::input(
            Diagnostic::new(format!("cannot create {}: {e}", dir.display()))
                .hint("--plot takes a directory"),
        )
    })
}

/// The impact bars of assessed scenarios, each named by its label.
pub(super) fn bars(items: &[(scenario::Loaded, assessment::Report)]) -> Vec<plot::ImpactBars> {
    items
        .iter()
        .map(|(l, r)| plot::ImpactBars {
            label: scenario::label(l),
            impacts: r.impacts.clone(),
        })
        .collect()
}

/// The plots of one assessment: impacts and embodied breakdown; the power profile and the
/// energy per quality point with traces (the series read with the assessment's inputs: no
/// trace is read again); the tornado after a Monte Carlo run.
pub(super) fn of_assessment(
    dir: &Path,
    opts: &PlotArgs,
    l: &scenario::Loaded,
    r: &assessment::Report,
    inputs: &energy::inputs::Inputs,
) -> Result<()> {
    let mut p = Plots::new(dir, opts);
    let items = [plot::ImpactBars {
        label: scenario::label(l),
        impacts: r.impacts.clone(),
    }];
    p.draw("impacts", "impacts plot", |f| plot::impact_bars(f, &items));
    p.draw("embodied", "embodied plot", |f| plot::embodied(f, r));
    match &inputs.power {
        Some(s) if plot::lines::drawable(s) => {
            p.draw("power", "power profile", |f| plot::power(f, s));
        }
        Some(_) => p.skip(
            "power profile",
            "the traces give no power over time (a CodeCarbon file holds energies per run, not a power series)",
        ),
        None => p.skip("power profile", "the scenario has no measured traces (energy.traces)"),
    }
    match &inputs.quality {
        Some(q) if plot::lines::drawable(std::slice::from_ref(q)) => {
            p.draw("quality", "quality plot", |f| plot::quality(f, q));
        }
        Some(_) => p.skip(
            "quality plot",
            "fewer than two quality points fall within the traces",
        ),
        None => p.skip(
            "quality plot",
            "it needs measured traces and functional_unit.quality_log",
        ),
    }
    if r.monte_carlo
        .as_ref()
        .is_some_and(|m| !m.sensitivity.is_empty())
    {
        p.draw("tornado", "tornado plot", |f| plot::tornado(f, r));
    } else {
        p.skip(
            "tornado plot",
            "it needs a Monte Carlo run with uncertain inputs (--samples N)",
        );
    }
    p.write()
}

/// The plots of a comparison: the impact bars, and the radar when three criteria have bounds.
pub(super) fn of_comparison(
    dir: &Path,
    opts: &PlotArgs,
    items: &[(scenario::Loaded, assessment::Report)],
    c: &assessment::compare::Comparison,
) -> Result<()> {
    let mut p = Plots::new(dir, opts);
    let on_radar = c.rows.iter().filter(|r| r.on_radar()).count();
    if on_radar >= 3 {
        p.draw("radar", "radar chart", |f| plot::radar(f, c));
    } else {
        p.skip(
            "radar chart",
            &format!("it needs at least 3 criteria with bounds (comparison.bounds, comparison.criteria), {on_radar} have them"),
        );
    }
    let b = bars(items);
    p.draw("impacts", "impacts plot", |f| plot::impact_bars(f, &b));
    p.write()
}
