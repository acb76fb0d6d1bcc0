"""The Python package's overhead, measured side by side in one process (issue 19):

1. `vl.irr` over 10,000 series of 20 flows against the same Rust kernel's loop timed inside
   Rust (no conversion), and against pyxirr's `irr` called per series (pyxirr's `irr` takes
   one series; it has no 2-D form).
2. `vl.fund.simulate` against the `venturelab fund simulate` binary on the same scenario
   and seed (the CLI also prints JSON; both build the same report).
3. A 40-point market sweep on a local Ray cluster with 2 workers against 1 worker.

Usage: python benches/peers/python_overhead.py [path/to/venturelab]   (best of 5 each)
"""

import json
import os
import subprocess
import sys
import time

import numpy as np

import venturelab as vl
from venturelab import _venturelab as _rs


def best(f, n=5):
    ts = []
    for _ in range(n):
        t = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t)
    return min(ts)


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "target/release/venturelab"
    rng = np.random.default_rng(2026)
    flows = rng.normal(8.0, 4.0, size=(10_000, 20))
    flows[:, 0] = -100.0
    t_py = best(lambda: vl.irr(flows))
    t_rust = min(_rs._irr_rows_timed(flows) for _ in range(5))
    out = {"irr_10k": {"vl_irr_s": t_py, "rust_loop_s": t_rust, "ratio_vs_rust": t_py / t_rust}}
    try:
        import pyxirr

        rows = [r for r in flows]
        t_px = best(lambda: [pyxirr.irr(r) for r in rows])
        out["irr_10k"]["pyxirr_per_series_s"] = t_px
        out["irr_10k"]["pyxirr_over_vl"] = t_px / t_py
    except ImportError:
        pass

    funds = 1_000_000
    t_vl = best(lambda: vl.fund.simulate(preset="carta-funnel", funds=funds, seed=1), 3)
    cmd = [binary, "fund", "simulate", "--preset", "carta-funnel", "--funds", str(funds), "--seed", "1", "--json"]
    t_cli = best(lambda: subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True), 3)
    out["fund_1m"] = {"vl_s": t_vl, "cli_s": t_cli, "ratio": t_vl / t_cli}

    try:
        import ray
    except ImportError:
        ray = None
    if ray is not None:
        grid = {"market.startups_per_quarter": [int(x) for x in np.linspace(1000, 2950, 40)]}
        times = {}
        for workers in (1, 2):
            ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
            vl.experiments.sweep("market", grid=grid, outputs=["mean_hhi.mean"], runs=1, seed=1, backend="ray")  # warm
            times[workers] = best(lambda: vl.experiments.sweep("market", grid=grid, outputs=["mean_hhi.mean"], runs=1, seed=1, backend="ray"), 3)
            ray.shutdown()
        out["market_sweep_40"] = {"one_worker_s": times[1], "two_workers_s": times[2], "speedup": times[1] / times[2]}
        # One run of 10 million funds split by fund index across Ray tasks and merged,
        # against the CLI's one-process run (same seed: the same summary, checked here).
        big = 10_000_000
        cmd = [binary, "fund", "simulate", "--preset", "correlation-ventures", "--funds", str(big), "--seed", "1", "--json"]
        want = json.loads(subprocess.run(cmd, capture_output=True, check=True).stdout)
        t_cli = best(lambda: subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True), 3)
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
        split = {"cli_s": t_cli}
        for workers in (1, 2, 4):
            # Each task on one thread, so that the workers are the parallelism.
            run = lambda: vl.fund.simulate(preset="correlation-ventures", funds=big, seed=1, threads=1, backend="ray", workers=workers)
            assert run() == want, workers
            split[f"ray_{workers}_workers_s"] = best(run, 3)
        toml = _rs._fund_portable(preset="correlation-ventures")
        n = _rs._fund_split_chunks(big)
        split["part_bytes_per_fund"] = sum(len(_rs._fund_part(toml, big, 1, lo, hi, None)) for lo, hi in [(0, n // 2), (n // 2, n)]) / big
        ray.shutdown()
        out["fund_10m_split"] = split
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
