#!/usr/bin/env bash
# Benchmark of `export --format sqlite` (not a test: timings vary on shared machines).
#
#   bash benches/sqlite_export.sh [N]     # default N = 100000 generated claims
#
# Builds the release binary, exports the shipped ledger, then generates N claim rows
# (benches/gen_claims.py), imports them into a fresh ledger and exports that: for each,
# wall time, peak memory (max RSS) and the database's size, and the row counts read
# back from the database with sqlite3 when it is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-100000}"
cargo build --release --quiet
FL="$PWD/target/release/factledger"
W="$(mktemp -d /tmp/factledger-sqlite-bench.XXXXXX)"
trap 'rm -rf "$W"' EXIT
export FACTLEDGER_NOW=2026-01-01T00:00:00Z FACTLEDGER_USER=bench

# export LABEL LEDGER: times the export and prints its size
export_db() {
  local label="$1" ledger="$2" db="$W/$1.sqlite"
  /usr/bin/time -f "%e %M" -o "$W/time" "$FL" --ledger "$ledger" export --format sqlite "$db"
  read -r secs kb <"$W/time"
  printf '%-34s %8.2f s %6d MB peak  database %8.2f MB  (log %.2f MB)\n' "export --format sqlite, $label" \
    "$secs" $((kb / 1024)) "$(awk -v b="$(stat -c %s "$db")" 'BEGIN { print b / 1048576 }')" \
    "$(awk -v b="$(stat -c %s "$ledger/log.ron")" 'BEGIN { print b / 1048576 }')"
  if command -v sqlite3 >/dev/null; then
    echo "  rows: $(sqlite3 "$db" "SELECT 'sources ' || (SELECT count(*) FROM sources) || ', claims ' ||
      (SELECT count(*) FROM claims) || ', statuses ' || (SELECT count(*) FROM statuses) ||
      ', findings ' || (SELECT count(*) FROM findings) || ', finding_claims ' ||
      (SELECT count(*) FROM finding_claims)")"
  fi
}

echo "$(nproc) cores"
export_db shipped "$PWD/ledger"
python3 benches/gen_claims.py "$N" "$W/claims.csv"
"$FL" init "$W/ledger" >/dev/null
"$FL" --ledger "$W/ledger" import --create-sources "$W/claims.csv" >/dev/null
export_db "$N generated" "$W/ledger"
