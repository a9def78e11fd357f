//! The counts every test of the family is built from: at each distinct event time of a
//! sample (or stratum), the number at risk and the events per group, and the weighted
//! observed, expected and variance sums.

use super::*;

// ---------------------------------------------------------------------------------------
// The risk table: counts at the distinct event times of one sample

/// Counts at the distinct event times of one (sub)sample, in time order.
pub(super) struct RiskTable {
    pub(super) k: usize,
    /// Pooled number at risk and events, one per event time.
    pub(super) n: Vec<f64>,
    pub(super) d: Vec<f64>,
    /// Per group, row-major m × k.
    pub(super) n_g: Vec<f64>,
    pub(super) d_g: Vec<f64>,
    /// Observations and events per group.
    pub(super) count: Vec<usize>,
    pub(super) events: Vec<usize>,
}

impl RiskTable {
    /// `order`: observation indices sorted by time; `map(i)`: the group (in 0..k) of
    /// observation i, or None to leave it out.
    pub(super) fn new(
        data: &SurvData,
        order: &[usize],
        k: usize,
        map: impl Fn(usize) -> Option<usize>,
    ) -> RiskTable {
        let (time, event) = (data.time(), data.event());
        let map = &map;
        RiskTable::build(
            order
                .iter()
                .filter_map(|&i| map(i).map(|g| (time[i], g, event[i]))),
            k,
        )
    }

    /// Every observation, in time order, in the group `map(g)` (in 0..k) of its group
    /// index g, or left out for None. Reads the data's time-ordered layout in sequence
    /// rather than gathering each row through the order (issue 15); the same counts as
    /// [`RiskTable::new`] with the data's order.
    pub(super) fn by_group(
        data: &SurvData,
        k: usize,
        map: impl Fn(usize) -> Option<usize>,
    ) -> RiskTable {
        let s = data.sorted();
        let map = &map;
        RiskTable::build(
            (0..s.time.len()).filter_map(|j| {
                let (g, e) = s.group_event(j);
                map(g).map(|h| (s.time[j], h, e))
            }),
            k,
        )
    }

    /// From `(time, group in 0..k, event)` of the observations in time order.
    fn build<I>(rows: I, k: usize) -> RiskTable
    where
        I: Iterator<Item = (f64, usize, bool)> + Clone,
    {
        let mut count = vec![0usize; k];
        let mut events = vec![0usize; k];
        for (_, g, e) in rows.clone() {
            count[g] += 1;
            events[g] += usize::from(e);
        }
        let mut walk = Walk::new(count, events);
        let mut dg = vec![0usize; k];
        let mut removed = vec![0usize; k];
        let mut rows = rows.peekable();
        while let Some((time, g, e)) = rows.next() {
            dg.iter_mut().for_each(|x| *x = 0);
            removed.iter_mut().for_each(|x| *x = 0);
            removed[g] += 1;
            dg[g] += usize::from(e);
            while let Some((_, g, e)) = rows.next_if(|r| r.0 == time) {
                removed[g] += 1;
                dg[g] += usize::from(e);
            }
            walk.time(&dg, &removed);
        }
        walk.table
    }

    /// From survival data as counts per (group, distinct time), the groups in the
    /// table's order: the same table as the expanded rows give ([`crate::counts`]).
    pub(super) fn from_counts(table: &crate::counts::CountTable) -> RiskTable {
        let count = table.groups.iter().map(|g| g.n()).collect();
        let events = table.groups.iter().map(|g| g.events.iter().sum()).collect();
        let mut walk = Walk::new(count, events);
        let p = table.pooled();
        for (dg, removed) in p.events.chunks(p.k).zip(p.removed.chunks(p.k)) {
            walk.time(dg, removed);
        }
        walk.table
    }

    /// The weight at each event time.
    pub(super) fn weights(&self, weight: Weight) -> Vec<f64> {
        let mut km = 1.0; // pooled Kaplan–Meier just before the current time
        let mut s_tilde = 1.0; // Π over earlier times of (1 − d/(n + 1))
        let mut w = Vec::with_capacity(self.n.len());
        for (&n, &d) in self.n.iter().zip(&self.d) {
            s_tilde *= 1.0 - d / (n + 1.0);
            w.push(match weight {
                Weight::LogRank => 1.0,
                Weight::PetoPeto => km,
                Weight::PetoPetoTilde => s_tilde,
                Weight::ModifiedPetoPeto => s_tilde * n / (n + 1.0),
                Weight::FlemingHarrington { rho, gamma } => {
                    let a = if rho == 0.0 { 1.0 } else { km.powf(rho) };
                    let b = if gamma == 0.0 {
                        1.0
                    } else {
                        (1.0 - km).powf(gamma)
                    };
                    a * b
                }
                Weight::GehanBreslow => n,
                Weight::TaroneWare => n.sqrt(),
            });
            km *= 1.0 - d / n;
        }
        w
    }

    /// The hypergeometric variance factor d (n − d)/(n − 1) at each event time (0 if n = 1).
    pub(super) fn hyper(&self, i: usize) -> f64 {
        let (n, d) = (self.n[i], self.d[i]);
        if n > 1.0 {
            d * (n - d) / (n - 1.0)
        } else {
            0.0
        }
    }

