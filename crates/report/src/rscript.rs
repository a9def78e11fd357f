//! "Reproduce in R": an R script that reads the user's own file by name and computes, with
//! R `survival`, every survival number of the report with the same options — survfit
//! (medians and their CIs, survival at the landmarks, the restricted mean), survdiff,
//! coxph and cox.zph, the stratified and adjusted models when asked for — and draws the
//! figure (survminer when installed, base graphics otherwise).
//!
//! The script rebuilds the analysed rows from the file in plain R: the time column as
//! numbers (or the days between two dates), converted to the report's unit; the event
//! column's values that survcalc read as "event" and as "censored", listed; the arms in
//! the report's order and labels. Then it checks that it has as many rows as survcalc
//! analysed and stops, saying so, when not.
//!
//! Each number survcalc shows is printed once more at the end of each endpoint's block as
//! `[survcalc] <endpoint> | <quantity> | <arm> = <value>` at full precision, so that a
//! reader (or a test) can put them beside the report. Numbers whose method R's survival
//! does not have (SPSS's symmetric median CI, the Mantel–Haenszel HR, MaxCombo) are not in
//! the script; its comments say so.

use crate::analysis::{Analysis, AnalysisOptions};
use crate::convention::Convention;
use survcalc_io::{prepare, DateOrder, Mapping, Source, Table};
use survcalc_stats::estimate::median::MedianMethod;

/// One endpoint of the script: its name in the report, its mapping and its analysis.
pub struct REndpoint<'a> {
    /// The report's name for it ("OS").
    pub name: &'a str,
    /// Its columns.
    pub mapping: &'a Mapping,
    /// The analysis the script reproduces.
    pub analysis: &'a Analysis,
}

/// An R string literal.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `c("a", "b")`.
fn strings(v: &[String]) -> String {
    format!(
        "c({})",
        v.iter().map(|s| q(s)).collect::<Vec<_>>().join(", ")
    )
}

