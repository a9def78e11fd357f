//! # survcalc-js
//!
//! survcalc's core for JavaScript and TypeScript (the npm package `survcalc`, built with
//! wasm-pack for the `web`, `bundler` and `nodejs` targets): the whole report of a table
//! (`analyze`, the CLI's JSON) and plain-array functions for people who already hold
//! arrays (`kaplanMeier`, `quantiles`, `logRank`, `coxph`, `rmst`, `fisherTest`,
//! `proportion`, `cumulativeIncidence`, `sampleSizeSurvival`, `simonTwoStage`,
//! `twoProportions`).
//!
//! Every result and option type is the core's own, and its TypeScript declaration is
//! generated from it (tsify, the core's `ts` feature), so the types cannot drift from
//! what the functions return. Errors are thrown as JavaScript `Error`s named
//! `SurvcalcError` with `kind` (the core's error variant), `row` and `column` (where the
//! core names them; rows count from 1, as a file's lines or an array's elements do) and
//! `detail` (the core's typed error).
//!
//! What this crate deliberately does not do: draw figures, read files or touch the DOM.
#![deny(missing_docs)]

use serde::{Deserialize, Serialize};
use survcalc_core::binary::{FisherOptions, TwoByTwo};
use survcalc_core::compare::{Weight, WeightedLogRankOptions};
use survcalc_core::competing::CompetingData;
use survcalc_core::cox::{CoxDesign, Term};
use survcalc_core::{
    AnalysisOptions, ConfType, CoxOptions, KmOptions, Mapping, SurvData, Table, TableOptions, Ties,
};
use tsify::Tsify;
use wasm_bindgen::prelude::*;

/// Labels in Unicode NFC by the JavaScript engine's `String.prototype.normalize` (the
/// package leaves out unicode-normalization's tables, as the page does).
#[wasm_bindgen(start, skip_typescript)]
pub fn start() {
    survcalc_core::mapping::set_nfc_composer(|s| {
        String::from(js_sys::JsString::from(s).normalize("NFC"))
    });
}

/// The package's version and the reference software its fixtures were made with.
#[wasm_bindgen]
pub fn version() -> String {
    format!(
        "{} (checked against golden fixtures made with {})",
        env!("CARGO_PKG_VERSION"),
        survcalc_core::REFERENCE_SOFTWARE
    )
}

// ---------------------------------------------------------------------------------------
// Errors

#[wasm_bindgen(typescript_custom_section)]
const TS_ERROR: &str = r#"
/** What every function throws on bad input: a JavaScript Error named "SurvcalcError". */
export interface SurvcalcError extends Error {
    name: "SurvcalcError";
    /** The core's error variant, e.g. "InvalidTime", "UnknownColumn", "NoValidRows", "Argument". */
    kind: string;
    /** The row (a file's line, or an array's element counted from 1), where the core names one. */
    row: number | null;
    /** The column (or argument), where the core names one. */
    column: string | null;
    /** The core's typed error, as it serialises. */
    detail: unknown;
}
"#;

/// A `SurvcalcError`: message, kind, row and column, and the core's typed error.
fn error(
    message: &str,
    kind: &str,
    row: Option<u64>,
    column: Option<&str>,
    detail: JsValue,
) -> JsValue {
    let e = js_sys::Error::new(message);
    e.set_name("SurvcalcError");
    let set = |k: &str, v: JsValue| {
        let _ = js_sys::Reflect::set(&e, &JsValue::from_str(k), &v);
    };
    set("kind", JsValue::from_str(kind));
    set(
        "row",
        row.map_or(JsValue::NULL, |r| JsValue::from_f64(r as f64)),
    );
    set("column", column.map_or(JsValue::NULL, JsValue::from_str));
    set("detail", detail);
    e.into()
}

/// The core's typed error, serialised.
fn detail<E: Serialize>(e: &E) -> JsValue {
    serde_wasm_bindgen::to_value(e).unwrap_or(JsValue::NULL)
}

/// A bad argument (`kind` "Argument").
fn argument(message: impl AsRef<str>, column: Option<&str>) -> JsValue {
    error(message.as_ref(), "Argument", None, column, JsValue::NULL)
}

