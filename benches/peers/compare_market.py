"""Compares venturelab's `market simulate --json` with market_numpy.py's output, measure by
measure: the difference of the means against the across-run spread (sd, the larger of the
two sides) and against the standard error of the difference (z). venturelab's sd is
recovered from its 95% interval (half-width = 1.96 sd / sqrt(runs)).

Usage: python3 compare_market.py DIR SEED:RUNS ...   (files DIR/vl_SEED_RUNS.json and
DIR/np_SEED_RUNS.json). Exit status 1 when a measure differs by more than its spread.
"""
import json
import math
import sys

d = sys.argv[1]
cases = sys.argv[2:]
SECTORS = None
bad = 0
print("| seed | runs | measure | venturelab | NumPy | difference / spread (sd) | z |")
print("|---|---|---|---|---|---|---|")
for case in cases:
    seed, runs = case.split(":")
    vl = json.load(open(f"{d}/vl_{seed}_{runs}.json"))
    np_ = json.load(open(f"{d}/np_{seed}_{runs}.json"))
    n = int(runs)
    rows = []

    def vl_ms(iv):
        sd = (iv["high"] - iv["low"]) / 2 / 1.96 * math.sqrt(n)
        return iv["mean"], sd

    rows.append(("mean HHI", vl_ms(vl["mean_hhi"]), np_["mean_hhi"]))
    rows.append(("value realised / available", vl_ms(vl["realised_share"]), np_["realised_share"]))
    rows.append(("missing middle (count)", vl_ms(vl["missing_middle"]["count"]), np_["missing_middle"]))
    rows.append(("fund net multiple", vl_ms(vl["fund_net_multiple"]), np_["fund_net_multiple"]))
    for j, s in enumerate(vl["sectors"]):
        rows.append(
            (
                f"capital share {s}",
                vl_ms(vl["capital_share_overall"][s]),
                dict(mean=np_["capital_share"]["mean"][j], sd=np_["capital_share"]["sd"][j]),
            )
        )
    for name, (vm, vs), npd in rows:
        nm, nsd = npd["mean"], npd["sd"]
        spread = max(vs, nsd)
        ratio = abs(vm - nm) / spread if spread > 0 else float("inf")
        se = math.sqrt((vs * vs + nsd * nsd) / n)
        z = (vm - nm) / se if se > 0 else float("inf")
        flag = "" if ratio <= 1 else " **outside**"
        bad += ratio > 1
        print(f"| {seed} | {runs} | {name} | {vm:.4g} | {nm:.4g} | {ratio:.2f}{flag} | {z:+.1f} |")
print()
print("all within the across-run spread" if not bad else f"{bad} measures outside the across-run spread")
sys.exit(1 if bad else 0)
