#!/usr/bin/env bash
# Side by side: `venturelab fit --bootstrap 1000` against the powerlaw package with the CSN
# bootstrap loop (benches/peers/fit_powerlaw.py) on words and cities, in one run.
# The Python side runs a few replicates (a full 1000 would take hours) and its time per
# replicate is scaled to 1000; venturelab runs all 1000.
# Usage: benches/peers/run_fit.sh [DATA_DIR] [PY_REPLICATES_WORDS] [PY_REPLICATES_CITIES]
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA=${1:-../shared/data/powerlaw}
python3 -c "import powerlaw" 2>/dev/null || pip install -q powerlaw
cargo build --release -q -p venturelab-cli
t() { local t0 t1; t0=$(date +%s.%N); "$@" >/tmp/vl_fit.json; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
vw=$(t target/release/venturelab fit "$DATA/words.txt" --bootstrap 1000 --json)
vwj=$(cat /tmp/vl_fit.json)
vc=$(t target/release/venturelab fit "$DATA/cities.txt" --continuous --bootstrap 1000 --json)
vcj=$(cat /tmp/vl_fit.json)
py=$(python3 benches/peers/fit_powerlaw.py "$DATA" "${2:-20}" "${3:-5}")
python3 - "$vw" "$vc" "$vwj" "$vcj" "$py" <<'PY'
import json, sys
vw, vc = float(sys.argv[1]), float(sys.argv[2])
ours = {"words": (vw, json.loads(sys.argv[3])), "cities": (vc, json.loads(sys.argv[4]))}
print("| data | powerlaw: s per replicate (x1000) | venturelab: s for 1000 replicates | speed-up | xmin (both) | n_tail (both) | alpha powerlaw / venturelab | p venturelab |")
print("|---|---|---|---|---|---|---|---|")
for line in sys.argv[5].splitlines():
    p = json.loads(line)
    secs, j = ours[p["name"]]
    py1000 = p["seconds_per_replicate"] * 1000 + p["fit_seconds"]
    same = "yes" if (p["xmin"] == j["xmin"] and p["n_tail"] == j["n_tail"]) else f"NO ({p['xmin']}/{p['n_tail']} vs {j['xmin']}/{j['n_tail']})"
    print(f"| {p['name']} | {p['seconds_per_replicate']:.3f} ({py1000:.0f} s) | {secs:.1f} | {py1000/secs:.0f}x | {j['xmin']} ({same}) | {j['n_tail']} | {p['alpha']:.5f} / {j['alpha']:.5f} (diff {abs(p['alpha']-j['alpha']):.1e}) | {j['p_value']:.3f} |")
print("powerlaw", json.loads(sys.argv[5].splitlines()[0])["powerlaw"], "; powerlaw replicates run:", [json.loads(l)["replicates"] for l in sys.argv[5].splitlines()])
PY
