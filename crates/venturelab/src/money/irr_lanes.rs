//! The IRR of many yearly series at once: the fund simulator's net IRR, 16 funds side by
//! side (and one series for the sequential simulation). It takes the choice of root that
//! [`super::irr`] makes (see [`super::roots`]) and solves it by Newton in the discount
//! factor, so that every series takes the same steps and the work vectorizes; the rare
//! series that need root isolation or lie at extreme rates go to [`super::irr`].

use super::roots::GUESS;

/// The IRR of `L` series of yearly flows side by side (`flows[year][series]`), by the
/// rule of [`super::irr`]; NaN where it has no answer or `on` is false.
///
/// Same plan as `irr` (which root, and where it lies, from the signs of the flows and of
/// their running sums), but each root is solved by Newton on the polynomial in the
/// discount factor x = 1/(1 + r), P(x) = Σ c_t x^t, whose positive roots are the rates:
/// no `exp` per step, and every series takes the same steps, so one Horner pass serves all
/// of them. The plan itself is read for all series at once (one pass over the years each
/// way, no branches on the flows), so that it vectorizes too. A bracket kept from the
/// signs of P makes the steps safe (bisection when a step leaves it). Agrees with `irr`
/// to about 1e-13 (both converge to rounding); series that need full root isolation, or
/// whose root may lie at an extreme rate, are passed to `irr`.
#[inline(always)]
pub(crate) fn yearly_irr_lanes<const L: usize>(flows: &[[f64; L]], on: [bool; L]) -> [f64; L] {
    let mut out = [f64::NAN; L];
    // Per series: x, its bracket [lo, hi] (hi may be +inf), the sign of P below the root.
    let mut x = [1.0f64; L];
    let mut lo = [0.0f64; L];
    let mut hi = [f64::INFINITY; L];
    let mut sign_low = [0.0f64; L];
    let mut active = [false; L];
    // One series at a time, on the stack for the usual lengths: this runs once per
    // simulated fund, so it should not allocate.
    let (mut stack, mut heap) = ([0.0f64; 64], Vec::new());
    let column: &mut [f64] = if flows.len() <= stack.len() {
        &mut stack[..flows.len()]
    } else {
        heap.resize(flows.len(), 0.0);
        &mut heap
    };
    let fill = |column: &mut [f64], l: usize| {
        for (c, f) in column.iter_mut().zip(flows) {
            *c = f[l];
        }
    };
    let scalar = |column: &[f64]| super::periodic::irr(column).unwrap_or(f64::NAN);

    // What `profile` and `plan` read, for every series: sign changes of the flows and of
    // their running sums from the first year (`ups`) and from the last (`downs`), the
    // first and last non-zero flows, totals, and the money-weighted mean times of the
    // inflows and outflows. Zero flows change none of these.
    let mut changes = [0u32; L];
    let (mut ups, mut downs) = ([0u32; L], [0u32; L]);
    let (mut first, mut last) = ([0.0f64; L], [0.0f64; L]);
    let (mut total, mut abs_total) = ([0.0f64; L], [0.0f64; L]);
    let (mut pos, mut neg, mut t_pos, mut t_neg) = ([0.0f64; L], [0.0; L], [0.0; L], [0.0; L]);
    let flips = |a: f64, b: f64| a != 0.0 && b != 0.0 && (a > 0.0) != (b > 0.0);
    let mut last_sum = [0.0f64; L];
    for (t, row) in flows.iter().enumerate() {
        for l in 0..L {
            let c = row[l];
            changes[l] += flips(c, last[l]) as u32;
            last[l] = if c != 0.0 { c } else { last[l] };
            first[l] = if first[l] == 0.0 { c } else { first[l] };
            total[l] += c;
            ups[l] += flips(total[l], last_sum[l]) as u32;
            last_sum[l] = if total[l] != 0.0 {
                total[l]
            } else {
                last_sum[l]
            };
            abs_total[l] += c.abs();
            let (inflow, outflow) = if c > 0.0 { (c, 0.0) } else { (0.0, -c) };
            pos[l] += inflow;
            t_pos[l] += inflow * t as f64;
            neg[l] += outflow;
            t_neg[l] += outflow * t as f64;
        }
    }
    let (mut sum, mut last_sum) = ([0.0f64; L], [0.0f64; L]);
    for row in flows.iter().rev() {
        for l in 0..L {
            sum[l] += row[l];
            downs[l] += flips(sum[l], last_sum[l]) as u32;
            last_sum[l] = if sum[l] != 0.0 { sum[l] } else { last_sum[l] };
        }
    }
    // The starting point of `profile` (in s = ln(1 + r)) and x = exp(-s) there, both
    // from the rough logarithm and exponential: a start only needs a few digits.
    let mut guess = [0.0f64; L];
    let mut start = [0.0f64; L];
    for l in 0..L {
        let g = rough_ln(pos[l] / neg[l]) / (t_pos[l] / pos[l] - t_neg[l] / neg[l]);
        guess[l] = if g.is_finite() && g.abs() < 50.0 {
            g
        } else {
            GUESS
        };
        start[l] = rough_exp(-guess[l]);
    }

    // `plan` for every series, without branching on the flows: which root (if any) and
    // where to look for it, or whether the series goes to the scalar solver (`rare`).
    let mut rare = [false; L];
    for l in 0..L {
        let beyond = |own: f64| (abs_total[l] - own.abs()) / own.abs() > EXTREME_RATIO;
        // No sign change: no rate. One sign change: the only real root; P has the sign
        // of the last flow at large x.
        let signed = on[l] && changes[l] > 0;
        let single = signed && changes[l] == 1;
        let several = signed && changes[l] > 1;
        let at_zero = several && total[l] == 0.0;
        let solved = several && !at_zero;
        // Several changes: the smallest positive rate if the running sums from the first
        // year change sign once and the first flow and the total differ in sign, x in
        // (0, 1) (`plan` bounds the bracket by the root bound in s; no root lies beyond
        // it, so (0, 1) holds the same single root); else the negative rate closest to
        // zero, x in (1, +inf), if the running sums from the last year change sign once
        // and the last flow and the total differ in sign; else none.
        let positive = solved && ups[l] == 1 && (first[l] > 0.0) != (total[l] > 0.0);
        let isolate = solved && (ups[l] >= 2 || downs[l] >= 2 && !positive);
        let negative = solved
            && !isolate
            && !positive
            && ups[l] <= 1
            && downs[l] == 1
            && (last[l] > 0.0) != (total[l] > 0.0);
        rare[l] = single && guess[l].abs() > X_RANGE
            || isolate
            || positive && beyond(first[l])
            || negative && beyond(last[l]);
        let newton = !rare[l] && (single || positive || negative);
        out[l] = if at_zero { 0.0 } else { out[l] };
        active[l] = newton;
        lo[l] = if newton && negative { 1.0 } else { lo[l] };
        hi[l] = if newton && positive { 1.0 } else { hi[l] };
        sign_low[l] = if !newton {
            0.0
        } else if single {
            -last[l]
        } else if positive {
            -total[l]
        } else {
            total[l]
        };
        x[l] = if positive && guess[l] <= 0.0 {
            0.5
        } else if negative && guess[l] >= 0.0 {
            2.0
        } else if newton {
            start[l]
        } else {
            x[l]
        };
    }
    for l in (0..L).filter(|&l| rare[l]) {
        fill(column, l);
        out[l] = scalar(column);
    }
    for _ in 0..MAX_STEPS {
        if !active.iter().any(|&a| a) {
            break;
        }
        // P and P' at x for every series (inactive ones are evaluated and ignored).
        let (mut p, mut dp) = ([0.0f64; L], [0.0f64; L]);
        for row in flows.iter().rev() {
            for l in 0..L {
                dp[l] = dp[l] * x[l] + p[l];
                p[l] = p[l] * x[l] + row[l];
            }
        }
        // One safeguarded Newton step in every active series, as selects (no branches,
        // so that it vectorizes); a series stops at P = 0 or when converged.
        // Every candidate is computed and the logic uses `&`/`|`, not `&&`/`||`: with
        // short-circuits or an if-else chain the compiler keeps branches, lane by lane.
        for l in 0..L {
            let moving = active[l] & (p[l] != 0.0);
            let below = (p[l] > 0.0) == (sign_low[l] > 0.0);
            // Two selects of values (a select of a pair becomes one of addresses).
            let (x_l, lo_old, hi_old) = (x[l], lo[l], hi[l]);
            let lo_l = if below { x_l } else { lo_old };
            let hi_l = if below { hi_old } else { x_l };
            let step = p[l] / dp[l];
            let newton = x[l] - step;
            let inside = (newton > lo_l) & (newton < hi_l);
            // At the root to rounding (P is noise here): keep x.
            let settled = step.abs() <= 4.0 * f64::EPSILON * x[l];
            let bounded = hi_l.is_finite();
            let bisect = 0.5 * (lo_l + hi_l);
            let grow = 2.0 * x[l].max(lo_l);
            let outside = if bounded { bisect } else { grow };
            let outside = if settled { x[l] } else { outside };
            let next = if inside { newton } else { outside };
            // Inside: quadratic convergence; after a step this small, x is within about
            // step² · |P''/P'| of the root, below rounding.
            let done_inside = step.abs() <= 1e-9 * x[l];
            let done_outside = settled | bounded & (hi_l - lo_l <= 4.0 * f64::EPSILON * hi_l);
            let done = if inside { done_inside } else { done_outside };
            lo[l] = if moving { lo_l } else { lo[l] };
            hi[l] = if moving { hi_l } else { hi[l] };
            x[l] = if moving { next } else { x[l] };
            active[l] = moving & !done;
        }
    }
    // Only series that went through Newton have a sign below the root. Those not settled,
    // or at an extreme rate, go to the scalar solver.
    let mut unsettled = [false; L];
    for l in 0..L {
        let newton = sign_low[l] != 0.0;
        unsettled[l] = newton && (active[l] || !(x[l] >= 1.0 / X_LIMIT && x[l] <= X_LIMIT));
        out[l] = if newton { 1.0 / x[l] - 1.0 } else { out[l] };
    }
    for l in (0..L).filter(|&l| unsettled[l]) {
        fill(column, l);
        out[l] = scalar(column);
    }
    out
}

