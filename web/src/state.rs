//! The application state as a plain struct: what the page knows of the table (its
//! [`TableInfo`]; the table itself lives in the worker's [`crate::engine::Engine`]), the
//! column mapping and the options. Components hold it in one signal and call these
//! methods; the analysis it asks for is [`Session::request`].

use crate::engine::{AnalysisRequest, TableInfo, TimeAxis};
use crate::share::{DataRef, ShareState};
use survcalc_core::dates::DateOrder;
use survcalc_core::mapping::{parse_group_labels, split_list, Endpoint};
use survcalc_core::mapping::{DateSpan, EventCounts, GroupLabel};
use survcalc_core::report::TextStyle;
use survcalc_core::response::{guess_ae_columns, guess_response_column};
use survcalc_core::units::TimeUnit;
use survcalc_core::{Analysis, AnalysisOptions, Mapping, TableOptions};
use survcalc_plot::FigureOptions;

/// Everything the page needs to show an analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// Where the data came from ("built-in example", a file name, "pasted text").
    pub source: String,
    /// Whether the data is the simulated example.
    pub is_example: bool,
    /// The table's summary, or why the data is not a table.
    pub table: Result<TableInfo, String>,
    /// The column mapping.
    pub mapping: Mapping,
    /// Time/event pairs found in the table (OS, PFS, …).
    pub endpoints: Vec<Endpoint>,
    /// Analysis options.
    pub options: AnalysisOptions,
    /// A message about a settings field that could not be read (landmarks, τ).
    pub input_error: Option<String>,
    /// The binary outcome column (objective response), if the table has one.
    pub response: Option<String>,
    /// Adverse-event columns (0/1 or worst grade per patient).
    pub ae_columns: Vec<String>,
    /// Grade filter of the adverse-event table, e.g. 3–4; `None` counts any grade ≥ 1.
    pub ae_grades: Option<(u32, u32)>,
    /// Values of the response column meaning "responder" (empty: recognised).
    pub response_values: Vec<String>,
    /// The user's names for AE terms, as (column, label).
    pub ae_labels: Vec<(String, String)>,
    /// One AE row per worst grade under each term.
    pub ae_by_grade: bool,
    /// The subgroup variables as typed ("sex, age:65, ecog!"), for the subgroup forest.
    pub subgroups: String,
    /// The subgroup models without the primary analysis's strata (ticked off by the user).
    pub subgroups_unstratified: bool,
    /// The event column coding causes of failure, for the competing-risks analysis.
    pub competing_event: Option<String>,
    /// The cause of interest in that column (code, value or name); `None`: the lowest.
    pub competing_cause: Option<String>,
    /// The reading options the user forced (`None` fields are detected).
    pub read: TableOptions,
    /// The workbook's sheets (empty for text).
    pub sheets: Vec<String>,
    /// The sheet read.
    pub sheet: Option<String>,
    /// Start/end date columns chosen while the other is still missing.
    pub date_draft: (String, String),
    /// The events and censored columns of an events/censored table, chosen while the
    /// other is still missing (as `date_draft`).
    pub counts_draft: (String, String),
    /// How P values and intervals are written in sentences and the copied table.
    pub text_style: TextStyle,
    /// What the Kaplan–Meier figure of the current endpoint shows.
    pub figure: FigureOptions,
    /// The figure options of the other endpoints, by [`Session::figure_key`]: each
    /// endpoint keeps its own title, axis end, tick step and vertical-axis title.
    pub figures: Vec<(String, FigureOptions)>,
}

/// The result the page renders: the analysis or a message saying what to fix (empty
/// while the first analysis is on its way).
pub type Outcome = Result<Analysis, String>;

/// Where the built-in example says it comes from.
pub const EXAMPLE_SOURCE: &str = "built-in example (simulated)";

impl Session {
    /// A session for a table read with `read` (or the reason it could not be read), with
    /// the mapping guessed from the names and contents.
    pub fn from_info(
        source: &str,
        table: Result<TableInfo, String>,
        read: TableOptions,
    ) -> Session {
        let (mapping, eps, columns, sheets, sheet) = match &table {
            Ok(t) => (
                t.guessed.clone(),
                t.endpoints.clone(),
                t.columns.clone(),
                t.sheets.clone(),
                t.sheet.clone(),
            ),
            Err(_) => Default::default(),
        };
        let response = guess_response_column(&columns);
        let ae_columns = guess_ae_columns(&columns);
        // The form shows the date columns the guess uses.
        let date_draft = mapping
            .dates
            .as_ref()
            .map(|d| (d.start.clone(), d.end.clone()))
            .unwrap_or_default();
        let counts_draft = mapping
            .counts
            .as_ref()
            .map(|c| (c.events.clone(), c.censored.clone()))
            .unwrap_or_default();
        Session {
            source: source.to_string(),
            is_example: false,
            table,
            mapping,
            endpoints: eps,
            options: AnalysisOptions::default(),
            input_error: None,
            response,
            ae_columns,
            ae_grades: Some((3, 4)),
            response_values: Vec::new(),
            ae_labels: Vec::new(),
            ae_by_grade: false,
            subgroups: String::new(),
            competing_event: None,
            competing_cause: None,
            subgroups_unstratified: false,
            read,
            sheets,
            sheet,
            date_draft,
            counts_draft,
            text_style: TextStyle::default(),
            figure: FigureOptions::default(),
            figures: Vec::new(),
        }
    }

