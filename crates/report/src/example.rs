//! The built-in example: a simulated two-arm trial of 64 patients shaped like the
//! reference trial in PRODUCT.md (sorafenib + HAIC vs sorafenib; OS median ≈ 16 vs 6.5
//! months, PFS ≈ 9 vs 2.5). Simulated, not real patients; the page says so.
//!
//! Deterministic: a SplitMix64 generator is written here rather than taken from `rand`,
//! so that the example's numbers never change when a dependency's stream does.

pub use survcalc_stats::numerics::SplitMix64;

/// Exponential with the given median.
fn exp_median(rng: &mut SplitMix64, median: f64) -> f64 {
    -rng.uniform().ln() * median / std::f64::consts::LN_2
}

/// A large trial-shaped CSV for benchmarks and scale tests:
/// `id,arm,os_months,os_event,pfs_months,pfs_event`, arms `Control`/`Drug` alternating,
/// OS exponential (mean 14 months), PFS a uniform fraction of OS, times to two decimals,
/// ~30% of OS and ~20% of PFS censored. About 29 bytes a row (1,000,000 rows ≈ 29 MB).
/// Deterministic for a given `seed`.
pub fn scaling_csv(rows: usize, seed: u64) -> String {
    use std::fmt::Write;
    let mut rng = SplitMix64(seed);
    let mut out = String::with_capacity(rows * 30 + 64);
    out.push_str("id,arm,os_months,os_event,pfs_months,pfs_event\n");
    for i in 0..rows {
        let arm = if i % 2 == 0 { "Control" } else { "Drug" };
        let os = -rng.uniform().ln() * 14.0;
        let pfs = os * rng.uniform();
        let ev = u8::from(rng.uniform() < 0.7);
        let pev = u8::from(rng.uniform() < 0.8);
        // Writing to a String cannot fail.
        let _ = writeln!(out, "{},{arm},{os:.2},{ev},{pfs:.2},{pev}", i + 1);
    }
    out
}

/// The arms of the example, in order (the first is the reference for the HR).
pub const ARMS: [&str; 2] = ["Sorafenib", "Sorafenib+HAIC"];

/// CSV text of the simulated trial:
/// `id,arm,os_months,os_event,pfs_months,pfs_event,response,ae_diarrhoea,ae_hand_foot,ae_thrombocytopenia`
/// (adverse events as the worst CTCAE grade, 0 = none).
///
/// Each patient is accrued uniformly over 24 months and followed to month 36 (administrative
/// censoring), with 10% lost to follow-up; progression comes no later than death.
pub fn example_csv() -> String {
    example_csv_seeded(EXAMPLE_SEED)
}

/// The seed of the built-in example: chosen (by scanning seeds) so that the simulated
/// trial's estimates resemble the reference trial's (OS HR ≈ 0.3, medians ≈ 16 vs 6.5).
pub const EXAMPLE_SEED: u64 = 2358;

/// The simulated trial from another seed (same design as [`example_csv`]).
pub fn example_csv_seeded(seed: u64) -> String {
    let mut rng = SplitMix64(seed);
    // Adverse events come from their own stream so that adding them left the survival
    // times of the example unchanged.
    let mut ae_rng = SplitMix64(seed ^ 0xAE);
    let mut out = String::from(
        "id,arm,os_months,os_event,pfs_months,pfs_event,response,ae_diarrhoea,ae_hand_foot,ae_thrombocytopenia\n",
    );
    // Probability of a grade 3–4 event per arm (reference trial: 5/32 vs 7/32 diarrhoea,
    // 2/32 vs 6/32 hand–foot syndrome, 0/32 vs 7/32 thrombocytopenia), and of grade 1–2.
    let ae_p = [[0.16, 0.06, 0.01], [0.22, 0.19, 0.22]];
    // (OS median, PFS median, response probability) per arm.
    let arms = [(6.5, 2.5, 0.03), (16.3, 9.0, 0.41)];
    for id in 1..=64 {
        let a = if id % 2 == 1 { 0 } else { 1 };
        let (os_med, pfs_med, rr) = arms[a];
        let entry = rng.uniform() * 24.0;
        let mut follow = 36.0 - entry;
        if rng.uniform() < 0.10 {
            follow *= rng.uniform();
        }
        let death = exp_median(&mut rng, os_med);
        let progression = exp_median(&mut rng, pfs_med).min(death);
        let (os, os_e) = if death <= follow {
            (death, 1)
        } else {
            (follow, 0)
        };
        let (pfs, pfs_e) = if progression <= follow {
            (progression, 1)
        } else {
            (follow, 0)
        };
        let response = if rng.uniform() < rr { 1 } else { 0 };
        let mut ae = [0u8; 3];
        for (k, g) in ae.iter_mut().enumerate() {
            let u = ae_rng.uniform();
            *g = if u < ae_p[a][k] {
                if ae_rng.uniform() < 0.7 {
                    3
                } else {
                    4
                }
            } else if u < ae_p[a][k] + 0.3 {
                if ae_rng.uniform() < 0.5 {
                    1
                } else {
                    2
                }
            } else {
                0
            };
        }
        out.push_str(&format!(
            "{id},{},{:.1},{os_e},{:.1},{pfs_e},{response},{},{},{}\n",
            ARMS[a],
            os.max(0.1),
            pfs.max(0.1).min(os.max(0.1)),
            ae[0],
            ae[1],
            ae[2]
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_is_deterministic_and_shaped_like_the_trial() {
        let a = example_csv();
        assert_eq!(a, example_csv());
        assert_eq!(a.lines().count(), 65);
        let arm_b = a.lines().filter(|l| l.contains(",Sorafenib+HAIC,")).count();
        assert_eq!(arm_b, 32);
    }
}
