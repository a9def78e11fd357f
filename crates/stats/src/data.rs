//! Validated right-censored survival data with a grouping factor.

use crate::error::DataError;

/// Right-censored survival data, validated once: every time is finite and non-negative,
/// every group index names a level, and there is at least one observation. Estimators
/// take a `&SurvData` and so cannot fail on their input.
///
/// Levels are kept in the order given; the first level is the reference for the Cox model
/// (as R's `factor` makes its first level the reference).
#[derive(Debug, Clone)]
pub struct SurvData {
    time: Vec<f64>,
    event: Vec<bool>,
    group: Vec<usize>,
    levels: Vec<String>,
    /// The observations in time order, sorted once on first use: every estimator and
    /// test of a report walks the data in this order (sorting a million rows again for
    /// each took half of the whole report's time, issue 15). Depends on the times and
    /// the group indices: whatever changes either resets it.
    sorted: std::sync::OnceLock<Sorted>,
}

/// The observations in time order (ties in data order), with their times, groups and
/// events laid out in that order, so that a walk in time order reads memory in sequence:
/// reading each row's group and event through `order` (a random gather) was most of
/// Kaplan–Meier's time after the sort at a million rows.
#[derive(Debug, Clone)]
pub(crate) struct Sorted {
    /// Indices of the observations in time order, shared with a Cox model frame of all
    /// the rows (not a copy).
    pub(crate) order: std::sync::Arc<[usize]>,
    /// `time[order[j]]`.
    pub(crate) time: Vec<f64>,
    /// `group[order[j]] << 1 | event[order[j]]`: group and event in one word.
    tag: Vec<u32>,
}

impl Sorted {
    /// Group index and event of the `j`-th observation in time order.
    #[inline]
    pub(crate) fn group_event(&self, j: usize) -> (usize, bool) {
        let tag = self.tag[j];
        ((tag >> 1) as usize, tag & 1 == 1)
    }
}

impl PartialEq for SurvData {
    fn eq(&self, other: &Self) -> bool {
        self.time == other.time
            && self.event == other.event
            && self.group == other.group
            && self.levels == other.levels
    }
}

impl SurvData {
    /// Builds validated data from parallel vectors.
    ///
    /// # Errors
    /// [`DataError::LengthMismatch`] if the vectors differ in length, [`DataError::Empty`]
    /// with no observations, [`DataError::InvalidTime`] for a negative or non-finite time,
    /// [`DataError::InvalidGroup`] for a group index outside `levels`.
    pub fn new(
        time: Vec<f64>,
        event: Vec<bool>,
        group: Vec<usize>,
        levels: Vec<String>,
    ) -> Result<Self, DataError> {
        validate(&time, event.len(), &group, levels.len())?;
        Ok(SurvData {
            time,
            event,
            group,
            levels,
            sorted: std::sync::OnceLock::new(),
        })
    }

    /// Builds data whose groups are given as labels; levels are ordered by first
    /// appearance, as the data has them.
    ///
    /// # Errors
    /// As [`SurvData::new`].
    pub fn from_labels<S: AsRef<str>>(
        time: Vec<f64>,
        event: Vec<bool>,
        labels: &[S],
    ) -> Result<Self, DataError> {
        let mut levels: Vec<String> = Vec::new();
        let group = labels
            .iter()
            .map(|l| {
                let l = l.as_ref();
                match levels.iter().position(|x| x == l) {
                    Some(i) => i,
                    None => {
                        levels.push(l.to_string());
                        levels.len() - 1
                    }
                }
            })
            .collect();
        SurvData::new(time, event, group, levels)
    }

    /// Returns the same data with `level` moved to the front of the level order, making it
    /// the reference group; the other levels keep their order.
    ///
    /// # Errors
    /// [`DataError::UnknownLevel`] if `level` is not a level.
    pub fn with_reference(mut self, level: &str) -> Result<Self, DataError> {
        let Some(r) = self.levels.iter().position(|l| l == level) else {
            return Err(DataError::UnknownLevel {
                level: level.to_string(),
                levels: self.levels.clone(),
            });
        };
        // New index of old level i: r -> 0, i < r -> i + 1, i > r -> i.
        let remap = |i: usize| match i.cmp(&r) {
            std::cmp::Ordering::Equal => 0,
            std::cmp::Ordering::Less => i + 1,
            std::cmp::Ordering::Greater => i,
        };
        for g in &mut self.group {
            *g = remap(*g);
        }
        self.sorted = std::sync::OnceLock::new();
        let lvl = self.levels.remove(r);
        self.levels.insert(0, lvl);
        Ok(self)
    }

