//! GraphPad Prism's survival table (an X column of times, one 0/1 column per group)
//! turned into one row per patient.

use super::*;

impl Table {
    /// GraphPad Prism's survival data table, as Prism exports it: an X column of times,
    /// then one Y column per group holding 1 (event) or 0 (censored) in the rows of that
    /// group and nothing elsewhere. Read as it stands, the first Y column would be taken
    /// for the event and every other group's rows excluded; turned into one row per
    /// patient with `status` and `group` columns, it is what the analysis expects.
    ///
    /// Recognised only when every row has at most one Y value, every Y value is 0 or 1,
    /// there are two or more Y columns with values, and every X value is a number: a
    /// table with several 0/1 columns filled on the same row is left as it is.
    pub(super) fn prism_survival_long(&self) -> Option<Table> {
        let (n, width) = (self.n_rows(), self.columns.len());
        if !self.has_header || width < 3 || n < 2 {
            return None;
        }
        let mut group_of = vec![None; n];
        let mut used = vec![false; width];
        for r in 0..n {
            if self.number(r, 0).is_none() && !self.cell(r, 0).is_empty() {
                return None;
            }
            for c in 1..width {
                let v = self.cell(r, c);
                if v.is_empty() {
                    continue;
                }
                match self.number(r, c) {
                    Some(x) if x == 0.0 || x == 1.0 => {}
                    _ => return None,
                }
                if group_of[r].is_some() {
                    return None;
                }
                group_of[r] = Some(c);
                used[c] = true;
            }
        }
        let groups: Vec<usize> = (1..width).filter(|&c| used[c]).collect();
        if groups.len() < 2 {
            return None;
        }
        let mut time = Column::with_capacity(n, 4 * n);
        let mut status = Column::with_capacity(n, n);
        let mut group = Column::with_capacity(n, 8 * n);
        for r in 0..n {
            time.push(r, self.cell(r, 0), None).ok()?;
            match group_of[r] {
                Some(c) => {
                    let event = if self.number(r, c) == Some(1.0) {
                        "1"
                    } else {
                        "0"
                    };
                    status.push(r, event, None).ok()?;
                    group.push(r, &self.columns[c], None).ok()?;
                }
                // A row with a time and no Y value: kept, so that it is excluded with
                // its reason rather than lost.
                None => {
                    status.push(r, "", None).ok()?;
                    group.push(r, "", None).ok()?;
                }
            }
        }
        let names: Vec<&str> = groups.iter().map(|&c| self.columns[c].as_str()).collect();
        let mut notes = self.notes.clone();
        notes.push(format!(
            "read as a GraphPad Prism survival table: the time column \"{}\" and one column per group ({}), each 1 = event, 0 = censored; turned into the columns \"status\" and \"group\", one row per patient",
            self.columns[0],
            names.join(", ")
        ));
        let mut columns = vec![self.columns[0].clone(), "status".into(), "group".into()];
        if columns[0] == "status" || columns[0] == "group" {
            columns[0] = "time".into();
        }
        Some(Table {
            columns,
            data: vec![time, status, group],
            lines: self.lines.clone(),
            delimiter: self.delimiter,
            decimal_comma: self.decimal_comma,
            has_header: true,
            source: self.source.clone(),
            notes,
        })
    }
}
