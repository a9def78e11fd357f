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

mod builder;
mod lines;
mod prism;
mod text;

pub(crate) use builder::Builder;
pub use lines::Lines;
use text::*;

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
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Table {
    /// Column names: the header row, or `V1`, `V2`, … when the data has none (as R's
    /// `read.table(header = FALSE)`). Empty or repeated names are made unique; white space
    /// inside a name (a header cell with a line break) becomes one space.
    pub columns: Vec<String>,
    /// The cells, by column.
    data: Vec<Column>,
    /// The one-based line in the text (or row in the sheet) where each data row starts;
    /// its length is the number of rows.
    pub lines: Lines,
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
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
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
        cells + names + self.lines.heap_bytes()
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

/// A workbook reader supplied from outside, for a build without the `spreadsheet`
/// feature: bytes of a workbook and the options to a table, as
/// `spreadsheet::read` does in a build with it.
pub type WorkbookReader = fn(&[u8], &TableOptions) -> Result<Table, TableError>;

#[cfg(not(feature = "spreadsheet"))]
static WORKBOOK_READER: std::sync::OnceLock<WorkbookReader> = std::sync::OnceLock::new();

/// Supplies the workbook reader of a build without the `spreadsheet` feature: the page
/// leaves calamine (about 330 kB gzip) out of its module and loads it, as a module of its
/// own (`crates/sheet`), only when a workbook is dropped. The first call wins. With the
/// feature the built-in reader is used and this is ignored.
pub fn set_workbook_reader(f: WorkbookReader) {
    #[cfg(not(feature = "spreadsheet"))]
    let _ = WORKBOOK_READER.set(f);
    #[cfg(feature = "spreadsheet")]
    let _ = f;
}

#[cfg(not(feature = "spreadsheet"))]
fn read_workbook(
    bytes: &[u8],
    options: &TableOptions,
    _kind: WorkbookFormat,
) -> Result<Table, TableError> {
    if let Some(read) = WORKBOOK_READER.get() {
        return read(bytes, options);
    }
    Err(TableError::Malformed {
        line: None,
        message: "this is a spreadsheet file (.xlsx, .xls or .ods), and this build reads \
                  delimited text only: save the sheet as CSV"
            .into(),
    })
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
        assert_eq!(t.lines.iter().collect::<Vec<_>>(), [2, 4]);
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
        assert_eq!(t.lines.iter().collect::<Vec<_>>(), [2, 3, 5]);
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
        assert_eq!(t.lines.iter().collect::<Vec<_>>(), [2, 3, 5]);
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
        assert_eq!(t.lines.iter().collect::<Vec<_>>(), [2, 3, 4]);
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
