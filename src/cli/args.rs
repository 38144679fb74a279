//! Command-line interface (clap derive). Help text is imperative; every command has examples.

use crate::choice::Choice;
use crate::data::CatalogKind;
use crate::output::Format;
use crate::scenario::{
    EmbodiedMethod, ExtrapolationMethod, GapPolicy, GenericComponent, InputFormat, TimeFormat,
    ValueKind,
};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "mlca",
    version,
    about = "Life-cycle assessment of machine-learning compute: GWP, ADP, PE and water per functional unit, use and embodied",
    after_help = "Examples:\n  mlca assess scenarios/jay2024-apollo-resnet50.yaml\n  mlca hardware show \"NVIDIA A100-SXM4-80GB\"\n  mlca mix show FRA\n\nExit codes: 0 success, 2 an error in the input (scenario, file, name, option), 1 anything else."
)]
pub struct Cli {
    /// Read impact data from DIR: any file there (sources.csv, electricity.csv, gpus.csv, ...)
    /// replaces the embedded file of the same name
    #[arg(long, global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Assess a scenario: use and embodied GWP, ADP, PE and water per functional unit
    #[command(
        after_help = "Examples:\n  mlca assess scenarios/jay2024-apollo-resnet50.yaml\n  mlca assess scenarios/apollo-6500-bom.yaml --format json --output apollo.json\n  mlca assess scenarios/jetson-agx-xavier-bom.yaml --format markdown"
    )]
    Assess {
        /// Scenario file (YAML)
        file: PathBuf,
        /// Output format
        #[arg(long, value_parser = choice_of(Format::REPORT), default_value = "table")]
        format: Format,
        /// Write the output to PATH (atomically: nothing is written if the assessment fails)
        #[arg(long, short, value_name = "PATH")]
        output: Option<PathBuf>,
        /// Also draw the plots (PNG and SVG) into DIR: impacts, embodied breakdown, and with
        /// traces the power profile and the energy per quality point
        #[arg(long, value_name = "DIR")]
        plot: Option<PathBuf>,
        /// Monte Carlo: number of samples over every uncertain input
        #[arg(long, allow_negative_numbers = true, value_parser = count)]
        samples: Option<usize>,
        /// Monte Carlo: seed of the random stream (same seed, same output)
        #[arg(long, default_value = "1")]
        seed: u64,
        /// Monte Carlo: percentiles to report
        #[arg(long, value_delimiter = ',', default_value = "5,95", allow_negative_numbers = true, value_parser = percentile)]
        percentiles: Vec<f64>,
        /// Print the embodied impacts of every embodied method side by side
        #[arg(long)]
        compare_methods: bool,
    },
    /// Compare scenarios: one row per criterion, one column per scenario, ratios and the best
    #[command(
        after_help = "Examples:\n  mlca compare scenarios/compare-apollo-jetson/*.yaml\n  mlca compare a.yaml b.yaml --format latex --output table.tex\n  mlca compare a.yaml b.yaml c.yaml --plot plots/\n\nRows: electricity, duration, quality reached, GWP/ADP/PE (use, embodied, total) and the\ncriteria the scenarios declare under comparison.criteria; radar bounds under comparison.bounds."
    )]
    Compare {
        /// Scenario files (at least two)
        files: Vec<PathBuf>,
        #[arg(long, value_parser = choice_of(Format::REPORT), default_value = "table")]
        format: Format,
        /// Write the output to PATH (atomically)
        #[arg(long, short, value_name = "PATH")]
        output: Option<PathBuf>,
        /// Also draw the radar chart and the impact bars (PNG and SVG) into DIR
        #[arg(long, value_name = "DIR")]
        plot: Option<PathBuf>,
    },
    /// Write the carbon and environmental impact statement of a scenario for a paper
    #[command(
        after_help = "Examples:\n  mlca statement scenarios/jay2024-apollo-resnet50.yaml --format latex\n  mlca statement scenarios/trace-nvidia-smi-example.yaml --format markdown\n  mlca statement scenarios/apollo-6500-bom.yaml --format model-card\n\nLaTeX and Markdown: a paragraph (energy, GWP, ADP, PE, water with use and embodied parts and ranges,\nhow the energy was obtained, hardware, duration, location, factors and sources, PUE, allocation,\nversions) and the BibTeX entries it cites. model-card: the Hugging Face co2_eq_emissions block."
    )]
    Statement {
        /// Scenario file (YAML)
        file: PathBuf,
        #[arg(long, value_parser = choice_of(Format::STATEMENT), default_value = "markdown")]
        format: Format,
        /// Write the output to PATH (atomically)
        #[arg(long, short, value_name = "PATH")]
        output: Option<PathBuf>,
    },
    /// Draw one plot (PNG or SVG, from the output's extension)
    #[command(
        after_help = "Examples:\n  mlca plot radar scenarios/compare-apollo-jetson/*.yaml -o radar.png\n  mlca plot impacts a.yaml b.yaml -o impacts.svg\n  mlca plot embodied scenarios/apollo-6500-bom.yaml -o embodied.png\n  mlca plot power scenarios/trace-nvidia-smi-example.yaml -o power.png\n  mlca plot quality scenarios/trace-nvidia-smi-example.yaml -o quality.png"
    )]
    Plot {
        #[arg(value_enum)]
        kind: PlotKind,
        /// Scenario files (radar: at least two; embodied, power, quality: one)
        files: Vec<PathBuf>,
        /// The plot file (.png or .svg)
        #[arg(long, short, value_name = "PATH")]
        output: PathBuf,
    },
    /// Check a scenario without computing: keys, values, catalog names and countries
    #[command(after_help = "Example:\n  mlca validate scenarios/jay2024-apollo-resnet50.yaml")]
    Validate {
        /// Scenario file (YAML)
        file: PathBuf,
    },
    /// List and show the hardware catalog with embodied impacts
    Hardware {
        #[command(subcommand)]
        command: HardwareCommand,
    },
    /// Show electricity mix factors and their sources
    Mix {
        #[command(subcommand)]
        command: MixCommand,
    },
    /// Extrapolate a training's energy (and time) from a measured fraction of its steps
    #[command(
        after_help = "Examples:\n  mlca extrapolate points.csv --to 225000 --nodes 32\n  mlca extrapolate points.csv --to 5e5 --level 0.9 --format json --plot fit.png --plot fit.svg\n  mlca extrapolate --trace gpu.csv --training-log steps.csv --to 1e6\n  mlca extrapolate --codecarbon emissions.csv --training-log steps.csv --to 1e6\n\nPOINTS.csv has a header with steps and energy_kwh (cumulative), and optionally elapsed_s.\nThe fit is E(n) = a + b n by least squares; the interval is the two-sided prediction interval\n(Student t, m - 2 degrees of freedom). On k nodes: k x E(N) / parallel efficiency."
    )]
    Extrapolate {
        /// Points CSV: steps, energy_kwh (cumulative), optional elapsed_s
        points: Option<PathBuf>,
        /// Number of steps of the full run
        #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = positive)]
        to: f64,
        /// Nodes of the full run (each running the N steps as the measured node did)
        #[arg(long, default_value = "1", allow_negative_numbers = true, value_parser = nodes)]
        nodes: u32,
        /// Parallel efficiency of the k-node run, in (0, 1]
        #[arg(long, default_value = "1", allow_negative_numbers = true, value_parser = efficiency)]
        parallel_efficiency: f64,
        /// Level of the prediction interval
        #[arg(long, default_value = "0.95", allow_negative_numbers = true, value_parser = level)]
        level: f64,
        /// Which prediction to report as the result
        #[arg(long, value_parser = choice::<ExtrapolationMethod>(), default_value = "ols")]
        method: ExtrapolationMethod,
        /// Warn below this R^2
        #[arg(long, default_value = "0.9", allow_negative_numbers = true, value_parser = fraction)]
        min_r2: f64,
        /// Points from a power trace integrated up to each step of --training-log
        #[arg(long)]
        trace: Option<PathBuf>,
        /// Points from CodeCarbon flush() rows, steps read from --training-log
        #[arg(long)]
        codecarbon: Option<PathBuf>,
        /// Training log: CSV with step and timestamp columns
        #[arg(long)]
        training_log: Option<PathBuf>,
        /// Format of --trace (detected from its header if absent)
        #[arg(long, value_parser = choice::<InputFormat>())]
        input_format: Option<InputFormat>,
        #[arg(long, value_parser = choice_of(Format::SHOW), default_value = "table")]
        format: Format,
        /// Draw the points, the fit and the prediction band (.png or .svg; repeat for both)
        #[arg(long)]
        plot: Vec<PathBuf>,
    },
    /// Read power traces (nvidia-smi, RAPL, Alumet, CodeCarbon, jetson-stats, Kwollect, CSV)
    Trace {
        #[command(subcommand)]
        command: TraceCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum TraceCommand {
    /// Integrate a trace: per device duration, samples, mean and max power, energy, gaps
    #[command(
        after_help = "Examples:\n  mlca trace summary scenarios/traces/nvidia-smi-resnet50.csv\n  mlca trace summary rapl.csv --rapl-max-energy-range-uj 262143328850 --format json\n  mlca trace summary power.csv --input-format generic --time-column t --time-format unix-s \\\n      --value-column watts --unit W --value-kind power --component node\n  mlca trace summary log.csv --start 2025-03-02T14:00:00 --end 2025-03-02T15:00:00 --idle-power-w 55\n\nFormats are detected from the header; --input-format names one. Rows with a missing value\n([N/A], [Not Supported]) are reported, not used; timestamps out of order and negative power\nare errors with the row number."
    )]
    Summary {
        /// Trace file (CSV)
        file: PathBuf,
        #[arg(long, value_parser = choice::<InputFormat>())]
        input_format: Option<InputFormat>,
        #[arg(long, value_parser = choice_of(Format::SHOW), default_value = "table")]
        format: Format,
        #[command(flatten)]
        options: Box<TraceArgs>,
    },
}