fn data_error(e: &survcalc_core::DataError) -> JsValue {
    use survcalc_core::DataError as D;
    let (kind, row, column) = match e {
        D::LengthMismatch { .. } => ("LengthMismatch", None, None),
        D::Empty => ("Empty", None, None),
        D::InvalidTime { index, .. } => ("InvalidTime", Some(*index as u64 + 1), Some("time")),
        D::InvalidGroup { index, .. } => ("InvalidGroup", Some(*index as u64 + 1), Some("group")),
        D::UnknownLevel { .. } => ("UnknownLevel", None, Some("reference")),
    };
    error(&e.to_string(), kind, row, column, detail(e))
}

fn analysis_error(e: &survcalc_core::AnalysisError) -> JsValue {
    use survcalc_core::error::{MappingError as M, TableError as T};
    use survcalc_core::AnalysisError as A;
    let (kind, row, column): (&str, Option<u64>, Option<String>) = match e {
        A::Table(t) => match t {
            T::Malformed { line, .. } => ("Malformed", *line, None),
            _ => ("Table", None, None),
        },
        A::Mapping(m) => match m {
            M::UnknownColumn { name, .. } => ("UnknownColumn", None, Some(name.clone())),
            M::NoValidRows { first, .. } => (
                "NoValidRows",
                first.first().map(|x| x.line),
                first.first().map(|x| x.column.clone()),
            ),
            M::UnknownReference { .. } => ("UnknownReference", None, None),
            M::SameColumn { column, .. } => ("SameColumn", None, Some(column.clone())),
            M::MissingColumn { .. } => ("MissingColumn", None, None),
            M::TooManyPatients { column, .. } => ("TooManyPatients", None, Some(column.clone())),
        },
        A::Option(_) => ("Option", None, None),
        A::TooManyGroups { column, .. } => ("TooManyGroups", None, Some(column.clone())),
    };
    error(&e.to_string(), kind, row, column.as_deref(), detail(e))
}

fn from_js<T: for<'de> Deserialize<'de>>(v: JsValue, what: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(v).map_err(|e| argument(format!("{what}: {e}"), None))
}

fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsValue> {
    // Objects for maps, `undefined` for None (as the generated declarations say).
    v.serialize(&serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true))
        .map_err(|e| {
            argument(
                format!("the result could not be passed to JavaScript: {e}"),
                None,
            )
        })
}

// ---------------------------------------------------------------------------------------
// The whole report

/// Options of [`analyze`]: the reading (R `read.csv` arguments), the analysis (R's
/// defaults, or a convention's), all optional.
#[derive(Tsify, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct AnalyzeOptions {
    /// How to read the table (delimiter, decimal comma, header, encoding, sheet, header
    /// row); detected when left out.
    pub read: Option<TableOptions>,
    /// Follow this software's defaults: "r" (default), "sas", "spss", "stata", "prism".
    pub convention: Option<String>,
    /// The analysis options in full (as `report.options` holds them); when given, the
    /// convention is not used.
    pub analysis: Option<AnalysisOptions>,
}

