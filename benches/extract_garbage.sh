#!/usr/bin/env bash
# Extract on garbage (not a test: timings vary on shared machines).
#
#   bash benches/extract_garbage.sh [MB]     # default 50 MB per input
#
# Builds the release binary and runs `extract --format json` on MB megabytes of each of:
# NUL bytes, full stops, a digit run with no spaces, digits and spaces, and the seed
# articles repeated. Prints wall time, peak memory (max RSS) and candidates found. The
# extractor should stay linear in time and bounded in memory on all of them.
set -euo pipefail
cd "$(dirname "$0")/.."
MB="${1:-50}"
cargo build --release --quiet
FL="$PWD/target/release/factledger"
W="$(mktemp -d /tmp/factledger-extract-bench.XXXXXX)"
trap 'rm -rf "$W"' EXIT
python3 - "$MB" "$W" <<'PY'
import pathlib, sys
mb, w = int(sys.argv[1]), pathlib.Path(sys.argv[2])
n = mb * 1_000_000
seeds = "".join(p.read_text() for p in sorted(pathlib.Path("seeds").glob("*.txt")))
for name, unit in [
    ("nul", "\0"),
    ("stops", "."),
    ("digits", "9"),
    ("digits-spaced", "123 "),
    ("seeds", seeds),
]:
    (w / f"{name}.txt").write_text((unit * (n // len(unit) + 1))[:n])
PY
printf '%-14s %8s %8s %10s\n' input seconds MB candidates
for f in nul stops digits digits-spaced seeds; do
  /usr/bin/time -f "%e %M" -o "$W/time" "$FL" extract "$W/$f.txt" --published 2024-01-01 --format json >"$W/out" 2>/dev/null
  read -r secs kb <"$W/time"
  cands=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$W/out")
  printf '%-14s %8.2f %8d %10d\n' "$f" "$secs" $((kb / 1024)) "$cands"
done
