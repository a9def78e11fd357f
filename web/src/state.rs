//! The application state as a plain struct: the loaded text, its table, the column
//! mapping and the options. Components hold it in one signal and call these methods.

use survcalc_core::mapping::{endpoints, guess, Endpoint};
use survcalc_core::{analyze, example, Analysis, AnalysisOptions, Mapping, Table};

/// Everything the page needs to show an analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// Where the data came from ("built-in example", a file name, "pasted text").
    pub source: String,
    /// Whether the data is the simulated example.
    pub is_example: bool,
    /// The table, or why the text is not one.
    pub table: Result<Table, String>,
    /// The column mapping.
    pub mapping: Mapping,
    /// Time/event pairs found in the table (OS, PFS, …).
    pub endpoints: Vec<Endpoint>,
    /// The unit of the time column, for the axis label.
    pub time_unit: String,
    /// Analysis options.
    pub options: AnalysisOptions,
}

/// The result the page renders: the analysis or a message saying what to fix.
pub type Outcome = Result<Analysis, String>;

impl Session {
    /// The built-in simulated trial, already mapped.
    pub fn example() -> Session {
        let mut s = Session::from_text("built-in example (simulated)", &example::example_csv());
        s.is_example = true;
        s
    }

    /// A session for `text`, with the mapping guessed from the column names.
    pub fn from_text(source: &str, text: &str) -> Session {
        let table = Table::parse(text).map_err(|e| e.to_string());
        let (mapping, eps) = match &table {
            Ok(t) => (guess(t), endpoints(t)),
            Err(_) => (Mapping::default(), Vec::new()),
        };
        let time_unit = unit_from_name(&mapping.time);
        Session {
            source: source.to_string(),
            is_example: false,
            table,
            mapping,
            endpoints: eps,
            time_unit,
            options: AnalysisOptions::default(),
        }
    }

    /// Column names of the table (empty when the text is not a table).
    pub fn columns(&self) -> Vec<String> {
        self.table
            .as_ref()
            .map(|t| t.columns.clone())
            .unwrap_or_default()
    }

    /// Distinct values of the event column, for the "event value" choice.
    pub fn event_values(&self) -> Vec<String> {
        match &self.table {
            Ok(t) => t
                .column_index(&self.mapping.event)
                .map(|c| t.distinct(c).into_iter().take(20).collect())
                .unwrap_or_default(),
            Err(_) => Vec::new(),
        }
    }

    /// Groups of the group column in data order, for the reference choice.
    pub fn group_levels(&self) -> Vec<String> {
        match (&self.table, &self.mapping.group) {
            (Ok(t), Some(g)) => t
                .column_index(g)
                .map(|c| t.distinct(c).into_iter().take(50).collect())
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// Switches to endpoint `i` (its time and event columns).
    pub fn select_endpoint(&mut self, i: usize) {
        if let Some(e) = self.endpoints.get(i) {
            self.mapping.time = e.time.clone();
            self.mapping.event = e.event.clone();
            self.mapping.event_value = None;
            self.time_unit = unit_from_name(&e.time);
        }
    }

    /// Sets the time column (and the unit guessed from its name).
    pub fn set_time(&mut self, col: String) {
        self.time_unit = unit_from_name(&col);
        self.mapping.time = col;
    }

    /// Sets the event column; the event value is recognised again.
    pub fn set_event(&mut self, col: String) {
        self.mapping.event = col;
        self.mapping.event_value = None;
    }

    /// Sets the group column (empty string = none); the reference resets.
    pub fn set_group(&mut self, col: String) {
        self.mapping.group = (!col.is_empty()).then_some(col);
        self.mapping.reference = None;
    }

    /// Index of the endpoint matching the current time/event columns.
    pub fn current_endpoint(&self) -> Option<usize> {
        self.endpoints
            .iter()
            .position(|e| e.time == self.mapping.time && e.event == self.mapping.event)
    }

    /// Runs the analysis.
    pub fn analyze(&self) -> Outcome {
        let table = self.table.as_ref().map_err(Clone::clone)?;
        analyze(table, &self.mapping, &self.options).map_err(|e| e.to_string())
    }

    /// The time-axis label, e.g. "Time (months)".
    pub fn x_label(&self) -> String {
        if self.time_unit.trim().is_empty() {
            "Time".into()
        } else {
            format!("Time ({})", self.time_unit.trim())
        }
    }
}

/// A unit guessed from a column name: os_months → months, futime → days (R's data sets
/// use days), otherwise blank for the user to fill in.
pub fn unit_from_name(name: &str) -> String {
    let n = name.to_ascii_lowercase();
    for (key, unit) in [
        ("month", "months"),
        ("week", "weeks"),
        ("year", "years"),
        ("day", "days"),
        ("futime", "days"),
    ] {
        if n.contains(key) {
            return unit.into();
        }
    }
    if n.ends_with("_mo") || n.ends_with(".mo") {
        return "months".into();
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_opens_analysed_with_os() {
        let s = Session::example();
        assert_eq!(s.mapping.time, "os_months");
        assert_eq!(s.mapping.group.as_deref(), Some("arm"));
        assert_eq!(s.endpoints.len(), 2);
        let a = s.analyze().map_err(|e| e.to_string());
        assert_eq!(a.as_ref().map(|a| a.n_used), Ok(64));
        assert!(a.is_ok_and(|a| a.cox.is_some_and(|c| c.terms[0].hr < 0.5)));
        assert_eq!(s.x_label(), "Time (months)");
    }

    #[test]
    fn switching_endpoint_moves_both_columns() {
        let mut s = Session::example();
        s.select_endpoint(1);
        assert_eq!(
            (s.mapping.time.as_str(), s.mapping.event.as_str()),
            ("pfs_months", "pfs_event")
        );
        assert_eq!(s.current_endpoint(), Some(1));
    }

    #[test]
    fn bad_text_gives_a_message_not_a_panic() {
        let s = Session::from_text("pasted", "");
        assert!(s.analyze().is_err_and(|e| e.contains("empty")));
        let s = Session::from_text("pasted", "a,b\nx,y\n");
        assert!(s.analyze().is_err());
    }

    #[test]
    fn group_none_gives_single_curve_with_warning() {
        let mut s = Session::example();
        s.set_group(String::new());
        let a = s.analyze().map_err(|e| e.to_string());
        assert!(a.is_ok_and(
            |a| a.cox.is_none() && a.warnings.iter().any(|w| w.contains("only one group"))
        ));
    }
}
