//! Delimited text into rows: the delimiter, quotes that run on (read line by line so that
//! no row is lost), web pages and binary files refused with a message.

use super::*;

/// Reads delimited text (already decoded).
pub(super) fn read_text(
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
        if let Some(last) = builder.lines.last() {
            notes.push(format!(
                "a quote (\") is opened and never closed, so the text from line {last} to the end was read as one row: check the quotes on that line"
            ));
        }
    }
    builder.finish(options, delimiter, source, notes)
}

/// Reads `chunk` (whole lines of the text, the first at line `line`) line by line with
/// quotes as ordinary characters, into `builder`; returns the number of lines read.
pub(super) fn read_lines_unquoted(
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
pub(super) fn size_hint(text: &str, delimiter: u8) -> (usize, usize) {
    let sample = &text.as_bytes()[..text.len().min(65_536)];
    let lines = sample.iter().filter(|&&b| b == b'\n').count().max(1);
    let fields = sample.iter().filter(|&&b| b == delimiter).count() / lines + 1;
    let rows = text.len() / (sample.len() / lines).max(1) + 1;
    (rows.min(text.len() / 2 + 1), text.len() / fields + 1)
}

/// Line breaks in `bytes[from..to]`: LF, CRLF and a lone CR each count once.
pub(super) fn count_line_breaks(bytes: &[u8], from: usize, to: usize) -> u64 {
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
pub(super) fn check_not_markup(text: &str) -> Result<(), TableError> {
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
pub(super) fn check_not_binary(text: &str, notes: &mut Vec<String>) -> Result<(), TableError> {
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
pub(super) fn detect_delimiter(text: &str) -> char {
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
