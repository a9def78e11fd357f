//! Delimited text read row by row into counts per (group, distinct time), never holding
//! the rows: a registry extract of 10⁸ rows is analysed in memory bounded by its distinct
//! times (issue 15). Patient rows (one per patient) and aggregated rows (a count column,
//! as a SQL `GROUP BY` writes them) are both taken.
//!
//! The columns are named, not guessed: guessing needs the whole file. The event column
//! holds 0/1 (also `true`/`false`, `yes`/`no`), or the values given by
//! [`StreamMapping::event_values`] and [`StreamMapping::censored_values`]. A time, event,
//! group or count cell that is empty or `NA` leaves its row out, as R's `na.omit`; the
//! rows left out are counted by reason, with the first row of each. Any other value that
//! cannot be read stops with an error naming its row and column.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use survcalc_stats::counts::{CountAccumulator, CountTable};

/// Which columns hold what.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StreamMapping {
    /// The follow-up time column (a number ≥ 0 in the file's own unit).
    pub time: String,
    /// The event column.
    pub event: String,
    /// The group (arm) column; `None`: one group, "All".
    pub group: Option<String>,
    /// The column of patient counts of an aggregated table; `None`: one row per patient.
    pub count: Option<String>,
    /// Values of the event column meaning an event; empty: `1`, `true`, `yes`.
    pub event_values: Vec<String>,
    /// Values meaning censored; empty: `0`, `false`, `no`.
    pub censored_values: Vec<String>,
    /// The delimiter; `None`: the first line's most frequent of comma, tab, semicolon and
    /// pipe.
    pub delimiter: Option<u8>,
}

/// Rows left out for one reason.
#[derive(Debug, Clone, PartialEq)]
pub struct LeftOut {
    /// Why, e.g. "missing time".
    pub reason: String,
    /// How many rows.
    pub rows: u64,
    /// The first such row, as the file numbers its lines (the header is row 1).
    pub first_row: u64,
}

/// What streaming a file gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Streamed {
    /// The counts per group and distinct time.
    pub table: CountTable,
    /// Data rows read (after the header).
    pub rows: u64,
    /// Rows left out, by reason.
    pub left_out: Vec<LeftOut>,
}

/// Why a stream could not be read; each names the row and column and what to do.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamError {
    /// Reading or parsing the text failed.
    Read {
        /// The row, as the file numbers its lines.
        row: u64,
        /// The reader's message.
        message: String,
    },
    /// A named column is not in the header.
    NoColumn {
        /// The column asked for.
        column: String,
        /// The header's columns.
        columns: Vec<String>,
    },
    /// A cell holds a value that cannot be read.
    BadValue {
        /// The row, as the file numbers its lines.
        row: u64,
        /// The column.
        column: String,
        /// The value.
        value: String,
        /// What the column must hold.
        expected: String,
    },
    /// No row could be analysed.
    NoRows {
        /// Rows read.
        rows: u64,
    },
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Read { row, message } => write!(f, "row {row}: {message}"),
            StreamError::NoColumn { column, columns } => write!(
                f,
                "there is no column \"{column}\"; the header has: {}",
                columns.join(", ")
            ),
            StreamError::BadValue {
                row,
                column,
                value,
                expected,
            } => write!(
                f,
                "row {row}, column \"{column}\": \"{value}\" is not {expected}; correct the \
                 value, or leave the cell empty to leave the row out"
            ),
            StreamError::NoRows { rows } => write!(
                f,
                "none of the {rows} rows can be analysed: each misses its time, event, group \
                 or count"
            ),
        }
    }
}

impl std::error::Error for StreamError {}

/// True for a cell that means "missing": empty, `NA`, `.` (SAS) or `NaN`.
fn missing(s: &str) -> bool {
    matches!(s, "" | "NA" | "." | "NaN" | "na" | "N/A")
}

