//! `survcalc`: the command-line face of survcalc — CLI definition plus glue. The analysis
//! is `survcalc_core::analyze`; this binary reads the file, maps arguments to options and
//! prints the report (JSON: the structure documented in `docs/report-json.md`, the same
//! one the page renders from; or text).

mod text;

use clap::{Parser, Subcommand, ValueEnum};
use std::process::ExitCode;
use survcalc_core::{analyze, AnalysisOptions, ConfType, Mapping, Table, Ties};

#[derive(Parser)]
#[command(
    name = "survcalc",
    version,
    about = "Survival analysis of trial data, as R survival computes it"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Kaplan–Meier, medians, log-rank and Cox for one endpoint of a CSV/TSV file.
    Analyze(AnalyzeArgs),
    /// Print the built-in simulated two-arm trial as CSV.
    Example,
}

#[derive(Parser)]
struct AnalyzeArgs {
    /// The data file (CSV, TSV, semicolon- or pipe-separated; `-` reads standard input).
    file: String,
    /// Column with follow-up time (guessed from the names when omitted).
    #[arg(long)]
    time: Option<String>,
    /// Column with the event indicator (guessed when omitted).
    #[arg(long)]
    event: Option<String>,
    /// Column with the group (arm); guessed when omitted.
    #[arg(long)]
    group: Option<String>,
    /// The event-column value meaning "event" (default: recognise 1/0, 2/1, dead/alive, …).
    #[arg(long)]
    event_value: Option<String>,
    /// The reference group for hazard ratios (default: the first in the data).
    #[arg(long)]
    reference: Option<String>,
    /// Pointwise CI transform (R survfit conf.type).
    #[arg(long, value_enum, default_value_t = ConfArg::Log)]
    conf_type: ConfArg,
    /// Tie handling in the Cox model (R coxph ties).
    #[arg(long, value_enum, default_value_t = TiesArg::Efron)]
    ties: TiesArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Clone, Copy, ValueEnum)]
enum ConfArg {
    Log,
    #[value(name = "log-log")]
    LogLog,
    Plain,
    Logit,
    Arcsin,
}

#[derive(Clone, Copy, ValueEnum)]
enum TiesArg {
    Efron,
    Breslow,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Json,
    Text,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Example => {
            print!("{}", survcalc_core::example::example_csv());
            ExitCode::SUCCESS
        }
        Command::Analyze(args) => match run(&args) {
            Ok(out) => {
                println!("{out}");
                ExitCode::SUCCESS
            }
            Err(msg) => {
                eprintln!("survcalc: {msg}");
                ExitCode::FAILURE
            }
        },
    }
}

fn read_input(file: &str) -> Result<String, String> {
    let bytes = if file == "-" {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut b)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        b
    } else {
        std::fs::read(file).map_err(|e| format!("cannot read {file}: {e}"))?
    };
    // Not UTF-8 (e.g. a Latin-1 export): read it byte-for-byte as Latin-1 rather than fail.
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => e.into_bytes().iter().map(|&b| b as char).collect(),
    })
}

fn run(args: &AnalyzeArgs) -> Result<String, String> {
    let text = read_input(&args.file)?;
    let table = Table::parse(&text).map_err(|e| format!("{}: {e}", args.file))?;
    let guessed = survcalc_core::mapping::guess(&table);
    let mapping = Mapping {
        time: args.time.clone().unwrap_or(guessed.time),
        event: args.event.clone().unwrap_or(guessed.event),
        group: args.group.clone().or(guessed.group),
        event_value: args.event_value.clone(),
        reference: args.reference.clone(),
    };
    let mut options = AnalysisOptions::default();
    options.km.conf_type = match args.conf_type {
        ConfArg::Log => ConfType::Log,
        ConfArg::LogLog => ConfType::LogLog,
        ConfArg::Plain => ConfType::Plain,
        ConfArg::Logit => ConfType::Logit,
        ConfArg::Arcsin => ConfType::Arcsin,
    };
    options.cox.ties = match args.ties {
        TiesArg::Efron => Ties::Efron,
        TiesArg::Breslow => Ties::Breslow,
    };
    let analysis = analyze(&table, &mapping, &options).map_err(|e| e.to_string())?;
    match args.format {
        Format::Json => serde_json::to_string_pretty(&analysis).map_err(|e| e.to_string()),
        Format::Text => Ok(text::render(&analysis, &mapping)),
    }
}
