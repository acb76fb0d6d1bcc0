"""The peer for `venturelab fit --bootstrap`: the `powerlaw` package (PyPI, Alstott et al.)
with the Clauset-Shalizi-Newman semi-parametric bootstrap written around it.

For each data set: one Fit (xmin scan, alpha by MLE; discrete data with
estimate_discrete=False, i.e. the exact discrete MLE rather than the package's default
approximation), then REPLICATES synthetic data sets (each of n points: with probability
n_tail/n a draw from the fitted power law, else a value resampled from below xmin), each
refitted from scratch, and the share of synthetic KS distances at least the observed one.
Prints one JSON line per data set with the fit and the seconds per replicate.

Usage: python3 fit_powerlaw.py DATA_DIR [REPLICATES_WORDS] [REPLICATES_CITIES]
"""
import json
import sys
import time
import warnings

import numpy as np
import powerlaw

warnings.filterwarnings("ignore")
data_dir = sys.argv[1]
reps = {"words": int(sys.argv[2]) if len(sys.argv) > 2 else 20, "cities": int(sys.argv[3]) if len(sys.argv) > 3 else 5}


def fit(data, discrete):
    if discrete:
        return powerlaw.Fit(data, discrete=True, estimate_discrete=False, verbose=False)
    return powerlaw.Fit(data, discrete=False, verbose=False)


rng = np.random.default_rng(1)
for name, discrete in [("words", True), ("cities", False)]:
    data = np.loadtxt(f"{data_dir}/{name}.txt")
    t0 = time.perf_counter()
    f = fit(data, discrete)
    t_fit = time.perf_counter() - t0
    xmin, alpha, d_obs = f.xmin, f.power_law.alpha, f.power_law.D
    body = data[data < xmin]
    n = len(data)
    n_tail = int((data >= xmin).sum())
    t1 = time.perf_counter()
    ds = []
    for _ in range(reps[name]):
        k = rng.binomial(n, n_tail / n)
        tail = powerlaw.Power_Law(xmin=xmin, parameters=[alpha], discrete=discrete).generate_random(k)
        synthetic = np.concatenate([rng.choice(body, n - k, replace=True) if len(body) else np.array([]), tail])
        ds.append(fit(synthetic, discrete).power_law.D)
    per_rep = (time.perf_counter() - t1) / reps[name]
    print(json.dumps({
        "name": name, "xmin": float(xmin), "alpha": float(alpha), "n_tail": n_tail, "D": float(d_obs),
        "fit_seconds": t_fit, "replicates": reps[name], "seconds_per_replicate": per_rep,
        "p_value_partial": float(np.mean(np.array(ds) >= d_obs)), "powerlaw": powerlaw.__version__,
    }))