/// `c(6, 12)` with R's shortest round-trip digits (Rust's `{}` for f64).
fn numbers(v: &[f64]) -> String {
    format!(
        "c({})",
        v.iter()
            .map(|x| format!("{x}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// `d[["name"]]`.
fn col(name: &str) -> String {
    format!("d[[{}]]", q(name))
}

/// The distinct raw cells of `column` on the analysed rows, in first-seen order, split by
/// what the analysis made of them (`key` of each observation).
pub(crate) fn raw_values<K: PartialEq + Copy>(
    table: &Table,
    column: &str,
    rows: &[usize],
    keys: &[K],
    key: K,
) -> Vec<String> {
    let Some(c) = table.column_index(column) else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for (k, &row) in rows.iter().enumerate() {
        if keys.get(k) == Some(&key) {
            let v = table.cell(row, c).trim().to_string();
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out
}

/// Where the script's data comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum RData {
    /// A file the user has, opened by this name (keep the script beside it).
    File(String),
    /// Text written into the script itself (pasted data, the built-in example), with a
    /// name for the figure's file.
    Inline {
        /// The text as read.
        text: String,
        /// A short name ("example").
        name: String,
    },
}

impl RData {
    fn name(&self) -> &str {
        match self {
            RData::File(f) => f,
            RData::Inline { name, .. } => name,
        }
    }
}

/// An R raw string holding `text`, with a delimiter the text does not contain.
fn raw_string(text: &str) -> String {
    let mut dashes = String::new();
    while text.contains(&format!("){dashes}\"")) {
        dashes.push('-');
    }
    format!("r\"{dashes}({text}){dashes}\"")
}

/// The `read.csv` / `readxl::read_excel` call that reads the file as survcalc read it
/// (every column as text, so that no value is changed on the way in).
fn read_call(table: &Table, data: &RData) -> String {
    if let RData::Inline { text, .. } = data {
        let sep = table.delimiter.to_string();
        return format!(
            "# The data, as pasted into survcalc (or its built-in example).\n\
             text <- {}\n\
             d0 <- read.csv(text = text, sep = {}, header = {}, check.names = FALSE,\n\
             \x20              colClasses = \"character\", na.strings = character(0), strip.white = TRUE)\n",
            raw_string(text.trim_end()),
            q(&sep),
            if table.has_header { "TRUE" } else { "FALSE" }
        );
    }
    let skip = table.lines.first().map_or(0, |l| {
        l.saturating_sub(if table.has_header { 2 } else { 1 })
    });
    match &table.source {
        Source::Workbook { sheet, .. } => format!(
            "# A workbook: read with readxl (install.packages(\"readxl\")), every cell as text.\n\
             d0 <- as.data.frame(readxl::read_excel(file, sheet = {}, skip = {skip}, col_names = {}, col_types = \"text\"))\n",
            q(sheet),
            if table.has_header { "TRUE" } else { "FALSE" }
        ),
        Source::Text { encoding, bom } => {
            let sep = table.delimiter.to_string();
            format!(
                "d0 <- read.csv(file, sep = {}, header = {}, skip = {skip}, check.names = FALSE,\n\
                 \x20              colClasses = \"character\", na.strings = character(0),\n\
                 \x20              fileEncoding = {}, strip.white = TRUE)\n",
                q(&sep),
                if table.has_header { "TRUE" } else { "FALSE" },
                q(match (encoding, bom) {
                    (survcalc_io::TextEncoding::Utf8, true) => "UTF-8-BOM",
                    (survcalc_io::TextEncoding::Utf8, false) => "UTF-8",
                    // iconv reads the byte-order mark of "UTF-16" and drops it.
                    (survcalc_io::TextEncoding::Utf16Le | survcalc_io::TextEncoding::Utf16Be, true) => "UTF-16",
                    (survcalc_io::TextEncoding::Utf16Le, false) => "UTF-16LE",
                    (survcalc_io::TextEncoding::Utf16Be, false) => "UTF-16BE",
                    (survcalc_io::TextEncoding::Windows1252, _) => "windows-1252",
                })
            )
        }
    }
}

/// The response analysis of the report, with the columns it was made from.
pub struct RResponse<'a> {
    /// Its columns and success values.
    pub mapping: &'a crate::response::ResponseMapping,
    /// The analysis.
    pub analysis: &'a crate::response::ResponseAnalysis,
}

/// What the script reproduces: the survival endpoints, and the response, adverse-event
/// and competing-risks analyses when the report has them.
pub struct RReport<'a> {
    /// The endpoints, in the report's order.
    pub endpoints: &'a [REndpoint<'a>],
    /// The response by arm.
    pub response: Option<RResponse<'a>>,
    /// The adverse-event table.
    pub ae: Option<&'a survcalc_stats::adverse::AeTable>,
    /// The competing-risks analysis.
    pub competing: Option<RCompeting<'a>>,
}

/// The R script for `endpoints` of the file `file_name` (the name the script opens; the
/// user keeps the script beside the file).
///
/// # Errors
/// A message when an endpoint's mapping no longer fits the table (it was analysed from
/// it, so this does not happen for a report made from the same table).
pub fn r_script(
    data: &RData,
    table: &Table,
    report: &RReport<'_>,
    options: &AnalysisOptions,
    version: &str,
) -> Result<String, String> {
    let RReport {
        endpoints,
        response,
        ae,
        competing,
    } = report;
    let mut s = String::new();
    let push = |s: &mut String, line: &str| {
        s.push_str(line);
        s.push('\n');
    };
    let file_name = data.name();
    let how = match data {
        RData::File(_) => format!(
            "# Keep this script beside the file and run it: Rscript {}",
            script_name(file_name)
        ),
        RData::Inline { .. } => format!(
            "# The data is in the script; run it: Rscript {}",
            script_name(file_name)
        ),
    };
    push(
        &mut s,
        &format!(
            "# Reproduces survcalc {version}'s report on {file_name} with R's survival package.\n\
             {how}\n\
             # Each number of the report is printed again at the end of its endpoint as\n\
             # \"[survcalc] endpoint | quantity | arm = value\" (full precision)."
        ),
    );
    if options.convention != Convention::R {
        push(
            &mut s,
            &format!(
                "# The report follows the {} convention; the options below are the ones it used.",
                options.convention.label()
            ),
        );
    }
    push(&mut s, "library(survival)");
    push(&mut s, &format!("file <- {}", q(file_name)));
    s.push_str(&read_call(table, data));
    push(
        &mut s,
        &format!(
            "num <- function(x) suppressWarnings(as.numeric({}))",
            if table.decimal_comma {
                "sub(\",\", \".\", trimws(x), fixed = TRUE)"
            } else {
                "trimws(x)"
            }
        ),
    );
    push(
        &mut s,
        "show <- function(label, value) cat(\"[survcalc] \", label, \" = \",\n\
         \x20 if (length(value) == 0 || is.na(value)) \"NA\" else format(value, digits = 17), \"\\n\", sep = \"\")",
    );
    for ep in *endpoints {
        s.push('\n');
        endpoint_block(&mut s, table, ep, options)?;
    }
    if let Some(r) = response {
        s.push('\n');
        response_block(&mut s, table, r);
    }
    if let Some(t) = ae {
        s.push('\n');
        ae_block(&mut s, t);
    }
    if let Some(c) = competing {
        s.push('\n');
        competing_block(&mut s, c);
    }
    Ok(s)
}

/// The outcome cells read as success and as failure (trimmed, distinct, in first-seen
/// order), over the rows the response analysis counts.
pub(crate) fn response_values(
    table: &Table,
    m: &crate::response::ResponseMapping,
) -> (Vec<String>, Vec<String>) {
    let user: Vec<String> = m.success.iter().map(|v| crate::response::norm(v)).collect();
    let (mut yes, mut no) = (Vec::<String>::new(), Vec::<String>::new());
    if let (Some(oc), Some(gc)) = (table.column_index(&m.outcome), table.column_index(&m.group)) {
        for row in 0..table.n_rows() {
            let (ov, gv) = (table.cell(row, oc), table.cell(row, gc));
            if survcalc_io::table::is_missing(gv) || survcalc_io::table::is_missing(ov) {
                continue;
            }
            let v = ov.trim().to_string();
            match crate::response::outcome_of(ov, &user, table.decimal_comma) {
                Some(true) if !yes.contains(&v) => yes.push(v),
                Some(false) if !no.contains(&v) => no.push(v),
                _ => {}
            }
        }
    }
    (yes, no)
}

/// Response by arm: binom.test's exact (Clopper–Pearson) interval per arm, fisher.test
/// of each arm against the reference.
fn response_block(s: &mut String, table: &Table, r: &RResponse<'_>) {
    use std::fmt::Write;
    let (m, a) = (r.mapping, r.analysis);
    let (yes, no) = response_values(table, m);
    let level = a
        .arms
        .first()
        .map_or(0.95, |p| p.proportion.clopper_pearson.level);
    let _ = writeln!(
        s,
        "## Response ({}) -----------------------------------------------------",
        m.outcome
    );
    let _ = writeln!(
        s,
        "r <- d0\ny <- trimws(r[[{}]])  # {}\nr$success <- ifelse(y %in% {}, 1, ifelse(y %in% {}, 0, NA))\nr$arm <- factor(trimws(r[[{}]]), levels = {})  # the first is the reference\nr <- r[!is.na(r$success) & !is.na(r$arm), ]",
        q(&m.outcome),
        a.coding,
        strings(&yes),
        strings(&no),
        q(&m.group),
        strings(&a.groups)
    );
    let _ = writeln!(
        s,
        "if (nrow(r) != {n}) stop(\"survcalc counted {n} patients for the response; these rules give \", nrow(r))\nx <- tapply(r$success, r$arm, sum); n <- tapply(r$success, r$arm, length)\nprint(rbind(responders = x, patients = n))",
        n = a.n_used
    );
    let _ = writeln!(s, "# survcalc: the proportions with exact (Clopper–Pearson) CIs, and Fisher's exact test against the reference.\n# (Its risk difference uses Newcombe's hybrid score interval, DescTools::BinomDiffCI(method = \"score\"); not run here.)");
    for (i, arm) in a.groups.iter().enumerate() {
        let k = i + 1;
        let label = |what: &str| q(&format!("Response | {what} | {arm}"));
        let _ = writeln!(
            s,
            "bt <- binom.test(x[[{k}]], n[[{k}]], conf.level = {level})"
        );
        let _ = writeln!(s, "show({}, x[[{k}]] / n[[{k}]])", label("proportion"));
        let _ = writeln!(s, "show({}, bt$conf.int[1])", label("exact lower"));
        let _ = writeln!(s, "show({}, bt$conf.int[2])", label("exact upper"));
        if i > 0 {
            let _ = writeln!(
                s,
                "ft <- fisher.test(matrix(c(x[[{k}]], x[[1]], n[[{k}]] - x[[{k}]], n[[1]] - x[[1]]), 2), conf.level = {level})\nprint(ft)"
            );
            let _ = writeln!(s, "show({}, ft$p.value)", label("Fisher P"));
            let _ = writeln!(s, "show({}, ft$estimate)", label("Fisher OR"));
        }
    }
}

/// Adverse events: R's fisher.test on survcalc's counts per term (the counting — worst
/// grade per patient in the grade range — is survcalc's; the test is R's).
fn ae_block(s: &mut String, t: &survcalc_stats::adverse::AeTable) {
    use std::fmt::Write;
    let _ = writeln!(s, "## Adverse events ---------------------------------------------------------\n# Patients with the event and at risk per arm ({}) as survcalc counted them; the test is R's.", t.arms.join(", "));
    for row in &t.rows {
        if !row.test.as_deref().is_some_and(|x| x.starts_with("Fisher")) {
            continue;
        }
        let counts: Vec<f64> = row.counts.iter().map(|&c| c as f64).collect();
        let risk: Vec<f64> = row.at_risk.iter().map(|&c| c as f64).collect();
        let label = match row.level {
            survcalc_stats::adverse::AeLevel::AllGrades => row.term.clone(),
            survcalc_stats::adverse::AeLevel::Grade(g) => format!("{} grade {g}", row.term),
            survcalc_stats::adverse::AeLevel::GradeNotRecorded => {
                format!("{} grade not recorded", row.term)
            }
        };
        let _ = writeln!(
            s,
            "k <- {}; m <- {}\nshow({}, fisher.test(cbind(k, m - k))$p.value)",
            numbers(&counts),
            numbers(&risk),
            q(&format!("AE | Fisher P | {label}"))
        );
    }
}

/// The script's own file name: the data's with `-survcalc.R`.
pub fn script_name(file_name: &str) -> String {
    let stem = file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem);
    format!("{stem}-survcalc.R")
}

fn endpoint_block(
    s: &mut String,
    table: &Table,
    ep: &REndpoint<'_>,
    options: &AnalysisOptions,
) -> Result<(), String> {
    use std::fmt::Write;
    let conf = options.km.conf_level;
    let no_timefix = !options.timefix;
    let m = ep.mapping;
    let a = ep.analysis;
    let name = ep.name;
    let p = prepare(table, m).map_err(|e| e.to_string())?;
    let _ = writeln!(
        s,
        "## {name} ----------------------------------------------------------------"
    );
    let _ = writeln!(s, "d <- d0");
    if let Some(f) = &m.filter {
        let _ = writeln!(
            s,
            "d <- d[trimws({}) == {}, ]  # the rows of this endpoint",
            col(&f.column),
            q(&f.value)
        );
    }
    if let Some(c) = &m.count {
        let _ = writeln!(s, "d <- d[rep(seq_len(nrow(d)), num({})), ]  # one row per patient of the aggregated table", col(c));
    }
    // Time.
    let unit_factor = match (m.source_unit(), m.analysis_unit()) {
        (Some(from), Some(to)) if from != to => Some((from.in_days() / to.in_days(), from, to)),
        _ => None,
    };
    if let Some(dates) = &m.dates {
        // The order survcalc read them in (ISO dates settle none).
        let formats = match p.date_order.unwrap_or(dates.order) {
            DateOrder::Ymd | DateOrder::Auto => "c(\"%Y-%m-%d\", \"%Y/%m/%d\")",
            DateOrder::Dmy => "c(\"%d/%m/%Y\", \"%d.%m.%Y\", \"%d-%m-%Y\")",
            DateOrder::Mdy => "c(\"%m/%d/%Y\", \"%m-%d-%Y\")",
        };
        let _ = writeln!(
            s,
            "d$time <- as.numeric(as.Date(trimws({}), tryFormats = {formats}) - as.Date(trimws({}), tryFormats = {formats}))  # days",
            col(&dates.end),
            col(&dates.start),
        );
    } else {
        let _ = writeln!(s, "d$time <- num({})", col(&m.time));
    }
    if let Some((f, from, to)) = unit_factor {
        let _ = writeln!(
            s,
            "d$time <- d$time * {f}  # {} to {}",
            from.name(),
            to.name()
        );
    }
    // Event.
    if let Some(k) = &m.counts {
        let _ = writeln!(
            s,
            "# An aggregated table: each row's events ({e}) and censored ({c}), one row per patient.\n\
             de <- d; de$status <- 1; de$w <- num(d[[{eq}]])\n\
             dc <- d; dc$status <- 0; dc$w <- num(d[[{cq}]])\n\
             d <- rbind(de, dc); d <- d[!is.na(d$w) & d$w > 0, ]; d <- d[rep(seq_len(nrow(d)), d$w), ]",
            e = k.events,
            c = k.censored,
            eq = q(&k.events),
            cq = q(&k.censored)
        );
    } else {
        let events = raw_values(table, &m.event, &p.rows, p.data.event(), true);
        let censored = raw_values(table, &m.event, &p.rows, p.data.event(), false);
        let _ = writeln!(
            s,
            "e <- trimws({})  # {}\nd$status <- ifelse(e %in% {}, 1, ifelse(e %in% {}, 0, NA))",
            col(&m.event),
            a.event_coding,
            strings(&events),
            strings(&censored)
        );
    }
    // Group.
    let grouped = m.group.is_some() && a.groups.len() > 1;
    if let (Some(g), true) = (&m.group, grouped) {
        let levels: Vec<String> = (0..a.groups.len())
            .map(|i| {
                raw_values(table, g, &p.rows, p.data.group(), i)
                    .into_iter()
                    .next()
                    .unwrap_or_default()
            })
            .collect();
        let _ = writeln!(
            s,
            "d$arm <- factor(trimws({}), levels = {}, labels = {})  # the first is the reference",
            col(g),
            strings(&levels),
            strings(&a.groups)
        );
    } else {
        let _ = writeln!(
            s,
            "d$arm <- factor(rep({}, nrow(d)))",
            q(a.groups.first().map_or("All", String::as_str))
        );
    }
    let mut keep = "!is.na(d$time) & d$time >= 0 & !is.na(d$status) & !is.na(d$arm)".to_string();
    if let Some(st) = &options.strata {
        let _ = writeln!(s, "d$stratum <- factor(trimws({}))", col(st));
        keep.push_str(" & d$stratum != \"\"");
    }
    let _ = writeln!(s, "d <- d[{keep}, ]");
    let _ = writeln!(
        s,
        "if (nrow(d) != {n}) stop(\"survcalc analysed {n} rows of {name}; these rules give \", nrow(d), \": see the rows survcalc left out in its report\")",
        n = a.n_used
    );
    let tf = if no_timefix { ", timefix = FALSE" } else { "" };
    let rhs = if grouped { "arm" } else { "1" };
    let _ = writeln!(
        s,
        "\n# Kaplan–Meier, {} CI (survcalc: the curves, n, events, median (95% CI))",
        options.km.conf_type.r_name()
    );
    let _ = writeln!(
        s,
        "fit <- survfit(Surv(time, status) ~ {rhs}, data = d, conf.type = {}, conf.int = {conf}{tf})\nprint(fit)",
        q(options.km.conf_type.r_name())
    );
    if !matches!(options.median_method, MedianMethod::RBandInversion) {
        let _ = writeln!(
            s,
            "# The report's median CI is {} — not R's; print(fit) gives R's band inversion.",
            options.median_method.describe()
        );
    }
    let landmarks = !a.landmarks.is_empty() && !options.landmarks.is_empty();
    if landmarks {
        let _ = writeln!(s, "# survcalc: survival at the landmark times\nlm <- summary(fit, times = {}, extend = TRUE)\nprint(lm)", numbers(&options.landmarks));
    }
    if let Some(r) = &a.rmst {
        let _ = writeln!(
            s,
            "# survcalc: restricted mean survival time up to tau = {} (survRM2's rmst2 gives the same; its between-arm\n# differences need survRM2: survRM2::rmst2(d$time, d$status, as.integer(d$arm) - 1, tau = {}))\nrm <- summary(fit, rmean = {})$table\nif (is.null(dim(rm))) rm <- t(rm)",
            r.tau, r.tau, r.tau
        );
    }
    if grouped {
        let _ = writeln!(s, "\n# survcalc: the log-rank test\nlr <- survdiff(Surv(time, status) ~ arm, data = d{tf})\nprint(lr)");
        let ctl = if no_timefix {
            ", control = coxph.control(timefix = FALSE)"
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "\n# survcalc: the hazard ratio (Cox, ties = {t}) and the proportional-hazards check\ncox <- coxph(Surv(time, status) ~ arm, data = d, ties = {tq}{ctl})\nprint(summary(cox, conf.int = {conf}))\nzph <- cox.zph(cox, transform = \"km\")\nprint(zph)",
            t = options.cox.ties.r_name(),
            tq = q(options.cox.ties.r_name())
        );
        if options.strata.is_some() {
            let _ = writeln!(s, "\n# survcalc: the stratified log-rank test\nslr <- survdiff(Surv(time, status) ~ arm + strata(stratum), data = d{tf})\nprint(slr)");
        }
        if options.strata.is_some() || !options.covariates.is_empty() {
            let mut terms = vec!["arm".to_string()];
            for c in &options.covariates {
                let _ = writeln!(
                    s,
                    "# {c}: numbers when every filled cell is one, else categories\nx <- {}; d[[{}]] <- if (all(is.na(num(x)) == (trimws(x) == \"\"))) num(x) else factor(trimws(x))",
                    col(c),
                    q(c)
                );
                terms.push(format!("`{c}`"));
            }
            if options.strata.is_some() {
                terms.push("strata(stratum)".into());
            }
            let _ = writeln!(
                s,
                "# survcalc: the adjusted / stratified Cox model (rows with a missing covariate left out, as coxph does)\nadj <- coxph(Surv(time, status) ~ {}, data = d, ties = {}{ctl})\nprint(summary(adj, conf.int = {conf}))",
                terms.join(" + "),
                q(options.cox.ties.r_name())
            );
        }
    }
    let _ = writeln!(s, "\n# The report's numbers, as R computes them");
    let _ = writeln!(s, "tab <- summary(fit)$table\nif (is.null(dim(tab))) tab <- t(tab)\nlcl <- grep(\"LCL$\", colnames(tab)); ucl <- grep(\"UCL$\", colnames(tab))");
    for (i, g) in a.groups.iter().enumerate() {
        let row = i + 1;
        let label = |what: &str| q(&format!("{name} | {what} | {g}"));
        let _ = writeln!(s, "show({}, tab[{row}, \"records\"])", label("n"));
        let _ = writeln!(s, "show({}, tab[{row}, \"events\"])", label("events"));
        let _ = writeln!(s, "show({}, tab[{row}, \"median\"])", label("median"));
        let _ = writeln!(s, "show({}, tab[{row}, lcl])", label("median lower"));
        let _ = writeln!(s, "show({}, tab[{row}, ucl])", label("median upper"));
        if a.rmst.is_some() {
            let _ = writeln!(s, "show({}, rm[{row}, \"rmean\"])", label("RMST"));
        }
        if landmarks {
            for t in &options.landmarks {
                let strata = if grouped {
                    format!(" & lm$strata == {}", q(&format!("arm={g}")))
                } else {
                    String::new()
                };
                let _ = writeln!(
                    s,
                    "show({}, lm$surv[lm$time == {t}{strata}])",
                    label(&format!("survival at {t}"))
                );
            }
        }
    }
    if grouped {
        let _ = writeln!(
            s,
            "show({}, lr$chisq)",
            q(&format!("{name} | log-rank chi-square | all"))
        );
        let _ = writeln!(
            s,
            "show({}, pchisq(lr$chisq, length(lr$n) - 1, lower.tail = FALSE))",
            q(&format!("{name} | log-rank P | all"))
        );
        let _ = writeln!(
            s,
            "ci <- summary(cox, conf.int = {conf})$conf.int; co <- summary(cox)$coefficients"
        );
        for (j, g) in a.groups.iter().enumerate().skip(1) {
            let label = |what: &str| q(&format!("{name} | {what} | {g}"));
            let _ = writeln!(s, "show({}, ci[{j}, 1])", label("HR"));
            let _ = writeln!(s, "show({}, ci[{j}, 3])", label("HR lower"));
            let _ = writeln!(s, "show({}, ci[{j}, 4])", label("HR upper"));
            let _ = writeln!(s, "show({}, co[{j}, 5])", label("HR P (Wald)"));
        }
        let _ = writeln!(
            s,
            "show({}, zph$table[\"GLOBAL\", \"p\"])",
            q(&format!("{name} | PH test P | all"))
        );
        if options.strata.is_some() {
            let _ = writeln!(
                s,
                "show({}, slr$chisq)",
                q(&format!("{name} | stratified log-rank chi-square | all"))
            );
        }
        if let Some(adj) = &a.cox_adjusted {
            let _ = writeln!(s, "aci <- summary(adj, conf.int = {conf})$conf.int");
            for (j, c) in adj.coefficients.iter().enumerate() {
                let _ = writeln!(
                    s,
                    "show({}, aci[{}, 1])",
                    q(&format!("{name} | adjusted HR | {}", c.name)),
                    j + 1
                );
            }
        }
    }
    let _ = writeln!(
        s,
        "\n# The figure: survminer when installed (as the page's KMunicate style), base R otherwise.\n\
         if (!interactive()) pdf(paste0(sub(\"\\\\.[^.]*$\", \"\", file), {}))  # beside the data\n\
         if (requireNamespace(\"survminer\", quietly = TRUE)) {{\n\
         \x20 print(survminer::ggsurvplot(fit, data = d, conf.int = TRUE, risk.table = TRUE, censor = TRUE))\n\
         }} else {{\n\
         \x20 plot(fit, conf.int = TRUE, lty = seq_along(levels(d$arm)), mark.time = TRUE,\n\
         \x20      xlab = {}, ylab = \"Survival\")\n\
         \x20 legend(\"topright\", levels(d$arm), lty = seq_along(levels(d$arm)), bty = \"n\")\n\
         }}\n\
         if (!interactive()) invisible(dev.off())",
        q(&format!("-{}.pdf", name.to_lowercase().replace(' ', "-"))),
        q(&m.analysis_unit().map_or("Time".to_string(), |u| format!("Time ({})", u.name())))
    );
    Ok(())
}

/// The competing-risks analysis of the report, with the columns and options it was made
/// with.
pub struct RCompeting<'a> {
    /// Its columns and event codes.
    pub mapping: &'a crate::competing_risks::CompetingMapping,
    /// Its options (ρ, landmark times).
    pub options: &'a crate::competing_risks::CompetingOptions,
    /// The analysis.
    pub analysis: &'a crate::competing_risks::CompetingAnalysis,
}