    /// The session after the same data is read again (other reading options, another
    /// sheet): the mapping is guessed again, the analysis settings are kept.
    pub fn reread(&self, table: Result<TableInfo, String>, read: TableOptions) -> Session {
        let mut next = Session::from_info(&self.source, table, read);
        next.options = self.options.clone();
        next.is_example = self.is_example;
        next.text_style = self.text_style;
        next.figure = self.figure.clone();
        next.figures = self.figures.clone();
        next
    }

    /// The reading options for another sheet of the workbook.
    pub fn sheet_options(&self, sheet: &str) -> TableOptions {
        TableOptions {
            sheet: Some(sheet.to_string()),
            ..self.read.clone()
        }
    }

    /// How the table was read ("comma-separated text, UTF-8, header row, decimal point")
    /// and what the reader noticed.
    pub fn reading(&self) -> Option<(String, Vec<String>)> {
        self.table
            .as_ref()
            .ok()
            .map(|t| (t.reading.clone(), t.notes.clone()))
    }

    /// Whether the data is delimited text (so text reading options apply).
    pub fn is_text(&self) -> bool {
        self.sheets.is_empty()
    }

    /// Which data this is, for a share link: name, rows, size and SHA-256.
    pub fn data_ref(&self) -> Option<DataRef> {
        self.table.as_ref().ok().map(|t| DataRef {
            name: self.source.clone(),
            rows: t.n_rows,
            bytes: t.bytes,
            sha256: t.sha256.clone(),
        })
    }

    /// The state a share link carries.
    pub fn share_state(&self) -> Option<ShareState> {
        Some(ShareState {
            data: self.data_ref()?,
            read: self.read.clone(),
            mapping: self.mapping.clone(),
            options: self.options.clone(),
            response: self.response.clone(),
            ae_columns: self.ae_columns.clone(),
            ae_grades: self.ae_grades,
            response_values: self.response_values.clone(),
            ae_labels: self.ae_labels.clone(),
            ae_by_grade: self.ae_by_grade,
            text_style: self.text_style,
            figure: self.figure.clone(),
            figures: self.figures.clone(),
            endpoints: self.endpoints.clone(),
            subgroups: self.subgroups.clone(),
            subgroups_unstratified: self.subgroups_unstratified,
            competing_event: self.competing_event.clone(),
            competing_cause: self.competing_cause.clone(),
        })
    }

    /// Restores a share link's state (the data has been read with its reading options).
    pub fn apply_share(&mut self, s: &ShareState) {
        self.mapping = s.mapping.clone();
        if let Some(d) = &s.mapping.dates {
            self.date_draft = (d.start.clone(), d.end.clone());
        }
        if let Some(c) = &s.mapping.counts {
            self.counts_draft = (c.events.clone(), c.censored.clone());
        }
        self.options = s.options.clone();
        self.response = s.response.clone();
        self.ae_columns = s.ae_columns.clone();
        self.ae_grades = s.ae_grades;
        self.response_values = s.response_values.clone();
        self.ae_labels = s.ae_labels.clone();
        self.ae_by_grade = s.ae_by_grade;
        self.text_style = s.text_style;
        self.figure = s.figure.clone();
        self.figures = s.figures.clone();
        self.subgroups = s.subgroups.clone();
        self.subgroups_unstratified = s.subgroups_unstratified;
        self.competing_event = s.competing_event.clone();
        self.competing_cause = s.competing_cause.clone();
        // The pairings the user chose, for the endpoints this table still has.
        for e in &mut self.endpoints {
            if let Some(chosen) = s
                .endpoints
                .iter()
                .find(|c| c.time == e.time && c.filter == e.filter)
            {
                e.event = chosen.event.clone();
                e.certain = chosen.certain;
            }
        }
    }

    /// The analysis this session asks for.
    pub fn request(&self) -> AnalysisRequest {
        AnalysisRequest {
            mapping: self.mapping.clone(),
            options: self.options.clone(),
            response: self.response.clone(),
            ae_columns: self.ae_columns.clone(),
            ae_grades: self.ae_grades,
            response_values: self.response_values.clone(),
            ae_labels: self.ae_labels.clone(),
            ae_by_grade: self.ae_by_grade,
            subgroups: self.subgroup_specs().unwrap_or_default(),
            subgroup_strata: if self.subgroups_unstratified {
                survcalc_core::subgroups::SubgroupStrata::None
            } else {
                survcalc_core::subgroups::SubgroupStrata::Primary
            },
            competing_event: self.competing_event.clone(),
            competing_cause: self.competing_cause.clone(),
        }
    }

