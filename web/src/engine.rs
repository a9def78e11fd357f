//! The work the page hands to its Web Worker: reading the data and analysing it. Plain
//! Rust with serde messages, so it is unit-tested natively; `worker` runs it in the
//! browser's worker thread and `client` talks to it from the page.
//!
//! The engine keeps the bytes and the parsed [`Table`]; the page keeps only a
//! [`TableInfo`] (column names, a few distinct values per column, the guessed mapping) and
//! the settings, and asks for an analysis by sending them. So a million-row table is
//! parsed and analysed off the page's thread, and crosses between the two only as the
//! results.

use serde::{Deserialize, Serialize};
use survcalc_core::adverse::{AeOptions, AeTable, GradeRange};
use survcalc_core::binary::BinaryOptions;
use survcalc_core::competing_risks::{
    analyze_competing, CompetingAnalysis, CompetingMapping, CompetingOptions,
};
use survcalc_core::design_report::{design_report, DesignReport, DesignRequest};
use survcalc_core::mapping::{endpoints, guess, Endpoint};
use survcalc_core::response::{
    ae_from_columns_labelled, analyze_response, ResponseAnalysis, ResponseMapping,
};
use survcalc_core::subgroups::{subgroup_report, SubgroupReport, SubgroupSpec, SubgroupStrata};
use survcalc_core::table::Source;
use survcalc_core::trial::trial_mappings;
use survcalc_core::{analyze, Analysis, AnalysisOptions, Mapping, Table, TableOptions};
use survcalc_plot::FigureOptions;

/// Distinct values kept per column, for the page's value choices (event value, reference
/// group, censor value).
pub const DISTINCT_PER_COLUMN: usize = 50;

/// What the page needs to know of a table to let the user map it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableInfo {
    /// Column names.
    pub columns: Vec<String>,
    /// The first [`DISTINCT_PER_COLUMN`] distinct values of each column, in data order.
    pub distinct: Vec<Vec<String>>,
    /// Rows of data.
    pub n_rows: usize,
    /// How it was read, in words ([`Table::reading`]).
    pub reading: String,
    /// What the reader noticed ([`Table::notes`]).
    pub notes: Vec<String>,
    /// The sheets of a workbook (empty for text).
    pub sheets: Vec<String>,
    /// The sheet read.
    pub sheet: Option<String>,
    /// The mapping guessed from the names and contents.
    pub guessed: Mapping,
    /// Time/event pairs found (OS, PFS, …).
    pub endpoints: Vec<Endpoint>,
    /// Size of the bytes read.
    pub bytes: usize,
    /// SHA-256 of the bytes read (hex), which share links name.
    pub sha256: String,
}

impl TableInfo {
    /// The summary of a parsed table.
    pub fn of(t: &Table) -> TableInfo {
        let (sheets, sheet) = match &t.source {
            Source::Workbook { sheets, sheet, .. } => (sheets.clone(), Some(sheet.clone())),
            Source::Text { .. } => (Vec::new(), None),
        };
        TableInfo {
            columns: t.columns.clone(),
            distinct: (0..t.columns.len())
                .map(|c| t.distinct_first(c, DISTINCT_PER_COLUMN))
                .collect(),
            n_rows: t.n_rows(),
            reading: t.reading(),
            notes: t.notes.clone(),
            sheets,
            sheet,
            guessed: guess(t),
            endpoints: endpoints(t),
            bytes: 0,
            sha256: String::new(),
        }
    }

    /// The distinct values of a column by name (empty for an unknown column).
    pub fn values(&self, column: &str) -> &[String] {
        self.columns
            .iter()
            .position(|c| c == column)
            .and_then(|i| self.distinct.get(i))
            .map_or(&[], Vec::as_slice)
    }
}

