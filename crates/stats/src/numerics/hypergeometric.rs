//! The central hypergeometric distribution of a 2 × 2 table's first cell, built from its
//! mode outward (what R's `fisher.test` evaluates), for the exact test and the
//! conditional MLE of the odds ratio.

use super::sum::Sum;

/// Relative log densities of the central hypergeometric distribution of the \[1,1\] cell of
/// a 2 × 2 table with first-column total `m`, second-column total `n` and first-row total
/// `k` (R `dhyper(support, m, n, k, log = TRUE)` up to a constant), built outward from the
/// mode from the ratio of successive terms so that the values stay exact for large n.
#[derive(Debug, Clone)]
pub(crate) struct Hyper {
    pub(crate) lo: u64,
    pub(crate) hi: u64,
    /// ln P(X = lo + i) − ln P(X = mode).
    pub(crate) logd: Vec<f64>,
    /// Normalised central probabilities (R `dnhyper(1)`).
    pub(crate) central: Vec<f64>,
}

impl Hyper {
    pub(crate) fn new(m: u64, n: u64, k: u64) -> Hyper {
        let lo = k.saturating_sub(n);
        let hi = k.min(m);
        let len = (hi - lo + 1) as usize;
        let (mf, nf, kf) = (m as f64, n as f64, k as f64);
        // Ratio P(x + 1) / P(x) = (m − x)(k − x) / ((x + 1)(n − k + x + 1)).
        let up = |x: f64| ((mf - x) * (kf - x)) / ((x + 1.0) * (nf - kf + x + 1.0));
        // Ratio P(y − 1) / P(y) = y (n − k + y) / ((m − y + 1)(k − y + 1)), written out so
        // that a symmetric distribution gets bit-identical halves.
        let down = |y: f64| (y * (nf - kf + y)) / ((mf - y + 1.0) * (kf - y + 1.0));
        // Mode: floor((m + 1)(k + 1) / (m + n + 2)), clamped to the support.
        let mode_f = ((mf + 1.0) * (kf + 1.0) / (mf + nf + 2.0)).floor();
        let mode = (mode_f as u64).clamp(lo, hi);
        let mut logd = vec![0.0; len];
        let mi = (mode - lo) as usize;
        for i in mi + 1..len {
            let x = (lo + i as u64 - 1) as f64;
            logd[i] = logd[i - 1] + up(x).ln();
        }
        for i in (0..mi).rev() {
            let y = (lo + i as u64 + 1) as f64;
            logd[i] = logd[i + 1] + down(y).ln();
        }
        let mut h = Hyper {
            lo,
            hi,
            logd,
            central: Vec::new(),
        };
        h.central = h.weights(1.0);
        h
    }

    /// Normalised probabilities under odds ratio `ncp` ∈ (0, ∞), R `dnhyper(ncp)`.
    pub(crate) fn weights(&self, ncp: f64) -> Vec<f64> {
        let l = ncp.ln();
        let mut d: Vec<f64> = self
            .logd
            .iter()
            .enumerate()
            .map(|(i, &ld)| if l == 0.0 { ld } else { ld + l * i as f64 })
            .collect();
        let max = d.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mut s = Sum::default();
        for v in d.iter_mut() {
            *v = (*v - max).exp();
            s.add(*v);
        }
        let total = s.value();
        for v in d.iter_mut() {
            *v /= total;
        }
        d
    }

    /// The mean under odds ratio `ncp`, R `mnhyper(ncp)`.
    pub(crate) fn mean(&self, ncp: f64) -> f64 {
        if ncp == 0.0 {
            return self.lo as f64;
        }
        if ncp == f64::INFINITY {
            return self.hi as f64;
        }
        let d = self.weights(ncp);
        let mut s = Sum::default();
        for (i, v) in d.iter().enumerate() {
            s.add(i as f64 * v);
        }
        self.lo as f64 + s.value()
    }

    /// P(X ≤ q) (or P(X ≥ q) with `upper`) under odds ratio `ncp`, R `pnhyper`.
    pub(crate) fn cdf(&self, q: u64, ncp: f64, upper: bool) -> f64 {
        if ncp == 0.0 {
            return f64::from(u8::from(if upper { q <= self.lo } else { q >= self.lo }));
        }
        if ncp == f64::INFINITY {
            return f64::from(u8::from(if upper { q <= self.hi } else { q >= self.hi }));
        }
        let owned;
        let d: &[f64] = if ncp == 1.0 {
            &self.central
        } else {
            owned = self.weights(ncp);
            &owned
        };
        let mut s = Sum::default();
        for (i, &v) in d.iter().enumerate() {
            let x = self.lo + i as u64;
            if (upper && x >= q) || (!upper && x <= q) {
                s.add(v);
            }
        }
        s.value()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hypergeometric_is_symmetric_and_normalised() {
        let h = Hyper::new(10, 10, 10);
        let s: f64 = h.central.iter().sum();
        assert!((s - 1.0).abs() < 1e-15);
        for i in 0..h.central.len() {
            assert_eq!(h.central[i], h.central[h.central.len() - 1 - i]);
        }
        assert!((h.mean(1.0) - 5.0).abs() < 1e-14);
    }
}
