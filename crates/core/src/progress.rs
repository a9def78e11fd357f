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

/// Reports a step to this thread's reporter, if there is one.
pub(crate) fn report(step: Step) {
    if let Some(f) = REPORTER.with(Cell::get) {
        f(&step);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        static SEEN: std::cell::RefCell<Vec<Step>> = const { std::cell::RefCell::new(Vec::new()) };
    }

    fn record(s: &Step) {
        SEEN.with(|v| v.borrow_mut().push(*s));
    }

    #[test]
    fn a_large_read_and_an_analysis_report_their_steps() {
        set_reporter(Some(record));
        let mut text = String::from("time,status,arm\n");
        for i in 0..200_000 {
            text.push_str(&format!(
                "{},{},{}\n",
                i % 97 + 1,
                i % 2,
                if i % 3 == 0 { "A" } else { "B" }
            ));
        }
        let table = crate::Table::parse(&text).expect("table");
        let m = crate::guess(&table);
        let _ = crate::analyze(&table, &m, &crate::AnalysisOptions::default()).expect("analysis");
        set_reporter(None);
        let seen = SEEN.with(|v| v.borrow().clone());
        let reads: Vec<(u64, u64)> = seen
            .iter()
            .filter_map(|s| match s {
                Step::Reading { done, total } => Some((*done, *total)),
                Step::Analysing(_) => None,
            })
            .collect();
        assert!(reads.len() >= 2, "{reads:?}");
        assert!(reads.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(
            reads.last().map(|r| r.0),
            Some(text.len() as u64),
            "ends at 100%"
        );
        assert!(reads
            .iter()
            .all(|&(d, t)| d <= t && t as usize == text.len()));
        assert!(seen.contains(&Step::Analysing("Cox model")), "{seen:?}");
        // Nothing after the reporter is cleared.
        let before = SEEN.with(|v| v.borrow().len());
        let _ = crate::Table::parse(&text);
        assert_eq!(SEEN.with(|v| v.borrow().len()), before);
    }
}