/// Everything an analysis depends on besides the table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalysisRequest {
    /// The column mapping of the survival endpoint.
    pub mapping: Mapping,
    /// The survival analysis options.
    pub options: AnalysisOptions,
    /// The binary outcome column (objective response), if any.
    pub response: Option<String>,
    /// Adverse-event columns.
    pub ae_columns: Vec<String>,
    /// The AE grade range counted; `None` counts any grade ≥ 1.
    pub ae_grades: Option<(u32, u32)>,
    /// Values of the response column that mean "responder" (empty: recognise 1/0,
    /// yes/no, CR/PR).
    #[serde(default)]
    pub response_values: Vec<String>,
    /// The user's names for AE terms, as (column, label).
    #[serde(default)]
    pub ae_labels: Vec<(String, String)>,
    /// One AE row per worst grade under each term.
    #[serde(default)]
    pub ae_by_grade: bool,
    /// Subgroup variables for the trial's subgroup forest plot (analysed only for the
    /// whole trial, on the current endpoint).
    #[serde(default)]
    pub subgroups: Vec<SubgroupSpec>,
    /// Whether the subgroup models carry the primary analysis's strata.
    #[serde(default)]
    pub subgroup_strata: SubgroupStrata,
    /// An event column coding the cause of failure (0 = censored, 1, 2, … or words), for
    /// the competing-risks analysis (with the endpoint's time and arm).
    #[serde(default)]
    pub competing_event: Option<String>,
    /// The cause of interest in it (code, value or name).
    #[serde(default)]
    pub competing_cause: Option<String>,
}

/// The results of one [`AnalysisRequest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Computed {
    /// The survival endpoint's report, or what to fix.
    pub outcome: Result<Analysis, String>,
    /// The response analysis, when a response column and a group are set.
    pub response: Option<Result<ResponseAnalysis, String>>,
    /// The adverse-event table, when AE columns and a group are set.
    pub ae: Option<Result<AeTable, String>>,
    /// The competing-risks analysis, when its event column is chosen.
    #[serde(default)]
    pub competing: Option<Result<CompetingAnalysis, String>>,
}

/// A message to the engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Job {
    /// Read the bytes sent with the job (or, without bytes, the ones read last) with
    /// these options.
    Read(TableOptions),
    /// Analyse the table read last; a large analysis comes back thinned for drawing, its
    /// counts exact at the ticks of this time axis.
    Analyze(Box<AnalysisRequest>, TimeAxis),
    /// The last analysis thinned again for another time axis (the figure's ticks changed).
    Redraw(TimeAxis),
    /// The full Kaplan–Meier table of the last analysis as CSV (`Reply::DataCsv`): a
    /// thinned analysis holds only the rows a figure needs.
    KmCsv,
    /// The table read last as CSV (for a report the user asks to carry its data).
    DataCsv,
    /// The bytes read last, packed for a share link ([`crate::share::pack_data`]).
    PackedData,
    /// Every endpoint of the trial with the request's settings, for the report, the
    /// copied sentences and the results CSV (the pairings are the page's); large
    /// analyses come back thinned for drawing, exact at the ticks of each endpoint's
    /// figure (its time axis by figure key, [`crate::state::figure_key_of`]; an endpoint
    /// not listed has the automatic axis).
    Trial(Box<AnalysisRequest>, Vec<Endpoint>, Vec<(String, TimeAxis)>),
    /// A trial's design (sample size, power): needs no data.
    Design(Box<DesignRequest>),
    /// "Reproduce in R": the R script of the whole trial with the request's settings;
    /// the file name it opens, or `None` to carry the data read last in the script; with
    /// `true`, the SAS program instead (under the SAS convention).
    RScript(Box<AnalysisRequest>, Vec<Endpoint>, Option<String>, bool),
}

/// One endpoint of the whole trial, analysed: its name, mapping and report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrialPart {
    /// The endpoint's short name ("OS").
    pub name: String,
    /// The mapping it was analysed with.
    pub mapping: Mapping,
    /// Its report, or what went wrong.
    pub outcome: Result<Analysis, String>,
}

