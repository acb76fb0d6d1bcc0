#!/usr/bin/env bash
# The company simulator's speed bar: 100,000 runs of 120 months of the saas-seed preset,
# end to end through the CLI (simulate + summary + JSON), median of 3, on 1 and 2 threads,
# with the peak memory of the last run. The side-by-side comparison with the NumPy peer
# is benches/peers/run_company.sh.
# Usage: benches/run_company.sh [RUNS] [MONTHS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-100000}
MONTHS=${2:-120}
cargo build --release -q -p venturelab-cli
bin=target/release/venturelab
time_cli() {
  local threads=$1 best=() t0 t1
  for _ in 1 2 3; do
    t0=$(date +%s.%N)
    "$bin" company simulate --preset saas-seed --runs "$RUNS" --months "$MONTHS" --threads "$threads" --json >/tmp/vl_company.json
    t1=$(date +%s.%N)
    best+=("$(echo "$t1 - $t0" | bc -l)")
  done
  printf '%s\n' "${best[@]}" | sort -g | sed -n 2p
}
t1=$(time_cli 1)
t2=$(time_cli 2)
rss=$( { /usr/bin/time -f "%M" "$bin" company simulate --preset saas-seed --runs "$RUNS" --months "$MONTHS" --json >/dev/null; } 2>&1 | tail -1)
printf 'company simulate saas-seed: %s runs x %s months\n' "$RUNS" "$MONTHS"
printf '  1 thread : %.2f s\n  2 threads: %.2f s (%.2fx)\n  peak RSS : %.0f MB\n' "$t1" "$t2" "$(echo "$t1 / $t2" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
