//! One endpoint's results as a paper prints them: journal-style sentences, a summary
//! table (rounded, for copying into a manuscript), and full-precision CSV exports (the
//! summary in long form, and the Kaplan–Meier table as R's `summary(survfit)` gives it).
//!
//! Sentences follow the form of PRODUCT.md: "The median OS was 16.3 months (95% CI: 0.0,
//! 35.5) with A and 6.5 months (95% CI: 4.4, 8.6) with B (HR = 0.28; 95% CI: 0.15, 0.53;
//! P < .001)." With two groups the compared (non-reference) group comes first, as the
//! hazard ratio is for it against the reference. The P value in a sentence is the
//! headline test's (the log-rank test by default), which the methods text names.

use crate::analysis::{fmt_level, Analysis};
use std::fmt::Write;
use survcalc_stats::median::MedianCi;

/// How P values are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub enum PStyle {
    /// "P < .001", "P = .03": no leading zero (AMA, NEJM, Lancet house styles).
    #[default]
    Journal,
    /// "P < 0.001", "P = 0.03".
    LeadingZero,
}

/// How confidence intervals are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub enum CiStyle {
    /// "(95% CI: 4.4, 8.6)", the form of PRODUCT.md.
    #[default]
    ColonComma,
    /// "(95% CI, 4.4 to 8.6)" (JAMA, NEJM).
    To,
    /// "(95% CI 4.4–8.6)" (Lancet).
    Dash,
}

/// Choices for the text of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct TextStyle {
    /// P values.
    pub p: PStyle,
    /// Confidence intervals.
    pub ci: CiStyle,
}

impl PStyle {
    /// Every style, for a form.
    pub const ALL: [PStyle; 2] = [PStyle::Journal, PStyle::LeadingZero];

    /// "P < .001" or "P < 0.001".
    pub fn label(self, p: f64) -> String {
        let s = crate::format::p_label(p);
        match self {
            PStyle::Journal => s,
            PStyle::LeadingZero => s.replace(" .", " 0."),
        }
    }
}

impl CiStyle {
    /// Every style, for a form.
    pub const ALL: [CiStyle; 3] = [CiStyle::ColonComma, CiStyle::To, CiStyle::Dash];

    /// The interval without parentheses: "95% CI: 4.4, 8.6".
    pub fn interval(self, level: &str, lo: &str, hi: &str) -> String {
        match self {
            CiStyle::ColonComma => format!("{level}% CI: {lo}, {hi}"),
            CiStyle::To => format!("{level}% CI, {lo} to {hi}"),
            CiStyle::Dash => format!("{level}% CI {lo}\u{2013}{hi}"),
        }
    }
}

/// A time (median, landmark) in a sentence or table: one decimal; "NR" when not reached.
fn time(x: Option<f64>) -> String {
    crate::format::num(x, 1)
}

fn median_phrase(m: &MedianCi, unit: &str, style: TextStyle) -> String {
    let level = fmt_level(m.conf_level);
    let ci = style.ci.interval(&level, &time(m.lower), &time(m.upper));
    match m.estimate {
        Some(e) => format!("{}{unit} ({ci})", time(Some(e))),
        None => format!("not reached ({ci})"),
    }
}

/// The order in which groups are named: with two groups the compared one first.
fn sentence_order(a: &Analysis) -> Vec<usize> {
    let mut order: Vec<usize> = (0..a.summaries.len()).collect();
    if order.len() == 2 {
        order.reverse();
    }
    order
}

