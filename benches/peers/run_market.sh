#!/usr/bin/env bash
# Side by side: the default market (presets/market.toml, 80 quarters) in venturelab
# (`market simulate`, the CLI end to end: simulation + summary with bands by quarter + JSON)
# and as a NumPy program (benches/peers/market_numpy.py), on the same cores, in one run;
# then the two sides' outputs compared within the across-run spread (two seeds, 20 and 40
# runs).
# Timing: alternately venturelab on 2 threads and NumPy on 2 processes (multiprocessing over
# runs), 5 times each, the median of each (NumPy's own clock: simulation and summary, not
# interpreter start and the NumPy import; venturelab: the whole process), the CPU time of
# each whole process, and one round on one core each.
# Usage: benches/peers/run_market.sh [RUNS]   (SEEDS="1 2" for the comparison;
# PYTHON=/path/to/python with numpy, else python3; VL_BIN=path to time a built binary)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-20}
read -r -a SEEDS <<<"${SEEDS:-1 2}"
PY=${PYTHON:-python3}
"$PY" -c "import numpy" 2>/dev/null || "$PY" -m pip install -q numpy
[ -n "${VL_BIN:-}" ] || cargo build --release -q -p venturelab-cli
bin=${VL_BIN:-${CARGO_TARGET_DIR:-target}/release/venturelab}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
vl=() np=() vlc=() npc=()
for _ in 1 2 3 4 5; do
  t0=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$tmp/vl.cpu" "$bin" market simulate --runs "$RUNS" --threads 2 --json >"$tmp/vl.json"
  t1=$(date +%s.%N)
  vl+=("$(echo "$t1 - $t0" | bc -l)")
  vlc+=("$(awk '{print $1 + $2}' "$tmp/vl.cpu")")
  /usr/bin/time -f "%U %S" -o "$tmp/np.cpu" "$PY" benches/peers/market_numpy.py "$RUNS" 2 1 >"$tmp/np.json"
  np+=("$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["seconds"])' "$tmp/np.json")")
  npc+=("$(awk '{print $1 + $2}' "$tmp/np.cpu")")
done
med() { printf '%s\n' "$@" | sort -g | sed -n 3p; }
vl_s=$(med "${vl[@]}")
np_s=$(med "${np[@]}")
vl_c=$(med "${vlc[@]}")
np_c=$(med "${npc[@]}")
t1=$(
  t0=$(date +%s.%N)
  "$bin" market simulate --runs "$RUNS" --threads 1 --json >/dev/null
  echo "$(date +%s.%N) - $t0" | bc -l
)
np1=$("$PY" benches/peers/market_numpy.py "$RUNS" 1 1 | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["seconds"])')
printf '| measurement (%s runs x 80 quarters, default market) | seconds | vs NumPy on the same cores |\n' "$RUNS"
echo "|---|---|---|"
printf '| NumPy, 2 processes | %.3f | 1 |\n' "$np_s"
printf '| venturelab market simulate, 2 threads | %.3f | %.1fx |\n' "$vl_s" "$(echo "$np_s / $vl_s" | bc -l)"
printf '| CPU seconds (user + sys, whole process), NumPy 2 processes / venturelab 2 threads | %.3f / %.3f | %.1fx |\n' "$np_c" "$vl_c" "$(echo "$np_c / $vl_c" | bc -l)"
printf '| NumPy, 1 process | %.3f | 1 |\n' "$np1"
printf '| venturelab market simulate, 1 thread | %.3f | %.1fx |\n' "$t1" "$(echo "$np1 / $t1" | bc -l)"
echo
cases=()
for seed in "${SEEDS[@]}"; do
  for n in 20 40; do
    "$bin" market simulate --runs "$n" --seed "$seed" --json >"$tmp/vl_${seed}_$n.json"
    "$PY" benches/peers/market_numpy.py "$n" 2 "$seed" >"$tmp/np_${seed}_$n.json"
    cases+=("$seed:$n")
  done
done
"$PY" benches/peers/compare_market.py "$tmp" "${cases[@]}"
