//! Group labels as a reader sees them: composed to Unicode NFC, and warnings for labels
//! that look alike or hide invisible characters.

use super::*;

/// A group label in Unicode normalization form C: "Cafe" + U+0301 (as macOS and some
/// exports write it) becomes "Café", so that the two spellings are one group (issue 12).
/// ASCII and labels already in NFC are borrowed.
pub(super) fn nfc(label: &str) -> std::borrow::Cow<'_, str> {
    // Nothing below U+0300 (the combining marks) composes with anything.
    if label.chars().all(|c| (c as u32) < 0x300) {
        return std::borrow::Cow::Borrowed(label);
    }
    let composed = compose(label);
    if composed == label {
        std::borrow::Cow::Borrowed(label)
    } else {
        std::borrow::Cow::Owned(composed)
    }
}

#[cfg(feature = "nfc")]
pub(super) fn compose(label: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    label.nfc().collect()
}

#[cfg(not(feature = "nfc"))]
pub(super) fn compose(label: &str) -> String {
    match NFC_COMPOSER.get() {
        Some(f) => f(label),
        None => label.to_string(),
    }
}

pub(super) static NFC_COMPOSER: std::sync::OnceLock<fn(&str) -> String> =
    std::sync::OnceLock::new();

/// Supplies the NFC composition of labels for a build without the `nfc` feature (the
/// page passes the browser's `String.prototype.normalize("NFC")`); the first call wins.
/// Without either, labels are compared as written. With the feature it is not used.
pub fn set_nfc_composer(f: fn(&str) -> String) {
    let _ = NFC_COMPOSER.set(f);
}

/// Whether a character is invisible or reorders text: zero-width spaces and joiners,
/// bidirectional controls, the byte-order mark, the soft hyphen.
pub(super) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// A label as a reader sees it: without invisible characters, case, accents (written
/// precomposed or as a letter and a combining mark) and runs of white space. Two labels
/// with one skeleton look alike on the page.
pub(super) fn skeleton(label: &str) -> String {
    // U+00C0…U+00FF without their accents (× and ÷ kept).
    const LATIN1: &str = "aaaaaaaceeeeiiiidnooooo×ouuuuyþsaaaaaaaceeeeiiiidnooooo÷ouuuuyþy";
    let mut out = String::new();
    for c in label.chars() {
        if is_invisible(c) || ('\u{0300}'..='\u{036F}').contains(&c) {
            continue;
        }
        let c = match c {
            '\u{00C0}'..='\u{00FF}' => LATIN1.chars().nth(c as usize - 0xC0).unwrap_or(c),
            c => c,
        };
        if c.is_whitespace() {
            if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
            continue;
        }
        out.extend(c.to_lowercase());
    }
    out.trim_end().to_string()
}

/// Warns about groups a reader cannot tell apart (issue 12: "Café" written two ways,
/// "Drug" and "Drug\u{200b}", "\u{202e}Drug" were separate groups printed alike), and
/// about labels with invisible or reordering characters.
pub(super) fn look_alike_groups(levels: &[String], warnings: &mut Vec<String>) {
    let code_points = |l: &str| {
        l.chars()
            .filter(|c| is_invisible(*c))
            .map(|c| format!("U+{:04X}", c as u32))
            .collect::<Vec<_>>()
    };
    for l in levels {
        let hidden = code_points(l);
        if !hidden.is_empty() {
            warnings.push(format!(
                "group \"{}\" contains invisible or text-reordering characters ({}): it may print like another group; remove them from the data or relabel the group",
                shown_value(l),
                hidden.join(", ")
            ));
        }
    }
    let mut by_skeleton: HashMap<String, Vec<&str>> = HashMap::new();
    for l in levels {
        by_skeleton.entry(skeleton(l)).or_default().push(l);
    }
    let mut alike: Vec<Vec<&str>> = by_skeleton.into_values().filter(|v| v.len() > 1).collect();
    alike.sort();
    for group in alike {
        let shown: Vec<String> = group
            .iter()
            .map(|l| format!("\"{}\"", shown_value(l)))
            .collect();
        warnings.push(format!(
            "groups {} look alike but are analysed apart (they differ only in case, spaces, accents written two ways or invisible characters): if they are one arm, give them one label (group labels, e.g. {}={})",
            shown.join(" and "),
            group.get(1).map_or("", |l| l),
            group.first().map_or("", |l| l)
        ));
    }
}
