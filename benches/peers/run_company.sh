#!/usr/bin/env bash
# Side by side: the saas-seed company Monte Carlo in venturelab (`company simulate`, the CLI
# end to end: simulate + summary + JSON) and as a vectorised NumPy program
# (benches/peers/company_numpy.py), on the same cores, in one run; then the two sides'
# outputs compared within Monte Carlo error for several seeds.
# Timing: alternately venturelab on 2 threads and NumPy on 2 processes, 5 times each, the
# median of each (NumPy's own clock: simulation and summary, not interpreter start and the
# NumPy import; venturelab: the whole process), and the CPU time of each whole process.
# Usage: benches/peers/run_company.sh [RUNS] [MONTHS]   (SEEDS="1 2 3" for the comparison)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-100000}
MONTHS=${2:-120}
read -r -a SEEDS <<<"${SEEDS:-1 2 3}"
python3 -c "import numpy" 2>/dev/null || pip install -q numpy
cargo build --release -q -p venturelab-cli
bin=target/release/venturelab
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
vl=() np=() vlc=() npc=()
for _ in 1 2 3 4 5; do
  t0=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$tmp/vl.cpu" "$bin" company simulate --preset saas-seed --runs "$RUNS" --months "$MONTHS" --threads 2 --json >"$tmp/vl.json"
  t1=$(date +%s.%N)
  vl+=("$(echo "$t1 - $t0" | bc -l)")
  vlc+=("$(awk '{print $1 + $2}' "$tmp/vl.cpu")")
  /usr/bin/time -f "%U %S" -o "$tmp/np.cpu" python3 benches/peers/company_numpy.py "$RUNS" "$MONTHS" 2 1 >"$tmp/np.json"
  np+=("$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["seconds"])' "$tmp/np.json")")
  npc+=("$(awk '{print $1 + $2}' "$tmp/np.cpu")")
done
med() { printf '%s\n' "$@" | sort -g | sed -n 3p; }
vl_s=$(med "${vl[@]}")
np_s=$(med "${np[@]}")
vl_c=$(med "${vlc[@]}")
np_c=$(med "${npc[@]}")
t1=$(
  t0=$(date +%s.%N)
  "$bin" company simulate --preset saas-seed --runs "$RUNS" --months "$MONTHS" --threads 1 --json >/dev/null
  echo "$(date +%s.%N) - $t0" | bc -l
)
np1=$(python3 benches/peers/company_numpy.py "$RUNS" "$MONTHS" 1 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds"])')
printf '| measurement (%s runs x %s months, saas-seed) | seconds | vs NumPy on the same cores |\n' "$RUNS" "$MONTHS"
echo "|---|---|---|"
printf '| NumPy, vectorised, 2 processes | %.3f | 1 |\n' "$np_s"
printf '| venturelab company simulate, 2 threads | %.3f | %.1fx |\n' "$vl_s" "$(echo "$np_s / $vl_s" | bc -l)"
printf '| CPU seconds (user + sys, whole process), NumPy 2 processes / venturelab 2 threads | %.3f / %.3f | %.1fx |\n' "$np_c" "$vl_c" "$(echo "$np_c / $vl_c" | bc -l)"
printf '| NumPy, 1 process | %.3f | 1 |\n' "$np1"
printf '| venturelab company simulate, 1 thread | %.3f | %.1fx |\n' "$t1" "$(echo "$np1 / $t1" | bc -l)"
echo
for seed in "${SEEDS[@]}"; do
  "$bin" company simulate --preset saas-seed --runs "$RUNS" --months "$MONTHS" --seed "$seed" --json >"$tmp/vl_$seed.json"
  python3 benches/peers/company_numpy.py "$RUNS" "$MONTHS" 2 "$seed" >"$tmp/np_$seed.json"
done
python3 benches/peers/compare_company.py "$tmp" "${SEEDS[@]}"
