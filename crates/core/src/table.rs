//! Delimited text (CSV, TSV, semicolon- or pipe-separated) read into a table of cells.
//!
//! Reading is done by the `csv` crate (quoted fields, embedded delimiters and newlines,
//! CRLF). This module adds what clinical exports need around it: a UTF-8 byte-order mark
//! is dropped, the delimiter is detected from the first lines, ragged rows are kept (and
//! reported later, row by row, rather than failing the whole file), blank lines are
//! skipped, a header row is detected, and a decimal comma is recognised when the
//! delimiter is not a comma.

use crate::error::TableError;

/// A table of text cells with a header and the file line of each row.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Table {
    /// Column names: the header row, or `V1`, `V2`, … when the text has none (as R's
    /// `read.table(header = FALSE)`). Empty or repeated names are made unique.
    pub columns: Vec<String>,
    /// Data rows; a row may have fewer or more cells than there are columns.
    pub rows: Vec<Vec<String>>,
    /// The one-based line in the text where each data row starts.
    pub lines: Vec<u64>,
    /// The delimiter used.
    pub delimiter: char,
    /// Whether numbers are written with a decimal comma ("16,3").
    pub decimal_comma: bool,
    /// Whether the first row was taken as a header.
    pub has_header: bool,
}

/// Options for reading text; `None` means "detect".
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TableOptions {
    /// The delimiter, or detect among comma, tab, semicolon and pipe.
    pub delimiter: Option<char>,
    /// Whether the first row is a header, or detect.
    pub header: Option<bool>,
}

impl Table {
    /// Reads delimited text, detecting the delimiter and header.
    ///
    /// # Errors
    /// [`TableError::Empty`] when there is nothing but white space,
    /// [`TableError::NoDataRows`] for a header alone, [`TableError::Malformed`] when the
    /// text cannot be split into records.
    pub fn parse(text: &str) -> Result<Table, TableError> {
        Table::parse_with(text, TableOptions::default())
    }

    /// Reads delimited text with explicit options.
    ///
    /// # Errors
    /// As [`Table::parse`].
    pub fn parse_with(text: &str, options: TableOptions) -> Result<Table, TableError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Err(TableError::Empty);
        }
        let delimiter = options.delimiter.unwrap_or_else(|| detect_delimiter(text));
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter as u8)
            .from_reader(text.as_bytes());
        let mut records: Vec<Vec<String>> = Vec::new();
        let mut lines = Vec::new();
        let mut rec = csv::StringRecord::new();
        // Lines are counted incrementally from byte offsets: csv's own line counter does
        // not count the blank lines it skips, and users look rows up by editor/Excel line.
        let bytes = text.as_bytes();
        let (mut counted_to, mut line) = (0usize, 1u64);
        loop {
            let start = reader.position().byte() as usize;
            let more = reader
                .read_record(&mut rec)
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
            line += bytes[counted_to..first]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            counted_to = first;
            if rec.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            lines.push(line);
            records.push(rec.iter().map(|c| c.trim().to_string()).collect());
        }
        if records.is_empty() {
            return Err(TableError::Empty);
        }
        let has_header = options.header.unwrap_or_else(|| detect_header(&records));
        let width = records.iter().map(Vec::len).max().unwrap_or(0);
        let (columns, rows, lines) = if has_header {
            let header = records.remove(0);
            lines.remove(0);
            (unique_names(&header, width), records, lines)
        } else {
            (
                (1..=width).map(|i| format!("V{i}")).collect(),
                records,
                lines,
            )
        };
        if rows.is_empty() {
            return Err(TableError::NoDataRows);
        }
        let decimal_comma = delimiter != ',' && detect_decimal_comma(&rows);
        Ok(Table {
            columns,
            rows,
            lines,
            delimiter,
            decimal_comma,
            has_header,
        })
    }

    /// Index of a column by name.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// The cell of `row` in column `col`; empty when the row is short.
    pub fn cell(&self, row: usize, col: usize) -> &str {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .map_or("", String::as_str)
    }

    /// Parses a cell as a number, honouring the table's decimal comma.
    pub fn number(&self, row: usize, col: usize) -> Option<f64> {
        parse_number(self.cell(row, col), self.decimal_comma)
    }

    /// Distinct non-missing values of a column, in order of first appearance.
    pub fn distinct(&self, col: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for r in 0..self.rows.len() {
            let v = self.cell(r, col);
            if !is_missing(v) && !out.iter().any(|x| x == v) {
                out.push(v.to_string());
            }
        }
        out
    }
}

