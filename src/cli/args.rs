//! Command-line interface (clap derive). Help text is imperative; every command has examples.

use crate::choice::Choice;
use crate::cluster::aggregate::GroupBy;
use crate::data::CatalogKind;
use crate::output::{plot, Format};
use crate::scenario::{
    EmbodiedMethod, ExtrapolationMethod, GapPolicy, GenericComponent, InputFormat, IntensityBasis,
    IntensityFormat, TimeFormat, ValueKind,
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
        after_help = "Examples:\n  mlca assess scenarios/jay2024-apollo-resnet50.yaml\n  mlca assess scenarios/apollo-6500-bom.yaml --format json --output apollo.json\n  mlca assess scenarios/jetson-agx-xavier-bom.yaml --format markdown\n  mlca assess run.yaml --intensity FR_2024_hourly.csv --best-start-within 24h"
    )]
    Assess {
        /// Scenario file (YAML)
        file: PathBuf,
        /// Output format
        #[arg(long, value_parser = choice_of(Format::ASSESS), default_value = "table")]
        format: Format,
        /// Write the output to PATH (atomically: nothing is written if the assessment fails)
        #[arg(long, short, value_name = "PATH")]
        output: Option<PathBuf>,
        /// Also draw the plots into DIR: impacts, embodied breakdown, with traces the power
        /// profile and the energy per quality point, with --samples the tornado; the others
        /// are named as skipped
        #[arg(long, value_name = "DIR")]
        plot: Option<PathBuf>,
        #[command(flatten)]
        plot_options: PlotArgs,
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
        #[command(flatten)]
        intensity: IntensityArgs,
        #[command(flatten)]
        equivalents: EquivalentArgs,
    },
    /// Compare scenarios: one row per criterion, one column per scenario, ratios and the best
    #[command(
        after_help = "Examples:\n  mlca compare scenarios/compare-apollo-jetson/*.yaml\n  mlca compare a.yaml b.yaml --format latex --output table.tex\n  mlca compare a.yaml b.yaml c.yaml --plot plots/ --plot-size one-column --plot-format pdf\n\nRows: electricity, duration, quality reached, GWP/ADP/PE (use, embodied, total) and the\ncriteria the scenarios declare under comparison.criteria; radar bounds under comparison.bounds."
    )]
    Compare {
        /// Scenario files (at least two)
        files: Vec<PathBuf>,
        #[arg(long, value_parser = choice_of(Format::REPORT), default_value = "table")]
        format: Format,
        /// Write the output to PATH (atomically)
        #[arg(long, short, value_name = "PATH")]
        output: Option<PathBuf>,
        /// Also draw the radar chart (with three bounded criteria) and the impact bars into DIR
        #[arg(long, value_name = "DIR")]
        plot: Option<PathBuf>,
        #[command(flatten)]
        plot_options: PlotArgs,
    },
    /// Write the carbon and environmental impact statement of a scenario for a paper
    #[command(
        after_help = "Examples:\n  mlca statement scenarios/jay2024-apollo-resnet50.yaml --format latex --bib refs.bib\n  mlca statement scenarios/trace-nvidia-smi-example.yaml --format markdown\n  mlca statement scenarios/apollo-6500-bom.yaml --format model-card\n\nLaTeX and Markdown: a paragraph (energy, duration, hardware, location, GWP, ADP, PE and water,\nthe embodied share), a table of the use, embodied and total impacts with their ranges, and the\nassumptions (energy figures, facility energy, electricity factors with sources and years,\nhardware, embodied method, allocation, defaults applied, scope left out). The LaTeX needs\nbooktabs; --bib writes the BibTeX entries it cites. model-card: the Hugging Face\nco2_eq_emissions block."
    )]
    Statement {
        /// Scenario file (YAML)
        file: PathBuf,
        #[arg(long, value_parser = choice_of(Format::STATEMENT), default_value = "markdown")]
        format: Format,
        /// Write the output to PATH (atomically)
        #[arg(long, short, value_name = "PATH")]
        output: Option<PathBuf>,
        /// Write the BibTeX entries the statement cites to FILE (atomically; latex, markdown)
        #[arg(long, value_name = "FILE")]
        bib: Option<PathBuf>,
        #[command(flatten)]
        equivalents: EquivalentArgs,
    },
    /// Draw one plot (PNG at 300 dpi, SVG or PDF, from the output's extension)
    #[command(
        after_help = "Examples:\n  mlca plot radar scenarios/compare-apollo-jetson/*.yaml -o radar.png\n  mlca plot impacts a.yaml b.yaml -o impacts.svg\n  mlca plot embodied scenarios/apollo-6500-bom.yaml -o embodied.pdf --size one-column\n  mlca plot power scenarios/trace-nvidia-smi-example.yaml -o power.png\n  mlca plot quality scenarios/trace-nvidia-smi-example.yaml -o quality.png"
    )]
    Plot {
        #[arg(value_enum)]
        kind: PlotKind,
        /// Scenario files (radar: at least two; embodied, power, quality: one)
        files: Vec<PathBuf>,
        /// The plot file (.png at 300 dpi, .svg or .pdf)
        #[arg(long, short, value_name = "PATH")]
        output: PathBuf,
        /// Width of the plot: one column (3.5 in) or two (7 in) of a paper
        #[arg(long, value_parser = choice::<plot::Size>(), default_value = "two-column")]
        size: plot::Size,
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
        /// The run of --codecarbon whose rows are the points, when the file holds several: a run_id (or its first characters), a project name, or the run's number from 1
        #[arg(long, value_name = "RUN", requires = "codecarbon")]
        run: Option<String>,
        /// Training log: CSV with step and timestamp columns
        #[arg(long)]
        training_log: Option<PathBuf>,
        /// Format of --trace (detected from its header if absent)
        #[arg(long, value_parser = choice::<InputFormat>())]
        input_format: Option<InputFormat>,
        #[arg(long, value_parser = choice_of(Format::SHOW), default_value = "table")]
        format: Format,
        /// Draw the points, the fit and the prediction band (.png, .svg or .pdf; repeat for more)
        #[arg(long)]
        plot: Vec<PathBuf>,
        /// Width of the plot: one column (3.5 in) or two (7 in) of a paper
        #[arg(long, value_parser = choice::<plot::Size>(), default_value = "two-column")]
        plot_size: plot::Size,
    },
    /// Inference against training: the number of requests at which inference has drawn as much
    /// electricity as training and fine-tuning, and the energy of a deployment
    #[command(
        after_help = "Examples:\n  mlca breakeven lifecycles/bloomz-breakeven.yaml\n  mlca breakeven models.yaml --format json --output breakeven.json\n  mlca breakeven lifecycles/resnet50-lifecycle.yaml\n\nFILE (YAML) lists models, each with name, training_kwh, fine_tuning_kwh (optional),\ninference_kwh_per_request, and optionally requests (a deployment) and\npublished_break_even_requests; every number is plain or {value, min, max}. Each part may\ninstead be a scenario (training_scenario, fine_tuning_scenario, inference_scenario: one\nrequest per functional unit), and with scenarios for every part the break-even of each\ncriterion (GWP, ADP, PE, water) follows too.\nBreak-even = (training + fine-tuning) / inference per request."
    )]
    Breakeven {
        /// Break-even file (YAML)
        file: PathBuf,
        #[arg(long, value_parser = choice_of(crate::output::breakeven::FORMATS), default_value = "table")]
        format: Format,
        /// Write the output to PATH (atomically)
        #[arg(long, short, value_name = "PATH")]
        output: Option<PathBuf>,
    },
    /// Read power traces (nvidia-smi, RAPL, Alumet, CodeCarbon, jetson-stats, Kwollect, CSV)
    Trace {
        #[command(subcommand)]
        command: TraceCommand,
    },
    /// Shared clusters: every job's, user's and project's footprint from the scheduler's accounting
    Cluster {
        #[command(subcommand)]
        command: ClusterCommand,
    },
}

