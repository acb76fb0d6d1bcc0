#!/usr/bin/env python3
"""Checks that the workspace's rust-version is at least what every locked dependency
declares (their `rust-version`, as `cargo metadata` reports it), so that the minimum
Rust the project states is true. Exits 1 naming the dependencies that need more."""
import json
import subprocess
import sys


def version(v):
    # "1.89" and "1.89.0" are the same version: pad to major.minor.patch.
    parts = [int(x) for x in v.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


meta = json.loads(
    subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--locked"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
)
members = set(meta["workspace_members"])
used = {node["id"] for node in meta["resolve"]["nodes"]}
ours = [p for p in meta["packages"] if p["id"] in members]
declared = {p["rust_version"] for p in ours}
if len(declared) != 1 or None in declared:
    sys.exit(f"error: the workspace crates declare rust-version {sorted(map(str, declared))}")
stated = declared.pop()
need = [
    (version(p["rust_version"]), p["name"], p["version"])
    for p in meta["packages"]
    if p["id"] in used and p["id"] not in members and p.get("rust_version")
]
too_new = [n for n in need if n[0] > version(stated)]
if too_new:
    worst = max(too_new)
    sys.exit(
        f"error: rust-version is {stated} but {len(too_new)} locked dependencies need more, "
        f"up to {'.'.join(map(str, worst[0]))} ({worst[1]} {worst[2]})"
    )
print(f"rust-version {stated}: every locked dependency's minimum is at or below it "
      f"(the highest: {'.'.join(map(str, max(need)[0]))}, {max(need)[1]})")
