#!/usr/bin/env bash
# Trains the Arabic NER tagger on ANERcorp (Benajiba, Rosso and Benedí 2007),
# holding out the last 10 % of sentences as the dev split, and writes the model
# the extractor embeds. Deterministic: the same corpus gives the same bytes.
#
#   scripts/train-ner.sh [extra naba-train options, e.g. --corpus-names, --seed N;
#   they come first, so that an --epochs or --ensemble given wins over the
#   defaults: 6 epochs, 3 perceptrons averaged]
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${NABA_SHARED:-../shared}
# The gazetteers the tagger's features use, embedded from data/gazetteer/.
for k in loc org pers; do
  grep -P '^[\p{Arabic} ]+$' "$SHARED/data/anergazet/$k.txt" | sed 's/ *$//' | LC_ALL=C sort -u >"data/gazetteer/$k.txt"
done
# The word classes the tagger's features use (data/clusters/), from the same text.
scripts/clusters/build.sh
cargo run -p naba-train --release -- train --corpus "$SHARED/data/anercorp/train.txt" --out data/model/ar-ner.bin --names-out data/gazetteer/corpus.txt "$@" --epochs 6 --ensemble 3
