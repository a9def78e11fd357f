//! Bytes or text read into a table of cells: delimited text (CSV, TSV, semicolon- or
//! pipe-separated, pasted from a spreadsheet) and, with the `spreadsheet` feature,
//! workbooks (.xlsx, .xls, .ods; see [`crate::spreadsheet`]).
//!
//! Reading delimited text is done by the `csv` crate (quoted fields, embedded delimiters
//! and newlines, CRLF, CR or LF line ends, mixed). This module adds what clinical exports
//! need around it:
//! - the character encoding is detected ([`crate::encoding`]): UTF-8 with or without a
//!   byte-order mark, UTF-16 (Excel "Unicode text"), Windows-1252/Latin-1;
//! - the delimiter is detected from the first records (quotes respected) unless given;
//! - blank lines are skipped, but every row keeps the line it starts on, as an editor or
//!   Excel numbers it, so problems can be reported by line;
//! - ragged rows are kept and noted (missing cells read as empty);
//! - a header row is detected (or absent: columns are named `V1`, `V2`, … as R's
//!   `read.table(header = FALSE)` names them); empty or repeated names are made unique
//!   (`time`, `time.2`);
//! - a decimal comma ("16,3") is recognised when the delimiter is not a comma.
//!
//! Nothing here fails on a row: a file is refused only when it is not a table at all
//! (empty, binary, a header alone, more columns than Excel allows); row problems are
//! reported later by [`crate::mapping::prepare`].
//!
//! # Layout
//! Cells are stored by column: one text buffer per column plus the end offset of each
//! cell, so a million-row table costs its text plus four bytes a cell, and no copy of
//! the input is kept.

use crate::dates::looks_like_date;
use crate::encoding::{decode, TextEncoding};
use crate::error::TableError;
use std::collections::HashSet;

/// The most columns a table may have: Excel's limit (XFD). A line with more fields is
/// nearly always a wrong delimiter or not a table.
pub const MAX_COLUMNS: usize = 16_384;

/// Rows looked at to detect the header and the decimal comma.
const SAMPLE_ROWS: usize = 1_000;

/// Longest column name kept; longer header cells are cut (with "…").
const MAX_NAME_CHARS: usize = 200;

/// What kind of value a cell holds. Delimited text has only [`CellKind::Empty`] and
/// [`CellKind::Text`]; workbooks keep their cell types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum CellKind {
    /// No value.
    #[default]
    Empty,
    /// Text (every non-empty cell of delimited text).
    Text,
    /// A number cell of a workbook; its text is the number written so that it reads back
    /// to the same double.
    Number,
    /// A date or date-time cell of a workbook; its text is ISO 8601 (`2021-03-04`, or
    /// `2021-03-04 10:30:00` with a time of day).
    Date,
    /// A TRUE/FALSE cell of a workbook; its text is `TRUE` or `FALSE`.
    Bool,
    /// An error cell of a workbook (`#N/A`, `#DIV/0!`); its text is the error.
    Error,
}

/// The kind of workbook a table was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum WorkbookFormat {
    /// Office Open XML workbook (.xlsx, .xlsm).
    Xlsx,
    /// Excel 97–2003 binary workbook (.xls).
    Xls,
    /// Excel binary workbook (.xlsb).
    Xlsb,
    /// OpenDocument spreadsheet (.ods).
    Ods,
}

impl WorkbookFormat {
    /// In words, e.g. "an Excel workbook (.xlsx)".
    pub fn describe(self) -> &'static str {
        match self {
            WorkbookFormat::Xlsx => "an Excel workbook (.xlsx)",
            WorkbookFormat::Xls => "an Excel 97–2003 workbook (.xls)",
            WorkbookFormat::Xlsb => "an Excel binary workbook (.xlsb)",
            WorkbookFormat::Ods => "an OpenDocument spreadsheet (.ods)",
        }
    }
}

/// Where a table's cells came from.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Source {
    /// Delimited text.
    Text {
        /// The character encoding it was decoded from.
        encoding: TextEncoding,
        /// Whether it began with a byte-order mark.
        bom: bool,
    },
    /// One sheet of a workbook.
    Workbook {
        /// The workbook format.
        format: WorkbookFormat,
        /// The sheet read.
        sheet: String,
        /// Every sheet of the workbook, in workbook order (to offer a choice).
        sheets: Vec<String>,
    },
}

/// One column's cells: text back to back, the end of each cell, and (for workbooks) the
/// kind of each cell. Rows before `start` and after the last stored cell are empty, so a
/// column that only a few long rows reach costs nothing for the others.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
struct Column {
    text: String,
    ends: Vec<u32>,
    start: usize,
    kinds: Vec<CellKind>,
}

impl Column {
    fn with_capacity(rows: usize, bytes: usize) -> Column {
        Column {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(rows),
            ..Column::default()
        }
    }

    fn shrink(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
        self.kinds.shrink_to_fit();
    }

    fn get(&self, row: usize) -> &str {
        let Some(i) = row.checked_sub(self.start) else {
            return "";
        };
        let Some(&end) = self.ends.get(i) else {
            return "";
        };
        let begin = if i == 0 { 0 } else { self.ends[i - 1] };
        self.text.get(begin as usize..end as usize).unwrap_or("")
    }

    fn kind(&self, row: usize) -> Option<CellKind> {
        row.checked_sub(self.start)
            .and_then(|i| self.kinds.get(i))
            .copied()
    }

    fn push(&mut self, row: usize, value: &str, kind: Option<CellKind>) -> Result<(), TableError> {
        if self.ends.is_empty() {
            self.start = row;
        }
        let end = self.ends.last().copied().unwrap_or(0);
        while self.start + self.ends.len() < row {
            self.ends.push(end);
            if kind.is_some() {
                self.kinds.push(CellKind::Empty);
            }
        }
        self.text.push_str(value);
        let end = u32::try_from(self.text.len()).map_err(|_| TableError::Malformed {
            line: None,
            message: "a column holds more than 4 GB of text; split the file".into(),
        })?;
        self.ends.push(end);
        if let Some(k) = kind {
            self.kinds.push(k);
        }
        Ok(())
    }

