//! The plain-text report: what R's print methods show, laid out for a terminal.

use std::fmt::Write;
use survcalc_core::format::p_exact;
use survcalc_core::report::{sentences, TextStyle};
use survcalc_core::{analysis::fmt_level, Analysis, Mapping};

fn num(x: Option<f64>) -> String {
    x.map_or_else(|| "NA".to_string(), |v| format!("{v:.4}"))
}

/// A table of medians with their limits, one row per arm: label, n, a count (`count`
/// names it) and the median.
fn median_table<'a>(
    s: &mut String,
    w: usize,
    count: &str,
    rows: impl Iterator<Item = (&'a String, usize, usize, &'a survcalc_core::MedianCi)>,
) {
    let _ = writeln!(
        s,
        "{:<w$} {:>12} {count:>12} {:>12} {:>12} {:>12}",
        "arm", "n", "median", "0.95LCL", "0.95UCL"
    );
    for (group, n, k, m) in rows {
        let _ = writeln!(
            s,
            "{group:<w$} {n:>12} {k:>12} {:>12} {:>12} {:>12}",
            num(m.estimate),
            num(m.lower),
            num(m.upper)
        );
    }
}

/// One test of the curves: its method, χ², df and P.
fn chisq_line(s: &mut String, method: &str, chisq: f64, df: usize, p: f64) {
    let _ = writeln!(
        s,
        "  {method:<70} chisq = {chisq:>9.4} on {df} df, p {}",
        p_exact(p)
    );
}

/// "tests of the curves:", the weighted log-rank family, then MaxCombo.
fn tests_lines(
    s: &mut String,
    tests: &[survcalc_core::compare::WeightedLogRank],
    max_combo: Option<&survcalc_core::compare::MaxCombo>,
) {
    let _ = writeln!(s, "\ntests of the curves:");
    for t in tests {
        chisq_line(s, &t.method, t.chisq, t.df, t.p_value);
    }
    if let Some(m) = max_combo {
        let _ = writeln!(
            s,
            "  {:<70} max|Z| = {:>8.4},        p {}",
            m.method,
            m.z_max,
            p_exact(m.p_value)
        );
    }
}

/// The RMST of each arm up to τ and each arm's difference from the reference.
fn rmst_lines(
    s: &mut String,
    r: &survcalc_core::RmstTable,
    comparisons: &[survcalc_core::RmstComparison],
) {
    let _ = writeln!(s, "RMST to tau = {} (survRM2):", r.tau);
    for g in &r.groups {
        let _ = writeln!(
            s,
            "  {:<22} {:.4} (se {:.4}; {:.4}, {:.4})",
            g.group, g.estimate, g.se, g.lower, g.upper
        );
    }
    for c in comparisons {
        let _ = writeln!(
            s,
            "  {} - {}: {} ({}, {}), p {}",
            c.arm1.group,
            c.arm0.group,
            num(c.difference.estimate),
            num(c.difference.lower),
            num(c.difference.upper),
            c.difference.p_value.map_or_else(|| "= NA".into(), p_exact)
        );
    }
}

