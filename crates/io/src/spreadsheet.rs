//! Workbooks (.xlsx, .xlsm, .xls, .xlsb, .ods) read from bytes with `calamine`, one
//! sheet at a time, keeping each cell's type: numbers, dates (Excel serial dates become
//! ISO 8601 text), booleans, errors and text stay distinct ([`CellKind`]).
//!
//! The sheet is chosen by name ([`TableOptions::sheet`]); by default the first sheet that
//! holds a table (two filled rows or more), so a leading note sheet is passed over. Row numbers reported later are the sheet's own row numbers (as Excel shows
//! them), blank rows are skipped, and the header row is detected as for text: a row of
//! text above typed cells. Leading title rows (a single filled cell above a wider table)
//! are skipped and noted.
//!
//! # References
//! R readxl `read_excel(path, sheet)` reads the same cells (the golden tests compare).

#![cfg(feature = "spreadsheet")]

use crate::error::TableError;
use crate::table::{Builder, CellKind, Source, Table, TableOptions, WorkbookFormat};
use calamine::{open_workbook_auto_from_rs, Data, Reader, Sheets};
use std::borrow::Cow;
use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

type Workbook<'a> = Sheets<Cursor<&'a [u8]>>;

const OLE_SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn workbook_error(e: impl std::fmt::Display) -> TableError {
    TableError::Malformed {
        line: None,
        message: format!(
            "the workbook could not be read ({e}); if it is damaged or password-protected, open it in Excel or LibreOffice and save it again, or save the sheet as CSV"
        ),
    }
}

/// Runs `f` on the workbook reader, turning a panic inside the reader (a malformed file
/// the library did not expect) into an error rather than taking the page down.
fn guarded<T>(f: impl FnOnce() -> Result<T, TableError>) -> Result<T, TableError> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(workbook_error(
            "the reader stopped on an unexpected structure",
        ))
    })
}

/// The bytes calamine may safely read: an .xls is padded to whole sectors (calamine
/// panics on a partial last sector) and its structure checked ([`check_ole`]).
fn safe_bytes(bytes: &[u8]) -> Result<Cow<'_, [u8]>, TableError> {
    if !bytes.starts_with(&OLE_SIGNATURE) {
        return Ok(Cow::Borrowed(bytes));
    }
    let sector = match bytes.get(30..32) {
        Some([12, 0]) => 4096,
        _ => 512,
    };
    let bytes = if bytes.len().is_multiple_of(sector) {
        Cow::Borrowed(bytes)
    } else {
        let mut padded = bytes.to_vec();
        padded.resize(bytes.len().div_ceil(sector) * sector, 0);
        Cow::Owned(padded)
    };
    check_ole(&bytes).map_err(workbook_error)?;
    Ok(bytes)
}

/// The most an .xlsx or .ods may unpack to (the sum of its parts' declared sizes). The
/// largest sheet Excel can hold (1,048,576 rows) of a trial's dozen columns is well under
/// this; a "zip bomb" that would fill the tab's memory is far over it. The zip reader
/// stops each part at its declared size, so the declared sizes bound the real ones.
pub const MAX_UNPACKED_BYTES: u128 = 2 << 30;