/// The accounting and inventory of a cluster (command line).
#[derive(Args, Debug, Clone)]
pub struct ClusterArgs {
    /// The cluster inventory (YAML): node kinds, hosts, idle power, lifetimes, electricity, traces
    #[arg(long, value_name = "YAML")]
    pub inventory: PathBuf,
    /// Slurm accounting: the output of sacct --parsable2 --allusers --format=JobID,User,Account,
    /// Partition,Start,End,Elapsed,NodeList,AllocTRES,TRESUsageInTot,ConsumedEnergyRaw,State (or
    /// these columns, as strings, in a Parquet file)
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with = "oarstat",
        required_unless_present = "oarstat"
    )]
    pub sacct: Option<PathBuf>,
    /// OAR accounting: the output of oarstat -f -J
    #[arg(long, value_name = "JSON")]
    pub oarstat: Option<PathBuf>,
    /// Start of the accounting period (else the inventory's period, else the first job start)
    #[arg(long)]
    pub start: Option<String>,
    /// End of the accounting period (else the inventory's, else the last job end)
    #[arg(long)]
    pub end: Option<String>,
    /// Prometheus server to read the inventory's energy counters from (http://HOST:PORT)
    #[arg(long, value_name = "URL")]
    pub prometheus: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum ClusterCommand {
    /// Every job's energy, use and embodied impacts, grouped by job, user, account, partition or month
    #[command(
        after_help = "Examples:\n  mlca cluster report --inventory tests/fixtures/cluster/two-nodes/inventory.yaml \\\n      --sacct tests/fixtures/cluster/two-nodes/sacct.txt --by user\n  mlca cluster report --inventory inv.yaml --sacct sacct.txt --by job --format csv --output jobs.csv\n  mlca cluster report --inventory inv.yaml --sacct sacct.parquet --by job --format parquet -o jobs.parquet\n  mlca cluster report --inventory inv.yaml --oarstat oarstat.json --by account --format json\n  mlca cluster report --inventory inv.yaml --sacct sacct.txt --by month --start 2024-01-01\n\nA node's energy over the period (measured by its traces, or modelled) is split among the jobs\non it and its idle overhead, and the two add up to it. Each job's energy source is named:\ntrace, scheduler (ConsumedEnergyRaw) or model. Embodied impacts: reserved fraction x time /\n(AUR x lifetime), the AUR measured from the accounting unless the inventory declares one."
    )]
    Report {
        #[command(flatten)]
        input: ClusterArgs,
        /// One row per job, user, account, partition or month
        #[arg(long, value_parser = choice::<GroupBy>(), default_value = "user")]
        by: GroupBy,
        /// Rows shown in the table (and top users and accounts in JSON)
        #[arg(long, default_value = "20", allow_negative_numbers = true, value_parser = count)]
        top: usize,
        #[arg(long, value_parser = choice_of(&[Format::Table, Format::Json, Format::Csv, Format::Parquet]), default_value = "table")]
        format: Format,
        /// Write the output to PATH (atomically; required with parquet)
        #[arg(long, short, value_name = "PATH")]
        output: Option<PathBuf>,
    },
    /// The footprint statement of one user or one account (project), in Markdown
    #[command(
        after_help = "Examples:\n  mlca cluster statement --inventory tests/fixtures/cluster/two-nodes/inventory.yaml \\\n      --sacct tests/fixtures/cluster/two-nodes/sacct.txt --user alice\n  mlca cluster statement --inventory inv.yaml --sacct sacct.txt --account proj-nlp --output nlp.md"
    )]
    Statement {
        #[command(flatten)]
        input: ClusterArgs,
        /// The user
        #[arg(long, conflicts_with = "account", required_unless_present = "account")]
        user: Option<String>,
        /// The account (Slurm) or project (OAR)
        #[arg(long)]
        account: Option<String>,
        /// Write the output to PATH (atomically)
        #[arg(long, short, value_name = "PATH")]
        output: Option<PathBuf>,
    },
    /// Expand a host list as Slurm writes it (cn[1-6],desktop[01-27])
    #[command(after_help = "Example:\n  mlca cluster hosts 'cn[1-3],desktop[01-02]'")]
    Hosts {
        /// The host list
        list: String,
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

/// Equivalents and costs (`mlca assess`, `mlca statement`): written only when asked.
#[derive(Args, Debug, Clone, Default)]
pub struct EquivalentArgs {
    /// Also write equivalents and costs per functional unit, each with its range, source and
    /// year: km by car, passenger-km flown, days of a home's electricity, smartphone charges, the
    /// social cost of carbon (central, low, high)
    #[arg(long)]
    pub equivalents: bool,
    /// With --equivalents: also the cost of the electricity drawn from the grid at this price
    /// per kWh (in --currency)
    #[arg(long, value_name = "PRICE", requires_all = ["equivalents", "currency"], allow_negative_numbers = true, value_parser = non_negative)]
    pub electricity_price_per_kwh: Option<f64>,
    /// The currency of --electricity-price-per-kwh (ISO 4217: EUR, USD, ...)
    #[arg(long, value_name = "CODE", requires = "electricity_price_per_kwh")]
    pub currency: Option<String>,
}

/// A time-varying carbon intensity on the command line (`mlca assess`); each option replaces the
/// same key of the scenario's `electricity.intensity`.
#[derive(Args, Debug, Clone, Default)]
pub struct IntensityArgs {
    /// Weight the use phase's GWP by a carbon-intensity series: an Electricity Maps CSV export,
    /// an RTE eCO2mix export or a CSV with time,gwp_g_per_kwh
    #[arg(long, value_name = "FILE")]
    pub intensity: Option<PathBuf>,
    /// Format of --intensity (detected from its header if absent)
    #[arg(long, value_name = "FORMAT", value_parser = choice::<IntensityFormat>())]
    pub intensity_format: Option<IntensityFormat>,
    /// Which intensity of an Electricity Maps export (life-cycle by default)
    #[arg(long, value_name = "BASIS", value_parser = choice::<IntensityBasis>())]
    pub intensity_basis: Option<IntensityBasis>,
    /// Zone of the series' times written without one (Europe/Paris, +01:00, UTC)
    #[arg(long, value_name = "ZONE")]
    pub intensity_time_zone: Option<String>,
    /// Zone of the run's times (trace samples, run.start/end) written without one
    #[arg(long, value_name = "ZONE")]
    pub run_time_zone: Option<String>,
    /// Also find the lowest-carbon start within this long after the actual start, in steps of
    /// the series (24h, 90min, 2d)
    #[arg(long, value_name = "DURATION", value_parser = duration_h)]
    pub best_start_within: Option<f64>,
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
    /// Files of run totals (CodeCarbon, Carbontracker, eco2ai): take this run: a run_id (or its first characters), a project name, or the run's number from 1 (the # column)
    #[arg(long, value_name = "RUN")]
    pub run: Option<String>,
    /// dcgmi dmon: the sampling period, s (dmon's -d in ms / 1000); dmon writes no times
    #[arg(long, allow_negative_numbers = true, value_parser = positive)]
    pub sample_interval_s: Option<f64>,
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
    /// Most reader threads (default: the cores, at most 8; one per 4 MiB of trace begun)
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
    /// Show an item's specs and embodied impacts (GPU, CPU, node, or a cloud instance as its
    /// share of its host platform)
    #[command(
        after_help = "Examples:\n  mlca hardware show \"NVIDIA A100-SXM4-80GB\"\n  mlca hardware show \"AMD EPYC 7763\" --format json\n  mlca hardware show \"Jetson AGX Xavier\"\n  mlca hardware show \"aws p5.48xlarge\""
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
    /// Show a country's (or a cloud region's) electricity factors and their sources
    #[command(
        after_help = "Examples:\n  mlca mix show FRA\n  mlca mix show fr\n  mlca mix show France --format json\n  mlca mix show WOR\n  mlca mix show \"aws us-east-1\""
    )]
    Show {
        /// ISO 3166-1 alpha-2 or alpha-3 code (FR, FRA, ...; WOR world, EEE Europe), English
        /// name, or a cloud region ("aws us-east-1")
        country: String,
        #[arg(long, value_parser = choice_of(Format::SHOW), default_value = "table")]
        format: Format,
    },
    /// List the countries of the electricity data and the cloud regions
    List,
}

