//! Sample size for comparing two proportions: the normal approximation of R
//! `power.prop.test` (without and with the Fleiss continuity correction) and the exact
//! power of Fisher's test by enumeration.
//!
//! # Formula
//! Per group n, p̄ = (p₁ + p₂)/2, q = 1 − p, z = Φ⁻¹(1 − α/s):
//! power(n) = Φ((√n |p₁ − p₂| − z √(2 p̄ q̄)) / √(p₁q₁ + p₂q₂)) (R `power.prop.test`,
//! `strict = FALSE`), solved for n by R's `uniroot` on (1, 10⁷) with its tolerance
//! ε^¼, so that n is R's to the digits R prints. With the continuity correction (Fleiss,
//! Tytun & Ury 1980): n_c = n/4 (1 + √(1 + 4/(n |p₁ − p₂|)))².
//!
//! Exact power: Σ_{x₁, x₂} b(x₁; n₁, p₁) b(x₂; n₂, p₂) 1{Fisher's two-sided P ≤ α}, the
//! P of each table as R `fisher.test` computes it (the tables no more likely than the one
//! observed, within a relative 10⁻⁷).
//!
//! # References
//! Fleiss JL, Tytun A, Ury HK (1980). A simple approximation for calculating sample sizes
//! for comparing independent proportions. Biometrics 36:343–346. R `power.prop.test`.

use super::survival::{bad, check_probability, DesignError};
use crate::numerics::binomial::dbinom;
use crate::numerics::hypergeometric::Hyper;
use crate::numerics::{pnorm, qnorm};

/// The sample size per group for two proportions.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct TwoProportions {
    /// Patients per group by the normal approximation (R `power.prop.test(...)$n`).
    pub n: f64,
    /// The same equation in closed form, as rpact's `getSampleSizeRates` gives it
    /// ([`two_proportions_rpact`] at 1:1); it differs from `n` by R's root tolerance.
    pub n_closed_form: f64,
    /// With the continuity correction (Fleiss, Tytun & Ury 1980).
    pub n_corrected: f64,
    /// The exact power of Fisher's test with ⌈n_corrected⌉ per group.
    pub exact_power: f64,
    /// The group size of `exact_power`.
    pub exact_n: u32,
}

fn check(p1: f64, p2: f64, alpha: f64, power: f64, sides: u8) -> Result<(), DesignError> {
    check_probability("p1", p1, "a proportion between 0 and 1")?;
    check_probability("p2", p2, "a proportion between 0 and 1")?;
    if p1 == p2 {
        return Err(bad("p2", "a proportion other than p1"));
    }
    check_probability(
        "alpha",
        alpha,
        "a probability between 0 and 1, such as 0.05",
    )?;
    check_probability("power", power, "a probability between 0 and 1, such as 0.8")?;
    if sides != 1 && sides != 2 {
        return Err(bad("sides", "1 or 2"));
    }
    Ok(())
}

/// The normal-approximation power with n per group (R `power.prop.test(n = )$power`).
pub fn two_proportions_power(n: f64, p1: f64, p2: f64, alpha: f64, sides: u8) -> f64 {
    let (q1, q2) = (1.0 - p1, 1.0 - p2);
    let z = qnorm(1.0 - alpha / f64::from(sides));
    pnorm(
        ((n.sqrt() * (p1 - p2).abs()) - z * ((p1 + p2) * (q1 + q2) / 2.0).sqrt())
            / (p1 * q1 + p2 * q2).sqrt(),
    )
}

/// Patients per group to compare p₁ with p₂ at `alpha` (of `sides` sides) with `power`.
///
/// # Errors
/// [`DesignError`] naming the input out of range.
pub fn two_proportions(
    p1: f64,
    p2: f64,
    alpha: f64,
    power: f64,
    sides: u8,
) -> Result<TwoProportions, DesignError> {
    check(p1, p2, alpha, power, sides)?;
    let tol = f64::EPSILON.powf(0.25);
    let n = crate::numerics::root::uniroot(
        |n| two_proportions_power(n, p1, p2, alpha, sides) - power,
        1.0,
        1e7,
        tol,
    )
    .map(|r| r.x)
    .ok_or_else(|| {
        bad(
            "power",
            "a power that 1 to 10 million patients per group can reach",
        )
    })?;
    let d = (p1 - p2).abs();
    let n_corrected = n / 4.0 * (1.0 + (1.0 + 4.0 / (n * d)).sqrt()).powi(2);
    let exact_n = n_corrected.ceil() as u32;
    let n_closed_form = two_proportions_rpact(p1, p2, alpha, power, sides, 1.0)?.0;
    Ok(TwoProportions {
        n,
        n_closed_form,
        n_corrected,
        exact_power: fisher_power(exact_n, exact_n, p1, p2, alpha)?,
        exact_n,
    })
}