/// The whole trial: every endpoint, then response and adverse events as for the
/// current endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrialComputed {
    /// The endpoints, in the table's order.
    pub parts: Vec<TrialPart>,
    /// Response and adverse events (and the current endpoint's report).
    pub current: Computed,
    /// The current endpoint's subgroup analyses, when subgroups are named.
    pub subgroups: Option<Result<SubgroupReport, String>>,
    /// The competing-risks analysis, when its event column is chosen.
    pub competing: Option<Result<CompetingAnalysis, String>>,
}

/// The engine's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// The table's summary, or why the bytes are not a table.
    Read(Box<Result<TableInfo, String>>),
    /// The results.
    Analyzed(Box<Computed>),
    /// The table as CSV (empty when no table has been read), or the full Kaplan–Meier
    /// table (`Job::KmCsv`; empty when the last analysis failed).
    DataCsv(String),
    /// The last analysis thinned for the new axis (`None`: it was not thinned).
    Redrawn(Option<Box<Computed>>),
    /// The bytes, packed for a link.
    PackedData(String),
    /// The whole trial.
    Trial(Box<TrialComputed>),
    /// A design, or what to change.
    Design(Box<Result<DesignReport, String>>),
    /// The R script, or why it could not be written.
    RScript(Result<String, String>),
}

/// The response mapping of a request: its response column, by the endpoint's arm, with
/// the values the page says mean "responder".
fn response_request(req: &AnalysisRequest) -> Option<ResponseMapping> {
    req.response
        .clone()
        .zip(req.mapping.group.clone())
        .map(|(outcome, group)| ResponseMapping {
            outcome,
            group,
            success: req.response_values.clone(),
            reference: req.mapping.reference.clone(),
        })
}

/// The competing-risks mapping (when the page names a cause-of-failure column) and
/// options of a request: the endpoint's time and arm, the page's landmarks and level.
fn competing_request(req: &AnalysisRequest) -> (Option<CompetingMapping>, CompetingOptions) {
    let mapping = req.competing_event.clone().map(|event| CompetingMapping {
        time: req.mapping.time.clone(),
        event,
        group: req.mapping.group.clone(),
        ..CompetingMapping::default()
    });
    let options = CompetingOptions {
        cause: req.competing_cause.clone(),
        times: req.options.landmarks.clone(),
        conf_level: req.options.km.conf_level,
        ..CompetingOptions::default()
    };
    (mapping, options)
}

/// The figure's time axis as the page draws it: where it ends and its tick step (`None`:
/// automatic), which give the tick times the numbers at risk are printed at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct TimeAxis {
    /// [`FigureOptions::x_max`].
    pub x_max: Option<f64>,
    /// [`FigureOptions::tick_step`].
    pub tick_step: Option<f64>,
}

impl TimeAxis {
    /// The axis of these figure options.
    pub fn of(o: &FigureOptions) -> TimeAxis {
        TimeAxis {
            x_max: o.x_max,
            tick_step: o.tick_step,
        }
    }

    /// The tick times for curves ending at `span`, as the figure places them.
    pub fn ticks(&self, span: f64) -> Vec<f64> {
        FigureOptions {
            x_max: self.x_max,
            tick_step: self.tick_step,
            ..FigureOptions::default()
        }
        .ticks(span)
    }

    /// A successful analysis thinned for drawing on this axis (exact at its ticks), or
    /// `None` when it failed or is small enough to send whole.
    pub fn thinned(&self, outcome: &Result<Analysis, String>) -> Option<Analysis> {
        let a = outcome.as_ref().ok()?;
        survcalc_core::thin::thinned(a, &self.ticks(curves_end(a)))
    }
}

pub use survcalc_core::thin::curves_end;

/// The worker's state: the bytes and the table read from them, and the last analysis in
/// full when the page was sent it thinned.
#[derive(Debug, Default)]
pub struct Engine {
    bytes: Vec<u8>,
    sha256: String,
    table: Option<Table>,
    full: Option<Computed>,
}

