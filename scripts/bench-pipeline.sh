#!/usr/bin/env bash
# The pipeline benchmark: naba between two Kafka topics, beside its ceilings.
#
#   scripts/bench-pipeline.sh              # N=100000 articles (about 10 minutes on 2 cores)
#   N=5000 scripts/bench-pipeline.sh       # a quick look
#
# It starts its own Kafka-protocol broker (scripts/broker.sh, port
# $NABA_BENCH_PORT, default 19492, data in a temporary directory removed at the
# end), produces N articles (the dev sets of ../shared replicated with fresh
# ids) over 4 partitions, then measures, one after the other on the same input:
#   alo          `naba run` draining the backlog (saturating throughput)
#   eos          the same with --mode exactly-once
#   passthrough  `naba run --passthrough`: consume, decode, re-encode, produce,
#                commit, no extraction (the pipeline's ceiling)
#   extract      `naba extract -j 2` on the same N articles from a file (the extractor's),
#                less a one-article run (start-up: lexicons and model)
#   live-50/90   `naba run` fed by a rate-limited producer at 50 % and 90 % of
#                the alo throughput for LIVE_SECS (default 20) seconds: latency
# The saturating runs also record the broker's CPU per article (same cores).
# and prints a Markdown table; every figure is also in $OUT/<run>/*.json
# (summary.json gathers them). Nothing here asserts a wall-clock figure.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-100000}
LIVE_SECS=${LIVE_SECS:-20}
PORT=${NABA_BENCH_PORT:-19492}
OUT=${OUT:-target/bench-pipeline}
RUN=b$(date +%s)
DIR=$OUT/$RUN
mkdir -p "$DIR"

echo "== building (release)" >&2
cargo build --release --locked -p naba -p naba-bench >&2
NABA=target/release/naba
BENCH=target/release/naba-bench

scratch=$(mktemp -d)
export NABA_BROKER_PORT=$PORT NABA_BROKER_DIR=$scratch/broker
naba_pid=""
cleanup() {
  if [ -n "$naba_pid" ]; then kill "$naba_pid" 2>/dev/null || true; wait "$naba_pid" 2>/dev/null || true; fi
  scripts/broker.sh stop || true
  rm -rf "$scratch"
}
trap cleanup EXIT
echo "== broker on port $PORT" >&2
B=$(scripts/broker.sh start | sed -n 's/^KAFKA_BROKERS=//p')

jq -n --arg cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)" \
  --arg nproc "$(nproc)" --arg mem "$(free -g | awk '/^Mem:/{print $2 " GiB"}')" \
  --arg load_before "$(cut -d' ' -f1-3 /proc/loadavg)" --arg n "$N" --arg commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  '{cpu: $cpu, nproc: ($nproc|tonumber), memory: $mem, load_before: $load_before, n: ($n|tonumber), commit: $commit}' >"$DIR/machine.json"

$BENCH topics --brokers "$B" "$RUN-in:4" "$RUN-dlq:1" "$RUN-live-in:4" "$RUN-live-out:4" \
  "$RUN-out-alo:4" "$RUN-out-eos:4" "$RUN-out-passthrough:4"

echo "== producing $N articles" >&2
$BENCH produce --brokers "$B" --topic "$RUN-in" --n "$N" --run "$RUN" >"$DIR/produce.json"
cat "$DIR/produce.json" >&2

# start_naba NAME INPUT OUTPUT [FLAGS...]: `naba run` in the background, pid in $naba_pid.
start_naba() {
  local name=$1 input=$2 output=$3
  shift 3
  $NABA run --brokers "$B" --input-topic "$input" --output-topic "$output" --dlq-topic "$RUN-dlq" \
    --group "$RUN-$name" --metrics-addr "" --log-format json "$@" 2>"$DIR/$name.log" &
  naba_pid=$!
}
stop_naba() {
  kill -TERM "$naba_pid"
  wait "$naba_pid" || echo "bench-pipeline: naba exited with $? (see $DIR/$1.log)" >&2
  naba_pid=""
}

