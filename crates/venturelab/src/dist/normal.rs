//! The standard normal quantile function (lognormal sampling by inverse CDF, every normal
//! draw of the company and market models) and the complementary error function.
//!
//! Both come from well-kept libraries rather than hand-written approximations: Φ⁻¹ from
//! statrs' `erfc_inv` (Boost's rational approximations in √(-ln q)), erfc from `libm` (a
//! port of musl's). Their accuracy is checked against 50-digit mpmath values in the tests
//! below, in the regions where approximations are weakest (the switch between central and
//! tail formulas, the far tails, p within 1e-12 of 1, the subnormal range).

/// Φ⁻¹(p), the standard normal quantile, for 0 ≤ p ≤ 1: -√2 · erfc⁻¹(2p).
///
/// 2p is exact, and for p > ½ statrs works on 2 - 2p (exact too), so the upper tail is as
/// accurate as the lower: within 4 ulp of the exact quantile of the given double p over
/// the whole range (the tests' bound; typically 1 ulp). Returns -∞ at p = 0, +∞ at
/// p = 1, NaN outside [0, 1] or for NaN.
pub fn inverse_cdf(p: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    -std::f64::consts::SQRT_2 * statrs::function::erf::erfc_inv(2.0 * p)
}

/// The complementary error function erfc(x) = 1 - erf(x), accurate in relative terms
/// through the whole tail (until it underflows near x = 27.2); `libm::erfc`.
pub fn erfc(x: f64) -> f64 {
    libm::erfc(x)
}

/// Below this, erfc(x) is a normal (not subnormal) double and its logarithm is taken
/// directly; erfc(26) ≈ 5.7e-296.
const LN_ERFC_DIRECT_BELOW: f64 = 26.0;

/// ln erfc(x), accurate where erfc(x) itself is subnormal or 0 (x above about 26.5):
/// ln of [`erfc`] below x = 26, and above it the asymptotic expansion (Abramowitz & Stegun
/// 7.1.23) ln erfc(x) = -x² - ln(x√π) + ln(1 + Σ_{k≥1} (-1)^k (2k-1)!! / (2x²)^k), whose
/// terms at x ≥ 26 fall below 1e-17 of the sum within 8 terms.
pub fn ln_erfc(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x < LN_ERFC_DIRECT_BELOW {
        return erfc(x).ln();
    }
    if x > 1e150 {
        return -x * x; // -inf beyond 1.3e154; the other terms are negligible
    }
    let y = 1.0 / (2.0 * x * x);
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..30 {
        term *= -((2 * k - 1) as f64) * y;
        sum += term;
        if term.abs() < 1e-17 {
            break;
        }
    }
    -x * x - (x * std::f64::consts::PI.sqrt()).ln() + sum.ln()
}

// The reference values keep the 20 digits mpmath printed.
#[allow(clippy::excessive_precision)]
#[cfg(test)]
mod tests {
    use super::*;

    /// Distance in units in the last place between two finite doubles of one sign.
    fn ulps(a: f64, b: f64) -> u64 {
        assert!(a.is_finite() && b.is_finite() && (a == b || a.signum() == b.signum()));
        (a.abs().to_bits() as i64 - b.abs().to_bits() as i64).unsigned_abs()
    }

    #[test]
    fn inverse_cdf_against_mpmath() {
        // Each reference is the exact quantile of the double p, to 20 digits:
        //   python3 -c "import mpmath as m; m.mp.dps = 50; p = m.mpf(P); \
        //     print(m.nstr(-m.sqrt(2)*m.erfinv(1 - 2*p) if p < 0.5 else \
        //     m.sqrt(2)*m.erfinv(2*p - 1), 20))"
        // with P the double's exact value (mpmath.mpf of a Python float is exact); for p
        // near 1 the form sqrt(2)*erfcinv(2*(1-p)) with 1-p exact. Regions: the centre and
        // values near ½ (where a Newton step on Φ(x) - p loses relative accuracy), both
        // sides of Acklam's switch at 0.02425 / 0.97575 (the old code's worst region), the
        // tails at 1 - 1e-12 and 1 - 2^-53, 1e-10, 1e-300 and the smallest subnormal.
        let cases: [(f64, f64); 38] = [
            (0.5000000000001, 2.5074076986292619969e-13),
            (0.5000000000000002, 5.5658328493435338445e-16),
            (0.49999999999999994, -1.3914582123358834611e-16),
            (0.4999999, -2.5066282747031065135e-7),
            (0.3, -0.52440051270804081597),
            (0.25, -0.6744897501960817432),
            (0.24999999999999997, -0.67448975019608183055),
            (0.125, -1.1503493803760081783),
            (0.12499999999999999, -1.1503493803760082457),
            (0.1, -1.2815515655446004353),
            (0.02425, -1.9729610513118848376),
            (0.024249999999999997, -1.9729610513118848985),
            (0.0243, -1.9720841590292884753),
            (0.975, 1.9599639845400538556),
            (0.97575, 1.9729610513118849594),
            (0.9757500000000001, 1.9729610513118869082),
            (0.9757499999999999, 1.9729610513118830106),
            (0.97576, 1.9731366119445435405),
            (0.98, 2.0537489106318226861),
            (0.99, 2.3263478740408407676),
            (0.999, 3.0902323061678132778),
            (0.9999999, 5.1993375822906610937),
            (0.99999999999, 6.7060231434147472662),
            (0.999999999999, 7.0344869100478352057),
            (0.9999999999999999, 8.2095361516013868556),
            (1e-10, -6.3613409024040561991),
            (6.170490198163488e-05, -3.8392518221327980418),
            (6.17049021050447e-05, -3.8392518216417111082),
            (1.1597614139620235e-16, -8.2042927453838303215),
            (1.1597614162815464e-16, -8.2042927451435266076),
            (9.71757424052889e-142, -25.319600155492057446),
            (9.71757425996404e-142, -25.319600155413189894),
            (0.9999382950979566, 3.8392518218870937831),
            (1e-20, -9.2623400897984075796),
            (1e-100, -21.273453560965324294),
            (1e-300, -37.047096299361199237),
            (2.2250738585072014e-308, -37.519379347144499821),
            (5e-324, -38.467405617144346251),
        ];
        for (p, x) in cases {
            let got = inverse_cdf(p);
            assert!(ulps(got, x) <= 4, "Φ⁻¹({p:e}) = {got:e}, mpmath {x:e}");
        }
        assert_eq!(inverse_cdf(0.5), 0.0);
        assert_eq!(inverse_cdf(0.0), f64::NEG_INFINITY);
        assert_eq!(inverse_cdf(1.0), f64::INFINITY);
        assert!(inverse_cdf(1.5).is_nan() && inverse_cdf(-0.0 - 1e-300).is_nan());
        assert!(inverse_cdf(f64::NAN).is_nan());
    }