    /// The subgroup variables typed, parsed; the first problem otherwise.
    pub fn subgroup_specs(&self) -> Result<Vec<survcalc_core::subgroups::SubgroupSpec>, String> {
        split_list(&self.subgroups)
            .iter()
            .map(|s| survcalc_core::subgroups::SubgroupSpec::parse(s))
            .collect()
    }

    /// Sets the response column (empty: none) and recognises its values again.
    pub fn set_response(&mut self, col: String) {
        self.response = (!col.is_empty()).then_some(col);
        self.response_values.clear();
    }

    /// Sets the responder values from text like "CR, PR" (empty: recognise them).
    pub fn set_response_values(&mut self, text: &str) {
        self.response_values = split_list(text);
    }

    /// Adds or removes an adverse-event column.
    pub fn toggle_ae_column(&mut self, col: &str, on: bool) {
        self.ae_columns.retain(|c| c != col);
        if on {
            self.ae_columns.push(col.to_string());
        }
    }

    /// Names an AE term (empty: the name made from the column).
    pub fn set_ae_label(&mut self, col: &str, label: &str) {
        self.ae_labels.retain(|(c, _)| c != col);
        if !label.trim().is_empty() {
            self.ae_labels
                .push((col.to_string(), label.trim().to_string()));
        }
    }

    /// The label shown for an AE column: the user's, or the one made from its name.
    pub fn ae_label(&self, col: &str) -> String {
        self.ae_labels.iter().find(|(c, _)| c == col).map_or_else(
            || survcalc_core::response::ae_term_label(col),
            |(_, l)| l.clone(),
        )
    }

    /// Sets the value meaning "censored" (empty: any value that is not the event).
    pub fn set_censor_value(&mut self, v: String) {
        self.mapping.censor_value = (!v.is_empty()).then_some(v);
    }

    /// Sets the unit of the time column (`None`: read it from the column's name).
    pub fn set_time_unit(&mut self, unit: Option<TimeUnit>) {
        self.mapping.time_unit = unit;
    }

    /// Sets the patient identifier column (empty: guess from the names).
    pub fn set_id(&mut self, col: String) {
        self.mapping.id = (!col.is_empty()).then_some(col);
    }

    /// Sets the events column and/or the censored column of an events/censored table
    /// (empty: none). With both, each row is read as that many events and censorings at
    /// its time, and a patient-count column is no longer read (the two forms exclude each
    /// other); with one, the other is awaited.
    pub fn set_counts(&mut self, events: Option<String>, censored: Option<String>) {
        if let Some(e) = events {
            self.counts_draft.0 = e;
        }
        if let Some(c) = censored {
            self.counts_draft.1 = c;
        }
        let (e, c) = &self.counts_draft;
        self.mapping.counts = (!e.is_empty() && !c.is_empty()).then(|| EventCounts {
            events: e.clone(),
            censored: c.clone(),
        });
        if self.mapping.counts.is_some() {
            self.mapping.count = None;
        }
    }

    /// Sets the patient-count column of an aggregated table (empty: a patient per row);
    /// the events/censored form is then no longer read.
    pub fn set_count(&mut self, col: String) {
        self.mapping.count = (!col.is_empty()).then_some(col);
        if self.mapping.count.is_some() {
            self.mapping.counts = None;
            self.counts_draft = Default::default();
        }
    }

    /// Sets the group order from text like "Placebo, Drug" (values or labels).
    pub fn set_group_order(&mut self, text: &str) {
        self.mapping.group_order = split_list(text);
    }

    /// Sets group labels from text like "1=Sorafenib, 2=Sorafenib+HAIC"; a bad pair is
    /// reported and nothing changes.
    pub fn set_group_labels(&mut self, text: &str) {
        match parse_group_labels(text) {
            Ok(l) => {
                self.mapping.group_labels = l;
                self.input_error = None;
            }
            Err(e) => self.input_error = Some(format!("Group labels: {e}")),
        }
    }

