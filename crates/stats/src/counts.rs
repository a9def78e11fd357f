//! Survival data as counts: events and censored per (group, distinct time).
//!
//! The Kaplan–Meier estimate, Greenwood's variance and the log-rank family depend on the
//! data only through these counts, so a registry of 10⁹ patients needs memory for its
//! distinct times, not its rows (issue 15). [`CountAccumulator`] takes observations (or
//! aggregated rows with a count) one at a time, as a file is streamed;
//! [`CountAccumulator::finish`] gives the [`CountTable`] that [`kaplan_meier_counts`] and
//! [`survdiff_counts`] analyse. Both run the same arithmetic as the patient-level
//! [`crate::kaplan_meier`] and [`crate::compare::logrank::survdiff`] (shared code, not a
//! copy), so the results are those of the expanded rows, bit for bit.
//!
//! # References
//! R `survfit(Surv(time, status) ~ group, weights = n)` and `survdiff(…)` on the expanded
//! rows.

use crate::compare::logrank::{LogRank, Survdiff};
use crate::error::DataError;
use crate::estimate::followup::{follow_up_of, FollowUpMethod, FollowUpOptions, FollowUpSummary};
use crate::estimate::km::{fill_estimates, z_value, KmCurve, KmOptions};
use std::collections::HashMap;

/// Events and censored of one group at each of its distinct times.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupCounts {
    /// The group's label.
    pub label: String,
    /// Distinct times, increasing.
    pub time: Vec<f64>,
    /// Events at each time.
    pub events: Vec<usize>,
    /// Censored at each time.
    pub censored: Vec<usize>,
}

impl GroupCounts {
    /// Observations in the group.
    pub fn n(&self) -> usize {
        self.events.iter().sum::<usize>() + self.censored.iter().sum::<usize>()
    }

    /// The same counts with events and censored swapped: what the reverse Kaplan–Meier
    /// curve (R `Surv(time, 1 - status)`) counts.
    pub fn reversed(&self) -> GroupCounts {
        GroupCounts {
            label: self.label.clone(),
            time: self.time.clone(),
            events: self.censored.clone(),
            censored: self.events.clone(),
        }
    }
}

/// Survival data as counts per group and distinct time, groups in the order first seen.
#[derive(Debug, Clone, PartialEq)]
pub struct CountTable {
    /// One entry per group.
    pub groups: Vec<GroupCounts>,
}

impl CountTable {
    /// Observations in all.
    pub fn n(&self) -> usize {
        self.groups.iter().map(GroupCounts::n).sum()
    }

    /// Distinct (group, time) pairs: the memory the table takes, in entries.
    pub fn entries(&self) -> usize {
        self.groups.iter().map(|g| g.time.len()).sum()
    }

    /// The table with near-tied times merged as R's `timefix = TRUE` merges them
    /// ([`crate::timefix::merged_times`], `aeqSurv`), and the number of observations whose
    /// time changed. R's rule depends on the distinct times only (their gaps and their mean),
    /// so it is the rows' own.
    pub fn timefixed(self, tolerance: f64) -> (CountTable, usize) {
        let pooled = self.pooled().time;
        let Some(merged) = crate::timefix::merged_times(&pooled, tolerance) else {
            return (self, 0);
        };
        let mut changed = 0;
        let groups = self
            .groups
            .into_iter()
            .map(|g| {
                let mut out = GroupCounts {
                    label: g.label,
                    time: Vec::with_capacity(g.time.len()),
                    events: Vec::with_capacity(g.time.len()),
                    censored: Vec::with_capacity(g.time.len()),
                };
                for ((t, e), c) in g.time.into_iter().zip(g.events).zip(g.censored) {
                    // Every time is in `pooled`; the merge keeps the order, so equal
                    // merged times are neighbours.
                    let m = merged[pooled.partition_point(|p| *p < t)];
                    if m != t {
                        changed += e + c;
                    }
                    if out.time.last() == Some(&m) {
                        if let (Some(le), Some(lc)) =
                            (out.events.last_mut(), out.censored.last_mut())
                        {
                            *le += e;
                            *lc += c;
                        }
                    } else {
                        out.time.push(m);
                        out.events.push(e);
                        out.censored.push(c);
                    }
                }
                out
            })
            .collect();
        (CountTable { groups }, changed)
    }

