//! From a table to the subgroup analyses of an endpoint (issue 16): each subgroup
//! variable the user names (a categorical column, or a numeric one cut at a value), read
//! for exactly the analysed rows, then `survcalc_stats::cox::subgroup`.

use crate::analysis::AnalysisOptions;
use survcalc_io::error::MappingError;
use survcalc_io::mapping::{prepare, Mapping};
use survcalc_io::table::{is_missing, parse_number, Table};
use survcalc_stats::cox::subgroup::{subgroup_analysis, SubgroupAnalysis};
use survcalc_stats::cox_fit;

/// A subgroup variable: a column, cut at a value when it is numeric.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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

/// The subgroup analyses of one endpoint, with the overall HR.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SubgroupReport {
    /// The overall Cox model's terms (each arm versus the reference).
    pub overall: Vec<survcalc_stats::cox::CoxTerm>,
    /// One analysis per subgroup variable, in the order given.
    pub subgroups: Vec<SubgroupAnalysis>,
    /// The variables as given.
    pub specs: Vec<SubgroupSpec>,
    /// The methods sentence: how many subgroups, which prespecified, that the others are
    /// exploratory, and which interaction test is shown.
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

/// The subgroup analyses of the endpoint `mapping` names.
///
/// # Errors
/// A sentence naming the column or the mapping's problem.
pub fn subgroup_report(
    table: &Table,
    mapping: &Mapping,
    specs: &[SubgroupSpec],
    options: &AnalysisOptions,
) -> Result<SubgroupReport, String> {
    let prepared = prepare(table, mapping).map_err(|e: MappingError| e.to_string())?;
    let data = &prepared.data;
    let overall = cox_fit(data, &options.cox);
    let mut subgroups = Vec::new();
    for spec in specs {
        let c = table.column_index(&spec.column).ok_or_else(|| {
            format!(
                "the subgroup column \"{}\" is not in the table; the columns are: {}",
                spec.column,
                table.columns.join(", ")
            )
        })?;
        let labels: Vec<Option<String>> = prepared
            .rows
            .iter()
            .map(|&r| {
                let v = table.cell(r, c);
                if is_missing(v) {
                    return None;
                }
                match spec.cut {
                    None => Some(v.trim().to_string()),
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
            subgroup_analysis(data, &spec.column, &labels, &options.cox)
                .map_err(|e| e.to_string())?,
        );
    }
    let pre = specs.iter().filter(|s| s.prespecified).count();
    let method = format!(
        "Hazard ratios within subgroups from Cox models fitted within each subgroup ({} ties); the P for interaction is the likelihood-ratio test of the arm \u{d7} subgroup terms (Wald given too). {} subgroup variable{} analysed, {}.",
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
        method,
    })
}
