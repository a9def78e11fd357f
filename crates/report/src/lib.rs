//! # survcalc-report
//!
//! One endpoint's whole analysis ([`analysis`]: what a trial report shows, under a
//! software [`convention`]), the trial across endpoints ([`trial`]), the binary endpoints
//! read from a table ([`response`]), and the words and numbers for a paper: journal
//! formatting ([`mod@format`]), sentences, summary tables and CSV content ([`report`]), and
//! the built-in simulated trial ([`example`]).
//!
//! What this crate deliberately does not do: estimate anything itself (it calls
//! `survcalc-stats`), read bytes (it takes a `survcalc_io::Table`), draw figures
//! (`survcalc-plot`) or know of the browser or the command line.
#![deny(missing_docs)]

pub mod analysis;
pub mod competing_risks;
pub mod convention;
pub mod design;
pub mod error;
pub mod example;
pub mod format;
pub mod reconstruct;
pub mod report;
pub mod response;
pub mod rscript;
pub mod sasscript;
pub mod subgroups;
pub mod thin;
pub mod ticks;
pub mod trial;

pub use analysis::{
    analyze, analyze_text, Analysis, AnalysisError, AnalysisOptions, GroupSummary, MethodNote,
};
pub use convention::{Convention, HeadlineHr};
pub use error::OptionError;
