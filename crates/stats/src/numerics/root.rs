//! Root finding as R does it: Brent's method exactly as R's `R_zeroin2`
//! (src/library/stats/src/zeroin.c), and `uniroot` over it, so that survcalc takes R's
//! steps and stops where R stops.

/// Result of a root search.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Root {
    pub(crate) x: f64,
    pub(crate) converged: bool,
}

/// Brent's root finder exactly as R's `R_zeroin2` (src/library/stats/src/zeroin.c, from
/// Forsythe, Malcolm & Moler 1977), so that survcalc's `uniroot` takes R's steps.
pub(crate) fn zeroin<F: FnMut(f64) -> f64>(
    ax: f64,
    bx: f64,
    fa0: f64,
    fb0: f64,
    mut f: F,
    tol: f64,
    maxit: usize,
) -> Root {
    let (mut a, mut b) = (ax, bx);
    let (mut fa, mut fb) = (fa0, fb0);
    let mut c = a;
    let mut fc = fa;
    if fa == 0.0 {
        return Root {
            x: a,
            converged: true,
        };
    }
    if fb == 0.0 {
        return Root {
            x: b,
            converged: true,
        };
    }
    for _ in 0..=maxit {
        let prev_step = b - a;
        if fc.abs() < fb.abs() {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        let tol_act = 2.0 * f64::EPSILON * b.abs() + tol / 2.0;
        let mut new_step = (c - b) / 2.0;
        if new_step.abs() <= tol_act || fb == 0.0 {
            return Root {
                x: b,
                converged: true,
            };
        }
        if prev_step.abs() >= tol_act && fa.abs() > fb.abs() {
            let cb = c - b;
            let (mut p, mut q);
            if a == c {
                let t1 = fb / fa;
                p = cb * t1;
                q = 1.0 - t1;
            } else {
                let qq = fa / fc;
                let t1 = fb / fc;
                let t2 = fb / fa;
                p = t2 * (cb * qq * (qq - t1) - (b - a) * (t1 - 1.0));
                q = (qq - 1.0) * (t1 - 1.0) * (t2 - 1.0);
            }
            if p > 0.0 {
                q = -q;
            } else {
                p = -p;
            }
            if p < (0.75 * cb * q - (tol_act * q).abs() / 2.0) && p < (prev_step * q / 2.0).abs() {
                new_step = p / q;
            }
        }
        if new_step.abs() < tol_act {
            new_step = if new_step > 0.0 { tol_act } else { -tol_act };
        }
        a = b;
        fa = fb;
        b += new_step;
        fb = f(b);
        if (fb > 0.0 && fc > 0.0) || (fb < 0.0 && fc < 0.0) {
            c = a;
            fc = fa;
        }
    }
    Root {
        x: b,
        converged: false,
    }
}

/// R's `uniroot(f, c(lower, upper), tol = tol)` with `maxiter = 1000`: `None` when f does
/// not change sign over the interval (R stops with an error there).
pub(crate) fn uniroot<F: FnMut(f64) -> f64>(
    mut f: F,
    lower: f64,
    upper: f64,
    tol: f64,
) -> Option<Root> {
    let fl = f(lower);
    let fu = f(upper);
    if fl.is_nan() || fu.is_nan() || fl.signum() * fu.signum() > 0.0 {
        return None;
    }
    Some(zeroin(lower, upper, fl, fu, f, tol, 1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zeroin_finds_sqrt2() {
        let r = uniroot(|x| x * x - 2.0, 0.0, 2.0, 0.0).expect("bracketed");
        assert!((r.x - std::f64::consts::SQRT_2).abs() < 1e-15);
    }
}
