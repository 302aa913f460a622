#!/usr/bin/env bash
# Benchmark of the evidence commands (not a test: timings vary on shared machines).
#
#   bash benches/checkpoint.sh [N]      # default N = 1000000 claims
#
# Builds the release binary, imports N generated claims, then measures wall time and
# peak memory (max RSS) of `head`, `head --sign`, `verify --head` (which also runs every
# check of `verify`), `prove` of one claim, `verify --proof` (offline, no ledger),
# `prove --from` between two checkpoints, and `merge` of two branches that each added
# entries on top of the N-claim log.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-1000000}"
cargo build --release --quiet
FL="$PWD/target/release/factledger"
W="$(mktemp -d /tmp/factledger-ckpt.XXXXXX)"
trap 'rm -rf "$W"' EXIT
export FACTLEDGER_NOW=2026-01-01T00:00:00Z FACTLEDGER_USER=bench
python3 benches/gen_claims.py "$N" "$W/claims.csv"

run() {
  local label="$1"; shift
  /usr/bin/time -f "%e %M" -o "$W/time" "$@" >"$W/out" 2>"$W/err" || true
  read -r secs kb <"$W/time"
  printf '%-34s %8.2f s %8d MB\n' "$label" "$secs" $((kb / 1024))
}

"$FL" init "$W/ledger" >/dev/null
"$FL" --ledger "$W/ledger" import --create-sources "$W/claims.csv" >/dev/null
echo "N = $N claims; log.ron $(du -m "$W/ledger/log.ron" | cut -f1) MB; $(nproc) cores"
ssh-keygen -q -t ed25519 -N '' -C bench@example.org -f "$W/key"
echo "bench@example.org $(cat "$W/key.pub")" >"$W/allowed"

run "head" "$FL" --ledger "$W/ledger" head
cp "$W/out" "$W/old.txt"
run "head --sign" "$FL" --ledger "$W/ledger" head --sign "$W/key"
cp "$W/out" "$W/signed.txt"
run "verify --head --allowed-signers" "$FL" --ledger "$W/ledger" verify --head "$W/signed.txt" --allowed-signers "$W/allowed"
tail -1 "$W/out" | cut -c1-120
claim=$("$FL" --ledger "$W/ledger" add --source src-0001 --subject bench-x --property deaths --value 5)
"$FL" --ledger "$W/ledger" status "$claim" verified --note bench >/dev/null
"$FL" --ledger "$W/ledger" head >"$W/new.txt"
run "prove CLAIM --head" "$FL" --ledger "$W/ledger" prove "$claim" --head "$W/new.txt"
cp "$W/out" "$W/proof.json"
run "verify --proof (no ledger)" "$FL" verify --proof "$W/proof.json" --head "$W/new.txt"
run "prove --from --head" "$FL" --ledger "$W/ledger" prove --from "$W/old.txt" --head "$W/new.txt"

# Two branches: each adds 100 claims on top of the same N-claim log.
cp "$W/ledger/log.ron" "$W/base.ron"
for side in ours theirs; do
  mkdir -p "$W/$side"; cp "$W/base.ron" "$W/$side/log.ron"
  { echo "source,subject,property,value,date,text,unit,as_of,quote"
    for i in $(seq 1 100); do echo "src-0002,bench-$side,deaths,$i,,,,,"; done; } >"$W/$side.csv"
  "$FL" --ledger "$W/$side" import "$W/$side.csv" >/dev/null
done
run "merge (100 + 100 on N)" "$FL" merge "$W/base.ron" "$W/ours/log.ron" "$W/theirs/log.ron"
cat "$W/out"
cp "$W/ours/log.ron" "$W/ledger/log.ron"
run "verify after merge" "$FL" --ledger "$W/ledger" verify
tail -1 "$W/out" | cut -c1-120
