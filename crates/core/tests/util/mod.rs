//! Helpers shared by the integration-test modules (see `tests.rs`): reading the R fixtures,
//! and comparing our numbers with R's.
//!
//! The fixtures are JSON written by the scripts in `tests/r/` (run from the repository
//! root): every number is R's double printed with `%.17g`, and R's `NA`/`NaN`/`Inf` are
//! JSON `null` (except in `tests/fixtures/binary/`, where `binary.rs` reads them as
//! strings with its own accessors). Tolerances stay with the module that uses them; a
//! module whose comparison differs (a different relative error, absolute errors, its own
//! report) keeps its own `Checker`.

use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Display;
use survcalc_core::SurvData;

// ---------------------------------------------------------------------------------------
// Fixture loading

/// The text of `tests/fixtures/<path>` (from the repository root), embedded at compile
/// time. The path is built from `CARGO_MANIFEST_DIR`, so it does not depend on where the
/// calling file sits; the parts are literals or literal-producing macros, as `concat!`
/// takes them: `fixture_text!("cox/", stringify!(ovarian), ".json")`.
macro_rules! fixture_text {
    ($($part:tt)+) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/",
            $($part)+
        ))
    };
}

/// A fixture's text parsed as JSON.
pub fn load(text: &str) -> Value {
    serde_json::from_str(text).expect("fixture is valid JSON")
}

// ---------------------------------------------------------------------------------------
// Fixture access (null = R's NA/NaN/Inf)

pub fn field<'a>(v: &'a Value, key: &str) -> &'a Value {
    v.get(key)
        .unwrap_or_else(|| panic!("fixture: missing field `{key}`"))
}

pub fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    field(v, key)
        .as_array()
        .unwrap_or_else(|| panic!("fixture: field `{key}` is not an array"))
}

/// A number or null (R's NA/NaN/Inf).
pub fn opt_num(v: &Value, what: &str) -> Option<f64> {
    match v {
        Value::Null => None,
        Value::Number(n) => Some(
            n.as_f64()
                .unwrap_or_else(|| panic!("fixture: `{what}` is not an f64")),
        ),
        other => panic!("fixture: `{what}` is neither a number nor null: {other}"),
    }
}

pub fn num(v: &Value, key: &str) -> f64 {
    opt_num(field(v, key), key).unwrap_or_else(|| panic!("fixture: `{key}` is null"))
}

pub fn opt_nums(v: &Value, key: &str) -> Vec<Option<f64>> {
    array(v, key).iter().map(|x| opt_num(x, key)).collect()
}

pub fn nums(v: &Value, key: &str) -> Vec<f64> {
    opt_nums(v, key)
        .into_iter()
        .map(|x| x.unwrap_or_else(|| panic!("fixture: `{key}` holds a null")))
        .collect()
}

pub fn counts(v: &Value, key: &str) -> Vec<usize> {
    nums(v, key)
        .into_iter()
        .map(|x| {
            assert!(
                x >= 0.0 && x.fract() == 0.0,
                "fixture: `{key}` holds a non-count {x}"
            );
            x as usize
        })
        .collect()
}

pub fn count(v: &Value, key: &str) -> usize {
    let x = num(v, key);
    assert!(
        x >= 0.0 && x.fract() == 0.0,
        "fixture: `{key}` is not a count: {x}"
    );
    x as usize
}

/// A matrix of numbers, no nulls.
pub fn matrix(v: &Value, key: &str) -> Vec<Vec<f64>> {
    array(v, key)
        .iter()
        .map(|row| {
            row.as_array()
                .unwrap_or_else(|| panic!("fixture: `{key}` row is not an array"))
                .iter()
                .map(|x| opt_num(x, key).unwrap_or_else(|| panic!("fixture: `{key}` null")))
                .collect()
        })
        .collect()
}

pub fn string(v: &Value, key: &str) -> String {
    field(v, key)
        .as_str()
        .unwrap_or_else(|| panic!("fixture: `{key}` is not a string"))
        .to_string()
}

pub fn strings(v: &Value, key: &str) -> Vec<String> {
    array(v, key)
        .iter()
        .map(|s| {
            s.as_str()
                .unwrap_or_else(|| panic!("fixture: `{key}` holds a non-string"))
                .to_string()
        })
        .collect()
}

