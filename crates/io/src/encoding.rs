//! Bytes to text: the character encodings clinical exports come in.
//!
//! Excel on Windows saves "CSV" in the ANSI code page (Windows-1252 in Western Europe and
//! the Americas), "CSV UTF-8" with a byte-order mark, and "Unicode text" as UTF-16
//! little-endian with a byte-order mark; REDCap, R and SAS write UTF-8. The rules, in
//! order:
//!
//! 1. a byte-order mark decides (UTF-8, UTF-16LE, UTF-16BE) and is dropped;
//! 2. text whose every other byte is mostly zero is UTF-16 without a mark;
//! 3. text that is valid UTF-8 is UTF-8 (and is borrowed, not copied);
//! 4. text that is mostly UTF-8 with a few broken bytes is UTF-8 with those bytes shown as
//!    U+FFFD (and the table says so);
//! 5. anything else is Windows-1252, the superset of Latin-1 (ISO-8859-1) that the WHATWG
//!    Encoding Standard uses for both labels.
//!
//! The decoders are the standard library's (UTF-8, UTF-16 with unpaired surrogates as
//! U+FFFD) and a 32-entry table for Windows-1252: `encoding_rs` would do the same but
//! brings every encoding's tables into the WebAssembly build (≈ 130 kB compressed). The
//! test suite checks both against `encoding_rs`, the WHATWG implementation.
//!
//! # References
//! WHATWG Encoding Standard, <https://encoding.spec.whatwg.org/>; R's
//! `read.csv(fileEncoding = "UTF-16LE")` / `"latin1"` read the same files.

use std::borrow::Cow;

/// A character encoding of delimited text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum TextEncoding {
    /// UTF-8 (with or without a byte-order mark).
    Utf8,
    /// UTF-16, little-endian (Excel "Unicode text").
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
    /// Windows-1252, which includes Latin-1 (ISO-8859-1).
    Windows1252,
}

impl TextEncoding {
    /// Every encoding read here (for a choice in a form).
    pub const ALL: [TextEncoding; 4] = [
        TextEncoding::Utf8,
        TextEncoding::Utf16Le,
        TextEncoding::Utf16Be,
        TextEncoding::Windows1252,
    ];

    /// The short name: `utf-8`, `utf-16le`, `utf-16be`, `windows-1252`.
    pub fn key(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Utf16Le => "utf-16le",
            TextEncoding::Utf16Be => "utf-16be",
            TextEncoding::Windows1252 => "windows-1252",
        }
    }

    /// Reads an encoding name as R's `fileEncoding` or a browser would write it
    /// (case-insensitive): `utf-8`/`utf8`, `utf-16le`/`ucs-2le`, `utf-16be`,
    /// `windows-1252`/`cp1252`/`latin1`/`iso-8859-1`.
    pub fn parse(s: &str) -> Option<TextEncoding> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Some(TextEncoding::Utf8),
            "utf-16le" | "utf16le" | "ucs-2le" | "utf-16" => Some(TextEncoding::Utf16Le),
            "utf-16be" | "utf16be" => Some(TextEncoding::Utf16Be),
            "windows-1252" | "cp1252" | "latin1" | "latin-1" | "iso-8859-1" => {
                Some(TextEncoding::Windows1252)
            }
            _ => None,
        }
    }

    /// The encoding's usual name, e.g. "UTF-16LE".
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
            TextEncoding::Windows1252 => "Windows-1252 (Latin-1)",
        }
    }
}

/// Windows-1252 bytes 0x80–0x9F (WHATWG `index-windows-1252`); every other byte is the
/// code point of the same value, as in Latin-1.
const WINDOWS_1252_80: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

