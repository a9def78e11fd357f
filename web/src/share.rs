//! Share links: the whole analysis state in the URL fragment (after `#`, which browsers
//! never send to a server), optionally with the data.
//!
//! Format, version 1: `#survcalc=1.<state>[.<data>]`, where `<state>` is the JSON of a
//! [`ShareState`] and `<data>` the file's bytes, each compressed with raw DEFLATE (RFC
//! 1951) and written in base64url without padding (RFC 4648 §5). Every field of the state
//! has a default, so a link made before a field was added still opens; a link whose
//! version is newer than this page's is refused with a message saying so.
//!
//! A fragment is untrusted input: it is size-checked before and after inflating (no
//! decompression bomb), parsed by serde into plain data (nothing in it is ever run), and
//! what it names (columns, labels, a title) is shown as text like any cell.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use survcalc_core::report::TextStyle;
use survcalc_core::{AnalysisOptions, Endpoint, Mapping, TableOptions};
use survcalc_plot::FigureOptions;

/// The share-link format this page writes and the newest it reads.
pub const FORMAT: u32 = 1;
/// The fragment's key.
pub const KEY: &str = "survcalc=";
/// Longest link offered (characters). Chrome accepts 2 MB URLs, Firefox and Safari far
/// less in practice, and mail and chat programs cut long links; 64,000 characters open
/// in every current browser.
pub const MAX_LINK_CHARS: usize = 64_000;
/// Largest inflated state (a state is a few kilobytes; more is not a state).
const MAX_STATE_BYTES: usize = 1 << 20;
/// Largest inflated data carried by a link.
const MAX_DATA_BYTES: usize = 64 << 20;

/// Which data a state was made from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DataRef {
    /// File name (or "pasted text").
    pub name: String,
    /// Rows of data read.
    pub rows: usize,
    /// Size in bytes.
    pub bytes: usize,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
}

/// Everything a link restores.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ShareState {
    /// The data the state was made from.
    pub data: DataRef,
    /// Reading options.
    pub read: TableOptions,
    /// Column mapping (endpoint, arms, labels, order, units…).
    pub mapping: Mapping,
    /// Analysis settings.
    pub options: AnalysisOptions,
    /// Response column.
    pub response: Option<String>,
    /// Adverse-event columns.
    pub ae_columns: Vec<String>,
    /// AE grade range.
    pub ae_grades: Option<(u32, u32)>,
    /// Responder values.
    pub response_values: Vec<String>,
    /// AE term labels, as (column, label).
    pub ae_labels: Vec<(String, String)>,
    /// One AE row per worst grade.
    pub ae_by_grade: bool,
    /// Sentence style.
    pub text_style: TextStyle,
    /// Figure options of the current endpoint.
    pub figure: FigureOptions,
    /// Figure options of the other endpoints, by time column and filter (older links:
    /// none).
    #[serde(default)]
    pub figures: Vec<(String, FigureOptions)>,
    /// Each endpoint's time and event columns as the user paired them (older links: the
    /// table's own pairing).
    pub endpoints: Vec<Endpoint>,
    /// The subgroup variables as typed ("sex, age:65, ecog!").
    pub subgroups: String,
    /// The subgroup models without the primary analysis's strata.
    pub subgroups_unstratified: bool,
    /// The competing-risks event column (older links: none).
    pub competing_event: Option<String>,
    /// The cause of interest in it.
    pub competing_cause: Option<String>,
}

/// A link's content once read.
#[derive(Debug, Clone, PartialEq)]
pub struct Shared {
    /// The state.
    pub state: ShareState,
    /// The data, when the link carries it.
    pub data: Option<Vec<u8>>,
}

fn deflate(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(bytes, 9))
}

fn inflate(text: &str, limit: usize, what: &str) -> Result<Vec<u8>, String> {
    // Base64 of at most `limit` compressed bytes is a quick first bound.
    if text.len() > limit.saturating_mul(2) {
        return Err(format!("the link's {what} is too long"));
    }
    let packed = URL_SAFE_NO_PAD
        .decode(text.as_bytes())
        .map_err(|_| format!("the link's {what} is damaged (not base64url)"))?;
    miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, limit).map_err(|e| match e.status {
        miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
            format!("the link's {what} unpacks to more than {} MB", limit >> 20)
        }
        _ => format!("the link's {what} is damaged (it does not unpack)"),
    })
}

