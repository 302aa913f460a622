#!/usr/bin/env bash
# Cold whole reports of one ledger by several builds, taken in turn: the comparison of
# builds that one benchmark run cannot settle on a shared machine, whose speed moves by
# a quarter or more from minute to minute.
#
#   bash benches/cold_conflicts.sh LEDGER_DIR RUNS BUILD...
#
# Each run is `BUILD --no-index --ledger LEDGER_DIR conflicts --format json` to a new
# file, after a `sync` (not timed), the builds in turn, RUNS rounds. A new file, as a
# report is written to the first time: ext4 writes a file that was cut to nothing and
# written again back to disk when it is closed (`auto_da_alloc`), which adds about 0.2 s
# to a 600 MB report, that the same report written to a new file leaves to the kernel's
# write-back like any other write. Prints each build's times
# sorted, its median, its CPU time per run and its peak memory, and whether its report
# is byte for byte the first build's.
set -euo pipefail
[ $# -ge 3 ] || { sed -n '2,11p' "$0"; exit 2; }
LEDGER="$1"; RUNS="$2"; shift 2
W="$(mktemp -d /tmp/factledger-cold.XXXXXX)"
trap 'rm -rf "$W"' EXIT
export FACTLEDGER_NOW=2026-01-01T00:00:00Z FACTLEDGER_USER=bench
for ((r = 0; r < RUNS; r++)); do
  for ((k = 1; k <= $#; k++)); do
    bin="${!k}"
    rm -f "$W/out$k"
    sync
    /usr/bin/time -f "%e %U %S %M" -a -o "$W/time$k" "$bin" --no-index --ledger "$LEDGER" \
      conflicts --format json >"$W/out$k" 2>/dev/null || { echo "$bin failed" >&2; exit 1; }
  done
done
for ((k = 1; k <= $#; k++)); do
  bin="${!k}"
  same=$([ "$k" = 1 ] || cmp -s "$W/out1" "$W/out$k" && echo "" || echo "  OUTPUT DIFFERS from the first build's")
  sort -n "$W/time$k" | awk -v bin="$bin" -v same="$same" '
    { t[NR] = $1; cpu += $2 + $3; if ($4 > m) m = $4 }
    END {
      s = ""; for (i = 1; i <= NR; i++) s = s sprintf(" %.2f", t[i])
      med = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
      printf "%s\n  median %.2f s of%s; CPU %.2f s a run; peak %d MB%s\n", bin, med, s, cpu / NR, m / 1024, same
    }'
done