# CPU time (user + system, clock ticks) the broker has used so far: it runs on
# the same cores, so what it takes is not available to naba.
broker_ticks() { awk '{print $14 + $15}' "/proc/$(cat "$NABA_BROKER_DIR.pid")/stat"; }
TICK_HZ=$(getconf CLK_TCK)

# saturate NAME [FLAGS...]: drain the whole backlog, metering throughput, CPU, RSS.
# The broker's CPU is taken from naba's start to the last output record, so
# it includes serving the meter (as a real deployment serves the output's readers).
saturate() {
  local name=$1
  shift
  echo "== $name: naba run $* on the $N-article backlog" >&2
  local t0 t1
  t0=$(broker_ticks)
  start_naba "$name" "$RUN-in" "$RUN-out-$name" "$@"
  $BENCH drain --brokers "$B" --topic "$RUN-out-$name" --n "$N" --run "$RUN" --pid "$naba_pid" >"$DIR/$name.raw.json"
  t1=$(broker_ticks)
  stop_naba "$name"
  jq --argjson t "$((t1 - t0))" --argjson hz "$TICK_HZ" --argjson n "$N" \
    '. + {broker_cpu_secs: ($t / $hz), broker_cpu_ms_per_article: ($t / $hz * 1000 / $n)}' \
    "$DIR/$name.raw.json" >"$DIR/$name.json" && rm "$DIR/$name.raw.json"
  cat "$DIR/$name.json" >&2
}

saturate alo --mode at-least-once
saturate eos --mode exactly-once
saturate passthrough --mode at-least-once --passthrough

echo "== extractor alone: naba extract -j 2 on the same $N articles" >&2
$BENCH articles --n "$N" --run "$RUN" >"$scratch/articles.jsonl" 2>"$DIR/extract-articles.json"
/usr/bin/time -o "$DIR/extract-time.json" \
  -f '{"wall_secs": %e, "user_secs": %U, "sys_secs": %S, "max_rss_kb": %M}' \
  $NABA extract -j 2 "$scratch/articles.jsonl" >/dev/null
head -n 1 "$scratch/articles.jsonl" >"$scratch/one.jsonl"
/usr/bin/time -o "$DIR/startup-time.json" \
  -f '{"wall_secs": %e, "user_secs": %U, "sys_secs": %S, "max_rss_kb": %M}' \
  $NABA extract -j 2 "$scratch/one.jsonl" >/dev/null
rm -f "$scratch/articles.jsonl"
cat "$DIR/extract-time.json" >&2

rate=$(jq '.articles_per_s' "$DIR/alo.json")
start_naba live "$RUN-live-in" "$RUN-live-out" --mode at-least-once
# Warm-up: the group joins and the first articles go through before timing.
$BENCH live --brokers "$B" --topic "$RUN-live-in" --output "$RUN-live-out" --n 50 --rate 25 \
  --run "$RUN-warm" --pid "$naba_pid" >/dev/null
for pct in 50 90; do
  r=$(jq -n --argjson r "$rate" --argjson p "$pct" '$r * $p / 100')
  n=$(jq -n --argjson r "$r" --argjson s "$LIVE_SECS" '[($r * $s | floor), 100] | max')
  echo "== latency at $pct % of saturation: $r articles/s for $LIVE_SECS s" >&2
  $BENCH live --brokers "$B" --topic "$RUN-live-in" --output "$RUN-live-out" --n "$n" --rate "$r" \
    --run "$RUN-l$pct" --pid "$naba_pid" >"$DIR/live-$pct.json"
  cat "$DIR/live-$pct.json" >&2
done
stop_naba live

jq --arg load_after "$(cut -d' ' -f1-3 /proc/loadavg)" '. + {load_after: $load_after}' \
  "$DIR/machine.json" >"$scratch/m.json" && mv "$scratch/m.json" "$DIR/machine.json"
echo "== results in $DIR (load average before: $(jq -r .load_before "$DIR/machine.json"), after: $(jq -r .load_after "$DIR/machine.json"))" >&2
$BENCH report "$DIR"