/// Refuses a zip-based workbook whose parts declare more than [`MAX_UNPACKED_BYTES`].
fn check_unpacked_size(bytes: &[u8]) -> Result<(), TableError> {
    if !bytes.starts_with(b"PK") {
        return Ok(());
    }
    // A zip the reader cannot open is left for calamine to report.
    let Ok(archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    match archive.decompressed_size() {
        Some(n) if n > MAX_UNPACKED_BYTES => Err(TableError::Malformed {
            line: None,
            message: format!(
                "the workbook would unpack to {:.1} GB, more than the {} GB a sheet can need; it is damaged or not a workbook — save the sheet as CSV",
                n as f64 / 1e9,
                MAX_UNPACKED_BYTES >> 30
            ),
        }),
        _ => Ok(()),
    }
}

fn open(bytes: &[u8]) -> Result<(Workbook<'_>, WorkbookFormat), TableError> {
    check_unpacked_size(bytes)?;
    guarded(|| {
        let wb = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(workbook_error)?;
        let format = match &wb {
            Sheets::Xls(_) => WorkbookFormat::Xls,
            Sheets::Xlsx(_) => WorkbookFormat::Xlsx,
            Sheets::Xlsb(_) => WorkbookFormat::Xlsb,
            Sheets::Ods(_) => WorkbookFormat::Ods,
        };
        Ok((wb, format))
    })
}

/// The names of the sheets of a workbook, in workbook order.
///
/// # Errors
/// [`TableError::Malformed`] when the bytes are not a readable workbook.
pub fn sheet_names(bytes: &[u8]) -> Result<Vec<String>, TableError> {
    let bytes = safe_bytes(bytes)?;
    let (wb, _) = open(&bytes)?;
    Ok(wb.sheet_names())
}

/// Reads one sheet of a workbook into a table (see the module documentation).
///
/// # Errors
/// [`TableError::Malformed`] for an unreadable workbook or a sheet that does not exist,
/// [`TableError::Empty`] when no sheet (or not the one chosen) has cells,
/// [`TableError::NoDataRows`] for a header alone.
pub fn read(bytes: &[u8], options: &TableOptions) -> Result<Table, TableError> {
    let bytes = safe_bytes(bytes)?;
    let (mut wb, format) = open(&bytes)?;
    let sheets = wb.sheet_names();
    let mut notes = Vec::new();
    let sheet = match &options.sheet {
        Some(name) => {
            if !sheets.iter().any(|s| s == name) {
                return Err(TableError::Malformed {
                    line: None,
                    message: format!(
                        "the workbook has no sheet \"{name}\"; its sheets are: {}",
                        sheets.join(", ")
                    ),
                });
            }
            name.clone()
        }
        None => {
            // The first sheet that looks like data (rows of two or more cells, with
            // numbers or dates among them): a leading "README", a codebook or a cover
            // sheet with notes is passed over, and said so. Failing that, the first
            // sheet holding a table, then the first with cells.
            let mut best: Option<(u8, String)> = None;
            for name in &sheets {
                let shape = guarded(|| sheet_shape(&mut wb, name))?;
                let rank = match shape {
                    Shape {
                        wide_rows,
                        typed: true,
                        ..
                    } if wide_rows >= 2 => 3,
                    Shape { wide_rows, .. } if wide_rows >= 2 => 2,
                    Shape { filled: true, .. } => 1,
                    _ => 0,
                };
                if rank == 3 {
                    best = Some((rank, name.clone()));
                    break;
                }
                if rank > best.as_ref().map_or(0, |b| b.0) {
                    best = Some((rank, name.clone()));
                }
            }
            let chosen = best.map(|b| b.1).ok_or(TableError::Empty)?;
            if sheets.first() != Some(&chosen) {
                notes.push(format!(
                    "sheet \"{chosen}\" was read, the first that looks like data; the workbook's sheets are: {} (choose another under \"Sheet\", or --sheet)",
                    sheets.join(", ")
                ));
            }
            chosen
        }
    };
    let builder = guarded(|| match &mut wb {
        Sheets::Xlsx(x) => xlsx_rows(x, &sheet),
        other => {
            let range = other.worksheet_range(&sheet).map_err(workbook_error)?;
            range_rows(&range)
        }
    })?;
    let source = Source::Workbook {
        format,
        sheet,
        sheets,
    };
    builder.finish(options, ',', source, notes)
}

/// What the first rows of a sheet look like, for choosing the sheet to open.
#[derive(Debug, Clone, Copy, Default)]
struct Shape {
    /// Whether any cell is filled.
    filled: bool,
    /// Rows with two or more filled cells (counted up to 3).
    wide_rows: usize,
    /// Whether a number, date or boolean cell was seen in those rows.
    typed: bool,
}

/// Cells looked at per sheet when choosing which to open.
const SHAPE_CELLS: usize = 2_000;

fn sheet_shape(wb: &mut Workbook<'_>, name: &str) -> Result<Shape, TableError> {
    let mut shape = Shape::default();
    let mut row: Option<u32> = None;
    let mut in_row = 0usize;
    let mut row_typed = false;
    fn close(shape: &mut Shape, in_row: usize, row_typed: bool) {
        if in_row >= 2 {
            shape.wide_rows += 1;
            shape.typed |= row_typed;
        }
    }
    let mut see = |shape: &mut Shape, r: u32, kind: CellKind| -> bool {
        if kind == CellKind::Empty {
            return false;
        }
        shape.filled = true;
        if row != Some(r) {
            close(shape, in_row, row_typed);
            row = Some(r);
            in_row = 0;
            row_typed = false;
        }
        in_row += 1;
        row_typed |= matches!(kind, CellKind::Number | CellKind::Date | CellKind::Bool);
        shape.wide_rows >= 3 && shape.typed
    };
    if let Sheets::Xlsx(x) = wb {
        let mut cells = x.worksheet_cells_reader(name).map_err(workbook_error)?;
        let mut n = 0;
        while let Some(cell) = cells.next_cell().map_err(workbook_error)? {
            let value: Data = cell.get_value().clone().into();
            n += 1;
            if see(&mut shape, cell.get_position().0, convert(&value).1) || n > SHAPE_CELLS {
                break;
            }
        }
    } else {
        let range = wb.worksheet_range(name).map_err(workbook_error)?;
        'rows: for (r, cells) in range.rows().enumerate().take(SHAPE_CELLS) {
            for c in cells.iter().take(64) {
                if see(
                    &mut shape,
                    u32::try_from(r).unwrap_or(u32::MAX),
                    convert(c).1,
                ) {
                    break 'rows;
                }
            }
        }
    }
    close(&mut shape, in_row, row_typed);
    Ok(shape)
}

