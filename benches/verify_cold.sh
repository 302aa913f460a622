#!/usr/bin/env bash
# A cold `verify` (no index: it reads and checks the whole log), against the floor of
# what any verify must do: read the log and sha256 it. Not a test: timings vary on
# shared machines, so every binary is run in turn, RUNS times, and the median shown.
#
#   bash benches/verify_cold.sh LEDGER_DIR [OTHER_FACTLEDGER ...]
#
# LEDGER_DIR: e.g. one `bash benches/bench.sh` builds, or
#   python3 benches/gen_claims.py 1000000 claims.csv
#   factledger init L && factledger --ledger L import --create-sources claims.csv
# OTHER_FACTLEDGER: binaries to compare with in the same run (an older build, say).
set -euo pipefail
cd "$(dirname "$0")/.."
L="${1:?usage: verify_cold.sh LEDGER_DIR [OTHER_FACTLEDGER ...]}"
shift
RUNS="${RUNS:-5}"
cargo build --release --quiet
BINS=("$PWD/target/release/factledger" "$@")
W="$(mktemp -d /tmp/factledger-verify.XXXXXX)"
trap 'rm -rf "$W"' EXIT
export FACTLEDGER_NOW=2026-01-01T00:00:00Z

# median LABEL CMD...: RUNS timed runs; prints the median wall time and the largest RSS.
median() {
  local label="$1"; shift
  : >"$W/times"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -a -o "$W/times" "$@" >/dev/null 2>"$W/err" || {
      # verify exits 1 when it finds problems: still a whole run.
      [ $? -eq 1 ] || { cat "$W/err"; exit 1; }
    }
  done
  sort -n "$W/times" | awk -v label="$label" -v n="$RUNS" '
    { t[NR] = $1; if ($2 > m) m = $2 }
    END { printf "%-34s %6.2f s (median of %d) %6d MB max RSS\n", label, t[int((n + 1) / 2)], n, m / 1024 }'
}

log="$L/log.ron"
echo "$(du -m "$log" | cut -f1) MB log, $(grep -c '^(seq:' "$log") entries; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
median "read the log (cat)" cat "$log"
# openssl uses the CPU's SHA extensions, as the sha2 crate does; coreutils may not.
if command -v openssl >/dev/null; then
  median "sha256 of the log (openssl, 1 core)" openssl dgst -sha256 "$log"
else
  median "sha256 of the log (sha256sum, 1 core)" sha256sum "$log"
fi
for b in "${BINS[@]}"; do
  median "verify: ${b/#$PWD\//}" "$b" --ledger "$L" verify
done