    /// The group labels as the user writes them.
    pub fn group_labels_text(&self) -> String {
        self.mapping
            .group_labels
            .iter()
            .map(|GroupLabel { value, label }| format!("{value}={label}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Sets the start and/or end date column (`None` leaves that one as it is; an empty
    /// name clears it). Time comes from the dates once both are set.
    pub fn set_dates(&mut self, start: Option<String>, end: Option<String>) {
        if let Some(a) = start {
            self.date_draft.0 = a;
        }
        if let Some(b) = end {
            self.date_draft.1 = b;
        }
        let order = self
            .mapping
            .dates
            .as_ref()
            .map_or(DateOrder::Auto, |d| d.order);
        let (a, b) = &self.date_draft;
        self.mapping.dates = (!a.is_empty() && !b.is_empty()).then(|| DateSpan {
            start: a.clone(),
            end: b.clone(),
            order,
        });
    }

    /// Sets how dates are written (day/month/year …); `Auto` learns it from the data.
    pub fn set_date_order(&mut self, order: DateOrder) {
        if let Some(d) = &mut self.mapping.dates {
            d.order = order;
        }
    }

    /// Sets the output unit (times are converted; dates give days by default).
    pub fn set_output_unit(&mut self, unit: Option<TimeUnit>) {
        self.mapping.output_unit = unit;
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
                .values(&self.mapping.event)
                .iter()
                .take(20)
                .cloned()
                .collect(),
            Err(_) => Vec::new(),
        }
    }

    /// Groups of the group column in data order, for the reference choice.
    pub fn group_levels(&self) -> Vec<String> {
        match (&self.table, &self.mapping.group) {
            (Ok(t), Some(g)) => t.values(g).to_vec(),
            _ => Vec::new(),
        }
    }

    /// Switches to endpoint `i` (its time and event columns).
    pub fn select_endpoint(&mut self, i: usize) {
        // The figures as they are on the endpoint being left.
        let book = self.figure_book();
        if let Some(e) = self.endpoints.get(i) {
            self.mapping.time = e.time.clone();
            self.mapping.event = e.event.clone();
            // A long (ADTTE-style) table keeps one endpoint's rows by its filter.
            self.mapping.filter = e.filter.clone();
            self.mapping.event_value = None;
            self.mapping.censor_value = None;
        }
        if self.figure_key() != book.current_key {
            self.figure = book.figure_for(&self.mapping);
            let FigureBook {
                current_key,
                current,
                ..
            } = book;
            self.figures.retain(|(k, _)| *k != current_key);
            self.figures.push((current_key, current));
        }
    }

    /// The figure options of the endpoint `m` maps: the current figure's look (style,
    /// width, band, …) with that endpoint's own title, axis end, ticks and y title (none
    /// yet for an endpoint not shown before).
    pub fn figure_for(&self, m: &survcalc_core::Mapping) -> FigureOptions {
        self.figure_book().figure_for(m)
    }

    /// The figure's time axis (its end and tick step), which a thinned analysis's numbers
    /// at risk are exact for.
    pub fn time_axis(&self) -> TimeAxis {
        TimeAxis::of(&self.figure)
    }

    /// The time axis of every endpoint's figure by its key ([`figure_key_of`]), the
    /// current endpoint's first: what the whole trial's curves are thinned for.
    pub fn figure_axes(&self) -> Vec<(String, TimeAxis)> {
        std::iter::once((self.figure_key(), self.time_axis()))
            .chain(
                self.figures
                    .iter()
                    .map(|(k, f)| (k.clone(), TimeAxis::of(f))),
            )
            .collect()
    }

    /// The figure options of every endpoint, to look up after the session has moved on
    /// (the whole trial's report is made once the worker has analysed it).
    pub fn figure_book(&self) -> FigureBook {
        FigureBook {
            current_key: self.figure_key(),
            current: self.figure.clone(),
            others: self.figures.clone(),
        }
    }

    /// The key of the current endpoint's figure options: its time column and row filter.
    pub fn figure_key(&self) -> String {
        figure_key_of(&self.mapping)
    }

    /// The current endpoint's name ("OS", "PFS"), or "" when the table has none.
    pub fn endpoint_name(&self) -> String {
        self.current_endpoint()
            .and_then(|i| self.endpoints.get(i))
            .map(|e| e.name.clone())
            .unwrap_or_default()
    }

    /// Sets the time column (and the unit guessed from its name).
    pub fn set_time(&mut self, col: String) {
        self.mapping.time = col;
    }

    /// Sets the event column; the event value is recognised again. On an endpoint's tab
    /// the choice becomes that endpoint's pairing, so it survives a switch of tabs and
    /// goes into share links.
    pub fn set_event(&mut self, col: String) {
        let current = self.current_endpoint_by_time();
        if let Some(e) = current.and_then(|i| self.endpoints.get_mut(i)) {
            e.event = col.clone();
            e.certain = true;
        }
        self.mapping.event = col;
        self.mapping.event_value = None;
        self.mapping.censor_value = None;
    }

    /// The endpoint whose time column (and row filter) the mapping uses.
    fn current_endpoint_by_time(&self) -> Option<usize> {
        self.endpoints
            .iter()
            .position(|e| e.time == self.mapping.time && e.filter == self.mapping.filter)
    }

    /// The pairing question of the current endpoint, when the names do not make it clear:
    /// (endpoint, time column, candidate event columns).
    pub fn pairing_question(&self) -> Option<(String, String, Vec<String>)> {
        let e = self.endpoints.get(self.current_endpoint()?)?;
        (!e.certain).then(|| (e.name.clone(), e.time.clone(), e.candidates.clone()))
    }

    /// Sets the group column (empty string = none); the reference resets.
    pub fn set_group(&mut self, col: String) {
        self.mapping.group = (!col.is_empty()).then_some(col);
        self.mapping.reference = None;
        self.mapping.group_order.clear();
        self.mapping.group_labels.clear();
    }

    /// Index of the endpoint matching the current time/event columns.
    pub fn current_endpoint(&self) -> Option<usize> {
        self.endpoints.iter().position(|e| {
            e.time == self.mapping.time
                && e.event == self.mapping.event
                && e.filter == self.mapping.filter
        })
    }

    /// Sets the landmark times from text like "6, 12, 24"; a bad entry leaves them
    /// unchanged and says which.
    pub fn set_landmarks(&mut self, text: &str) {
        match parse_times(text) {
            Ok(t) => {
                self.options.landmarks = t;
                self.input_error = None;
            }
            Err(e) => self.input_error = Some(format!("Landmark times: {e}")),
        }
    }

    /// Sets the covariates of the adjusted Cox model from text like "age, ecog"; an unknown
    /// column is reported and nothing changes.
    pub fn set_covariates(&mut self, text: &str) {
        let names = split_list(text);
        let cols = self.columns();
        match names.iter().find(|n| !cols.contains(n)) {
            Some(bad) => {
                self.input_error = Some(format!(
                    "Covariates: \"{bad}\" is not a column; the columns are: {}",
                    cols.join(", ")
                ))
            }
            None => {
                self.options.covariates = names;
                self.input_error = None;
            }
        }
    }

    /// Sets the RMST τ from text; empty means survRM2's default.
    pub fn set_tau(&mut self, text: &str) {
        match parse_times(text) {
            Ok(t) if t.len() <= 1 => {
                self.options.rmst_tau = t.first().copied();
                self.input_error = None;
            }
            Ok(_) => self.input_error = Some("RMST τ: give one time".into()),
            Err(e) => self.input_error = Some(format!("RMST τ: {e}")),
        }
    }

    /// The time-axis label, e.g. "Months since randomisation": from the unit of the
    /// analysis, or "Time since randomisation" while the time column's unit is unknown.
    pub fn x_label(&self) -> String {
        survcalc_plot::time_axis_title(self.mapping.analysis_unit())
    }
}

/// The figure options of every endpoint of a session ([`Session::figure_book`]).
#[derive(Debug, Clone)]
pub struct FigureBook {
    current_key: String,
    current: FigureOptions,
    others: Vec<(String, FigureOptions)>,
}

impl FigureBook {
    /// See [`Session::figure_for`].
    pub fn figure_for(&self, m: &survcalc_core::Mapping) -> FigureOptions {
        let key = figure_key_of(m);
        if key == self.current_key {
            return self.current.clone();
        }
        let own = self.others.iter().find(|(k, _)| *k == key).map(|(_, f)| f);
        FigureOptions {
            title: own.map(|f| f.title.clone()).unwrap_or_default(),
            x_max: own.and_then(|f| f.x_max),
            tick_step: own.and_then(|f| f.tick_step),
            y_title: own.map(|f| f.y_title.clone()).unwrap_or_default(),
            ..self.current.clone()
        }
    }
}

/// The key of an endpoint's figure options in [`Session::figures`]: its mapping's time
/// column and row filter.
pub fn figure_key_of(m: &survcalc_core::Mapping) -> String {
    format!("{}|{:?}", m.time, m.filter)
}

/// Parses a list of non-negative times separated by commas, semicolons or spaces.
pub fn parse_times(text: &str) -> Result<Vec<f64>, String> {
    text.split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(|s| match s.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
            _ => Err(format!(
                "\"{s}\" is not a time (use numbers ≥ 0, e.g. 6, 12, 24)"
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Computed, Engine, Job, Reply};
    use survcalc_core::adverse::AeTable;
    use survcalc_core::example;
    use survcalc_core::response::ResponseAnalysis;

    /// A session with its engine in the same thread, as the page and its worker are.
    struct Local {
        engine: Engine,
        session: Session,
    }

    impl std::ops::Deref for Local {
        type Target = Session;
        fn deref(&self) -> &Session {
            &self.session
        }
    }

    impl std::ops::DerefMut for Local {
        fn deref_mut(&mut self) -> &mut Session {
            &mut self.session
        }
    }

    fn read(
        engine: &mut Engine,
        bytes: Option<Vec<u8>>,
        read: TableOptions,
    ) -> Result<TableInfo, String> {
        match engine.handle(Job::Read(read), bytes) {
            Reply::Read(info) => *info,
            _ => Err("the engine answered a read with something else".into()),
        }
    }

    impl Local {
        fn from_text(source: &str, text: &str) -> Local {
            let mut engine = Engine::default();
            let info = read(
                &mut engine,
                Some(text.as_bytes().to_vec()),
                TableOptions::default(),
            );
            Local {
                engine,
                session: Session::from_info(source, info, TableOptions::default()),
            }
        }

        fn example() -> Local {
            let mut l = Local::from_text(EXAMPLE_SOURCE, &example::example_csv());
            l.is_example = true;
            l
        }

        fn set_reading(&mut self, options: TableOptions) {
            let info = read(&mut self.engine, None, options.clone());
            self.session = self.session.reread(info, options);
        }

        fn computed(&mut self) -> Computed {
            match self.engine.handle(
                Job::Analyze(Box::new(self.session.request()), self.session.time_axis()),
                None,
            ) {
                Reply::Analyzed(c) => *c,
                _ => Computed {
                    outcome: Err("the engine answered an analysis with a table".into()),
                    response: None,
                    ae: None,
                    competing: None,
                },
            }
        }

        /// As the page shows it: the table's error first.
        fn analyze(&mut self) -> Outcome {
            match &self.session.table {
                Err(e) => Err(e.clone()),
                Ok(_) => self.computed().outcome,
            }
        }

        fn response_analysis(&mut self) -> Option<Result<ResponseAnalysis, String>> {
            self.computed().response
        }

        fn ae_table(&mut self) -> Option<Result<AeTable, String>> {
            self.computed().ae
        }
    }

    /// A large analysis reaches the page thinned, exact at the figure's ticks; a new tick
    /// step thins it again, and the KM table's CSV comes whole from the worker.
    #[test]
    fn large_analyses_are_sent_thinned_and_the_worker_keeps_them_whole() {
        let mut csv = String::from("time,status,arm\n");
        let mut seed: u64 = 7;
        for i in 0..60_000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let u = ((seed >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
            let arm = if i % 2 == 0 { "A" } else { "B" };
            csv.push_str(&format!(
                "{:.4},{},{arm}\n",
                -u.ln() * 12.0,
                !(seed >> 7).is_multiple_of(3)
            ));
        }
        let csv = csv.replace(",true,", ",1,").replace(",false,", ",0,");
        let mut s = Local::from_text("big.csv", &csv);
        let page = s.analyze().expect("analysed");
        let d = page.drawing.clone().expect("thinned");
        let full_rows: usize = d.rows.iter().sum();
        assert!(full_rows > 50_000, "{full_rows}");
        let shown: usize = page.curves.iter().map(|c| c.time.len()).sum();
        assert!(shown * 2 < full_rows, "{shown} of {full_rows}");
        let end = crate::engine::curves_end(&page);
        let ticks = s.time_axis().ticks(end);
        assert!(
            ticks.len() > 3 && ticks.iter().all(|&t| d.is_exact_at(t)),
            "{ticks:?}"
        );
        // The numbers and the head of the tables are those of the full analysis.
        let full = match s.engine.handle(Job::KmCsv, None) {
            Reply::DataCsv(t) => t,
            _ => String::new(),
        };
        assert_eq!(full.lines().count(), full_rows + 1);
        let group = &page.curves[0].group;
        let head: Vec<f64> = full
            .lines()
            .skip(1)
            .filter(|l| l.split(',').next() == Some(group.as_str()))
            .take(500)
            .filter_map(|l| l.split(',').nth(1)?.parse().ok())
            .collect();
        assert_eq!(head, page.curves[0].time[..500]);
        // Another tick step: the worker thins again for it.
        s.figure.tick_step = Some(7.0);
        let axis = s.time_axis();
        assert!(axis.ticks(end).iter().any(|&t| !d.is_exact_at(t)));
        let again = match s.engine.handle(Job::Redraw(axis), None) {
            Reply::Redrawn(Some(c)) => c.outcome.expect("analysed"),
            _ => panic!("not redrawn"),
        };
        let d2 = again.drawing.clone().expect("thinned");
        assert!(axis.ticks(end).iter().all(|&t| d2.is_exact_at(t)));
        assert_eq!(again.summaries, page.summaries);
        // The whole trial's analyses are thinned for each endpoint's figure too.
        let job = Job::Trial(
            Box::new(s.session.request()),
            s.session.endpoints.clone(),
            s.session.figure_axes(),
        );
        let Reply::Trial(t) = s.engine.handle(job, None) else {
            panic!("no trial")
        };
        let analyses: Vec<&Analysis> = t
            .parts
            .iter()
            .map(|p| &p.outcome)
            .chain([&t.current.outcome])
            .filter_map(|o| o.as_ref().ok())
            .collect();
        assert!(!analyses.is_empty());
        for a in analyses {
            let d = a.drawing.as_ref().expect("thinned");
            assert!(axis.ticks(end).iter().all(|&x| d.is_exact_at(x)));
        }
        // Small data is sent whole.
        let mut small = Local::example();
        assert!(small.analyze().expect("analysed").drawing.is_none());
        assert!(matches!(
            small.engine.handle(Job::Redraw(axis), None),
            Reply::Redrawn(None)
        ));
    }

    #[test]
    fn response_and_ae_columns_by_choice_with_labels() {
        // Issue 10: columns found only by their names; nothing could be chosen or named.
        let mut s = Local::from_text(
            "t.csv",
            "id,arm,time,status,best,tox_a,tox_b\n1,A,5,1,CR,3,0\n2,B,6,0,SD,0,4\n3,A,7,1,PR,1,3\n4,B,8,1,PD,3,0\n",
        );
        assert!(s.response.is_none() && s.ae_columns.is_empty());
        s.set_response("best".into());
        s.set_response_values("CR, PR");
        s.toggle_ae_column("tox_a", true);
        s.toggle_ae_column("tox_b", true);
        s.set_ae_label("tox_b", "Neutropenia");
        assert_eq!(s.ae_label("tox_a"), "Tox a");
        let r = s.response_analysis().and_then(Result::ok);
        let counts: Vec<(u64, u64)> = r
            .map(|r| {
                r.arms
                    .iter()
                    .map(|a| (a.proportion.x, a.proportion.n))
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(counts, vec![(2, 2), (0, 2)]);
        let terms: Vec<String> = s
            .ae_table()
            .and_then(Result::ok)
            .map(|t| t.rows.into_iter().map(|r| r.term).collect())
            .unwrap_or_default();
        assert!(
            terms.contains(&"Neutropenia".to_string()) && terms.contains(&"Tox a".to_string()),
            "{terms:?}"
        );
        s.toggle_ae_column("tox_a", false);
        assert_eq!(s.ae_columns, vec!["tox_b".to_string()]);
    }

    #[test]
    fn each_endpoint_keeps_its_figure_title_and_axis() {
        let mut s = Local::example();
        s.figure.title = "OS by arm".into();
        s.figure.x_max = Some(24.0);
        s.figure.width_in = 3.5;
        s.select_endpoint(1);
        assert_eq!(s.mapping.time, "pfs_months");
        assert_eq!((s.figure.title.as_str(), s.figure.x_max), ("", None));
        assert_eq!(s.figure.width_in, 3.5, "the look is shared");
        s.figure.title = "PFS by arm".into();
        let os = s.endpoints[0].clone();
        let os_mapping = survcalc_core::Mapping {
            time: os.time.clone(),
            filter: os.filter.clone(),
            ..s.mapping.clone()
        };
        assert_eq!(s.figure_for(&os_mapping).title, "OS by arm");
        s.select_endpoint(0);
        assert_eq!(
            (s.figure.title.as_str(), s.figure.x_max),
            ("OS by arm", Some(24.0))
        );
        assert_eq!(s.figure_for(&os_mapping).title, "OS by arm");
        s.select_endpoint(1);
        assert_eq!(s.figure.title, "PFS by arm");
    }

    #[test]
    fn example_opens_analysed_with_os() {
        let mut s = Local::example();
        assert_eq!(s.mapping.time, "os_months");
        assert_eq!(s.mapping.group.as_deref(), Some("arm"));
        assert_eq!(s.endpoints.len(), 2);
        let a = s.analyze().map_err(|e| e.to_string());
        assert_eq!(a.as_ref().map(|a| a.n_used), Ok(64));
        assert!(a.is_ok_and(|a| a.cox.is_some_and(|c| c.terms[0].hr < 0.5)));
        assert_eq!(s.x_label(), "Months since randomisation");
    }

    #[test]
    fn example_has_response_and_adverse_events() {
        let mut s = Local::example();
        assert_eq!(s.response.as_deref(), Some("response"));
        assert_eq!(s.ae_columns.len(), 3);
        let r = s.response_analysis().map(|r| r.map_err(|e| e.to_string()));
        assert!(r.is_some_and(|r| r.is_ok_and(|r| r.arms.len() == 2 && r.n_used == 64)));
        let ae = s.ae_table().map(|t| t.map_err(|e| e.to_string()));
        assert!(ae.is_some_and(|t| t.is_ok_and(|t| t.rows.len() == 3)));
    }

    #[test]
    fn switching_endpoint_moves_both_columns() {
        let mut s = Local::example();
        s.select_endpoint(1);
        assert_eq!(
            (s.mapping.time.as_str(), s.mapping.event.as_str()),
            ("pfs_months", "pfs_event")
        );
        assert_eq!(s.current_endpoint(), Some(1));
    }

    #[test]
    fn bad_text_gives_a_message_not_a_panic() {
        let mut s = Local::from_text("pasted", "");
        assert!(s.analyze().is_err_and(|e| e.contains("empty")));
        let mut s = Local::from_text("pasted", "a,b\nx,y\n");
        assert!(s.analyze().is_err());
    }

    #[test]
    fn settings_text_is_parsed_or_reported() {
        let mut s = Local::example();
        s.set_landmarks("6, 12 24");
        assert_eq!(s.options.landmarks, vec![6.0, 12.0, 24.0]);
        s.set_landmarks("6, x");
        assert_eq!(s.options.landmarks, vec![6.0, 12.0, 24.0]);
        assert!(s
            .input_error
            .as_deref()
            .is_some_and(|e| e.contains("\"x\"")));
        s.set_tau("20");
        assert_eq!(
            (s.options.rmst_tau, s.input_error.clone()),
            (Some(20.0), None)
        );
        let a = s.analyze().map_err(|e| e.to_string());
        assert!(a.is_ok_and(|a| a.landmarks.len() == 2 && a.rmst.is_some_and(|r| r.tau == 20.0)));
    }

    #[test]
    fn regression_event_choice_survives_a_tab_switch_and_a_link() {
        // Issue 10: picking the event column by hand was undone by switching tabs.
        let mut s = Local::from_text(
            "trial.csv",
            "id,arm,os_months,death,pfs_months,progression,pd_or_death\n1,A,5,1,3,1,1\n2,B,6,0,4,1,1\n",
        );
        assert_eq!(s.endpoints.len(), 2);
        s.select_endpoint(1);
        assert_eq!(s.mapping.event, "progression");
        s.set_event("pd_or_death".into());
        s.select_endpoint(0);
        assert_eq!(s.mapping.event, "death");
        s.select_endpoint(1);
        assert_eq!(s.mapping.event, "pd_or_death");
        // A share link carries the pairing.
        let state = s.share_state().unwrap_or_default();
        let mut again = Local::from_text(
            "trial.csv",
            "id,arm,os_months,death,pfs_months,progression,pd_or_death\n1,A,5,1,3,1,1\n2,B,6,0,4,1,1\n",
        );
        again.apply_share(&state);
        again.select_endpoint(1);
        assert_eq!(again.mapping.event, "pd_or_death");
    }

    #[test]
    fn unclear_pairing_is_a_question_until_answered() {
        let mut s = Local::from_text(
            "t.csv",
            "id,arm,os_months,pfs_months,status\n1,A,5,3,1\n2,B,6,4,0\n",
        );
        let q = s.pairing_question();
        assert_eq!(
            q,
            Some((
                "OS".to_string(),
                "os_months".to_string(),
                vec!["status".to_string()]
            ))
        );
        s.set_event("status".into());
        assert_eq!(s.pairing_question(), None);
    }

    #[test]
    fn durations_from_dates_in_months() {
        let mut s = Local::from_text(
            "pasted",
            "arm,start,end,dead\nA,2020-01-01,2020-07-01,1\nA,2020-01-01,2021-01-01,0\nB,2020-02-01,2020-03-01,1\nB,2020-01-15,2020-12-15,1\n",
        );
        // Issue 10: the form shows the date columns the guess uses.
        assert_eq!(s.date_draft, ("start".to_string(), "end".to_string()));
        assert!(s.mapping.dates.is_some());
        s.set_dates(None, Some(String::new()));
        assert!(s.mapping.dates.is_none());
        s.set_dates(None, Some("end".into()));
        assert!(s.mapping.dates.is_some());
        s.set_output_unit(Some(TimeUnit::Months));
        assert_eq!(s.x_label(), "Months since randomisation");
        let a = s.analyze().map_err(|e| e.to_string());
        // 2020-01-01 → 2020-07-01 is 182 days = 182 / 30.4375 months.
        assert!(a.is_ok_and(|a| (a.curves[0].time[0] - 182.0 / 30.4375).abs() < 1e-12));
    }

    #[test]
    fn group_none_gives_single_curve_with_warning() {
        let mut s = Local::example();
        s.set_group(String::new());
        let a = s.analyze().map_err(|e| e.to_string());
        assert!(a.is_ok_and(
            |a| a.cox.is_none() && a.warnings.iter().any(|w| w.contains("only one group"))
        ));
    }

    #[test]
    fn reading_again_with_forced_options_keeps_settings() {
        let mut s = Local::from_text("pasted", "arm;site,t,dead\nA;1,5,1\nB;2,7,0\n");
        assert_eq!(s.columns().len(), 3);
        s.options.landmarks = vec![6.0];
        s.set_reading(TableOptions {
            delimiter: Some(';'),
            header: Some(true),
            ..TableOptions::default()
        });
        assert_eq!(
            s.columns(),
            vec!["arm".to_string(), "site,t,dead".to_string()]
        );
        assert_eq!(s.options.landmarks, vec![6.0]);
        assert!(s
            .reading()
            .is_some_and(|(how, _)| how.starts_with("semicolon-separated text")));
    }

    #[test]
    fn group_labels_order_units_and_censor_value() {
        let mut s = Local::from_text(
            "pasted",
            "trt,futime,status\n1,30,dead\n1,60,alive\n2,90,dead\n2,10,dead\n2,20,lost\n",
        );
        assert_eq!(s.x_label(), "Time since randomisation");
        s.set_time_unit(Some(TimeUnit::Days));
        s.set_output_unit(Some(TimeUnit::Weeks));
        assert_eq!(s.x_label(), "Weeks since randomisation");
        s.set_group_labels("1=Placebo, 2=Drug");
        s.set_group_order("Drug, Placebo");
        assert_eq!(s.group_labels_text(), "1=Placebo, 2=Drug");
        s.set_group_labels("1=Placebo, 2");
        assert!(s
            .input_error
            .as_deref()
            .is_some_and(|e| e.contains("\"2\"")));
        s.mapping.event_value = Some("dead".into());
        s.set_censor_value("alive".into());
        let a = s.analyze().map_err(|e| e.to_string());
        assert!(a
            .as_ref()
            .is_ok_and(|a| a.groups == vec!["Drug".to_string(), "Placebo".to_string()]));
        // "lost" is neither the event nor the censor value: excluded and reported.
        assert!(a.is_ok_and(|a| a.n_used == 4
            && a.excluded.len() == 1
            && (a.curves[0].time[0] - 10.0 / 7.0).abs() < 1e-15));
    }
}
