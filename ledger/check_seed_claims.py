#!/usr/bin/env python3
"""Checks ledger/seed-claims.csv (and ledger/seed-sources.tsv) before they are imported.

- the CSV header is exactly source,subject,property,value,date,text,unit,as_of,quote
- every row has exactly one of value/date/text set
- every row's source is listed in seed-sources.tsv; subjects and properties are slugs
- every quote of a seed-* source occurs verbatim in that source's file under seeds/
- rows of sources with no local file have an empty quote (nothing invented)
- no duplicate rows (same source, subject, property, value/date/text, as_of, quote)
Prints per-source counts; exits 1 on any failure.
Run from anywhere: python3 ledger/check_seed_claims.py
"""
import collections
import csv
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CLAIMS = os.path.join(HERE, "seed-claims.csv")
SOURCES = os.path.join(HERE, "seed-sources.tsv")
HEADER = ["source", "subject", "property", "value", "date", "text", "unit", "as_of", "quote"]
SRC_HEADER = ["id", "title", "outlet", "author", "url", "published", "published_note", "file"]
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

errors = []


def err(msg):
    errors.append(msg)


# ---- sources
with open(SOURCES, encoding="utf-8", newline="") as f:
    lines = f.read().split("\n")
if lines and lines[-1] == "":
    lines.pop()
src_rows = [l.split("\t") for l in lines]
if not src_rows or src_rows[0] != SRC_HEADER:
    err(f"{SOURCES}: header must be {SRC_HEADER!r}, got {src_rows[:1]!r}")
sources = {}
for n, r in enumerate(src_rows[1:], start=2):
    if len(r) != len(SRC_HEADER):
        err(f"{SOURCES}:{n}: {len(r)} fields, expected {len(SRC_HEADER)}")
        continue
    d = dict(zip(SRC_HEADER, r))
    if d["id"] in sources:
        err(f"{SOURCES}:{n}: duplicate source id {d['id']!r}")
    if not SLUG.match(d["id"]):
        err(f"{SOURCES}:{n}: id {d['id']!r} is not a slug")
    if not ISO.match(d["published"]):
        err(f"{SOURCES}:{n}: published {d['published']!r} is not YYYY[-MM[-DD]]")
    if d["file"]:
        path = os.path.join(ROOT, d["file"])
        if not os.path.isfile(path):
            err(f"{SOURCES}:{n}: file {d['file']!r} not found at {path}")
        else:
            with open(path, encoding="utf-8") as sf:
                d["_text"] = sf.read()
    sources[d["id"]] = d

# ---- claims
with open(CLAIMS, encoding="utf-8", newline="") as f:
    raw = f.read()
if raw.startswith("\ufeff"):
    err(f"{CLAIMS}: starts with a byte-order mark")
reader = csv.reader(raw.splitlines(keepends=True), strict=True)
rows = list(reader)
if not rows or rows[0] != HEADER:
    err(f"{CLAIMS}: header must be exactly {','.join(HEADER)!r}, got {rows[:1]!r}")
counts = collections.Counter()
seen = {}
for n, r in enumerate(rows[1:], start=2):
    where = f"{CLAIMS}: row {n}"
    if len(r) != len(HEADER):
        err(f"{where}: {len(r)} fields, expected {len(HEADER)}")
        continue
    d = dict(zip(HEADER, r))
    for k, v in d.items():
        if v != v.strip():
            err(f"{where}: {k} has leading/trailing whitespace: {v!r}")
    set_ = [k for k in ("value", "date", "text") if d[k]]
    if len(set_) != 1:
        err(f"{where}: exactly one of value/date/text must be set, got {set_ or 'none'}")
    for k in ("subject", "property"):
        if not SLUG.match(d[k]):
            err(f"{where}: {k} {d[k]!r} is not a lowercase slug")
    if d["as_of"] and not ISO.match(d["as_of"]):
        err(f"{where}: as_of {d['as_of']!r} is not YYYY[-MM[-DD]]")
    src = sources.get(d["source"])
    if src is None:
        err(f"{where}: source {d['source']!r} not in {os.path.basename(SOURCES)}")
    elif "_text" in src:
        if not d["quote"]:
            err(f"{where}: a claim of {d['source']} needs a quote")
        elif d["quote"] not in src["_text"]:
            err(f"{where}: quote does not occur verbatim in {src['file']}: {d['quote']!r}")
    elif d["quote"]:
        err(f"{where}: source {d['source']} has no local file, so its quote must be empty")
    if d["source"].startswith("seed-") and (src is None or "_text" not in src):
        err(f"{where}: seed source {d['source']} has no readable file")
    key = (d["source"], d["subject"], d["property"], d["value"], d["date"], d["text"], d["as_of"], d["quote"])
    if key in seen:
        err(f"{where}: duplicate of row {seen[key]}")
    else:
        seen[key] = n
    counts[d["source"]] += 1

for sid in sources:
    if not counts[sid]:
        err(f"source {sid} has no claims")

print("claims per source:")
for sid in sources:
    print(f"  {sid:20} {counts[sid]}")
for sid in counts:
    if sid not in sources:
        print(f"  {sid:20} {counts[sid]} (unknown source)")
print(f"  {'total':20} {sum(counts.values())}")
if errors:
    print(f"\n{len(errors)} problem(s):", file=sys.stderr)
    for e in errors:
        print("  " + e, file=sys.stderr)
    sys.exit(1)
print("ok")
