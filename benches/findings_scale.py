#!/usr/bin/env python3
"""How `conflicts` scales on one figure: 1,000 / 10,000 / 100,000 claims.

    python3 benches/findings_scale.py [--bin target/release/factledger] [--sizes 1000,10000,100000]

For each size, one figure of that many claims is imported into a fresh ledger and
`conflicts --format json` is timed (best of 5 runs: wall clock, and the CPU time of
the process, which another build on a shared machine disturbs less) with its output size. Two figures
are measured: a cumulative one (`deaths`: a toll rising over a year of as-of dates,
with some stale and outlying reports; the timeline walk) and a plain one (`amount`: one
figure reported with noise; the weighted vote). The ratios between sizes show how the
cost grows: about 10x per 10x claims is linear; all pairs would be 100x.
Stdlib only; a fixed seed makes every run the same.
"""

import argparse
import csv
import datetime
import os
import random
import resource
import subprocess
import tempfile
import time


def rows(n, prop, seed=11):
    rng = random.Random(seed)
    day0 = datetime.date(2024, 1, 1)
    out = []
    for i in range(n):
        src = f"s{rng.randrange(200)}"
        day = rng.randrange(365)
        as_of = (day0 + datetime.timedelta(days=day)).isoformat()
        if prop == "deaths":
            true = 100 + day  # the toll grows by one a day
            r = rng.random()
            v = true if r < 0.8 else (true - rng.randrange(1, 50) if r < 0.95 else true + rng.randrange(50, 500))
        else:
            v = 5000 + rng.choice([0, 0, 0, 0, 1, -1, rng.randrange(-400, 400)])
        out.append([src, "bench-figure", prop, str(max(v, 0)), "", "", "", as_of, f"quote {i}"])
    return out


def measure(binary, n, prop):
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, FACTLEDGER_NOW="2024-05-01T12:00:00Z", FACTLEDGER_USER="bench")
        ledger = os.path.join(tmp, "ledger")
        subprocess.run([binary, "init", ledger], check=True, capture_output=True, env=env)
        path = os.path.join(tmp, "rows.csv")
        with open(path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["source", "subject", "property", "value", "date", "text", "unit", "as_of", "quote"])
            w.writerows(rows(n, prop))
        subprocess.run([binary, "--ledger", ledger, "import", path, "--create-sources"],
                       check=True, capture_output=True, env=env)
        best, best_cpu, size = None, None, 0
        for _ in range(5):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            out = subprocess.run([binary, "--ledger", ledger, "conflicts", "--format", "json"],
                                 check=True, capture_output=True, env=env).stdout
            secs = time.perf_counter() - t0
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            best = secs if best is None else min(best, secs)
            best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
            size = len(out)
        return best, best_cpu, size


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default=os.path.join(here, "..", "target", "release", "factledger"))
    ap.add_argument("--sizes", default="1000,10000,100000")
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")]
    for prop in ["deaths", "amount"]:
        print(f"one figure, property {prop}:")
        print(f"  {'claims':>8}  {'wall':>9}  {'cpu':>9}  {'output':>12}  "
              f"{'wall ratio':>10}  {'cpu ratio':>9}  {'size ratio':>10}")
        prev = None
        for n in sizes:
            secs, cpu, size = measure(a.bin, n, prop)
            r = ("", "", "") if prev is None else (
                f"{secs / prev[0]:.1f}x", f"{cpu / max(prev[1], 1e-9):.1f}x", f"{size / prev[2]:.1f}x")
            print(f"  {n:>8}  {secs:>8.3f}s  {cpu:>8.3f}s  {size:>10} B  {r[0]:>10}  {r[1]:>9}  {r[2]:>10}")
            prev = (secs, cpu, size)


if __name__ == "__main__":
    main()
