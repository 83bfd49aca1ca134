#!/usr/bin/env bash
# Mention-level NER on the ANERcorp dev split (the last 10 % of sentences of
# ../shared/data/anercorp/train.txt, never trained on), CoNLL style: exact
# span and type, PER/ORG/LOC micro F1, through the whole `naba extract` path.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${NABA_SHARED:-../shared}
OUT=target/ner-eval
mkdir -p "$OUT"
cargo build --release -q -p naba -p naba-train
target/release/naba-train dev-split --corpus "$SHARED/data/anercorp/train.txt" --out "$OUT/dev.txt"
python3 "$SHARED/eval/conll2jsonl.py" "$OUT/dev.txt" "$OUT/dev.jsonl"
target/release/naba extract "$OUT/dev.jsonl" >"$OUT/pred.jsonl"
python3 "$SHARED/eval/ner_score.py" "$OUT/dev.jsonl" "$OUT/pred.jsonl"
