#!/usr/bin/env bash
# Where the fund simulator's time goes beyond the random numbers: builds
# crates/venturelab/examples/fund_stages.rs against copies of the block kernel
# (crates/venturelab/src/fund/block.rs) that return after each of its stages, runs every
# copy and the unchanged code in turn (3 rounds, best of each), and prints nanoseconds per
# correlation-ventures fund on one thread next to the bound set by random-number generation
# alone. The copies live in target/stages (own target directory, so the main build's
# cache is left as it is); each stage's results are kept observable (black_box or memory),
# so the compiler cannot drop the work of the stages before the stop.
# Usage: benches/peers/fund_stages.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
work=$root/target/stages
mkdir -p "$work/bin"
cargo build --release -q -p venturelab --example fund_stages
cp target/release/examples/fund_stages "$work/bin/all"
for stage in draws years waterfall dpi; do
  rm -rf "$work/src" && mkdir -p "$work/src"
  cp -r Cargo.toml Cargo.lock crates presets "$work/src/"
  python3 - "$work/src/crates/venturelab/src/fund/block.rs" "$stage" <<'PY'
import sys
path, stage = sys.argv[1], sys.argv[2]
s = open(path).read()
# Where each copy stops: before the code of the next stage (the anchors must exist; if
# the kernel changes, this fails loudly rather than measuring something else).
anchors = {
    "draws": ("        // Proceeds by exit year, eight years at a time", "total, top, returners"),
    "years": ("        let carry_paid = self.waterfall(", "total, top, returners"),
    "waterfall": ("        let mut cum_calls = 0.0;", "total, top, returners, carry_paid"),
    "dpi": ("        let received: [bool; LANES]", "total, top, returners, carry_paid, cum_dist"),
}
anchor, kept = anchors[stage]
assert s.count(anchor) == 1, f"anchor for {stage} not found once in block.rs"
stop = f"        std::hint::black_box(({kept}));\n        return;\n        #[allow(unreachable_code)]\n"
s = s.replace(anchor, stop + anchor)
open(path, "w").write(s)
PY
  # The copies warn about the code after the stop; the log is shown only if a build fails.
  (cd "$work/src" && CARGO_TARGET_DIR=$work/target cargo build --release -q -p venturelab \
    --example fund_stages >"$work/build.log" 2>&1) || { cat "$work/build.log"; exit 1; }
  cp "$work/target/release/examples/fund_stages" "$work/bin/$stage"
done
rm -f "$work/results"
for round in 1 2 3; do
  for stage in draws years waterfall dpi all; do
    args=()
    [ "$stage" = all ] && args=(--run)
    echo "$stage $("$work/bin/$stage" "${args[@]}")" >>"$work/results"
  done
done
python3 - "$work/results" <<'PY'
import json, sys
best = {}
for line in open(sys.argv[1]):
    stage, js = line.split(" ", 1)
    r = json.loads(js)
    for k, v in r.items():
        if v is not None:
            key = {"rng_ns": "rng", "scalar_rng_ns": "scalar", "kernel_ns": stage, "run_ns": "run"}[k]
            best[key] = min(best.get(key, float("inf")), v)
rng = best["rng"]
rows = [
    ("random numbers alone (the bound)", "rng"),
    ("+ company draws: piece, value, exit year, sums, top-k", "draws"),
    ("+ proceeds by exit year", "years"),
    ("+ waterfall", "waterfall"),
    ("+ DPI series", "dpi"),
    ("+ IRR and rows: the whole kernel", "all"),
    ("+ tallies for the summary: fund::run", "run"),
]
print("| stage (cumulative; 1 thread) | ns per fund | / RNG alone |")
print("|---|---|---|")
for name, key in rows:
    print(f"| {name} | {best[key]:.1f} | {best[key] / rng:.2f}x |")
print()
print(f"For reference, the same random numbers drawn one fund and one number at a time with "
      f"rand_xoshiro: {best['scalar']:.1f} ns per fund; fund::run is {best['run'] / best['scalar']:.2f}x that.")
PY
