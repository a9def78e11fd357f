//! From a table to the subgroup analyses of an endpoint (issue 16): each subgroup
//! variable the user names (a categorical column, or a numeric one cut at a value), read
//! for exactly the analysed rows, then `survcalc_stats::cox::subgroup`.

use crate::analysis::AnalysisOptions;
use survcalc_io::error::MappingError;
use survcalc_io::mapping::{prepare, Mapping};
use survcalc_io::table::{is_missing, parse_number, Table};
use survcalc_stats::cox::subgroup::{arm_model, subgroup_analysis, SubgroupAnalysis};
use survcalc_stats::Strata;

/// A subgroup variable: a column, cut at a value when it is numeric.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct SubgroupSpec {
    /// The column.
    pub column: String,
    /// For a numeric column: levels "< cut" and "≥ cut". `None` takes the values as
    /// categories.
    pub cut: Option<f64>,
    /// Marked as prespecified in the protocol (the methods text counts them apart).
    pub prespecified: bool,
}

impl SubgroupSpec {
    /// Parses `age:65` (cut at 65), `sex`, and `sex!` (prespecified).
    pub fn parse(text: &str) -> Result<SubgroupSpec, String> {
        let text = text.trim();
        let (text, prespecified) = match text.strip_suffix('!') {
            Some(t) => (t, true),
            None => (text, false),
        };
        let (column, cut) = match text.rsplit_once(':') {
            Some((c, v)) => match v.trim().parse::<f64>() {
                Ok(x) if x.is_finite() => (c.trim(), Some(x)),
                _ => {
                    return Err(format!(
                        "subgroup \"{text}\": write COLUMN or COLUMN:CUT with a number, e.g. age:65"
                    ))
                }
            },
            None => (text, None),
        };
        if column.is_empty() {
            return Err("a subgroup needs a column name".into());
        }
        Ok(SubgroupSpec {
            column: column.to_string(),
            cut,
            prespecified,
        })
    }
}

/// Whether the subgroup models carry the primary analysis's strata (issue 16: "the same
/// strata as the primary analysis, or none, as the user says").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum SubgroupStrata {
    /// `+ strata(s)` in every model when the primary analysis is stratified.
    #[default]
    Primary,
    /// No strata in the subgroup models.
    None,
}

/// The subgroup analyses of one endpoint, with the overall HR.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct SubgroupReport {
    /// The overall Cox model's terms (each arm versus the reference).
    pub overall: Vec<survcalc_stats::cox::CoxTerm>,
    /// One analysis per subgroup variable, in the order given.
    pub subgroups: Vec<SubgroupAnalysis>,
    /// The variables as given.
    pub specs: Vec<SubgroupSpec>,
    /// The stratifying column the models carry (`None`: unstratified).
    #[cfg_attr(feature = "serde", serde(default))]
    pub stratified_by: Option<String>,
    /// The methods sentence: how many subgroups, which prespecified, that the others are
    /// exploratory, which interaction test is shown, and the strata.
    pub method: String,
}

/// A cut value as text: "65", "2.5".
fn cut_text(c: f64) -> String {
    if c.fract() == 0.0 {
        format!("{c:.0}")
    } else {
        format!("{c}")
    }
}

/// The subgroup analyses of the endpoint `mapping` names; with `strata` =
/// [`SubgroupStrata::Primary`] and `options.strata` set, every model is stratified by
/// that column as the primary analysis is.
///
/// # Errors
/// A sentence naming the column or the mapping's problem.
pub fn subgroup_report(
    table: &Table,
    mapping: &Mapping,
    specs: &[SubgroupSpec],
    options: &AnalysisOptions,
    strata: SubgroupStrata,
) -> Result<SubgroupReport, String> {
    let prepared = prepare(table, mapping).map_err(|e: MappingError| e.to_string())?;
    let data = &prepared.data;
    let stratified_by = match strata {
        SubgroupStrata::Primary => options.strata.clone(),
        SubgroupStrata::None => None,
    };
    // A column's value in each analysed row (`None` where missing), or what to do.
    let column_values = |what: &str, name: &str| -> Result<Vec<Option<&str>>, String> {
        let c = table.column_index(name).ok_or_else(|| {
            format!(
                "the {what} column \"{name}\" is not in the table; the columns are: {}",
                table.columns.join(", ")
            )
        })?;
        Ok(prepared
            .rows
            .iter()
            .map(|&r| {
                let v = table.cell(r, c);
                (!is_missing(v)).then(|| v.trim())
            })
            .collect())
    };
    let strata_labels = match &stratified_by {
        Some(name) => Some(Strata::new(name, &column_values("strata", name)?)),
        None => None,
    };
    let overall =
        arm_model(data, strata_labels.as_ref(), &options.cox).map_err(|e| e.to_string())?;
    let mut subgroups = Vec::new();
    for spec in specs {
        let labels: Vec<Option<String>> = column_values("subgroup", &spec.column)?
            .into_iter()
            .map(|v| {
                let v = v?;
                match spec.cut {
                    None => Some(v.to_string()),
                    Some(cut) => parse_number(v, table.decimal_comma).map(|x| {
                        if x < cut {
                            format!("< {}", cut_text(cut))
                        } else {
                            format!("\u{2265} {}", cut_text(cut))
                        }
                    }),
                }
            })
            .collect();
        subgroups.push(
            subgroup_analysis(
                data,
                &spec.column,
                &labels,
                strata_labels.as_ref(),
                &options.cox,
            )
            .map_err(|e| e.to_string())?,
        );
    }
    let pre = specs.iter().filter(|s| s.prespecified).count();
    let strata_words = match (&stratified_by, &options.strata) {
        (Some(s), _) => format!(", stratified by {s} as the primary analysis"),
        (None, Some(s)) => format!(", without the primary analysis's strata ({s})"),
        (None, None) => String::new(),
    };
    let method = format!(
        "Hazard ratios within subgroups from Cox models fitted within each subgroup ({} ties{strata_words}); the P for interaction is the likelihood-ratio test of the arm \u{d7} subgroup terms (Wald given too). {} subgroup variable{} analysed, {}.",
        options.cox.ties.name(),
        specs.len(),
        if specs.len() == 1 { "" } else { "s" },
        match pre {
            0 => "all exploratory".to_string(),
            p if p == specs.len() => "all prespecified".to_string(),
            p => format!("{p} prespecified, the others exploratory"),
        }
    );
    Ok(SubgroupReport {
        overall: if overall.is_reliable() {
            overall.terms
        } else {
            Vec::new()
        },
        subgroups,
        specs: specs.to_vec(),
        stratified_by,
        method,
    })
}