/// The delimiter most frequent in `line` among comma, tab, semicolon and pipe (comma when
/// none occurs).
fn sniff(line: &[u8]) -> u8 {
    [b',', b'\t', b';', b'|']
        .into_iter()
        .max_by_key(|d| (line.iter().filter(|c| *c == d).count(), *d == b','))
        .unwrap_or(b',')
}

/// Reads `reader` row by row into counts.
///
/// # Errors
/// A [`StreamError`] naming the row and column of the first cell that cannot be read, a
/// column that is not in the header, or a file with no row to analyse.
pub fn stream_counts<R: Read>(reader: R, map: &StreamMapping) -> Result<Streamed, StreamError> {
    let mut buf = BufReader::with_capacity(1 << 16, reader);
    let delimiter = match map.delimiter {
        Some(d) => d,
        None => {
            let head = buf.fill_buf().map_err(|e| StreamError::Read {
                row: 1,
                message: e.to_string(),
            })?;
            let end = head.iter().position(|&c| c == b'\n').unwrap_or(head.len());
            sniff(&head[..end])
        }
    };
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .from_reader(buf);
    let header: Vec<String> = csv
        .headers()
        .map_err(|e| StreamError::Read {
            row: 1,
            message: e.to_string(),
        })?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| StreamError::NoColumn {
                column: name.to_string(),
                columns: header.clone(),
            })
    };
    let (ti, ei) = (col(&map.time)?, col(&map.event)?);
    let gi = map.group.as_deref().map(col).transpose()?;
    let ci = map.count.as_deref().map(col).transpose()?;
    let event_values: Vec<String> = if map.event_values.is_empty() {
        ["1", "true", "yes"].map(String::from).to_vec()
    } else {
        map.event_values.clone()
    };
    let censored_values: Vec<String> = if map.censored_values.is_empty() {
        ["0", "false", "no"].map(String::from).to_vec()
    } else {
        map.censored_values.clone()
    };
    let is = |v: &str, set: &[String]| set.iter().any(|s| s.eq_ignore_ascii_case(v));

    let mut acc = CountAccumulator::new();
    let mut left: BTreeMap<&'static str, (u64, u64)> = BTreeMap::new();
    let mut rows = 0u64;
    let mut record = csv::ByteRecord::new();
    loop {
        let more = csv
            .read_byte_record(&mut record)
            .map_err(|e| StreamError::Read {
                row: e.position().map_or(rows + 2, |p| p.line()),
                message: format!("{e}; check the delimiter and the quoting"),
            })?;
        if !more {
            break;
        }
        rows += 1;
        let row = record.position().map_or(rows + 1, |p| p.line());
        let cell = |i: usize| std::str::from_utf8(record.get(i).unwrap_or_default());
        let text = |i: usize, column: &str| {
            cell(i).map_err(|_| StreamError::BadValue {
                row,
                column: column.to_string(),
                value: String::from_utf8_lossy(record.get(i).unwrap_or_default()).into_owned(),
                expected: "UTF-8 text (save the file as UTF-8)".to_string(),
            })
        };
        let mut leave = |reason: &'static str| {
            let e = left.entry(reason).or_insert((0, row));
            e.0 += 1;
        };
        let t = text(ti, &map.time)?;
        let e = text(ei, &map.event)?;
        let g = match gi {
            Some(i) => text(i, map.group.as_deref().unwrap_or_default())?,
            None => "All",
        };
        if missing(t) {
            leave("missing time");
            continue;
        }
        if missing(e) {
            leave("missing event");
            continue;
        }
        if missing(g) {
            leave("missing group");
            continue;
        }
        let bad = |column: &str, value: &str, expected: &str| StreamError::BadValue {
            row,
            column: column.to_string(),
            value: value.to_string(),
            expected: expected.to_string(),
        };
        let time: f64 = match t.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => v,
            _ => {
                return Err(bad(
                    &map.time,
                    t,
                    "a time ≥ 0 (a number with a decimal point)",
                ))
            }
        };
        let event = if is(e, &event_values) {
            true
        } else if is(e, &censored_values) {
            false
        } else {
            let expected = format!(
                "an event ({}) or censored ({}) value; name the others with --event-value and \
                 --censored-value",
                event_values.join(", "),
                censored_values.join(", ")
            );
            return Err(bad(&map.event, e, &expected));
        };
        let count = match ci {
            None => 1,
            Some(i) => {
                let column = map.count.as_deref().unwrap_or_default();
                let c = text(i, column)?;
                if missing(c) {
                    leave("missing count");
                    continue;
                }
                match c.parse::<usize>() {
                    Ok(n) => n,
                    Err(_) => return Err(bad(column, c, "a whole number of patients ≥ 0")),
                }
            }
        };
        acc.add(time, event, g, count)
            .map_err(|_| bad(&map.time, t, "a time ≥ 0"))?;
    }
    let table = acc.finish().map_err(|_| StreamError::NoRows { rows })?;
    Ok(Streamed {
        table,
        rows,
        left_out: left
            .into_iter()
            .map(|(reason, (rows, first_row))| LeftOut {
                reason: reason.to_string(),
                rows,
                first_row,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map() -> StreamMapping {
        StreamMapping {
            time: "months".into(),
            event: "dead".into(),
            group: Some("arm".into()),
            ..StreamMapping::default()
        }
    }

    #[test]
    fn rows_and_aggregated_rows_give_one_table() {
        let rows = "months,dead,arm\n1.5,1,A\n1.5,1,A\n2,0,B\n3,1,B\n,1,A\n4,NA,B\n";
        let s = stream_counts(rows.as_bytes(), &map()).expect("reads");
        assert_eq!(s.rows, 6);
        assert_eq!(s.table.n(), 4);
        assert_eq!(
            s.left_out,
            vec![
                LeftOut {
                    reason: "missing event".into(),
                    rows: 1,
                    first_row: 7
                },
                LeftOut {
                    reason: "missing time".into(),
                    rows: 1,
                    first_row: 6
                },
            ]
        );
        let agg = "arm;months;dead;n\nA;1.5;1;2\nB;2;0;1\nB;3;1;1\nB;9;0;0\n";
        let a = stream_counts(
            agg.as_bytes(),
            &StreamMapping {
                count: Some("n".into()),
                ..map()
            },
        )
        .expect("reads");
        assert_eq!(a.table, s.table);
        assert_eq!(a.table.groups[0].events, vec![2]);
    }

    #[test]
    fn errors_name_row_and_column() {
        let e = stream_counts("months,dead,arm\n1,1,A\n2,2,B\n".as_bytes(), &map());
        let msg = e.expect_err("2 is not 0/1").to_string();
        assert!(msg.starts_with("row 3, column \"dead\": \"2\""), "{msg}");
        let e = stream_counts("months,dead,arm\n-1,1,A\n".as_bytes(), &map());
        assert!(e
            .expect_err("negative")
            .to_string()
            .contains("row 2, column \"months\""));
        let e = stream_counts("time,dead,arm\n1,1,A\n".as_bytes(), &map());
        assert_eq!(
            e.expect_err("no column").to_string(),
            "there is no column \"months\"; the header has: time, dead, arm"
        );
        let e = stream_counts("months,dead,arm\n,1,A\n".as_bytes(), &map());
        assert_eq!(e, Err(StreamError::NoRows { rows: 1 }));
        let named = StreamMapping {
            event_values: vec!["Dead".into()],
            censored_values: vec!["Alive".into()],
            group: None,
            ..map()
        };
        let s = stream_counts("months\tdead\n1\tdead\n2\tAlive\n".as_bytes(), &named)
            .expect("tab-delimited, named values");
        assert_eq!(s.table.groups[0].label, "All");
        assert_eq!(s.table.groups[0].censored, vec![0, 1]);
    }
}
