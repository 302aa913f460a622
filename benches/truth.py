#!/usr/bin/env python3
"""Truth-discovery accuracy of `conflicts` on public multi-source data with known answers.

For each dataset in ../shared/data/truth (see its README): convert the claims to an
import CSV, import them into a fresh ledger, run `factledger conflicts --format json`,
take each figure's `estimate.best`, and score it against the true values, next to a
majority vote over the same rows computed here. Then shuffle the rows, do it again, and
check that every answer is the same.

    python3 benches/truth.py [--bin target/release/factledger] [--data DIR] [--only weather|books]

Stdlib only. Judgments, each a general rule applied to every row alike:
- weather: Temperature, Humidity and Pressure readings. Values the grammar cannot read
  as a number are dropped (`NA`, `N/A`, `*`); spreadsheet-mangled ranges `11-Dec` are
  read back as the range `11-12`. The value grammar has no negative numbers, so every
  temperature is shifted by +100 before import and back after (a shift changes no
  comparison). An answer is right when it equals the true value as a number.
- books: an author list is compared as the sorted set of its name words (letters only,
  lowercased, three letters or more, role words such as `by`, `author`, `editor`
  dropped), so `Knuth, Donald E.` and `Donald E. Knuth` are one list; `Not Available`
  and empty lists are dropped. The true lists go through the same rule.
- a figure with no finding had no disagreement: its answer is the value its claims
  share (what every claim says), for factledger and majority alike.
"""

import argparse
import collections
import csv
import gzip
import html
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import time

MONTHS = {m: i + 1 for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split())}
WEATHER_PROPS = {"Temperature", "Humidity", "Pressure"}
SHIFT = {"temperature": 100}
ROLE_WORDS = {"by", "author", "authors", "joint", "editor", "editors", "edited",
              "foreword", "translator", "and", "with", "the", "contributor"}


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def number_text(raw):
    """A weather reading as text the grammar reads, or None."""
    raw = raw.strip()
    m = re.fullmatch(r"(\d+)-([A-Za-z]{3})", raw)
    if m and m.group(2).lower() in MONTHS:
        return f"{m.group(1)}-{MONTHS[m.group(2).lower()]}"
    if re.fullmatch(r"-?\d+(\.\d+)?", raw):
        return raw
    return None


def shifted(text, prop, sign):
    """Shifts every number of `text` by SHIFT[prop] * sign."""
    k = SHIFT.get(prop, 0) * sign
    if not k:
        return text
    return re.sub(r"-?\d+(\.\d+)?", lambda m: fmt(float(m.group(0)) + k), text)


def fmt(x):
    s = f"{x:.6f}".rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


def weather(data):
    """(rows, truth): rows of (source, subject, property, value text)."""
    rows = []
    with gzip.open(os.path.join(data, "weather_claims.csv.gz"), "rt") as f:
        for r in csv.DictReader(f):
            if r["PropertyID"] not in WEATHER_PROPS:
                continue
            prop = r["PropertyID"].lower()
            v = number_text(r["PropertyValue"])
            if v is None:
                continue
            rows.append((slug(r["SourceID"]), slug(r["ObjectID"]), prop, shifted(v, prop, 1)))
    truth = {}
    with open(os.path.join(data, "weather_truth.csv")) as f:
        for r in csv.DictReader(f):
            if r["PropertyID"] in WEATHER_PROPS:
                try:
                    truth[(slug(r["ObjectID"]), r["PropertyID"].lower())] = float(r["PropertyValue"])
                except ValueError:
                    pass
    return rows, truth


def authors(text):
    """The author-list rule of the module docstring; None for no list."""
    text = html.unescape(text or "").lower()
    words = {w for w in re.findall(r"[a-z]+", text) if len(w) >= 3 and w not in ROLE_WORDS}
    if not words or text.strip() in ("not available", "n/a", "unknown"):
        return None
    return " ".join(sorted(words))


