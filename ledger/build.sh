#!/usr/bin/env bash
# Rebuilds the shipped ledger (ledger/log.ron) from ledger/seed-sources.tsv and
# ledger/seed-claims.csv with the factledger CLI itself: `init`, one `source add` per
# source, one `import` of every claim. The clock and user are pinned, so the result is
# the same bytes on every machine.
#
#   bash ledger/build.sh            # uses `cargo run --release`
#   FACTLEDGER=path/to/factledger bash ledger/build.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${FACTLEDGER:-}" ]; then fl() { "$FACTLEDGER" "$@"; }; else fl() { cargo run --quiet --release -- "$@"; }; fi
export FACTLEDGER_NOW="${FACTLEDGER_NOW:-2026-11-22T00:00:00Z}"
export FACTLEDGER_USER="${FACTLEDGER_USER:-factledger seed build}"
unset FACTLEDGER_DIR

out="${1:-ledger}"
work="$(mktemp -d "./.ledger-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
fl init "$work" >/dev/null
cp ledger/config.ron "$work/config.ron"

tail -n +2 ledger/seed-sources.tsv | tr '\t' '\037' | while IFS=$'\037' read -r id title outlet author url published note file; do
  args=(source add "$id" --title "$title")
  [ -n "$outlet" ] && args+=(--outlet "$outlet")
  [ -n "$author" ] && args+=(--author "$author")
  [ -n "$url" ] && args+=(--url "$url")
  [ -n "$published" ] && args+=(--published "$published")
  [ -n "$note" ] && args+=(--published-note "$note")
  [ -n "$file" ] && args+=(--file "$file")
  fl --ledger "$work" "${args[@]}" >/dev/null
done
fl --ledger "$work" import ledger/seed-claims.csv
fl --ledger "$work" verify
mkdir -p "$out"
mv "$work/log.ron" "$out/log.ron"
[ "$out" = ledger ] || cp ledger/config.ron "$out/config.ron"
echo "wrote $out/log.ron"