/// Roots further than this in s = ln(1 + r) (rates beyond e^±30) go to the scalar solver,
/// which works in s and cannot overflow; so do roots that end beyond [`X_LIMIT`] in x.
const X_RANGE: f64 = 30.0;
/// Series whose root bound in s (`plan`'s `bound`: ln of this ratio of the other flows to
/// the first or last one) may exceed [`X_RANGE`] go to the scalar solver too (1e13 is a
/// little below e^30, so the test errs towards the scalar solver).
const EXTREME_RATIO: f64 = 1e13;

/// ln(y) to about 1e-5, for starting points: y = m · 2^e with m in [1, 2), and
/// ln m = 2 atanh((m - 1)/(m + 1)) by four terms of its series. Plain arithmetic on the
/// bits (no library call), so it vectorizes. NaN unless y is positive, finite and normal.
#[inline(always)]
fn rough_ln(y: f64) -> f64 {
    let bits = y.to_bits();
    let e = ((bits >> 52) & 0x7ff) as f64 - 1023.0;
    let m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    let z = (m - 1.0) / (m + 1.0);
    let z2 = z * z;
    let ln_m = 2.0 * z * (1.0 + z2 * (1.0 / 3.0 + z2 * (1.0 / 5.0 + z2 * (1.0 / 7.0))));
    if (f64::MIN_POSITIVE..=f64::MAX).contains(&y) {
        e * std::f64::consts::LN_2 + ln_m
    } else {
        f64::NAN
    }
}

