#!/usr/bin/env bash
# Side by side: the correlation-ventures fund Monte Carlo in venturelab and as a vectorised
# NumPy program (benches/peers/fund_numpy.py), 1,000,000 funds each, in one run; plus the
# bound set by random-number generation alone (crates/venturelab/examples/fund_bench.rs).
# Usage: benches/peers/run_fund.sh [FUNDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
FUNDS=${1:-1000000}
python3 -c "import numpy" 2>/dev/null || pip install -q numpy
cargo build --release -q -p venturelab-cli -p venturelab --example fund_bench
bin=target/release/venturelab
# venturelab: the CLI end to end (simulate + summary + JSON), median of 5, 1 and 2 threads.
time_cli() {
  local threads=$1 best=() t0 t1
  for _ in 1 2 3 4 5; do
    t0=$(date +%s.%N)
    "$bin" fund simulate --preset correlation-ventures --funds "$FUNDS" --threads "$threads" --json >/tmp/vl_fund.json
    t1=$(date +%s.%N)
    best+=("$(echo "$t1 - $t0" | bc -l)")
  done
  printf '%s\n' "${best[@]}" | sort -g | sed -n 3p
}
vl1=$(time_cli 1)
vl2=$(time_cli 2)
np=$(python3 benches/peers/fund_numpy.py "$FUNDS")
bound=$(target/release/examples/fund_bench "$FUNDS" correlation-ventures)
python3 - "$vl1" "$vl2" "$np" "$bound" "$FUNDS" <<'PY'
import json, sys
vl1, vl2 = float(sys.argv[1]), float(sys.argv[2])
np_ = json.loads(sys.argv[3])
bounds = [json.loads(l) for l in sys.argv[4].splitlines()]
funds = int(sys.argv[5])
ours = json.load(open("/tmp/vl_fund.json"))
print(f"| measurement ({funds:,} funds) | seconds | funds per second | vs NumPy |")
print("|---|---|---|---|")
print(f"| NumPy, vectorised (1 core) | {np_['seconds']:.2f} | {funds/np_['seconds']:,.0f} | 1 |")
print(f"| venturelab fund simulate, 1 thread | {vl1:.2f} | {funds/vl1:,.0f} | {np_['seconds']/vl1:.1f}x |")
print(f"| venturelab fund simulate, 2 threads | {vl2:.2f} | {funds/vl2:,.0f} | {np_['seconds']/vl2:.1f}x |")
print()
print("| threads | RNG alone (s) | simulate (s) | simulate / RNG | simulate + summary (s) |")
print("|---|---|---|---|---|")
for b in bounds:
    print(f"| {b['threads']} | {b['rng_only_s']:.3f} | {b['simulate_s']:.3f} | {b['simulate_s']/b['rng_only_s']:.1f}x | {b['simulate_and_summarize_s']:.3f} |")
print()
print("agreement (venturelab vs NumPy, different random numbers):")
print(f"  mean gross multiple {ours['gross_multiple']['mean']:.4f} vs {np_['gross_mean']:.4f}")
print(f"  median net TVPI     {ours['net_tvpi']['p50']:.4f} vs {np_['tvpi_p50']:.4f}")
print(f"  median net IRR      {ours['net_irr']['p50']:.4f} vs {np_['irr_p50']:.4f}")
print(f"  P(net TVPI >= 3x)   {ours['prob_net_tvpi_at_least']['3']:.4f} vs {np_['prob_tvpi_3']:.4f}")
print("numpy", np_["numpy"])
PY