    /// All groups as one, labelled `label`: the counts summed on the pooled distinct
    /// times (R's `~ 1`).
    pub fn overall(&self, label: &str) -> GroupCounts {
        let p = self.pooled();
        let mut all = GroupCounts {
            label: label.to_string(),
            time: p.time,
            events: Vec::new(),
            censored: Vec::new(),
        };
        for (d, r) in p.events.chunks(p.k).zip(p.removed.chunks(p.k)) {
            let (d, r) = (d.iter().sum::<usize>(), r.iter().sum::<usize>());
            all.events.push(d);
            all.censored.push(r - d);
        }
        all
    }
}

/// Builds a [`CountTable`] one observation (or one aggregated row) at a time, in memory
/// bounded by the number of distinct (group, time) pairs.
#[derive(Debug, Default)]
pub struct CountAccumulator {
    labels: Vec<String>,
    index: HashMap<String, usize>,
    /// Per group: time (as bits; −0 is taken as 0) → (events, censored).
    cells: Vec<HashMap<u64, (usize, usize)>>,
    added: usize,
}

impl CountAccumulator {
    /// An empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `count` observations of group `group` at `time`, events if `event`.
    ///
    /// # Errors
    /// [`DataError::InvalidTime`] (with the running index of the call) for a negative or
    /// non-finite time.
    pub fn add(
        &mut self,
        time: f64,
        event: bool,
        group: &str,
        count: usize,
    ) -> Result<(), DataError> {
        if !time.is_finite() || time < 0.0 {
            return Err(DataError::InvalidTime {
                index: self.added,
                value: time,
            });
        }
        self.added += 1;
        let g = match self.index.get(group) {
            Some(&g) => g,
            None => {
                self.labels.push(group.to_string());
                self.cells.push(HashMap::new());
                self.index.insert(group.to_string(), self.labels.len() - 1);
                self.labels.len() - 1
            }
        };
        // + 0.0 turns −0 into 0, so that both are one time.
        let cell = self.cells[g]
            .entry((time + 0.0).to_bits())
            .or_insert((0, 0));
        if event {
            cell.0 += count;
        } else {
            cell.1 += count;
        }
        Ok(())
    }

    /// The table, each group's times sorted, groups that hold no observation (count 0
    /// throughout) left out.
    ///
    /// # Errors
    /// [`DataError::Empty`] when no observation was added.
    pub fn finish(self) -> Result<CountTable, DataError> {
        let mut groups = Vec::new();
        for (label, cells) in self.labels.into_iter().zip(self.cells) {
            let mut rows: Vec<(f64, usize, usize)> = cells
                .into_iter()
                .filter(|(_, (e, c))| e + c > 0)
                .map(|(t, (e, c))| (f64::from_bits(t), e, c))
                .collect();
            if rows.is_empty() {
                continue;
            }
            rows.sort_by(|a, b| a.0.total_cmp(&b.0));
            groups.push(GroupCounts {
                label,
                time: rows.iter().map(|r| r.0).collect(),
                events: rows.iter().map(|r| r.1).collect(),
                censored: rows.iter().map(|r| r.2).collect(),
            });
        }
        if groups.is_empty() {
            return Err(DataError::Empty);
        }
        Ok(CountTable { groups })
    }
}

/// Kaplan–Meier with Greenwood's variance per group, from counts: as
/// [`crate::kaplan_meier`] on the expanded rows.
pub fn kaplan_meier_counts(table: &CountTable, options: &KmOptions) -> Vec<KmCurve> {
    let z = z_value(options.conf_level);
    table.groups.iter().map(|g| km_of(g, options, z)).collect()
}

