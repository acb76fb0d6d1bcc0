//! Nelder–Mead minimisation for the few-parameter likelihoods of the alternative
//! distributions (no derivatives needed, robust to the flat regions of truncated fits).

/// Minimises `f` from `start` with initial steps `step`; stops when the simplex's values
/// agree to `tol` (relative), when its points agree to 1e-13 (relative) in every
/// coordinate, or after `max_iter` iterations. Returns (point, value, whether
/// the tolerance was met before the iteration cap).
pub fn nelder_mead<const D: usize>(
    f: impl Fn(&[f64; D]) -> f64,
    start: [f64; D],
    step: [f64; D],
    tol: f64,
    max_iter: usize,
) -> ([f64; D], f64, bool) {
    let eval = |x: &[f64; D]| {
        let v = f(x);
        if v.is_nan() {
            f64::INFINITY
        } else {
            v
        }
    };
    let mut pts: Vec<[f64; D]> = Vec::with_capacity(D + 1);
    pts.push(start);
    for i in 0..D {
        let mut p = start;
        p[i] += step[i];
        pts.push(p);
    }
    let mut vals: Vec<f64> = pts.iter().map(eval).collect();
    let mut converged = false;
    for _ in 0..max_iter {
        // Order: best first.
        let mut idx: Vec<usize> = (0..=D).collect();
        idx.sort_by(|&a, &b| vals[a].total_cmp(&vals[b]));
        pts = idx.iter().map(|&i| pts[i]).collect();
        vals = idx.iter().map(|&i| vals[i]).collect();
        let (best, worst) = (vals[0], vals[D]);
        // Converged when the values agree to `tol`, or when the simplex has collapsed to
        // within 1e-13 in every coordinate: the points are then a few ulp apart and what
        // separates their values is rounding noise in `f`, not slope (discrete lognormal
        // likelihoods, differences of nearly equal tails, are noisy at 1e-11 relative:
        // blackouts' fit sat there for 4000 iterations and was reported unconverged).
        let collapsed = (0..D).all(|k| {
            pts.iter()
                .all(|p| (p[k] - pts[0][k]).abs() <= 1e-13 * (pts[0][k].abs() + 1e-13))
        });
        if (worst - best).abs() <= tol * (best.abs() + tol) || collapsed {
            converged = true;
            break;
        }
        let mut centroid = [0.0; D];
        for p in &pts[..D] {
            for k in 0..D {
                centroid[k] += p[k] / D as f64;
            }
        }
        let along = |t: f64| {
            let mut q = [0.0; D];
            for k in 0..D {
                q[k] = centroid[k] + t * (pts[D][k] - centroid[k]);
            }
            q
        };
        let reflected = along(-1.0);
        let fr = eval(&reflected);
        if fr < vals[0] {
            let expanded = along(-2.0);
            let fe = eval(&expanded);
            if fe < fr {
                pts[D] = expanded;
                vals[D] = fe;
            } else {
                pts[D] = reflected;
                vals[D] = fr;
            }
        } else if fr < vals[D - 1] {
            pts[D] = reflected;
            vals[D] = fr;
        } else {
            let contracted = if fr < vals[D] {
                along(-0.5)
            } else {
                along(0.5)
            };
            let fc = eval(&contracted);
            if fc < vals[D].min(fr) {
                pts[D] = contracted;
                vals[D] = fc;
            } else {
                // Shrink towards the best point.
                let best = pts[0];
                for (p, v) in pts.iter_mut().zip(vals.iter_mut()).skip(1) {
                    for (pk, bk) in p.iter_mut().zip(best) {
                        *pk = bk + 0.5 * (*pk - bk);
                    }
                    *v = eval(p);
                }
            }
        }
    }
    let (mut bi, mut bv) = (0, vals[0]);
    for (i, &v) in vals.iter().enumerate() {
        if v < bv {
            bi = i;
            bv = v;
        }
    }
    (pts[bi], bv, converged)
}

#[cfg(test)]
mod tests {
    use super::nelder_mead;

    #[test]
    fn finds_the_rosenbrock_minimum() {
        let rosen = |p: &[f64; 2]| (1.0 - p[0]).powi(2) + 100.0 * (p[1] - p[0] * p[0]).powi(2);
        let (x, v, done) = nelder_mead(rosen, [-1.2, 1.0], [0.5, 0.5], 1e-15, 5000);
        assert!(done);
        assert!(
            (x[0] - 1.0).abs() < 1e-4 && (x[1] - 1.0).abs() < 1e-4 && v < 1e-8,
            "{x:?} {v}"
        );
    }

    #[test]
    fn a_collapsed_simplex_on_a_noisy_function_has_converged() {
        // A bowl plus deterministic noise of 1e-11 relative that changes with every bit of
        // the point (as a sum of differences of nearly equal tails does): the values never
        // agree to 1e-14, but the simplex shrinks onto the minimum and stops there.
        let noisy = |p: &[f64; 2]| {
            let h = (p[0].to_bits() ^ p[1].to_bits().rotate_left(17))
                .wrapping_mul(0x9E37_79B9_7F4A_7C15);
            let noise = (h >> 11) as f64 / (1u64 << 53) as f64;
            (1.0 + (p[0] - 3.0).powi(2) + (p[1] + 2.0).powi(2)) * (1.0 + 1e-11 * noise)
        };
        let (x, _, done) = nelder_mead(noisy, [0.0, 0.0], [0.5, 0.5], 1e-14, 4000);
        assert!(done);
        assert!(
            (x[0] - 3.0).abs() < 1e-4 && (x[1] + 2.0).abs() < 1e-4,
            "{x:?}"
        );
    }
}
