#!/usr/bin/env bash
# Computes the Arabic word profiles the NER tagger reads
# (data/clusters/ar-profiles.tsv): how common each word is in general text,
# how often it takes the article and a pronoun suffix. Source: the Arabic
# "large" list of wordfreq (PyPI, pinned below; data CC BY-SA 4.0), fetched
# into a temporary directory, never into the repo. Deterministic.
#
#   scripts/clusters/profiles.sh        (then retrain: scripts/train-ner.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
WORDFREQ_VERSION=3.1.1
work="$(mktemp -d "${TMPDIR:-/tmp}/naba-wordfreq.XXXXXX")"
trap 'rm -rf "$work"' EXIT
python3 -m pip download --quiet --no-deps --dest "$work" "wordfreq==$WORDFREQ_VERSION"
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("wordfreq/data/large_ar.msgpack.gz", sys.argv[2])' \
  "$work/wordfreq-$WORDFREQ_VERSION-py3-none-any.whl" "$work"
python3 scripts/clusters/wordfreq_tsv.py "$work/wordfreq/data/large_ar.msgpack.gz" "$work/ar.tsv"
cargo run -q -p naba-train --release -- profiles --list "$work/ar.tsv" --out data/clusters/ar-profiles.tsv
