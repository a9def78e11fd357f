//! "Reproduce in SAS", under the SAS convention: a SAS program that reads the user's file
//! and asks SAS for the numbers of the report with the same options — PROC LIFETEST
//! (Kaplan–Meier with `conftype=`, the median and quartiles with their CIs, the log-rank
//! test, survival at the landmarks), PROC PHREG (the hazard ratio, `ties=`, strata and
//! covariates), PROC FREQ (the response by arm with exact binomial CIs and Fisher's exact
//! test). No SAS runs here, so the tests check the program's text against a committed one.

use crate::analysis::AnalysisOptions;
use crate::rscript::{RData, RReport};
use survcalc_io::{prepare, Table};
use survcalc_stats::{ConfType, Ties};

/// A SAS string literal ('…', quotes doubled).
fn q(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A SAS name literal for a column: `'os months'n` (needs `validvarname=any`).
fn n(s: &str) -> String {
    format!("{}n", q(s))
}

/// Whether every filled cell of column `c` is a number (a numeric covariate).
fn numeric_column(table: &Table, c: &str) -> bool {
    table.column_index(c).is_some_and(|ci| {
        (0..table.n_rows()).all(|r| {
            let v = table.cell(r, ci);
            survcalc_io::table::is_missing(v)
                || survcalc_io::table::parse_number(v, table.decimal_comma).is_some()
        })
    })
}

fn list(v: &[String]) -> String {
    v.iter().map(|s| q(s)).collect::<Vec<_>>().join(" ")
}

/// The SAS program for the report's endpoints and response (the adverse events and
/// competing risks are left to the R script, which says so).
///
/// # Errors
/// A message when an endpoint's mapping no longer fits the table.
pub fn sas_script(
    data: &RData,
    table: &Table,
    report: &RReport<'_>,
    options: &AnalysisOptions,
    version: &str,
) -> Result<String, String> {
    use std::fmt::Write;
    let (endpoints, response) = (report.endpoints, report.response.as_ref());
    let mut s = String::new();
    let file = match data {
        RData::File(f) => f.clone(),
        RData::Inline { name, .. } => format!("{name}.csv"),
    };
    let _ = writeln!(
        s,
        "/* Reproduces survcalc {version}'s report on {file} with SAS (the SAS convention):\n   PROC LIFETEST, PROC PHREG and PROC FREQ with the options the report used.\n   Keep this program beside the file (as a CSV; save a workbook's sheet as CSV first). */"
    );
    if let RData::Inline { .. } = data {
        let _ = writeln!(
            s,
            "/* The data was pasted into survcalc: save it as {file} beside this program. */"
        );
    }
    let _ = writeln!(s, "options validvarname=any;");
    let dlm = match table.delimiter {
        '\t' => "'09'x".to_string(),
        c => q(&c.to_string()),
    };
    let _ = writeln!(
        s,
        "data work.raw;\n  infile {} dlm={dlm} dsd firstobs={} truncover encoding='utf-8';",
        q(&file),
        if table.has_header { 2 } else { 1 }
    );
    let lengths: Vec<String> = table
        .columns
        .iter()
        .map(|c| format!("{} $200", n(c)))
        .collect();
    let _ = writeln!(s, "  length {};", lengths.join(" "));
    let inputs: Vec<String> = table
        .columns
        .iter()
        .map(|c| format!("{} $", n(c)))
        .collect();
    let _ = writeln!(s, "  input {};\nrun;", inputs.join(" "));
    let conftype = match options.km.conf_type {
        ConfType::LogLog => "loglog",
        ConfType::Log => "log",
        ConfType::Plain => "linear",
        ConfType::Logit => "logit",
        ConfType::Arcsin => "asinsqrt",
    };
    // 0.05, not 1 − 0.95's 0.050000000000000044.
    let alpha = ((1.0 - options.km.conf_level) * 1e10).round() / 1e10;
    let ties = match options.cox.ties {
        Ties::Efron => "efron",
        Ties::Exact => "exact",
        Ties::Breslow => "breslow",
    };
    // Which covariates are numbers (else CLASS variables), once for every endpoint.
    let numeric: Vec<bool> = options
        .covariates
        .iter()
        .map(|c| numeric_column(table, c))
        .collect();
    for (k, ep) in endpoints.iter().enumerate() {
        let m = ep.mapping;
        let a = ep.analysis;
        let p = prepare(table, m).map_err(|e| e.to_string())?;
        let set = format!("work.ep{}", k + 1);
        let _ = writeln!(
            s,
            "\n/* {} ------------------------------------------------------------ */",
            ep.name
        );
        let _ = writeln!(s, "data {set};\n  set work.raw;");
        if let Some(f) = &m.filter {
            let _ = writeln!(s, "  if strip({}) = {};", n(&f.column), q(&f.value));
        }
        let time = if let Some(d) = &m.dates {
            format!(
                "input(strip({}), anydtdte32.) - input(strip({}), anydtdte32.)",
                n(&d.end),
                n(&d.start)
            )
        } else {
            format!(
                "input({}, best32.)",
                if table.decimal_comma {
                    format!("translate(strip({}), '.', ',')", n(&m.time))
                } else {
                    format!("strip({})", n(&m.time))
                }
            )
        };
        let factor = match (m.source_unit(), m.analysis_unit()) {
            (Some(from), Some(to)) if from != to => format!(" * {}", from.in_days() / to.in_days()),
            _ => String::new(),
        };
        let events = crate::rscript::raw_values(table, &m.event, &p.rows, p.data.event(), true);
        let censored = crate::rscript::raw_values(table, &m.event, &p.rows, p.data.event(), false);
        // New names: the file's own columns may be called time and status.
        let _ = writeln!(s, "  sc_time = {time}{factor};");
        let _ = writeln!(
            s,
            "  if strip({ev}) in ({}) then sc_status = 1;\n  else if strip({ev}) in ({}) then sc_status = 0;\n  else sc_status = .;",
            list(&events),
            list(&censored),
            ev = n(&m.event)
        );
        let grouped = m.group.is_some() && a.groups.len() > 1;
        if let (Some(g), true) = (&m.group, grouped) {
            let _ = writeln!(s, "  length sc_arm $200;\n  sc_arm = strip({});", n(g));
        }
        for (k, c) in options.covariates.iter().enumerate() {
            if numeric[k] {
                let _ = writeln!(s, "  sc_cov{} = input(strip({}), ?? best32.);", k + 1, n(c));
            }
        }
        let _ = writeln!(
            s,
            "  if missing(sc_time) or sc_time < 0 or missing(sc_status){} then delete;\nrun;",
            if grouped { " or sc_arm = ''" } else { "" }
        );
        let strata_line = if grouped {
            "  strata sc_arm / test=logrank;\n"
        } else {
            ""
        };
        let timelist = if options.landmarks.is_empty() {
            String::new()
        } else {
            format!(
                " timelist=({}) reduceout",
                options
                    .landmarks
                    .iter()
                    .map(|t| format!("{t}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        };
        let _ = writeln!(
            s,
            "/* survcalc: n, events, median ({}% CI, conftype={conftype}), the log-rank test{} */\nproc lifetest data={set} method=km conftype={conftype} alpha={alpha}{timelist} plots=survival(atrisk cl);\n  time sc_time*sc_status(0);\n{strata_line}run;",
            options.km.conf_level * 100.0,
            if timelist.is_empty() { "" } else { ", survival at the landmarks" }
        );
        if grouped {
            let reference = a.groups.first().cloned().unwrap_or_default();
            let mut terms = vec!["sc_arm".to_string()];
            let mut class = vec![format!("sc_arm (ref={})", q(&reference))];
            for (k, c) in options.covariates.iter().enumerate() {
                if numeric[k] {
                    terms.push(format!("sc_cov{}", k + 1));
                } else {
                    class.push(n(c));
                    terms.push(n(c));
                }
            }
            let strata = options
                .strata
                .as_ref()
                .map(|st| format!("  strata {};\n", n(st)))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "/* survcalc: the hazard ratio (Cox, ties={ties}) */\nproc phreg data={set};\n  class {};\n  model sc_time*sc_status(0) = {} / ties={ties} risklimits alpha={alpha};\n{strata}run;",
                class.join(" "),
                terms.join(" ")
            );
        }
    }
    if let Some(r) = response {
        let (m, a) = (r.mapping, r.analysis);
        let (yes, no) = crate::rscript::response_values(table, m);
        let _ = writeln!(
            s,
            "\n/* Response ({}): {} */\ndata work.resp;\n  set work.raw;\n  length sc_arm $200;\n  sc_arm = strip({});\n  if strip({o}) in ({}) then sc_success = 1;\n  else if strip({o}) in ({}) then sc_success = 0;\n  else delete;\n  if sc_arm = '' then delete;\nrun;",
            m.outcome,
            a.coding,
            n(&m.group),
            list(&yes),
            list(&no),
            o = n(&m.outcome)
        );
        let _ = writeln!(
            s,
            "/* survcalc: each arm's proportion with its exact (Clopper-Pearson) CI */\nproc sort data=work.resp; by sc_arm; run;\nproc freq data=work.resp;\n  by sc_arm;\n  tables sc_success / binomial(level='1') alpha={alpha};\n  exact binomial;\nrun;\n/* survcalc: Fisher's exact test between the arms */\nproc freq data=work.resp;\n  tables sc_arm*sc_success / fisher relrisk riskdiff;\nrun;"
        );
    }
    Ok(s)
}