    /// Removes row 0 (the header), shifting the rest up.
    fn drop_first(&mut self) {
        if self.start > 0 {
            self.start -= 1;
        } else if !self.ends.is_empty() {
            let first = self.ends[0];
            self.text.drain(..first as usize);
            self.ends.remove(0);
            for e in &mut self.ends {
                *e -= first;
            }
            if !self.kinds.is_empty() {
                self.kinds.remove(0);
            }
        }
    }
}

/// A table of cells with a header and the line (or sheet row) of each row.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Table {
    /// Column names: the header row, or `V1`, `V2`, … when the data has none (as R's
    /// `read.table(header = FALSE)`). Empty or repeated names are made unique; white space
    /// inside a name (a header cell with a line break) becomes one space.
    pub columns: Vec<String>,
    /// The cells, by column.
    data: Vec<Column>,
    /// The one-based line in the text (or row in the sheet) where each data row starts;
    /// its length is the number of rows.
    pub lines: Vec<u64>,
    /// The delimiter used (`,` for a workbook, where it has no meaning).
    pub delimiter: char,
    /// Whether numbers are written with a decimal comma ("16,3").
    pub decimal_comma: bool,
    /// Whether the first row was taken as a header.
    pub has_header: bool,
    /// Where the cells came from: the text encoding, or the workbook and sheet.
    pub source: Source,
    /// What the reader did that the user should know, e.g. "read as Windows-1252",
    /// "line 7 has 4 cells where the header has 6". Not errors; shown beside the table.
    pub notes: Vec<String>,
}

/// The delimiters detected, with their names, in the order a form offers them.
pub const DELIMITERS: [(char, &str); 4] = [
    (',', "comma"),
    ('\t', "tab"),
    (';', "semicolon"),
    ('|', "pipe"),
];

/// The name of a delimiter ("comma", "tab", …), or the character itself.
pub fn delimiter_name(c: char) -> String {
    DELIMITERS
        .iter()
        .find(|(d, _)| *d == c)
        .map_or_else(|| format!("{c:?}"), |(_, n)| (*n).to_string())
}

/// Reads a delimiter given by name (`comma`, `tab`, `semicolon`, `pipe`; R's `sep`
/// spelling `\t` too) or as one ASCII character other than a quote or a line break.
pub fn parse_delimiter(s: &str) -> Option<char> {
    let lower = s.to_ascii_lowercase();
    if let Some((c, _)) = DELIMITERS.iter().find(|(_, n)| *n == lower) {
        return Some(*c);
    }
    if s == "\\t" {
        return Some('\t');
    }
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii() && !matches!(c, '"' | '\n' | '\r') => Some(c),
        _ => None,
    }
}

/// Options for reading; `None` means "detect".
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct TableOptions {
    /// The delimiter, or detect among comma, tab, semicolon and pipe (R `read.table(sep)`).
    pub delimiter: Option<char>,
    /// Whether the first row is a header, or detect (R `read.table(header)`).
    pub header: Option<bool>,
    /// Whether numbers use a decimal comma, or detect when the delimiter is not a comma
    /// (R `read.table(dec)`).
    pub decimal_comma: Option<bool>,
    /// The text encoding, or detect (R `read.table(fileEncoding)`).
    pub encoding: Option<TextEncoding>,
    /// The sheet of a workbook to read, or the first sheet that has cells (readxl
    /// `read_excel(sheet)`).
    pub sheet: Option<String>,
    /// The row that names the columns, as the file (line) or sheet (row) numbers it;
    /// rows above it are left out. `None` detects it (R `read.table(skip = row - 1)`,
    /// readxl `read_excel(skip = row - 1)`).
    pub header_row: Option<u64>,
}

impl Table {
    /// How the table was read, in words: "comma-separated text, UTF-8, header row,
    /// decimal point" or "sheet “Data” of an Excel workbook (.xlsx)".
    pub fn reading(&self) -> String {
        match &self.source {
            Source::Text { encoding, bom } => format!(
                "{}-separated text, {}{}, {}, decimal {}",
                delimiter_name(self.delimiter),
                encoding.name(),
                if *bom { " with BOM" } else { "" },
                if self.has_header {
                    "header row"
                } else {
                    "no header row"
                },
                if self.decimal_comma { "comma" } else { "point" },
            ),
            Source::Workbook { format, sheet, .. } => {
                format!("sheet \u{201c}{sheet}\u{201d} of {}", format.describe())
            }
        }
    }

    /// Reads delimited text, detecting the delimiter and header.
    ///
    /// # Errors
    /// [`TableError::Empty`] when there is nothing but white space,
    /// [`TableError::NoDataRows`] for a header alone, [`TableError::Malformed`] when the
    /// text is not a table (binary, or more than [`MAX_COLUMNS`] columns).
    pub fn parse(text: &str) -> Result<Table, TableError> {
        Table::parse_with(text, TableOptions::default())
    }

    /// Reads delimited text with explicit options (`encoding` and `sheet` do not apply).
    ///
    /// # Errors
    /// As [`Table::parse`].
    pub fn parse_with(text: &str, options: TableOptions) -> Result<Table, TableError> {
        let (text, bom) = match text.strip_prefix('\u{feff}') {
            Some(t) => (t, true),
            None => (text, false),
        };
        let source = Source::Text {
            encoding: TextEncoding::Utf8,
            bom,
        };
        read_text(text, &options, source, Vec::new())
    }

    /// Reads a file's bytes: a workbook (.xlsx, .xls, .xlsb, .ods, recognised by content,
    /// not by name) or delimited text in any of the encodings of [`crate::encoding`].
    ///
    /// # Errors
    /// As [`Table::parse`]; [`TableError::Malformed`] also for a workbook that cannot be
    /// read, a sheet that does not exist, or a workbook when the crate is built without
    /// the `spreadsheet` feature.
    pub fn from_bytes(bytes: &[u8], options: &TableOptions) -> Result<Table, TableError> {
        if bytes.is_empty() {
            return Err(TableError::Empty);
        }
        if let Some(kind) = workbook_signature(bytes) {
            return read_workbook(bytes, options, kind);
        }
        let decoded = decode(bytes, options.encoding);
        let mut notes = Vec::new();
        if let Some(mark) = decoded.misleading_bom {
            notes.push(format!(
                "the file begins with a {} byte-order mark, but the text after it is not {}: the mark was left out and the text read as {}",
                mark.name(),
                mark.name(),
                decoded.encoding.name()
            ));
        }
        if decoded.encoding != TextEncoding::Utf8 {
            notes.push(format!("the text was read as {}", decoded.encoding.name()));
        }
        if decoded.replaced {
            notes.push(format!(
                "some bytes are not valid {} and are shown as \u{FFFD}",
                decoded.encoding.name()
            ));
        }
        let source = Source::Text {
            encoding: decoded.encoding,
            bom: decoded.bom,
        };
        read_text(&decoded.text, options, source, notes)
    }

