#!/usr/bin/env python3
"""Scores `factledger extract` on the labelled corpus beside this script.

Usage: python3 tests/data/corpus/score.py [FACTLEDGER...]
Default command: cargo run --release -q --  (run from the repository root).
Prints one line per passage, then recall, precision and value accuracy.
"""
import json
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent


def read_labels(path):
    meta, labels = {}, []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            key, _, val = line[1:].partition(":")
            meta[key.strip()] = val.strip()
        elif line.strip():
            kind, phrase, value = line.split("\t")
            labels.append((kind, phrase, value))
    return meta, labels


def spans(text, labels):
    """Byte range of each label: the next unused occurrence of its phrase."""
    data, used, out = text.encode("utf-8"), {}, []
    for kind, phrase, value in labels:
        needle = phrase.encode("utf-8")
        start = data.find(needle, used.get(phrase, 0))
        if start < 0:
            sys.exit(f"label phrase not found: {phrase!r}")
        used[phrase] = start + 1
        out.append((kind, start, start + len(needle), value, phrase))
    return out


def score(cmd, txt, labels_path):
    meta, labels = read_labels(labels_path)
    text = txt.read_text(encoding="utf-8")
    run = subprocess.run(
        cmd + ["extract", str(txt), "--published", meta["published"], "--format", "json"],
        check=True, capture_output=True, text=True,
    )
    cands = [c for c in json.loads(run.stdout) if not c.get("noise")]
    gold = spans(text, labels)
    taken, matched, right, misses, wrong = set(), 0, 0, [], []
    for kind, s, e, value, phrase in gold:
        hit = None
        for i, c in enumerate(cands):
            cs = c["offset"]
            ce = cs + len(c["text"].encode("utf-8"))
            if i not in taken and c["kind"] == kind and cs < e and s < ce:
                hit = i
                break
        if hit is None:
            misses.append(phrase)
            continue
        taken.add(hit)
        matched += 1
        if cands[hit]["value"] == value:
            right += 1
        else:
            wrong.append(f"{phrase!r}: {cands[hit]['value']} (want {value})")
    junk = [c["text"] for i, c in enumerate(cands) if i not in taken]
    return len(gold), len(cands), matched, right, misses, junk, wrong


def main():
    cmd = sys.argv[1:] or ["cargo", "run", "--release", "-q", "--"]
    totals = [0, 0, 0, 0]
    for labels_path in sorted(HERE.glob("*.labels")):
        txt = labels_path.with_suffix(".txt")
        n, c, m, r, misses, junk, wrong = score(cmd, txt, labels_path)
        for k, v in enumerate((n, c, m, r)):
            totals[k] += v
        print(f"{txt.name}: {m}/{n} labels found, {c - m} junk of {c}, {r}/{m} values right")
        for x in misses:
            print(f"  missed {x!r}")
        for x in junk:
            print(f"  junk   {x!r}")
        for x in wrong:
            print(f"  value  {x}")
    n, c, m, r = totals
    print(f"labels {n}, candidates {c}, matched {m}, values right {r}")
    print(f"recall {m / n:.1%}  precision {m / max(c, 1):.1%}  value accuracy {r / max(m, 1):.1%}")


if __name__ == "__main__":
    main()