/// exp(x) to about 1e-7 relative for x in [-700, 700] (clamped there): x = n ln 2 + r
/// with |r| <= ln 2 / 2, exp(r) by its Taylor series to r^6, times 2^n built from bits.
#[inline(always)]
fn rough_exp(x: f64) -> f64 {
    let x = x.clamp(-700.0, 700.0);
    let n = (x * std::f64::consts::LOG2_E).round();
    let r = x - n * std::f64::consts::LN_2;
    let p = 1.0
        + r * (1.0
            + r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0 + r / 720.0)))));
    // 2^n from the bits of n + 1023 (in [13, 2033]): added to 2^52, it is the low
    // mantissa bits of the sum, and the shift moves it into the exponent field. The same
    // as `(n as i64 + 1023) << 52`, which vectorizes only as one scalar conversion a lane.
    let biased = (n + (1023.0 + (1u64 << 52) as f64)).to_bits();
    p * f64::from_bits(biased << 52)
}
const X_LIMIT: f64 = 1e13;
/// Newton steps allowed before a series is handed to the scalar solver.
const MAX_STEPS: usize = 100;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rough_ln_and_exp_are_close_to_the_library_functions() {
        // Against std's correctly rounded-or-nearly ln and exp, over the whole range of
        // the ratios and rates they start Newton from (and then some).
        let mut y = 1e-300f64;
        while y < 1e300 {
            let want = y.ln();
            let err = (rough_ln(y) - want).abs();
            assert!(err <= 2e-5, "ln({y}): {} vs {want}", rough_ln(y));
            y *= 1.37;
        }
        for bad in [0.0, -1.0, f64::INFINITY, f64::NAN, 1e-310] {
            assert!(rough_ln(bad).is_nan(), "ln({bad})");
        }
        let mut x = -700.0f64;
        while x <= 700.0 {
            let want = x.exp();
            let err = ((rough_exp(x) - want) / want).abs();
            assert!(err <= 1e-6, "exp({x}): {} vs {want}", rough_exp(x));
            x += 0.173;
        }
        assert_eq!(rough_exp(-800.0), rough_exp(-700.0));
        assert_eq!(rough_exp(0.0), 1.0);
    }

    #[test]
    fn lanes_do_not_allocate() {
        // The fund simulator calls this once per 16 funds (and once per fund in the
        // sequential simulation). 16 fund-like series of the usual length (a call, fees,
        // exits, the rest distributed in the last year), one of them at an extreme rate,
        // which goes to the scalar solver (whose thread-local scratch grows once, in the
        // warm-up). Not covered: a series with several sign changes of its running sums
        // both ways (a fund that loses money and pays fees after an early exit), which
        // goes to `irr`'s full root isolation: that allocates (`roots_in`), a few times
        // per such series.
        let mut unit = crate::rng::test_uniforms(3);
        let years = 13;
        let mut flows = vec![[0.0f64; 16]; years];
        for l in 0..16 {
            flows[0][l] = -50.0 - 50.0 * unit();
            for year in flows.iter_mut().take(years - 1).skip(1) {
                let exit = if unit() < 0.4 { 30.0 * unit() } else { 0.0 };
                year[l] = exit - 2.0;
            }
            flows[years - 1][l] = 60.0 + 40.0 * unit();
        }
        // An extreme rate: back 10^12 times the call a year later.
        flows[1][15] = 1e12;
        let lanes = |flows: &[[f64; 16]]| yearly_irr_lanes(flows, [true; 16]);
        let one = |flows: &[[f64; 1]]| yearly_irr_lanes(flows, [true]);
        let single: Vec<[f64; 1]> = flows.iter().map(|y| [y[0]]).collect();
        let (warm, _) = crate::test_alloc::count(|| (lanes(&flows), one(&single)));
        assert!(warm.0.iter().all(|r| r.is_finite()), "{warm:?}");
        let (again, allocations) = crate::test_alloc::count(|| {
            let mut last = (lanes(&flows), one(&single));
            for _ in 0..100 {
                last = (lanes(&flows), one(&single));
            }
            last
        });
        assert_eq!(again, warm);
        assert_eq!(
            allocations, 0,
            "yearly_irr_lanes allocated {allocations} times in 202 calls"
        );
    }

    #[test]
    fn lanes_agree_with_irr_on_many_fund_like_series() {
        // 40,000 pseudo-random 11-year fund cash flows: a call in year 0, fees, exits of
        // heavy-tailed size in random years (so one to several sign changes, rates from
        // near -100% to several hundred percent), eight at a time.
        let mut unit = crate::rng::test_uniforms(7);
        for _ in 0..5_000 {
            let mut series = [[0.0f64; 11]; 8];
            for column in series.iter_mut() {
                column[0] = -50.0 - 50.0 * unit();
                for (t, flow) in column.iter_mut().enumerate().skip(1) {
                    let fee = if t < 10 { 2.0 } else { 0.0 };
                    let exit = if unit() < 0.4 {
                        (1.0 - unit()).powf(-1.2) * 10.0 * unit()
                    } else {
                        0.0
                    };
                    *flow = exit - fee;
                }
            }
            assert_lanes_agree_with_irr(&series);
        }
    }

    /// Solves the series side by side and checks each against `irr`: both without an
    /// answer, or within 1e-11 relative to 1 + r.
    fn assert_lanes_agree_with_irr<const L: usize>(series: &[[f64; 11]; L]) {
        let flows: Vec<[f64; L]> = (0..11)
            .map(|t| std::array::from_fn(|l| series[l][t]))
            .collect();
        let got = yearly_irr_lanes(&flows, [true; L]);
        for (column, got) in series.iter().zip(got) {
            let want = crate::money::irr(column).unwrap_or(f64::NAN);
            if want.is_nan() || got.is_nan() {
                assert!(want.is_nan() && got.is_nan(), "{column:?}: {got} vs {want}");
                continue;
            }
            let err = (got - want).abs() / (1.0 + want.abs());
            assert!(err <= 1e-11, "{column:?}: {got} vs {want}");
        }
    }

    #[test]
    fn lanes_agree_with_irr_on_extreme_series() {
        // 80,000 series whose amounts span twelve orders of magnitude, with inflows up to
        // 10^4 times the outflows or down to 10^-4 of them (rates from about -100% to
        // several thousand percent), gaps and several sign changes. Where `irr` has no
        // answer the lanes must have none either. (Largest difference seen: 4.5e-13.)
        let mut unit = crate::rng::test_uniforms(99);
        for _ in 0..20_000 {
            let mut series = [[0.0f64; 11]; 4];
            for column in series.iter_mut() {
                let scale = 10f64.powf(unit() * 12.0 - 6.0);
                for (t, flow) in column.iter_mut().enumerate() {
                    let u = unit();
                    *flow = if t == 0 {
                        -scale * (1.0 + u)
                    } else if u < 0.3 {
                        0.0
                    } else if u < 0.5 {
                        -scale * unit()
                    } else {
                        scale * 10f64.powf(unit() * 8.0 - 4.0)
                    };
                }
            }
            assert_lanes_agree_with_irr(&series);
        }
    }

    #[test]
    fn lanes_give_the_irr_of_each_series() {
        // Series of every kind the rule distinguishes: one sign change (positive and
        // negative rates), several changes solved by running sums or by isolation, leading
        // and trailing zeros, no sign change, no flows at all, and a switched-off lane.
        let series: [&[f64]; 8] = [
            &[-100.0, 10.0, 10.0, 120.0, 0.0, 0.0],
            &[0.0, -50.0, 20.0, 20.0, 5.0, 0.0],
            &[-82.0, -2.0, -2.0, 30.0, -1.5, 60.0],
            &[-100.0, 230.0, -132.0, 0.0, 0.0, 0.0],
            &[-10.0, 2.0, 2.0, -1.0, 3.0, 1.0],
            &[5.0, 5.0, 5.0, 0.0, 0.0, 0.0],
            &[0.0; 6],
            &[-100.0, 150.0, 0.0, 0.0, 0.0, 0.0],
        ];
        let mut flows = vec![[0.0f64; 8]; 6];
        for (l, v) in series.iter().enumerate() {
            for (t, x) in v.iter().enumerate() {
                flows[t][l] = *x;
            }
        }
        let on = [true, true, true, true, true, true, true, false];
        let got = yearly_irr_lanes(&flows, on);
        for l in 0..8 {
            let want = if on[l] {
                crate::money::irr(series[l]).unwrap_or(f64::NAN)
            } else {
                f64::NAN
            };
            assert!(
                (got[l] - want).abs() <= 1e-12 * (1.0 + want.abs())
                    || (got[l].is_nan() && want.is_nan()),
                "series {l}: {} vs {want}",
                got[l]
            );
        }
        // The first series: -100 + 10/(1+r) + 10/(1+r)^2 + 120/(1+r)^3 = 0 at
        // r = 0.12936990 (scipy.optimize.brentq on that NPV, outside this project).
        assert!((got[0] - 0.129_369_90).abs() < 1e-8);
    }
}
