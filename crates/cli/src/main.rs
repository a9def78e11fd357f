//! `survcalc`: the command-line face of survcalc — CLI definition plus glue. The analysis
//! is `survcalc_core::analyze`; this binary reads the file, maps arguments to options and
//! prints the report (JSON: the structure documented in `docs/report-json.md`, the same
//! one the page renders from; or text).

mod text;

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::Write;
use std::process::ExitCode;
use survcalc_core::adverse::{AeOptions, GradeRange};
use survcalc_core::binary::BinaryOptions;
use survcalc_core::mapping::{endpoint_name, endpoints, parse_group_labels, RowFilter};
use survcalc_core::response::{
    ae_from_columns, ae_from_long, analyze_response, guess_ae_columns, guess_response_column,
    AeLongMapping, ResponseMapping,
};
use survcalc_core::table::parse_delimiter;
use survcalc_core::trial::{trial_mappings, trial_results_csv, Trial, TrialEndpoint};
use survcalc_core::{
    analyze, AnalysisOptions, ConfType, Convention, DateOrder, DateSpan, Mapping, Table,
    TableOptions, TextEncoding, Ties, TimeUnit,
};

#[derive(Parser)]
#[command(
    name = "survcalc",
    version,
    about = "Survival analysis of trial data, as R survival computes it",
    after_help = "Exit status: 0 done; 1 the input could not be analysed (the message, naming the \
                  row and column, is on standard error); 2 a usage error (an unknown or \
                  malformed option)."
)]
struct Cli {
    /// Print only the output and errors: no remarks about the data (rows left out,
    /// warnings) on standard error.
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

/// `survcalc --version`: the version and the reference software its golden fixtures were
/// made with (`survcalc_core::REFERENCE_SOFTWARE`, checked against the fixtures by a test).
fn long_version() -> String {
    format!(
        "{}\nchecked against golden fixtures made with {}",
        env!("CARGO_PKG_VERSION"),
        survcalc_core::REFERENCE_SOFTWARE
    )
}

/// Why a command failed, which decides the exit status.
#[derive(Debug)]
enum Failure {
    /// The input could not be read or analysed (exit status 1).
    Input(String),
    /// An option's value is malformed or options contradict each other (exit status 2, as
    /// clap's own usage errors).
    Usage(String),
}

impl From<String> for Failure {
    fn from(s: String) -> Self {
        Failure::Input(s)
    }
}

/// The JSON output, or why it could not be written.
fn to_json(r: serde_json::Result<String>) -> Result<String, Failure> {
    r.map_err(|e| Failure::Input(format!("cannot write the JSON: {e}")))
}

/// A usage error (exit status 2).
fn usage(msg: impl Into<String>) -> Failure {
    Failure::Usage(msg.into())
}

#[derive(Subcommand)]
enum Command {
    /// Kaplan–Meier, medians, log-rank and Cox for one endpoint of a CSV/TSV file.
    Analyze(Box<AnalyzeArgs>),
    /// A binary outcome (e.g. objective response) by arm: proportions with exact CIs,
    /// Fisher and chi-square tests, risk difference, risk and odds ratios (JSON).
    Response(ResponseArgs),
    /// An adverse-event table from per-patient columns (0/1 or CTCAE grade), by arm,
    /// with a Fisher test per event (JSON).
    Ae(AeArgs),
    /// An adverse-event table from a long table (one row per patient and event), with the
    /// number of patients per arm given (JSON).
    AeLong(AeLongArgs),
    /// Competing risks: the cumulative incidence of each cause of failure by arm
    /// (cmprsk's estimate and variance) and Gray's test of each cause (JSON).
    Competing(CompetingArgs),
    /// Plan a trial: events and patients for two arms' survival (rpact's conventions),
    /// Simon's two-stage design for a response rate, or two proportions.
    #[command(subcommand)]
    Design(DesignCommand),
    /// Patients rebuilt from a published Kaplan–Meier figure (Guyot et al. 2012): each
    /// arm's digitised points and numbers at risk, e.g. `survcalc reconstruct --arm A
    /// --points a.csv --risk 0:120,3:104,6:90 --arm B --points b.csv --risk …`; prints
    /// the patients as CSV (time,event,arm).
    Reconstruct(ReconstructArgs),
    /// Kaplan–Meier medians, the log-rank test and the Cox hazard ratios of a file of any
    /// size, read row by row
    /// in memory bounded by its distinct (arm, time) pairs, never holding the rows: for
    /// registry extracts of 10⁷–10⁹ rows, patient rows or aggregated ones (`--count`). The
    /// columns are named, not guessed.
    Stream(StreamArgs),
    /// Print the built-in simulated two-arm trial as CSV.
    Example,
    /// Print a shell completion script, e.g. `survcalc completions bash >
    /// ~/.local/share/bash-completion/completions/survcalc`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// How to read the file; each is detected when not given.
#[derive(Args)]
struct ReadArgs {
    /// The delimiter: comma, tab, semicolon, pipe, or one character (R `sep`).
    #[arg(long)]
    delimiter: Option<String>,
    /// Whether numbers use a decimal point or a decimal comma ("16,3"; R `dec`).
    #[arg(long, value_enum)]
    decimal: Option<DecimalArg>,
    /// Whether the first row names the columns (R `header`); `no` names them V1, V2, …
    #[arg(long, value_enum)]
    header: Option<YesNo>,
    /// The text encoding: utf-8, utf-16le, utf-16be, windows-1252 / latin1 (R
    /// `fileEncoding`).
    #[arg(long)]
    encoding: Option<String>,
    /// The sheet of a workbook (default: the first sheet that looks like data).
    #[arg(long)]
    sheet: Option<String>,
    /// The row that names the columns, as the file or sheet numbers it (rows above it are
    /// left out; R `skip = row - 1`). Default: detected.
    #[arg(long)]
    header_row: Option<u64>,
}

#[derive(Clone, Copy, ValueEnum)]
enum DecimalArg {
    Point,
    Comma,
}

#[derive(Clone, Copy, ValueEnum)]
enum OnOff {
    On,
    Off,
}

#[derive(Clone, Copy, ValueEnum)]
enum YesNo {
    Yes,
    No,
}

impl ReadArgs {
    fn options(&self) -> Result<TableOptions, Failure> {
        let delimiter = match &self.delimiter {
            None => None,
            Some(d) => Some(parse_delimiter(d).ok_or_else(|| {
                usage(format!(
                    "--delimiter {d}: give comma, tab, semicolon, pipe or one character"
                ))
            })?),
        };
        let encoding = match &self.encoding {
            None => None,
            Some(e) => Some(TextEncoding::parse(e).ok_or_else(|| {
                usage(format!(
                    "--encoding {e}: give utf-8, utf-16le, utf-16be or windows-1252"
                ))
            })?),
        };
        Ok(TableOptions {
            delimiter,
            header: self.header.map(|h| matches!(h, YesNo::Yes)),
            decimal_comma: self.decimal.map(|d| matches!(d, DecimalArg::Comma)),
            encoding,
            sheet: self.sheet.clone(),
            header_row: match self.header_row {
                Some(0) => return Err(usage("--header-row 0: rows are numbered from 1")),
                r => r,
            },
        })
    }
}

#[derive(Parser)]
struct AeLongArgs {
    /// The data file (`-` reads standard input).
    file: String,
    #[command(flatten)]
    read: ReadArgs,
    /// Patient identifier column.
    #[arg(long)]
    patient: String,
    /// Arm column.
    #[arg(long)]
    group: String,
    /// Event term column.
    #[arg(long)]
    term: String,
    /// Grade column (CTCAE), if any.
    #[arg(long)]
    grade: Option<String>,
    /// Patients per arm, e.g. `--at-risk "Sorafenib=32,Sorafenib+HAIC=32"`.
    #[arg(long)]
    at_risk: String,
    /// Only grades in this range, e.g. `--grades 3-4`.
    #[arg(long)]
    grades: Option<String>,
}

#[derive(Parser)]
struct ResponseArgs {
    /// The data file (`-` reads standard input).
    file: String,
    #[command(flatten)]
    read: ReadArgs,
    /// Column with the outcome (1/0, yes/no, CR/PR/SD/PD/NE…).
    #[arg(long)]
    outcome: String,
    /// Column with the arm.
    #[arg(long)]
    group: String,
    /// Values meaning success, e.g. `--success CR,PR` (default: recognise the coding).
    #[arg(long, value_delimiter = ',')]
    success: Vec<String>,
    /// The reference arm (default: the first in the data).
    #[arg(long)]
    reference: Option<String>,
}

#[derive(Parser)]
struct CompetingArgs {
    /// The data file (`-` reads standard input).
    file: String,
    #[command(flatten)]
    read: ReadArgs,
    /// Column with the follow-up time.
    #[arg(long)]
    time: String,
    /// Column with the event: the censoring value (0 by default) or the cause of failure
    /// (1, 2, … or words such as progression, death).
    #[arg(long)]
    event: String,
    /// Column with the arm (omit for one group, without a test).
    #[arg(long)]
    group: Option<String>,
    /// The event value meaning censored (default: 0, censored or alive).
    #[arg(long)]
    censor_value: Option<String>,
    /// A strata column for Gray's test.
    #[arg(long)]
    strata: Option<String>,
    /// The power of the weight (1 − F(t−))^ρ in Gray's test (R's rho).
    #[arg(long, default_value_t = 0.0)]
    rho: f64,
    /// Names of the event codes, e.g. `--event-codes 1=progression,2=death`. Every other
    /// value (but the censoring value) is then listed as excluded, never guessed at.
    #[arg(long, value_delimiter = ',')]
    event_codes: Vec<String>,
    /// The cause of interest (code, value or name; R crr's failcode): first in the output.
    #[arg(long)]
    cause: Option<String>,
    /// Times at which to give the cumulative incidence, e.g. `--at 12,24` (default: round
    /// times across the follow-up).
    #[arg(long, value_delimiter = ',')]
    at: Vec<f64>,
    /// Level of the intervals.
    #[arg(long, default_value_t = 0.95)]
    conf_level: f64,
    /// `text` (tables and sentences) or `json` (every number, docs/report-json.md).
    #[arg(long, value_enum, default_value_t = CompetingFormat::Text)]
    format: CompetingFormat,
}

#[derive(Args)]
struct StreamArgs {
    /// The data file (`-` reads standard input, e.g. the output of a query).
    file: String,
    /// Column with the follow-up time (a number ≥ 0).
    #[arg(long)]
    time: String,
    /// Column with the event: 1 / 0 (also true / false, yes / no), or the values named by
    /// --event-value and --censored-value.
    #[arg(long)]
    event: String,
    /// Column with the arm (omit for one group, without a test).
    #[arg(long)]
    group: Option<String>,
    /// Column with the number of patients each row stands for (an aggregated table:
    /// time, arm, event, count).
    #[arg(long)]
    count: Option<String>,
    /// A value of the event column that means an event (repeat for several).
    #[arg(long)]
    event_value: Vec<String>,
    /// A value of the event column that means censored (repeat for several).
    #[arg(long)]
    censored_value: Vec<String>,
    /// The delimiter: comma, tab, semicolon, pipe, or one character (default: detected
    /// from the header line).
    #[arg(long)]
    delimiter: Option<String>,
    /// The arm that is the reference (default: the first arm in the file).
    #[arg(long)]
    reference: Option<String>,
    /// Treat times within √ε (1.5e-8, absolutely or relative to the mean distinct time) as
    /// tied, as R does (R `timefix`): `on` (default, as R) or `off`.
    #[arg(long, value_enum, default_value_t = OnOff::On)]
    timefix: OnOff,
    /// Restricted mean survival time up to this time (survRM2 `rmst2(tau = )`; default:
    /// survRM2's rule, the largest time at which every arm's curve is known).
    #[arg(long)]
    tau: Option<f64>,
    /// `text` or `json` (every number, with the curves).
    #[arg(long, value_enum, default_value_t = StreamFormat::Text)]
    format: StreamFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum StreamFormat {
    Text,
    Json,
}

#[derive(Args)]
struct ReconstructArgs {
    /// An arm's name (once per arm, in order).
    #[arg(long = "arm", required = true)]
    arms: Vec<String>,
    /// The file of its digitised points: a time and the survival per line (once per arm).
    #[arg(long = "points", required = true)]
    points: Vec<String>,
    /// Its numbers at risk, `0:120,3:104,6:90` (once per arm).
    #[arg(long = "risk", required = true)]
    risk: Vec<String>,
    /// Total events per arm when published, in order (`--events 80,71`).
    #[arg(long, value_delimiter = ',')]
    events: Vec<u64>,
    /// `csv` (the patients), `text` (the accuracy of each arm) or `json`.
    #[arg(long, value_enum, default_value_t = RebuildFormat::Csv)]
    format: RebuildFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum RebuildFormat {
    Csv,
    Text,
    Json,
}

#[derive(Subcommand)]
enum DesignCommand {
    /// Events and patients for comparing two arms by the log-rank test, e.g.
    /// `survcalc design survival --hr 0.7 --control-median 12 --accrual 24 --follow-up 12`.
    Survival(SurvivalDesignArgs),
    /// Simon's optimal and minimax two-stage designs (and A'Hern's single-stage design) for
    /// a response rate, e.g. `survcalc design response --p0 0.2 --p1 0.4 --alpha 0.05 --beta 0.1`.
    Response(ResponseDesignArgs),
    /// Patients per group to compare two proportions, e.g. `survcalc design proportions
    /// --p1 0.5 --p2 0.75 --power 0.9`.
    Proportions(ProportionsDesignArgs),
}

#[derive(Args)]
struct DesignOut {
    /// `text` (the numbers and the protocol's sentence), `json`, or `svg` (the power
    /// curve).
    #[arg(long, value_enum, default_value_t = DesignFormat::Text)]
    format: DesignFormat,
    /// The printed width of the SVG in inches.
    #[arg(long, default_value_t = 5.5)]
    width_in: f64,
}

#[derive(Clone, Copy, ValueEnum)]
enum DesignFormat {
    Text,
    Json,
    Svg,
}

#[derive(Args)]
struct SurvivalDesignArgs {
    /// The hazard ratio, treatment over control (rpact hazardRatio).
    #[arg(long)]
    hr: Option<f64>,
    /// The treatment arm's median survival instead of --hr (rpact median1).
    #[arg(long)]
    treatment_median: Option<f64>,
    /// The control arm's median survival (rpact median2).
    #[arg(long)]
    control_median: Option<f64>,
    /// The control arm's hazard instead of its median (rpact lambda2).
    #[arg(long)]
    control_hazard: Option<f64>,
    /// Significance level (rpact alpha), of --sides sides.
    #[arg(long, default_value_t = 0.05)]
    alpha: f64,
    /// 1 or 2 (rpact sided).
    #[arg(long, default_value_t = 2)]
    sides: u8,
    /// Power (rpact 1 - beta).
    #[arg(long, default_value_t = 0.8)]
    power: f64,
    /// Allocation ratio treatment:control (rpact allocationRatioPlanned).
    #[arg(long, default_value_t = 1.0)]
    ratio: f64,
    /// Accrual: its end (`24`) or the ends of its periods (`6,24`) (rpact accrualTime).
    #[arg(long, value_delimiter = ',', default_value = "12")]
    accrual: Vec<f64>,
    /// Relative intensity per accrual period (`1,3`), or with --rate patients per unit of
    /// time (rpact accrualIntensity).
    #[arg(long, value_delimiter = ',')]
    intensity: Vec<f64>,
    /// The intensities are patients per unit of time: the follow-up is solved for.
    #[arg(long)]
    rate: bool,
    /// Follow-up after the end of accrual (rpact followUpTime).
    #[arg(long, default_value_t = 6.0)]
    follow_up: f64,
    /// Proportions lost to follow-up by --dropout-time, treatment,control (rpact
    /// dropoutRate1, dropoutRate2), e.g. `0.1,0.05`.
    #[arg(long, value_delimiter = ',')]
    dropout: Vec<f64>,
    /// The time of --dropout (rpact dropoutTime).
    #[arg(long, default_value_t = 12.0)]
    dropout_time: f64,
    /// The events formula.
    #[arg(long, value_enum, default_value_t = EventsArg::Schoenfeld)]
    method: EventsArg,
    /// The time unit's plural name, for the sentence.
    #[arg(long, default_value = "months")]
    unit: String,
    #[command(flatten)]
    out: DesignOut,
}

#[derive(Clone, Copy, ValueEnum)]
enum EventsArg {
    Schoenfeld,
    Freedman,
    HsiehFreedman,
    /// gsDesign nSurv's: patients from the variances, events from the patients.
    LachinFoulkes,
}

#[derive(Args)]
struct ResponseDesignArgs {
    /// The uninteresting response rate p0.
    #[arg(long)]
    p0: f64,
    /// The desirable response rate p1.
    #[arg(long)]
    p1: f64,
    /// One-sided α.
    #[arg(long, default_value_t = 0.05)]
    alpha: f64,
    /// β = 1 − power.
    #[arg(long, default_value_t = 0.2)]
    beta: f64,
    /// The largest sample size searched (R clinfun nmax).
    #[arg(long, default_value_t = 100)]
    n_max: u32,
    /// After the trial: the responses in all, when it went on to stage 2.
    #[arg(long)]
    responses: Option<u32>,
    /// After the trial: the responses in stage 1, when it stopped there.
    #[arg(long)]
    stopped_with: Option<u32>,
    /// The trial followed the minimax design (default: the optimal one).
    #[arg(long)]
    minimax: bool,
    #[command(flatten)]
    out: DesignOut,
}

#[derive(Args)]
struct ProportionsDesignArgs {
    /// The control group's proportion.
    #[arg(long)]
    p1: f64,
    /// The treatment group's proportion.
    #[arg(long)]
    p2: f64,
    /// α.
    #[arg(long, default_value_t = 0.05)]
    alpha: f64,
    /// 1 or 2 sides.
    #[arg(long, default_value_t = 2)]
    sides: u8,
    /// Power.
    #[arg(long, default_value_t = 0.8)]
    power: f64,
    #[command(flatten)]
    out: DesignOut,
}

/// Output of `survcalc competing`.
#[derive(Clone, Copy, clap::ValueEnum)]
enum CompetingFormat {
    Text,
    Json,
    /// An R script (cmprsk cuminc and crr) that reproduces the numbers.
    R,
}

#[derive(Parser)]
struct AeArgs {
    /// The data file (`-` reads standard input).
    file: String,
    #[command(flatten)]
    read: ReadArgs,
    /// Column with the arm.
    #[arg(long)]
    group: String,
    /// The adverse-event columns, e.g. `--columns diarrhoea,hand_foot`.
    #[arg(long, value_delimiter = ',', required = true)]
    columns: Vec<String>,
    /// Only grades in this range, e.g. `--grades 3-4`.
    #[arg(long)]
    grades: Option<String>,
}

#[derive(Parser)]
struct AnalyzeArgs {
    /// The data file (CSV, TSV, semicolon- or pipe-separated, .xlsx, .xls, .ods; `-` reads
    /// standard input).
    file: String,
    #[command(flatten)]
    read: ReadArgs,
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
    /// The event-column value meaning "censored"; with --event-value, any other value is
    /// reported as unknown rather than guessed.
    #[arg(long)]
    censor_value: Option<String>,
    /// The reference group for hazard ratios (default: the first in the data).
    #[arg(long)]
    reference: Option<String>,
    /// The order of the groups, e.g. `--group-order Placebo,Drug` (the first is the
    /// reference unless --reference is given).
    #[arg(long, value_delimiter = ',')]
    group_order: Vec<String>,
    /// Labels for group values, e.g. `--group-labels "1=Sorafenib,2=Sorafenib+HAIC"`.
    #[arg(long)]
    group_labels: Option<String>,
    /// The patient identifier column, for the duplicate check (default: a column named
    /// like id, USUBJID, patient_id).
    #[arg(long)]
    id: Option<String>,
    /// An aggregated table: the column holding how many patients each row stands for
    /// (guessed from a column named n, count, freq, weight, …); `none` reads a patient per
    /// row.
    #[arg(long)]
    count: Option<String>,
    /// An aggregated table in the events/censored form: the column of the number of
    /// events at each row's time (with --censored-count; the event column is not read).
    #[arg(long, requires = "censored_count")]
    events_count: Option<String>,
    /// The column of the number censored at each row's time (with --events-count).
    #[arg(long, requires = "events_count")]
    censored_count: Option<String>,
    /// The unit of the time column: days, weeks, months, years (default: read from its
    /// name, e.g. os_months).
    #[arg(long)]
    time_unit: Option<String>,
    /// Analyse in this unit (months = 30.4375 days, years = 365.25 days).
    #[arg(long)]
    unit: Option<String>,
    /// Follow-up from dates: the start column (randomisation); needs --end.
    #[arg(long, requires = "end")]
    start: Option<String>,
    /// Follow-up from dates: the end column (event or last contact); needs --start.
    #[arg(long, requires = "start")]
    end: Option<String>,
    /// How numeric dates are written: auto, ymd, dmy, mdy (default: learn from the data;
    /// ambiguous dates are reported, never guessed).
    #[arg(long, default_value = "auto")]
    date_order: String,
    /// Only rows where a column has a value, e.g. `--filter PARAMCD=OS` (CDISC ADTTE).
    #[arg(long)]
    filter: Option<String>,
    /// Follow the defaults of this software (R, SAS, SPSS, Stata, Prism); the options
    /// below override single choices.
    #[arg(long, value_enum)]
    convention: Option<ConventionArg>,
    /// Pointwise CI transform (R survfit conf.type); default: the convention's (R: log).
    #[arg(long, value_enum)]
    conf_type: Option<ConfArg>,
    /// Tie handling in the Cox model (R coxph ties: efron, breslow, exact); default: the
    /// convention's (R: efron).
    #[arg(long, value_enum)]
    ties: Option<TiesArg>,
    /// Treat times within √ε (1.5e-8, absolutely or relative to the mean time) as tied, as
    /// R does (R `timefix`): `on` or `off`; default: the convention's (R: on, others: off).
    #[arg(long, value_enum)]
    timefix: Option<OnOff>,
    /// Confidence level of every interval (R `conf.int`), e.g. 0.90.
    #[arg(long, default_value_t = 0.95)]
    conf_level: f64,
    /// Landmark times for survival and between-arm differences, e.g. `--landmarks 6,12,24`.
    #[arg(long, value_delimiter = ',')]
    landmarks: Vec<f64>,
    /// RMST truncation time τ (default: survRM2's rule).
    #[arg(long)]
    tau: Option<f64>,
    /// A strata column: adds the stratified log-rank test and a stratified Cox model.
    #[arg(long)]
    strata: Option<String>,
    /// Covariate columns for an adjusted Cox model, e.g. `--covariates age,ecog`.
    #[arg(long, value_delimiter = ',')]
    covariates: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// With `--format html`: put the data itself in the report (left out by default).
    #[arg(long)]
    include_data: bool,
    /// With `--format svg`: which figure of the trial, as the page's "Figures of the
    /// trial" offers them.
    #[arg(long, value_enum, default_value_t = FigureArg::KaplanMeierPanels)]
    figure: FigureArg,
    /// With `--format svg`: the printed width in inches (3.5 single column, 5.5, 7.2
    /// double column).
    #[arg(long, default_value_t = 7.2)]
    width_in: f64,
    /// Subgroup variables for `--format subgroups` and `--figure forest-subgroups`:
    /// columns, a numeric one cut at a value (`age:65`), `!` marks a prespecified one
    /// (`sex!`), e.g. `--subgroups sex!,age:65,ecog`.
    #[arg(long, value_delimiter = ',')]
    subgroups: Vec<String>,
    /// Whether the subgroup models carry `--strata` as the primary analysis does
    /// (`primary`, the default) or no strata (`none`).
    #[arg(long, value_enum, default_value_t = SubgroupStrataArg::Primary)]
    subgroup_strata: SubgroupStrataArg,
}

#[derive(Clone, Copy, ValueEnum)]
enum SubgroupStrataArg {
    Primary,
    None,
}

#[derive(Clone, Copy, ValueEnum)]
enum FigureArg {
    KaplanMeierPanels,
    CumulativeHazard,
    ForestHazardRatios,
    ResponseByArm,
    AdverseEventsDotAndBar,
    /// The subgroups of `--subgroups` for this endpoint.
    ForestSubgroups,
}

impl From<FigureArg> for survcalc_plot::trial::TrialFigure {
    fn from(f: FigureArg) -> Self {
        use survcalc_plot::trial::TrialFigure as T;
        match f {
            FigureArg::KaplanMeierPanels => T::KmPanels,
            FigureArg::CumulativeHazard => T::HazardPanels,
            FigureArg::ForestHazardRatios => T::Forest,
            FigureArg::ResponseByArm => T::Response,
            FigureArg::AdverseEventsDotAndBar => T::Adverse,
            // Drawn from the subgroup report, not the trial (see `run`).
            FigureArg::ForestSubgroups => T::Forest,
        }
    }
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
enum ConventionArg {
    R,
    Sas,
    Spss,
    Stata,
    Prism,
}

impl From<ConventionArg> for Convention {
    fn from(c: ConventionArg) -> Self {
        match c {
            ConventionArg::R => Convention::R,
            ConventionArg::Sas => Convention::Sas,
            ConventionArg::Spss => Convention::Spss,
            ConventionArg::Stata => Convention::Stata,
            ConventionArg::Prism => Convention::Prism,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum TiesArg {
    Efron,
    Breslow,
    Exact,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// The whole report (docs/report-json.md).
    Json,
    /// JSON Lines: one line per endpoint of the table (OS, PFS, … as the page finds
    /// them), each `{"endpoint": name, "columns": {...}, "report": {...}}` with the
    /// report of `--format json`, for `jq` and pipelines.
    Jsonl,
    /// R-style printout plus journal sentences.
    Text,
    /// The results in long form, full precision (as the page's "Download results (CSV)").
    Csv,
    /// The Kaplan–Meier tables, as R summary(survfit, censored = TRUE).
    KmCsv,
    /// The self-contained HTML report (figure, sentences, tables, methods, data summary),
    /// as the page's "Download report (HTML)".
    Html,
    /// One figure of the trial as SVG (`--figure`, `--width-in`), as the page's.
    Svg,
    /// The subgroup analyses of `--subgroups` (JSON): HR within each level, interaction
    /// tests.
    Subgroups,
    /// An R script that reads this file (by its name: keep the script beside it) and
    /// reproduces every survival number of the report with R survival, with the same
    /// options, and prints them labelled as the report labels them.
    R,
    /// A SAS program (PROC LIFETEST, PHREG, FREQ) with the report's options, for the SAS
    /// convention (`--convention sas`).
    Sas,
}

fn main() -> ExitCode {
    let matches = <Cli as clap::CommandFactory>::command()
        .long_version(long_version())
        .get_matches();
    let cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    let remarks = Remarks { quiet: cli.quiet };
    let r = match cli.command {
        Command::Example => Ok(survcalc_core::example::example_csv()),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut cmd, "survcalc", &mut out);
            Ok(String::from_utf8_lossy(&out).into_owned())
        }
        Command::Response(args) => run_response(&args),
        Command::Ae(args) => run_ae(&args),
        Command::AeLong(args) => run_ae_long(&args),
        Command::Competing(args) => run_competing(&args),
        Command::Design(d) => run_design(&d),
        Command::Reconstruct(a) => run_reconstruct(&a),
        Command::Stream(a) => run_stream(&a, &remarks),
        Command::Analyze(args) => run(&args, &remarks),
    };
    finish(r)
}

/// Remarks about the data (rows left out, warnings) for standard error, where the output
/// itself (JSON, CSV, …) has no room for them; `--quiet` silences them.
struct Remarks {
    quiet: bool,
}

impl Remarks {
    /// Prints what the analysis left out or warned of, one line each (at most 10 rows).
    fn analysis(&self, endpoint: &str, a: &survcalc_core::Analysis) {
        if self.quiet {
            return;
        }
        let mut err = std::io::stderr().lock();
        let prefix = if endpoint.is_empty() {
            "survcalc: ".to_string()
        } else {
            format!("survcalc: {endpoint}: ")
        };
        if !a.excluded.is_empty() {
            let _ = writeln!(
                err,
                "{prefix}{} of {} rows left out (add --quiet to hide these remarks):",
                a.excluded.len(),
                a.n_rows
            );
            for e in a.excluded.iter().take(10) {
                let _ = writeln!(err, "  {e}");
            }
            if a.excluded.len() > 10 {
                let _ = writeln!(err, "  … and {} more", a.excluded.len() - 10);
            }
        }
        for w in &a.warnings {
            let _ = writeln!(err, "{prefix}warning: {w}");
        }
    }
}

/// Prints the output (a closed pipe, as in `survcalc … | head`, is not an error) or the
/// message, and gives the exit status: 0, 1 (input) or 2 (usage).
fn finish(r: Result<String, Failure>) -> ExitCode {
    match r {
        Ok(out) => {
            let mut stdout = std::io::stdout().lock();
            let end = if out.ends_with('\n') { "" } else { "\n" };
            match write!(stdout, "{out}{end}") {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    eprintln!("survcalc: cannot write the output: {e}");
                    ExitCode::FAILURE
                }
                _ => ExitCode::SUCCESS,
            }
        }
        Err(Failure::Input(msg)) => {
            eprintln!("survcalc: {msg}");
            ExitCode::FAILURE
        }
        Err(Failure::Usage(msg)) => {
            eprintln!("survcalc: {msg}\n(see survcalc --help)");
            ExitCode::from(2)
        }
    }
}

fn read_table(file: &str, read: &ReadArgs) -> Result<Table, Failure> {
    let options = read.options()?;
    let bytes = read_input(file)?;
    Ok(Table::from_bytes(&bytes, &options).map_err(|e| format!("{file}: {e}"))?)
}

/// Today's date (UTC), ISO 8601.
/// The response analysis and the adverse-event table as the page makes them by default:
/// a response column and AE columns found by name, grades 3–4; `None` where a part
/// cannot be made.
fn binary_of(
    table: &Table,
    mapping: &Mapping,
) -> (
    Option<survcalc_core::response::ResponseAnalysis>,
    Option<survcalc_core::adverse::AeTable>,
) {
    let response = response_mapping_of(table, mapping)
        .and_then(|m| analyze_response(table, &m, &BinaryOptions::default()).ok());
    let ae_columns = guess_ae_columns(&table.columns);
    let ae = mapping
        .group
        .clone()
        .filter(|_| !ae_columns.is_empty())
        .and_then(|group| {
            let options = AeOptions {
                grades: Some(GradeRange { min: 3, max: 4 }),
                ..AeOptions::default()
            };
            ae_from_columns(table, &group, &ae_columns, &options).ok()
        });
    (response, ae)
}

/// The name a script opens the data by: the file's own name (standard input: data.csv).
fn file_name_of(file: &str) -> String {
    if file == "-" {
        "data.csv".to_string()
    } else {
        std::path::Path::new(file)
            .file_name()
            .map_or_else(|| file.to_string(), |f| f.to_string_lossy().into_owned())
    }
}

/// The response column found by name, by the mapping's arm (as the page's default).
fn response_mapping_of(table: &Table, mapping: &Mapping) -> Option<ResponseMapping> {
    guess_response_column(&table.columns)
        .zip(mapping.group.clone())
        .map(|(outcome, group)| ResponseMapping {
            outcome,
            group,
            success: Vec::new(),
            reference: mapping.reference.clone(),
        })
}

fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    survcalc_core::dates::iso(i64::try_from(days).unwrap_or(0))
}

fn unit_arg(flag: &str, value: Option<&String>) -> Result<Option<TimeUnit>, Failure> {
    value
        .map(|u| {
            TimeUnit::parse(u)
                .ok_or_else(|| usage(format!("{flag} {u}: give days, weeks, months or years")))
        })
        .transpose()
}

/// The mapping: guessed from the table, then each argument given replaces the guess.
fn mapping_of(table: &Table, args: &AnalyzeArgs) -> Result<Mapping, Failure> {
    let mut mapping: Mapping = survcalc_core::mapping::guess(table);
    if let Some(t) = &args.time {
        mapping.time = t.clone();
    }
    if let Some(e) = &args.event {
        mapping.event = e.clone();
    }
    if args.group.is_some() {
        mapping.group = args.group.clone();
    }
    mapping.event_value = args.event_value.clone();
    mapping.censor_value = args.censor_value.clone();
    mapping.reference = args.reference.clone();
    mapping.group_order = args.group_order.clone();
    if let Some(l) = &args.group_labels {
        mapping.group_labels =
            parse_group_labels(l).map_err(|e| usage(format!("--group-labels: {e}")))?;
    }
    match args.count.as_deref() {
        Some("none") => mapping.count = None,
        Some(c) => mapping.count = Some(c.to_string()),
        None => {}
    }
    if let (Some(events), Some(censored)) = (&args.events_count, &args.censored_count) {
        mapping.counts = Some(survcalc_core::mapping::EventCounts {
            events: events.clone(),
            censored: censored.clone(),
        });
        // The guessed patient count (a column named n) does not apply.
        if args.count.is_none() {
            mapping.count = None;
        }
        if args.time.is_none() && (&mapping.time == events || &mapping.time == censored) {
            return Err(usage(format!(
                "the time column was guessed as \"{}\", a count column: name it with --time",
                mapping.time
            )));
        }
    }
    if args.id.is_some() {
        mapping.id = args.id.clone();
    }
    mapping.time_unit = unit_arg("--time-unit", args.time_unit.as_ref())?;
    mapping.output_unit = unit_arg("--unit", args.unit.as_ref())?;
    if let (Some(start), Some(end)) = (&args.start, &args.end) {
        let order = DateOrder::parse(&args.date_order).ok_or_else(|| {
            usage(format!(
                "--date-order {}: give auto, ymd, dmy or mdy",
                args.date_order
            ))
        })?;
        mapping.dates = Some(DateSpan {
            start: start.clone(),
            end: end.clone(),
            order,
        });
    }
    if let Some(f) = &args.filter {
        let (column, value) = f
            .split_once('=')
            .ok_or_else(|| usage(format!("--filter {f}: write COLUMN=VALUE, e.g. PARAMCD=OS")))?;
        mapping.filter = Some(RowFilter {
            column: column.trim().to_string(),
            value: value.trim().to_string(),
        });
    }
    Ok(mapping)
}

fn run_response(args: &ResponseArgs) -> Result<String, Failure> {
    let table = read_table(&args.file, &args.read)?;
    let m = ResponseMapping {
        outcome: args.outcome.clone(),
        group: args.group.clone(),
        success: args.success.clone(),
        reference: args.reference.clone(),
    };
    let a = analyze_response(&table, &m, &BinaryOptions::default()).map_err(|e| e.to_string())?;
    to_json(serde_json::to_string_pretty(&a))
}

fn run_competing(args: &CompetingArgs) -> Result<String, Failure> {
    let table = read_table(&args.file, &args.read)?;
    let cause_names = args
        .event_codes
        .iter()
        .map(|p| {
            p.split_once('=')
                .map(|(v, n)| (v.trim().to_string(), n.trim().to_string()))
                .filter(|(v, n)| !v.is_empty() && !n.is_empty())
                .ok_or_else(|| {
                    usage(format!(
                        "--event-codes: \"{p}\" should be VALUE=NAME, e.g. 1=progression"
                    ))
                })
        })
        .collect::<Result<Vec<_>, Failure>>()?;
    let m = survcalc_core::competing_risks::CompetingMapping {
        time: args.time.clone(),
        event: args.event.clone(),
        group: args.group.clone(),
        censor_value: args.censor_value.clone(),
        strata: args.strata.clone(),
        cause_names,
    };
    let options = survcalc_core::competing_risks::CompetingOptions {
        rho: args.rho,
        cause: args.cause.clone(),
        times: args.at.clone(),
        conf_level: args.conf_level,
    };
    let a = survcalc_core::competing_risks::analyze_competing(&table, &m, &options)
        .map_err(|e| e.to_string())?;
    match args.format {
        CompetingFormat::Json => to_json(serde_json::to_string_pretty(&a)),
        CompetingFormat::Text => Ok(text::render_competing(&a)),
        CompetingFormat::R => Ok(survcalc_core::rscript::r_script(
            &survcalc_core::rscript::RData::File(file_name_of(&args.file)),
            &table,
            &survcalc_core::rscript::RReport {
                endpoints: &[],
                response: None,
                ae: None,
                competing: Some(survcalc_core::rscript::RCompeting {
                    mapping: &m,
                    options: &options,
                    analysis: &a,
                }),
            },
            &AnalysisOptions::default(),
            env!("CARGO_PKG_VERSION"),
        )?),
    }
}

/// `survcalc stream`: counts per (arm, time) as the file is read, then Kaplan–Meier,
/// medians, median follow-up, the RMST, the log-rank test and the Cox model on the arm,
/// all on the counts.
fn run_stream(a: &StreamArgs, remarks: &Remarks) -> Result<String, Failure> {
    use survcalc_core::stream::{stream_counts, StreamMapping};
    let delimiter = match &a.delimiter {
        None => None,
        Some(d) => match parse_delimiter(d) {
            Some(c) if c.is_ascii() => Some(c as u8),
            _ => return Err(usage(format!("--delimiter: \"{d}\" is not one character"))),
        },
    };
    let map = StreamMapping {
        time: a.time.clone(),
        event: a.event.clone(),
        group: a.group.clone(),
        count: a.count.clone(),
        event_values: a.event_value.clone(),
        censored_values: a.censored_value.clone(),
        delimiter,
    };
    let streamed = if a.file == "-" {
        stream_counts(std::io::stdin().lock(), &map)
    } else {
        let f = std::fs::File::open(&a.file)
            .map_err(|e| Failure::Input(format!("cannot open {}: {e}", a.file)))?;
        stream_counts(f, &map)
    }
    .map_err(|e| Failure::Input(e.to_string()))?;
    let (mut table, merged) = match a.timefix {
        OnOff::On => streamed.table.timefixed(survcalc_core::timefix::TOLERANCE),
        OnOff::Off => (streamed.table, 0),
    };
    if let Some(r) = &a.reference {
        let Some(i) = table.groups.iter().position(|g| &g.label == r) else {
            let arms: Vec<&str> = table.groups.iter().map(|g| g.label.as_str()).collect();
            return Err(Failure::Input(format!(
                "--reference: there is no arm \"{r}\"; the arms are {}",
                arms.join(", ")
            )));
        };
        let g = table.groups.remove(i);
        table.groups.insert(0, g);
    }
    if !remarks.quiet {
        let mut err = std::io::stderr().lock();
        if merged > 0 {
            let _ = writeln!(
                err,
                "survcalc: {merged} observation(s) with a time within √ε (1.5e-8) of a smaller \
                 one were given that time, as R does (timefix); --timefix off keeps them apart"
            );
        }
        for l in &streamed.left_out {
            let _ = writeln!(
                err,
                "survcalc: {} rows left out: {} (the first at row {}; add --quiet to hide these \
                 remarks)",
                l.rows, l.reason, l.first_row
            );
        }
    }
    let km = survcalc_core::kaplan_meier_counts(&table, &survcalc_core::KmOptions::default());
    // The median as `analyze` gives it (R print.survfit).
    let medians: Vec<_> = km.iter().map(survcalc_core::print_median).collect();
    let lr = (table.groups.len() > 1).then(|| survcalc_core::survdiff_counts(&table, 0.0));
    let cox = (table.groups.len() > 1)
        .then(|| survcalc_core::cox_fit_counts(&table, &survcalc_core::CoxOptions::default()))
        .flatten();
    // The page's family of tests of the curves, and MaxCombo for two arms; a test that
    // cannot be computed is said on standard error.
    let mut tests = Vec::new();
    let mut max_combo = None;
    if table.groups.len() > 1 {
        let family = survcalc_core::analysis::test_family(survcalc_core::compare::Weight::LogRank);
        for (w, t) in family
            .iter()
            .zip(survcalc_core::compare::weighted_log_ranks_counts(
                &table, &family,
            ))
        {
            match t {
                Ok(t) => tests.push(t),
                Err(e) => eprintln!("survcalc: {}: {e}", w.describe()),
            }
        }
        if table.groups.len() == 2 {
            match survcalc_core::compare::max_combo_counts(
                &table,
                &survcalc_core::compare::MaxComboOptions::default(),
            ) {
                Ok(m) => max_combo = Some(m),
                Err(e) => eprintln!("survcalc: MaxCombo: {e}"),
            }
        }
    }
    let follow_up =
        survcalc_core::median_follow_up_counts(&table, &survcalc_core::FollowUpOptions::default());
    let rmst_opts = survcalc_core::RmstOptions {
        tau: a.tau,
        ..survcalc_core::RmstOptions::default()
    };
    // A τ the user gave that cannot be used stops with survRM2's reason; without one, an
    // RMST that cannot be computed is said in place of its table.
    let rmst = match survcalc_core::rmst_by_group(&km, &rmst_opts) {
        Ok(t) => Ok(t),
        Err(e) if a.tau.is_some() => return Err(usage(format!("--tau: {e}"))),
        Err(e) => Err(e.to_string()),
    };
    let mut rmst_comparisons = Vec::new();
    if let Ok(t) = &rmst {
        for c in survcalc_core::rmst_against_first(&km, t, rmst_opts.conf_level) {
            match c {
                Ok(c) => rmst_comparisons.push(c),
                Err(e) => eprintln!("survcalc: RMST comparison: {e}"),
            }
        }
    }
    let r = text::StreamResults {
        rows: streamed.rows,
        entries: table.entries(),
        km,
        medians,
        log_rank: lr,
        tests,
        max_combo,
        cox,
        follow_up,
        rmst,
        rmst_comparisons,
    };
    match a.format {
        StreamFormat::Json => to_json(serde_json::to_string_pretty(&serde_json::json!({
            "rows": streamed.rows,
            "left_out": streamed.left_out.iter().map(|l| serde_json::json!({
                "reason": l.reason, "rows": l.rows, "first_row": l.first_row,
            })).collect::<Vec<_>>(),
            "distinct_arm_times": r.entries,
            "timefix": { "on": matches!(a.timefix, OnOff::On), "merged_observations": merged },
            "methods": {
                "km": "Kaplan–Meier, Greenwood variance, log-transformed 95% pointwise limits (R survfit defaults)",
                "median": "R print.survfit: the first time the curve is at or below 0.5, the limits the times the pointwise limits cross 0.5 (Brookmeyer & Crowley 1982)",
                "log_rank": "log-rank test, R survdiff(rho = 0)",
                "tests": "the weighted log-rank family: each entry's method names its weight (Klein & Moeschberger §7.3; the G(rho, 0) members as R survdiff)",
                "max_combo": "MaxCombo of two arms: max |Z| over Fleming–Harrington G(0,0), G(0,1), G(1,0), G(1,1), P from the multivariate normal (Lee 2007; Karrison 2016)",
                "cox": "Cox model on the arm, Efron ties, Wald 95% CI (R coxph defaults); no concordance from counts",
                "follow_up": "median follow-up by the reverse Kaplan–Meier method (Schemper & Smith 1996), median and limits as R print(survfit(Surv(time, 1 - status) ~ arm))",
                "rmst": "restricted mean survival time: area under the Kaplan–Meier curve to tau with survRM2's variance; difference and ratios of each arm against the reference with Wald 95% CIs (survRM2 rmst2; Uno et al. 2014)",
            },
            "medians": r.km.iter().zip(&r.medians).map(|(c, m)| serde_json::json!({
                "group": c.group, "n": c.n, "events": c.events, "median": m,
            })).collect::<Vec<_>>(),
            "log_rank": r.log_rank,
            "tests": r.tests,
            "max_combo": r.max_combo,
            "cox": r.cox,
            "follow_up": r.follow_up,
            "rmst": r.rmst.as_ref().ok(),
            "rmst_not_computed": r.rmst.as_ref().err(),
            "rmst_comparisons": r.rmst_comparisons,
            "km": r.km,
        }))),
        StreamFormat::Text => Ok(text::render_stream(&r)),
    }
}

fn run_reconstruct(a: &ReconstructArgs) -> Result<String, Failure> {
    use survcalc_core::rebuild::{rebuild, ArmText};
    if a.points.len() != a.arms.len() || a.risk.len() != a.arms.len() {
        return Err(usage(format!(
            "give --points and --risk once for each --arm ({} arms, {} --points, {} --risk)",
            a.arms.len(),
            a.points.len(),
            a.risk.len()
        )));
    }
    if !a.events.is_empty() && a.events.len() != a.arms.len() {
        return Err(usage("--events: one total per arm, in the order of --arm"));
    }
    let arms = a
        .arms
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let points = std::fs::read_to_string(&a.points[k])
                .map_err(|e| format!("--points {}: {e}", a.points[k]))?;
            Ok(ArmText {
                name: name.clone(),
                points,
                risk: a.risk[k].clone(),
                total_events: a.events.get(k).copied(),
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let r = rebuild(&arms)?;
    match a.format {
        RebuildFormat::Csv => Ok(r.csv),
        RebuildFormat::Json => to_json(serde_json::to_string_pretty(&r)),
        RebuildFormat::Text => {
            let mut s = String::new();
            for arm in &r.arms {
                s.push_str(&format!(
                    "{}: {} patients, {} events; max |ΔS| {:.4}, RMS {:.4}\n",
                    arm.name,
                    arm.result.time.len(),
                    arm.result.events,
                    arm.result.max_abs_diff,
                    arm.result.rms_diff
                ));
                for (t, p, g) in &arm.result.at_risk {
                    s.push_str(&format!("  at risk at {t}: published {p}, rebuilt {g}\n"));
                }
                for n in &arm.notes {
                    s.push_str(&format!("  note: {n}\n"));
                }
            }
            s.push_str(&format!("\nmethods: {}\n", r.method));
            Ok(s)
        }
    }
}

fn run_design(c: &DesignCommand) -> Result<String, Failure> {
    use survcalc_core::design::{Accrual, Dropout, Effect, EventsMethod, Hazard, SurvivalDesign};
    use survcalc_core::design_report::{design_report, DesignRequest};
    let (request, out) = match c {
        DesignCommand::Survival(a) => {
            let control = match (a.control_median, a.control_hazard) {
                (Some(m), None) => Hazard::Median { median: m },
                (None, Some(l)) => Hazard::Rate { lambda: l },
                _ => {
                    return Err(usage(
                        "give the control arm's --control-median (or its --control-hazard), e.g. --control-median 12",
                    ))
                }
            };
            let effect = match (a.hr, a.treatment_median) {
                (Some(hazard_ratio), None) => Effect::HazardRatio { hazard_ratio },
                (None, Some(m)) => Effect::Treatment {
                    hazard: Hazard::Median { median: m },
                },
                _ => {
                    return Err(usage(
                        "give the effect as --hr (e.g. 0.7) or as the --treatment-median",
                    ))
                }
            };
            let mut boundaries = vec![0.0];
            boundaries.extend(&a.accrual);
            let periods = boundaries.len() - 1;
            let intensity = if a.intensity.is_empty() {
                vec![1.0; periods]
            } else {
                a.intensity.clone()
            };
            let accrual = if a.rate {
                Accrual::Rate {
                    boundaries,
                    per_time: intensity,
                }
            } else {
                Accrual::Period {
                    boundaries,
                    intensity,
                    follow_up: a.follow_up,
                }
            };
            let dropout = match a.dropout.as_slice() {
                [] => Dropout::None,
                [both] => Dropout::Proportion {
                    treatment: *both,
                    control: *both,
                    time: a.dropout_time,
                },
                [t, c] => Dropout::Proportion {
                    treatment: *t,
                    control: *c,
                    time: a.dropout_time,
                },
                _ => return Err(usage("--dropout: one proportion, or treatment,control")),
            };
            let method = match a.method {
                EventsArg::Schoenfeld => EventsMethod::Schoenfeld,
                EventsArg::Freedman => EventsMethod::Freedman,
                EventsArg::HsiehFreedman => EventsMethod::HsiehFreedman,
                EventsArg::LachinFoulkes => EventsMethod::LachinFoulkes,
            };
            (
                DesignRequest::Survival {
                    design: SurvivalDesign {
                        control,
                        effect,
                        alpha: a.alpha,
                        sides: a.sides,
                        power: a.power,
                        allocation_ratio: a.ratio,
                        accrual,
                        dropout,
                        method,
                    },
                    unit: a.unit.clone(),
                },
                &a.out,
            )
        }
        DesignCommand::Response(a) => (
            DesignRequest::Response {
                p0: a.p0,
                p1: a.p1,
                alpha: a.alpha,
                beta: a.beta,
                n_max: a.n_max,
                observed: match (a.responses, a.stopped_with) {
                    (Some(x), None) => Some(survcalc_core::design::TwoStageOutcome::Completed { x }),
                    (None, Some(x1)) => {
                        Some(survcalc_core::design::TwoStageOutcome::Stopped { x1 })
                    }
                    (None, None) => None,
                    (Some(_), Some(_)) => {
                        return Err(usage(
                            "give --responses (the trial went on) or --stopped-with (it stopped after stage 1), not both",
                        ))
                    }
                },
                minimax: a.minimax,
            },
            &a.out,
        ),
        DesignCommand::Proportions(a) => (
            DesignRequest::Proportions {
                p1: a.p1,
                p2: a.p2,
                alpha: a.alpha,
                power: a.power,
                sides: a.sides,
            },
            &a.out,
        ),
    };
    let r = design_report(&request).map_err(|e| usage(e.to_string()))?;
    match out.format {
        DesignFormat::Json => to_json(serde_json::to_string_pretty(&r)),
        DesignFormat::Text => Ok(text::render_design(&r)),
        DesignFormat::Svg => {
            Ok(survcalc_plot::design::design_svg(&r, out.width_in).map(|f| f.svg)?)
        }
    }
}

/// Parses `--grades 3-4` (or a single grade).
fn grade_range(g: &Option<String>) -> Result<Option<GradeRange>, Failure> {
    let Some(g) = g else { return Ok(None) };
    let (lo, hi) = g.split_once('-').unwrap_or((g, g));
    let parse = |s: &str| {
        s.trim()
            .parse::<u32>()
            .map_err(|_| usage(format!("--grades {g}: write a grade range like 3-4")))
    };
    Ok(Some(GradeRange {
        min: parse(lo)?,
        max: parse(hi)?,
    }))
}

fn run_ae_long(args: &AeLongArgs) -> Result<String, Failure> {
    let table = read_table(&args.file, &args.read)?;
    let at_risk =
        args.at_risk
            .split(',')
            .map(|p| {
                let (arm, n) = p.rsplit_once('=').ok_or_else(|| {
                    usage(format!(
                        "--at-risk: \"{p}\" should be ARM=N, e.g. Sorafenib=32"
                    ))
                })?;
                let n = n.trim().parse::<u64>().map_err(|_| {
                    usage(format!("--at-risk: \"{n}\" is not a number of patients"))
                })?;
                Ok((arm.trim().to_string(), n))
            })
            .collect::<Result<Vec<_>, Failure>>()?;
    let m = AeLongMapping {
        patient: args.patient.clone(),
        group: args.group.clone(),
        term: args.term.clone(),
        grade: args.grade.clone(),
        at_risk,
    };
    let options = AeOptions {
        grades: grade_range(&args.grades)?,
        ..AeOptions::default()
    };
    let t = ae_from_long(&table, &m, &options)?;
    to_json(serde_json::to_string_pretty(&t))
}

fn run_ae(args: &AeArgs) -> Result<String, Failure> {
    let table = read_table(&args.file, &args.read)?;
    let options = AeOptions {
        grades: grade_range(&args.grades)?,
        ..AeOptions::default()
    };
    let t = ae_from_columns(&table, &args.group, &args.columns, &options)?;
    to_json(serde_json::to_string_pretty(&t))
}

/// Reads a file (or standard input) as bytes: the core detects the encoding (UTF-8,
/// UTF-16, Windows-1252) or the workbook format (.xlsx, .xls, .ods).
fn read_input(file: &str) -> Result<Vec<u8>, String> {
    if file == "-" {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut b)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        Ok(b)
    } else {
        std::fs::read(file).map_err(|e| format!("cannot read {file}: {e}"))
    }
}

fn run(args: &AnalyzeArgs, remarks: &Remarks) -> Result<String, Failure> {
    let table = read_table(&args.file, &args.read)?;
    let mapping = mapping_of(&table, args)?;
    let convention = args.convention.map_or(Convention::R, Convention::from);
    let mut options = AnalysisOptions::for_convention(convention);
    if let Some(c) = args.conf_type {
        options.km.conf_type = match c {
            ConfArg::Log => ConfType::Log,
            ConfArg::LogLog => ConfType::LogLog,
            ConfArg::Plain => ConfType::Plain,
            ConfArg::Logit => ConfType::Logit,
            ConfArg::Arcsin => ConfType::Arcsin,
        };
    }
    if let Some(t) = args.ties {
        options.cox.ties = match t {
            TiesArg::Efron => Ties::Efron,
            TiesArg::Breslow => Ties::Breslow,
            TiesArg::Exact => Ties::Exact,
        };
    }
    if let Some(t) = args.timefix {
        options.timefix = matches!(t, OnOff::On);
    }
    options.landmarks = args.landmarks.clone();
    if !(args.conf_level > 0.0 && args.conf_level < 1.0) {
        return Err(usage(format!(
            "--conf-level {}: give a level between 0 and 1, e.g. 0.95",
            args.conf_level
        )));
    }
    if !(2.0..=12.0).contains(&args.width_in) {
        return Err(usage(format!(
            "--width-in {}: give a printed width between 2 and 12 inches, e.g. 3.5 (single column) or 7.2 (double column)",
            args.width_in
        )));
    }
    options.km.conf_level = args.conf_level;
    options.cox.conf_level = args.conf_level;
    options.rmst_tau = args.tau;
    options.strata = args.strata.clone();
    options.covariates = args.covariates.clone();
    let analysis = analyze(&table, &mapping, &options).map_err(|e| e.to_string())?;
    if !matches!(args.format, Format::Text | Format::Jsonl) {
        remarks.analysis("", &analysis);
    }
    // The report and the results CSV cover the whole trial, as the page's: every endpoint
    // of the table with the same options, the one asked for in its place.
    let whole_trial = || -> Result<Vec<(String, Mapping, survcalc_core::Analysis)>, String> {
        trial_mappings(&mapping, &endpoints(&table))
            .into_iter()
            .map(|(name, m)| {
                let a = if m == mapping {
                    analysis.clone()
                } else {
                    analyze(&table, &m, &options).map_err(|e| format!("{name}: {e}"))?
                };
                Ok((name, m, a))
            })
            .collect()
    };
    let subgroups = || -> Result<survcalc_core::subgroups::SubgroupReport, String> {
        if args.subgroups.is_empty() {
            return Err(
                "name the subgroup columns with --subgroups, e.g. --subgroups sex,age:65".into(),
            );
        }
        let specs = args
            .subgroups
            .iter()
            .map(|s| survcalc_core::subgroups::SubgroupSpec::parse(s))
            .collect::<Result<Vec<_>, _>>()?;
        let strata = match args.subgroup_strata {
            SubgroupStrataArg::Primary => survcalc_core::subgroups::SubgroupStrata::Primary,
            SubgroupStrataArg::None => survcalc_core::subgroups::SubgroupStrata::None,
        };
        survcalc_core::subgroups::subgroup_report(&table, &mapping, &specs, &options, strata)
    };
    if matches!(args.format, Format::Svg) && matches!(args.figure, FigureArg::ForestSubgroups) {
        let r = subgroups()?;
        let f = survcalc_plot::trial::subgroup_forest(&r, &analysis.groups, args.width_in);
        return Ok(survcalc_plot::forest::forest_svg(&f).map(|f| f.svg)?);
    }
    match args.format {
        Format::Subgroups => to_json(serde_json::to_string_pretty(&subgroups()?)),
        Format::Json => to_json(serde_json::to_string_pretty(&analysis)),
        Format::Jsonl => {
            let mut out = String::new();
            for (name, m, a) in whole_trial()? {
                remarks.analysis(&name, &a);
                let line = serde_json::json!({
                    "endpoint": name,
                    "columns": { "time": m.time, "event": m.event, "group": m.group },
                    "report": a,
                });
                out.push_str(&to_json(serde_json::to_string(&line))?);
                out.push('\n');
            }
            Ok(out)
        }
        Format::Csv => {
            let all = whole_trial()?;
            let (response, ae) = binary_of(&table, &mapping);
            Ok(trial_results_csv(&Trial {
                endpoints: all
                    .iter()
                    .map(|(name, _, a)| TrialEndpoint {
                        name: name.clone(),
                        analysis: a,
                    })
                    .collect(),
                response: response.as_ref(),
                ae: ae.as_ref(),
            }))
        }
        Format::KmCsv => Ok(survcalc_core::report::km_table_csv(&analysis)),
        Format::R | Format::Sas => {
            let all = whole_trial()?;
            let endpoints: Vec<survcalc_core::rscript::REndpoint<'_>> = all
                .iter()
                .map(|(name, m, a)| survcalc_core::rscript::REndpoint {
                    name,
                    mapping: m,
                    analysis: a,
                })
                .collect();
            let file_name = file_name_of(&args.file);
            let (response, ae) = binary_of(&table, &mapping);
            let response_mapping = response_mapping_of(&table, &mapping);
            let r = response
                .as_ref()
                .zip(response_mapping.as_ref())
                .map(|(analysis, mapping)| survcalc_core::rscript::RResponse { mapping, analysis });
            let report = survcalc_core::rscript::RReport {
                endpoints: &endpoints,
                response: r,
                ae: ae.as_ref(),
                competing: None,
            };
            let data = survcalc_core::rscript::RData::File(file_name);
            let version = env!("CARGO_PKG_VERSION");
            Ok(if matches!(args.format, Format::Sas) {
                survcalc_core::sasscript::sas_script(&data, &table, &report, &options, version)?
            } else {
                survcalc_core::rscript::r_script(&data, &table, &report, &options, version)?
            })
        }
        Format::Html | Format::Svg => {
            let all = whole_trial()?;
            let data = args
                .include_data
                .then(|| survcalc_core::report::table_csv(&table));
            let (response, ae) = binary_of(&table, &mapping);
            let x_label = |m: &Mapping| survcalc_plot::time_axis_title(m.analysis_unit());
            let input = survcalc_plot::html::ReportInput {
                endpoints: all
                    .iter()
                    .map(|(name, m, a)| survcalc_plot::html::EndpointSection {
                        analysis: a,
                        endpoint: name.clone(),
                        columns: m.roles(),
                        x_label: x_label(m),
                        figure: survcalc_plot::FigureOptions::default(),
                    })
                    .collect(),
                source: &args.file,
                reading: &table.reading(),
                style: survcalc_core::report::TextStyle::default(),
                generated: &today(),
                response: response.as_ref(),
                ae: ae.as_ref(),
                data_csv: data.as_deref(),
                subgroups: None,
                competing: None,
            };
            if matches!(args.format, Format::Svg) {
                Ok(
                    survcalc_plot::trial::trial_figure(args.figure.into(), &input, args.width_in)
                        .map(|f| f.svg)?,
                )
            } else {
                Ok(survcalc_plot::html::report_html(&input)?)
            }
        }
        Format::Text => {
            let endpoint = endpoint_name(&endpoints(&table), &mapping);
            Ok(text::render(
                &analysis,
                &mapping,
                &table.reading(),
                &endpoint,
            ))
        }
    }
}