impl Engine {
    /// Carries out one job. `bytes` replaces the data kept (a new file or pasted text).
    pub fn handle(&mut self, job: Job, bytes: Option<Vec<u8>>) -> Reply {
        match job {
            Job::Read(options) => {
                if let Some(b) = bytes {
                    self.sha256 = crate::share::sha256_hex(&b);
                    self.bytes = b;
                }
                let table = Table::from_bytes(&self.bytes, &options).map_err(|e| e.to_string());
                let info = table
                    .as_ref()
                    .map(|t| TableInfo {
                        bytes: self.bytes.len(),
                        sha256: self.sha256.clone(),
                        ..TableInfo::of(t)
                    })
                    .map_err(Clone::clone);
                self.table = table.ok();
                self.full = None;
                Reply::Read(Box::new(info))
            }
            Job::Analyze(req, axis) => {
                let computed = self.analyze(&req);
                Reply::Analyzed(Box::new(self.for_page(computed, axis)))
            }
            Job::Redraw(axis) => Reply::Redrawn(
                self.full
                    .take()
                    .map(|full| Box::new(self.for_page(full, axis))),
            ),
            Job::KmCsv => Reply::DataCsv(
                self.full
                    .as_ref()
                    .and_then(|c| c.outcome.as_ref().ok())
                    .map(survcalc_core::report::km_table_csv)
                    .unwrap_or_default(),
            ),
            Job::DataCsv => Reply::DataCsv(
                self.table
                    .as_ref()
                    .map(survcalc_core::report::table_csv)
                    .unwrap_or_default(),
            ),
            Job::PackedData => Reply::PackedData(crate::share::pack_data(&self.bytes)),
            Job::Trial(req, found, axes) => {
                let mut t = self.trial(&req, &found);
                // What the page is sent: every endpoint's curves sized for its figure.
                let axis = |m: &Mapping| {
                    let key = crate::state::figure_key_of(m);
                    axes.iter()
                        .find(|(k, _)| *k == key)
                        .map_or_else(TimeAxis::default, |(_, a)| *a)
                };
                let thin = |outcome: &mut Result<Analysis, String>, axis: TimeAxis| {
                    if let Some(a) = axis.thinned(outcome) {
                        *outcome = Ok(a);
                    }
                };
                for p in &mut t.parts {
                    thin(&mut p.outcome, axis(&p.mapping));
                }
                thin(&mut t.current.outcome, axis(&req.mapping));
                Reply::Trial(Box::new(t))
            }
            Job::Design(req) => {
                Reply::Design(Box::new(design_report(&req).map_err(|e| e.to_string())))
            }
            Job::RScript(req, found, file, sas) => {
                Reply::RScript(self.r_script(&req, &found, file, sas))
            }
        }
    }

    /// What the page is sent of `computed`: as it is, or with its curves thinned for
    /// drawing at the axis's ticks (`survcalc_core::thin`), the full one kept for the
    /// downloads and the next axis.
    fn for_page(&mut self, computed: Computed, axis: TimeAxis) -> Computed {
        match axis.thinned(&computed.outcome) {
            Some(a) => {
                let page = Computed {
                    outcome: Ok(a),
                    response: computed.response.clone(),
                    ae: computed.ae.clone(),
                    competing: computed.competing.clone(),
                };
                self.full = Some(computed);
                page
            }
            None => {
                self.full = None;
                computed
            }
        }
    }

