//! Single-arm designs for a response rate: Simon's two-stage designs (optimal and
//! minimax) and A'Hern's single-stage design, by exact binomial enumeration.
//!
//! # Formula
//! Stage 1 treats n₁ patients and stops for futility with r₁ or fewer responses; otherwise
//! n − n₁ more are treated and the treatment is rejected with r or fewer in all. With B
//! the binomial and b its probability function, under a true rate p:
//!
//! P(reject H₀ | p) = Σ_{x₁ = r₁+1}^{n₁} b(x₁; n₁, p) · P(B(n − n₁, p) > r − x₁),
//! PET(p) = P(B(n₁, p) ≤ r₁), EN(p) = n₁ + (1 − PET(p)) (n − n₁).
//!
//! A design is admissible when P(reject | p₀) ≤ α and P(reject | p₁) ≥ 1 − β. The optimal
//! design minimises EN(p₀); the minimax design minimises n, then EN(p₀). As R
//! `clinfun::ph2simon`, for every n up to `n_max`, n₁ < n and r₁ < n₁, r is the smallest
//! number meeting α (α falls as r grows and so does power, so no larger r can help).
//!
//! A'Hern: the smallest n with a cut r (reject H₀ with r or more responses) such that
//! P(B(n, p₀) ≥ r) ≤ α and P(B(n, p₁) ≥ r) ≥ 1 − β.
//!
//! # References
//! Simon R (1989). Optimal two-stage designs for phase II clinical trials. Control Clin
//! Trials 10:1–10. A'Hern RP (2001). Sample size tables for exact single-stage phase II
//! designs. Stat Med 20:859–866. R clinfun `ph2simon`, `ph2single`.

use super::survival::{bad, check_probability, DesignError};
use crate::numerics::binomial::{dbinom, pbinom_lower, pbinom_upper_from};

/// One two-stage design.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct TwoStageDesign {
    /// Stop after stage 1 with r₁ or fewer responses.
    pub r1: u32,
    /// Patients in stage 1.
    pub n1: u32,
    /// Reject the treatment with r or fewer responses in all.
    pub r: u32,
    /// Patients in all.
    pub n: u32,
    /// The expected number of patients under p₀ (EN₀).
    pub expected_n0: f64,
    /// The probability of early termination under p₀ (PET₀).
    pub pet0: f64,
    /// The exact type I error P(reject H₀ | p₀).
    pub alpha: f64,
    /// The exact power P(reject H₀ | p₁).
    pub power: f64,
}

impl TwoStageDesign {
    /// The probability that the treatment is declared promising (more than r responses,
    /// having passed stage 1) when its true response rate is `p`: the design's operating
    /// characteristic, α at p₀ and the power at p₁.
    pub fn promising_probability(&self, p: f64) -> f64 {
        let q = 1.0 - p;
        let n2 = self.n - self.n1;
        ((self.r1 + 1)..=self.n1)
            .map(|x1| {
                let need = i64::from(self.r) - i64::from(x1) + 1;
                let tail = if need <= 0 {
                    1.0
                } else {
                    pbinom_upper_from(need as u64, u64::from(n2), p)
                };
                dbinom(u64::from(x1), u64::from(self.n1), p, q) * tail
            })
            .sum()
    }
}

/// Simon's optimal and minimax designs.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct SimonDesigns {
    /// Minimises EN₀.
    pub optimal: TwoStageDesign,
    /// Minimises n, then EN₀.
    pub minimax: TwoStageDesign,
}

/// A single-stage exact design.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct SingleStageDesign {
    /// Patients.
    pub n: u32,
    /// Reject H₀ (the treatment is promising) with r or more responses.
    pub r: u32,
    /// The exact type I error.
    pub alpha: f64,
    /// The exact power.
    pub power: f64,
}

fn check(p0: f64, p1: f64, alpha: f64, beta: f64) -> Result<(), DesignError> {
    check_probability("p0", p0, "the uninteresting response rate, between 0 and 1")?;
    check_probability("p1", p1, "the desirable response rate, between 0 and 1")?;
    if p1 <= p0 {
        return Err(bad("p1", "a response rate above p0"));
    }
    check_probability(
        "alpha",
        alpha,
        "a probability between 0 and 1, such as 0.05",
    )?;
    check_probability("beta", beta, "a probability between 0 and 1, such as 0.2")
}

