"""Writes benches/peers/money_inputs.json: the cash-flow series that both the Rust
benchmark and the Python peers time. Deterministic (seeded), so the file can be re-made.

- "fund_yearly": 1000 LP cash-flow series of a 10-year fund, 12 yearly net flows
  (calls in years 0-4, distributions from year 3, lognormal sizes): the realistic IRR input.
- "fund_dated": 1000 dated series, 40 quarterly flows with jittered dates (days since
  2015-01-01): the realistic XIRR input.
"""
import json
import os
import random

rng = random.Random(20260101)


def yearly():
    flows = []
    for year in range(12):
        call = rng.uniform(5, 25) if year <= 4 else 0.0
        dist = rng.lognormvariate(2.0, 1.0) if year >= 3 else 0.0
        flows.append(round(dist - call, 4))
    if not any(v > 0 for v in flows):
        flows[-1] = 50.0
    return flows


def dated():
    days, amounts = [], []
    for q in range(40):
        day = q * 91 + rng.randint(0, 20)
        call = rng.uniform(1, 6) if q < 16 else 0.0
        dist = rng.lognormvariate(0.5, 1.0) if q >= 10 else 0.0
        days.append(day)
        amounts.append(round(dist - call, 4))
    if not any(v > 0 for v in amounts):
        amounts[-1] = 50.0
    return {"days": days, "amounts": amounts}


data = {"fund_yearly": [yearly() for _ in range(1000)], "fund_dated": [dated() for _ in range(1000)]}
path = os.path.join(os.path.dirname(__file__), "money_inputs.json")
with open(path, "w") as f:
    json.dump(data, f)
print("wrote", path)