/// One group's curve from its counts.
fn km_of(g: &GroupCounts, options: &KmOptions, z: f64) -> KmCurve {
    let n = g.n();
    let mut at_risk = n;
    let mut n_risk = Vec::with_capacity(g.time.len());
    for (e, c) in g.events.iter().zip(&g.censored) {
        n_risk.push(at_risk);
        at_risk -= e + c;
    }
    let mut c = KmCurve::empty(g.label.clone(), n, *options);
    c.events = g.events.iter().sum();
    c.time = g.time.clone();
    c.n_risk = n_risk;
    c.n_event = g.events.clone();
    c.n_censor = g.censored.clone();
    fill_estimates(&mut c, z);
    c
}

/// Median follow-up by the reverse Kaplan–Meier method from counts, overall and per
/// group: as [`crate::median_follow_up`] on the expanded rows (the reverse curve of each
/// group is its counts with events and censored swapped, [`GroupCounts::reversed`]).
///
/// # References
/// Schemper M, Smith TL (1996). Control Clin Trials 17:343–346. R
/// `print(survfit(Surv(time, 1 - status) ~ group))`.
pub fn median_follow_up_counts(table: &CountTable, options: &FollowUpOptions) -> FollowUpSummary {
    let z = z_value(options.km.conf_level);
    let reverse = |g: &GroupCounts| follow_up_of(&km_of(&g.reversed(), &options.km, z));
    FollowUpSummary {
        overall: reverse(&table.overall("overall")),
        groups: table.groups.iter().map(reverse).collect(),
        method: FollowUpMethod::ReverseKaplanMeier,
        options: *options,
    }
}

/// The groups' counts merged on the pooled distinct times, increasing: row-major, `k`
/// entries (one per group) a time.
pub(crate) struct Pooled {
    /// Number of groups.
    pub k: usize,
    /// The pooled distinct times, increasing.
    pub time: Vec<f64>,
    /// Events per group at each pooled time.
    pub events: Vec<usize>,
    /// Observations leaving the risk set (events and censored) per group at each time.
    pub removed: Vec<usize>,
}

impl CountTable {
    /// The counts on the pooled distinct times ([`Pooled`]): what the log-rank family and
    /// the Cox model walk.
    pub(crate) fn pooled(&self) -> Pooled {
        let k = self.groups.len();
        let mut next = vec![0usize; k];
        let (mut time, mut events, mut removed) = (Vec::new(), Vec::new(), Vec::new());
        // The next pooled time: the smallest of the groups' next times.
        while let Some(t) = self
            .groups
            .iter()
            .zip(&next)
            .filter_map(|(g, &i)| g.time.get(i).copied())
            .min_by(f64::total_cmp)
        {
            time.push(t);
            for (g, grp) in self.groups.iter().enumerate() {
                let i = next[g];
                if grp.time.get(i) == Some(&t) {
                    events.push(grp.events[i]);
                    removed.push(grp.events[i] + grp.censored[i]);
                    next[g] += 1;
                } else {
                    events.push(0);
                    removed.push(0);
                }
            }
        }
        Pooled {
            k,
            time,
            events,
            removed,
        }
    }
}