/// The rows of an .xlsx sheet, streamed cell by cell: only filled cells are held, so a
/// stray value far from the table (cell XFD1048576) costs nothing, where a dense range
/// of the sheet's bounding box would not fit in memory.
fn xlsx_rows(x: &mut calamine::Xlsx<Cursor<&[u8]>>, name: &str) -> Result<Builder, TableError> {
    let mut cells = x.worksheet_cells_reader(name).map_err(workbook_error)?;
    let mut builder = Builder::new(true);
    let mut row: Vec<(usize, String, CellKind)> = Vec::new();
    let mut current: Option<u32> = None;
    let flush = |builder: &mut Builder, row: &mut Vec<(usize, String, CellKind)>, r: u32| {
        let width = row.iter().map(|(c, _, _)| c + 1).max().unwrap_or(0);
        let kept = builder.push_row(
            u64::from(r) + 1,
            width,
            row.iter().map(|(c, t, k)| (*c, t.as_str(), *k)),
        );
        row.clear();
        kept.map(|_| ())
    };
    while let Some(cell) = cells.next_cell().map_err(workbook_error)? {
        let (r, c) = cell.get_position();
        let value: Data = cell.get_value().clone().into();
        let (text, kind) = convert(&value);
        if kind == CellKind::Empty {
            continue;
        }
        if current.is_some_and(|cur| cur != r) {
            flush(&mut builder, &mut row, current.unwrap_or(0))?;
        }
        current = Some(r);
        let c = usize::try_from(c).unwrap_or(usize::MAX);
        if c >= crate::table::MAX_COLUMNS {
            return Err(TableError::Malformed {
                line: Some(u64::from(r) + 1),
                message: format!(
                    "row {} has a cell beyond column {}, Excel's last",
                    r + 1,
                    crate::table::MAX_COLUMNS
                ),
            });
        }
        row.push((c, text.into_owned(), kind));
    }
    if let Some(r) = current {
        flush(&mut builder, &mut row, r)?;
    }
    builder.drop_leading_empty_columns();
    Ok(builder)
}