/// The subgroup table as a paper prints it, header first: each subgroup variable's
/// levels with events/patients and the Kaplan–Meier median per arm, the HR (95% CI) of
/// each arm versus the reference within the level ("not estimable" where the model is
/// not), and the P for interaction (likelihood ratio, then Wald) on the variable's first
/// row. For copying (`report::tsv`) and for [`subgroup_csv`].
pub fn subgroup_table(r: &SubgroupReport, style: crate::report::TextStyle) -> Vec<Vec<String>> {
    let arms: Vec<String> = r
        .subgroups
        .first()
        .map(|s| s.arms.clone())
        .unwrap_or_default();
    let mut header = vec!["Subgroup".to_string(), "Level".to_string()];
    header.extend(arms.iter().map(|a| format!("{a}: events/patients")));
    header.extend(arms.iter().map(|a| format!("{a}: median (KM)")));
    header.push(format!(
        "HR (95% CI) vs {}, Cox{}",
        arms.first().map_or("", String::as_str),
        r.stratified_by
            .as_ref()
            .map_or(String::new(), |s| format!(" stratified by {s}"))
    ));
    header.push("P for interaction (LR)".into());
    header.push("P for interaction (Wald)".into());
    let hr = |terms: &[survcalc_stats::cox::CoxTerm]| -> String {
        if terms.is_empty() {
            return "not estimable".into();
        }
        terms
            .iter()
            .map(|t| {
                let ci = style.ci.interval(
                    "95",
                    &format!("{:.2}", t.hr_lower),
                    &format!("{:.2}", t.hr_upper),
                );
                if terms.len() == 1 {
                    format!("{:.2} ({ci})", t.hr)
                } else {
                    format!("{}: {:.2} ({ci})", t.level, t.hr)
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let blank = |k: usize| vec![String::new(); k];
    let mut rows = vec![header];
    let mut all = vec!["All patients".to_string(), String::new()];
    all.extend(blank(2 * arms.len()));
    all.push(hr(&r.overall));
    all.extend(blank(2));
    rows.push(all);
    for s in &r.subgroups {
        let pre = r
            .specs
            .iter()
            .find(|x| x.column == s.name)
            .is_some_and(|x| x.prespecified);
        for (k, l) in s.levels.iter().enumerate() {
            let mut row = vec![
                if k == 0 {
                    format!("{}{}", s.name, if pre { " (prespecified)" } else { "" })
                } else {
                    String::new()
                },
                l.level.clone(),
            ];
            row.extend(l.events.iter().zip(&l.n).map(|(e, n)| format!("{e}/{n}")));
            row.extend(
                l.medians.iter().map(|m| {
                    m.map_or_else(|| "NR".to_string(), |m| crate::format::num(Some(m), 1))
                }),
            );
            row.push(hr(&l.terms));
            match (k, &s.interaction) {
                (0, Some(i)) => {
                    row.push(style.p.label(i.likelihood_ratio.p_value));
                    row.push(
                        i.wald
                            .map_or_else(|| "NA".to_string(), |w| style.p.label(w.p_value)),
                    );
                }
                _ => row.extend(blank(2)),
            }
            rows.push(row);
        }
    }
    rows
}

/// The subgroup table as CSV (safe to open in a spreadsheet), with the methods sentence
/// as its last line.
pub fn subgroup_csv(r: &SubgroupReport, style: crate::report::TextStyle) -> String {
    let mut rows = subgroup_table(r, style);
    rows.push(vec![r.method.clone()]);
    crate::report::export_csv(rows)
}
