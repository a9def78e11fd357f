//! What the event column's values mean: 1/0, 2/1, words (dead/alive, …), CDISC's CNSR
//! (0 = event), or the values the user chose.

use super::*;

/// The event coding: which values are events and which are censorings.
pub(super) struct Coding {
    pub(super) events: Vec<String>,
    pub(super) censors: Vec<String>,
    pub(super) text: String,
    /// A note when the coding comes from the column's name rather than its values.
    pub(super) by_name: Option<String>,
}

impl Coding {
    pub(super) fn classify(&self, v: &str) -> Option<bool> {
        let n = norm(v);
        if self.events.contains(&n) || numeric_match(v, &self.events) {
            Some(true)
        } else if self.censors.contains(&n) || numeric_match(v, &self.censors) {
            Some(false)
        } else {
            // cBioPortal writes the code before its meaning: "1:DECEASED", "0:LIVING".
            let (code, meaning) = v.split_once(':')?;
            if meaning.trim().is_empty() || parse_number(code.trim(), false).is_none() {
                return None;
            }
            self.classify(code.trim())
        }
    }
}

pub(super) fn owned(words: &[&str]) -> Vec<String> {
    words.iter().map(|s| s.to_string()).collect()
}

pub(super) fn coding(distinct: &[String], column: &str, mapping: &Mapping) -> Coding {
    let lower: Vec<String> = distinct.iter().map(|v| norm(v)).collect();
    let mut by_name = None;
    let (events, censors): (Vec<String>, Vec<String>) = match (
        mapping.event_value.as_deref(),
        mapping.censor_value.as_deref(),
    ) {
        (Some(e), Some(c)) => (vec![norm(e)], vec![norm(c)]),
        (Some(v), None) => {
            let v = norm(v);
            let others: Vec<String> = lower.iter().filter(|x| **x != v).cloned().collect();
            let censors = if others.len() == 1 {
                others
            } else {
                others
                    .into_iter()
                    .filter(|x| CENSOR_WORDS.contains(&x.as_str()))
                    .collect()
            };
            (vec![v], censors)
        }
        (None, Some(c)) => {
            let c = norm(c);
            let others: Vec<String> = lower.iter().filter(|x| **x != c).cloned().collect();
            let events = if others.len() == 1 {
                others
            } else {
                others
                    .into_iter()
                    .filter(|x| EVENT_WORDS.contains(&x.as_str()))
                    .collect()
            };
            (events, vec![c])
        }
        (None, None) if is_cnsr(column) => {
            by_name = Some("CDISC ADTTE CNSR coding: 0 = event, 1 = censored".to_string());
            (vec!["0".into()], vec!["1".into()])
        }
        (None, None) if is_censor_flag(column) => {
            by_name = Some(format!(
                    "read as 1 = censored because the column is named \"{column}\"; if 1 means event, choose 1 as the event value"
                ));
            (
                owned(&["0", "false", "f", "no", "n"]),
                owned(&["1", "true", "t", "yes", "y", "censored"]),
            )
        }
        (None, None) => {
            let num: Vec<f64> = lower
                .iter()
                .filter_map(|v| parse_number(v, false))
                .collect();
            let is12 = !num.is_empty()
                && num.len() == lower.len()
                && num.iter().all(|&x| x == 1.0 || x == 2.0)
                && num.contains(&2.0);
            if is12 {
                // R's Surv(): a status coded 1/2 means 1 = censored, 2 = event.
                (vec!["2".into()], vec!["1".into()])
            } else {
                (owned(&EVENT_WORDS), owned(&CENSOR_WORDS))
            }
        }
    };
    let present = |set: &[String]| -> Vec<String> {
        let has = |v: &str| set.contains(&norm(v)) || numeric_match(v, set);
        distinct
            .iter()
            // "1:DECEASED" by its code, as `Coding::classify` reads it.
            .filter(|v| has(v) || v.split_once(':').is_some_and(|(c, _)| has(c.trim())))
            .cloned()
            .collect()
    };
    let (pe, pc) = (present(&events), present(&censors));
    let shown = |p: Vec<String>, set: &[String]| {
        if p.is_empty() {
            set.iter().take(6).cloned().collect::<Vec<_>>().join("/")
        } else {
            p.join("/")
        }
    };
    let mut text = format!(
        "{column}: {} = event, {} = censored",
        shown(pe, &events),
        shown(pc, &censors)
    );
    if by_name.is_some() && is_cnsr(column) {
        text.push_str(" (CDISC ADTTE CNSR coding)");
    }
    Coding {
        events,
        censors,
        text,
        by_name,
    }
}

/// "1.0" matches the code "1".
pub(super) fn numeric_match(v: &str, set: &[String]) -> bool {
    parse_number(v, false).is_some_and(|x| {
        set.iter()
            .any(|s| parse_number(s, false).is_some_and(|y| y == x))
    })
}