/// The rows of a sheet read as a range (.xls, .xlsb, .ods).
fn range_rows(range: &calamine::Range<Data>) -> Result<Builder, TableError> {
    let (row0, _) = range.start().unwrap_or((0, 0));
    let mut builder = Builder::new(true);
    for (i, cells) in range.rows().enumerate() {
        let converted: Vec<(Cow<'_, str>, CellKind)> = cells.iter().map(convert).collect();
        if converted.iter().all(|(_, k)| *k == CellKind::Empty) {
            continue;
        }
        let line = u64::from(row0) + i as u64 + 1;
        builder.push_row(
            line,
            converted.len(),
            converted
                .iter()
                .enumerate()
                .map(|(c, (text, kind))| (c, text.as_ref(), *kind)),
        )?;
    }
    Ok(builder)
}

/// One workbook cell as text and kind.
fn convert(cell: &Data) -> (Cow<'_, str>, CellKind) {
    match cell {
        Data::Empty => (Cow::Borrowed(""), CellKind::Empty),
        Data::String(s) => {
            let s = s.trim();
            let kind = if s.is_empty() {
                CellKind::Empty
            } else {
                CellKind::Text
            };
            (Cow::Borrowed(s), kind)
        }
        Data::Int(i) => (Cow::Owned(i.to_string()), CellKind::Number),
        // Rust's shortest round-trip formatting: the text reads back to the same double.
        Data::Float(f) => (Cow::Owned(f.to_string()), CellKind::Number),
        Data::Bool(b) => (
            Cow::Borrowed(if *b { "TRUE" } else { "FALSE" }),
            CellKind::Bool,
        ),
        Data::DateTime(dt) if dt.is_duration() => {
            // A duration ("[h]:mm") is a number of days.
            (Cow::Owned(dt.as_f64().to_string()), CellKind::Number)
        }
        Data::DateTime(dt) => {
            let (y, mo, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
            if dt.as_f64() < 1.0 {
                // A time of day without a date.
                return (Cow::Owned(format!("{h:02}:{mi:02}:{s:02}")), CellKind::Text);
            }
            let text = if (h, mi, s, ms) == (0, 0, 0, 0) {
                format!("{y:04}-{mo:02}-{d:02}")
            } else {
                format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
            };
            (Cow::Owned(text), CellKind::Date)
        }
        Data::DateTimeIso(s) => {
            let kind = if crate::dates::parse_date(s, crate::dates::DateOrder::Ymd).is_ok() {
                CellKind::Date
            } else {
                CellKind::Text
            };
            (Cow::Owned(s.replacen('T', " ", 1)), kind)
        }
        Data::DurationIso(s) => (Cow::Borrowed(s.as_str()), CellKind::Text),
        Data::Error(e) => (Cow::Owned(e.to_string()), CellKind::Error),
    }
}

/// Sector numbers at or above this are markers (end of chain, free, FAT, DIFAT).
const RESERVED_SECTOR: u32 = 0xFFFF_FFFA;
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const FREE_SECTOR: u32 = 0xFFFF_FFFF;

/// Checks the structure of an OLE compound file (.xls) before calamine reads it: the
/// sector chains must end, and stay inside the file. calamine 0.38 follows a chain until
/// its end marker, so a damaged .xls whose chain loops allocates without bound, and one
/// whose chain points past the allocation table panics; the fuzz target found both.
/// The checks mirror how calamine reads the file (MS-CFB: header, DIFAT, FAT, directory,
/// mini FAT) and refuse what it cannot read safely.
///
/// # References
/// Microsoft, "[MS-CFB]: Compound File Binary File Format", sections 2.2–2.6.
fn check_ole(bytes: &[u8]) -> Result<(), String> {
    let u16_at = |o: usize| {
        bytes
            .get(o..o + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
    };
    let u32_at = |b: &[u8], o: usize| {
        b.get(o..o + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    };
    let sector_size: usize = match u16_at(30) {
        Some(9) => 512,
        Some(12) => 4096,
        _ => return Err("not a valid .xls file (bad sector size)".into()),
    };
    if bytes.len() < sector_size || !bytes.len().is_multiple_of(sector_size) {
        return Err(format!(
            "the .xls file is cut short ({} bytes, not whole {sector_size}-byte sectors)",
            bytes.len()
        ));
    }
    let n_sectors = bytes.len() / sector_size - 1;
    let sector = |id: u32| -> Option<&[u8]> {
        let start = (id as usize).checked_add(1)?.checked_mul(sector_size)?;
        bytes.get(start..start + sector_size)
    };
    let header = &bytes[..512];
    // DIFAT: 109 entries in the header, then a chain of DIFAT sectors.
    let mut difat: Vec<u32> = (0..109)
        .filter_map(|i| u32_at(header, 76 + 4 * i))
        .collect();
    let mut next = u32_at(header, 68).unwrap_or(END_OF_CHAIN);
    let mut steps = 0;
    while next < RESERVED_SECTOR {
        steps += 1;
        let s = sector(next).filter(|_| steps <= n_sectors + 1);
        let s = s.ok_or("the .xls file's sector list (DIFAT) is damaged")?;
        difat.extend((0..sector_size / 4).filter_map(|i| u32_at(s, 4 * i)));
        next = difat.pop().unwrap_or(END_OF_CHAIN);
    }
    let mut fat: Vec<u32> = Vec::new();
    for id in difat.into_iter().filter(|&id| id < 0xFFFF_FFFC) {
        let s = sector(id).ok_or("the .xls file's allocation table points past its end")?;
        fat.extend((0..sector_size / 4).filter_map(|i| u32_at(s, 4 * i)));
    }
    check_chains(&fat, n_sectors, "allocation table")?;
    // Reads a whole chain of the FAT (it ends and stays in the file, by now).
    let chain = |start: u32| -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        let mut id = start;
        while id != END_OF_CHAIN {
            let s = sector(id).ok_or("a sector chain points past the end of the .xls file")?;
            out.extend_from_slice(s);
            id = *fat
                .get(id as usize)
                .ok_or("a sector chain leaves the allocation table")?;
        }
        Ok(out)
    };
    let dirs = chain(u32_at(header, 48).unwrap_or(END_OF_CHAIN))?;
    let entries: Vec<(u8, u32, u64, String)> = dirs
        .chunks_exact(128)
        .map(|e| {
            let size = if sector_size == 512 {
                u64::from(u32_at(e, 120).unwrap_or(0))
            } else {
                e.get(120..128).map_or(0, |b| {
                    u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
                })
            };
            let name_len = usize::from(u16::from_le_bytes([e[64], e[65]])).min(64);
            let units: Vec<u16> = e[..name_len]
                .chunks_exact(2)
                .map(|b| u16::from_le_bytes([b[0], b[1]]))
                .take_while(|&u| u != 0)
                .collect();
            let name = String::from_utf16_lossy(&units);
            (e[66], u32_at(e, 116).unwrap_or(END_OF_CHAIN), size, name)
        })
        .collect();
    // The root entry (type 5) holds the mini stream, in the FAT.
    let (root_type, root_start, root_size) = entries
        .first()
        .map_or((0, END_OF_CHAIN, 0), |e| (e.0, e.1, e.2));
    let mut mini_stream = if root_type == 5 && root_start < RESERVED_SECTOR {
        chain(root_start)?
    } else {
        Vec::new()
    };
    mini_stream.truncate(usize::try_from(root_size).unwrap_or(usize::MAX));
    let mini_sectors = mini_stream.len() / 64;
    let mini_fat_len = u32_at(header, 64).unwrap_or(0) as usize;
    let mini_fat: Vec<u32> = if mini_fat_len > 0 {
        let raw = chain(u32_at(header, 60).unwrap_or(END_OF_CHAIN))?;
        let n = (mini_fat_len.saturating_mul(sector_size)).min(raw.len()) / 4;
        (0..n).filter_map(|i| u32_at(&raw, 4 * i)).collect()
    } else {
        Vec::new()
    };
    check_chains(&mini_fat, mini_sectors, "mini allocation table")?;
    // calamine finds streams by name whatever their entry type, so every entry but the
    // root is checked.
    for &(_, start, size, _) in entries.iter().skip(1) {
        if size > u64::from(u32::MAX) / 2 {
            return Err("a stream of the .xls file claims an impossible size".into());
        }
        if start >= RESERVED_SECTOR || size == 0 {
            continue;
        }
        // Small streams live in the mini stream.
        let (table, limit) = if size < 4096 {
            (&mini_fat, mini_sectors)
        } else {
            (&fat, n_sectors)
        };
        if start as usize >= table.len() || start as usize >= limit {
            return Err("a stream of the .xls file starts outside its allocation table".into());
        }
    }
    // The sheets' extent, from the workbook stream (calamine builds every sheet as a dense
    // range of its bounding box when it opens the file).
    // As calamine: the first entry named "Workbook", else the first named "Book".
    let workbook = ["Workbook", "Book"]
        .iter()
        .find_map(|name| entries.iter().find(|e| e.3.eq_ignore_ascii_case(name)));
    if let Some(&(_, start, size, _)) = workbook {
        let size = usize::try_from(size).unwrap_or(usize::MAX);
        let mut stream = Vec::new();
        let mut id = start;
        if size < 4096 {
            while id < RESERVED_SECTOR && stream.len() < size {
                let at = id as usize * 64;
                let bytes = mini_stream
                    .get(at..at + 64)
                    .ok_or("a mini stream chain leaves the .xls file")?;
                stream.extend_from_slice(bytes);
                id = *mini_fat
                    .get(id as usize)
                    .ok_or("a mini stream chain leaves its table")?;
            }
        } else {
            stream = chain(start)?;
        }
        stream.truncate(size);
        check_biff_extent(&stream)?;
    }
    Ok(())
}

/// Most cells a workbook sheet may span (rows × columns of the box around its filled
/// cells): 4,194,304, e.g. 65,536 rows × 64 columns. calamine holds the whole box in
/// memory, 32 bytes a cell, so a stray value far from the table could exhaust it.
const MAX_SHEET_CELLS: u64 = 1 << 22;

/// Checks, record by record, that no sheet of a BIFF workbook stream spans more than
/// [`MAX_SHEET_CELLS`] cells.
///
/// # References
/// Microsoft, "[MS-XLS]: Excel Binary File Format", 2.1.4 (records), 2.4.21 (BOF),
/// 2.4.103 (EOF) and the cell records (BLANK, NUMBER, LABEL, BOOLERR, RK, LABELSST,
/// FORMULA, RSTRING, MULRK, MULBLANK): each starts with its row and column.
fn check_biff_extent(stream: &[u8]) -> Result<(), String> {
    let u16_at = |b: &[u8], o: usize| b.get(o..o + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
    type Box4 = Option<(u16, u16, u16, u16)>;
    let check = |b: Box4| -> Result<(), String> {
        if let Some((r0, r1, c0, c1)) = b {
            let rows = u64::from(r1) - u64::from(r0) + 1;
            let cols = u64::from(c1) - u64::from(c0) + 1;
            if rows * cols > MAX_SHEET_CELLS {
                return Err(format!(
                    "a sheet spans {rows} rows × {cols} columns (cells far apart), more than this reader holds; delete stray cells far from the table, or save the sheet as CSV"
                ));
            }
        }
        Ok(())
    };
    let mut bounds: Box4 = None;
    let mut pos = 0usize;
    while let (Some(kind), Some(len)) = (u16_at(stream, pos), u16_at(stream, pos + 2)) {
        let end = (pos + 4 + usize::from(len)).min(stream.len());
        let data = stream.get(pos + 4..end).unwrap_or(&[]);
        pos += 4 + usize::from(len);
        let cell = match kind {
            // BOF and EOF: a sheet (or the workbook globals) starts or ends.
            0x0809 | 0x000A => {
                check(bounds.take())?;
                None
            }
            0x0201 | 0x0203 | 0x0204 | 0x0205 | 0x027E | 0x00FD | 0x0006 | 0x00D6 => {
                u16_at(data, 0).zip(u16_at(data, 2)).map(|(r, c)| (r, c, c))
            }
            0x00BD | 0x00BE if data.len() >= 6 => {
                let span = u16_at(data, 0)
                    .zip(u16_at(data, 2))
                    .zip(u16_at(data, data.len() - 2));
                // A last column before the first (calamine subtracts them).
                if span.is_some_and(|((_, a), b)| b < a) {
                    return Err("a cell record of the .xls file is damaged".into());
                }
                span.map(|((r, a), b)| (r, a, b))
            }
            _ => None,
        };
        if let Some((r, c0, c1)) = cell {
            bounds = Some(match bounds {
                None => (r, r, c0, c1),
                Some((r0, r1, a, b)) => (r0.min(r), r1.max(r), a.min(c0), b.max(c1)),
            });
        }
    }
    check(bounds)
}

/// Every chain of an allocation table must end: no loops, and no link from or to a
/// sector past `limit` (the sectors the file, or the mini stream, holds).
fn check_chains(table: &[u32], limit: usize, what: &str) -> Result<(), String> {
    // 0 = not seen, 1 = on the current path, 2 = known to end.
    let mut state = vec![0u8; table.len()];
    for first in 0..table.len() {
        if table[first] == FREE_SECTOR {
            continue;
        }
        let mut path = Vec::new();
        let mut id = first;
        loop {
            match state[id] {
                2 => break,
                1 => return Err(format!("the .xls file's {what} has a loop")),
                _ => {}
            }
            if id >= limit {
                return Err(format!(
                    "the .xls file's {what} points past the end of the data"
                ));
            }
            state[id] = 1;
            path.push(id);
            let next = table[id];
            if next >= RESERVED_SECTOR {
                break;
            }
            if next as usize >= table.len() {
                return Err(format!("the .xls file's {what} points outside itself"));
            }
            id = next as usize;
        }
        for p in path {
            state[p] = 2;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A BIFF record: type, length, data.
    fn record(kind: u16, data: &[u8]) -> Vec<u8> {
        let mut r = kind.to_le_bytes().to_vec();
        r.extend_from_slice(&(data.len() as u16).to_le_bytes());
        r.extend_from_slice(data);
        r
    }

    fn number(row: u16, col: u16) -> Vec<u8> {
        let mut d = row.to_le_bytes().to_vec();
        d.extend_from_slice(&col.to_le_bytes());
        d.extend_from_slice(&[0; 10]);
        record(0x0203, &d)
    }

    #[test]
    fn sheet_extent_is_bounded() {
        let bof = record(0x0809, &[0; 16]);
        let eof = record(0x000A, &[]);
        let sheet = |cells: &[(u16, u16)]| {
            let mut s = bof.clone();
            for &(r, c) in cells {
                s.extend(number(r, c));
            }
            s.extend(eof.clone());
            s
        };
        assert_eq!(check_biff_extent(&sheet(&[(0, 0), (999, 20)])), Ok(()));
        // 65,536 rows × 256 columns: the box calamine would allocate is too large.
        let e = check_biff_extent(&sheet(&[(0, 0), (65_535, 255)]));
        assert!(e.is_err_and(|m| m.contains("65536 rows × 256 columns")));
        // Sheets are bounded one by one: two small sheets far apart in the stream are fine.
        let mut two = sheet(&[(0, 0), (10, 10)]);
        two.extend(sheet(&[(60_000, 200), (60_010, 210)]));
        assert_eq!(check_biff_extent(&two), Ok(()));
        // A MULRK whose last column is before its first is refused.
        let mut d = 5u16.to_le_bytes().to_vec();
        d.extend_from_slice(&9u16.to_le_bytes());
        d.extend_from_slice(&[0; 6]);
        d.extend_from_slice(&3u16.to_le_bytes());
        let mut s = bof.clone();
        s.extend(record(0x00BD, &d));
        assert!(check_biff_extent(&s).is_err());
    }
}
