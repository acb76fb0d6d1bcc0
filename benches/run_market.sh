#!/usr/bin/env bash
# The market model's speed bar: the default preset (2,000 startups a quarter, 5 sectors,
# ~600 funds, 80 quarters) run 100 times, end to end through the CLI, median of 3, on 1 and
# 2 threads, with the peak memory of the last run. No peer program: the issue sets an
# absolute bar ("well under a minute on 2 cores").
# Usage: benches/run_market.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-100}
cargo build --release -q -p venturelab-cli
bin=target/release/venturelab
time_cli() {
  local threads=$1 best=() t0 t1
  for _ in 1 2 3; do
    t0=$(date +%s.%N)
    "$bin" market simulate --runs "$RUNS" --threads "$threads" --json >/tmp/vl_market.json
    t1=$(date +%s.%N)
    best+=("$(echo "$t1 - $t0" | bc -l)")
  done
  printf '%s\n' "${best[@]}" | sort -g | sed -n 2p
}
t1=$(time_cli 1)
t2=$(time_cli 2)
rss=$( { /usr/bin/time -f "%M" "$bin" market simulate --runs "$RUNS" --json >/dev/null; } 2>&1 | tail -1)
printf 'market simulate (default preset): %s runs x 80 quarters\n' "$RUNS"
printf '  1 thread : %.2f s\n  2 threads: %.2f s (%.2fx)\n  peak RSS : %.0f MB\n' "$t1" "$t2" "$(echo "$t1 / $t2" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