/// The fixture's data (`data.time`, `data.status` 0/1, `data.group`) as `SurvData`, levels
/// in the order of the fixture's `levels` (reference first).
pub fn surv_data(fx: &Value) -> SurvData {
    let levels = strings(fx, "levels");
    let data = field(fx, "data");
    let event = nums(data, "status")
        .into_iter()
        .map(|s| {
            assert!(s == 0.0 || s == 1.0, "fixture: status {s} is not 0/1");
            s == 1.0
        })
        .collect();
    let group = strings(data, "group")
        .iter()
        .map(|g| {
            levels
                .iter()
                .position(|l| l == g)
                .unwrap_or_else(|| panic!("fixture: group {g:?} is not a level"))
        })
        .collect();
    SurvData::new(nums(data, "time"), event, group, levels)
        .expect("fixture data should be valid SurvData")
}

pub fn some(v: &[f64]) -> Vec<Option<f64>> {
    v.iter().map(|&x| Some(x)).collect()
}

// ---------------------------------------------------------------------------------------
// Comparison

/// Relative error of `actual` against `expected`; absolute where `expected` is 0.
pub fn rel_err(actual: f64, expected: f64) -> f64 {
    if actual == expected {
        0.0
    } else if expected == 0.0 {
        actual.abs()
    } else {
        ((actual - expected) / expected).abs()
    }
}

/// Symmetric relative difference: |a − b| / max(|a|, |b|); 0 when equal.
pub fn rel(a: f64, b: f64) -> f64 {
    if a == b {
        0.0
    } else {
        (a - b).abs() / a.abs().max(b.abs())
    }
}

/// Collects every mismatch of one data set, and the largest relative error (`rel_err`)
/// per quantity; `finish` prints those and panics listing every mismatch.
pub struct Checker {
    set: &'static str,
    failures: Vec<String>,
    max_rel: BTreeMap<String, f64>,
}

impl Checker {
    pub fn new(set: &'static str) -> Self {
        Checker {
            set,
            failures: Vec::new(),
            max_rel: BTreeMap::new(),
        }
    }

    pub fn fail(&mut self, what: &str, at: impl Display, msg: String) {
        self.failures
            .push(format!("{} / {what} [{at}]: {msg}", self.set));
    }

    fn record(&mut self, what: &str, e: f64) {
        let m = self.max_rel.entry(what.to_string()).or_insert(0.0);
        if e > *m || e.is_nan() {
            *m = e;
        }
    }

    /// `actual` within `tol` (relative) of `expected`.
    pub fn close(&mut self, what: &str, at: impl Display, actual: f64, expected: f64, tol: f64) {
        let e = rel_err(actual, expected);
        self.record(what, e);
        if e.is_nan() || e > tol {
            self.fail(
                what,
                at,
                format!("got {actual:e}, R {expected:e}, rel. error {e:e} > {tol:e}"),
            );
        }
    }

    /// Both `None`, or both `Some` and close.
    pub fn close_opt(
        &mut self,
        what: &str,
        at: impl Display,
        actual: Option<f64>,
        expected: Option<f64>,
        tol: f64,
    ) {
        match (actual, expected) {
            (None, None) => {}
            (Some(a), Some(e)) => self.close(what, at, a, e, tol),
            (a, e) => self.fail(what, at, format!("got {a:?}, R {e:?} (null = None)")),
        }
    }

    /// Slices of equal length, element-wise close.
    pub fn close_all(
        &mut self,
        what: &str,
        at: impl Display,
        actual: &[Option<f64>],
        expected: &[Option<f64>],
        tol: f64,
    ) {
        if actual.len() != expected.len() {
            let msg = format!("length {} but R has {}", actual.len(), expected.len());
            self.fail(what, at, msg);
            return;
        }
        for (i, (&a, &e)) in actual.iter().zip(expected).enumerate() {
            self.close_opt(what, format!("{at}, {i}"), a, e, tol);
        }
    }

    pub fn equal<T: PartialEq + std::fmt::Debug>(
        &mut self,
        what: &str,
        at: impl Display,
        actual: T,
        expected: T,
    ) {
        if actual != expected {
            self.fail(what, at, format!("got {actual:?}, R {expected:?}"));
        }
    }

    /// Prints the largest relative errors and panics listing every mismatch.
    pub fn finish(self) {
        for (what, e) in &self.max_rel {
            eprintln!("{:<16} max rel. error {:<28} {e:.3e}", self.set, what);
        }
        assert!(
            self.failures.is_empty(),
            "{} mismatch(es) against R:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}