/// The whole report of one endpoint of a table: what `survcalc analyze --format json`
/// prints (docs/report-json.md). `mapping` names the columns (any left out are guessed
/// from the names, as the page and the CLI guess them; `null` guesses all).
///
/// @throws {SurvcalcError} naming the row and column (`kind` e.g. "UnknownColumn",
/// "NoValidRows", "Malformed").
#[wasm_bindgen(unchecked_return_type = "Analysis")]
pub fn analyze(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] data: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Partial<Mapping> | null")] mapping: Option<
        JsValue,
    >,
    #[wasm_bindgen(unchecked_optional_param_type = "AnalyzeOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let bytes: Vec<u8> = match data.as_string() {
        Some(s) => s.into_bytes(),
        None => js_sys::Uint8Array::new(&data).to_vec(),
    };
    let options: AnalyzeOptions = opt(options, "options")?;
    let table = Table::from_bytes(&bytes, &options.read.unwrap_or_default())
        .map_err(|e| analysis_error(&survcalc_core::AnalysisError::Table(e)))?;
    let mut m = survcalc_core::mapping::guess(&table);
    if let Some(mapping) = mapping.filter(|m| !(m.is_null() || m.is_undefined())) {
        // The given fields replace the guesses.
        let mut guessed =
            serde_wasm_bindgen::to_value(&m).map_err(|e| argument(e.to_string(), None))?;
        let given = js_sys::Object::from(mapping);
        guessed = js_sys::Object::assign(&js_sys::Object::from(guessed), &given).into();
        m = from_js::<Mapping>(guessed, "mapping")?;
    }
    let analysis_options = match (options.analysis, options.convention) {
        (Some(a), _) => a,
        (None, Some(c)) => AnalysisOptions::for_convention(
            survcalc_core::Convention::from_name(&c).ok_or_else(|| {
                argument(
                    format!("convention \"{c}\": give r, sas, spss, stata or prism"),
                    Some("convention"),
                )
            })?,
        ),
        (None, None) => AnalysisOptions::default(),
    };
    let a =
        survcalc_core::analyze(&table, &m, &analysis_options).map_err(|e| analysis_error(&e))?;
    to_js(&a)
}

// ---------------------------------------------------------------------------------------
// Plain arrays

/// An event flag: `true`/`false` or 1/0.
#[derive(Tsify, Deserialize, Clone, Copy)]
#[serde(untagged)]
pub enum Flag {
    /// `true` = event.
    Bool(bool),
    /// 1 = event, 0 = censored.
    Number(f64),
}

/// A group label: text or a number.
#[derive(Tsify, Deserialize, Clone)]
#[serde(untagged)]
pub enum Label {
    /// Text.
    Text(String),
    /// A number (shown as JavaScript shows it).
    Number(f64),
}

impl Label {
    fn text(&self) -> String {
        match self {
            Label::Text(s) => s.clone(),
            Label::Number(x) => format!("{x}"),
        }
    }
}

/// Survival data as arrays: one element per patient.
#[derive(Tsify, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SurvArrays {
    /// Follow-up times (R `Surv(time, )`).
    pub time: Vec<f64>,
    /// Event (true / 1) or censored (false / 0) (R `Surv(, event)`).
    pub event: Vec<Flag>,
    /// The group of each patient; left out: one group.
    #[serde(default)]
    pub group: Option<Vec<Label>>,
    /// The groups' order (the first is the reference); default: order of appearance.
    #[serde(default)]
    pub levels: Option<Vec<String>>,
}

fn surv_data(input: SurvArrays) -> Result<SurvData, JsValue> {
    let n = input.time.len();
    let mut event = Vec::with_capacity(n);
    for (i, f) in input.event.iter().enumerate() {
        event.push(match *f {
            Flag::Bool(b) => b,
            Flag::Number(1.0) => true,
            Flag::Number(0.0) => false,
            Flag::Number(x) => {
                return Err(error(
                    &format!("event {}: {x} is not 1 (event) or 0 (censored)", i + 1),
                    "InvalidEvent",
                    Some(i as u64 + 1),
                    Some("event"),
                    JsValue::NULL,
                ))
            }
        });
    }
    let (group, levels) = group_codes(input.group.as_deref(), n, input.levels)?;
    SurvData::new(input.time, event, group, levels).map_err(|e| data_error(&e))
}

/// Each patient's group as an index into the levels: the given levels (a group outside
/// them is an error), or the groups in order of appearance; everyone "All" without groups.
fn group_codes(
    group: Option<&[Label]>,
    n: usize,
    given: Option<Vec<String>>,
) -> Result<(Vec<usize>, Vec<String>), JsValue> {
    let labels: Vec<String> = match group {
        Some(g) => g.iter().map(Label::text).collect(),
        None => vec!["All".to_string(); n],
    };
    let fixed = given.is_some();
    let mut levels = given.unwrap_or_default();
    let mut codes = Vec::with_capacity(labels.len());
    for l in &labels {
        let code = match levels.iter().position(|x| x == l) {
            Some(i) => i,
            None if fixed => {
                return Err(argument(
                    format!("group \"{l}\" is not in levels ({})", levels.join(", ")),
                    Some("group"),
                ))
            }
            None => {
                levels.push(l.clone());
                levels.len() - 1
            }
        };
        codes.push(code);
    }
    Ok((codes, levels))
}