    /// The R script of the whole trial (`survcalc_core::rscript`), opening `file` or
    /// carrying the data read last.
    fn r_script(
        &self,
        req: &AnalysisRequest,
        found: &[Endpoint],
        file: Option<String>,
        sas: bool,
    ) -> Result<String, String> {
        use survcalc_core::rscript::{r_script, RCompeting, RData, REndpoint, RReport, RResponse};
        let table = self.table.as_ref().ok_or("no table has been read")?;
        // The endpoints, response, AEs and competing risks (not the subgroups: the script
        // has none).
        let current = self.analyze(req);
        let parts: Vec<(String, Mapping, Analysis)> = self
            .parts(req, found, &current)
            .into_iter()
            .filter_map(|p| p.outcome.ok().map(|a| (p.name, p.mapping, a)))
            .collect();
        let endpoints: Vec<REndpoint<'_>> = parts
            .iter()
            .map(|(name, mapping, analysis)| REndpoint {
                name,
                mapping,
                analysis,
            })
            .collect();
        let response_mapping = response_request(req);
        let response = current.response.and_then(Result::ok);
        let ae = current.ae.and_then(Result::ok);
        let data = match file {
            Some(f) => RData::File(f),
            None => RData::Inline {
                text: String::from_utf8_lossy(&self.bytes).into_owned(),
                name: "data".into(),
            },
        };
        let competing = current.competing.and_then(Result::ok);
        let (competing_mapping, competing_options) = competing_request(req);
        let report = RReport {
            endpoints: &endpoints,
            response: response
                .as_ref()
                .zip(response_mapping.as_ref())
                .map(|(analysis, mapping)| RResponse { mapping, analysis }),
            ae: ae.as_ref(),
            competing: competing.as_ref().zip(competing_mapping.as_ref()).map(
                |(analysis, mapping)| RCompeting {
                    mapping,
                    options: &competing_options,
                    analysis,
                },
            ),
        };
        let version = env!("CARGO_PKG_VERSION");
        if sas {
            survcalc_core::sasscript::sas_script(&data, table, &report, &req.options, version)
        } else {
            r_script(&data, table, &report, &req.options, version)
        }
    }

    /// Every endpoint of the trial with the request's settings, the current one's
    /// analysis taken from `current`.
    fn parts(
        &self,
        req: &AnalysisRequest,
        found: &[Endpoint],
        current: &Computed,
    ) -> Vec<TrialPart> {
        trial_mappings(&req.mapping, found)
            .into_iter()
            .map(|(name, mapping)| {
                let outcome = if mapping == req.mapping {
                    current.outcome.clone()
                } else {
                    match &self.table {
                        Some(t) => analyze(t, &mapping, &req.options).map_err(|e| e.to_string()),
                        None => Err("no table has been read".into()),
                    }
                };
                TrialPart {
                    name,
                    mapping,
                    outcome,
                }
            })
            .collect()
    }

    fn trial(&self, req: &AnalysisRequest, found: &[Endpoint]) -> TrialComputed {
        let current = self.analyze(req);
        let parts = self.parts(req, found, &current);
        let subgroups = (!req.subgroups.is_empty()).then(|| match &self.table {
            Some(t) => subgroup_report(
                t,
                &req.mapping,
                &req.subgroups,
                &req.options,
                req.subgroup_strata,
            ),
            None => Err("no table has been read".into()),
        });
        let competing = current.competing.clone();
        TrialComputed {
            parts,
            current,
            subgroups,
            competing,
        }
    }

    fn analyze(&self, req: &AnalysisRequest) -> Computed {
        let Some(table) = &self.table else {
            return Computed {
                outcome: Err("no table has been read".into()),
                response: None,
                ae: None,
                competing: None,
            };
        };
        let outcome = analyze(table, &req.mapping, &req.options).map_err(|e| e.to_string());
        let group = req.mapping.group.clone();
        let response = response_request(req).map(|m| {
            analyze_response(table, &m, &BinaryOptions::default()).map_err(|e| e.to_string())
        });
        let ae = group.filter(|_| !req.ae_columns.is_empty()).map(|group| {
            let options = AeOptions {
                grades: req.ae_grades.map(|(min, max)| GradeRange { min, max }),
                by_grade: req.ae_by_grade,
                ..AeOptions::default()
            };
            ae_from_columns_labelled(table, &group, &req.ae_columns, &req.ae_labels, &options)
        });
        let (competing_mapping, competing_options) = competing_request(req);
        let competing = competing_mapping
            .map(|m| analyze_competing(table, &m, &competing_options).map_err(|e| e.to_string()));
        Computed {
            outcome,
            response,
            ae,
            competing,
        }
    }
}
