"""The correlation-ventures fund Monte Carlo written as a vectorised NumPy program: the peer
that `venturelab fund simulate --preset correlation-ventures` is measured against.

Same model as presets/correlation-ventures.toml and docs/models/fund.md: $100M fund, 2% fee
on commitments in years 0-9, $80M in 30 equal checks at year 0, bucket mixture outcomes
(uniform pieces and a Pareto(50, 2.5) tail), exit 3-10 years after investment, European
waterfall returning whole commitments first with an 8% hurdle compounded from each call,
100% catch-up and 20% carry; per fund: gross multiple, net TVPI, net IRR (vectorised
Newton), top company and top decile shares, fund returners, carry, DPI by year; then the
same summary across funds as `venturelab fund simulate --json` (mean, sd and five
percentiles of each measure, DPI quartiles by year, odds of net TVPI multiples).

Usage: python3 fund_numpy.py [FUNDS] [BATCH]; prints one JSON line.
"""
import json
import sys
import time

import numpy as np

FUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
BATCH = int(sys.argv[2]) if len(sys.argv) > 2 else 50_000
N, YEARS, SIZE, FEE, INVEST = 30, 11, 100e6, 2e6, 80e6
CHECK = INVEST / N
SHARES = np.array([0.65, 0.25, 0.06, 0.025, 0.01, 0.005])
LOW = np.array([0, 1, 5, 10, 20, 0.0])
HIGH = np.array([1, 5, 10, 20, 50, 0.0])
CUM = np.cumsum(SHARES)
CUM[-1] = np.inf
CALLS = np.full(YEARS, 0.0)
CALLS[:10] = FEE
CALLS[0] += INVEST
COMMITTED = CALLS.sum()
H, K, U = 0.08, 0.20, 1.0
TOP = 3  # the top decile of 30 companies


def simulate(rng, b):
    u = rng.random((b, N, 3))
    bucket = np.searchsorted(CUM, u[:, :, 0], side="right")
    mult = LOW[bucket] + u[:, :, 1] * (HIGH[bucket] - LOW[bucket])
    tail = bucket == 5
    mult[tail] = 50.0 * (1.0 - u[:, :, 1][tail]) ** (-1.0 / 2.5)
    exit_year = 3 + np.minimum((u[:, :, 2] * 8).astype(np.int64), 7)
    value = CHECK * mult
    flat = (np.arange(b)[:, None] * YEARS + exit_year).ravel()
    proceeds = np.bincount(flat, weights=value.ravel(), minlength=b * YEARS).reshape(b, YEARS)

    # European waterfall, whole commitments returned first, vectorised across funds.
    uncalled = np.full(b, COMMITTED)
    unreturned = np.full(b, COMMITTED)
    hurdle = np.zeros(b)
    profit = np.zeros(b)
    carry = np.zeros(b)
    lp = np.zeros((b, YEARS))
    for t in range(YEARS):
        if t > 0:
            hurdle *= 1.0 + H
        c = CALLS[t]
        take = np.minimum(c, uncalled)
        uncalled -= take
        unreturned += c - take
        hurdle += c
        rest = proceeds[:, t].copy()
        roc = np.minimum(rest, unreturned)
        unreturned -= roc
        hurdle -= roc
        rest -= roc
        pref = np.minimum(rest, np.maximum(hurdle + uncalled, 0.0))
        hurdle -= pref
        rest -= pref
        profit += pref
        needed = np.maximum((K * profit - carry) / (U - K), 0.0)
        x = np.minimum(rest, needed)
        carry += U * x
        profit += x
        hurdle -= (1 - U) * x
        rest -= x
        carry += K * rest
        profit += rest
        hurdle -= (1 - K) * rest
        lp[:, t] = roc + pref + (1 - U) * x + (1 - K) * rest

    net = lp - CALLS
    # Vectorised Newton for the IRR on s = ln(1 + r); funds with no distributions: -100%.
    t = np.arange(YEARS)
    s = np.full(b, np.log(1.1))
    # Stops as soon as every fund's step is below 1e-12 (about 12 iterations per batch of
    # 50,000 funds here; at most 60).
    for _ in range(60):
        d = np.exp(-np.outer(s, t))
        f = (net * d).sum(axis=1)
        fp = -(net * d * t).sum(axis=1)
        step = np.where(fp != 0, f / fp, 0.0)
        s = np.clip(s - step, -20, 20)
        if np.abs(step).max() < 1e-12:
            break
    irr = np.where(lp.sum(axis=1) > 0, np.expm1(s), -1.0)

    total = value.sum(axis=1)
    safe = np.where(total > 0, total, 1)
    top3 = np.partition(value, N - TOP, axis=1)[:, N - TOP :].sum(axis=1)
    return {
        "gross": total / INVEST,
        "tvpi": lp.sum(axis=1) / COMMITTED,
        "irr": irr,
        "top": np.where(total > 0, value.max(axis=1) / safe, 0.0),
        "top_decile": np.where(total > 0, top3 / safe, 0.0),
        "returners": (value >= SIZE).sum(axis=1),
        "carry": carry,
        "dpi": np.cumsum(lp, axis=1) / np.cumsum(CALLS),
    }


rng = np.random.default_rng(1)
t0 = time.perf_counter()
parts = [simulate(rng, min(BATCH, FUNDS - i)) for i in range(0, FUNDS, BATCH)]
res = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
# The summary `venturelab fund simulate --json` reports: mean, sd and the 5/25/50/75/95th
# percentiles of each per-fund measure, P(net TVPI >= 1, 2, 3, 5), DPI quartiles by year,
# mean fees and carry.
stats = {
    name: {
        "mean": float(res[name].mean()),
        "sd": float(res[name].std(ddof=1)),
        "q": [float(x) for x in np.percentile(res[name], [5, 25, 50, 75, 95])],
    }
    for name in ["gross", "tvpi", "irr", "top", "top_decile", "returners"]
}
dpi_q = np.percentile(res["dpi"], [25, 50, 75], axis=0)
summary = {
    "gross_mean": stats["gross"]["mean"],
    "tvpi_p50": stats["tvpi"]["q"][2],
    "irr_p50": stats["irr"]["q"][2],
    "prob_tvpi": [float((res["tvpi"] >= x).mean()) for x in (1, 2, 3, 5)],
    "prob_tvpi_3": float((res["tvpi"] >= 3).mean()),
    "dpi_p50": [float(x) for x in dpi_q[1]],
    "carry_mean": float(res["carry"].mean()),
    "fees_mean": float(CALLS.sum() - INVEST),
}
elapsed = time.perf_counter() - t0
print(json.dumps({"name": "numpy_fund", "funds": FUNDS, "seconds": elapsed, "numpy": np.__version__, **summary}))
