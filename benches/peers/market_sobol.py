"""Which assumptions drive the market model's missing middle and its scapegoat effect?
Sobol indices by SALib through vl.experiments.sobol on a local Ray cluster (issue 19; the
numbers quoted in docs/models/market.md). Usage:
    python benches/peers/market_sobol.py [N] [RUNS]
N is SALib's base sample (N x (D + 2) points; the scapegoat study uses N / 2), RUNS the
market runs averaged at each point (the scapegoat effect is a few points of capital share,
so it needs several runs to rise above run-to-run noise).
"""

import json
import sys
import time

import ray

import venturelab as vl

PARAMS = {
    "strategies.intensity": (0.0, 4.0),
    "market.signal_noise": (1.0, 3.0),
    "heat.inflow_weight": (0.0, 1.0),
    "lp.return_sensitivity": (0.0, 1.0),
    "funds.fund_returner": (0.005, 0.05),
}


def scapegoat_effect(report):
    """Peak capital share of AI with the narrative shock minus without (rows 1 and 0)."""
    rows = report["rows"]
    return rows[1]["peak_capital_share"]["mean"] - rows[0]["peak_capital_share"]["mean"]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 64
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    out = {}
    t = time.time()
    out["missing_middle"] = vl.experiments.sobol(
        "market", PARAMS, "missing_middle.count.mean", n=n, runs=runs, seed=11, backend="ray"
    )
    out["missing_middle_seconds"] = time.time() - t
    t = time.time()
    out["scapegoat_effect"] = vl.experiments.sobol(
        "market.scapegoat", PARAMS, ("scapegoat_effect", scapegoat_effect), n=max(8, n // 2), runs=runs, seed=11, backend="ray"
    )
    out["scapegoat_seconds"] = time.time() - t
    ray.shutdown()
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