/// How to read a trace (command line).
#[derive(Args, Debug, Clone)]
pub struct TraceArgs {
    /// Keep samples from this time (2025-03-02T14:00:00[Z], or Unix seconds)
    // (the text is clap's help: `[Z]` stays as written, not a link)
    #[allow(rustdoc::broken_intra_doc_links)]
    #[arg(long)]
    pub start: Option<String>,
    /// Keep samples up to this time
    #[arg(long)]
    pub end: Option<String>,
    /// Window from the first to the last timestamp of a training log (CSV with a timestamp column)
    #[arg(long, value_name = "CSV")]
    pub training_log: Option<PathBuf>,
    /// Intervals longer than this are gaps (default: 5 x the median interval)
    #[arg(long, allow_negative_numbers = true, value_parser = positive)]
    pub gap_threshold_s: Option<f64>,
    /// What to do with gaps
    #[arg(long, value_parser = choice::<GapPolicy>(), default_value = "interpolate")]
    pub gap_policy: GapPolicy,
    /// Idle power of each device, W: the dynamic energy is total - idle x duration
    #[arg(long, allow_negative_numbers = true, value_parser = non_negative)]
    pub idle_power_w: Option<f64>,
    /// Start of an idle segment of the same trace, to measure each device's idle power
    #[arg(long)]
    pub idle_start: Option<String>,
    /// End of the idle segment
    #[arg(long)]
    pub idle_end: Option<String>,
    /// Kwollect: the metric to read (e.g. wattmetre_power_watt)
    #[arg(long)]
    pub metric: Option<String>,
    /// RAPL: counter range, uJ (/sys/class/powercap/intel-rapl:0/max_energy_range_uj)
    #[arg(long, allow_negative_numbers = true, value_parser = positive)]
    pub rapl_max_energy_range_uj: Option<f64>,
    /// Column names of a file without header, comma-separated (nvidia-smi noheader)
    #[arg(long, value_delimiter = ',')]
    pub columns: Option<Vec<String>>,
    /// Generic CSV: time column
    #[arg(long)]
    pub time_column: Option<String>,
    /// Generic CSV: how the time is written
    #[arg(long, value_parser = choice::<TimeFormat>())]
    pub time_format: Option<TimeFormat>,
    /// Generic CSV: value column
    #[arg(long)]
    pub value_column: Option<String>,
    /// Generic CSV: unit of the value (W, mW, kW, J, mJ, uJ, kJ, Wh, kWh)
    #[arg(long)]
    pub unit: Option<String>,
    /// Generic CSV: power, cumulative energy, or energy per interval
    #[arg(long, value_parser = choice::<ValueKind>())]
    pub value_kind: Option<ValueKind>,
    /// Generic CSV: column naming the device
    #[arg(long)]
    pub device_column: Option<String>,
    /// Generic CSV: what the devices are
    #[arg(long, value_parser = choice::<GenericComponent>())]
    pub component: Option<GenericComponent>,
    /// Generic CSV: field delimiter
    #[arg(long)]
    pub delimiter: Option<char>,
    /// Reader threads (default: the cores, at most 8)
    #[arg(long, allow_negative_numbers = true, value_parser = count)]
    pub threads: Option<usize>,
}

