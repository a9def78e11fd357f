//! Where each row of a table starts in its file: kept as runs of consecutive lines.

/// The one-based line of the text (or row of the sheet) where each data row starts.
///
/// Stored as runs of consecutive lines: nearly every file has one row per line, so a
/// million rows take one run instead of 8 MB (issue 15: the page's worker holds the
/// table through the whole analysis). A blank line skipped, a cell with a line break
/// or a title row left out starts a new run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Lines {
    /// Each run's first row and that row's line: row `r` of the run that starts at
    /// `(s, l)` is on line `l + (r − s)`. Rows increase, and no run continues the one
    /// before it.
    runs: Vec<(usize, u64)>,
    /// Rows in all.
    len: usize,
}

impl Lines {
    /// The line of `row`, or `None` past the last row.
    pub fn get(&self, row: usize) -> Option<u64> {
        if row >= self.len {
            return None;
        }
        let k = self
            .runs
            .partition_point(|&(s, _)| s <= row)
            .checked_sub(1)?;
        let (s, l) = self.runs[k];
        Some(l + (row - s) as u64)
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The first row's line.
    pub fn first(&self) -> Option<u64> {
        self.get(0)
    }

    /// The last row's line.
    pub fn last(&self) -> Option<u64> {
        self.len.checked_sub(1).and_then(|r| self.get(r))
    }

    /// Every row's line, in row order.
    pub fn iter(&self) -> impl Iterator<Item = u64> + '_ {
        self.runs.iter().enumerate().flat_map(move |(k, &(s, l))| {
            let end = self.runs.get(k + 1).map_or(self.len, |&(e, _)| e);
            (0..(end - s) as u64).map(move |d| l + d)
        })
    }

    /// Adds a row on `line`.
    pub(crate) fn push(&mut self, line: u64) {
        if self.last().and_then(|l| l.checked_add(1)) != Some(line) {
            self.runs.push((self.len, line));
        }
        self.len += 1;
    }

    /// Removes the first row (a title or header row taken out of the data).
    pub(crate) fn remove_first(&mut self) {
        if self.len == 0 {
            return;
        }
        let first_run_rows = self.runs.get(1).map_or(self.len, |&(e, _)| e);
        if first_run_rows == 1 {
            self.runs.remove(0);
        } else if let Some(run) = self.runs.first_mut() {
            run.1 += 1;
        }
        for run in self.runs.iter_mut().skip(1) {
            run.0 -= 1;
        }
        if let Some(run) = self.runs.first_mut() {
            run.0 = 0;
        }
        self.len -= 1;
    }

    /// Heap memory held, in bytes.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.runs.capacity() * std::mem::size_of::<(usize, u64)>()
    }

    pub(crate) fn shrink_to_fit(&mut self) {
        self.runs.shrink_to_fit();
    }
}

impl FromIterator<u64> for Lines {
    fn from_iter<I: IntoIterator<Item = u64>>(lines: I) -> Lines {
        let mut out = Lines::default();
        for l in lines {
            out.push(l);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs give back every line, and removing the first row keeps them so.
    #[test]
    fn runs_hold_every_line() {
        let lines = [2u64, 3, 4, 6, 7, 10, 11, 12, 13, 20];
        let mut l: Lines = lines.iter().copied().collect();
        assert_eq!(l.runs.len(), 4);
        assert_eq!(l.len(), lines.len());
        assert_eq!(l.iter().collect::<Vec<_>>(), lines);
        for (r, &want) in lines.iter().enumerate() {
            assert_eq!(l.get(r), Some(want));
        }
        assert_eq!(l.get(lines.len()), None);
        assert_eq!((l.first(), l.last()), (Some(2), Some(20)));
        let mut rest = lines.to_vec();
        while !rest.is_empty() {
            l.remove_first();
            rest.remove(0);
            assert_eq!(l.iter().collect::<Vec<_>>(), rest);
            assert_eq!(l, rest.iter().copied().collect::<Lines>());
            assert_eq!(l.last(), rest.last().copied());
        }
        assert!(l.is_empty() && l.first().is_none());
        l.remove_first();
        assert!(l.is_empty());
        // A million rows on consecutive lines: one run.
        let big: Lines = (2..1_000_002).collect();
        assert_eq!((big.runs.len(), big.get(999_999)), (1, Some(1_000_001)));
    }
}
