//! Multiplicity adjustment of P values, as R `stats::p.adjust`.
//!
//! # Formula
//! For the m P values that are not NaN, sorted p₍₁₎ ≤ … ≤ p₍ₘ₎:
//!
//! * Bonferroni: min(1, m p)
//! * Holm: p̃₍ᵢ₎ = min(1, max_{j ≤ i} (m − j + 1) p₍ⱼ₎)
//! * Benjamini–Hochberg: p̃₍ᵢ₎ = min(1, min_{j ≥ i} m p₍ⱼ₎ / j)
//!
//! NaN P values stay NaN and do not count in m (R: NA are left out, `n` = the number of
//! non-NA values).
//!
//! # References
//! Holm S (1979). A simple sequentially rejective multiple test procedure. Scand J Stat
//! 6:65–70. Benjamini Y, Hochberg Y (1995). J R Stat Soc B 57:289–300. R
//! `p.adjust(p, method = c("holm", "bonferroni", "BH", "none"))`.

/// A multiplicity adjustment (R `p.adjust(method = )`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub enum PAdjust {
    /// Holm's step-down method (R `"holm"`, R's default).
    #[default]
    Holm,
    /// Bonferroni (R `"bonferroni"`).
    Bonferroni,
    /// Benjamini–Hochberg false discovery rate (R `"BH"`; survminer's default).
    BenjaminiHochberg,
    /// No adjustment (R `"none"`).
    None,
}

impl PAdjust {
    /// R's name of the method.
    pub fn r_name(self) -> &'static str {
        match self {
            PAdjust::Holm => "holm",
            PAdjust::Bonferroni => "bonferroni",
            PAdjust::BenjaminiHochberg => "BH",
            PAdjust::None => "none",
        }
    }
}

/// Adjusted P values in the order given, R `p.adjust(p, method)`.
///
/// Cost: one O(m log m) sort.
pub fn p_adjust(p: &[f64], method: PAdjust) -> Vec<f64> {
    let mut out = p.to_vec();
    // Indices of the non-NaN values, sorted by P (stable, as R's order()).
    let mut idx: Vec<usize> = (0..p.len()).filter(|&i| !p[i].is_nan()).collect();
    idx.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let m = idx.len() as f64;
    match method {
        PAdjust::None => {}
        PAdjust::Bonferroni => {
            for &i in &idx {
                out[i] = (m * p[i]).min(1.0);
            }
        }
        PAdjust::Holm => {
            let mut run = f64::NEG_INFINITY;
            for (j, &i) in idx.iter().enumerate() {
                run = run.max((m - j as f64) * p[i]);
                out[i] = run.min(1.0);
            }
        }
        PAdjust::BenjaminiHochberg => {
            let mut run = f64::INFINITY;
            for (j, &i) in idx.iter().enumerate().rev() {
                run = run.min(m / (j as f64 + 1.0) * p[i]);
                out[i] = run.min(1.0);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_hand() {
        let p = [0.01, 0.04, f64::NAN, 0.03];
        // m = 3: Holm sorted 0.01·3, max(0.03, 0.03·2), max(0.06, 0.04·1).
        let h = p_adjust(&p, PAdjust::Holm);
        assert!((h[0] - 0.03).abs() < 1e-15);
        assert!((h[3] - 0.06).abs() < 1e-15 && (h[1] - 0.06).abs() < 1e-15);
        assert!(h[2].is_nan());
        let b = p_adjust(&p, PAdjust::Bonferroni);
        assert!((b[1] - 0.12).abs() < 1e-15);
        // BH: 0.04·3/3 = 0.04, min(0.04, 0.03·3/2), min(0.04, 0.01·3).
        let q = p_adjust(&p, PAdjust::BenjaminiHochberg);
        assert!((q[0] - 0.03).abs() < 1e-15 && (q[3] - 0.04).abs() < 1e-15);
    }
}