    /// Number of data rows.
    pub fn n_rows(&self) -> usize {
        self.lines.len()
    }

    /// Approximate heap memory held by the table, in bytes: cell text, offsets, kinds,
    /// line numbers and names (for benchmarks and for warning about very large inputs).
    pub fn heap_bytes(&self) -> usize {
        let cells: usize = self
            .data
            .iter()
            .map(|c| c.text.capacity() + 4 * c.ends.capacity() + c.kinds.capacity())
            .sum();
        let names: usize = self.columns.iter().map(String::capacity).sum();
        cells + names + 8 * self.lines.capacity()
    }

    /// Index of a column by name.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// The cell of `row` in column `col`; empty when the row is short or out of range.
    pub fn cell(&self, row: usize, col: usize) -> &str {
        self.data.get(col).map_or("", |c| c.get(row))
    }

    /// The kind of the cell of `row` in column `col`.
    pub fn kind(&self, row: usize, col: usize) -> CellKind {
        let stored = self.data.get(col).and_then(|c| c.kind(row));
        match stored {
            Some(k) => k,
            None if self.cell(row, col).is_empty() => CellKind::Empty,
            None => CellKind::Text,
        }
    }

    /// The cells of one row, empty strings for missing cells.
    pub fn row(&self, row: usize) -> Vec<&str> {
        (0..self.columns.len()).map(|c| self.cell(row, c)).collect()
    }

    /// Parses a cell as a number, honouring the table's decimal comma; `None` for text
    /// that is not a number and for date, boolean and error cells of a workbook.
    pub fn number(&self, row: usize, col: usize) -> Option<f64> {
        match self.kind(row, col) {
            CellKind::Number => parse_number(self.cell(row, col), false),
            CellKind::Text => parse_number(self.cell(row, col), self.decimal_comma),
            _ => None,
        }
    }

    /// Distinct non-missing values of a column, in order of first appearance.
    pub fn distinct(&self, col: usize) -> Vec<String> {
        self.distinct_first(col, usize::MAX)
    }

    /// The first `max` distinct non-missing values of a column, in order of first
    /// appearance; stops reading at the `max`-th, so it is cheap on a long column.
    pub fn distinct_first(&self, col: usize, max: usize) -> Vec<String> {
        let mut seen: HashSet<&str> = HashSet::new();
        let mut out = Vec::new();
        for r in 0..self.n_rows() {
            if out.len() >= max {
                break;
            }
            let v = self.cell(r, col);
            if !is_missing(v) && seen.insert(v) {
                out.push(v.to_string());
            }
        }
        out
    }
}

/// Cells that mean "no value": empty, `NA`, `.`, `NaN`, `NULL`, Excel's `#N/A` and similar.
pub fn is_missing(s: &str) -> bool {
    const MISSING: [&str; 10] = [
        "", "na", "n/a", "#n/a", ".", "nan", "null", "none", "missing", "-",
    ];
    let s = s.trim();
    // Compared without allocating: this runs on every cell of a million-row table.
    s.len() <= 7 && MISSING.iter().any(|m| m.eq_ignore_ascii_case(s))
}

/// Parses a number written with a decimal point (or a decimal comma when
/// `decimal_comma`); `None` for anything else, including infinities and NaN.
pub fn parse_number(s: &str, decimal_comma: bool) -> Option<f64> {
    let s = s.trim();
    let v: f64 = if decimal_comma && s.contains(',') && !s.contains('.') {
        s.replacen(',', ".", 1).parse().ok()?
    } else {
        s.parse().ok()?
    };
    // Rust also accepts "inf", "nan"; a time or code must be a finite number.
    v.is_finite().then_some(v)
}

/// The workbook format announced by the first bytes: a ZIP archive (.xlsx, .xlsb, .ods)
/// or an OLE compound file (.xls).
fn workbook_signature(bytes: &[u8]) -> Option<WorkbookFormat> {
    if bytes.starts_with(b"PK\x03\x04") {
        // Told apart by calamine; Xlsx stands for "a ZIP workbook" here.
        Some(WorkbookFormat::Xlsx)
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Some(WorkbookFormat::Xls)
    } else {
        None
    }
}

#[cfg(feature = "spreadsheet")]
fn read_workbook(
    bytes: &[u8],
    options: &TableOptions,
    _kind: WorkbookFormat,
) -> Result<Table, TableError> {
    crate::spreadsheet::read(bytes, options)
}

#[cfg(not(feature = "spreadsheet"))]
fn read_workbook(
    _bytes: &[u8],
    _options: &TableOptions,
    _kind: WorkbookFormat,
) -> Result<Table, TableError> {
    Err(TableError::Malformed {
        line: None,
        message: "this is a spreadsheet file (.xlsx, .xls or .ods), and this build reads \
                  delimited text only: save the sheet as CSV"
            .into(),
    })
}

/// Builds a [`Table`] row by row: used by the text reader and the workbook reader.
pub(crate) struct Builder {
    data: Vec<Column>,
    lines: Vec<u64>,
    typed: bool,
    /// Fields used by the first row, the reference for the ragged-row note.
    first_width: Option<usize>,
    /// Rows whose fields do not match the first row's: count and the first few.
    n_ragged: usize,
    ragged: Vec<(u64, usize)>,
    /// Expected rows and bytes per column ([`Builder::reserve`]).
    hint: (usize, usize),
}

impl Builder {
    /// `typed`: whether cells carry a [`CellKind`] (workbooks) or are all text.
    pub(crate) fn new(typed: bool) -> Builder {
        Builder {
            data: Vec::new(),
            lines: Vec::new(),
            typed,
            first_width: None,
            n_ragged: 0,
            ragged: Vec::new(),
            hint: (0, 0),
        }
    }