/// Decodes `body` (without its byte-order mark); also says whether bytes were replaced.
fn decode_body(encoding: TextEncoding, body: &[u8]) -> (Cow<'_, str>, bool) {
    match encoding {
        TextEncoding::Utf8 => match std::str::from_utf8(body) {
            Ok(s) => (Cow::Borrowed(s), false),
            Err(_) => (String::from_utf8_lossy(body), true),
        },
        TextEncoding::Utf16Le | TextEncoding::Utf16Be => {
            let le = encoding == TextEncoding::Utf16Le;
            let units = body.chunks_exact(2).map(|b| {
                if le {
                    u16::from_le_bytes([b[0], b[1]])
                } else {
                    u16::from_be_bytes([b[0], b[1]])
                }
            });
            // As the WHATWG UTF-16 decoder: an unpaired surrogate is one U+FFFD, and an
            // unpaired lead surrogate plus an odd last byte at the end are one U+FFFD.
            let mut out = String::with_capacity(body.len() / 2);
            let mut replaced = false;
            let mut lead: Option<u16> = None;
            for u in units {
                match u {
                    0xD800..=0xDBFF => {
                        if lead.replace(u).is_some() {
                            out.push('\u{FFFD}');
                            replaced = true;
                        }
                    }
                    0xDC00..=0xDFFF => match lead.take() {
                        Some(l) => {
                            let c =
                                0x10000 + ((u32::from(l) - 0xD800) << 10) + (u32::from(u) - 0xDC00);
                            out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
                        }
                        None => {
                            out.push('\u{FFFD}');
                            replaced = true;
                        }
                    },
                    _ => {
                        if lead.take().is_some() {
                            out.push('\u{FFFD}');
                            replaced = true;
                        }
                        out.push(char::from_u32(u32::from(u)).unwrap_or('\u{FFFD}'));
                    }
                }
            }
            if lead.is_some() || body.len() % 2 == 1 {
                out.push('\u{FFFD}');
                replaced = true;
            }
            (Cow::Owned(out), replaced)
        }
        TextEncoding::Windows1252 => {
            let text = body
                .iter()
                .map(|&b| match b {
                    0x80..=0x9F => WINDOWS_1252_80[usize::from(b - 0x80)],
                    _ => char::from(b),
                })
                .collect();
            (Cow::Owned(text), false)
        }
    }
}

/// Text decoded from bytes, with how it was decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded<'a> {
    /// The text, without a byte-order mark. Borrowed from the input when it was UTF-8.
    pub text: Cow<'a, str>,
    /// The encoding used.
    pub encoding: TextEncoding,
    /// Whether the input began with a byte-order mark.
    pub bom: bool,
    /// Whether some bytes were not valid in the encoding and were replaced by U+FFFD.
    pub replaced: bool,
    /// A UTF-16 byte-order mark in front of text that is not UTF-16 (no zero byte, valid
    /// UTF-8): the mark named here was dropped and the rest decoded as detected. A tool
    /// that wrote the mark but not the encoding; read as UTF-16 it is one line of CJK
    /// characters ("header row but no data rows", issue 12).
    pub misleading_bom: Option<TextEncoding>,
}

/// Decodes `bytes` as text, detecting the encoding unless `forced` names one (a
/// byte-order mark is dropped either way).
pub fn decode(bytes: &[u8], forced: Option<TextEncoding>) -> Decoded<'_> {
    let (bom_enc, bom_len) = match bytes {
        [0xEF, 0xBB, 0xBF, ..] => (Some(TextEncoding::Utf8), 3),
        [0xFF, 0xFE, ..] => (Some(TextEncoding::Utf16Le), 2),
        [0xFE, 0xFF, ..] => (Some(TextEncoding::Utf16Be), 2),
        _ => (None, 0),
    };
    if forced.is_none()
        && matches!(bom_enc, Some(TextEncoding::Utf16Le | TextEncoding::Utf16Be))
        && !looks_utf16(&bytes[bom_len..])
    {
        let body = &bytes[bom_len..];
        let encoding = detect(body);
        let (text, replaced) = decode_body(encoding, body);
        return Decoded {
            text,
            encoding,
            bom: false,
            replaced,
            misleading_bom: bom_enc,
        };
    }
    let encoding = forced.or(bom_enc).unwrap_or_else(|| detect(bytes));
    // Drop the mark when it belongs to the encoding used.
    let body = if bom_enc == Some(encoding) {
        &bytes[bom_len..]
    } else {
        bytes
    };
    let (text, replaced) = decode_body(encoding, body);
    Decoded {
        text,
        encoding,
        bom: bom_enc == Some(encoding),
        replaced,
        misleading_bom: None,
    }
}

/// Whether bytes after a UTF-16 mark can be UTF-16 text: a table in UTF-16 has zero
/// bytes (its delimiters, digits and line ends are ASCII), and UTF-16 code units are
/// almost never valid UTF-8 as well. Only the first 4 KiB are looked at.
fn looks_utf16(body: &[u8]) -> bool {
    let sample = &body[..body.len().min(4096)];
    if sample.len() < 4 || sample.contains(&0) {
        return true;
    }
    // Valid UTF-8, but for a character cut at the end of the sample.
    match std::str::from_utf8(sample) {
        Ok(_) => false,
        Err(e) => e.error_len().is_some(),
    }
}

