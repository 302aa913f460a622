#!/usr/bin/env python3
"""Writes N generated claim rows as an import CSV (the header DESIGN fixes), for the
benchmark. Deterministic: the same N gives the same file.

The shape of the benchmark issue 13 sets: 500 sources and N / 50 subjects (20,000 at a
million rows), each row about a subject drawn at random, so that a subject's claims are
spread over the whole log as they are in a ledger kept over months."""
import csv
import random
import sys

n = int(sys.argv[1])
out = sys.argv[2]
rng = random.Random(42)
sources = [f"src-{i:04d}" for i in range(500)]
subjects = max(1, n // 50)
qual = ["", "", "", "over ", "about ", "at least ", "nearly ", "up to "]
with open(out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["source", "subject", "property", "value", "date", "text", "unit", "as_of", "quote"])
    for i in range(n):
        s = rng.randrange(subjects)
        subject = f"event-{s:07d}-{2000 + s % 25}"
        src = sources[rng.randrange(len(sources))]
        kind = rng.random()
        as_of = f"20{rng.randrange(10, 25)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        if kind < 0.7:
            prop = "deaths" if rng.random() < 0.6 else "injured"
            v = f"{qual[rng.randrange(len(qual))]}{rng.randrange(1, 5000):,}"
            w.writerow([src, subject, prop, v, "", "", "", as_of, f"row {i} says {v}"])
        elif kind < 0.9:
            d = f"{2000 + rng.randrange(25)}-{rng.randrange(1, 13):02d}"
            w.writerow([src, subject, "date", "", d, "", "", as_of, f"row {i} dates it {d}"])
        else:
            v = f"${rng.randrange(1, 900)} million"
            w.writerow([src, subject, "amount", v, "", "", "", as_of, f"row {i} puts it at {v}"])
