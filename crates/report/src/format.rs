//! Numbers as a journal prints them: P values in the style of most medical journals
//! ("P < .001", "P = .03"), estimates with a fixed number of decimals, and confidence
//! intervals. Exports keep full precision; these are for display and sentences.

/// A P value in journal style: "< .001" below 0.001, three decimals below 0.01, two
/// decimals otherwise (".03"), "> .99" at the top; no leading zero. NaN gives "NA".
///
/// # Examples
/// ```
/// use survcalc_report::format::p_value;
/// assert_eq!(p_value(0.00002), "< .001");
/// assert_eq!(p_value(0.0072), "= .007");
/// assert_eq!(p_value(0.0341), "= .03");
/// assert_eq!(p_value(0.9991), "> .99");
/// ```
pub fn p_value(p: f64) -> String {
    if p.is_nan() {
        return "NA".into();
    }
    let strip = |s: String| s.trim_start_matches('0').to_string();
    if p < 0.001 {
        "< .001".into()
    } else if p < 0.01 {
        format!("= {}", strip(format!("{p:.3}")))
    } else if p >= 0.995 {
        "> .99".into()
    } else {
        let s = format!("{p:.2}");
        // 0.0095..0.01 rounds to "0.01" in two decimals; keep it.
        format!("= {}", strip(s))
    }
}

/// A P value at full precision, as R prints it with `format(p, digits = 7)` in
/// scientific form, with its relation: "= 1.234568e-5". A P that underflows to 0
/// (a test statistic past about 38.5 standard errors) is "< 5e-324", the smallest
/// positive double, rather than an exact-looking "0.000000e0". NaN gives "= NA".
///
/// # Examples
/// ```
/// use survcalc_report::format::p_exact;
/// assert_eq!(p_exact(0.0012345678), "= 1.234568e-3");
/// assert_eq!(p_exact(0.0), "< 5e-324");
/// assert_eq!(p_exact(f64::NAN), "= NA");
/// ```
pub fn p_exact(p: f64) -> String {
    if p.is_nan() {
        "= NA".into()
    } else if p == 0.0 {
        "< 5e-324".into()
    } else {
        format!("= {p:.6e}")
    }
}

/// "P < .001" / "P = .03".
pub fn p_label(p: f64) -> String {
    format!("P {}", p_value(p))
}

/// A number with `decimals` decimals; `None` (not reached / not estimable) gives "NR".
pub fn num(x: Option<f64>, decimals: usize) -> String {
    match x {
        Some(v) if v.is_finite() => format!("{v:.decimals$}"),
        Some(_) => "NA".into(),
        None => "NR".into(),
    }
}

/// "16.3 (95% CI: 0.0, 35.5)" style: estimate, level and limits.
pub fn with_ci(
    est: Option<f64>,
    lo: Option<f64>,
    hi: Option<f64>,
    level: &str,
    decimals: usize,
) -> String {
    format!(
        "{} ({level}% CI: {}, {})",
        num(est, decimals),
        num(lo, decimals),
        num(hi, decimals)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p_styles() {
        assert_eq!(p_value(0.5), "= .50");
        assert_eq!(p_value(0.01), "= .01");
        assert_eq!(p_value(0.001), "= .001");
        assert_eq!(p_value(f64::NAN), "NA");
        assert_eq!(p_label(1e-9), "P < .001");
    }

    #[test]
    fn p_at_full_precision() {
        assert_eq!(p_exact(0.05), "= 5.000000e-2");
        assert_eq!(p_exact(1.0), "= 1.000000e0");
        // The smallest subnormal still prints as a number; only an underflow to 0 is bounded.
        assert_eq!(p_exact(5e-324), "= 4.940656e-324");
        assert_eq!(p_exact(0.0), "< 5e-324");
    }

    #[test]
    fn not_reached() {
        assert_eq!(
            with_ci(Some(16.25), Some(0.0), None, "95", 1),
            "16.2 (95% CI: 0.0, NR)"
        );
    }
}