    /// Adds one row. `cells` gives (column, text, kind); empty cells may be left out.
    /// `fields` is the number of fields the row had (trailing empty ones included).
    /// Returns whether the row was kept (false for a blank row).
    pub(crate) fn push_row<'a>(
        &mut self,
        line: u64,
        fields: usize,
        cells: impl IntoIterator<Item = (usize, &'a str, CellKind)>,
    ) -> Result<bool, TableError> {
        if fields > MAX_COLUMNS {
            return Err(TableError::Malformed {
                line: Some(line),
                message: format!(
                    "line {line} has {fields} fields, more than the {MAX_COLUMNS} columns a table can have (as in Excel): check the delimiter"
                ),
            });
        }
        let row = self.lines.len();
        let mut used = 0;
        for (c, text, kind) in cells {
            if c >= MAX_COLUMNS || (text.is_empty() && (!self.typed || kind == CellKind::Empty)) {
                continue;
            }
            if c >= self.data.len() {
                let (rows, bytes) = self.hint;
                self.data
                    .resize_with(c + 1, || Column::with_capacity(rows, bytes));
            }
            self.data[c].push(row, text, self.typed.then_some(kind))?;
            used = used.max(c + 1);
        }
        if used == 0 {
            // A blank row (every cell empty): skipped, as R's read.table(blank.lines.skip).
            return Ok(false);
        }
        match self.first_width {
            None => self.first_width = Some(used),
            // Extra values, or fewer fields than the first row (trailing empty fields
            // alone are not worth a note).
            Some(w) if used > w || fields < w => {
                self.n_ragged += 1;
                if self.ragged.len() < 3 {
                    self.ragged.push((line, fields.max(used)));
                }
            }
            Some(_) => {}
        }
        self.lines.push(line);
        Ok(true)
    }