/// Simon's optimal and minimax two-stage designs for H₀: p ≤ p₀ against p ≥ p₁, with
/// one-sided `alpha` and `beta` = 1 − power, searching n ≤ `n_max` (clinfun's default
/// is 100).
///
/// # Errors
/// [`DesignError`] for rates or error rates out of range, or no design within `n_max`.
pub fn simon_two_stage(
    p0: f64,
    p1: f64,
    alpha: f64,
    beta: f64,
    n_max: u32,
) -> Result<SimonDesigns, DesignError> {
    check(p0, p1, alpha, beta)?;
    if !(2..=1000).contains(&n_max) {
        return Err(bad("n_max", "a largest sample size between 2 and 1000"));
    }
    let (q0, q1) = (1.0 - p0, 1.0 - p1);
    let mut optimal: Option<TwoStageDesign> = None;
    let mut minimax: Option<TwoStageDesign> = None;
    // Upper tails P(B(m, p) > k) for every m ≤ n_max, k: tail[m][k + 1] = P(B ≥ k + 1).
    let upper = |p: f64| -> Vec<Vec<f64>> {
        (0..=n_max)
            .map(|m| {
                (0..=m + 1)
                    .map(|k| pbinom_upper_from(u64::from(k), u64::from(m), p))
                    .collect()
            })
            .collect()
    };
    let (u0, u1) = (upper(p0), upper(p1));
    let tail = |u: &Vec<Vec<f64>>, m: u32, more_than: i64| -> f64 {
        // P(B(m) > more_than)
        if more_than < 0 {
            1.0
        } else if more_than >= i64::from(m) {
            0.0
        } else {
            u[m as usize][(more_than + 1) as usize]
        }
    };
    for n1 in 1..n_max {
        let b0: Vec<f64> = (0..=n1)
            .map(|x| dbinom(u64::from(x), u64::from(n1), p0, q0))
            .collect();
        let b1: Vec<f64> = (0..=n1)
            .map(|x| dbinom(u64::from(x), u64::from(n1), p1, q1))
            .collect();
        for r1 in 0..n1 {
            let pet0 = pbinom_lower(u64::from(r1), u64::from(n1), p0);
            let pet1 = pbinom_lower(u64::from(r1), u64::from(n1), p1);
            // Stopping early under p₁ already costs more than β of power.
            if pet1 > beta {
                break;
            }
            for n in (n1 + 1)..=n_max {
                let n2 = n - n1;
                let reject = |b: &[f64], u: &Vec<Vec<f64>>, r: u32| -> f64 {
                    ((r1 + 1)..=n1)
                        .map(|x1| b[x1 as usize] * tail(u, n2, i64::from(r) - i64::from(x1)))
                        .sum()
                };
                // The smallest r ≥ r₁ with α met (α falls with r).
                let (mut lo, mut hi) = (r1, n);
                if reject(&b0, &u0, hi) > alpha {
                    continue;
                }
                while lo < hi {
                    let mid = (lo + hi) / 2;
                    if reject(&b0, &u0, mid) <= alpha {
                        hi = mid;
                    } else {
                        lo = mid + 1;
                    }
                }
                let r = lo;
                let power = reject(&b1, &u1, r);
                if power < 1.0 - beta {
                    continue;
                }
                let d = TwoStageDesign {
                    r1,
                    n1,
                    r,
                    n,
                    expected_n0: f64::from(n1) + (1.0 - pet0) * f64::from(n2),
                    pet0,
                    alpha: reject(&b0, &u0, r),
                    power,
                };
                let better_opt = optimal
                    .as_ref()
                    .is_none_or(|o| d.expected_n0 < o.expected_n0 - 1e-12);
                if better_opt {
                    optimal = Some(d.clone());
                }
                let better_mm = minimax.as_ref().is_none_or(|m| {
                    d.n < m.n || (d.n == m.n && d.expected_n0 < m.expected_n0 - 1e-12)
                });
                if better_mm {
                    minimax = Some(d);
                }
                // A larger n with the same n₁, r₁ only raises EN₀ and n.
                break;
            }
        }
    }
    match (optimal, minimax) {
        (Some(optimal), Some(minimax)) => Ok(SimonDesigns { optimal, minimax }),
        _ => Err(bad(
            "n_max",
            &format!("no two-stage design with at most {n_max} patients: allow more patients or relax α or β"),
        )),
    }
}