/// A trial design's error, naming its input.
fn design_error(e: &survcalc_core::design::DesignError) -> JsValue {
    error(&e.to_string(), "Design", None, Some(&e.input), detail(e))
}

/// Options of [`kaplan_meier`] and [`quantiles`] (R `survfit(conf.type = , conf.int = )`).
#[derive(Tsify, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct KmArgs {
    /// "log" (R's default), "log-log", "plain", "logit", "arcsin".
    pub conf_type: Option<ConfType>,
    /// 0.95 by default.
    pub conf_level: Option<f64>,
    /// The quantiles for [`quantiles`] (default 0.25, 0.5, 0.75; R `quantile(fit, probs = )`).
    pub probs: Option<Vec<f64>>,
}

fn km_options(a: &KmArgs) -> KmOptions {
    let d = KmOptions::default();
    KmOptions {
        conf_type: a.conf_type.unwrap_or(d.conf_type),
        conf_level: a.conf_level.unwrap_or(d.conf_level),
    }
}

/// An optional options argument: left out, `undefined` or `null` is the defaults.
fn opt<T: for<'de> Deserialize<'de> + Default>(
    v: Option<JsValue>,
    what: &str,
) -> Result<T, JsValue> {
    match v {
        Some(v) if !(v.is_null() || v.is_undefined()) => from_js(v, what),
        _ => Ok(T::default()),
    }
}

/// Kaplan–Meier curves, one per group, with Greenwood's SE and pointwise CIs (R
/// `survfit(Surv(time, event) ~ group)`).
#[wasm_bindgen(js_name = kaplanMeier, unchecked_return_type = "KmCurve[]")]
pub fn kaplan_meier(
    #[wasm_bindgen(unchecked_param_type = "SurvArrays")] data: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "KmArgs")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let d = surv_data(from_js(data, "data")?)?;
    let o: KmArgs = opt(options, "options")?;
    to_js(&survcalc_core::kaplan_meier(&d, &km_options(&o)))
}

/// One group's quantiles of survival time with their CIs (R `quantile(survfit, probs)`).
#[derive(Tsify, Serialize)]
pub struct GroupQuantiles {
    /// The group.
    pub group: String,
    /// One per probability.
    pub quantiles: Vec<survcalc_core::MedianCi>,
}

/// Quantiles (the median by default among 0.25, 0.5, 0.75) of each group's survival
/// time with R's CI (band inversion, R `quantile.survfit`).
#[wasm_bindgen(unchecked_return_type = "GroupQuantiles[]")]
pub fn quantiles(
    #[wasm_bindgen(unchecked_param_type = "SurvArrays")] data: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "KmArgs")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let d = surv_data(from_js(data, "data")?)?;
    let o: KmArgs = opt(options, "options")?;
    let probs = o.probs.clone().unwrap_or_else(|| vec![0.25, 0.5, 0.75]);
    if let Some(p) = probs.iter().find(|p| !(**p > 0.0 && **p < 1.0)) {
        return Err(argument(
            format!("probs: {p} is not between 0 and 1"),
            Some("probs"),
        ));
    }
    let out: Vec<GroupQuantiles> = survcalc_core::kaplan_meier(&d, &km_options(&o))
        .iter()
        .map(|c| GroupQuantiles {
            group: c.group.clone(),
            quantiles: probs
                .iter()
                .map(|&p| survcalc_core::median_r(c, p))
                .collect(),
        })
        .collect();
    to_js(&out)
}

/// Options of [`log_rank`]: the Fleming–Harrington weights Ŝ(t−)^ρ (1 − Ŝ(t−))^γ
/// (R `survdiff(rho = )` is γ = 0).
#[derive(Tsify, Deserialize, Default)]
#[serde(default)]
pub struct LogRankArgs {
    /// ρ ≥ 0 (default 0: the log-rank test).
    pub rho: Option<f64>,
    /// γ ≥ 0 (default 0).
    pub gamma: Option<f64>,
}