/// Renders the analysis as text.
pub fn render(a: &Analysis, m: &Mapping, reading: &str, endpoint: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "read as {reading}");
    let _ = writeln!(
        s,
        "time = {}, event = {}, group = {}",
        m.time,
        a.event_coding,
        m.group.as_deref().unwrap_or("(none)")
    );
    let _ = writeln!(
        s,
        "n = {} of {} rows ({} excluded)",
        a.n_used,
        a.n_rows,
        a.excluded.len()
    );
    for e in &a.excluded {
        let _ = writeln!(s, "  excluded: {e}");
    }
    for n in &a.notes {
        let _ = writeln!(s, "  note: {n}");
    }
    for w in &a.warnings {
        let _ = writeln!(s, "  warning: {w}");
    }
    let lvl = fmt_level(a.options.km.conf_level);
    let _ = writeln!(
        s,
        "\n{:<24} {:>6} {:>7} {:>10} {:>10} {:>10}   (median: R band inversion, conf.type = {})",
        "group",
        "n",
        "events",
        "median",
        format!("{lvl}LCL"),
        format!("{lvl}UCL"),
        a.options.km.conf_type.r_name()
    );
    for g in &a.summaries {
        let _ = writeln!(
            s,
            "{:<24} {:>6} {:>7} {:>10} {:>10} {:>10}",
            g.group,
            g.n,
            g.events,
            num(g.median.estimate),
            num(g.median.lower),
            num(g.median.upper)
        );
    }
    let _ = writeln!(s, "\nmedian, SPSS symmetric CI (lower floored at 0):");
    for g in &a.summaries {
        let _ = writeln!(
            s,
            "{:<24} {:>10} {:>10} {:>10}",
            g.group,
            num(g.median_spss.estimate),
            num(g.median_spss.lower),
            num(g.median_spss.upper)
        );
    }
    if let Some(lr) = &a.log_rank {
        let _ = writeln!(s, "\nlog-rank test (R survdiff):");
        for i in 0..lr.groups.len() {
            let _ = writeln!(
                s,
                "{:<24} N = {:>5}  O = {:>8.2}  E = {:>8.2}",
                lr.groups[i], lr.n[i], lr.observed[i], lr.expected[i]
            );
        }
        let _ = writeln!(
            s,
            "Chisq = {:.6} on {} df, p {}",
            lr.chisq,
            lr.df,
            p_exact(lr.p_value)
        );
    }
    if !a.tests.is_empty() {
        // The trend test (three or more arms) and MaxCombo (two) never come together.
        tests_lines(&mut s, &a.tests, a.max_combo.as_ref());
        if let Some(t) = &a.trend {
            chisq_line(&mut s, &t.method, t.chisq, t.df, t.p_value);
        }
        if let Some(p) = &a.pairwise {
            for c in &p.comparisons {
                let _ = writeln!(
                    s,
                    "  pairwise {} vs {}: chisq = {:.4}, p {}, Holm p {}, Bonferroni p {}",
                    c.group_a,
                    c.group_b,
                    c.chisq,
                    p_exact(c.p_value),
                    p_exact(c.p_holm),
                    p_exact(c.p_bonferroni)
                );
            }
        }
    }
    for h in &a.hr_other {
        let _ = writeln!(
            s,
            "HR {} vs {}: {:.4} ({}% CI {:.4}, {:.4}) — {}",
            h.group,
            h.reference,
            h.hr,
            fmt_level(h.conf_level),
            h.lower,
            h.upper,
            h.method.describe()
        );
    }
    let fu = &a.follow_up.overall.median;
    let _ = writeln!(
        s,
        "\nmedian follow-up (reverse Kaplan–Meier): {} ({}, {})",
        num(fu.estimate),
        num(fu.lower),
        num(fu.upper)
    );
    if let Some(r) = &a.rmst {
        rmst_lines(&mut s, r, &a.rmst_comparisons);
    }
    for l in &a.landmarks {
        for r in &l.rows {
            let _ = writeln!(
                s,
                "S({}) {}: {:.4} ({}, {})",
                r.time,
                l.group,
                r.surv,
                num(r.lower),
                num(r.upper)
            );
        }
    }
    if let Some(c) = &a.cox {
        let _ = writeln!(
            s,
            "\nCox model (R coxph, ties = \"{}\"), reference = {}:",
            c.options.ties.r_name(),
            c.reference
        );
        for t in &c.terms {
            if t.coef.is_nan() {
                // R prints NA; say why.
                let _ = writeln!(
                    s,
                    "{:<24} coef = NA  (not estimable: the column is singular, as R's NA)",
                    t.level
                );
                continue;
            }
            let _ = writeln!(
                s,
                "{:<24} coef = {:>9.6}  se = {:.6}  HR = {:.4} ({}% CI {:.4}, {:.4})  p {}",
                t.level,
                t.coef,
                t.se,
                t.hr,
                fmt_level(c.options.conf_level),
                t.hr_lower,
                t.hr_upper,
                p_exact(t.p_value)
            );
        }
        let _ = writeln!(
            s,
            "Likelihood ratio test = {:.4} on {} df, p {}",
            c.lr_test.chisq,
            c.lr_test.df,
            p_exact(c.lr_test.p_value)
        );
        let _ = writeln!(
            s,
            "Wald test             = {:.4} on {} df, p {}",
            c.wald_test.chisq,
            c.wald_test.df,
            p_exact(c.wald_test.p_value)
        );
        let _ = writeln!(
            s,
            "Score (logrank) test  = {:.4} on {} df, p {}",
            c.score_test.chisq,
            c.score_test.df,
            p_exact(c.score_test.p_value)
        );
        let _ = writeln!(s, "iterations = {}", c.iterations);
    }
    if let Some(t) = &a.stratified_log_rank {
        let _ = writeln!(
            s,
            "\nstratified: {} chisq = {:.4} on {} df, p {}",
            t.method,
            t.chisq,
            t.df,
            p_exact(t.p_value)
        );
    }
    if let Some(m) = &a.cox_adjusted {
        let _ = writeln!(
            s,
            "\nadjusted Cox model (n = {}, events = {}, {} row(s) excluded for missing values):",
            m.n,
            m.events,
            m.excluded.len()
        );
        for c in &m.coefficients {
            if c.singular {
                let _ = writeln!(
                    s,
                    "  {:<24} coef = NA  (not estimable: the column is singular, as R's NA)",
                    c.name
                );
                continue;
            }
            let _ = writeln!(
                s,
                "  {:<24} coef = {:>10.6}  se = {:.6}  HR = {:.4} ({:.4}, {:.4})  p {}",
                c.name,
                c.coef,
                c.se,
                c.hr,
                c.hr_lower,
                c.hr_upper,
                p_exact(c.p_value)
            );
        }
    }
    let _ = writeln!(s, "\nfor the paper:");
    for line in sentences(a, endpoint, TextStyle::default()) {
        let _ = writeln!(s, "  {line}");
    }
    s
}

