#!/usr/bin/env bash
# Every test there is: the Rust workspace, then the Python package (built from
# crates/venturelab-py into its own virtual environment, with what the tests need
# installed by name from PyPI). Usage: bash test-all.sh
set -euo pipefail
cd "$(dirname "$0")"

cargo test --workspace --release

# The Python tests compare with the CLI binary the Rust tests just built.
cargo build --release -p venturelab-cli
venv=target/py-test-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet maturin numpy pandas pytest numpy-financial pyxirr "ray[default]" SALib tqdm nbclient nbformat ipykernel
"$venv/bin/python" -m pip install --quiet ./crates/venturelab-py
(cd crates/venturelab-py/tests && VENTURELAB_BIN="$PWD/../../../target/release/venturelab" "../../../$venv/bin/python" -m pytest -q)

# The report as a reader meets it: headless Chromium (Debian's package, installed by the
# script when missing) at 1400 and 390 px; screenshots kept in target/report-screenshots/.
"$venv/bin/python" -m pip install --quiet playwright
"$venv/bin/python" tests/browser/check_report.py --bin target/release/venturelab

# The web app in the same Chromium: every page at both widths, a changed input redraws,
# save and reopen from Runs, redraw times printed; screenshots in target/web-screenshots/.
"$venv/bin/python" tests/browser/check_web.py --bin target/release/venturelab