/// The log-rank test, or a Fleming–Harrington G(ρ, γ) test, of two or more groups (R
/// `survdiff(Surv(time, event) ~ group, rho = )`).
#[wasm_bindgen(js_name = logRank, unchecked_return_type = "WeightedLogRank")]
pub fn log_rank(
    #[wasm_bindgen(unchecked_param_type = "SurvArrays")] data: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "LogRankArgs")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let d = surv_data(from_js(data, "data")?)?;
    let o: LogRankArgs = opt(options, "options")?;
    let (rho, gamma) = (o.rho.unwrap_or(0.0), o.gamma.unwrap_or(0.0));
    let weight = if rho == 0.0 && gamma == 0.0 {
        Weight::LogRank
    } else {
        Weight::FlemingHarrington { rho, gamma }
    };
    let r = survcalc_core::compare::weighted_log_rank(&d, &WeightedLogRankOptions { weight })
        .map_err(|e| argument(e.to_string(), Some("rho")))?;
    to_js(&r)
}

/// A covariate of [`coxph`]: a name and one value per patient (numbers, or text for a
/// categorical one; `null` is missing, R `NA`).
#[derive(Tsify, Deserialize)]
pub struct Covariate {
    /// Its name (the coefficient's).
    pub name: String,
    /// One value per patient.
    #[tsify(type = "(string | number | null)[]")]
    pub values: Vec<Option<Label>>,
}

/// The data of [`coxph`]: survival arrays, with covariates and strata when wanted.
#[derive(Tsify, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CoxArrays {
    /// Times, events and (optionally) the group, as for the other functions.
    #[serde(flatten)]
    pub data: SurvArrays,
    /// Covariates besides the group (R `~ group + age + …`).
    #[serde(default)]
    pub covariates: Vec<Covariate>,
    /// A stratum per patient (R `+ strata(s)`).
    #[serde(default)]
    pub strata: Option<Vec<Label>>,
}

/// Options of [`coxph`] (R `coxph(ties = )`, `summary(conf.int = )`).
#[derive(Tsify, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct CoxArgs {
    /// "efron" (R's default), "breslow", "exact".
    pub ties: Option<Ties>,
    /// 0.95 by default.
    pub conf_level: Option<f64>,
}

/// The Cox proportional-hazards model (R `summary(coxph(Surv(time, event) ~ group + … +
/// strata(s), ties = ))`): coefficients, HRs with CIs, the three global tests.
///
/// @throws {SurvcalcError} naming the term and row when the design does not fit.
#[wasm_bindgen(unchecked_return_type = "CoxModel")]
pub fn coxph(
    #[wasm_bindgen(unchecked_param_type = "CoxArrays")] data: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CoxArgs")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let input: CoxArrays = from_js(data, "data")?;
    let o: CoxArgs = opt(options, "options")?;
    let n = input.data.time.len();
    let grouped = input.data.group.is_some();
    let d = surv_data(input.data)?;
    let mut terms = Vec::new();
    if grouped {
        terms.push(Term::group("group"));
    }
    for c in input.covariates {
        if c.values.len() != n {
            return Err(argument(
                format!(
                    "covariate {}: {} values for {n} patients",
                    c.name,
                    c.values.len()
                ),
                Some(&c.name),
            ));
        }
        let numeric = c.values.iter().all(|v| !matches!(v, Some(Label::Text(_))));
        terms.push(if numeric {
            Term::Numeric {
                name: c.name,
                values: c
                    .values
                    .iter()
                    .map(|v| match v {
                        Some(Label::Number(x)) => Some(*x),
                        _ => None,
                    })
                    .collect(),
            }
        } else {
            let labels: Vec<Option<String>> = c
                .values
                .iter()
                .map(|v| v.as_ref().map(Label::text))
                .collect();
            Term::categorical(&c.name, &labels, None)
        });
    }
    if terms.is_empty() {
        return Err(argument(
            "give a group or at least one covariate",
            Some("group"),
        ));
    }
    let strata = match input.strata {
        None => None,
        Some(s) if s.len() != n => {
            return Err(argument(
                format!("strata: {} values for {n} patients", s.len()),
                Some("strata"),
            ))
        }
        Some(s) => {
            let labels: Vec<Option<String>> = s.iter().map(|l| Some(l.text())).collect();
            Some(survcalc_core::cox::Strata::new("strata", &labels))
        }
    };
    let defaults = CoxOptions::default();
    let options = CoxOptions {
        ties: o.ties.unwrap_or(defaults.ties),
        conf_level: o.conf_level.unwrap_or(defaults.conf_level),
        ..defaults
    };
    let design = CoxDesign { terms, strata };
    let m = survcalc_core::cox_model(&d, &design, &options)
        .map_err(|e| error(&e.to_string(), "Design", None, None, detail(&e)))?;
    to_js(&m)
}

