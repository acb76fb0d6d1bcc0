#!/usr/bin/env bash
# Side-by-side benchmark of IRR/XIRR: venturelab (criterion) and the Python peers
# (numpy-financial, pyxirr) on the same 1000 series, in one run on one machine.
# Usage: benches/peers/run_money.sh   (needs: pip install numpy numpy-financial pyxirr)
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 -c "import numpy, numpy_financial, pyxirr" 2>/dev/null || pip install -q numpy numpy-financial pyxirr
cargo bench -p venturelab --bench money -- --noplot >/dev/null 2>&1
py=$(python3 benches/peers/money_peers.py)
echo "$py"
python3 - "$py" <<'PY'
import json, sys
peers = {d["name"]: d for d in map(json.loads, sys.argv[1].splitlines())}
def rust(name):
    est = json.load(open(f"target/criterion/{name}/new/estimates.json"))
    return est["median"]["point_estimate"] * 1e-9  # ns -> s for 1000 series
r_irr, r_xirr = rust("irr_fund_yearly_x1000"), rust("xirr_fund_dated_x1000")
n_irr = peers["numpy_financial_irr"]["seconds_per_1000"]
p_irr = peers["pyxirr_irr"]["seconds_per_1000"]
p_xirr = peers["pyxirr_xirr"]["seconds_per_1000"]
print()
print("| measurement | per series | venturelab speed-up |")
print("|---|---|---|")
print(f"| venturelab irr, 12 yearly flows | {r_irr*1e3:.3f} us | 1 |")
print(f"| numpy-financial irr | {n_irr*1e3:.3f} us | {n_irr/r_irr:.1f}x |")
print(f"| pyxirr irr | {p_irr*1e3:.3f} us | {p_irr/r_irr:.1f}x |")
print(f"| venturelab xirr, 40 dated flows | {r_xirr*1e3:.3f} us | 1 |")
print(f"| pyxirr xirr | {p_xirr*1e3:.3f} us | {p_xirr/r_xirr:.1f}x |")
print()
print("versions:", peers["versions"])
PY
