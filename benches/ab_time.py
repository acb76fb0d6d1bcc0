#!/usr/bin/env python3
"""Times two venturelab binaries alternately on the same commands.

Usage: benches/ab_time.py OLD_BINARY NEW_BINARY [PAIRS]   (run from the repository root)

One warm-up of each, then PAIRS (default 5) alternating runs. Prints a Markdown row per
command: median wall time of each, and the median (and range) of the per-pair ratio of
user CPU time, new / old, which is less sensitive to other load on the machine.
"""
import resource
import statistics
import subprocess
import sys
import time

COMMANDS = [
    "company simulate --preset saas-seed --runs 20000 --json",
    "market simulate --runs 20 --json",
    "fit ../shared/data/powerlaw/words.txt --bootstrap 100 --json",
    "fit ../shared/data/powerlaw/cities.txt --json",
    "fund simulate --preset carta-funnel --funds 1000000 --json",
]


def run(binary, command):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([binary] + command.split(), stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - t
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, r1.ru_utime - r0.ru_utime


def main():
    old, new = sys.argv[1], sys.argv[2]
    pairs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    print("| command | before (median wall) | after | after / before (median, user) |")
    print("|---|---|---|---|")
    for c in COMMANDS:
        run(new, c)
        run(old, c)
        res = {old: [], new: []}
        for _ in range(pairs):
            for b in (new, old):
                res[b].append(run(b, c))
        ow = statistics.median(w for w, _ in res[old])
        nw = statistics.median(w for w, _ in res[new])
        ratios = sorted(n[1] / o[1] for n, o in zip(res[new], res[old]))
        print(f"| `{c}` | {ow:.3f} s | {nw:.3f} s | "
              f"{statistics.median(ratios):.2f} ({ratios[0]:.2f}-{ratios[-1]:.2f}) |", flush=True)


if __name__ == "__main__":
    main()