/// Options of [`rmst`] (survRM2 `rmst2(tau = )`).
#[derive(Tsify, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct RmstArgs {
    /// τ; default survRM2's rule (the smallest of the groups' largest times).
    pub tau: Option<f64>,
    /// 0.95 by default.
    pub conf_level: Option<f64>,
}

/// The restricted mean survival time of each group up to τ (survRM2 `rmst2`).
#[wasm_bindgen(unchecked_return_type = "RmstTable")]
pub fn rmst(
    #[wasm_bindgen(unchecked_param_type = "SurvArrays")] data: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "RmstArgs")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let d = surv_data(from_js(data, "data")?)?;
    let o: RmstArgs = opt(options, "options")?;
    let curves = survcalc_core::kaplan_meier(&d, &KmOptions::default());
    let defaults = survcalc_core::RmstOptions::default();
    let options = survcalc_core::RmstOptions {
        tau: o.tau,
        conf_level: o.conf_level.unwrap_or(defaults.conf_level),
    };
    let t = survcalc_core::rmst_by_group(&curves, &options)
        .map_err(|e| argument(e.to_string(), Some("tau")))?;
    to_js(&t)
}

/// A 2 × 2 table: successes and patients in two arms.
#[derive(Tsify, Deserialize)]
pub struct TwoArms {
    /// Successes in arm 1.
    pub x1: u64,
    /// Patients in arm 1.
    pub n1: u64,
    /// Successes in arm 2.
    pub x2: u64,
    /// Patients in arm 2.
    pub n2: u64,
}

/// Fisher's exact test of a 2 × 2 table, with R's conditional-MLE odds ratio and its CI
/// (R `fisher.test(matrix(c(x1, x2, n1 - x1, n2 - x2), 2))`).
#[wasm_bindgen(js_name = fisherTest, unchecked_return_type = "FisherTest")]
pub fn fisher_test(
    #[wasm_bindgen(unchecked_param_type = "TwoArms")] table: JsValue,
) -> Result<JsValue, JsValue> {
    let t: TwoArms = from_js(table, "table")?;
    let t = TwoByTwo::new(t.x1, t.n1, t.x2, t.n2).map_err(|e| argument(e.to_string(), None))?;
    let f = survcalc_core::binary::fisher_test(&t, &FisherOptions::default())
        .map_err(|e| argument(e.to_string(), None))?;
    to_js(&f)
}

/// A proportion x/n with its exact (Clopper–Pearson, R `binom.test`) and Wilson CIs.
#[wasm_bindgen(unchecked_return_type = "Proportion")]
pub fn proportion(x: f64, n: f64, conf_level: Option<f64>) -> Result<JsValue, JsValue> {
    let whole = |v: f64, name: &str| {
        if v.is_finite() && v >= 0.0 && v.fract() == 0.0 {
            Ok(v as u64)
        } else {
            Err(argument(
                format!("{name}: {v} is not a whole number of patients"),
                Some(name),
            ))
        }
    };
    let p = survcalc_core::binary::proportion(
        whole(x, "x")?,
        whole(n, "n")?,
        conf_level.unwrap_or(0.95),
    )
    .map_err(|e| argument(e.to_string(), None))?;
    to_js(&p)
}