#[derive(Subcommand, Debug)]
pub enum HardwareCommand {
    /// List catalog items
    #[command(
        after_help = "Examples:\n  mlca hardware list --kind gpu\n  mlca hardware list --kind node"
    )]
    List {
        /// Only this kind
        #[arg(long, value_enum)]
        kind: Option<Kind>,
    },
    /// Show an item's specs and embodied impacts (GPU, CPU or node)
    #[command(
        after_help = "Examples:\n  mlca hardware show \"NVIDIA A100-SXM4-80GB\"\n  mlca hardware show \"AMD EPYC 7763\" --format json\n  mlca hardware show \"Jetson AGX Xavier\""
    )]
    Show {
        /// Catalog name, as you write it (\"A100 SXM4 80GB\", \"a100-sxm4-80gb\", ...)
        name: String,
        /// Restrict the search to one kind
        #[arg(long, value_enum)]
        kind: Option<Kind>,
        /// Embodied method
        #[arg(long, value_parser = choice::<EmbodiedMethod>(), default_value = "boavizta-2.5")]
        method: EmbodiedMethod,
        #[arg(long, value_parser = choice_of(Format::SHOW), default_value = "table")]
        format: Format,
    },
}

#[derive(Subcommand, Debug)]
pub enum MixCommand {
    /// Show a country's electricity factors and their sources
    #[command(
        after_help = "Examples:\n  mlca mix show FRA\n  mlca mix show France --format json\n  mlca mix show WOR"
    )]
    Show {
        /// ISO 3166-1 alpha-3 code (FRA, USA, ...; WOR world, EEE Europe) or English name
        country: String,
        #[arg(long, value_parser = choice_of(Format::SHOW), default_value = "table")]
        format: Format,
    },
    /// List the countries of the electricity data
    List,
}