/// The G-rho family of tests from counts (ρ = 0 the log-rank test): as
/// [`crate::compare::logrank::survdiff`] on the expanded rows, the first group the
/// reference.
pub fn survdiff_counts(table: &CountTable, rho: f64) -> LogRank {
    let mut acc = Survdiff::new(table.groups.iter().map(GroupCounts::n).collect(), rho);
    let p = table.pooled();
    for (d_g, removed) in p.events.chunks(p.k).zip(p.removed.chunks(p.k)) {
        acc.time(d_g, removed);
    }
    acc.finish(table.groups.iter().map(|g| g.label.clone()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::logrank::survdiff;
    use crate::numerics::SplitMix64;
    use crate::{kaplan_meier, SurvData};

    /// Rows with heavy ties (times rounded to 0.5), three groups; as patient rows and as
    /// counts, the counts added in pieces of random size.
    fn both(n: usize, seed: u64) -> (SurvData, CountTable) {
        both_k(n, seed, 3)
    }

    /// As [`both`], with `k` ≤ 3 groups.
    fn both_k(n: usize, seed: u64, k: usize) -> (SurvData, CountTable) {
        let mut r = SplitMix64(seed);
        let labels = ["b", "a", "c"];
        let (mut time, mut event, mut group) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..n {
            let g = (r.uniform() * k as f64) as usize;
            time.push((r.uniform() * 20.0 * (1.0 + g as f64) * 2.0).round() / 2.0);
            event.push(r.uniform() < 0.7);
            group.push(labels[g]);
        }
        let data = SurvData::from_labels(time.clone(), event.clone(), &group).expect("valid");
        let mut acc = CountAccumulator::new();
        for i in 0..n {
            acc.add(time[i], event[i], group[i], 1).expect("valid time");
        }
        (data, acc.finish().expect("not empty"))
    }

    #[test]
    fn counts_give_the_rows_numbers_exactly() {
        for seed in 1..6 {
            let (data, table) = both(2000, seed);
            assert_eq!(table.n(), 2000);
            let opts = KmOptions::default();
            // Compared as printed: the curves hold NaN (the SE where S reaches 0), which
            // `==` never equals; every digit of every number is compared.
            let same = |a: String, b: String| a == b;
            let km = kaplan_meier_counts(&table, &opts);
            assert_eq!(km.len(), 3);
            assert!(
                same(
                    format!("{km:?}"),
                    format!("{:?}", kaplan_meier(&data, &opts))
                ),
                "seed {seed}: the curves differ"
            );
            for rho in [0.0, 1.0] {
                let lr = survdiff_counts(&table, rho);
                assert!(lr.chisq > 0.0);
                assert!(
                    same(format!("{lr:?}"), format!("{:?}", survdiff(&data, rho))),
                    "seed {seed}, rho {rho}: the tests differ"
                );
            }
        }
    }

    /// Median follow-up (reverse Kaplan–Meier, overall and per group) and the RMST of
    /// each group from counts: every digit as the patient rows give them.
    #[test]
    fn follow_up_and_rmst_from_counts_equal_the_rows() {
        use crate::{median_follow_up, rmst_by_group, FollowUpOptions, RmstOptions};
        for seed in 1..6 {
            let (data, table) = both(1500, seed);
            let opts = FollowUpOptions::default();
            let rows = median_follow_up(&data, &opts);
            let counts = median_follow_up_counts(&table, &opts);
            assert_eq!(format!("{counts:?}"), format!("{rows:?}"), "seed {seed}");
            assert_eq!(counts.overall.n, 1500);
            assert!(counts.overall.median.estimate.is_some(), "seed {seed}");
            let km = KmOptions::default();
            let rmst = |c: &[KmCurve]| rmst_by_group(c, &RmstOptions::default());
            assert_eq!(
                format!("{:?}", rmst(&kaplan_meier_counts(&table, &km))),
                format!("{:?}", rmst(&kaplan_meier(&data, &km))),
                "seed {seed}"
            );
        }
        // All groups as one: the counts summed on the pooled times.
        let (_, table) = both(300, 9);
        let all = table.overall("all");
        assert_eq!(all.n(), 300);
        assert!(all.time.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(all.reversed().events, all.censored);
    }

    /// The weighted log-rank family and MaxCombo from counts: every digit as the rows.
    #[test]
    fn weighted_tests_and_max_combo_from_counts_equal_the_rows() {
        use crate::compare::{
            max_combo, max_combo_counts, weighted_log_ranks, weighted_log_ranks_counts,
            MaxComboOptions, Weight,
        };
        let weights = [
            Weight::LogRank,
            Weight::GehanBreslow,
            Weight::TaroneWare,
            Weight::PetoPeto,
            Weight::ModifiedPetoPeto,
            Weight::FlemingHarrington {
                rho: 0.0,
                gamma: 1.0,
            },
            Weight::FlemingHarrington {
                rho: -1.0,
                gamma: 0.0,
            },
        ];
        for seed in 1..4 {
            let (data, table) = both(1200, seed);
            let rows = weighted_log_ranks(&data, &weights);
            let counts = weighted_log_ranks_counts(&table, &weights);
            assert_eq!(format!("{counts:?}"), format!("{rows:?}"), "seed {seed}");
            assert!(counts[6].is_err(), "a negative rho is refused");
            assert!(counts[1].as_ref().is_ok_and(|t| t.chisq > 0.0));
            // Few rows, so that P is not 0 and the multivariate normal part is compared too.
            let (data, table) = both_k(60, seed, 2);
            let opts = MaxComboOptions::default();
            let rows = max_combo(&data, &opts);
            let counts = max_combo_counts(&table, &opts);
            assert!(
                counts
                    .as_ref()
                    .is_ok_and(|m| m.p_value > 1e-12 && m.converged),
                "seed {seed}: {counts:?}"
            );
            assert_eq!(format!("{counts:?}"), format!("{rows:?}"), "seed {seed}");
        }
        let (_, three) = both(300, 7);
        assert!(max_combo_counts(&three, &MaxComboOptions::default()).is_err());
    }

    /// Near-tied times merged from counts as R merges the rows (`aeqSurv`): the same
    /// curves and the same count of changed observations.
    #[test]
    fn timefix_on_counts_equals_the_rows() {
        use crate::timefix::TOLERANCE;
        let a = 10.0_f64 / 3.0;
        let b = (1.0_f64 / 3.0) * 10.0;
        let times = [a, b, b, 5.0, a, 7.0, b, 5.0];
        let events = [true, false, true, true, false, true, true, false];
        let groups = ["x", "y", "x", "y", "y", "x", "x", "y"];
        let data = SurvData::from_labels(times.to_vec(), events.to_vec(), &groups).expect("ok");
        let mut acc = CountAccumulator::new();
        for i in 0..times.len() {
            acc.add(times[i], events[i], groups[i], 1).expect("valid");
        }
        let (table, changed) = acc.finish().expect("rows").timefixed(TOLERANCE);
        let (data, rows_changed) = data.timefixed(TOLERANCE);
        assert_eq!(changed, rows_changed);
        // Those at the larger of the two times take the smaller.
        assert_eq!(changed, times.iter().filter(|&&t| t == a.max(b)).count());
        assert!(changed > 0);
        assert_eq!(table.groups[0].time, vec![a.min(b), 7.0]);
        let opts = KmOptions::default();
        assert_eq!(
            format!("{:?}", kaplan_meier_counts(&table, &opts)),
            format!("{:?}", kaplan_meier(&data, &opts))
        );
        // Nothing near-tied: the table as it was.
        let (_, plain) = both(200, 3);
        assert_eq!(plain.clone().timefixed(TOLERANCE), (plain, 0));
    }

    #[test]
    fn aggregated_rows_equal_expanded_ones() {
        let mut agg = CountAccumulator::new();
        let mut rows = CountAccumulator::new();
        for (t, e, g, n) in [
            (1.0, true, "A", 3),
            (1.0, false, "A", 2),
            (2.5, true, "B", 4),
            (0.0, false, "B", 1),
            (2.5, true, "A", 1),
            (4.0, false, "B", 5),
        ] {
            agg.add(t, e, g, n).expect("valid");
            for _ in 0..n {
                rows.add(t, e, g, 1).expect("valid");
            }
        }
        let (a, r) = (agg.finish().expect("rows"), rows.finish().expect("rows"));
        assert_eq!(a, r);
        assert_eq!(a.groups[1].time, vec![0.0, 2.5, 4.0]);
        assert_eq!(a.entries(), 5);
        let km = kaplan_meier_counts(&a, &KmOptions::default());
        // A: 6 at risk, 3 deaths at 1 → 1/2; 1 at risk at 2.5, 1 death → 0.
        assert_eq!(km[0].surv, vec![0.5, 0.0]);
        assert_eq!(km[0].n_risk, vec![6, 1]);
    }

    #[test]
    fn bad_times_and_no_rows_are_errors() {
        let mut acc = CountAccumulator::new();
        acc.add(1.0, true, "A", 1).expect("valid");
        assert_eq!(
            acc.add(-1.0, true, "A", 1),
            Err(DataError::InvalidTime {
                index: 1,
                value: -1.0
            })
        );
        assert!(acc.add(f64::NAN, true, "A", 1).is_err());
        let mut empty = CountAccumulator::new();
        empty.add(1.0, true, "A", 0).expect("valid");
        assert_eq!(empty.finish(), Err(DataError::Empty));
    }
}

#[cfg(test)]
mod cox_tests {
    use super::*;
    use crate::{cox_fit, cox_fit_counts, CoxOptions, SurvData, Ties};

    fn close(a: f64, b: f64) -> bool {
        a == b || (a - b).abs() <= 1e-10 * a.abs().max(b.abs())
    }

    fn table_of(data: &SurvData) -> CountTable {
        let mut acc = CountAccumulator::new();
        for i in 0..data.len() {
            let g = &data.levels()[data.group()[i]];
            acc.add(data.time()[i], data.event()[i], g, 1)
                .expect("valid");
        }
        acc.finish().expect("rows")
    }

    /// The Cox model from counts equals the patient rows' fit (R-checked elsewhere) to
    /// 1e-10: coefficients, SEs, log-likelihoods, the three tests and the iterations.
    #[test]
    fn cox_from_counts_equals_the_rows_fit() {
        for (seed, k, round) in [
            (3u64, 2usize, 2.0),
            (4, 3, 1.0),
            (5, 2, 1000.0),
            (6, 4, 0.5),
        ] {
            let mut r = crate::numerics::SplitMix64(seed);
            let labels = ["ref", "b", "c", "d"];
            let (mut t, mut e, mut g) = (Vec::new(), Vec::new(), Vec::new());
            for i in 0..1500 {
                let grp = i % k;
                let rate = 0.7f64.powi(grp as i32) / 10.0;
                t.push(((-r.uniform().ln() / rate) * round).round() / round);
                e.push(r.uniform() < 0.75);
                g.push(labels[grp]);
            }
            let data = SurvData::from_labels(t, e, &g).expect("valid");
            let table = table_of(&data);
            for ties in [Ties::Efron, Ties::Breslow] {
                let opts = CoxOptions {
                    ties,
                    ..CoxOptions::default()
                };
                let rows = cox_fit(&data, &opts);
                let counts = cox_fit_counts(&table, &opts).expect("Efron and Breslow");
                let what = format!("seed {seed}, {ties:?}");
                assert_eq!(counts.iterations, rows.iterations, "{what}");
                assert_eq!(counts.terms.len(), k - 1, "{what}");
                for (a, b) in counts.terms.iter().zip(&rows.terms) {
                    assert_eq!(a.level, b.level);
                    for (x, y) in [(a.coef, b.coef), (a.se, b.se), (a.hr_lower, b.hr_lower)] {
                        assert!(close(x, y), "{what}: {x} vs {y}");
                    }
                }
                for (x, y) in [
                    (counts.loglik[0], rows.loglik[0]),
                    (counts.loglik[1], rows.loglik[1]),
                    (counts.lr_test.chisq, rows.lr_test.chisq),
                    (counts.wald_test.chisq, rows.wald_test.chisq),
                    (counts.score_test.chisq, rows.score_test.chisq),
                ] {
                    assert!(close(x, y), "{what}: {x} vs {y}");
                }
                assert_eq!(counts.warnings, rows.warnings, "{what}");
            }
        }
        let one = table_of(&SurvData::from_labels(vec![1.0], vec![true], &["a"]).expect("ok"));
        let exact = CoxOptions {
            ties: Ties::Exact,
            ..CoxOptions::default()
        };
        assert!(cox_fit_counts(&one, &exact).is_none());
    }

    /// No events in one arm: R's "Ran out of iterations" after 21 iterations, as the rows.
    #[test]
    fn cox_from_counts_warns_as_the_rows_fit() {
        let data = SurvData::from_labels(
            vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            vec![true, true, true, false, false, false],
            &["a", "a", "a", "b", "b", "b"],
        )
        .expect("valid");
        let rows = cox_fit(&data, &CoxOptions::default());
        let counts = cox_fit_counts(&table_of(&data), &CoxOptions::default()).expect("Efron");
        assert_eq!(counts.iterations, 21);
        assert_eq!(counts.warnings, rows.warnings);
        assert!(close(counts.terms[0].coef, rows.terms[0].coef));
        assert!(!counts.is_reliable());
    }
}
