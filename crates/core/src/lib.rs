//! # survcalc-core
//!
//! The one import of the CLI, the page and the benchmarks: the statistics
//! (`survcalc-stats`), the reading of tables (`survcalc-io`) and the report
//! (`survcalc-report`) under the module names they have always had
//! (`survcalc_core::km`, `survcalc_core::table`, `survcalc_core::analysis`, …). It holds
//! no code of its own; `ARCHITECTURE.md` says which crate holds what and why.
//!
//! What this crate deliberately does not do: anything the three crates do not. It knows
//! nothing about the browser, WebAssembly, files, networks or plotting. With the `serde`
//! feature the result types serialise to the JSON report of `docs/report-json.md`.
#![deny(missing_docs)]

#[cfg(feature = "spreadsheet")]
pub use survcalc_io::spreadsheet;
pub use survcalc_io::{dates, digitise, encoding, endpoint, mapping, stream, table, units};
pub use survcalc_report::{
    analysis, competing_risks, convention, design as design_report, example, format,
    reconstruct as rebuild, report, response, rscript, sasscript, subgroups, thin, ticks, trial,
};

/// Typed errors of all three crates, where they have always been.
pub mod error {
    pub use survcalc_io::error::{MappingError, TableError};
    pub use survcalc_report::error::OptionError;
    pub use survcalc_stats::error::DataError;
}

pub use survcalc_io::{
    endpoints, guess, prepare, CellKind, DateOrder, DateSpan, Endpoint, Exclusion, GroupLabel,
    Mapping, MappingError, Prepared, RowFilter, Source, Table, TableError, TableOptions,
    TextEncoding, TimeUnit, WorkbookFormat,
};
pub use survcalc_report::{
    analyze, analyze_text, Analysis, AnalysisError, AnalysisOptions, Convention, GroupSummary,
    HeadlineHr, MethodNote, OptionError,
};
// Every module and item of the statistics (`km`, `cox`, `SurvData`, …) at the root.
pub use survcalc_stats::*;

/// The reference software the golden fixtures under `tests/fixtures` were made with (the
/// R scripts beside them), as `survcalc --version` prints it. A test reads the versions
/// the fixtures record and requires this to name them.
pub const REFERENCE_SOFTWARE: &str = "R 4.2.2, survival 3.5.3, cmprsk 2.2.11, rpact 3.3.4";