/// The size and formats of the plots of `--plot DIR`.
#[derive(Args, Debug, Clone)]
pub struct PlotArgs {
    /// Width of the plots: one column (3.5 in) or two (7 in) of a paper
    #[arg(long, value_parser = choice::<plot::Size>(), default_value = "two-column")]
    pub plot_size: plot::Size,
    /// Formats of the plots, comma-separated: png (300 dpi), svg, pdf
    #[arg(long, value_delimiter = ',', value_parser = choice::<plot::Kind>(), default_value = "png,svg,pdf")]
    pub plot_format: Vec<plot::Kind>,
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

/// A duration with its unit (`24h`, `90min`, `30m`, `2d`, `3600s`), in hours.
fn duration_h(s: &str) -> Result<f64, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| c.is_ascii_alphabetic())
        .ok_or("give a unit: 24h, 90min, 2d or 3600s")?;
    let (n, unit) = t.split_at(split);
    let x = finite(n)?;
    let per_h = match unit.trim() {
        "h" => 1.0,
        "min" | "m" => 60.0,
        "d" => 1.0 / 24.0,
        "s" => 3600.0,
        u => return Err(format!("unknown unit \"{u}\": use h, min, d or s")),
    };
    let h = x / per_h;
    if h > 0.0 && h.is_finite() {
        Ok(h)
    } else {
        Err("must be longer than 0".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_with_their_unit() {
        assert_eq!(duration_h("24h"), Ok(24.0));
        assert_eq!(duration_h("90min"), Ok(1.5));
        assert_eq!(duration_h("30m"), Ok(0.5));
        assert_eq!(duration_h("2d"), Ok(48.0));
        assert_eq!(duration_h("5400s"), Ok(1.5));
        assert!(duration_h("24").is_err());
        assert!(duration_h("0h").is_err());
        assert!(duration_h("-1h").is_err());
        assert!(duration_h("1y").is_err());
    }
}
