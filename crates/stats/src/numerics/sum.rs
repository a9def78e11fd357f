//! Neumaier's compensated summation: R sums doubles in long double, and this is as
//! accurate for the sums survcalc makes (binomial and hypergeometric tails, areas).

/// Neumaier's compensated sum (R sums doubles in long double; this is as accurate).
#[derive(Default, Clone, Copy)]
pub(crate) struct Sum {
    pub(crate) s: f64,
    pub(crate) c: f64,
}

impl Sum {
    pub(crate) fn add(&mut self, x: f64) {
        let t = self.s + x;
        if self.s.abs() >= x.abs() {
            self.c += (self.s - t) + x;
        } else {
            self.c += (x - t) + self.s;
        }
        self.s = t;
    }

    pub(crate) fn value(self) -> f64 {
        self.s + self.c
    }
}
