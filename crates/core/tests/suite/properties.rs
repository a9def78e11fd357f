//! Invariants that hold for any data (STYLE.md, "Numbers are checked three ways"):
//!
//! - `km_is_a_survival_function`: S(t) is non-increasing and within [0, 1].
//! - `km_without_censoring_is_one_minus_ecdf`.
//! - `km_is_shift_invariant`: adding a constant to every time shifts the curve only.
//! - `logrank_observed_equals_expected_in_total`: Σ O = Σ E.
//! - `rank_statistics_ignore_monotone_time_transforms`: log-rank and Cox are unchanged
//!   when every time is multiplied by a positive constant.
//! - `swapping_groups`: the log-rank statistic is unchanged and the HR is inverted.
//! - `cox_lr_is_non_negative`: the partial likelihood at β̂ is at least that at 0.

use crate::util::rel;
use proptest::prelude::*;
use survcalc_core::{cox_fit, kaplan_meier, log_rank, CoxOptions, KmOptions, SurvData};

/// Two-group survival data: integer-valued times (so ties happen), events, groups.
fn two_groups() -> impl Strategy<Value = (Vec<f64>, Vec<bool>, Vec<usize>)> {
    (4usize..60).prop_flat_map(|n| {
        (
            proptest::collection::vec(0u32..40, n),
            proptest::collection::vec(any::<bool>(), n),
            proptest::collection::vec(0usize..2, n),
        )
            .prop_map(|(t, e, g)| (t.into_iter().map(f64::from).collect(), e, g))
    })
}

fn data(t: Vec<f64>, e: Vec<bool>, g: Vec<usize>) -> Option<SurvData> {
    // Both groups present, so that comparisons exist.
    if !(g.contains(&0) && g.contains(&1)) {
        return None;
    }
    SurvData::new(t, e, g, vec!["a".into(), "b".into()]).ok()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn km_is_a_survival_function((t, e, g) in two_groups()) {
        let Some(d) = data(t, e, g) else { return Ok(()) };
        for c in kaplan_meier(&d, &KmOptions::default()) {
            let mut prev = 1.0;
            for &s in &c.surv {
                prop_assert!((0.0..=1.0).contains(&s));
                prop_assert!(s <= prev);
                prev = s;
            }
            for (lo, hi) in c.lower.iter().zip(&c.upper) {
                if let (Some(lo), Some(hi)) = (lo, hi) {
                    prop_assert!(lo <= hi);
                }
            }
        }
    }

    #[test]
    fn km_without_censoring_is_one_minus_ecdf(t in proptest::collection::vec(0u32..50, 1..80)) {
        let t: Vec<f64> = t.into_iter().map(f64::from).collect();
        let n = t.len();
        let d = SurvData::new(t.clone(), vec![true; n], vec![0; n], vec!["a".into()]);
        let Ok(d) = d else { return Err(TestCaseError::fail("valid data rejected")) };
        let c = &kaplan_meier(&d, &KmOptions::default())[0];
        for (i, &ti) in c.time.iter().enumerate() {
            let ecdf = t.iter().filter(|&&x| x <= ti).count() as f64 / n as f64;
            prop_assert!((c.surv[i] - (1.0 - ecdf)).abs() < 1e-12);
        }
    }

    #[test]
    fn km_is_shift_invariant((t, e, g) in two_groups(), shift in 0.5f64..100.0) {
        let shifted: Vec<f64> = t.iter().map(|x| x + shift).collect();
        let (Some(a), Some(b)) = (data(t, e.clone(), g.clone()), data(shifted, e, g)) else { return Ok(()) };
        let (ka, kb) = (kaplan_meier(&a, &KmOptions::default()), kaplan_meier(&b, &KmOptions::default()));
        for (ca, cb) in ka.iter().zip(&kb) {
            prop_assert_eq!(&ca.surv, &cb.surv);
            prop_assert_eq!(&ca.n_risk, &cb.n_risk);
            for (x, y) in ca.time.iter().zip(&cb.time) {
                prop_assert!((x + shift - y).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn logrank_observed_equals_expected_in_total((t, e, g) in two_groups()) {
        let Some(d) = data(t, e, g) else { return Ok(()) };
        let lr = log_rank(&d);
        let (o, ex): (f64, f64) = (lr.observed.iter().sum(), lr.expected.iter().sum());
        prop_assert!((o - ex).abs() < 1e-9 * o.max(1.0));
    }

    #[test]
    fn rank_statistics_ignore_monotone_time_transforms((t, e, g) in two_groups(), k in 0.1f64..50.0) {
        let scaled: Vec<f64> = t.iter().map(|x| x * k).collect();
        let (Some(a), Some(b)) = (data(t, e.clone(), g.clone()), data(scaled, e, g)) else { return Ok(()) };
        let (la, lb) = (log_rank(&a), log_rank(&b));
        // O − E of exactly 0 in one order can be 1e-16 in the other (R too: 0 against
        // 5.2e-32 on the recorded case), so a χ² of 0 is compared absolutely.
        prop_assert!(rel(la.chisq, lb.chisq) < 1e-9 || (la.chisq - lb.chisq).abs() < 1e-20
            || (la.chisq.is_nan() && lb.chisq.is_nan()));
        let (ca, cb) = (cox_fit(&a, &CoxOptions::default()), cox_fit(&b, &CoxOptions::default()));
        // A diverging fit stops wherever the log-likelihood flattens; only finite
        // estimates are comparable.
        if ca.is_reliable() && cb.is_reliable() {
            prop_assert!(rel(ca.terms[0].coef, cb.terms[0].coef) < 1e-9,
                "{} vs {}", ca.terms[0].coef, cb.terms[0].coef);
        }
    }

    #[test]
    fn swapping_groups((t, e, g) in two_groups()) {
        let swapped: Vec<usize> = g.iter().map(|&x| 1 - x).collect();
        let (Some(a), Some(b)) = (data(t.clone(), e.clone(), g), data(t, e, swapped)) else { return Ok(()) };
        let (la, lb) = (log_rank(&a), log_rank(&b));
        // O − E of exactly 0 in one order can be 1e-16 in the other (R too: 0 against
        // 5.2e-32 on the recorded case), so a χ² of 0 is compared absolutely.
        prop_assert!(rel(la.chisq, lb.chisq) < 1e-9 || (la.chisq - lb.chisq).abs() < 1e-20
            || (la.chisq.is_nan() && lb.chisq.is_nan()));
        let (ca, cb) = (cox_fit(&a, &CoxOptions::default()), cox_fit(&b, &CoxOptions::default()));
        if ca.is_reliable() && cb.is_reliable() {
            prop_assert!((ca.terms[0].coef + cb.terms[0].coef).abs() < 1e-7 * ca.terms[0].coef.abs().max(1e-3),
                "{} vs {}", ca.terms[0].coef, cb.terms[0].coef);
            prop_assert!(rel(ca.terms[0].hr * cb.terms[0].hr, 1.0) < 1e-7);
        }
    }

    #[test]
    fn cox_lr_is_non_negative((t, e, g) in two_groups()) {
        let Some(d) = data(t, e, g) else { return Ok(()) };
        let c = cox_fit(&d, &CoxOptions::default());
        prop_assert!(c.lr_test.chisq >= -1e-9 || c.lr_test.chisq.is_nan());
    }
}