    /// Removes columns left of the first filled one (a table that starts in column C).
    #[cfg_attr(
        not(feature = "spreadsheet"),
        allow(dead_code, reason = "workbooks only")
    )]
    pub(crate) fn drop_leading_empty_columns(&mut self) {
        let k = self.data.iter().take_while(|c| c.ends.is_empty()).count();
        self.data.drain(..k);
        self.first_width = self.first_width.map(|w| w.saturating_sub(k));
    }

    /// Expected rows and bytes per column, so that columns are allocated once.
    pub(crate) fn reserve(&mut self, rows: usize, bytes_per_column: usize) {
        self.hint = (rows, bytes_per_column);
        self.lines.reserve(rows);
    }

    fn n_rows(&self) -> usize {
        self.lines.len()
    }

    fn cell(&self, row: usize, col: usize) -> &str {
        self.data.get(col).map_or("", |c| c.get(row))
    }

    /// Whether a cell holds a value of some type (a number, a date, a boolean) rather
    /// than free text: what tells data rows from a header row.
    fn typed_cell(&self, row: usize, col: usize) -> bool {
        match self.data.get(col).and_then(|c| c.kind(row)) {
            Some(CellKind::Number | CellKind::Date | CellKind::Bool) => true,
            Some(CellKind::Empty | CellKind::Error) => false,
            _ => {
                let s = self.cell(row, col);
                parse_number(s, true).is_some() || looks_like_date(s)
            }
        }
    }

    /// A header when some column is typed below the first row but not in it, or when
    /// every cell of the first row is text and typed cells follow.
    fn detect_header(&self) -> bool {
        let width = self.data.len();
        let n = self.n_rows();
        if n == 0 {
            return false;
        }
        if n == 1 {
            return (0..width).any(|c| !self.cell(0, c).is_empty() && !self.typed_cell(0, c));
        }
        let body = 1..n.min(SAMPLE_ROWS + 1);
        let column_says = (0..width).any(|c| {
            let head = self.cell(0, c);
            if head.is_empty() || is_missing(head) || self.typed_cell(0, c) {
                return false;
            }
            let mut any = false;
            for r in body.clone() {
                let v = self.cell(r, c);
                if is_missing(v) {
                    continue;
                }
                if !self.typed_cell(r, c) {
                    return false;
                }
                any = true;
            }
            any
        });
        let first_all_text = (0..width).all(|c| {
            let v = self.cell(0, c);
            !v.is_empty() && !self.typed_cell(0, c)
        });
        column_says
            || first_all_text
                && body
                    .clone()
                    .any(|r| (0..width).any(|c| self.typed_cell(r, c)))
    }

    /// A decimal comma when numbers like "16,3" appear and numbers like "16.3" do not
    /// outnumber them. Numbers like "1,234" alone (three digits after the comma) could be
    /// thousands, so they only count with a semicolon delimiter, the European convention.
    fn detect_decimal_comma(&self, delimiter: char) -> (bool, bool) {
        let (mut comma, mut comma3, mut point) = (0usize, 0usize, 0usize);
        for r in 0..self.n_rows().min(SAMPLE_ROWS) {
            for c in 0..self.data.len() {
                let s = self.cell(r, c);
                if let Some(frac) = decimal_part(s, ',') {
                    if frac == 3 {
                        comma3 += 1;
                    } else {
                        comma += 1;
                    }
                } else if decimal_part(s, '.').is_some() {
                    point += 1;
                }
            }
        }
        let yes = (comma > 0 || (comma3 > 0 && delimiter == ';')) && comma + comma3 >= point;
        // Report when "1,234"-like numbers were the only sign, either way.
        (yes, comma == 0 && comma3 > 0)
    }

    fn drop_first_row(&mut self) {
        for col in &mut self.data {
            col.drop_first();
        }
        if !self.lines.is_empty() {
            self.lines.remove(0);
        }
    }

    /// Skips title rows above a table: a row with one text cell ("Trial XYZ, data cut
    /// 2021-06-30", "# exported by …") or none, when a row with two or more filled cells
    /// follows within five rows — as Excel sheets and their CSV exports put them. Each
    /// row left out is named in a note.
    fn skip_title_rows(&mut self, notes: &mut Vec<String>) {
        let filled = |b: &Builder, r: usize| -> Vec<usize> {
            (0..b.data.len())
                .filter(|&c| !b.cell(r, c).is_empty())
                .take(2)
                .collect()
        };
        let what = if self.typed { "row" } else { "line" };
        let mut skipped = false;
        for _ in 0..10 {
            if self.n_rows() <= 2 {
                break;
            }
            let first = filled(self, 0);
            let table_follows = (1..self.n_rows().min(6)).any(|r| filled(self, r).len() >= 2);
            let note = match first.as_slice() {
                [] if table_follows => format!(
                    "{what} {} (empty) was skipped above the table",
                    self.lines[0]
                ),
                [c] if table_follows && !self.typed_cell(0, *c) => format!(
                    "{what} {} (\"{}\") was skipped as a title above the table",
                    self.lines[0],
                    clean_name(self.cell(0, *c))
                ),
                _ => break,
            };
            notes.push(note);
            self.drop_first_row();
            skipped = true;
        }
        if skipped && !self.typed {
            self.recount_ragged();
        }
    }

    /// Counts ragged rows again against the (new) first row, after title rows above it
    /// were dropped: the count made while reading compared every row with the title.
    /// Only rows with values beyond the first row's width count here (the number of
    /// trailing empty fields is not kept).
    fn recount_ragged(&mut self) {
        let n = self.n_rows();
        let mut used = vec![0usize; n];
        for c in 0..self.data.len() {
            for (r, u) in used.iter_mut().enumerate() {
                if !self.cell(r, c).is_empty() {
                    *u = c + 1;
                }
            }
        }
        let w = used.first().copied().unwrap_or(0);
        self.first_width = Some(w);
        self.n_ragged = 0;
        self.ragged.clear();
        for (r, &u) in used.iter().enumerate() {
            if u > w {
                self.n_ragged += 1;
                if self.ragged.len() < 3 {
                    self.ragged.push((self.lines[r], u));
                }
            }
        }
    }

    /// Header detection, column names, decimal comma: the table.
    pub(crate) fn finish(
        mut self,
        options: &TableOptions,
        delimiter: char,
        source: Source,
        mut notes: Vec<String>,
    ) -> Result<Table, TableError> {
        if self.n_rows() == 0 {
            return Err(TableError::Empty);
        }
        if let Some(row) = options.header_row {
            let above = self.lines.iter().take_while(|&&l| l < row).count();
            if above == self.n_rows() {
                return Err(TableError::Malformed {
                    line: Some(row),
                    message: format!(
                        "the header row is set to {row}, but the data ends at row {}: choose a header row within the table",
                        self.lines.last().copied().unwrap_or(0)
                    ),
                });
            }
            if above > 0 {
                notes.push(format!(
                    "{above} row(s) above row {row}, the header row chosen, were left out"
                ));
            }
            for _ in 0..above {
                self.drop_first_row();
            }
        } else if options.header.is_none() {
            self.skip_title_rows(&mut notes);
        }
        let has_header = if options.header_row.is_some() {
            true
        } else {
            options.header.unwrap_or_else(|| self.detect_header())
        };
        // Columns reach as far as the first row does, and further if other rows do.
        let width = self.data.len().max(self.first_width.unwrap_or(0));
        self.data.resize_with(width, Column::default);
        let columns = if has_header {
            let header: Vec<String> = (0..width).map(|c| self.cell(0, c).to_string()).collect();
            self.drop_first_row();
            unique_names(&header, width)
        } else {
            (1..=width).map(|i| format!("V{i}")).collect()
        };
        if self.n_rows() == 0 {
            return Err(TableError::NoDataRows);
        }
        // Workbook numbers are typed; with a comma delimiter, "16,3" would be two cells.
        let (decimal_comma, thousands_like) = if self.typed || delimiter == ',' {
            (options.decimal_comma.unwrap_or(false), false)
        } else {
            let (detected, thousands_like) = self.detect_decimal_comma(delimiter);
            (options.decimal_comma.unwrap_or(detected), thousands_like)
        };
        if thousands_like && options.decimal_comma.is_none() {
            notes.push(if decimal_comma {
                "numbers like \"1,234\" were read with a decimal comma (1.234); if the comma separates thousands, turn the decimal comma off".to_string()
            } else {
                "numbers like \"1,234\" were not read as numbers: if the comma is a decimal comma, turn it on".to_string()
            });
        }
        if self.n_ragged > 0 && !self.typed {
            let examples: Vec<String> = self
                .ragged
                .iter()
                .map(|(l, w)| format!("line {l} has {w}"))
                .collect();
            let what = if has_header {
                "the header has"
            } else {
                "the first row has"
            };
            notes.push(format!(
                "{} row(s) have a different number of cells: {} where {what} {} (missing cells are read as empty)",
                self.n_ragged,
                examples.join(", "),
                self.first_width.unwrap_or(0)
            ));
        }
        for col in &mut self.data {
            col.shrink();
        }
        self.lines.shrink_to_fit();
        let table = Table {
            columns,
            data: self.data,
            lines: self.lines,
            delimiter,
            decimal_comma,
            has_header,
            source,
            notes,
        };
        Ok(match table.prism_survival_long() {
            Some(long) => long,
            None => table,
        })
    }
}