/// Renders a competing-risks analysis as text: per cause, the cumulative incidence at
/// the landmark times by arm, Gray's test, the Fine–Gray and cause-specific hazard
/// ratios; then the sentences and the methods.
pub fn render_competing(a: &survcalc_core::competing_risks::CompetingAnalysis) -> String {
    use survcalc_core::competing_risks::competing_sentences;
    let mut s = String::new();
    let lvl = fmt_level(a.conf_level);
    let _ = writeln!(
        s,
        "n = {} of {} rows ({} excluded); arms: {}",
        a.n_used,
        a.n_rows,
        a.excluded.len(),
        a.groups.join(", ")
    );
    for e in a.excluded.iter().take(20) {
        let _ = writeln!(s, "  excluded: {e}");
    }
    if a.excluded.len() > 20 {
        let _ = writeln!(
            s,
            "  … and {} more rows excluded (--format json lists them all)",
            a.excluded.len() - 20
        );
    }
    let pct = |x: Option<f64>| x.map_or_else(|| "NA".to_string(), |v| format!("{:.1}", 100.0 * v));
    for cause in &a.causes {
        let _ = writeln!(s, "\ncause {} ({})", cause.code, cause.label);
        let _ = writeln!(
            s,
            "  cumulative incidence, % (Aalen–Johansen; {lvl}% CI log(−log), cmprsk variance)"
        );
        let _ = writeln!(
            s,
            "  {:<20} {:>10} {:>8} {:>18} {:>8} {:>8} {:>8}",
            "arm", "time", "CIF", "CI", "SE", "SE (IJ)", "at risk"
        );
        for l in a.landmarks.iter().filter(|l| l.cause == cause.code) {
            let _ = writeln!(
                s,
                "  {:<20} {:>10} {:>8} {:>18} {:>8} {:>8} {:>8}",
                l.group,
                l.time,
                pct(l.estimate),
                format!("{}, {}", pct(l.lower), pct(l.upper)),
                pct(l.variance.map(f64::sqrt)),
                pct(l.variance_ij.map(f64::sqrt)),
                l.n_risk
            );
        }
        let _ = writeln!(
            s,
            "  (SE: cmprsk::cuminc's delta method, used for the CI; SE (IJ): survival::survfit's infinitesimal jackknife)"
        );
        if let Some(t) = a.tests.iter().find(|t| t.cause == cause.code) {
            let _ = writeln!(
                s,
                "  Gray's test: chi-square {} on {} df, p {}",
                num(t.statistic),
                t.df,
                t.p_value
                    .map_or_else(|| "NA".into(), survcalc_core::format::p_value)
            );
        }
        if let Some(m) = a.models.iter().find(|m| m.cause == cause.code) {
            match (&m.fine_gray, &m.fine_gray_note) {
                (Some(f), _) => {
                    for t in &f.terms {
                        let _ = writeln!(
                            s,
                            "  subdistribution HR {} vs {}: {:.4} ({lvl}% CI {:.4}, {:.4}), p {} (Fine–Gray, cmprsk::crr)",
                            t.name,
                            a.groups.first().map_or("", String::as_str),
                            t.shr,
                            t.lower,
                            t.upper,
                            survcalc_core::format::p_value(t.p_value)
                        );
                    }
                }
                (None, Some(n)) => {
                    let _ = writeln!(s, "  subdistribution HR (Fine–Gray): {n}");
                }
                (None, None) => {}
            }
            for t in &m.cause_specific {
                let _ = writeln!(
                    s,
                    "  cause-specific HR {} vs {}: {:.4} ({lvl}% CI {:.4}, {:.4}), p {} (Cox, Efron ties)",
                    t.level,
                    a.groups.first().map_or("", String::as_str),
                    t.hr,
                    t.hr_lower,
                    t.hr_upper,
                    survcalc_core::format::p_value(t.p_value)
                );
            }
            if let Some(n) = &m.cause_specific_note {
                let _ = writeln!(s, "  cause-specific HR (Cox): {n}");
            }
        }
    }
    let _ = writeln!(s);
    for line in competing_sentences(a, "", TextStyle::default()) {
        let _ = writeln!(s, "{line}");
    }
    let _ = writeln!(s, "\nmethods: {}", a.method);
    s
}