    /// Drops levels that have no observations, keeping the order of the rest.
    pub fn drop_empty_levels(mut self) -> Self {
        let mut count = vec![0usize; self.levels.len()];
        for &g in &self.group {
            count[g] += 1;
        }
        let mut new_index = vec![0usize; self.levels.len()];
        let mut levels = Vec::new();
        for (i, l) in self.levels.iter().enumerate() {
            if count[i] > 0 {
                new_index[i] = levels.len();
                levels.push(l.clone());
            }
        }
        for g in &mut self.group {
            *g = new_index[*g];
        }
        self.sorted = std::sync::OnceLock::new();
        self.levels = levels;
        self
    }

    /// The data with near-tied times merged as R's `aeqSurv` merges them
    /// ([`crate::timefix`]), and how many observations changed time.
    pub fn timefixed(mut self, tolerance: f64) -> (SurvData, usize) {
        match crate::timefix::merged_times(&self.time, tolerance) {
            Some(t) => {
                let changed = t.iter().zip(&self.time).filter(|(a, b)| a != b).count();
                self.time = t;
                self.sorted = std::sync::OnceLock::new();
                (self, changed)
            }
            None => (self, 0),
        }
    }

    /// Number of observations.
    pub fn len(&self) -> usize {
        self.time.len()
    }

    /// Always false: validated data has at least one observation.
    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }

    /// Follow-up times.
    pub fn time(&self) -> &[f64] {
        &self.time
    }

    /// Event indicators (true = event, false = censored).
    pub fn event(&self) -> &[bool] {
        &self.event
    }

    /// Group index of each observation, into [`SurvData::levels`].
    pub fn group(&self) -> &[usize] {
        &self.group
    }

    /// Group labels, reference first.
    pub fn levels(&self) -> &[String] {
        &self.levels
    }

    /// Number of groups.
    pub fn n_groups(&self) -> usize {
        self.levels.len()
    }

    /// Indices of the observations sorted by time, ties in data order (what a stable
    /// sort gives), computed once.
    pub(crate) fn order_by_time(&self) -> &[usize] {
        &self.sorted().order
    }

    /// [`SurvData::order_by_time`], shared.
    pub(crate) fn shared_order(&self) -> std::sync::Arc<[usize]> {
        self.sorted().order.clone()
    }

    /// The observations laid out in time order ([`Sorted`]), computed once.
    pub(crate) fn sorted(&self) -> &Sorted {
        self.sorted
            .get_or_init(|| sorted(&self.time, &self.event, &self.group))
    }
}

/// The checks of [`SurvData::new`] (and of competing-risks data, whose events are causes):
/// equal lengths, at least one observation, times finite and ≥ 0, group indices below
/// `levels`.
pub(crate) fn validate(
    time: &[f64],
    events: usize,
    group: &[usize],
    levels: usize,
) -> Result<(), DataError> {
    if time.len() != events || time.len() != group.len() {
        return Err(DataError::LengthMismatch {
            time: time.len(),
            event: events,
            group: group.len(),
        });
    }
    if time.is_empty() {
        return Err(DataError::Empty);
    }
    if let Some((index, &value)) = time
        .iter()
        .enumerate()
        .find(|(_, t)| !(t.is_finite() && **t >= 0.0))
    {
        return Err(DataError::InvalidTime { index, value });
    }
    if let Some((index, &g)) = group
        .iter()
        .enumerate()
        .find(|(_, g)| **g >= levels || **g >= MAX_GROUPS)
    {
        return Err(DataError::InvalidGroup {
            index,
            group: g,
            levels,
        });
    }
    Ok(())
}

/// The bound on group indices (and so on the number of groups that have observations):
/// [`Sorted`] packs a group index and an event into 32 bits.
pub(crate) const MAX_GROUPS: usize = 1 << 31;

