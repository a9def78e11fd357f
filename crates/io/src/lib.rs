//! # survcalc-io
//!
//! From bytes to validated data: text in any of the encodings clinical exports use
//! ([`encoding`]), delimited text and workbooks into a [`Table`] of cells ([`table`],
//! [`spreadsheet`]), dates and time units ([`dates`], [`units`]), and a table plus a
//! column [`Mapping`] into [`survcalc_stats::SurvData`] with every excluded row listed
//! ([`mapping`], [`endpoint`] for pairing times with their events by meaning).
//!
//! What this crate deliberately does not do: compute statistics (`survcalc-stats`, which
//! it feeds and which never depends on it), write reports (`survcalc-report`), or touch
//! files, networks or the browser: it takes bytes, strings, or a reader of bytes
//! ([`stream`], which counts rows as they are read).
#![deny(missing_docs)]

pub mod dates;
pub mod digitise;
pub mod encoding;
pub mod endpoint;
pub mod error;
pub mod mapping;
pub mod spreadsheet;
pub mod stream;
pub mod table;
pub mod units;

pub use dates::DateOrder;
pub use encoding::TextEncoding;
pub use error::{MappingError, TableError};
pub use mapping::{endpoints, guess, prepare, Endpoint, Exclusion, Mapping, Prepared};
pub use mapping::{DateSpan, GroupLabel, RowFilter};
pub use table::{CellKind, Source, WorkbookFormat};
pub use table::{Table, TableOptions};
pub use units::TimeUnit;
