//! Binomial probabilities after Loader (2000), as R's nmath `dbinom` computes them
//! (`stirlerr`, `bd0`), and compensated sums of their tails.

use super::sum::Sum;

/// Loader's stirlerr(n) = ln n! − ln(√(2πn) (n/e)ⁿ), for integer n ≥ 0.
pub(crate) fn stirlerr(n: f64) -> f64 {
    // Values at n = 0..15 (Loader 2000; n = 0 is a placeholder never used), with the
    // published digits.
    #[allow(clippy::excessive_precision)] // the digits as published; they round to the f64
    const SFERR: [f64; 16] = [
        0.0,
        0.081_061_466_795_327_258_219_670_2,
        0.041_340_695_955_409_294_093_822_1,
        0.027_677_925_684_998_339_148_789_29,
        0.020_790_672_103_765_093_111_522_77,
        0.016_644_691_189_821_192_163_194_87,
        0.013_876_128_823_070_747_998_745_73,
        0.011_896_709_945_891_770_095_055_72,
        0.010_411_265_261_972_096_497_478_567,
        0.009_255_462_182_712_732_917_728_637,
        0.008_330_563_433_362_871_256_469_318,
        0.007_573_675_487_951_840_794_972_024,
        0.006_942_840_107_209_529_865_664_152,
        0.006_408_994_188_004_207_068_439_631,
        0.005_951_370_112_758_847_735_624_416,
        0.005_554_733_551_962_801_371_038_690,
    ];
    const S0: f64 = 1.0 / 12.0;
    const S1: f64 = 1.0 / 360.0;
    const S2: f64 = 1.0 / 1260.0;
    const S3: f64 = 1.0 / 1680.0;
    const S4: f64 = 1.0 / 1188.0;
    if n <= 15.0 {
        return SFERR[n as usize];
    }
    let nn = n * n;
    if n > 500.0 {
        (S0 - S1 / nn) / n
    } else if n > 80.0 {
        (S0 - (S1 - S2 / nn) / nn) / n
    } else if n > 35.0 {
        (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n
    } else {
        (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n
    }
}

/// Loader's deviance term bd0(x, np) = x ln(x/np) + np − x, accurate when x ≈ np.
pub(crate) fn bd0(x: f64, np: f64) -> f64 {
    if (x - np).abs() < 0.1 * (x + np) {
        let mut v = (x - np) / (x + np);
        let mut s = (x - np) * v;
        if s.abs() < f64::MIN_POSITIVE {
            return s;
        }
        let mut ej = 2.0 * x * v;
        v *= v;
        for j in 1..1000 {
            ej *= v;
            let s1 = s + ej / (2 * j + 1) as f64;
            if s1 == s {
                return s1;
            }
            s = s1;
        }
    }
    x * (x / np).ln() + np - x
}

/// Binomial probability P(X = x) for X ~ Bin(n, p), q = 1 − p, by Loader's algorithm
/// (R's `dbinom_raw`): relative error of a few ulps for any n.
pub(crate) fn dbinom(x: u64, n: u64, p: f64, q: f64) -> f64 {
    if p == 0.0 {
        return if x == 0 { 1.0 } else { 0.0 };
    }
    if q == 0.0 {
        return if x == n { 1.0 } else { 0.0 };
    }
    let (xf, nf) = (x as f64, n as f64);
    if x == 0 {
        if n == 0 {
            return 1.0;
        }
        let lc = if p < 0.1 {
            -bd0(nf, nf * q) - nf * p
        } else {
            nf * q.ln()
        };
        return lc.exp();
    }
    if x == n {
        let lc = if q < 0.1 {
            -bd0(nf, nf * p) - nf * q
        } else {
            nf * p.ln()
        };
        return lc.exp();
    }
    if x > n {
        return 0.0;
    }
    let lc =
        stirlerr(nf) - stirlerr(xf) - stirlerr(nf - xf) - bd0(xf, nf * p) - bd0(nf - xf, nf * q);
    let lf = (2.0 * std::f64::consts::PI).ln() + xf.ln() + (-xf / nf).ln_1p();
    (lc - 0.5 * lf).exp()
}

/// Sum of binomial probabilities over `from..=to` (inclusive), walking away from the
/// mode and stopping once the rest cannot change the sum (terms of a log-concave
/// sequence past its peak shrink at least geometrically, so the rest is at most
/// term / (1 − ratio)).
pub(crate) fn binom_sum(from: u64, to: u64, n: u64, p: f64) -> f64 {
    if from > to {
        return 0.0;
    }
    let q = 1.0 - p;
    // Walk from the end nearer the mode towards the other end.
    let mode = ((n as f64 + 1.0) * p).floor().min(n as f64) as u64;
    let forward = mode <= from; // mode at or before `from`: walk upwards from `from`
    let backward = mode >= to;
    let mut sum = Sum::default();
    let mut add_walk = |start: u64, step_up: bool, stop: u64| {
        let mut i = start;
        let mut last = f64::NAN;
        loop {
            let term = dbinom(i, n, p, q);
            sum.add(term);
            // Every walk moves away from the mode, so the terms never grow again: once one
            // underflows, so do the rest.
            if term == 0.0 {
                break;
            }
            if last.is_finite() && term < last {
                let r = term / last;
                if term / (1.0 - r) < sum.value() * 1e-17 {
                    break;
                }
            }
            last = term;
            if i == stop {
                break;
            }
            i = if step_up { i + 1 } else { i - 1 };
        }
    };
    if forward {
        add_walk(from, true, to);
    } else if backward {
        add_walk(to, false, from);
    } else {
        // The mode is inside: walk up from it and down from just below it.
        add_walk(mode, true, to);
        if mode > from {
            add_walk(mode - 1, false, from);
        }
    }
    sum.value()
}

/// P(X ≤ x), R `pbinom(x, n, p)`.
pub(crate) fn pbinom_lower(x: u64, n: u64, p: f64) -> f64 {
    binom_sum(0, x.min(n), n, p).min(1.0)
}

/// P(X ≥ x), R `pbinom(x - 1, n, p, lower.tail = FALSE)`.
pub(crate) fn pbinom_upper_from(x: u64, n: u64, p: f64) -> f64 {
    if x > n {
        return 0.0;
    }
    binom_sum(x, n, n, p).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dbinom_sums_to_one_and_matches_direct_formula() {
        for &(n, p) in &[(10u64, 0.3), (200, 0.01), (5000, 0.47)] {
            let s: f64 = (0..=n).map(|i| dbinom(i, n, p, 1.0 - p)).sum();
            assert!((s - 1.0).abs() < 1e-13, "n={n} p={p}: sum {s}");
        }
        // Bin(5, 0.5): P(X = 2) = 10/32.
        assert!((dbinom(2, 5, 0.5, 0.5) - 10.0 / 32.0).abs() < 1e-16);
    }

    #[test]
    fn stirlerr_table_agrees_with_definition() {
        let mut lf = 0.0f64;
        for n in 1..=15u64 {
            lf += (n as f64).ln();
            let nf = n as f64;
            let direct = lf - (nf + 0.5) * nf.ln() + nf - 0.5 * (2.0 * std::f64::consts::PI).ln();
            assert!((stirlerr(nf) - direct).abs() < 1e-13, "n = {n}");
        }
    }
}