    /// Weighted O, E and V.
    pub(super) fn sums(&self, w: &[f64]) -> Sums {
        let k = self.k;
        let mut s = Sums::zero(k);
        for i in 0..self.n.len() {
            let (n, d) = (self.n[i], self.d[i]);
            let ng = &self.n_g[i * k..(i + 1) * k];
            let dg = &self.d_g[i * k..(i + 1) * k];
            for g in 0..k {
                s.obs[g] += w[i] * dg[g];
                s.exp[g] += w[i] * d * ng[g] / n;
            }
            let c = w[i] * w[i] * self.hyper(i);
            if c != 0.0 {
                for g in 0..k {
                    let pg = ng[g] / n;
                    s.var[g][g] += c * pg * (1.0 - pg);
                    for h in (g + 1)..k {
                        let v = c * pg * ng[h] / n;
                        s.var[g][h] -= v;
                        s.var[h][g] -= v;
                    }
                }
            }
        }
        s
    }
}

/// A [`RiskTable`] being filled one distinct time at a time, in time order.
struct Walk {
    table: RiskTable,
    at_risk: Vec<usize>,
    total: usize,
}

impl Walk {
    /// Before the first time: everyone at risk (`count` per group, `events` of them
    /// events).
    fn new(count: Vec<usize>, events: Vec<usize>) -> Walk {
        Walk {
            at_risk: count.clone(),
            total: count.iter().sum(),
            table: RiskTable {
                k: count.len(),
                n: Vec::new(),
                d: Vec::new(),
                n_g: Vec::new(),
                d_g: Vec::new(),
                count,
                events,
            },
        }
    }

    /// One distinct time: `dg` events and `removed` leaving (events and censored) per
    /// group. A row of the table only where someone has an event.
    fn time(&mut self, dg: &[usize], removed: &[usize]) {
        let d: usize = dg.iter().sum();
        let t = &mut self.table;
        if d > 0 {
            t.n.push(self.total as f64);
            t.d.push(d as f64);
            t.n_g.extend(self.at_risk.iter().map(|&x| x as f64));
            t.d_g.extend(dg.iter().map(|&x| x as f64));
        }
        for (a, r) in self.at_risk.iter_mut().zip(removed) {
            *a -= r;
        }
        self.total -= removed.iter().sum::<usize>();
    }
}

/// Weighted observed, expected and variance of O − E.
pub(super) struct Sums {
    pub(super) obs: Vec<f64>,
    pub(super) exp: Vec<f64>,
    pub(super) var: Vec<Vec<f64>>,
}

impl Sums {
    pub(super) fn zero(k: usize) -> Sums {
        Sums {
            obs: vec![0.0; k],
            exp: vec![0.0; k],
            var: vec![vec![0.0; k]; k],
        }
    }

    pub(super) fn add(&mut self, o: &Sums) {
        for g in 0..self.obs.len() {
            self.obs[g] += o.obs[g];
            self.exp[g] += o.exp[g];
            for h in 0..self.obs.len() {
                self.var[g][h] += o.var[g][h];
            }
        }
    }

    /// survdiff's chi-square: groups with E > 0, the first of them dropped.
    pub(super) fn chisq(&self) -> (f64, usize) {
        let keep: Vec<usize> = (0..self.exp.len()).filter(|&g| self.exp[g] > 0.0).collect();
        if keep.len() < 2 {
            return (0.0, 0);
        }
        let m = keep.len() - 1;
        let u = DVector::from_iterator(m, keep[1..].iter().map(|&g| self.obs[g] - self.exp[g]));
        let v = DMatrix::from_fn(m, m, |a, b| self.var[keep[a + 1]][keep[b + 1]]);
        let chi = match v.lu().solve(&u) {
            Some(x) => x.dot(&u),
            None => f64::NAN,
        };
        (chi, m)
    }
}

/// Observation indices sorted by time, split by stratum (strata in order of first
/// appearance in time order); one stratum holding everything without `strata`.
pub(super) fn stratum_orders(
    data: &SurvData,
    strata: Option<&[usize]>,
) -> Result<Vec<Vec<usize>>, CompareError> {
    let order: Vec<usize> = data.order_by_time().to_vec();
    let Some(strata) = strata else {
        return Ok(vec![order]);
    };
    if strata.len() != data.len() {
        return Err(CompareError::StrataLength {
            strata: strata.len(),
            observations: data.len(),
        });
    }
    let mut index: BTreeMap<usize, usize> = BTreeMap::new();
    let mut out: Vec<Vec<usize>> = Vec::new();
    for i in order {
        let next = index.len();
        let s = *index.entry(strata[i]).or_insert(next);
        if s == out.len() {
            out.push(Vec::new());
        }
        out[s].push(i);
    }
    Ok(out)
}

/// The tables of every stratum for all groups.
pub(super) fn tables(
    data: &SurvData,
    strata: Option<&[usize]>,
) -> Result<Vec<RiskTable>, CompareError> {
    let k = data.n_groups();
    if strata.is_none() {
        return Ok(vec![RiskTable::by_group(data, k, Some)]);
    }
    let group = data.group();
    Ok(stratum_orders(data, strata)?
        .iter()
        .map(|o| RiskTable::new(data, o, k, |i| Some(group[i])))
        .collect())
}

/// O, E, V summed over the strata, and counts per group.
pub(super) fn pooled_sums(
    tables: &[RiskTable],
    k: usize,
    weight: Weight,
) -> (Sums, Vec<usize>, Vec<usize>) {
    let mut s = Sums::zero(k);
    let mut n = vec![0usize; k];
    let mut events = vec![0usize; k];
    for t in tables {
        s.add(&t.sums(&t.weights(weight)));
        for g in 0..k {
            n[g] += t.count[g];
            events[g] += t.events[g];
        }
    }
    (s, n, events)
}
