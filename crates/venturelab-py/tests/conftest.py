"""Shared helpers: the CLI binary to compare against (built by cargo before pytest runs)."""

import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def cli():
    """Runs the `venturelab` binary with --json and returns the parsed output."""
    import json

    binary = os.environ.get("VENTURELAB_BIN", str(ROOT / "target" / "release" / "venturelab"))
    if not pathlib.Path(binary).exists():
        pytest.fail(f"the CLI binary {binary} is missing: build it with cargo build --release")

    def run(*args):
        out = subprocess.run([binary, *args, "--json"], capture_output=True, text=True, check=True)
        return json.loads(out.stdout)

    return run
