//! Command-line interface (clap derive). Help text is imperative; every command has examples.

use crate::report::Format;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "mlca",
    version,
    about = "Life-cycle assessment of machine-learning compute: GWP, ADP and PE per functional unit, use and embodied",
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
    /// Assess a scenario: use and embodied GWP, ADP and PE per functional unit
    #[command(
        after_help = "Examples:\n  mlca assess scenarios/jay2024-apollo-resnet50.yaml\n  mlca assess scenarios/apollo-6500-bom.yaml --format json --output apollo.json\n  mlca assess scenarios/jetson-agx-xavier-bom.yaml --format markdown"
    )]
    Assess {
        /// Scenario file (YAML)
        file: PathBuf,
        /// Output format
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
        /// Write the output to PATH (atomically: nothing is written if the assessment fails)
        #[arg(long, short, value_name = "PATH")]
        output: Option<PathBuf>,
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
        #[arg(long, value_enum, default_value = "table")]
        format: ShowFormat,
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
        #[arg(long, value_enum, default_value = "table")]
        format: ShowFormat,
    },
    /// List the countries of the electricity data
    List,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    Cpu,
    Gpu,
    Ram,
    Ssd,
    Node,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    Table,
    Json,
}