/// Journal-style sentences for one endpoint: the medians with the headline HR and test P,
/// then one sentence per landmark time. `endpoint` names it ("OS", "overall survival").
pub fn sentences(a: &Analysis, endpoint: &str, style: TextStyle) -> Vec<String> {
    // "OS" stays; "Survival" or "Overall survival" is lower case mid-sentence.
    let endpoint = if endpoint.chars().any(char::is_lowercase) {
        endpoint.to_lowercase()
    } else {
        endpoint.to_string()
    };
    let endpoint = endpoint.as_str();
    let unit = a
        .time_unit
        .map_or(String::new(), |u| format!(" {}", u.name()));
    let order = sentence_order(a);
    let mut out = Vec::new();
    let parts: Vec<String> = order
        .iter()
        .filter_map(|&i| a.summaries.get(i))
        .map(|g| {
            let m = a.headline_median(g);
            format!("{} with {}", median_phrase(m, &unit, style), g.group)
        })
        .collect();
    let mut s = format!("The median {endpoint} was {}", join_and(&parts));
    if parts.len() == 1 {
        s = format!(
            "The median {endpoint} was {}",
            a.summaries
                .first()
                .map(|g| median_phrase(a.headline_median(g), &unit, style))
                .unwrap_or_default()
        );
    }
    let mut extras = Vec::new();
    if let Some(h) = a.headline_hr() {
        let level = fmt_level(h.conf_level);
        extras.push(format!(
            "HR = {:.2}; {}",
            h.hr,
            style.ci.interval(
                &level,
                &format!("{:.2}", h.lower),
                &format!("{:.2}", h.upper)
            )
        ));
    }
    if let Some(t) = a.headline_test() {
        extras.push(style.p.label(t.p_value));
    }
    if !extras.is_empty() {
        let _ = write!(s, " ({})", extras.join("; "));
    }
    s.push('.');
    out.push(s);

    for (k, &t) in a.options.landmarks.iter().enumerate() {
        let parts: Vec<String> = order
            .iter()
            .filter_map(|&i| {
                let lm = a.landmarks.get(i)?;
                let r = lm.rows.get(k)?;
                let level = fmt_level(lm.conf_level);
                let pct =
                    |x: Option<f64>| x.map_or("NA".to_string(), |v| format!("{:.1}%", 100.0 * v));
                // No interval where R has none (S = 0 after the last event).
                let ci = match (r.lower, r.upper) {
                    (None, None) => String::new(),
                    (lo, hi) => format!(" ({})", style.ci.interval(&level, &pct(lo), &pct(hi))),
                };
                Some(format!("{}{ci} with {}", pct(Some(r.surv)), lm.group))
            })
            .collect();
        if parts.is_empty() {
            continue;
        }
        let when = if unit.is_empty() {
            format!("at time {}", trim_number(t))
        } else {
            format!("at {}{unit}", trim_number(t))
        };
        out.push(format!(
            "The {endpoint} rate {when} was {}.",
            join_and(&parts)
        ));
    }
    out
}