def books(data):
    rows = []
    with open(os.path.join(data, "book_claims.tsv"), encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 4:
                continue
            a = authors(parts[3])
            if a:
                rows.append((slug(parts[0]), slug(parts[1]), "authors", a))
    truth = {}
    with open(os.path.join(data, "book_truth.tsv"), encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and authors(parts[1]):
                truth[(slug(parts[0]), "authors")] = authors(parts[1])
    return rows, truth


def run(binary, rows, text):
    """Imports `rows` into a fresh ledger; returns ({figure: best}, seconds)."""
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, FACTLEDGER_NOW="2024-05-01T12:00:00Z", FACTLEDGER_USER="bench")
        ledger = os.path.join(tmp, "ledger")
        subprocess.run([binary, "init", ledger], check=True, capture_output=True, env=env)
        path = os.path.join(tmp, "rows.csv")
        with open(path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["source", "subject", "property", "value", "date", "text", "unit", "as_of", "quote"])
            for src, subj, prop, v in rows:
                w.writerow([src, subj, prop, "" if text else v, "", v if text else "", "", "", ""])
        subprocess.run([binary, "--ledger", ledger, "import", path, "--create-sources"],
                       check=True, capture_output=True, env=env)
        t0 = time.time()
        out = subprocess.run([binary, "--ledger", ledger, "conflicts", "--format", "json"],
                             check=True, capture_output=True, env=env).stdout
        secs = time.time() - t0
    best = {}
    for finding in json.loads(out):
        best[(finding["subject"], finding["property"])] = finding["estimate"]["best"]
    return best, secs


def by_figure(rows):
    claims = collections.defaultdict(list)
    for src, subj, prop, v in rows:
        claims[(subj, prop)].append(v)
    return claims


def as_answer(value, prop, text):
    if value is None:
        return None
    if text:
        return value
    try:
        return float(shifted(value, prop, -1))
    except ValueError:
        return None  # a range best such as "11-12": not one number


def majority(values):
    counts = collections.Counter(values)
    top = max(counts.values())
    return min(v for v, n in counts.items() if n == top)


def truthfinder(rows, text, rounds=10, t0=0.9, gamma=0.3, rho=0.5):
    """TruthFinder (Yin, Han and Yu, KDD 2007), a textbook source-trust method, for
    reference. Implication between values: for numbers 1 / (1 + |a - b| / step) - 0.5
    (step: the coarser precision of the two), for author lists the Jaccard overlap of
    their name words - 0.5."""
    facts = collections.defaultdict(lambda: collections.defaultdict(set))
    for src, subj, prop, v in rows:
        facts[(subj, prop)][v].add(src)

    def step(v):
        return 10 ** -len(v.split(".")[1]) if "." in v else 1

    def imp(a, b):
        if text:
            x, y = set(a.split()), set(b.split())
            return len(x & y) / len(x | y) - 0.5
        try:
            fa, fb = float(a), float(b)
        except ValueError:
            return -0.5
        return 1 / (1 + abs(fa - fb) / max(step(a), step(b))) - 0.5

    imps = {}
    for key, vals in facts.items():
        vs = sorted(vals)
        imps[key] = [[0.0 if i == j else imp(vs[j], vs[i]) for j in range(len(vs))] for i in range(len(vs))]
    trust = collections.defaultdict(lambda: t0)
    conf = {}
    for _ in range(rounds):
        tau = {s: -math.log(max(1e-9, 1 - min(trust[s], 0.999999))) for s in trust}
        per_source = collections.defaultdict(list)
        for key, vals in facts.items():
            vs = sorted(vals)
            sigma = [sum(tau.get(s, -math.log(1 - t0)) for s in vals[v]) for v in vs]
            m = imps[key]
            for i, v in enumerate(vs):
                adj = sigma[i] + rho * sum(sigma[j] * m[i][j] for j in range(len(vs)))
                c = 1 / (1 + math.exp(-gamma * adj))
                conf[(key, v)] = c
                for s_ in vals[v]:
                    per_source[s_].append(c)
        trust = collections.defaultdict(lambda: t0, {s_: sum(c) / len(c) for s_, c in per_source.items()})
    out = {}
    for key, vals in facts.items():
        vs = sorted(vals)
        out[key] = max(vs, key=lambda v: (conf[(key, v)], v))
    return out


def score(answers, truth):
    items = [k for k in truth if k in answers]
    right = sum(1 for k in items if answers[k] is not None and answers[k] == truth[k])
    return right, len(items)


def evaluate(name, binary, rows, truth, text):
    # A source saying the same thing twice is one claim (the ledger refuses duplicates).
    rows = list(dict.fromkeys(rows))
    claims = by_figure(rows)

    def answers_of(best):
        out = {}
        for key, values in claims.items():
            # No finding: the claims agree; their shared value is the answer.
            raw = best[key] if key in best else majority(values)
            out[key] = as_answer(raw, key[1], text)
        return out

    best, secs = run(binary, rows, text)
    ours = answers_of(best)
    vote = {k: as_answer(majority(v), k[1], text) for k, v in claims.items()}
    shuffled_rows = rows[:]
    random.Random(20241122).shuffle(shuffled_rows)
    best2, _ = run(binary, shuffled_rows, text)
    same = answers_of(best2) == ours
    tf = {k: as_answer(v, k[1], text) for k, v in truthfinder(rows, text).items()}
    r1, n = score(ours, truth)
    r2, _ = score(vote, truth)
    r3, _ = score(tf, truth)
    print(f"{name}: {len(rows)} claims, {len(claims)} figures, {n} with a true value; "
          f"conflicts took {secs:.2f} s")
    print(f"  factledger estimate.best  {r1:6d}/{n}  {100 * r1 / n:5.1f}%")
    print(f"  majority vote             {r2:6d}/{n}  {100 * r2 / n:5.1f}%")
    print(f"  TruthFinder (reference)   {r3:6d}/{n}  {100 * r3 / n:5.1f}%")
    print(f"  rows shuffled: {'same answers' if same else 'ANSWERS DIFFER'} for all {len(claims)} figures")
    return r1 > r2 and same


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--bin", default=os.path.join(here, "..", "target", "release", "factledger"))
    ap.add_argument("--data", default=os.path.join(here, "..", "..", "..", "shared", "data", "truth"))
    ap.add_argument("--only", choices=["weather", "books"])
    a = ap.parse_args()
    ok = True
    if a.only in (None, "books"):
        ok &= evaluate("books (author lists)", a.bin, *books(a.data), text=True)
    if a.only in (None, "weather"):
        ok &= evaluate("weather (temperature, humidity, pressure)", a.bin, *weather(a.data), text=False)
    print("best beats majority vote on every dataset, independent of row order" if ok
          else "NOT BETTER than majority vote on every dataset")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