impl Table {
    /// GraphPad Prism's survival data table, as Prism exports it: an X column of times,
    /// then one Y column per group holding 1 (event) or 0 (censored) in the rows of that
    /// group and nothing elsewhere. Read as it stands, the first Y column would be taken
    /// for the event and every other group's rows excluded; turned into one row per
    /// patient with `status` and `group` columns, it is what the analysis expects.
    ///
    /// Recognised only when every row has at most one Y value, every Y value is 0 or 1,
    /// there are two or more Y columns with values, and every X value is a number: a
    /// table with several 0/1 columns filled on the same row is left as it is.
    fn prism_survival_long(&self) -> Option<Table> {
        let (n, width) = (self.n_rows(), self.columns.len());
        if !self.has_header || width < 3 || n < 2 {
            return None;
        }
        let mut group_of = vec![None; n];
        let mut used = vec![false; width];
        for r in 0..n {
            if self.number(r, 0).is_none() && !self.cell(r, 0).is_empty() {
                return None;
            }
            for c in 1..width {
                let v = self.cell(r, c);
                if v.is_empty() {
                    continue;
                }
                match self.number(r, c) {
                    Some(x) if x == 0.0 || x == 1.0 => {}
                    _ => return None,
                }
                if group_of[r].is_some() {
                    return None;
                }
                group_of[r] = Some(c);
                used[c] = true;
            }
        }
        let groups: Vec<usize> = (1..width).filter(|&c| used[c]).collect();
        if groups.len() < 2 {
            return None;
        }
        let mut time = Column::with_capacity(n, 4 * n);
        let mut status = Column::with_capacity(n, n);
        let mut group = Column::with_capacity(n, 8 * n);
        for r in 0..n {
            time.push(r, self.cell(r, 0), None).ok()?;
            match group_of[r] {
                Some(c) => {
                    let event = if self.number(r, c) == Some(1.0) {
                        "1"
                    } else {
                        "0"
                    };
                    status.push(r, event, None).ok()?;
                    group.push(r, &self.columns[c], None).ok()?;
                }
                // A row with a time and no Y value: kept, so that it is excluded with
                // its reason rather than lost.
                None => {
                    status.push(r, "", None).ok()?;
                    group.push(r, "", None).ok()?;
                }
            }
        }
        let names: Vec<&str> = groups.iter().map(|&c| self.columns[c].as_str()).collect();
        let mut notes = self.notes.clone();
        notes.push(format!(
            "read as a GraphPad Prism survival table: the time column \"{}\" and one column per group ({}), each 1 = event, 0 = censored; turned into the columns \"status\" and \"group\", one row per patient",
            self.columns[0],
            names.join(", ")
        ));
        let mut columns = vec![self.columns[0].clone(), "status".into(), "group".into()];
        if columns[0] == "status" || columns[0] == "group" {
            columns[0] = "time".into();
        }
        Some(Table {
            columns,
            data: vec![time, status, group],
            lines: self.lines.clone(),
            delimiter: self.delimiter,
            decimal_comma: self.decimal_comma,
            has_header: true,
            source: self.source.clone(),
            notes,
        })
    }
}

/// Digits after the separator when `s` is a number like "-12,5" (with `sep` = ',').
fn decimal_part(s: &str, sep: char) -> Option<usize> {
    let (a, b) = s.split_once(sep)?;
    let a = a.strip_prefix('-').unwrap_or(a);
    (a.bytes().all(|c| c.is_ascii_digit())
        && !b.is_empty()
        && b.bytes().all(|c| c.is_ascii_digit())
        && !(a.is_empty() && sep == ','))
        .then_some(b.len())
}

/// Reads delimited text (already decoded).
fn read_text(
    text: &str,
    options: &TableOptions,
    source: Source,
    mut notes: Vec<String>,
) -> Result<Table, TableError> {
    if text.trim().is_empty() {
        return Err(TableError::Empty);
    }
    check_not_binary(text, &mut notes)?;
    check_not_markup(text)?;
    let delimiter = options.delimiter.unwrap_or_else(|| detect_delimiter(text));
    let delim_byte = u8::try_from(delimiter)
        .ok()
        .filter(u8::is_ascii)
        .ok_or_else(|| TableError::Malformed {
            line: None,
            message: format!("the delimiter {delimiter:?} is not a single ASCII character"),
        })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delim_byte)
        .from_reader(text.as_bytes());
    let mut builder = Builder::new(false);
    let (rows, bytes_per_column) = size_hint(text, delim_byte);
    builder.reserve(rows, bytes_per_column);
    let mut rec = csv::ByteRecord::new();
    // Lines are counted from byte offsets: csv's own counter does not count the blank
    // lines it skips, and users look rows up by the line their editor shows.
    let bytes = text.as_bytes();
    let (mut counted_to, mut line) = (0usize, 1u64);
    // The first record's width, against which a runaway quote shows (below).
    let mut expected: Option<usize> = None;
    let mut runaways: Vec<(u64, u64)> = Vec::new();
    // Progress every 1 MiB read (survcalc_stats::progress), for a host that shows it.
    const REPORT_EVERY: usize = 1 << 20;
    let mut next_report = REPORT_EVERY;
    loop {
        let start = reader.position().byte() as usize;
        if start >= next_report {
            next_report = start + REPORT_EVERY;
            survcalc_stats::progress::report(survcalc_stats::progress::Step::Reading {
                done: start as u64,
                total: bytes.len() as u64,
            });
        }
        let more = reader
            .read_byte_record(&mut rec)
            .map_err(|e| TableError::Malformed {
                line: e.position().map(|p| p.line()),
                message: e.to_string(),
            })?;
        if !more {
            break;
        }
        // The record starts after any blank lines the reader skipped.
        let mut first = start.min(bytes.len());
        while first < bytes.len() && (bytes[first] == b'\n' || bytes[first] == b'\r') {
            first += 1;
        }
        line += count_line_breaks(bytes, counted_to, first);
        counted_to = counted_to.max(first);
        // A quote opened and not closed on its line makes the reader take the following
        // lines into one cell, and the record then has too few fields: read those lines
        // one by one instead, with the quote as an ordinary character, so that no row is
        // lost (issue 12). A quoted cell with a line break in a record of the right width
        // is a real multi-line cell and is kept.
        let spans_lines = rec.iter().any(|f| f.contains(&b'\n') || f.contains(&b'\r'));
        let end = (reader.position().byte() as usize).min(bytes.len());
        // Two quotes left open on different lines close each other and give a record of
        // the right width; its physical lines then each look like a whole row (enough
        // delimiters), which a real multi-line cell's lines do not.
        let rows_inside = |w: usize| {
            text.get(first..end)
                .unwrap_or_default()
                .split(['\n', '\r'])
                .filter(|l| l.bytes().filter(|&b| b == delim_byte).count() + 1 >= w)
                .take(2)
                .count()
                >= 2
        };
        if spans_lines && expected.is_some_and(|w| w != rec.len() || (w >= 2 && rows_inside(w))) {
            let chunk = text.get(first..end).unwrap_or_default();
            let taken = read_lines_unquoted(chunk, delim_byte, line, &mut builder)?;
            runaways.push((line, taken));
            continue;
        }
        expected.get_or_insert(rec.len());
        let fields = rec.iter().map(|f| match std::str::from_utf8(f) {
            Ok(s) => s.trim(),
            // Unreachable for text split at ASCII delimiters; kept as empty, not a panic.
            Err(_) => "",
        });
        builder.push_row(
            line,
            rec.len(),
            fields.enumerate().map(|(c, f)| (c, f, CellKind::Text)),
        )?;
    }
    if bytes.len() >= REPORT_EVERY {
        survcalc_stats::progress::report(survcalc_stats::progress::Step::Reading {
            done: bytes.len() as u64,
            total: bytes.len() as u64,
        });
    }
    for (at, taken) in &runaways {
        notes.push(format!(
            "line {at} opens a quote (\") that is not closed on that line, so the reader took {taken} line(s) into one cell; those lines were read one by one instead, with the quote as an ordinary character: check the quotes on line {at}"
        ));
    }
    // An odd number of quote characters: one was opened and never closed, and the reader
    // took everything after it, line breaks included, as one cell.
    if runaways.is_empty() && bytes.iter().filter(|&&b| b == b'"').count() % 2 == 1 {
        if let Some(&last) = builder.lines.last() {
            notes.push(format!(
                "a quote (\") is opened and never closed, so the text from line {last} to the end was read as one row: check the quotes on that line"
            ));
        }
    }
    builder.finish(options, delimiter, source, notes)
}