/// "a", "a and b", "a, b and c".
pub(crate) fn join_and(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// 12 → "12", 6.5 → "6.5".
fn trim_number(x: f64) -> String {
    let s = format!("{x}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}

/// The summary table as shown and copied: a header row, then one row per group (n,
/// events, median with CI, survival at each landmark, RMST), rounded as a paper prints.
pub fn summary_table(a: &Analysis, style: TextStyle) -> Vec<Vec<String>> {
    let level = fmt_level(a.options.km.conf_level);
    let unit = a
        .time_unit
        .map_or(String::new(), |u| format!(", {}", u.name()));
    let mut head = vec![
        "Group".to_string(),
        "n".into(),
        "Events".into(),
        format!("Median{unit} ({level}% CI)"),
    ];
    // Every time with its unit ("Survival at 12 months"), when the unit is known.
    let when = |t: f64| match a.time_unit {
        Some(u) => format!("{} {}", trim_number(t), u.name()),
        None => trim_number(t),
    };
    for t in &a.options.landmarks {
        head.push(format!("Survival at {} ({level}% CI)", when(*t)));
    }
    if let Some(r) = &a.rmst {
        head.push(format!("RMST to {} ({level}% CI)", when(r.tau)));
    }
    let hr = a.headline_hr();
    if let Some(h) = &hr {
        head.push(format!("HR ({}% CI)", fmt_level(h.conf_level)));
    }
    let test = a.headline_test().filter(|_| a.summaries.len() > 1);
    if let Some(t) = test {
        // The P next to a Cox HR is the test of the curves': say which.
        head.push(format!("P ({})", test_short_name(t.weight)));
    }
    let mut rows = vec![head];
    for (i, g) in a.summaries.iter().enumerate() {
        let m = a.headline_median(g);
        let ci = |lo: String, hi: String| format!("({})", style.ci.interval(&level, &lo, &hi));
        let mut row = vec![
            g.group.clone(),
            g.n.to_string(),
            g.events.to_string(),
            format!("{} {}", time(m.estimate), ci(time(m.lower), time(m.upper))),
        ];
        if let Some(lm) = a.landmarks.get(i) {
            for r in &lm.rows {
                let pct =
                    |x: Option<f64>| x.map_or("NA".to_string(), |v| format!("{:.1}%", 100.0 * v));
                row.push(format!(
                    "{} {}",
                    pct(Some(r.surv)),
                    ci(pct(r.lower), pct(r.upper))
                ));
            }
        }
        if let Some(r) = a.rmst.as_ref().and_then(|r| r.groups.get(i)) {
            row.push(format!(
                "{:.1} {}",
                r.estimate,
                ci(format!("{:.1}", r.lower), format!("{:.1}", r.upper))
            ));
        }
        // The HR and the test's P sit on the compared group's row (the first row for a
        // test of three or more groups); the reference reads "1 (reference)".
        if let Some(h) = &hr {
            row.push(if g.group == h.group {
                format!(
                    "{:.2} {}",
                    h.hr,
                    ci(format!("{:.2}", h.lower), format!("{:.2}", h.upper))
                )
            } else {
                "1 (reference)".into()
            });
        }
        if let Some(t) = test {
            let on_this_row = match &hr {
                Some(h) => g.group == h.group,
                None => i == 0,
            };
            row.push(if on_this_row {
                // ".93", "< .001": the column says it is P.
                style
                    .p
                    .label(t.p_value)
                    .trim_start_matches("P ")
                    .trim_start_matches("= ")
                    .to_string()
            } else {
                String::new()
            });
        }
        rows.push(row);
    }
    rows
}

/// Rows as tab-separated text (pastes into Word, Excel and Google Docs as a table).
pub fn tsv(rows: &[Vec<String>]) -> String {
    let mut s = String::new();
    for r in rows {
        s.push_str(&r.join("\t"));
        s.push('\n');
    }
    s
}

pub(crate) fn csv_string(rows: Vec<Vec<String>>) -> String {
    write_csv(&rows, std::borrow::Cow::Borrowed)
}

/// A cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or carriage
/// return first, and not a number) gets a leading `'`, as OWASP's CSV-injection guidance
/// says: an arm labelled `=HYPERLINK("http://…")` is then text in Excel. Numbers, −0.5
/// included, are left alone.
fn neutralised(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.trim().parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// The CSV of an export (results, Kaplan–Meier tables): every cell safe to open in a
/// spreadsheet ([`neutralised`]).
pub(crate) fn export_csv(rows: Vec<Vec<String>>) -> String {
    write_csv(&rows, neutralised)
}

fn write_csv<'a>(
    rows: &'a [Vec<String>],
    cell: impl Fn(&'a str) -> std::borrow::Cow<'a, str>,
) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        let r: Vec<std::borrow::Cow<'a, str>> = r.iter().map(|c| cell(c)).collect();
        let r: Vec<&str> = r.iter().map(|c| c.as_ref()).collect();
        // Writing to a Vec cannot fail.
        let _ = w.write_record(r);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// A full-precision number for an export (shortest text that reads back to the same
/// double); empty for NA.
fn full(x: Option<f64>) -> String {
    match x {
        Some(v) if v.is_finite() => format!("{v}"),
        Some(v) if v.is_infinite() => (if v > 0.0 { "Inf" } else { "-Inf" }).to_string(),
        _ => String::new(),
    }
}

/// The Kaplan–Meier tables of every group as CSV, as R's
/// `summary(survfit(...), censored = TRUE)` lists them: group, time, n.risk, n.event,
/// n.censor, surv, std.err (Greenwood, of S), lower, upper — full precision.
pub fn km_table_csv(a: &Analysis) -> String {
    let level = fmt_level(a.options.km.conf_level);
    let mut rows = vec![vec![
        "group".to_string(),
        "time".into(),
        "n.risk".into(),
        "n.event".into(),
        "n.censor".into(),
        "surv".into(),
        "std.err".into(),
        format!("lower {level}% CI ({})", a.options.km.conf_type.r_name()),
        format!("upper {level}% CI ({})", a.options.km.conf_type.r_name()),
    ]];
    for c in &a.curves {
        for j in 0..c.time.len() {
            rows.push(vec![
                c.group.clone(),
                full(Some(c.time[j])),
                c.n_risk[j].to_string(),
                c.n_event[j].to_string(),
                c.n_censor[j].to_string(),
                full(Some(c.surv[j])),
                full(c.se_surv.get(j).copied().filter(|v| v.is_finite())),
                full(c.lower.get(j).copied().flatten()),
                full(c.upper.get(j).copied().flatten()),
            ]);
        }
    }
    export_csv(rows)
}

/// The endpoint's results in long form, full precision: one row per quantity and group,
/// with estimate, limits, P value and the method that made it.
pub fn results_csv(a: &Analysis) -> String {
    export_csv(results_rows(a))
}

/// The rows of [`results_csv`], header first.
pub(crate) fn results_rows(a: &Analysis) -> Vec<Vec<String>> {
    let mut rows = vec![vec![
        "quantity".to_string(),
        "group".into(),
        "estimate".into(),
        "lower".into(),
        "upper".into(),
        "conf_level".into(),
        "p_value".into(),
        "method".into(),
    ]];
    let mut push = |q: &str,
                    g: &str,
                    est: Option<f64>,
                    lo: Option<f64>,
                    hi: Option<f64>,
                    level: Option<f64>,
                    p: Option<f64>,
                    method: String| {
        rows.push(vec![
            q.to_string(),
            g.to_string(),
            full(est),
            full(lo),
            full(hi),
            full(level),
            full(p),
            method,
        ]);
    };
    for g in &a.summaries {
        push(
            "n",
            &g.group,
            Some(g.n as f64),
            None,
            None,
            None,
            None,
            String::new(),
        );
        push(
            "events",
            &g.group,
            Some(g.events as f64),
            None,
            None,
            None,
            None,
            String::new(),
        );
        let m = a.headline_median(g);
        push(
            "median",
            &g.group,
            m.estimate,
            m.lower,
            m.upper,
            Some(m.conf_level),
            None,
            m.method.describe(),
        );
    }
    for lm in &a.landmarks {
        for r in &lm.rows {
            push(
                &format!("survival at {}", trim_number(r.time)),
                &lm.group,
                Some(r.surv),
                r.lower,
                r.upper,
                Some(lm.conf_level),
                None,
                format!("Kaplan–Meier, Greenwood, {} CI", lm.conf_type.r_name()),
            );
        }
    }
    if let Some(r) = &a.rmst {
        for g in &r.groups {
            push(
                &format!("RMST to {}", trim_number(r.tau)),
                &g.group,
                Some(g.estimate),
                Some(g.lower),
                Some(g.upper),
                Some(g.conf_level),
                None,
                "restricted mean survival time (survRM2)".into(),
            );
        }
    }
    for t in &a.tests {
        push(
            "test of the curves",
            "",
            Some(t.chisq),
            None,
            None,
            None,
            Some(t.p_value),
            format!("{} (chi-square, {} df)", t.method, t.df),
        );
    }
    if let Some(h) = a.headline_hr() {
        push(
            &format!("hazard ratio vs {}", h.reference),
            &h.group,
            Some(h.hr),
            Some(h.lower),
            Some(h.upper),
            Some(h.conf_level),
            h.p_value,
            h.method,
        );
    }
    rows
}

/// The name of a test of curves as a methods section writes it.
/// A test's name for a table's column header: "log-rank", "Gehan–Breslow".
fn test_short_name(w: survcalc_stats::compare::Weight) -> String {
    use survcalc_stats::compare::Weight;
    match w {
        Weight::LogRank => "log-rank".into(),
        Weight::PetoPeto | Weight::PetoPetoTilde => "Peto–Peto".into(),
        Weight::ModifiedPetoPeto => "modified Peto–Peto".into(),
        Weight::FlemingHarrington { rho, gamma } => format!("Fleming–Harrington G({rho}, {gamma})"),
        Weight::GehanBreslow => "Gehan–Breslow".into(),
        Weight::TaroneWare => "Tarone–Ware".into(),
    }
}

fn test_name(w: survcalc_stats::compare::Weight) -> String {
    use survcalc_stats::compare::Weight;
    match w {
        Weight::LogRank => "the log-rank test".into(),
        Weight::PetoPeto => {
            "the Peto–Peto modification of the Gehan–Wilcoxon test (as R survdiff, rho = 1)".into()
        }
        Weight::PetoPetoTilde => "the Peto–Peto test".into(),
        Weight::ModifiedPetoPeto => "the modified Peto–Peto test".into(),
        Weight::FlemingHarrington { rho, gamma } => {
            format!("the Fleming–Harrington G({rho}, {gamma}) weighted log-rank test")
        }
        Weight::GehanBreslow => "the Gehan–Breslow (generalised Wilcoxon) test".into(),
        Weight::TaroneWare => "the Tarone–Ware test".into(),
    }
}

/// A paragraph for the statistical-methods section of a paper, stating every method
/// behind the numbers of this report in words a reader can use (and cite).
pub fn methods_paragraph(a: &Analysis) -> String {
    methods_sentences(a).join(" ")
}

/// The sentences of [`methods_paragraph`], in order.
pub fn methods_sentences(a: &Analysis) -> Vec<String> {
    use crate::convention::HeadlineHr;
    use survcalc_stats::median::MedianMethod;
    let o = &a.options;
    let level = format!("{}%", fmt_level(o.km.conf_level));
    let mut s = Vec::new();
    s.push(format!(
        "Survival was estimated with the Kaplan–Meier method, with {level} pointwise confidence intervals from Greenwood's variance on the {} scale.",
        match o.km.conf_type.r_name() {
            "log" => "log",
            "log-log" => "complementary log–log",
            "plain" => "linear (untransformed)",
            "logit" => "logit",
            other => other,
        }
    ));
    s.push(match o.median_method {
        MedianMethod::RBandInversion => "Confidence intervals for median survival were obtained by the method of Brookmeyer and Crowley, as the times where the pointwise confidence band crosses 0.5.".into(),
        MedianMethod::SpssSymmetric => "Confidence intervals for median survival were computed as the median ± z × SE, with the SE from Greenwood's variance and the slope of the curve at the median (lower limit not below 0).".into(),
    });
    s.push("Median follow-up was estimated with the reverse Kaplan–Meier method.".into());
    if a.groups.len() > 1 {
        s.push(format!(
            "Survival curves were compared with {}.",
            test_name(o.test)
        ));
        let hr_level = format!("{}%", fmt_level(o.cox.conf_level));
        s.push(match o.hr {
            HeadlineHr::Cox => format!(
                "Hazard ratios with {hr_level} confidence intervals were estimated with a Cox proportional-hazards model ({} method for tied event times; Wald confidence intervals), with {} as the reference group{}.",
                match o.cox.ties.r_name() {
                    "efron" => "Efron",
                    "breslow" => "Breslow",
                    _ => "exact partial likelihood",
                },
                a.groups.first().map_or("", String::as_str),
                if a.ph_test.is_some() {
                    "; the proportional-hazards assumption was checked with scaled Schoenfeld residuals"
                } else {
                    ""
                }
            ),
            HeadlineHr::LogRankOe => format!(
                "Hazard ratios with {hr_level} confidence intervals were estimated from the log-rank test as (O₁/E₁)/(O₀/E₀), with {} as the reference group.",
                a.groups.first().map_or("", String::as_str)
            ),
            HeadlineHr::MantelHaenszel => format!(
                "Hazard ratios with {hr_level} confidence intervals were estimated by the Mantel–Haenszel method, exp((O − E)/V), with {} as the reference group.",
                a.groups.first().map_or("", String::as_str)
            ),
        });
    }
    if let Some(strata) = o
        .strata
        .as_ref()
        .filter(|_| a.stratified_log_rank.is_some())
    {
        s.push(format!(
            "Stratified analyses (log-rank test and Cox model) used {strata} as the stratification factor."
        ));
    }
    if a.cox_adjusted.is_some() && !o.covariates.is_empty() {
        s.push(format!(
            "A multivariable Cox model adjusted the hazard ratio for {}.",
            join_and(&o.covariates)
        ));
    }
    if !o.landmarks.is_empty() {
        let unit = a
            .time_unit
            .map_or(String::new(), |u| format!(" {}", u.name()));
        let times: Vec<String> = o.landmarks.iter().map(|t| trim_number(*t)).collect();
        s.push(format!(
            "Survival at {}{unit} was read from the Kaplan–Meier curves, and differences between groups were tested with a z test using Greenwood standard errors.",
            join_and(&times)
        ));
    }
    if let Some(r) = &a.rmst {
        s.push(format!(
            "Restricted mean survival time up to {}{} was estimated as the area under the Kaplan–Meier curve and compared between groups (Uno et al., 2014).",
            trim_number(r.tau),
            a.time_unit.map_or(String::new(), |u| format!(" {}", u.name()))
        ));
    }
    if o.timefix {
        s.push("Times that differed only by rounding error (by less than 1.5 × 10⁻⁸, absolutely or relative to the mean time) were treated as tied, as R's survival package does (timefix).".into());
    }
    s.push(format!(
        "P values are two-sided. Analyses were done with survcalc {}, whose estimates reproduce R's survival package ({} conventions).",
        env!("CARGO_PKG_VERSION"),
        o.convention.label()
    ));
    s
}

/// "40.6% (13 of 32; 95% CI: 23.7, 59.4)": a proportion with its exact interval.
fn proportion_phrase(p: &survcalc_stats::binary::Proportion, style: TextStyle) -> String {
    let ci = &p.clopper_pearson;
    format!(
        "{:.1}% ({} of {}; {})",
        100.0 * p.estimate,
        p.x,
        p.n,
        style.ci.interval(
            &fmt_level(ci.level),
            &format!("{:.1}", 100.0 * ci.lower),
            &format!("{:.1}", 100.0 * ci.upper)
        )
    )
}

/// What a response column measures, in words: best overall response (`bor`,
/// `best_response`, `orr`) is the objective response; any other name as its words.
pub fn response_words(column: &str) -> String {
    let n = column.to_lowercase().replace(['.', ' ', '-'], "_");
    if matches!(
        n.as_str(),
        "bor" | "orr" | "best_response" | "best_overall_response" | "objective_response"
    ) {
        "objective response".to_string()
    } else {
        words(column)
    }
}

/// A column name as words: `ae_hand_foot` → "hand foot", `best.response` → "best response".
fn words(name: &str) -> String {
    // A label ("Hand–foot syndrome", "ALT increased") keeps its case, but for a capital
    // that only starts the sentence.
    if !name.contains(['_', '.']) && name.chars().any(char::is_uppercase) {
        let mut c = name.chars();
        let first = c.next().map(|f| f.to_lowercase().to_string());
        let second_lower = name.chars().nth(1).is_some_and(char::is_lowercase);
        return match first {
            Some(f) if second_lower => f + c.as_str(),
            _ => name.to_string(),
        };
    }
    let lower = name.to_lowercase();
    let n = lower
        .strip_prefix("ae_")
        .or_else(|| lower.strip_prefix("ae."))
        .unwrap_or(&lower);
    n.replace(['_', '.'], " ")
}

/// The response sentence: each arm's rate with its exact (Clopper–Pearson) interval, the
/// compared arm first, and Fisher's exact P.
pub fn response_sentence(r: &crate::response::ResponseAnalysis, style: TextStyle) -> String {
    let mut order: Vec<usize> = (0..r.arms.len()).collect();
    if order.len() == 2 {
        order.reverse();
    }
    let parts: Vec<String> = order
        .iter()
        .filter_map(|&i| r.arms.get(i))
        .map(|a| {
            format!(
                "{} with {}",
                proportion_phrase(&a.proportion, style),
                a.group
            )
        })
        .collect();
    let p = match (r.comparisons.as_slice(), &r.overall) {
        ([c], _) => Some(c.fisher.p_value),
        (_, Some(o)) => Some(o.p_value),
        _ => None,
    };
    let tail = p.map_or(String::new(), |p| {
        format!(" ({}, Fisher's exact test)", style.p.label(p))
    });
    format!(
        "The {} rate was {}{tail}.",
        response_words(&r.outcome),
        join_and(&parts)
    )
}

/// One sentence per adverse event: how many patients had it in each arm (the compared arm
/// first with two arms), with Fisher's exact P.
pub fn ae_sentences(t: &survcalc_stats::adverse::AeTable, style: TextStyle) -> Vec<String> {
    let grades = t.options.grades.map_or(String::new(), |g| {
        if g.min == g.max {
            format!("Grade {} ", g.min)
        } else {
            format!("Grade {}\u{2013}{} ", g.min, g.max)
        }
    });
    let mut order: Vec<usize> = (0..t.arms.len()).collect();
    if order.len() == 2 {
        order.reverse();
    }
    // One sentence per term: rows by worst grade (AeOptions::by_grade) belong in the
    // table.
    t.rows
        .iter()
        .filter(|row| row.level == survcalc_stats::adverse::AeLevel::AllGrades)
        .map(|row| {
            let parts: Vec<String> = order
                .iter()
                .filter_map(|&i| {
                    Some(format!(
                        "{:.1}% ({} of {}) with {}",
                        row.percent.get(i)?,
                        row.counts.get(i)?,
                        row.at_risk.get(i)?,
                        t.arms.get(i)?
                    ))
                })
                .collect();
            let tail = row.p_value.map_or(String::new(), |p| {
                format!(" ({}, Fisher's exact test)", style.p.label(p))
            });
            let term = words(&row.term);
            let term = if grades.is_empty() {
                let mut c = term.chars();
                c.next()
                    .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
            } else {
                term
            };
            format!("{grades}{term} occurred in {}{tail}.", join_and(&parts))
        })
        .collect()
}

/// The whole table as CSV (every column, every row, as read), for a report that is asked
/// to carry its data.
pub fn table_csv(table: &survcalc_io::Table) -> String {
    let mut rows = Vec::with_capacity(table.n_rows() + 1);
    rows.push(table.columns.clone());
    for r in 0..table.n_rows() {
        rows.push(table.row(r).into_iter().map(str::to_string).collect());
    }
    csv_string(rows)
}
