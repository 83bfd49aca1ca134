#!/usr/bin/env bash
# Computes the Arabic word classes the NER tagger reads (data/clusters/ar.tsv)
# from the text of ANERcorp's training part (never its dev split, the last
# 10 % of sentences, nor any evaluation article): two exchange-algorithm
# clusterings, 200 and 40 classes, of the extractor's tokens keyed without the
# article or a leading conjunction. Deterministic; a few seconds.
#
#   scripts/clusters/build.sh        (then retrain: scripts/train-ner.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
SHARED=${NABA_SHARED:-../shared}
cargo run -q -p naba-train --release -- clusters --corpus "$SHARED/data/anercorp/train.txt" --out data/clusters/ar.tsv