/// The exact power of Fisher's two-sided test with n₁ and n₂ patients.
///
/// # Errors
/// [`DesignError`] for more than 2,000 patients per group (the enumeration is n₁ n₂
/// tables).
pub fn fisher_power(n1: u32, n2: u32, p1: f64, p2: f64, alpha: f64) -> Result<f64, DesignError> {
    if n1 == 0 || n2 == 0 || n1 > 2000 || n2 > 2000 {
        return Err(bad(
            "n",
            "between 1 and 2,000 patients per group for the exact power",
        ));
    }
    let (n1, n2) = (u64::from(n1), u64::from(n2));
    let b1: Vec<f64> = (0..=n1).map(|x| dbinom(x, n1, p1, 1.0 - p1)).collect();
    let b2: Vec<f64> = (0..=n2).map(|x| dbinom(x, n2, p2, 1.0 - p2)).collect();
    let mut power = 0.0;
    // By the number of responders m = x₁ + x₂: the tables share one hypergeometric law.
    for m in 0..=(n1 + n2) {
        let h = Hyper::new(m, n1 + n2 - m, n1);
        // Two-sided P of each x₁ in the support: the mass of the tables no likelier
        // than it (within R's relative 1e-7), from the sorted densities' prefix sums.
        let dens = &h.central;
        let mut sorted = dens.clone();
        sorted.sort_by(f64::total_cmp);
        let mut prefix = Vec::with_capacity(sorted.len() + 1);
        prefix.push(0.0);
        for v in &sorted {
            prefix.push(prefix[prefix.len() - 1] + v);
        }
        let p_of: Vec<f64> = dens
            .iter()
            .map(|&d| prefix[sorted.partition_point(|&v| v <= d * (1.0 + 1e-7))])
            .collect();
        for (k, p) in p_of.iter().enumerate() {
            let x1 = h.lo + k as u64;
            let x2 = m - x1;
            if *p <= alpha && x2 <= n2 {
                power += b1[x1 as usize] * b2[x2 as usize];
            }
        }
    }
    Ok(power.min(1.0))
}

/// Patients to compare two proportions at R rpact's conventions (`getSampleSizeRates`,
/// fixed design, `normalApproximation = TRUE`, H₀ difference 0), with an allocation ratio
/// r = n₁/n₂: the closed form
/// n₁ = (z_{α/s} √(p̄q̄ (1 + r)) + z_β √(p₁q₁ + p₂q₂ r))² / (p₁ − p₂)², p̄ = (r p₁ + p₂)/(1 + r)
/// (the Farrington–Manning restricted estimate under H₀), n₂ = n₁/r. With r = 1 this is
/// the equation `power.prop.test` solves by iteration. Returns (n₁, n₂, n₁ + n₂).
///
/// # Errors
/// [`DesignError`] naming the input out of range.
pub fn two_proportions_rpact(
    p1: f64,
    p2: f64,
    alpha: f64,
    power: f64,
    sides: u8,
    allocation_ratio: f64,
) -> Result<(f64, f64, f64), DesignError> {
    check(p1, p2, alpha, power, sides)?;
    if !(allocation_ratio.is_finite() && allocation_ratio > 0.0) {
        return Err(bad("allocation_ratio", "a ratio above 0, such as 1 or 2"));
    }
    let r = allocation_ratio;
    let pbar = (r * p1 + p2) / (1.0 + r);
    let za = qnorm(1.0 - alpha / f64::from(sides));
    let zb = qnorm(power);
    let n1 = (za * (pbar * (1.0 - pbar) * (1.0 + r)).sqrt()
        + zb * (p1 * (1.0 - p1) + p2 * (1.0 - p2) * r).sqrt())
    .powi(2)
        / (p1 - p2).powi(2);
    Ok((n1, n1 / r, n1 + n1 / r))
}