/// Competing risks as arrays: the cause of each patient's failure (0 = censored, 1, 2, …).
#[derive(Tsify, Deserialize)]
pub struct CompetingArrays {
    /// Follow-up times.
    pub time: Vec<f64>,
    /// 0 = censored, 1, 2, … = the cause.
    pub cause: Vec<u32>,
    /// The group of each patient; left out: one group.
    #[serde(default)]
    pub group: Option<Vec<Label>>,
}

/// One cause's cumulative incidence curves by group (cmprsk `cuminc`), and Gray's test
/// when there are groups.
#[derive(Tsify, Serialize)]
pub struct CauseIncidence {
    /// The cause (1, 2, …).
    pub cause: u32,
    /// One curve per group.
    pub curves: Vec<survcalc_core::competing::CifCurve>,
}

/// The cumulative incidence of each cause by group, Aalen–Johansen with cmprsk's
/// variance (R cmprsk `cuminc(ftime, fstatus, group)`).
#[wasm_bindgen(js_name = cumulativeIncidence, unchecked_return_type = "CauseIncidence[]")]
pub fn cumulative_incidence(
    #[wasm_bindgen(unchecked_param_type = "CompetingArrays")] data: JsValue,
) -> Result<JsValue, JsValue> {
    let input: CompetingArrays = from_js(data, "data")?;
    let (group, levels) = group_codes(input.group.as_deref(), input.time.len(), None)?;
    let mut causes: Vec<u32> = input.cause.iter().copied().filter(|&c| c > 0).collect();
    causes.sort_unstable();
    causes.dedup();
    let d =
        CompetingData::new(input.time, input.cause, group, levels).map_err(|e| data_error(&e))?;
    let out: Vec<CauseIncidence> = causes
        .into_iter()
        .map(|cause| CauseIncidence {
            cause,
            curves: survcalc_core::competing::cumulative_incidence(&d, cause),
        })
        .collect();
    to_js(&out)
}

// ---------------------------------------------------------------------------------------
// Design

/// Events and patients for a two-arm survival trial (rpact `getSampleSizeSurvival`, or
/// Lachin–Foulkes as gsDesign `nSurv`).
#[wasm_bindgen(js_name = sampleSizeSurvival, unchecked_return_type = "SurvivalSampleSize")]
pub fn sample_size_survival(
    #[wasm_bindgen(unchecked_param_type = "SurvivalDesign")] design: JsValue,
) -> Result<JsValue, JsValue> {
    let d: survcalc_core::design::SurvivalDesign = from_js(design, "design")?;
    let s = survcalc_core::design::survival_sample_size(&d).map_err(|e| design_error(&e))?;
    to_js(&s)
}

/// Simon's optimal and minimax two-stage designs (and A'Hern's single stage) for a
/// response rate, by exact enumeration (R clinfun `ph2simon`).
#[wasm_bindgen(js_name = simonTwoStage, unchecked_return_type = "SimonDesigns")]
pub fn simon_two_stage(
    p0: f64,
    p1: f64,
    alpha: f64,
    beta: f64,
    n_max: Option<u32>,
) -> Result<JsValue, JsValue> {
    let s = survcalc_core::design::simon_two_stage(p0, p1, alpha, beta, n_max.unwrap_or(100))
        .map_err(|e| design_error(&e))?;
    to_js(&s)
}

/// Patients per group to compare two proportions (R `power.prop.test`), with the
/// continuity-corrected and exact (Fisher) answers.
#[wasm_bindgen(js_name = twoProportions, unchecked_return_type = "TwoProportions")]
pub fn two_proportions(
    p1: f64,
    p2: f64,
    alpha: f64,
    power: f64,
    sides: Option<u8>,
) -> Result<JsValue, JsValue> {
    let t = survcalc_core::design::two_proportions(p1, p2, alpha, power, sides.unwrap_or(2))
        .map_err(|e| design_error(&e))?;
    to_js(&t)
}
