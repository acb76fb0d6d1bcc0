"""Compares `venturelab company simulate --json` with benches/peers/company_numpy.py, seed
by seed (the two use different random numbers, so they agree only within Monte Carlo
error). Shares: the difference must be within 4 standard errors of a difference of two
binomial shares, sqrt(p(1-p)(1/n1 + 1/n2)). Median MRR by month (over the operating runs
of each side's 5,000-run sample): the difference of the log medians within 4 standard
errors, each side's 1.2533 x sd / sqrt(n) with the log sd from the IQR (IQR / 1.349).
Exits 1 when a measure disagrees.

Usage: python3 compare_company.py DIR SEED... (DIR holds vl_SEED.json and np_SEED.json)
"""
import json
import math
import sys

Z = 4.0


def share_ok(a, b, n1, n2):
    p = 0.5 * (a + b)
    se = math.sqrt(max(p * (1 - p), 1e-12) * (1 / n1 + 1 / n2))
    return abs(a - b) <= Z * se + 1e-12, se


def main():
    d, seeds = sys.argv[1], sys.argv[2:]
    bad = 0
    for seed in seeds:
        vl = json.load(open(f"{d}/vl_{seed}.json"))
        np_ = json.load(open(f"{d}/np_{seed}.json"))
        n1, n2 = vl["runs"], np_["runs"]
        rows = [
            ("stage scale reached", vl["stage_reached"]["scale"], np_["stage_scale"]),
            ("Series A within 24 months", vl["raised_series_a_within_24_months"], np_["a_within_24"]),
            ("Series A ever", vl["raised_series_a"], np_["a_ever"]),
            ("acquired", vl["acquired"], np_["acquired"]),
            ("default alive at 24", vl["default_alive_share"], np_["default_alive_24"]),
        ]
        rows += [(f"shut down by {m}", vl["dead_by_month"][m], np_["dead_by"][m]) for m in ("24", "48", "72")]
        print(f"seed {seed}: measure, venturelab, NumPy, |difference| / standard error")
        for name, a, b in rows:
            ok, se = share_ok(a, b, n1, n2)
            bad += not ok
            print(f"  {name:28s} {a:.4f} {b:.4f} {abs(a - b) / se:5.2f}{'' if ok else '  DISAGREE'}")
        worst = 0.0
        for p in vl["survival"]:
            ok, se = share_ok(p["alive"], np_["survival"][p["month"]], n1, n2)
            worst = max(worst, abs(p["alive"] - np_["survival"][p["month"]]) / se)
            if not ok:
                bad += 1
                print(f"  survival month {p['month']}: {p['alive']:.4f} vs {np_['survival'][p['month']]:.4f}  DISAGREE")
        print(f"  survival, months 0-{vl['months']}: largest |difference| / se {worst:.2f}")
        worst = 0.0
        for band, b in zip(vl["metrics"]["by_month"], np_["median_mrr"]):
            q = band["mrr"]
            if q is None or b is None or band["operating"] < 100 or min(q["p25"], b) <= 0:
                continue
            sd = (math.log(q["p75"]) - math.log(q["p25"])) / 1.349
            n = band["operating"]
            se = 1.2533 * sd * math.sqrt(2.0 / n)  # both sides, about the same count
            z = abs(math.log(q["p50"]) - math.log(b)) / se
            worst = max(worst, z)
            if z > Z:
                bad += 1
                print(f"  median MRR month {band['month']}: {q['p50']:.0f} vs {b:.0f}  DISAGREE")
        print(f"  median MRR by month: largest |difference| / se {worst:.2f}")
        for key, ours in (("default_alive_month_p50", vl["default_alive_month"]["p50"]),
                          ("founder_ownership_p50", vl["founder_ownership"]["p50"])):
            print(f"  {key:28s} {ours:.4f} {np_[key]:.4f} (not tested)")
    print("agreement: all measures within Monte Carlo error" if bad == 0 else f"DISAGREEMENT on {bad} measures")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