/// [`Sorted`] for validated data. One stable radix sort of (time, payload) pairs, as
/// [`order_by`]'s: the payload packs the row's index and its tag when both fit in 32
/// bits, so that the sorted pairs give every column in order without a gather; otherwise
/// (4 billion rows or more) the tags are gathered through the order.
fn sorted(time: &[f64], event: &[bool], group: &[usize]) -> Sorted {
    // Group indices are below MAX_GROUPS = 2^31 (validated), so a tag fits in 32 bits.
    let tag_of = |i: usize| (group[i] << 1 | usize::from(event[i])) as u32;
    if u32::try_from(time.len()).is_ok() {
        let mut pairs: Vec<(f64, u64)> = (0..time.len())
            .map(|i| (time[i], (i as u64) << 32 | u64::from(tag_of(i))))
            .collect();
        radsort::sort_by_key(&mut pairs, |p| p.0);
        let mut order = Vec::with_capacity(pairs.len());
        let mut tag = Vec::with_capacity(pairs.len());
        let mut sorted_time = Vec::with_capacity(pairs.len());
        for (t, p) in pairs {
            sorted_time.push(t);
            order.push((p >> 32) as usize);
            tag.push(p as u32);
        }
        return Sorted {
            order: order.into(),
            time: sorted_time,
            tag,
        };
    }
    let order = order_by(time);
    Sorted {
        time: order.iter().map(|&i| time[i]).collect(),
        tag: order.iter().map(|&i| tag_of(i)).collect(),
        order: order.into(),
    }
}

/// Puts `v` into the order `order` in place: afterwards `v[k]` is what `v[order[k]]` was
/// (a gather without the copy, by following each cycle of the permutation once; one bit
/// per element marks what is placed). `order` must be a permutation of `0..v.len()`.
pub(crate) fn permute_in_place<T: Copy>(v: &mut [T], order: &[usize]) {
    debug_assert_eq!(v.len(), order.len());
    let mut placed = vec![0u64; v.len().div_ceil(64)];
    let mark = |placed: &mut [u64], k: usize| placed[k / 64] |= 1 << (k % 64);
    let is_placed = |placed: &[u64], k: usize| placed[k / 64] >> (k % 64) & 1 == 1;
    for start in 0..v.len() {
        if is_placed(&placed, start) {
            continue;
        }
        let first = v[start];
        let mut k = start;
        loop {
            mark(&mut placed, k);
            let from = order[k];
            if from == start {
                v[k] = first;
                break;
            }
            v[k] = v[from];
            k = from;
        }
    }
}

/// Indices of `time` in increasing order, ties in index order: the order of a stable sort
/// by time. A stable LSD radix sort (radsort) of (time, index) pairs: linear in the rows,
/// about four times faster than a comparison sort on a million continuous times, and the
/// first sort is most of the time of Kaplan–Meier and the log-rank test at that size.
/// Its order on floats is `f64::total_cmp`'s.
pub(crate) fn order_by(time: &[f64]) -> Vec<usize> {
    let mut pairs: Vec<(f64, usize)> = time.iter().copied().zip(0..).collect();
    radsort::sort_by_key(&mut pairs, |p| p.0);
    pairs.into_iter().map(|(_, i)| i).collect()
}

