#!/usr/bin/env bash
# Accuracy on the evaluation data in ../shared (not part of the test suite:
# a user's clone has no ../shared). Prints score.py's report per data set.
#
#   scripts/eval.sh                 all dev sets
#   scripts/eval.sh ar|en|seed      one of them
#   VERBOSE=1 scripts/eval.sh ar    with score.py --verbose (misses and extras)
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${NABA_SHARED:-../shared}
OUT=${NABA_EVAL_OUT:-target/eval}
mkdir -p "$OUT"
cargo build --release -q -p naba
NABA=target/release/naba

# Gold files carry the title inside `text`; send only id, text and language so
# the title is not read twice.
to_input() {
  python3 -c '
import json, sys
src = sys.argv[1]
docs = [json.load(open(src))] if src.endswith(".json") else [json.loads(l) for l in open(src) if l.strip()]
for d in docs:
    print(json.dumps({"id": d["id"], "text": d["text"], "language": d.get("lang")}, ensure_ascii=False))
' "$1"
}

run_set() {
  local name=$1 gold=$2
  to_input "$gold" >"$OUT/$name.input.jsonl"
  "$NABA" extract "$OUT/$name.input.jsonl" >"$OUT/$name.pred.jsonl"
  echo "== $name ($gold)"
  python3 "$SHARED/eval/score.py" "$gold" "$OUT/$name.pred.jsonl" ${VERBOSE:+--verbose}
}

which=${1:-all}
[ "$which" = all ] || [ "$which" = seed ] && run_set seed "$SHARED/eval/dev/seed.gold.json"
[ "$which" = all ] || [ "$which" = ar ] && run_set ar "$SHARED/eval/dev/ar_dev.jsonl"
[ "$which" = all ] || [ "$which" = en ] && run_set en "$SHARED/eval/dev/en_polnear_dev.jsonl"
true