/// Cells that mean "no value": empty, `NA`, `.`, `NaN`, `NULL` and similar.
pub fn is_missing(s: &str) -> bool {
    matches!(
        s.trim().to_ascii_lowercase().as_str(),
        "" | "na" | "n/a" | "." | "nan" | "null" | "none" | "missing" | "-"
    )
}

/// Parses a number written with a decimal point (or a decimal comma when
/// `decimal_comma`); `None` for anything else, including infinities and NaN.
pub fn parse_number(s: &str, decimal_comma: bool) -> Option<f64> {
    let s = s.trim();
    let v: f64 = if decimal_comma && s.contains(',') && !s.contains('.') {
        s.replace(',', ".").parse().ok()?
    } else {
        s.parse().ok()?
    };
    // Rust also accepts "inf", "nan"; a time or code must be a finite number.
    v.is_finite().then_some(v)
}

fn detect_delimiter(text: &str) -> char {
    let sample: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .collect();
    let mut best = (',', 0usize, false);
    for d in [',', '\t', ';', '|'] {
        let counts: Vec<usize> = sample.iter().map(|l| l.matches(d).count()).collect();
        let first = counts.first().copied().unwrap_or(0);
        let consistent = first > 0 && counts.iter().all(|&c| c == first);
        // Prefer a delimiter that splits every line the same way, then the most fields.
        if first > 0 && ((consistent && !best.2) || (consistent == best.2 && first > best.1)) {
            best = (d, first, consistent);
        }
    }
    best.0
}

fn detect_header(records: &[Vec<String>]) -> bool {
    let first = &records[0];
    let numeric = |s: &str| parse_number(s, true).is_some();
    if records.len() == 1 {
        return first.iter().any(|c| !numeric(c));
    }
    // A header when some column is numeric below the first row but not in it.
    let body = &records[1..];
    (0..first.len()).any(|c| {
        !numeric(&first[c])
            && !is_missing(&first[c])
            && body
                .iter()
                .filter_map(|r| r.get(c))
                .filter(|v| !is_missing(v))
                .all(|v| numeric(v))
            && body
                .iter()
                .any(|r| r.get(c).is_some_and(|v| !is_missing(v)))
    }) || first.iter().all(|c| !numeric(c) && !c.is_empty())
        && body.iter().any(|r| r.iter().any(|v| numeric(v)))
}

fn detect_decimal_comma(rows: &[Vec<String>]) -> bool {
    rows.iter().take(200).flatten().any(|c| {
        let mut parts = c.splitn(2, ',');
        match (parts.next(), parts.next()) {
            (Some(a), Some(b)) => {
                !a.is_empty()
                    && !b.is_empty()
                    && a.trim_start_matches('-')
                        .chars()
                        .all(|x| x.is_ascii_digit())
                    && b.chars().all(|x| x.is_ascii_digit())
            }
            _ => false,
        }
    })
}

fn unique_names(header: &[String], width: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(width);
    for i in 0..width {
        let base = match header.get(i) {
            Some(h) if !h.is_empty() => h.clone(),
            _ => format!("V{}", i + 1),
        };
        let mut name = base.clone();
        let mut k = 2;
        while out.contains(&name) {
            name = format!("{base}.{k}");
            k += 1;
        }
        out.push(name);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_csv_with_bom_crlf_and_quotes() {
        let t = Table::parse("\u{feff}id,arm,time\r\n1,\"A, high\",3.5\r\n\r\n2,B,4\r\n");
        let t = t.map_err(|e| e.to_string());
        assert_eq!(
            t.as_ref().map(|t| t.columns.clone()),
            Ok(vec!["id".into(), "arm".into(), "time".into()])
        );
        assert_eq!(
            t.as_ref().map(|t| t.rows[0][1].clone()),
            Ok("A, high".into())
        );
        assert_eq!(t.as_ref().map(|t| t.lines.clone()), Ok(vec![2, 4]));
    }

    #[test]
    fn semicolon_and_decimal_comma() {
        let t = Table::parse("time;status\n16,3;1\n6,5;0\n").map_err(|e| e.to_string());
        assert_eq!(
            t.as_ref().map(|t| (t.delimiter, t.decimal_comma)),
            Ok((';', true))
        );
        assert_eq!(t.as_ref().map(|t| t.number(0, 0)), Ok(Some(16.3)));
    }

    #[test]
    fn no_header_names_columns_by_position() {
        let t = Table::parse("1\t2\n3\t4\n").map_err(|e| e.to_string());
        assert_eq!(t.map(|t| t.columns), Ok(vec!["V1".into(), "V2".into()]));
    }

    #[test]
    fn empty_and_header_only() {
        assert_eq!(Table::parse("  \n\n"), Err(TableError::Empty));
        assert_eq!(Table::parse("time,status\n"), Err(TableError::NoDataRows));
    }
}