/// Indices ordered by stratum, then by time (increasing, or decreasing with
/// `descending`), ties in index order: R's `order(strata, time)` / `order(strata, -time)`,
/// by a stable radix sort of (stratum, time, index) triples on the key (stratum, ±time)
/// (see [`order_by`]; negating a time reverses `total_cmp`'s order exactly).
pub(crate) fn order_by_strata_time(strata: &[usize], time: &[f64], descending: bool) -> Vec<usize> {
    let mut keys: Vec<(usize, f64, usize)> = strata
        .iter()
        .zip(time)
        .zip(0..)
        .map(|((&s, &t), i)| (s, if descending { -t } else { t }, i))
        .collect();
    radsort::sort_by_key(&mut keys, |k| (k.0, k.1));
    keys.into_iter().map(|(_, _, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strata_order_is_rs_order() {
        let strata = [1, 0, 1, 0, 0];
        let time: [f64; 5] = [2.0, 5.0, 2.0, 1.0, 5.0];
        let mut want: Vec<usize> = (0..5).collect();
        want.sort_by(|&a, &b| strata[a].cmp(&strata[b]).then(time[a].total_cmp(&time[b])));
        assert_eq!(order_by_strata_time(&strata, &time, false), want);
        want.sort_by(|&a, &b| strata[a].cmp(&strata[b]).then(time[b].total_cmp(&time[a])));
        assert_eq!(order_by_strata_time(&strata, &time, true), want);
    }

    #[test]
    fn order_is_a_stable_sort_by_time() {
        let time: [f64; 6] = [3.0, 1.0, 3.0, 0.0, 1.0, 3.0];
        let mut stable: Vec<usize> = (0..time.len()).collect();
        stable.sort_by(|&a, &b| time[a].total_cmp(&time[b]));
        assert_eq!(order_by(&time), stable);
        assert_eq!(order_by(&time), vec![3, 1, 4, 0, 2, 5]);
    }

    /// A permutation in place gives what a gather gives.
    #[test]
    fn permute_in_place_is_a_gather() {
        let order = [3usize, 0, 4, 1, 2, 6, 5, 7];
        let v: Vec<f64> = (0..8).map(|i| f64::from(i) * 1.5).collect();
        let mut w = v.clone();
        permute_in_place(&mut w, &order);
        let gathered: Vec<f64> = order.iter().map(|&i| v[i]).collect();
        assert_eq!(w, gathered);
        // Many cycles and a longer one, past one word of marks.
        let n = 1000;
        let order: Vec<usize> = (0..n).map(|k| (k * 7 + 3) % n).collect();
        let v: Vec<usize> = (0..n).map(|k| k * k).collect();
        let mut w = v.clone();
        permute_in_place(&mut w, &order);
        assert!(w.iter().zip(&order).all(|(&x, &i)| x == v[i]));
        permute_in_place::<u8>(&mut [], &[]);
    }

    /// The sorted view's columns are the data's through the order, and a change of group
    /// indices (a new reference, dropped levels) or of times is seen, not the old view.
    #[test]
    fn sorted_view_follows_the_data() {
        let check = |d: &SurvData| {
            let s = d.sorted();
            assert_eq!(*s.order, *order_by(d.time()));
            for (j, &i) in s.order.iter().enumerate() {
                assert_eq!(s.time[j], d.time()[i]);
                assert_eq!(s.group_event(j), (d.group()[i], d.event()[i]));
            }
        };
        let time = vec![3.0, 1.0, 3.0, 0.0, 1.0, 3.0000001];
        let event = vec![true, false, true, true, false, false];
        let d = SurvData::new(
            time,
            event,
            vec![2, 0, 2, 2, 0, 2],
            vec!["a".into(), "b".into(), "c".into()],
        );
        let Ok(d) = d else { panic!("valid data") };
        check(&d);
        let d = d.drop_empty_levels();
        assert_eq!(d.group(), [1, 0, 1, 1, 0, 1]);
        check(&d);
        let Ok(d) = d.with_reference("c") else {
            panic!("c is a level")
        };
        assert_eq!(d.group(), [0, 1, 0, 0, 1, 0]);
        check(&d);
        let (d, changed) = d.timefixed(1e-6);
        assert_eq!(changed, 1);
        check(&d);
        assert_eq!(d.sorted().time, [0.0, 1.0, 1.0, 3.0, 3.0, 3.0]);
    }

    #[test]
    fn group_past_the_bound_is_rejected() {
        assert!(matches!(
            validate(&[1.0], 1, &[MAX_GROUPS], MAX_GROUPS + 1),
            Err(DataError::InvalidGroup { .. })
        ));
    }

    #[test]
    fn rejects_negative_time() {
        let e = SurvData::new(
            vec![1.0, -2.0],
            vec![true, false],
            vec![0, 0],
            vec!["a".into()],
        );
        assert_eq!(
            e,
            Err(DataError::InvalidTime {
                index: 1,
                value: -2.0
            })
        );
    }

    #[test]
    fn reference_reorders_levels() {
        let d = SurvData::from_labels(vec![1.0, 2.0, 3.0], vec![true; 3], &["a", "b", "c"])
            .and_then(|d| d.with_reference("c"));
        let d = d.map_err(|e| e.to_string());
        assert_eq!(
            d.as_ref().map(|d| d.levels().to_vec()),
            Ok(vec!["c".to_string(), "a".into(), "b".into()])
        );
        assert_eq!(d.map(|d| d.group().to_vec()), Ok(vec![1, 2, 0]));
    }
}
