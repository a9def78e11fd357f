//! The columnar builder every reader fills row by row, and what it decides once the rows
//! are in: title rows above the header, the header itself, decimal commas, ragged rows,
//! unique column names.

use super::*;

/// Builds a [`Table`] row by row: used by the text reader and the workbook reader.
pub(crate) struct Builder {
    pub(super) data: Vec<Column>,
    pub(super) lines: Lines,
    pub(super) typed: bool,
    /// Fields used by the first row, the reference for the ragged-row note.
    pub(super) first_width: Option<usize>,
    /// Rows whose fields do not match the first row's: count and the first few.
    pub(super) n_ragged: usize,
    pub(super) ragged: Vec<(u64, usize)>,
    /// Expected rows and bytes per column ([`Builder::reserve`]).
    pub(super) hint: (usize, usize),
}

impl Builder {
    /// `typed`: whether cells carry a [`CellKind`] (workbooks) or are all text.
    pub(crate) fn new(typed: bool) -> Builder {
        Builder {
            data: Vec::new(),
            lines: Lines::default(),
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
    }

    pub(super) fn n_rows(&self) -> usize {
        self.lines.len()
    }

    pub(super) fn cell(&self, row: usize, col: usize) -> &str {
        self.data.get(col).map_or("", |c| c.get(row))
    }

    /// Whether a cell holds a value of some type (a number, a date, a boolean) rather
    /// than free text: what tells data rows from a header row.
    pub(super) fn typed_cell(&self, row: usize, col: usize) -> bool {
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
    pub(super) fn detect_header(&self) -> bool {
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
    pub(super) fn detect_decimal_comma(&self, delimiter: char) -> (bool, bool) {
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

    pub(super) fn drop_first_row(&mut self) {
        for col in &mut self.data {
            col.drop_first();
        }
        self.lines.remove_first();
    }

    /// Skips title rows above a table: a row with one text cell ("Trial XYZ, data cut
    /// 2021-06-30", "# exported by …") or none, when a row with two or more filled cells
    /// follows within five rows — as Excel sheets and their CSV exports put them. Each
    /// row left out is named in a note.
    pub(super) fn skip_title_rows(&mut self, notes: &mut Vec<String>) {
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
                    self.lines.first().unwrap_or(0)
                ),
                [c] if table_follows && !self.typed_cell(0, *c) => format!(
                    "{what} {} (\"{}\") was skipped as a title above the table",
                    self.lines.first().unwrap_or(0),
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
    pub(super) fn recount_ragged(&mut self) {
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
                    self.ragged.push((self.lines.get(r).unwrap_or(0), u));
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
            let above = self.lines.iter().take_while(|&l| l < row).count();
            if above == self.n_rows() {
                return Err(TableError::Malformed {
                    line: Some(row),
                    message: format!(
                        "the header row is set to {row}, but the data ends at row {}: choose a header row within the table",
                        self.lines.last().unwrap_or(0)
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

/// Digits after the separator when `s` is a number like "-12,5" (with `sep` = ',').
pub(super) fn decimal_part(s: &str, sep: char) -> Option<usize> {
    let (a, b) = s.split_once(sep)?;
    let a = a.strip_prefix('-').unwrap_or(a);
    (a.bytes().all(|c| c.is_ascii_digit())
        && !b.is_empty()
        && b.bytes().all(|c| c.is_ascii_digit())
        && !(a.is_empty() && sep == ','))
        .then_some(b.len())
}

pub(super) fn unique_names(header: &[String], width: usize) -> Vec<String> {
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
pub(super) fn clean_name(h: &str) -> String {
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