/// Reads `chunk` (whole lines of the text, the first at line `line`) line by line with
/// quotes as ordinary characters, into `builder`; returns the number of lines read.
fn read_lines_unquoted(
    chunk: &str,
    delimiter: u8,
    line: u64,
    builder: &mut Builder,
) -> Result<u64, TableError> {
    let mut at = line;
    let mut taken = 0u64;
    // LF, CRLF and a lone CR each end a line, as `count_line_breaks` counts them; a
    // blank line inside the chunk keeps its number.
    let pieces: Vec<&str> = chunk.split('\n').collect();
    for (k, piece) in pieces.iter().enumerate() {
        if k + 1 == pieces.len() && piece.is_empty() {
            // After the chunk's last line break.
            break;
        }
        let piece = piece.strip_suffix('\r').unwrap_or(piece);
        for physical in piece.split('\r') {
            if !physical.trim().is_empty() {
                let fields: Vec<&str> = physical
                    .split(char::from(delimiter))
                    .map(str::trim)
                    .collect();
                builder.push_row(
                    at,
                    fields.len(),
                    fields
                        .iter()
                        .enumerate()
                        .map(|(c, f)| (c, *f, CellKind::Text)),
                )?;
                taken += 1;
            }
            at += 1;
        }
    }
    Ok(taken)
}

/// Rows and bytes per column to expect, from the first 64 KiB: allocating the columns
/// once keeps the peak memory near the table's own size. Never more than the text holds.
fn size_hint(text: &str, delimiter: u8) -> (usize, usize) {
    let sample = &text.as_bytes()[..text.len().min(65_536)];
    let lines = sample.iter().filter(|&&b| b == b'\n').count().max(1);
    let fields = sample.iter().filter(|&&b| b == delimiter).count() / lines + 1;
    let rows = text.len() / (sample.len() / lines).max(1) + 1;
    (rows.min(text.len() / 2 + 1), text.len() / fields + 1)
}

/// Line breaks in `bytes[from..to]`: LF, CRLF and a lone CR each count once.
fn count_line_breaks(bytes: &[u8], from: usize, to: usize) -> u64 {
    let mut n = 0u64;
    let to = to.min(bytes.len());
    for i in from..to {
        match bytes[i] {
            b'\n' => n += 1,
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => n += 1,
            _ => {}
        }
    }
    n
}

/// Refuses a web page, an XML file or JSON saved under a table's name: read as a table
/// they give one column of markup and a message about delimiters that misleads.
fn check_not_markup(text: &str) -> Result<(), TableError> {
    let head: String = text
        .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
        .chars()
        .take(64)
        .collect::<String>()
        .to_ascii_lowercase();
    let after = |prefix: char| {
        head.strip_prefix(prefix)
            .map(|r| r.trim_start().chars().next())
    };
    let what = if head.starts_with("<!doctype html") || head.starts_with("<html") {
        "a web page (HTML), not a table: save the data itself as CSV or as a spreadsheet (in Excel: File → Save As), or copy the table from the page and paste it here"
    } else if head.starts_with("<?xml") {
        "an XML file, not a table (an Excel 2003 \"XML Spreadsheet\" is one): open it in Excel or LibreOffice and save it as .xlsx or CSV"
    } else if after('{') == Some(Some('"')) || after('[') == Some(Some('{')) {
        "JSON, not a table: export the data as CSV (one row per patient, one column per variable)"
    } else {
        return Ok(());
    };
    Err(TableError::Malformed {
        line: Some(1),
        message: format!("this is {what}"),
    })
}

/// Refuses text that is mostly control characters (a binary file read as text) and
/// notes NUL characters in text that is otherwise fine.
fn check_not_binary(text: &str, notes: &mut Vec<String>) -> Result<(), TableError> {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars().take(65_536) {
        total += 1;
        let bad = (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}')) || c == '\u{FFFD}';
        control += usize::from(bad);
    }
    // A few stray bytes (a truncated UTF-16 file, a NUL) do not make a file binary.
    if control >= 4 && control * 10 > total {
        return Err(TableError::Malformed {
            line: None,
            message: format!(
                "this does not look like text: {control} of the first {total} characters are control characters or undecodable bytes; choose a CSV, TSV or spreadsheet file"
            ),
        });
    }
    let nul = text.bytes().filter(|&b| b == 0).count();
    if nul > 0 {
        notes.push(format!(
            "the text contains {nul} NUL character(s); cells holding them will not read as numbers"
        ));
    }
    Ok(())
}

/// The delimiter among tab, semicolon, pipe and comma that splits the first records (up
/// to 50, quotes respected) into the same number of fields, preferring more fields, and
/// on a tie the first in that order: a comma that splits every line like a semicolon
/// does is a decimal comma ("12,5;1").
fn detect_delimiter(text: &str) -> char {
    const CANDIDATES: [char; 4] = ['\t', ';', '|', ','];
    const MAX_RECORDS: usize = 50;
    let sample = &text.as_bytes()[..text.len().min(65_536)];
    let mut counts: Vec<[usize; 4]> = Vec::new();
    let mut current = [0usize; 4];
    let mut in_quotes = false;
    let mut nonblank = false;
    for &b in sample {
        match b {
            b'"' => {
                in_quotes = !in_quotes;
                nonblank = true;
            }
            b'\n' | b'\r' if !in_quotes => {
                if nonblank {
                    counts.push(current);
                    if counts.len() >= MAX_RECORDS {
                        break;
                    }
                }
                current = [0; 4];
                nonblank = false;
            }
            _ if !in_quotes => {
                if let Some(k) = CANDIDATES.iter().position(|&d| d as u8 == b) {
                    current[k] += 1;
                }
                nonblank |= !b.is_ascii_whitespace();
            }
            _ => {}
        }
    }
    if nonblank && counts.len() < MAX_RECORDS {
        counts.push(current);
    }
    let mut best: Option<(char, bool, usize)> = None;
    for (k, &d) in CANDIDATES.iter().enumerate() {
        let first = counts.first().map_or(0, |c| c[k]);
        if first == 0 {
            continue;
        }
        let same = counts.iter().filter(|c| c[k] == first).count();
        let consistent = same * 5 >= counts.len() * 4;
        let better = match best {
            None => true,
            Some((_, bc, bn)) => (consistent, first) > (bc, bn),
        };
        if better {
            best = Some((d, consistent, first));
        }
    }
    best.map_or(',', |b| b.0)
}