/// A'Hern's exact single-stage design: the smallest n, with its cut r.
///
/// # Errors
/// [`DesignError`] for rates or error rates out of range, or no design within `n_max`.
pub fn ahern_single_stage(
    p0: f64,
    p1: f64,
    alpha: f64,
    beta: f64,
    n_max: u32,
) -> Result<SingleStageDesign, DesignError> {
    check(p0, p1, alpha, beta)?;
    for n in 1..=n_max {
        // The smallest r meeting α.
        let r = (0..=n + 1).find(|&r| pbinom_upper_from(u64::from(r), u64::from(n), p0) <= alpha);
        let Some(r) = r else { continue };
        let power = pbinom_upper_from(u64::from(r), u64::from(n), p1);
        if power >= 1.0 - beta {
            return Ok(SingleStageDesign {
                n,
                r,
                alpha: pbinom_upper_from(u64::from(r), u64::from(n), p0),
                power,
            });
        }
    }
    Err(bad(
        "n_max",
        &format!("no single-stage design with at most {n_max} patients"),
    ))
}

/// What a two-stage trial observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
pub enum TwoStageOutcome {
    /// Stopped after stage 1 with x₁ ≤ r₁ responses.
    Stopped {
        /// Responses in stage 1.
        x1: u32,
    },
    /// Both stages completed with x responses in all.
    Completed {
        /// Responses in all.
        x: u32,
    },
}

/// Inference after a two-stage trial that respects its stopping rule.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct TwoStageInference {
    /// The uniformly minimum-variance unbiased estimate of the response rate.
    pub umvue: f64,
    /// The naive proportion (responses / patients treated), biased by the stopping rule.
    pub naive: f64,
    /// One-sided P of H₀: p ≤ p₀.
    pub p_value: f64,
    /// The exact interval at `conf_level`, with (1 − level)/2 in each tail.
    pub lower: f64,
    /// Its upper limit.
    pub upper: f64,
    /// The level.
    pub conf_level: f64,
}

impl TwoStageDesign {
    /// P(an outcome at least as extreme as `o` | p) in the stage-wise ordering: stops are
    /// less extreme than completions, stops ordered by x₁, completions by x.
    fn at_least(&self, o: TwoStageOutcome, p: f64) -> f64 {
        let (n1, n2) = (u64::from(self.n1), u64::from(self.n - self.n1));
        match o {
            TwoStageOutcome::Stopped { x1 } => pbinom_upper_from(u64::from(x1), n1, p),
            TwoStageOutcome::Completed { x } => ((self.r1 + 1)..=self.n1)
                .map(|x1| {
                    let need = i64::from(x) - i64::from(x1);
                    let tail = if need <= 0 {
                        1.0
                    } else {
                        pbinom_upper_from(need as u64, n2, p)
                    };
                    dbinom(u64::from(x1), n1, p, 1.0 - p) * tail
                })
                .sum(),
        }
    }

