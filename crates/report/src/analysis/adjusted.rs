//! The stratified log-rank test and the adjusted Cox model the report adds when strata
//! or covariates are chosen: columns of the table read as strata and terms.

use super::*;

/// The stratified log-rank test and the adjusted/stratified Cox model, reading the strata
/// and covariate columns for exactly the analysed rows.
pub(super) fn adjusted_models(
    table: &Table,
    rows: &[usize],
    data: &SurvData,
    options: &AnalysisOptions,
    warnings: &mut Vec<String>,
) -> (Option<WeightedLogRank>, Option<CoxModel>) {
    let column = |name: &str, warnings: &mut Vec<String>| {
        let c = table.column_index(name);
        if c.is_none() {
            warnings.push(format!(
                "column \"{name}\" is not in the table; the columns are: {}",
                table.columns.join(", ")
            ));
        }
        c
    };
    let cell = |c: usize, i: usize| -> Option<String> {
        let v = table.cell(rows[i], c);
        (!is_missing(v)).then(|| v.to_string())
    };
    let n = data.len();
    let strata_labels: Option<(String, Vec<Option<String>>)> =
        options.strata.as_ref().and_then(|s| {
            column(s, warnings).map(|c| (s.clone(), (0..n).map(|i| cell(c, i)).collect()))
        });
    let mut stratified = None;
    if let Some((name, labels)) = &strata_labels {
        // survdiff drops rows whose stratum is missing.
        let keep: Vec<usize> = (0..n).filter(|&i| labels[i].is_some()).collect();
        if keep.len() < n {
            warnings.push(format!(
                "{} row(s) with no value in \"{name}\" are left out of the stratified analyses",
                n - keep.len()
            ));
        }
        let mut levels: Vec<&str> = Vec::new();
        let codes: Vec<usize> = keep
            .iter()
            .map(|&i| {
                let l = labels[i].as_deref().unwrap_or_default();
                match levels.iter().position(|x| *x == l) {
                    Some(k) => k,
                    None => {
                        levels.push(l);
                        levels.len() - 1
                    }
                }
            })
            .collect();
        let sub = SurvData::new(
            keep.iter().map(|&i| data.time()[i]).collect(),
            keep.iter().map(|&i| data.event()[i]).collect(),
            keep.iter().map(|&i| data.group()[i]).collect(),
            data.levels().to_vec(),
        );
        match sub {
            Ok(sub) => {
                stratified = note(
                    warnings,
                    "stratified log-rank test",
                    stratified_log_rank(
                        &sub,
                        &codes,
                        &WeightedLogRankOptions {
                            weight: options.test,
                        },
                    ),
                );
            }
            Err(e) => warnings.push(format!("stratified log-rank test not computed: {e}")),
        }
    }
    if options.covariates.is_empty() && strata_labels.is_none() {
        return (stratified, None);
    }
    let mut terms = vec![Term::group("group")];
    for name in &options.covariates {
        let Some(c) = column(name, warnings) else {
            continue;
        };
        let values: Vec<Option<String>> = (0..n).map(|i| cell(c, i)).collect();
        let numbers: Vec<Option<f64>> = values
            .iter()
            .map(|v| {
                v.as_deref()
                    .and_then(|v| parse_number(v, table.decimal_comma))
            })
            .collect();
        let numeric = values
            .iter()
            .zip(&numbers)
            .all(|(v, x)| v.is_none() || x.is_some());
        terms.push(if numeric {
            Term::Numeric {
                name: name.clone(),
                values: numbers,
            }
        } else {
            Term::categorical(name, &values, None)
        });
    }
    let design = CoxDesign {
        terms,
        strata: strata_labels.map(|(name, labels)| Strata::new(&name, &labels)),
    };
    let model = note(
        warnings,
        "adjusted Cox model",
        cox_model(data, &design, &options.cox),
    );
    (stratified, model)
}