/// The plots mlca draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PlotKind {
    /// Radar chart of a comparison, each criterion between its declared bounds
    Radar,
    /// Stacked use and embodied bars per criterion per scenario, min-max marked
    Impacts,
    /// Embodied breakdown by component
    Embodied,
    /// Power profile over time per component, from the scenario's traces
    Power,
    /// Energy needed to reach each quality point, from the quality log and the traces
    Quality,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    Cpu,
    Gpu,
    Ram,
    Ssd,
    Node,
}

impl From<Kind> for CatalogKind {
    fn from(k: Kind) -> CatalogKind {
        match k {
            Kind::Cpu => CatalogKind::Cpu,
            Kind::Gpu => CatalogKind::Gpu,
            Kind::Ram => CatalogKind::Ram,
            Kind::Ssd => CatalogKind::Ssd,
            Kind::Node => CatalogKind::Node,
        }
    }
}

fn possible<T: Choice>(v: T) -> PossibleValue {
    let p = PossibleValue::new(v.name());
    match v.help() {
        Some(h) => p.help(h),
        None => p,
    }
}

/// A parser of the values of a core enum, by their names.
fn choice<T: Choice + Clone>() -> impl TypedValueParser<Value = T> {
    choice_of(T::ALL)
}

/// A parser of some values of a core enum, by their names.
fn choice_of<T: Choice + Clone>(values: &'static [T]) -> impl TypedValueParser<Value = T> {
    PossibleValuesParser::new(values.iter().map(|v| possible(*v)))
        .try_map(|s: String| T::from_name(&s).ok_or("not one of the possible values"))
}

/// A finite number; clap names the option in the error.
fn finite(s: &str) -> Result<f64, String> {
    let x: f64 = s.trim().parse().map_err(|_| "not a number".to_string())?;
    if x.is_finite() {
        Ok(x)
    } else {
        Err("not a finite number".into())
    }
}

fn positive(s: &str) -> Result<f64, String> {
    let x = finite(s)?;
    if x > 0.0 {
        Ok(x)
    } else {
        Err("must be greater than 0".into())
    }
}

fn non_negative(s: &str) -> Result<f64, String> {
    let x = finite(s)?;
    if x >= 0.0 {
        Ok(x)
    } else {
        Err("must be 0 or more".into())
    }
}

/// In [0, 1].
fn fraction(s: &str) -> Result<f64, String> {
    let x = finite(s)?;
    if (0.0..=1.0).contains(&x) {
        Ok(x)
    } else {
        Err("must be between 0 and 1".into())
    }
}

/// In (0, 1]: a parallel efficiency.
fn efficiency(s: &str) -> Result<f64, String> {
    let x = finite(s)?;
    if x > 0.0 && x <= 1.0 {
        Ok(x)
    } else {
        Err("must be in (0, 1]".into())
    }
}

/// In (0, 1): the level of an interval.
fn level(s: &str) -> Result<f64, String> {
    let x = finite(s)?;
    if x > 0.0 && x < 1.0 {
        Ok(x)
    } else {
        Err("must be in (0, 1), e.g. 0.95".into())
    }
}

/// In (0, 100): a percentile.
fn percentile(s: &str) -> Result<f64, String> {
    let x = finite(s)?;
    if x > 0.0 && x < 100.0 {
        Ok(x)
    } else {
        Err("must be between 0 and 100 (exclusive), e.g. 5,95".into())
    }
}

/// A whole number of at least 1.
fn count(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(_) if s.trim().starts_with('-') => Err("must be at least 1".into()),
        Err(_) => Err(format!(
            "not a whole number of at most {} (write 1000000, not 1e6)",
            usize::MAX
        )),
    }
}

/// A node count: at least 1.
fn nodes(s: &str) -> Result<u32, String> {
    let n = count(s)?;
    u32::try_from(n).map_err(|_| format!("at most {}", u32::MAX))
}