    /// Inference after the trial (R clinfun `twostage.inference`'s quantities, with the
    /// interval's tails at (1 − level)/2 each).
    ///
    /// # Formula
    /// Outcomes are ordered stage-wise (Koyama & Chen 2008): stopping at stage 1 is less
    /// extreme than going on, stops by x₁ and completions by the total x. The P value is
    /// P(outcome ≥ observed | p₀); the limits solve P(outcome ≥ observed | p_L) =
    /// (1 − level)/2 and P(outcome ≤ observed | p_U) = (1 − level)/2. The UMVUE is x₁/n₁
    /// after a stop, and after completion (Jung & Kim 2004)
    /// Σ_{x₁} C(n₁ − 1, x₁ − 1) C(n₂, x − x₁) / Σ_{x₁} C(n₁, x₁) C(n₂, x − x₁),
    /// x₁ from r₁ + 1 to min(n₁, x).
    ///
    /// # Errors
    /// [`DesignError`] for an outcome the design cannot give, or a level out of (0, 1).
    pub fn inference(
        &self,
        outcome: TwoStageOutcome,
        p0: f64,
        conf_level: f64,
    ) -> Result<TwoStageInference, DesignError> {
        check_probability("p0", p0, "the uninteresting response rate, between 0 and 1")?;
        check_probability(
            "conf_level",
            conf_level,
            "a level between 0 and 1, such as 0.95",
        )?;
        let n2 = self.n - self.n1;
        let (naive, umvue, lowest, highest) = match outcome {
            TwoStageOutcome::Stopped { x1 } => {
                if x1 > self.r1 {
                    return Err(bad(
                        "x1",
                        &format!(
                            "at most r₁ = {} responses for a trial stopped after stage 1",
                            self.r1
                        ),
                    ));
                }
                let v = f64::from(x1) / f64::from(self.n1);
                (v, v, x1 == 0, false)
            }
            TwoStageOutcome::Completed { x } => {
                if x <= self.r1 || x > self.n1 + n2 {
                    return Err(bad(
                        "x",
                        &format!(
                            "between {} and {} responses for a trial that went on to stage 2",
                            self.r1 + 1,
                            self.n
                        ),
                    ));
                }
                // Binomial coefficients as ln Γ, summed as ratios to the largest term.
                let lc = |n: u32, k: u32| {
                    ln_gamma(f64::from(n) + 1.0)
                        - ln_gamma(f64::from(k) + 1.0)
                        - ln_gamma(f64::from(n - k) + 1.0)
                };
                let hi = self.n1.min(x);
                let lo = (self.r1 + 1).max(x.saturating_sub(n2));
                let terms: Vec<(f64, f64)> = (lo..=hi)
                    .map(|x1| {
                        (
                            lc(self.n1 - 1, x1 - 1) + lc(n2, x - x1),
                            lc(self.n1, x1) + lc(n2, x - x1),
                        )
                    })
                    .collect();
                let m = terms.iter().map(|t| t.1).fold(f64::NEG_INFINITY, f64::max);
                let num: f64 = terms.iter().map(|t| (t.0 - m).exp()).sum();
                let den: f64 = terms.iter().map(|t| (t.1 - m).exp()).sum();
                (
                    f64::from(x) / f64::from(self.n),
                    num / den,
                    false,
                    x == self.n,
                )
            }
        };
        let tail = (1.0 - conf_level) / 2.0;
        let at_most = |p: f64| -> f64 {
            // P(outcome ≤ observed) = 1 − P(outcome ≥ next one up).
            match outcome {
                TwoStageOutcome::Stopped { x1 } => {
                    crate::numerics::binomial::pbinom_lower(u64::from(x1), u64::from(self.n1), p)
                }
                TwoStageOutcome::Completed { x } => {
                    1.0 - self.at_least(TwoStageOutcome::Completed { x: x + 1 }, p)
                }
            }
        };
        let solve = |f: &dyn Fn(f64) -> f64| {
            crate::numerics::root::uniroot(|p| f(p) - tail, 1e-12, 1.0 - 1e-12, 1e-12)
                .map_or(f64::NAN, |r| r.x)
        };
        let lower = if lowest {
            0.0
        } else {
            solve(&|p| self.at_least(outcome, p))
        };
        let upper = if highest {
            1.0
        } else {
            solve(&|p| -at_most(p) + 2.0 * tail)
        };
        Ok(TwoStageInference {
            umvue,
            naive,
            p_value: self.at_least(outcome, p0),
            lower,
            upper,
            conf_level,
        })
    }
}

fn ln_gamma(x: f64) -> f64 {
    statrs::function::gamma::ln_gamma(x)
}