/// Renders a design: its numbers, the protocol's sentence and the method.
pub fn render_design(r: &survcalc_core::design_report::DesignReport) -> String {
    let mut s = String::new();
    if let Some(d) = &r.survival {
        let _ = writeln!(
            s,
            "events needed: {:.2} (→ {:.0})",
            d.events,
            d.events.ceil()
        );
        for (m, e) in &d.events_by_method {
            let _ = writeln!(s, "  {:<16} {e:.2}", m.name());
        }
        let _ = writeln!(
            s,
            "patients: {:.2} (treatment {:.2}, control {:.2})",
            d.subjects, d.subjects_treatment, d.subjects_control
        );
        let _ = writeln!(
            s,
            "P(event) treatment {:.4}, control {:.4}; hazards {:.5}, {:.5}; HR {:.4}",
            d.event_probability_treatment,
            d.event_probability_control,
            d.lambda_treatment,
            d.lambda_control,
            d.hazard_ratio
        );
        let _ = writeln!(
            s,
            "follow-up after accrual {:.3}; analysis at {:.3}",
            d.follow_up, d.study_duration
        );
    }
    if let Some(sd) = &r.simon {
        for (name, d) in [("optimal", &sd.optimal), ("minimax", &sd.minimax)] {
            let _ = writeln!(
                s,
                "{name:<8} r1/n1 = {}/{}, r/n = {}/{}, EN0 {:.2}, PET0 {:.3}, alpha {:.4}, power {:.4}",
                d.r1, d.n1, d.r, d.n, d.expected_n0, d.pet0, d.alpha, d.power
            );
        }
    }
    if let Some(i) = &r.inference {
        let _ = writeln!(
            s,
            "after the trial: UMVUE {:.4} (naive {:.4}), one-sided P {:.4}, {}% CI {:.4}, {:.4}",
            i.umvue,
            i.naive,
            i.p_value,
            fmt_level(i.conf_level),
            i.lower,
            i.upper
        );
    }
    if let Some(d) = &r.single_stage {
        let _ = writeln!(
            s,
            "single stage (A'Hern): n = {}, promising with ≥ {} responses, alpha {:.4}, power {:.4}",
            d.n, d.r, d.alpha, d.power
        );
    }
    if let Some(p) = &r.proportions {
        let _ = writeln!(
            s,
            "per group: {:.4} (normal approximation), {:.4} (continuity correction); exact power of Fisher's test with {} per group: {:.4}",
            p.n, p.n_corrected, p.exact_n, p.exact_power
        );
    }
    let _ = writeln!(s, "\n{}\n\nmethods: {}", r.sentence, r.method);
    s
}