/// The data part of a link: the bytes deflated and base64url-encoded (the worker, which
/// holds the bytes, makes it).
pub fn pack_data(bytes: &[u8]) -> String {
    deflate(bytes)
}

/// The fragment (without `#`) for a state, with the data's bytes when given.
///
/// # Errors
/// As [`encode_packed`].
pub fn encode(state: &ShareState, data: Option<&[u8]>, base: &str) -> Result<String, String> {
    encode_packed(state, data.map(pack_data).as_deref(), base)
}

/// The fragment (without `#`) for a state, with data already packed by [`pack_data`].
///
/// # Errors
/// When the link would be longer than [`MAX_LINK_CHARS`] (with `base` = the page's
/// address without fragment, which counts too).
pub fn encode_packed(state: &ShareState, data: Option<&str>, base: &str) -> Result<String, String> {
    let json = serde_json::to_vec(state).map_err(|e| e.to_string())?;
    let mut s = format!("{KEY}{FORMAT}.{}", deflate(&json));
    if let Some(d) = data {
        s.push('.');
        s.push_str(d);
    }
    let len = base.len() + 1 + s.len();
    if len > MAX_LINK_CHARS {
        return Err(format!(
            "the link would be {} characters, more than the {} that every browser and mail program accepts{}",
            len,
            MAX_LINK_CHARS,
            if data.is_some() {
                "; share it without the data (the other person loads the same file)"
            } else {
                ""
            }
        ));
    }
    Ok(s)
}

/// Reads a fragment (with or without `#`). `Ok(None)` when it is not a survcalc link
/// (empty, or some other anchor).
///
/// # Errors
/// A message for a damaged link, or one from a newer survcalc.
pub fn decode(fragment: &str) -> Result<Option<Shared>, String> {
    let f = fragment.strip_prefix('#').unwrap_or(fragment);
    let Some(body) = f.strip_prefix(KEY) else {
        return Ok(None);
    };
    // Refused before any decoding: the page never makes a longer link, and a 2 MB
    // fragment would cost the page's thread seconds (issue 12).
    if f.len() > MAX_LINK_CHARS {
        return Err(format!(
            "the link is {} characters long, more than the {MAX_LINK_CHARS} a survcalc link has",
            f.len()
        ));
    }
    let mut parts = body.split('.');
    let version = parts.next().unwrap_or_default();
    let version: u32 = version
        .parse()
        .map_err(|_| "this is not a survcalc link (no format version)".to_string())?;
    if version == 0 || version > FORMAT {
        return Err(format!(
            "this link was made by a newer survcalc (link format {version}; this page reads up to {FORMAT}): open it with the current survcalc"
        ));
    }
    let state = parts.next().ok_or("the link has no analysis state")?;
    let json = inflate(state, MAX_STATE_BYTES, "analysis state")?;
    let state: ShareState = serde_json::from_slice(&json)
        .map_err(|e| format!("the link's analysis state cannot be read ({e})"))?;
    check_sizes(&state)?;
    let data = parts
        .next()
        .map(|d| inflate(d, MAX_DATA_BYTES, "data"))
        .transpose()?;
    if parts.next().is_some() {
        return Err("the link has more parts than a survcalc link".into());
    }
    Ok(Some(Shared { state, data }))
}

/// Most entries of a list a link may carry (group order and labels, AE columns and
/// labels, endpoints, responder values), and most characters of one text in it.
pub const MAX_LINK_LIST: usize = 1_000;
pub const MAX_LINK_TEXT: usize = 1_000;