fn unique_names(header: &[String], width: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(width);
    let mut seen: HashSet<String> = HashSet::with_capacity(width);
    // The next suffix to try per name, so that 16,384 identical names cost linear time,
    // not a scan from ".2" for each (12 s on the CLI; issue 12).
    let mut next: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for i in 0..width {
        let cleaned = header.get(i).map(|h| clean_name(h)).unwrap_or_default();
        let base = if cleaned.is_empty() {
            format!("V{}", i + 1)
        } else {
            cleaned
        };
        let mut name = base.clone();
        let k = next.entry(base.clone()).or_insert(2);
        while seen.contains(&name) {
            name = format!("{base}.{k}");
            *k += 1;
        }
        seen.insert(name.clone());
        out.push(name);
    }
    out
}

/// A header cell as a column name: white space runs as one space, at most
/// [`MAX_NAME_CHARS`] characters.
fn clean_name(h: &str) -> String {
    let mut name = String::new();
    for (i, word) in h.split_whitespace().enumerate() {
        if i > 0 {
            name.push(' ');
        }
        name.push_str(word);
        if name.len() > MAX_NAME_CHARS * 4 {
            break;
        }
    }
    if name.chars().count() > MAX_NAME_CHARS {
        let mut cut: String = name.chars().take(MAX_NAME_CHARS).collect();
        cut.push('…');
        cut
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Table {
        match Table::parse(s) {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn reads_csv_with_bom_crlf_and_quotes() {
        let t = parse("\u{feff}id,arm,time\r\n1,\"A, high\",3.5\r\n\r\n2,B,4\r\n");
        assert_eq!(t.columns, vec!["id", "arm", "time"]);
        assert_eq!(t.cell(0, 1), "A, high");
        assert_eq!(t.lines, vec![2, 4]);
        assert_eq!(t.n_rows(), 2);
    }

    #[test]
    fn semicolon_and_decimal_comma() {
        let t = parse("time;status\n16,3;1\n6,5;0\n");
        assert_eq!((t.delimiter, t.decimal_comma), (';', true));
        assert_eq!(t.number(0, 0), Some(16.3));
    }

    #[test]
    fn no_header_names_columns_by_position() {
        let t = parse("1\t2\n3\t4\n");
        assert_eq!(t.columns, vec!["V1", "V2"]);
    }

    #[test]
    fn empty_and_header_only() {
        assert_eq!(Table::parse("  \n\n"), Err(TableError::Empty));
        assert_eq!(Table::parse("time,status\n"), Err(TableError::NoDataRows));
    }

    #[test]
    fn columnar_storage_handles_ragged_and_sparse_rows() {
        let t = parse("a,b,c\n1,,3\n4\n\n7,8,9,10\n");
        assert_eq!(t.columns, vec!["a", "b", "c", "V4"]);
        assert_eq!(t.row(0), vec!["1", "", "3", ""]);
        assert_eq!(t.row(1), vec!["4", "", "", ""]);
        assert_eq!(t.row(2), vec!["7", "8", "9", "10"]);
        assert_eq!(t.lines, vec![2, 3, 5]);
        assert_eq!(t.cell(9, 9), "");
        assert!(t
            .notes
            .iter()
            .any(|n| n.starts_with("2 row(s)") && n.contains("line 3 has 1, line 5 has 4")));
        // A trailing delimiter adds no column and no note.
        let t = parse("a,b\n1,2,\n3,4,\n");
        assert_eq!((t.columns.len(), t.notes.len()), (2, 0));
    }

    #[test]
    fn lone_cr_and_mixed_line_ends_count_lines() {
        let t = parse("t,e\r1,1\n2,0\r\n\r3,1\r");
        assert_eq!(t.lines, vec![2, 3, 5]);
    }

    #[test]
    fn decimal_comma_does_not_win_a_tie_with_the_semicolon() {
        let t = parse("12,5;1\n6,5;0\n");
        assert_eq!((t.delimiter, t.decimal_comma), (';', true));
        assert_eq!(t.number(1, 0), Some(6.5));
    }

    #[test]
    fn unclosed_quote_is_noted_and_loses_no_row() {
        // Issue 12: the rows after the quote used to become one cell of one row.
        let t = parse("t,e\n1,1\n\"2,0\n3,1\n");
        assert_eq!(t.n_rows(), 3);
        assert_eq!(t.lines, vec![2, 3, 4]);
        assert!(
            t.notes.iter().any(|n| n.contains("line 3 opens a quote")),
            "{:?}",
            t.notes
        );
    }

    #[test]
    fn delimiter_ignores_quoted_commas() {
        let t = parse("arm\ttime\n\"A, b\"\t1\n\"C, d, e\"\t2\n");
        assert_eq!(t.delimiter, '\t');
        assert_eq!(t.cell(1, 0), "C, d, e");
    }

    #[test]
    fn thousands_like_numbers_with_tabs_are_noted_not_read() {
        let t = parse("id\tdays\n1\t1,234\n2\t2,500\n");
        assert!(!t.decimal_comma);
        assert!(t.notes.iter().any(|n| n.contains("1,234")));
        assert_eq!(t.number(0, 1), None);
    }

    #[test]
    fn binary_is_refused() {
        let junk: Vec<u8> = (0u8..=255).cycle().take(4096).collect();
        assert!(matches!(
            Table::from_bytes(&junk, &TableOptions::default()),
            Err(TableError::Malformed { .. })
        ));
    }
}