/// Competing risks with cmprsk: `cuminc` (the cumulative incidence of each cause by arm
/// and Gray's test; `timepoints` at the report's landmark times) and `crr` (each cause's
/// Fine–Gray subdistribution HR of the arm).
fn competing_block(s: &mut String, r: &RCompeting<'_>) {
    use std::fmt::Write;
    let (m, o, a) = (r.mapping, r.options, r.analysis);
    // The raw event value of each cause: its code's value when the user named the codes,
    // else the label itself (numbers as they are, words as written).
    let raw = |label: &str| {
        m.cause_names
            .iter()
            .find(|(_, name)| name.trim() == label)
            .map_or_else(|| label.to_string(), |(v, _)| v.trim().to_string())
    };
    let _ = writeln!(
        s,
        "## Competing risks ({}) ------------------------------------------------\n# cmprsk (install.packages(\"cmprsk\")): cuminc for the cumulative incidence and Gray's test, crr for Fine–Gray.\nlibrary(cmprsk)\ncr <- d0\ncr$time <- num(cr[[{}]])\nev <- trimws(cr[[{}]])",
        m.event,
        q(&m.time),
        q(&m.event)
    );
    match &m.censor_value {
        Some(c) => {
            let _ = writeln!(
                s,
                "cr$fstatus <- ifelse(ev == {}, 0, NA)  # censored",
                q(c.trim())
            );
        }
        None => {
            let _ = writeln!(
                s,
                "cr$fstatus <- ifelse(tolower(ev) %in% c(\"0\", \"censored\", \"alive\", \"censor\"), 0, NA)  # censored"
            );
        }
    }
    for c in &a.causes {
        let _ = writeln!(
            s,
            "cr$fstatus[ev == {}] <- {}  # {}",
            q(&raw(&c.label)),
            c.code,
            c.label
        );
    }
    let grouped = m.group.is_some() && a.groups.len() > 1;
    match (&m.group, grouped) {
        (Some(g), true) => {
            let _ = writeln!(
                s,
                "cr$arm <- factor(trimws(cr[[{}]]), levels = {})",
                q(g),
                strings(&a.groups)
            );
        }
        _ => {
            let _ = writeln!(s, "cr$arm <- factor(rep(\"All\", nrow(cr)))");
        }
    }
    let _ = writeln!(
        s,
        "cr <- cr[!is.na(cr$time) & cr$time >= 0 & !is.na(cr$fstatus) & !is.na(cr$arm), ]\nif (nrow(cr) != {n}) stop(\"survcalc analysed {n} rows for competing risks; these rules give \", nrow(cr))",
        n = a.n_used
    );
    let group_arg = if grouped { ", cr$arm" } else { "" };
    let _ = writeln!(
        s,
        "# survcalc: the cumulative incidence of each cause by arm (cmprsk's variance), Gray's test (rho = {})\nci <- cuminc(cr$time, cr$fstatus{group_arg}, cencode = 0, rho = {})\nprint(ci)",
        o.rho, o.rho
    );
    let times: Vec<f64> = {
        let mut t: Vec<f64> = a.landmarks.iter().map(|l| l.time).collect();
        t.sort_by(f64::total_cmp);
        t.dedup();
        t
    };
    if !times.is_empty() {
        let _ = writeln!(s, "tp <- timepoints(ci, {})", numbers(&times));
    }
    let cause_label = |code: u32| {
        a.causes
            .iter()
            .find(|c| c.code == code)
            .map_or_else(|| code.to_string(), |c| c.label.clone())
    };
    for l in &a.landmarks {
        let row = if grouped {
            format!("{} {}", l.group, l.cause)
        } else {
            format!("1 {}", l.cause)
        };
        let _ = writeln!(
            s,
            "show({}, tp$est[{}, {}])",
            q(&format!(
                "Competing | CIF at {} | {} {}",
                l.time,
                l.group,
                cause_label(l.cause)
            )),
            q(&row),
            q(&format!("{}", l.time))
        );
    }
    if grouped {
        for t in &a.tests {
            let _ = writeln!(
                s,
                "show({}, ci$Tests[{}, \"pv\"])",
                q(&format!("Competing | Gray P | {}", cause_label(t.cause))),
                q(&t.cause.to_string())
            );
        }
        let _ = writeln!(s, "# survcalc: each cause's subdistribution HR of the arm (Fine–Gray, crr)\ncov <- model.matrix(~ arm, cr)[, -1, drop = FALSE]");
        for model in &a.models {
            let Some(fg) = &model.fine_gray else { continue };
            let _ = writeln!(
                s,
                "fg <- crr(cr$time, cr$fstatus, cov1 = cov, failcode = {}, cencode = 0)\nprint(summary(fg))",
                model.cause
            );
            for (j, term) in fg.terms.iter().enumerate() {
                let _ = writeln!(
                    s,
                    "show({}, exp(fg$coef[{}]))",
                    q(&format!(
                        "Competing | subdistribution HR | {} {}",
                        cause_label(model.cause),
                        term.name
                    )),
                    j + 1
                );
            }
        }
    }
}