/// The limits of a link's state, checked before the page uses it: the options as the
/// analysis checks them ([`survcalc_core::AnalysisOptions::validate`]), and lists and
/// texts short enough that showing them costs the page's thread nothing noticeable (a
/// 50,000-entry group order blocked it for 4.4 s).
fn check_sizes(s: &ShareState) -> Result<(), String> {
    s.options
        .validate()
        .map_err(|e| format!("the link's settings cannot be used: {e}"))?;
    let lists = [
        ("group order", s.mapping.group_order.len()),
        ("group labels", s.mapping.group_labels.len()),
        ("adverse-event columns", s.ae_columns.len()),
        ("adverse-event names", s.ae_labels.len()),
        ("endpoints", s.endpoints.len()),
        ("responder values", s.response_values.len()),
        ("figures", s.figures.len()),
    ];
    if let Some((what, n)) = lists.iter().find(|(_, n)| *n > MAX_LINK_LIST) {
        return Err(format!(
            "the link lists {n} {what}, more than the {MAX_LINK_LIST} a survcalc link carries"
        ));
    }
    let figure_texts = |f: &FigureOptions| [f.title.clone(), f.y_title.clone(), f.x_title.clone()];
    let figures: Vec<String> = std::iter::once(&s.figure)
        .chain(s.figures.iter().map(|(_, f)| f))
        .flat_map(figure_texts)
        .collect();
    let texts = figures
        .iter()
        .map(String::as_str)
        .chain(s.mapping.group_labels.iter().map(|l| l.label.as_str()))
        .chain(s.mapping.group_order.iter().map(String::as_str))
        .chain(s.ae_labels.iter().map(|(_, l)| l.as_str()))
        .chain(std::iter::once(s.subgroups.as_str()))
        .chain(s.competing_event.iter().map(String::as_str))
        .chain(s.competing_cause.iter().map(String::as_str));
    if texts.into_iter().any(|t| t.chars().count() > MAX_LINK_TEXT) {
        return Err(format!(
            "the link holds a label longer than {MAX_LINK_TEXT} characters"
        ));
    }
    Ok(())
}

