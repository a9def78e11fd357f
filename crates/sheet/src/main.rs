//! The page's workbook reader, built by Trunk as a module of its own
//! (`survcalc-sheet.js` and `survcalc-sheet_bg.wasm`). The page's module is built without
//! the io crate's `spreadsheet` feature (calamine, about 330 kB gzip, a quarter of the
//! page); its worker (`web/worker.js`) imports this module the first time the data is a
//! workbook and hands it to the io crate through `set_workbook_reader` (see
//! `survcalc_web::worker`). The page therefore downloads it only when it is needed (the
//! service worker keeps a copy for offline use).
//!
//! The table crosses between the two modules as JSON: both are built from the same io
//! crate, so [`survcalc_io::Table`]'s serde form is the same on both sides.

use survcalc_io::{Table, TableError, TableOptions};
use wasm_bindgen::prelude::*;

fn main() {}

/// Reads a workbook: `bytes` of an .xlsx, .xlsb, .xls or .ods, `options` the
/// [`TableOptions`] as JSON. Returns `Result<Table, TableError>` as JSON: errors about the
/// file are values, so that the page shows them as it shows a CSV's.
#[wasm_bindgen]
pub fn read_workbook(bytes: &[u8], options: &str) -> String {
    json(&read(bytes, options))
}

/// [`read_workbook`] before it is written as JSON.
fn read(bytes: &[u8], options: &str) -> Result<Table, TableError> {
    let options: TableOptions =
        serde_json::from_str(options).map_err(|e| TableError::Malformed {
            line: None,
            message: format!("the page sent reading options the workbook reader cannot read ({e})"),
        })?;
    survcalc_io::spreadsheet::read(bytes, &options)
}

fn json(result: &Result<Table, TableError>) -> String {
    serde_json::to_string(result).unwrap_or_else(|e| {
        // A table always serialises; say so plainly if it ever does not.
        let error: Result<Table, TableError> = Err(TableError::Malformed {
            line: None,
            message: format!("the workbook reader could not pass the table on ({e})"),
        });
        serde_json::to_string(&error).unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

    #[test]
    fn a_workbook_crosses_as_json_and_reads_back_the_same() {
        let bytes = std::fs::read(format!("{ROOT}/tests/corpus/trial.xlsx")).expect("corpus file");
        let options = TableOptions::default();
        let direct = survcalc_io::spreadsheet::read(&bytes, &options).expect("a workbook");
        let text = read_workbook(&bytes, &serde_json::to_string(&options).expect("options"));
        let back: Result<Table, TableError> = serde_json::from_str(&text).expect("JSON");
        assert_eq!(back.expect("read"), direct);
        assert!(direct.n_rows() > 10, "{}", direct.n_rows());
    }

    #[test]
    fn errors_cross_as_values() {
        let text = read_workbook(b"PK\x03\x04 not a zip", "{}");
        let back: Result<Table, TableError> = serde_json::from_str(&text).expect("JSON");
        assert!(back.is_err(), "{text}");
        let text = read_workbook(b"PK\x03\x04", "not json");
        let back: Result<Table, TableError> = serde_json::from_str(&text).expect("JSON");
        assert!(
            matches!(&back, Err(TableError::Malformed { message, .. }) if message.contains("reading options")),
            "{back:?}"
        );
    }
}
