"""Times numpy-financial's irr and pyxirr's irr/xirr on benches/peers/money_inputs.json,
the same series the Rust benchmark solves. Prints one JSON line per measurement with the
median seconds for all 1000 series, and checks that the answers agree with each other."""
import datetime
import json
import os
import statistics
import sys
import time

import numpy as np
import numpy_financial as npf
import pyxirr

here = os.path.dirname(__file__)
data = json.load(open(os.path.join(here, "money_inputs.json")))
yearly = [np.array(s, dtype=float) for s in data["fund_yearly"]]
yearly_lists = data["fund_yearly"]
start = datetime.date(2015, 1, 1)
dated = [([start + datetime.timedelta(days=d) for d in s["days"]], s["amounts"]) for s in data["fund_dated"]]


def timeit(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def npf_all():
    return [npf.irr(s) for s in yearly]


def pyxirr_irr_all():
    return [pyxirr.irr(s, silent=True) for s in yearly_lists]


def pyxirr_xirr_all():
    return [pyxirr.xirr(d, v, silent=True) for d, v in dated]


repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 15
for name, fn in [("numpy_financial_irr", npf_all), ("pyxirr_irr", pyxirr_irr_all), ("pyxirr_xirr", pyxirr_xirr_all)]:
    fn()  # warm up
    print(json.dumps({"name": name, "seconds_per_1000": timeit(fn, repeats)}))

# Agreement: where both give a rate, they should agree (numpy-financial 1.0.0 may pick a
# different root on multi-root series; count those).
a, b = npf_all(), pyxirr_irr_all()
diff = sum(1 for x, y in zip(a, b) if x == x and y is not None and abs(x - y) > 1e-6)
print(json.dumps({"name": "agreement_npf_vs_pyxirr_irr_differ", "count": diff}))
print(json.dumps({"name": "versions", "numpy": np.__version__, "numpy_financial": npf.__version__, "pyxirr": pyxirr.__version__}))