/// What `survcalc stream` computed from the counts, every number of its text and JSON.
pub struct StreamResults {
    /// Rows read.
    pub rows: u64,
    /// Distinct (arm, time) pairs held.
    pub entries: usize,
    /// Kaplan–Meier of each arm.
    pub km: Vec<survcalc_core::KmCurve>,
    /// Each arm's median with its CI.
    pub medians: Vec<survcalc_core::MedianCi>,
    /// The log-rank test (two arms or more).
    pub log_rank: Option<survcalc_core::LogRank>,
    /// The weighted family of tests of the curves.
    pub tests: Vec<survcalc_core::compare::WeightedLogRank>,
    /// MaxCombo (two arms).
    pub max_combo: Option<survcalc_core::compare::MaxCombo>,
    /// The Cox model on the arm.
    pub cox: Option<survcalc_core::CoxFit>,
    /// Median follow-up.
    pub follow_up: survcalc_core::FollowUpSummary,
    /// The RMST of each arm, or why it was not computed.
    pub rmst: Result<survcalc_core::RmstTable, String>,
    /// Each arm's RMST against the reference's.
    pub rmst_comparisons: Vec<survcalc_core::RmstComparison>,
}

/// Renders `survcalc stream`'s result: the medians, the tests, the Cox model, follow-up
/// and the RMST, each with the method that made it.
pub fn render_stream(r: &StreamResults) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} rows read, held as {} distinct (arm, time) counts\n",
        r.rows, r.entries
    );
    let _ = writeln!(
        s,
        "Kaplan–Meier (Greenwood variance, log-transformed 95% limits; median as R \
         print.survfit)"
    );
    let w = r.km.iter().map(|c| c.group.len()).max().unwrap_or(0).max(7);
    median_table(
        &mut s,
        w,
        "events",
        r.km.iter()
            .zip(&r.medians)
            .map(|(c, m)| (&c.group, c.n, c.events, m)),
    );
    if let Some(lr) = &r.log_rank {
        let _ = writeln!(
            s,
            "\nLog-rank test (R survdiff, rho = 0): chisq = {:.4} on {} df, p {}",
            lr.chisq,
            lr.df,
            p_exact(lr.p_value)
        );
    }
    if !r.tests.is_empty() {
        tests_lines(&mut s, &r.tests, r.max_combo.as_ref());
    }
    if let Some(c) = &r.cox {
        let _ = writeln!(
            s,
            "\nCox model on the arm (R coxph, {} ties; Wald 95% CI), reference {}:",
            c.options.ties.r_name(),
            c.reference
        );
        for t in &c.terms {
            let _ = writeln!(
                s,
                "  HR {} vs {} = {:.4} (95% CI {:.4}, {:.4}), p {}",
                t.level,
                c.reference,
                t.hr,
                t.hr_lower,
                t.hr_upper,
                p_exact(t.p_value)
            );
        }
        for w in &c.warnings {
            let _ = writeln!(s, "  warning: {w}");
        }
    }
    let _ = writeln!(
        s,
        "\nMedian follow-up (reverse Kaplan–Meier, R print.survfit of Surv(time, 1 - status)):"
    );
    median_table(
        &mut s,
        w,
        "censored",
        std::iter::once(&r.follow_up.overall)
            .chain(&r.follow_up.groups)
            .map(|f| (&f.group, f.n, f.censored, &f.median)),
    );
    let _ = writeln!(s);
    match &r.rmst {
        Ok(t) => rmst_lines(&mut s, t, &r.rmst_comparisons),
        Err(e) => {
            let _ = writeln!(s, "RMST not computed: {e}");
        }
    }
    s
}
