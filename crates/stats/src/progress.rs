//! Progress of a long job, for a host that shows it (the page's worker posts it to the
//! page; issue 12: the page said "Reading…" for a minute without saying how far).
//!
//! The host sets a reporter for the current thread with [`set_reporter`]; the reader and
//! the analysis call it at each step. Without one nothing is done beyond a thread-local
//! read. The reporter is a plain function, so it cannot hold state: a host that throttles
//! keeps its clock itself.

use std::cell::Cell;

/// One step of a job.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Step {
    /// Delimited text read so far, in bytes of the decoded text.
    Reading {
        /// Bytes read.
        done: u64,
        /// Bytes in all.
        total: u64,
    },
    /// A stage of the analysis of one endpoint, in words ("Cox model").
    Analysing(&'static str),
}

thread_local! {
    static REPORTER: Cell<Option<fn(&Step)>> = const { Cell::new(None) };
}

/// Sets (or, with `None`, clears) the reporter of this thread.
pub fn set_reporter(f: Option<fn(&Step)>) {
    REPORTER.with(|r| r.set(f));
}

/// Reports a step to this thread's reporter, if there is one (the reader in
/// `survcalc-io` and the analysis in `survcalc-report` call it).
pub fn report(step: Step) {
    if let Some(f) = REPORTER.with(Cell::get) {
        f(&step);
    }
}