/// Guesses the encoding of text without a byte-order mark.
fn detect(bytes: &[u8]) -> TextEncoding {
    // First: NUL bytes are valid UTF-8, so UTF-16 text of ASCII characters would pass.
    if let Some(e) = detect_utf16(bytes) {
        return e;
    }
    if std::str::from_utf8(bytes).is_ok() {
        return TextEncoding::Utf8;
    }
    // Mostly UTF-8 with a few broken bytes (a file edited in two programs) reads better
    // as UTF-8 with replacement characters than as Windows-1252 mojibake ("Ã©").
    let (mut multibyte, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += chunk.invalid().len();
    }
    if multibyte > 4 * invalid {
        TextEncoding::Utf8
    } else {
        TextEncoding::Windows1252
    }
}

/// UTF-16 without a mark: ASCII-range text has a zero in every other byte.
fn detect_utf16(bytes: &[u8]) -> Option<TextEncoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    let pairs = sample.len() / 2;
    if pairs < 2 {
        return None;
    }
    let zero_even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let zero_odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    // At least 40% of the pairs with a zero on one side and at most 5% on the other.
    let most = |z: usize| z > 0 && z * 5 >= pairs * 2;
    let few = |z: usize| z * 20 <= pairs;
    if most(zero_odd) && few(zero_even) {
        Some(TextEncoding::Utf16Le)
    } else if most(zero_even) && few(zero_odd) {
        Some(TextEncoding::Utf16Be)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(s: &str, bom: bool) -> Vec<u8> {
        let mut out = if bom { vec![0xFF, 0xFE] } else { vec![] };
        for u in s.encode_utf16() {
            out.extend_from_slice(&u.to_le_bytes());
        }
        out
    }

    #[test]
    fn utf8_is_borrowed_and_bom_dropped() {
        let d = decode(b"a,b\n", None);
        assert!(matches!(d.text, Cow::Borrowed("a,b\n")));
        let d = decode(b"\xEF\xBB\xBFa,b\n", None);
        assert_eq!((d.text.as_ref(), d.bom), ("a,b\n", true));
    }

    /// Issue 12: a UTF-16 mark in front of UTF-8 text said "header row but no data rows".
    #[test]
    fn regression_utf16_bom_before_utf8_text() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend_from_slice("time,status,arm\n5,1,Café\n".as_bytes());
        let d = decode(&bytes, None);
        assert_eq!(d.text, "time,status,arm\n5,1,Café\n");
        assert_eq!(d.encoding, TextEncoding::Utf8);
        assert_eq!(d.misleading_bom, Some(TextEncoding::Utf16Le));
        assert!(!d.bom);
        // Real UTF-16 text, even of one non-ASCII script, keeps its mark's encoding.
        let cjk = utf16le("日本,語\n", true);
        let d = decode(&cjk, None);
        assert_eq!(
            (d.encoding, d.misleading_bom),
            (TextEncoding::Utf16Le, None)
        );
        assert_eq!(d.text, "日本,語\n");
        // Forcing the encoding wins.
        let d = decode(&bytes, Some(TextEncoding::Utf16Le));
        assert_eq!(
            (d.encoding, d.misleading_bom),
            (TextEncoding::Utf16Le, None)
        );
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let bytes = utf16le("tid\tmån\n1\t2\n", true);
        let d = decode(&bytes, None);
        assert_eq!(
            (d.text.as_ref(), d.encoding),
            ("tid\tmån\n1\t2\n", TextEncoding::Utf16Le)
        );
        let bytes = utf16le("time\tarm\n1\tA\n", false);
        let d = decode(&bytes, None);
        assert_eq!(d.encoding, TextEncoding::Utf16Le);
        assert_eq!(d.text, "time\tarm\n1\tA\n");
        let be: Vec<u8> = "\u{feff}x;y\n"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        let d = decode(&be, None);
        assert_eq!(
            (d.text.as_ref(), d.encoding),
            ("x;y\n", TextEncoding::Utf16Be)
        );
    }

    #[test]
    fn latin1_fallback() {
        // "Bras;Zürich;€" in Windows-1252: ü = 0xFC, € = 0x80.
        let d = decode(b"Bras;Z\xFCrich;\x80\n", None);
        assert_eq!(
            (d.text.as_ref(), d.encoding),
            ("Bras;Zürich;€\n", TextEncoding::Windows1252)
        );
    }

    #[test]
    fn mostly_utf8_keeps_utf8() {
        let d = decode("é,è,à,ü,ö,\u{2264}\n\u{FF}x".as_bytes(), None);
        assert_eq!(d.encoding, TextEncoding::Utf8);
        let mut bytes = "é,è,à,ü,ö,ñ\n".as_bytes().to_vec();
        bytes.push(0xFF);
        let d = decode(&bytes, None);
        assert_eq!((d.encoding, d.replaced), (TextEncoding::Utf8, true));
    }
}