    #[test]
    fn inverse_cdf_is_symmetric_and_monotone() {
        // Φ⁻¹(1 - p) = -Φ⁻¹(p) where 1 - p is exact (p a multiple of 2^-53), and the
        // quantile never decreases along a fine grid through the switch points.
        for k in 1..2000u64 {
            let p = (k * 1_000_003 % (1 << 52)) as f64 * 2f64.powi(-53);
            if p > 0.0 {
                assert_eq!(inverse_cdf(1.0 - p), -inverse_cdf(p), "p = {p}");
            }
        }
        let mut last = f64::NEG_INFINITY;
        for k in 0..=100_000 {
            let p = 0.97 + 0.01 * k as f64 / 100_000.0;
            let x = inverse_cdf(p);
            assert!(x >= last, "Φ⁻¹ decreases at {p}");
            last = x;
        }
    }

    #[test]
    fn erfc_against_mpmath() {
        // python3 -c "import mpmath as m; m.mp.dps = 50; print(m.nstr(m.erfc(X), 20))"
        let cases: [(f64, f64); 23] = [
            (-5.0, 1.9999999999984625402),
            (-3.0, 1.9999779095030014146),
            (-1.0, 1.8427007929497148693),
            (-0.5, 1.5204998778130465377),
            (-1e-10, 1.0000000001128379167),
            (0.0, 1.0),
            (1e-300, 1.0),
            (0.1, 0.8875370839817151016),
            (0.49, 0.48833173881147690867),
            (0.5, 0.47950012218695346232),
            (0.84375, 0.23277433876765836654),
            (0.9, 0.20309178757716786034),
            (1.25, 0.077099871743541769863),
            (2.0, 0.0046777349810472658379),
            (2.857142857142857, 0.000053312311388322794271),
            (3.0, 0.000022090496998585441373),
            (4.0, 1.5417257900280018852e-8),
            (6.0, 2.1519736712498913117e-17),
            (10.0, 2.088487583762544757e-45),
            (15.0, 7.2129941724512066666e-100),
            (20.0, 5.3958656116079009289e-176),
            (26.0, 5.6631924088561428465e-296),
            (26.5, 2.2109076642637342759e-307),
        ];
        for (x, v) in cases {
            let got = erfc(x);
            assert!(ulps(got, v) <= 2, "erfc({x}) = {got:e}, mpmath {v:e}");
        }
    }

    #[test]
    fn ln_erfc_against_mpmath() {
        // python3 -c "import mpmath as m; m.mp.dps = 50; print(m.nstr(m.log(m.erfc(X)), 20))"
        // across the switch from ln erfc to the asymptotic series at 26 and far beyond,
        // where erfc itself underflows.
        let cases: [(f64, f64); 15] = [
            (-5.0, 0.69314718055917657952),
            (0.0, 0.0),
            (0.5, -0.73501112983708440303),
            (5.0, -27.200889545537434422),
            (25.9, -674.63735189531917897),
            (25.999999, -679.83114772479032407),
            (26.0, -679.83119976319423026),
            (26.000001, -679.83125180160013498),
            (27.0, -732.86888650789741098),
            (30.0, -903.97411711064387808),
            (100.0, -10005.177585122664333),
            (10000.0, -100000009.7827053199),
            (1000000.0, -1000000000014.3878755),
            (10000000000.0, -1.0000000000000000002e+20),
            (1e+100, -1.0000000000000000318e+200),
        ];
        for (x, v) in cases {
            let got = ln_erfc(x);
            assert!(
                (got - v).abs() <= 4.0 * f64::EPSILON * v.abs(),
                "ln erfc({x}) = {got:e}, mpmath {v:e}"
            );
        }
    }
}