/// SHA-256 of bytes, hex (FIPS 180-4).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether loaded data is the data a state was made from, in words for the page.
pub fn match_note(expected: &DataRef, got: &DataRef) -> (bool, String) {
    if expected.sha256 == got.sha256 {
        (
            true,
            format!(
                "The data loaded is the data this link was made from ({}, {} rows, SHA-256 {}…).",
                expected.name,
                expected.rows,
                &expected.sha256.get(..12).unwrap_or_default()
            ),
        )
    } else {
        (
            false,
            format!(
                "The data loaded ({}, {} rows) is not the data this link was made from ({}, {} rows, SHA-256 {}…): the settings were applied, but the numbers may differ.",
                got.name,
                got.rows,
                expected.name,
                expected.rows,
                &expected.sha256.get(..12).unwrap_or_default()
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> ShareState {
        let mut s = ShareState {
            data: DataRef {
                name: "trial.csv".into(),
                rows: 64,
                bytes: 3000,
                sha256: sha256_hex(b"abc"),
            },
            ..ShareState::default()
        };
        s.mapping.time = "pfs_months".into();
        s.mapping.group_labels = vec![survcalc_core::mapping::GroupLabel {
            value: "1".into(),
            label: "<img src=x onerror=alert(1)>".into(),
        }];
        s.options.landmarks = vec![6.0, 12.0];
        s.figure.ci_band = true;
        s
    }

    #[test]
    fn round_trip_with_and_without_data() {
        let s = state();
        let f = encode(&s, None, "https://example.org/survcalc/").expect("encodes");
        assert!(f.starts_with("survcalc=1."));
        let back = decode(&format!("#{f}")).expect("decodes").expect("a link");
        assert_eq!(
            back,
            Shared {
                state: s.clone(),
                data: None
            }
        );
        let data = b"id,arm,time,event\n1,A,5,1\n".repeat(100);
        let f = encode(&s, Some(&data), "").expect("encodes");
        let back = decode(&f).expect("decodes").expect("a link");
        assert_eq!(back.data.as_deref(), Some(&data[..]));
        // SHA-256("abc"), FIPS 180-2 appendix B.1.
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn other_anchors_are_not_links_and_bad_links_say_why() {
        assert_eq!(decode(""), Ok(None));
        assert_eq!(decode("#results"), Ok(None));
        let bad = [
            ("#survcalc=", "no format version"),
            ("#survcalc=2.abc", "newer survcalc"),
            ("#survcalc=1", "no analysis state"),
            ("#survcalc=1.!!!", "not base64url"),
            ("#survcalc=1.AAAA", "does not unpack"),
            ("#survcalc=1.abc.def.ghi", ""),
        ];
        for (f, why) in bad {
            assert!(
                decode(f).is_err_and(|e| e.contains(why)),
                "{f}: {:?}",
                decode(f)
            );
        }
        // Valid DEFLATE of something that is not a state.
        let junk = format!("#survcalc=1.{}", deflate(b"{\"mapping\": 7}"));
        assert!(decode(&junk).is_err_and(|e| e.contains("cannot be read")));
        // A decompression bomb: 200 MB of zeros in a few hundred kilobytes.
        let bomb = format!(
            "#survcalc=1.{}.{}",
            deflate(b"{}"),
            deflate(&vec![0u8; 200 << 20])
        );
        // Refused by its length before anything is inflated.
        assert!(decode(&bomb).is_err_and(|e| e.contains("more than the 64000")));
        // A state that inflates past its limit from a link of a few hundred characters.
        let mut zeros = b"{\"figure\":{\"title\":\"".to_vec();
        zeros.extend(vec![b'0'; 2 << 20]);
        let state_bomb = format!("#survcalc=1.{}", deflate(&zeros));
        assert!(state_bomb.len() < MAX_LINK_CHARS);
        assert!(
            decode(&state_bomb).is_err_and(|e| e.contains("more than")),
            "{:?}",
            decode(&state_bomb)
        );
        // A link from an older page that lacks today's fields still opens.
        let old = format!("#survcalc=1.{}", deflate(b"{\"mapping\":{\"time\":\"t\"}}"));
        let s = decode(&old).expect("opens").expect("a link").state;
        assert_eq!(s.mapping.time, "t");
        assert_eq!(s.options, AnalysisOptions::default());
    }

    #[test]
    fn regression_links_that_would_freeze_the_page_are_refused() {
        // Issue 12: 10,000 landmarks (a 27 kB link) blocked the page for 5.5 s, a
        // 50,000-entry group order for 4.4 s, km.conf_level = 1.5 panicked the worker.
        let link = |s: &ShareState| {
            let json = serde_json::to_vec(s).unwrap_or_default();
            format!("#survcalc=1.{}", deflate(&json))
        };
        let mut s = state();
        s.options.landmarks = (0..10_000).map(f64::from).collect();
        assert!(
            decode(&link(&s)).is_err_and(|e| e.contains("landmarks") && e.contains("at most 200"))
        );
        let mut s = state();
        s.mapping.group_order = (0..5_000).map(|i| i.to_string()).collect();
        assert!(
            decode(&link(&s)).is_err_and(|e| e.contains("5000 group order")),
            "{:?}",
            decode(&link(&s))
        );
        let mut s = state();
        s.options.km.conf_level = 1.5;
        assert!(decode(&link(&s)).is_err_and(|e| e.contains("km.conf_level = 1.5")));
        let mut s = state();
        s.figure.title = "x".repeat(5_000);
        assert!(decode(&link(&s)).is_err_and(|e| e.contains("longer than 1000")));
        // Another endpoint's figure is checked too (its y title here).
        let mut s = state();
        let mut other = s.figure.clone();
        other.y_title = "y".repeat(5_000);
        s.figures.push(("pfs_months|None".into(), other));
        assert!(decode(&link(&s)).is_err_and(|e| e.contains("longer than 1000")));
        let long = format!("#survcalc=1.{}", "A".repeat(70_000));
        assert!(
            decode(&long).is_err_and(|e| e.contains("70011 characters")),
            "{:?}",
            decode(&long)
        );
        assert!(decode(&link(&state())).is_ok());
    }

    #[test]
    fn links_longer_than_browsers_take_are_refused() {
        // Incompressible data: random bytes.
        let mut x: u64 = 1;
        let data: Vec<u8> = (0..100_000)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (x >> 56) as u8
            })
            .collect();
        let e = encode(&state(), Some(&data), "https://example.org/");
        assert!(
            e.is_err_and(|m| m.contains("more than the 64000") && m.contains("without the data"))
        );
    }
}
